import Foundation

/// Options that make the sandbox misbehave on purpose, so clients can be tested against a bad day.
public struct FaultOptions: Sendable {
  public var latencyMilliseconds = 0
  /// 5xx before applying a write.
  public var failRate = 0.0
  /// Apply the write, then drop the connection without answering.
  public var resetAfterCommitRate = 0.0
  /// 429 with Retry-After, on any call.
  public var throttleRate = 0.0
  public var seed: UInt64 = 1
  /// Requests per second and burst for the GCRA limiter (server/channels/app/ratelimit.go), or nil.
  public var rateLimit: (perSecond: Double, burst: Int)?
  /// The next this many reads of a channel's second member page start one row early, as if the rows had
  /// moved between the first page and the second: a row comes twice, and one is never served.
  public var channelPageDrift = 0

  public init() {}
}

/// Reproducible dice: the same --fault-seed and the same sequence of calls give the same faults.
actor FaultDice {
  private var state: UInt64

  init(seed: UInt64) { state = seed }

  /// SplitMix64, then a uniform double in [0, 1).
  func roll() -> Double {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    z ^= z >> 31
    return Double(z >> 11) / Double(1 << 53)
  }

  func hits(_ rate: Double) -> Bool { rate > 0 && roll() < rate }
}

/// The generic cell rate algorithm the server's limiter uses (throttled GCRARateLimiter): a sustained
/// rate with a burst, and the X-RateLimit-* headers it sends on every response while enabled.
actor RateLimiter {
  private let interval: Double
  private let tolerance: Double
  private let burst: Int
  private var theoreticalArrival = 0.0

  init(perSecond: Double, burst: Int) {
    interval = 1 / perSecond
    tolerance = interval * Double(burst)
    self.burst = burst
  }

  /// Whether the call may go ahead, and the headers to send either way.
  func take(now: Double) -> (allowed: Bool, headers: [(String, String)]) {
    let tat = max(theoreticalArrival, now)
    let allowAt = tat - tolerance
    let allowed = now >= allowAt
    if allowed { theoreticalArrival = tat + interval }
    let remaining = max(0, Int(((tolerance - (theoreticalArrival - now)) / interval).rounded(.down)))
    let reset = Int((theoreticalArrival - now).rounded(.up))
    var headers = [
      ("X-RateLimit-Limit", String(burst + 1)), ("X-RateLimit-Remaining", String(remaining)),
      ("X-RateLimit-Reset", String(max(reset, 0))),
    ]
    if !allowed { headers.append(("Retry-After", String(Int((allowAt - now).rounded(.up))))) }
    return (allowed, headers)
  }
}

/// The test-only request log behind /sandbox/requests.
actor RequestLog {
  struct Entry: Sendable {
    var method: String
    var route: String
    var path: String
    var status: Int
    /// The write was committed and its connection dropped unanswered (--reset-after-commit-rate).
    var dropped = false
  }

  private(set) var entries: [Entry] = []

  func append(_ entry: Entry) { entries.append(entry) }
  func clear() { entries.removeAll() }

  func json() -> JSONValue {
    var counts: [String: Int] = [:]
    for e in entries { counts["\(e.method) \(e.route)", default: 0] += 1 }
    let writes = entries.filter { $0.method != "GET" && !Self.readPosts.contains($0.route) }.count
    return .object([
      ("total", .int(Int64(entries.count))),
      ("writes", .int(Int64(writes))),
      ("dropped", .int(Int64(entries.count { $0.dropped }))),
      ("by_route", .object(counts.keys.sorted().map { ($0, .int(Int64(counts[$0] ?? 0))) })),
      (
        "requests",
        .array(
          entries.map { e in
            .object([
              ("method", .string(e.method)), ("route", .string(e.route)), ("path", .string(e.path)),
              ("status", .int(Int64(e.status))), ("dropped", .bool(e.dropped)),
            ])
          })
      ),
    ])
  }

  /// POST routes that only read.
  static let readPosts: Set<String> = [
    "/api/v4/users/login", "/api/v4/users/ids", "/api/v4/users/usernames", "/api/v4/users/tokens/search",
    "/api/v4/roles/names",
    "/api/v4/teams/{team_id}/members/ids", "/api/v4/channels/{channel_id}/members/ids",
  ]
}
