#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
import ArgumentParser
import RosterClient
import RosterCore
import RosterFiles

struct AuditCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "audit",
    abstract:
      "Report who holds privilege, which tokens exist and how old, and what is unmanaged or drifted. Never writes.",
    discussion: """
      Reads what plan reads (users, all tokens, the client configuration), plus GET /config and the \
      paged bot list (GET /bots): ⌈users/200⌉ + ⌈tokens/200⌉ + ⌈bots/200⌉ + a few requests. Without -f \
      it audits the server alone; with -f it adds unmanaged accounts, declared users not on the server, \
      and drift by field. Token ages come from the secrets file roster apply writes (--secrets-file).

      Exit status: 0 no finding at or above --fail-on (default: never fail); 2 some; 1 an error.

      Examples:
        roster audit
        roster audit -f roster/ --secrets-file secrets.jsonl --fail-on high
        roster audit -f roster/ --format json --format csv --format markdown --out-dir audit/
      """)

  @Option(
    name: [.customShort("f"), .customLong("file")],
    help: ArgumentHelp(
      "A manifest file, a directory, or - for standard input; repeatable. Without it the server is audited alone.",
      valueName: "path"))
  var paths: [String] = []
  @OptionGroup var server: ServerOptions
  @Option(help: AuditFormat.help) var format: [AuditFormat] = []
  @Option(help: ArgumentHelp("Write the one format to this file instead of standard output.", valueName: "file"))
  var out: String?
  @Option(help: ArgumentHelp("Write every --format into this directory, under its own names.", valueName: "dir"))
  var outDir: String?
  @Option(
    help: ArgumentHelp(
      "Exit 2 when a finding is at or above this severity: info, low, medium or high.", valueName: "severity"))
  var failOn: AuditSeverity?
  @Option(help: ArgumentHelp("token_age: tokens older than this many days (by roster's records).", valueName: "days"))
  var maxTokenAgeDays = AuditOptions.defaultMaxTokenAgeDays
  @Option(help: ArgumentHelp("no_login_since: active humans whose update_at is older than this.", valueName: "days"))
  var inactiveDays = AuditOptions.defaultInactiveDays
  @Option(
    name: SecretsFileOption.names,
    help: ArgumentHelp(
      "The secrets file apply writes; audit only reads it, for the ages of the tokens roster made.", valueName: "file"))
  var secretsFile: String?
  @Option(
    help: ArgumentHelp(
      "The state file apply keeps (--state); audit only reads it, for the ages of the tokens roster made.",
      valueName: "file"))
  var state: String?

  var output: AuditOutput { AuditOutput(formats: format, out: out, outDir: outDir, color: server.color) }

  func validate() throws {
    try output.validate()
    if !(1...36_500).contains(maxTokenAgeDays) { throw ValidationError("--max-token-age-days must be 1 to 36500.") }
    if !(1...36_500).contains(inactiveDays) { throw ValidationError("--inactive-days must be 1 to 36500.") }
  }

  func run() async throws {
    let stderr = StandardError()
    var loaded: Manifest?
    if !paths.isEmpty {
      guard let manifest = loadManifest(paths, stderr: stderr, verbose: server.verbose) else { throw ExitCode(.error) }
      loaded = manifest
    }
    let manifest = loaded
    let reader = try server.reader(stderr: stderr)
    let read: AuditRead
    do {
      read = try await withStatus("Reading \(reader.options.baseURL)") {
        try await AuditRead.read(reader, manifest: manifest)
      }
    } catch {
      stderr.line("error: reading the server failed: \(error)")
      throw ExitCode(.error)
    }
    var coverage = read.coverage
    var createdAt: [String: Int64] = [:]
    if secretsFile != nil || state != nil {
      // A file restored with a loose mode is an error that says so, never read as "no ages known".
      do { createdAt = try SecretsFile.memory(state: state, secrets: secretsFile).tokenCreatedAt } catch {
        stderr.line("error: \(error)")
        throw ExitCode(.error)
      }
      coverage.read.append("secrets_file")
    } else {
      coverage.skip("secrets_file", "no --state or --secrets-file: every token's age is unknown")
    }
    let now = read.live.readAt ?? Int64(Date().timeIntervalSince1970 * 1000)
    let report = AuditReport.build(
      AuditInput(
        live: read.live, bots: read.bots, posture: read.posture, tokenCreatedAt: createdAt, manifest: manifest,
        options: AuditOptions(maxTokenAgeDays: maxTokenAgeDays, inactiveDays: inactiveDays, now: now)))
    let document = AuditDocument(
      report: report, server: reader.options.baseURL, acting: read.live.acting, generatedAt: now,
      requests: reader.requestCount, coverage: coverage)
    do {
      try output.write(document, stderr: stderr)
    } catch {
      stderr.line("error: \(error)")
      throw ExitCode(.error)
    }
    if let failOn, !report.findings(atLeast: failOn).isEmpty {
      stderr.line("audit: \(report.findings(atLeast: failOn).count) finding(s) at or above \(failOn.rawValue)")
      throw ExitCode(.changes)
    }
  }
}

/// What the audit read, and what it could not (a token without the permission gets a partial report
/// that says so, rather than none).
struct AuditRead {
  var live: LiveState
  var bots: [LiveBot]?
  var posture: ServerPosture?
  var coverage = AuditCoverage()

  /// Refusals that mean "this caller may not read it" or "this server has no such route": the source is
  /// skipped and named in `coverage`; anything else stops the audit.
  static func skippable(_ error: APIFailure) -> Bool { [401, 403, 404, 501].contains(error.status) }

  static func read(_ reader: ServerReader, manifest: Manifest?) async throws(APIFailure) -> AuditRead {
    // Plan's reads, with every user's tokens whatever the manifest manages.
    var needs = manifest.map { ReadNeeds($0) } ?? ReadNeeds(tokens: .everyone, clientConfig: true)
    needs.tokens = .everyone
    var result = AuditRead(live: try await reader.liveState(needs))
    result.coverage.read = ["users", "tokens", "client_config"]
    if manifest != nil { result.coverage.read.append("manifest") }
    if needs.memberships != nil { result.coverage.read.append("memberships") }
    if result.live.tokensReadFor != nil {
      result.coverage.skip(
        "tokens", "GET /users/tokens was refused (it needs manage_system): tokens were read user by user")
    }
    if !result.live.acting.isSystemAdmin {
      result.coverage.skip(
        "auth_service",
        "the acting user is no system admin: the server blanks auth_service, so SSO accounts look like password ones")
    }
    do {
      result.bots = try await reader.allBots()
      result.coverage.read.append("bots")
    } catch  where skippable(error) {
      result.coverage.skip("bots", "GET /bots answered \(error.status): bot owners and orphaned bots were not checked")
    }
    do {
      result.posture = try await reader.serverPosture()
      result.coverage.read.append("config")
    } catch  where skippable(error) {
      result.coverage.skip(
        "config", "GET /config answered \(error.status): the token lifetime and MFA settings are unknown")
    }
    result.coverage.skip("sessions", "token last use needs GET /users/{id}/sessions, a request per user: not read")
    return result
  }
}
