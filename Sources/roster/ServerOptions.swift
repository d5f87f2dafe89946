#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
import ArgumentParser
import RosterClient
import RosterCore
import RosterFiles
import RosterYAML

/// How to reach the server; shared by plan, apply and export.
struct ServerOptions: ParsableArguments {
  static let sandboxURL = "http://127.0.0.1:8065"
  static let sandboxToken = "rostersandboxadmintoken000"

  @Option(
    help: ArgumentHelp(
      "Server URL (a trailing /api/v4 is fine). Default: $MM_URL. Required: roster never guesses a server.",
      valueName: "url")
  )
  var url: String?

  @Option(
    help: ArgumentHelp(
      "Access token. Default: $MM_TOKEN. A token on the command line is visible to other users through ps; prefer MM_TOKEN or --token-file.",
      valueName: "token"))
  var token: String?

  @Option(help: ArgumentHelp("Read the access token from this file.", valueName: "path"))
  var tokenFile: String?

  @Option(help: "Concurrent requests.") var parallelism = 4
  @Option(help: ArgumentHelp("Total timeout per request, in seconds.", valueName: "seconds")) var timeout = 60.0
  @Option(
    help: ArgumentHelp(
      "Overall limit for the whole command, in seconds (default 3600); a server that answers slowly forever is cut off.",
      valueName: "seconds"))
  var deadline = 3600.0
  @Option(help: ArgumentHelp("Trust this CA certificate (PEM) for TLS.", valueName: "path")) var caCert: String?
  @Flag(help: "Skip TLS certificate verification (dangerous; prints a warning).") var insecure = false
  @Flag(name: .shortAndLong, help: "Log each request line, status and duration to stderr (never headers or bodies).")
  var verbose = false
  @Option(help: "Colour: auto (a terminal without NO_COLOR), always or never.") var color: ColorChoice = .auto

  func validate() throws {
    if parallelism < 1 || parallelism > 64 { throw ValidationError("--parallelism must be between 1 and 64.") }
    if token != nil && tokenFile != nil { throw ValidationError("Give --token or --token-file, not both.") }
    // `inf` and `nan` parse as Doubles; a timeout must be a real number of seconds.
    if !timeout.isFinite || timeout <= 0 || timeout > 86_400 {
      throw ValidationError("--timeout must be a number of seconds between 0 and 86400.")
    }
    if !deadline.isFinite || deadline <= 0 || deadline > 604_800 {
      throw ValidationError("--deadline must be a number of seconds between 0 and 604800.")
    }
  }

  /// The URL, token and transport to use, after warnings about unsafe choices.
  func connect(stderr: StandardError) throws(ConfigurationError) -> (
    transport: CurlTransport, options: ConnectionOptions
  ) {
    let env = ProcessInfo.processInfo.environment
    // No default server: a token sent to a guessed address (a port any local user can bind) is a leak.
    guard let chosenURL = url ?? env["MM_URL"], !chosenURL.isEmpty else {
      throw ConfigurationError(
        "no server: pass --url or set MM_URL (a local roster-sandbox listens on \(Self.sandboxURL), "
          + "token \(Self.sandboxToken))")
    }
    var chosenToken = token ?? env["MM_TOKEN"]
    if let tokenFile {
      guard let text = try? String(contentsOfFile: tokenFile, encoding: .utf8) else {
        throw ConfigurationError("cannot read the token file \(tokenFile)")
      }
      chosenToken = text.trimmingBlanksAndNewlines()
    }
    guard let finalToken = chosenToken, !finalToken.isEmpty else {
      throw ConfigurationError("no access token: set MM_TOKEN, or pass --token-file")
    }
    // A CR or LF would end the Authorization header and start another one of the token's choosing.
    if finalToken.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
      throw ConfigurationError("the access token contains a line break or control character; refusing to send it")
    }
    let baseURL = Self.baseURL(chosenURL)
    // Refused rather than stripped: roster signs in with the token alone, libcurl would send the pair as
    // a Basic Authorization of its own, and the URL is shown in errors, traces, plan headers and saved
    // plans; stripping it in each of those places is one place to forget.
    if Self.hasUserInfo(chosenURL) {
      throw ConfigurationError(
        "the server URL \(Self.redacted(chosenURL)) carries a user name or password; roster signs in with the access token only: remove them"
      )
    }
    guard let parsed = URL(string: baseURL), let scheme = parsed.scheme, ["http", "https"].contains(scheme),
      let host = parsed.host
    else { throw ConfigurationError("the server URL must be http:// or https://, got \(Self.redacted(chosenURL))") }
    if scheme == "http" && !["127.0.0.1", "localhost", "::1", "[::1]"].contains(host) {
      stderr.line("warning: \(baseURL) is plain HTTP to a remote host; the token travels unencrypted")
    }
    if insecure { stderr.line("warning: --insecure: TLS certificates are not verified") }
    var curl = CurlOptions()
    curl.timeout = timeout
    curl.connectTimeout = min(10, timeout)
    curl.caCertPath = caCert
    curl.insecure = insecure
    curl.userAgent = "roster/\(rosterVersion)"
    // Per-request timeouts do not bound a run: retries, pages and steps add up, and a hostile server can
    // answer each request just in time. Past the deadline the run stops as on SIGTERM.
    Interrupts.shared.arm(deadline: deadline, grace: timeout + 10)
    var options = ConnectionOptions(baseURL: baseURL, token: finalToken)
    options.parallelism = parallelism
    if verbose { options.trace = { line in StandardError().write("roster: \(line)\n") } }
    // One worker thread per concurrent request, and two spare for the odd extra read.
    return (CurlTransport(baseURL: baseURL, options: curl, workers: parallelism + 2), options)
  }
}

extension ServerOptions {
  /// The server's root: without trailing slashes or the `/api/v4` people copy from API docs.
  static func baseURL(_ given: String) -> String {
    var base = given
    while base.hasSuffix("/") { base.removeLast() }
    if base.hasSuffix("/api/v4") { base.removeLast("/api/v4".count) }
    while base.hasSuffix("/") { base.removeLast() }
    return base
  }

  /// Whether the authority part (between `//` and the next `/`, `?` or `#`) has a `user[:password]@`.
  static func hasUserInfo(_ url: String) -> Bool { authority(url)?.contains("@") == true }

  /// The URL with any user name and password replaced by `***`, for messages.
  static func redacted(_ url: String) -> String {
    guard let authority = authority(url), let at = authority.lastIndex(of: "@") else { return url }
    return url.replacingEvery(String(authority), with: "***" + authority[at...])
  }

  private static func authority(_ url: String) -> Substring? {
    guard let start = url.firstRange(of: "//")?.upperBound else { return nil }
    let rest = url[start...]
    return rest.prefix { !"/?#".contains($0) }
  }

  /// A read-only client for the chosen server; what plan and export hold, and apply starts from.
  func reader(stderr: StandardError) throws(ConfigurationError) -> ServerReader {
    let (transport, options) = try connect(stderr: stderr)
    return ServerReader(transport: transport, options: options)
  }
}

/// A problem with how roster was asked to connect: one line, exit 1, no usage text (it is not a
/// mistake in the arguments' syntax).
struct ConfigurationError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}

/// Loads the manifest for a command, printing diagnostics; nil (after printing) when it has errors.
func loadManifest(
  _ paths: [String], stderr: StandardError, verbose: Bool = false, github: Bool = false, only: Set<String>? = nil
) -> Manifest? {
  loadManifestFiles(paths, stderr: stderr, verbose: verbose, github: github, only: only).manifest
}

/// The manifest and the files it came from (apply keeps its token sink off them).
func loadManifestFiles(
  _ paths: [String], stderr: StandardError, verbose: Bool = false, github: Bool = false, only: Set<String>? = nil
) -> (manifest: Manifest?, files: [String]) {
  let result = ManifestSources.load(paths, env: ProcessInfo.processInfo.environment, only: only)
  if verbose { for file in result.files { stderr.line("roster: read \(file)") } }
  for diagnostic in result.diagnostics {
    if github { print(GitHubAnnotation.line(diagnostic)) } else { stderr.line("\(diagnostic)") }
  }
  return (result.manifest, result.files)
}

/// `--color`: auto is colour only on a terminal and never with NO_COLOR set (https://no-color.org).
enum ColorChoice: String, ExpressibleByArgument, CaseIterable, Sendable {
  case auto, always, never
}

func useColor(_ fd: Int32 = POSIXFile.standardOutput, _ choice: ColorChoice = .auto) -> Bool {
  switch choice {
  case .always: return true
  case .never: return false
  case .auto:
    return ProcessInfo.processInfo.environment["NO_COLOR"].map(\.isEmpty) ?? true && POSIXFile.isTerminal(fd)
  }
}

/// GitHub Actions workflow commands: `::error file=F,line=L,col=C::message` puts the finding on the
/// pull request's diff. Data is escaped as the runner expects (%, CR, LF; also `:` and `,` in properties).
enum GitHubAnnotation {
  static func escape(_ text: String, property: Bool = false) -> String {
    var out = text.replacingEvery("%", with: "%25").replacingEvery("\r", with: "%0D").replacingEvery("\n", with: "%0A")
    if property { out = out.replacingEvery(":", with: "%3A").replacingEvery(",", with: "%2C") }
    return out
  }

  static func line(_ diagnostic: Diagnostic) -> String {
    let m = diagnostic.mark
    return "::\(diagnostic.severity.rawValue) file=\(escape(m.file, property: true)),line=\(m.line),col=\(m.column)::"
      + escape(Display.safe(diagnostic.message))
  }

  static func line(_ note: PlanNote) -> String {
    let title = note.username.map { " title=\(escape("roster: " + $0, property: true))" } ?? ""
    return "::\(note.severity.rawValue)\(title)::" + escape(Display.safe(note.message))
  }
}

/// A status line on a terminal while slow work runs (reading a large server), cleared when done;
/// nothing at all when stderr is not a terminal, so logs and pipes stay clean. SIGINT or SIGTERM
/// cancels the work: transfers in flight are aborted and no further request starts.
func withStatus<T: Sendable>(_ message: String, _ work: @escaping @Sendable () async throws -> T) async throws -> T {
  let live = POSIXFile.isTerminal(POSIXFile.standardError)
  if live { StandardError().write("\(message)…") }
  defer { if live { StandardError().write("\r\u{1B}[K") } }
  let task = Task { try await work() }
  return try await Interrupts.shared.during({ task.cancel() }) { try await task.value }
}
