import Foundation
import RosterClient

/// An in-memory transport answering from a script, recording every request. For unit tests of the
/// client's retry and paging logic only; everything a user meets runs on CurlTransport.
final class ScriptedTransport: HTTPTransport, @unchecked Sendable {
  typealias Responder = @Sendable (HTTPRequest) -> Result<HTTPResponse, TransportError>

  private let lock = NSLock()
  private var queue: [Responder]
  private let fallback: Responder?
  private(set) var requests: [HTTPRequest] = []

  init(_ queue: [Responder] = [], fallback: Responder? = nil) {
    self.queue = queue
    self.fallback = fallback
  }

  func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
    let next = take(request)
    guard let next else { throw TransportError(message: "script exhausted", mayHaveArrived: false) }
    return try next(request).get()
  }

  private func take(_ request: HTTPRequest) -> Responder? {
    lock.withLock {
      requests.append(request)
      return queue.isEmpty ? fallback : queue.removeFirst()
    }
  }

  var paths: [String] {
    lock.lock()
    defer { lock.unlock() }
    return requests.map { "\($0.method) \($0.path)" }
  }

  static func json(_ status: Int, _ text: String, headers: [String: String] = [:]) -> Responder {
    { _ in .success(HTTPResponse(status: status, headers: headers, body: Data(text.utf8))) }
  }

  static func drop(mayHaveArrived: Bool) -> Responder {
    { _ in .failure(TransportError(message: "connection lost", mayHaveArrived: mayHaveArrived)) }
  }
}
