import Foundation

/// How a call may be retried.
public enum RetryMode: Sendable {
  /// Reads and idempotent writes: retried on 429, 5xx and connection errors.
  case idempotent
  /// Creates: retried only when the server certainly did not act (429, or no connection made); a 5xx
  /// or a lost answer goes back to the caller, which must re-read before trying again.
  case create
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
public final class RequestCounter: @unchecked Sendable {
  private let lock = NSLock()
  private var value = 0

  public init() {}

  func increment() {
    lock.lock()
    value += 1
    lock.unlock()
  }

  public var count: Int {
    lock.lock()
    defer { lock.unlock() }
    return value
  }
}

/// One authenticated connection to a server: auth header, retries with backoff, error decoding, trace.
struct APIConnection: Sendable {
  let transport: any HTTPTransport
  let options: ConnectionOptions
  let counter: RequestCounter

  func send(_ method: String, _ path: String, body: Data? = nil, mode: RetryMode = .idempotent) async throws(APIFailure)
    -> HTTPResponse
  {
    let request = HTTPRequest(
      method: method, path: "/api/v4" + path, headers: [("Authorization", "Bearer \(options.token)")], body: body,
      idempotent: mode == .idempotent)
    var attempt = 0
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
        let retryable = !error.permanent && (mode == .idempotent || !error.mayHaveArrived)
        if retryable && attempt < options.maxAttempts {
          await pause(attempt: attempt, response: nil)
          continue
        }
        throw APIFailure(request: request, transport: error)
      }
      trace(request, String(response.status), started)
      let throttled = response.status == 429
      let serverError = (500...599).contains(response.status)
      if (throttled || (serverError && mode == .idempotent)) && attempt < options.maxAttempts {
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
    var delay = Double.random(in: 0...min(options.backoffCap, options.backoffBase * pow(2, Double(attempt - 1))))
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
    guard let header, let value = Double(header.trimmingCharacters(in: .whitespaces)), value.isFinite, value >= 0
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
