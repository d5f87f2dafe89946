#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
import ArgumentParser
import RosterClient
import RosterCore

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
