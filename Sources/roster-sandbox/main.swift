import ArgumentParser
import Foundation
import RosterSandbox

/// roster-sandbox: a local emulator of the Mattermost users API, for demos, tests and benchmarks.
@main
struct SandboxCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "roster-sandbox",
    abstract: "A local emulator of the Mattermost users API (127.0.0.1 only; for development and tests).",
    discussion: """
      Serves /api/v4 users, login and personal-access-token routes with the real server's rules, and a \
      test-only inspection API under /sandbox (requests, state, reset).

      Examples:
        roster-sandbox
        roster-sandbox --port 0 --seed examples/sandbox-seed.json
        roster-sandbox --state /tmp/sandbox.json --fail-rate 0.2 --fault-seed 7
      """)

  @Option(help: "Port on 127.0.0.1; 0 picks a free one.") var port = 8065
  @Option(help: "Load users and tokens from this JSON file (see examples/sandbox-seed.json).") var seed: String?
  @Option(help: "Persist every accepted write to this JSON file, and start from it if it exists.") var state: String?
  @Option(help: "The admin session token.") var adminToken = SandboxConfiguration.developmentAdminToken
  @Option(help: "Delay every response by this many milliseconds.") var latencyMs = 0
  @Option(help: "Token-bucket rate limit as PER_SEC:BURST (429 with X-RateLimit-* headers).") var rateLimit: String?
  @Option(help: "Probability of a 5xx before a write is applied.") var failRate = 0.0
  @Option(help: "Probability that a write is applied and the connection then dropped unanswered.")
  var resetAfterCommitRate = 0.0
  @Option(help: "Probability of a 429 with Retry-After on any call.") var throttleRate = 0.0
  @Option(help: "Seed for the fault dice; the same seed gives the same faults.") var faultSeed: UInt64 = 1
  @Option(help: "Start the next N reads of a channel's second member page one row early (a row twice, one lost).")
  var channelPageDrift = 0
  @Flag(help: "Refuse personal access tokens, as the server does by default (501 on create).")
  var disableAccessTokens = false

  func validate() throws {
    for (name, rate) in [
      ("--fail-rate", failRate), ("--reset-after-commit-rate", resetAfterCommitRate),
      ("--throttle-rate", throttleRate),
    ] where !(0...1).contains(rate) {
      throw ValidationError("\(name) must be between 0 and 1.")
    }
    if let rateLimit, parseRate(rateLimit) == nil {
      throw ValidationError("--rate-limit takes PER_SEC:BURST, for example 10:100.")
    }
  }

  func parseRate(_ text: String) -> (Double, Int)? {
    let parts = text.split(separator: ":")
    guard parts.count == 2, let rate = Double(parts[0]), rate > 0, let burst = Int(parts[1]), burst >= 0 else {
      return nil
    }
    return (rate, burst)
  }

  func run() async throws {
    var config = SandboxConfiguration()
    config.port = port
    config.statePath = state
    config.adminToken = adminToken
    if let seed { config.seed = try SandboxSeed.read(path: seed) }
    config.settings.enableUserAccessTokens = !disableAccessTokens
    config.faults.latencyMilliseconds = latencyMs
    config.faults.failRate = failRate
    config.faults.resetAfterCommitRate = resetAfterCommitRate
    config.faults.throttleRate = throttleRate
    config.faults.seed = faultSeed
    config.faults.channelPageDrift = channelPageDrift
    config.faults.rateLimit = rateLimit.flatMap(parseRate).map { (perSecond: $0.0, burst: $0.1) }
    FileHandle.standardError.write(
      Data("warning: roster-sandbox is an emulator for local development and tests; do not expose it.\n".utf8))
    let token = adminToken
    let app = try await Sandbox.application(config) { port in
      let banner = "roster-sandbox listening on http://127.0.0.1:\(port)\nadmin token: \(token)\n"
      FileHandle.standardOutput.write(Data(banner.utf8))
    }
    try await app.runService()
  }
}
