#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// An HTTP request relative to the server's base URL (`/api/v4/...` with any query string).
public struct HTTPRequest: Sendable {
  public var method: String
  public var path: String
  public var headers: [(String, String)]
  public var body: Data?
  /// False for creates. The transport must then never send the request twice on its own: libcurl
  /// silently resends a request whose reused connection closed without an answer, which for a create
  /// that the server had already committed means a second user or token.
  public var idempotent: Bool

  public init(
    method: String, path: String, headers: [(String, String)] = [], body: Data? = nil, idempotent: Bool = true
  ) {
    self.method = method
    self.path = path
    self.headers = headers
    self.body = body
    self.idempotent = idempotent
  }
}

public struct HTTPResponse: Sendable {
  public var status: Int
  /// Header names lowercased.
  public var headers: [String: String]
  public var body: Data

  public init(status: Int, headers: [String: String] = [:], body: Data = Data()) {
    self.status = status
    self.headers = headers
    self.body = body
  }

  public var text: String { String(decoding: body, as: UTF8.self) }
}

/// Why a request got no HTTP answer. `mayHaveArrived` is what decides whether a create may be retried
/// blindly: after a refused connection it may; after a timeout or a dropped reply it must re-read first.
public struct TransportError: Error, Sendable, CustomStringConvertible {
  public var message: String
  public var mayHaveArrived: Bool
  /// The same request would fail the same way (a response over the size cap): never retried.
  public var permanent: Bool

  public init(message: String, mayHaveArrived: Bool, permanent: Bool = false) {
    self.message = message
    self.mayHaveArrived = mayHaveArrived
    self.permanent = permanent
  }

  public var description: String { message }
}

/// Sends one HTTP request. The real one is `CurlTransport`; unit tests of the planner use a double.
public protocol HTTPTransport: Sendable {
  func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse
}
