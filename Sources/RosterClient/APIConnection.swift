#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
import Synchronization
import RosterCore

/// How a call may be retried.
public enum RetryMode: Sendable {
  /// Reads and idempotent writes: retried on 429, 5xx (but 501) and connection errors.
  case idempotent
  /// Creates: retried only when the server certainly did not act (429, or no connection made); a 5xx
  /// or a lost answer goes back to the caller, which must re-read before trying again.
  case create
  /// A call whose effect leaves the server (a mail): retried on 429 and on a connection never made, but
  /// at most once after a 5xx or a lost answer. A reset answers 500 when the mail could not be sent
  /// (app/user.go SendPasswordReset wraps the email service's error as
  /// api.user.send_password_reset.send.app_error), which a misconfigured mail server repeats on every try,
  /// and each try may mail the person.
  case mail
}

/// Connection settings shared by the read and write clients.
public struct ConnectionOptions: Sendable {
  public var baseURL: String
  public var token: String
  public var parallelism = 4
  public var maxAttempts = 6
  /// Backoff base in seconds; doubled per attempt, capped, with full jitter.
  public var backoffBase = 0.25
  public var backoffCap = 8.0
  /// Receives one line per request for `--verbose`; never sees headers or bodies.
  public var trace: (@Sendable (String) -> Void)?

  public init(baseURL: String, token: String) {
    self.baseURL = baseURL
    self.token = token
  }
}

/// Counts requests, for the plan's "read the server in N requests".
public final class RequestCounter: Sendable {
  private let value = Mutex(0)

  public init() {}

  func increment() { value.withLock { $0 += 1 } }

  public var count: Int { value.withLock { $0 } }
}

/// One authenticated connection to a server: auth header, retries with backoff, error decoding, trace.
struct APIConnection: Sendable {
  let transport: any HTTPTransport
  let options: ConnectionOptions
  let counter: RequestCounter
  let clock: ServerClock

  func send(_ method: String, _ path: String, body: Data? = nil, mode: RetryMode = .idempotent) async throws(APIFailure)
    -> HTTPResponse
  {
    let request = HTTPRequest(
      method: method, path: "/api/v4" + path, headers: [("Authorization", "Bearer \(options.token)")], body: body,
      idempotent: mode == .idempotent)
    var attempt = 0
    // 5xx answers and lost answers so far, for `.mail`.
    var uncertain = 0
    while true {
      attempt += 1
      // An interrupted run (SIGINT) stops here rather than starting another attempt.
      if Task.isCancelled {
        throw APIFailure(
          method: method, path: request.path, status: 0, id: nil, message: "interrupted", ambiguous: attempt > 1)
      }
      counter.increment()
      let started = Date()
      let response: HTTPResponse
      do {
        response = try await transport.send(request)
      } catch {
        trace(request, "no answer: \(error.message)", started)
        var retryable = !error.permanent && (mode != .create || !error.mayHaveArrived)
        if mode == .mail && error.mayHaveArrived {
          uncertain += 1
          retryable = retryable && uncertain < 2
        }
        if retryable && attempt < options.maxAttempts {
          await pause(attempt: attempt, response: nil)
          continue
        }
        throw APIFailure(request: request, transport: error)
      }
      trace(request, String(response.status), started)
      clock.observe(response.headers["date"])
      RequestTrail.current?.record(response.headers["x-request-id"])
      let throttled = response.status == 429
      // Every other 4xx, and a 501 (app.user_access_token.disabled, app/user_access_token.go
      // CreateUserAccessToken; the no-license demote, api4/user.go demoteUserToGuest), answers the same
      // on every try: sending it again only delays the report.
      let serverError = (500...599).contains(response.status) && response.status != 501
      if serverError && mode == .mail { uncertain += 1 }
      let retryServerError = serverError && (mode == .idempotent || (mode == .mail && uncertain < 2))
      if (throttled || retryServerError) && attempt < options.maxAttempts {
        await pause(attempt: attempt, response: response)
        continue
      }
      guard (200...299).contains(response.status) else { throw APIFailure(request: request, response: response) }
      return response
    }
  }

  private func trace(_ request: HTTPRequest, _ outcome: String, _ started: Date) {
    guard let trace = options.trace else { return }
    let ms = Int(Date().timeIntervalSince(started) * 1000)
    trace("\(request.method) \(request.path) \(outcome) \(ms)ms")
  }

  /// Waits before the next attempt: the server's Retry-After or X-RateLimit-Reset when it sent one,
  /// otherwise exponential backoff with full jitter.
  private func pause(attempt: Int, response: HTTPResponse?) async {
    var delay = Double.random(
      in: 0...min(options.backoffCap, options.backoffBase * Double(sign: .plus, exponent: attempt - 1, significand: 1)))
    if let headers = response?.headers {
      if let after = Self.seconds(headers["retry-after"]) {
        delay = after
      } else if response?.status == 429, let reset = Self.seconds(headers["x-ratelimit-reset"]) {
        delay = reset
      }
    }
    try? await Task.sleep(for: .milliseconds(Int(delay * 1000)))
  }

  /// A header's delay in seconds, capped at 30; nil for anything that is not a finite, non-negative
  /// number (`nan`, `inf`, `-1`, an HTTP date), which once trapped in the conversion to milliseconds.
  static func seconds(_ header: String?) -> Double? {
    guard let header, let value = Double(header.trimmingBlanks()), value.isFinite, value >= 0
    else { return nil }
    return min(value, 30)
  }

  func json<T: Decodable>(_ type: T.Type, _ response: HTTPResponse, path: String) throws(APIFailure) -> T {
    do {
      return try APIJSON.decode(T.self, from: response.body)
    } catch {
      throw APIFailure(
        method: "GET", path: path, status: response.status, message: "unexpected response body (\(error))")
    }
  }
}
