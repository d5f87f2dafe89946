import ArgumentParser
import Foundation
import RosterClient
import RosterCore
import RosterFiles

/// How to reach the server; shared by plan, apply and export.
struct ServerOptions: ParsableArguments {
  static let sandboxURL = "http://127.0.0.1:8065"
  static let sandboxToken = "rostersandboxadmintoken000"

  @Option(help: ArgumentHelp("Server URL. Default: $MM_URL, else the local roster-sandbox (\(sandboxURL)).", valueName: "url"))
  var url: String?

  @Option(help: ArgumentHelp(
    "Access token. Default: $MM_TOKEN. A token on the command line is visible to other users through ps; prefer MM_TOKEN or --token-file.",
    valueName: "token"))
  var token: String?

  @Option(help: ArgumentHelp("Read the access token from this file.", valueName: "path"))
  var tokenFile: String?

  @Option(help: "Concurrent requests.") var parallelism = 4
  @Option(help: ArgumentHelp("Total timeout per request, in seconds.", valueName: "seconds")) var timeout = 60.0
  @Option(help: ArgumentHelp("Trust this CA certificate (PEM) for TLS.", valueName: "path")) var caCert: String?
  @Flag(help: "Skip TLS certificate verification (dangerous; prints a warning).") var insecure = false
  @Flag(name: .shortAndLong, help: "Log each request line, status and duration to stderr (never headers or bodies).")
  var verbose = false

  func validate() throws {
    if parallelism < 1 || parallelism > 64 { throw ValidationError("--parallelism must be between 1 and 64.") }
    if token != nil && tokenFile != nil { throw ValidationError("Give --token or --token-file, not both.") }
    if timeout <= 0 { throw ValidationError("--timeout must be positive.") }
  }

  /// The URL, token and transport to use, after warnings about unsafe choices.
  func connect(stderr: StandardError) throws -> (transport: CurlTransport, options: ConnectionOptions) {
    let env = ProcessInfo.processInfo.environment
    let chosenURL = url ?? env["MM_URL"]
    var chosenToken = token ?? env["MM_TOKEN"]
    if let tokenFile {
      guard let text = try? String(contentsOfFile: tokenFile, encoding: .utf8) else {
        throw ValidationError("Cannot read the token file \(tokenFile).")
      }
      chosenToken = text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
    let baseURL = chosenURL ?? Self.sandboxURL
    if chosenURL == nil {
      stderr.write("note: no --url or MM_URL; using the local roster-sandbox at \(Self.sandboxURL)\n")
      if chosenToken == nil { chosenToken = Self.sandboxToken }
    }
    guard let finalToken = chosenToken, !finalToken.isEmpty else {
      throw ValidationError("No access token: set MM_TOKEN, or pass --token-file.")
    }
    guard let parsed = URL(string: baseURL), let scheme = parsed.scheme, ["http", "https"].contains(scheme),
      let host = parsed.host
    else { throw ValidationError("--url must be an http:// or https:// URL, got \(baseURL).") }
    if scheme == "http" && !["127.0.0.1", "localhost", "::1", "[::1]"].contains(host) {
      stderr.write("warning: \(baseURL) is plain HTTP to a remote host; the token travels unencrypted\n")
    }
    if insecure { stderr.write("warning: --insecure: TLS certificates are not verified\n") }
    var curl = CurlOptions()
    curl.timeout = timeout
    curl.connectTimeout = min(10, timeout)
    curl.caCertPath = caCert
    curl.insecure = insecure
    curl.userAgent = "roster/\(rosterVersion)"
    var options = ConnectionOptions(baseURL: baseURL, token: finalToken)
    options.parallelism = parallelism
    if verbose { options.trace = { line in StandardError().write("roster: \(line)\n") } }
    return (CurlTransport(baseURL: baseURL, options: curl), options)
  }
}

extension ServerOptions {
  /// A read-only client for the chosen server; what plan and export hold, and apply starts from.
  func reader(stderr: StandardError) throws -> ServerReader {
    let (transport, options) = try connect(stderr: stderr)
    return ServerReader(transport: transport, options: options)
  }
}

/// Loads the manifest for a command, printing diagnostics; nil (after printing) when it has errors.
func loadManifest(_ paths: [String], stderr: StandardError) -> Manifest? {
  let result = ManifestSources.load(paths, env: ProcessInfo.processInfo.environment)
  for diagnostic in result.diagnostics { stderr.write("\(diagnostic)\n") }
  return result.manifest
}

/// Colour only on a terminal, never with NO_COLOR set (https://no-color.org).
func useColor(_ handle: FileHandle = .standardOutput) -> Bool {
  ProcessInfo.processInfo.environment["NO_COLOR"].map(\.isEmpty) ?? true && isatty(handle.fileDescriptor) == 1
}

/// A status line on a terminal while slow work runs (reading a large server), cleared when done;
/// nothing at all when stderr is not a terminal, so logs and pipes stay clean.
func withStatus<T>(_ message: String, _ work: () async throws -> T) async rethrows -> T {
  let live = isatty(FileHandle.standardError.fileDescriptor) == 1
  if live { StandardError().write("\(message)…") }
  defer { if live { StandardError().write("\r\u{1B}[K") } }
  return try await work()
}
