#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
import RosterCore

/// A failed call, in plain words, with what the server said (its error JSON: id, message, request id).
public struct APIFailure: Error, Sendable, CustomStringConvertible {
  public var method: String
  public var path: String
  /// 0 when no HTTP answer came back.
  public var status: Int
  public var id: String?
  public var message: String
  public var requestID: String?
  /// True when the request may have been applied although no answer arrived.
  public var ambiguous: Bool

  public var description: String {
    var text = "\(method) \(path): "
    if status == 0 {
      text += "no answer (\(message))"
    } else {
      text += "\(status) \(message)"
      if let id { text += " [\(id)]" }
      if let requestID { text += " (request id \(requestID))" }
    }
    return text
  }

  /// Whether a failed create may have been committed, so that the caller must re-read before trying
  /// again: no answer arrived, or a 5xx that is not one of the server's deterministic refusals. A 501
  /// (personal access tokens switched off, app.user_access_token.disabled) answers the same on every try.
  public var mayHaveApplied: Bool {
    if ambiguous { return true }
    return status >= 500 && status != 501
  }

  /// A failure as a server or transport would report it; for in-memory servers in tests and tools.
  public init(method: String, path: String, status: Int, id: String?, message: String, ambiguous: Bool) {
    self.init(method: method, path: path, status: status, message: message)
    self.id = id
    self.ambiguous = ambiguous
  }

  init(method: String, path: String, status: Int, message: String) {
    self.method = method
    self.path = path
    self.status = status
    self.message = message
    ambiguous = false
  }

  init(request: HTTPRequest, response: HTTPResponse) {
    method = request.method
    path = request.path
    status = response.status
    ambiguous = false
    // The server's AppError JSON (model/utils.go AppError); proxies answer plain text or HTML.
    struct AppErrorBody: Decodable {
      var id: String?
      var message: String?
      var request_id: String?
    }
    let body = try? APIJSON.decode(AppErrorBody.self, from: response.body)
    id = body?.id
    requestID = body?.request_id ?? response.headers["x-request-id"]
    let text = body?.message ?? response.text.trimmingBlanksAndNewlines()
    message = text.isEmpty ? HTTPStatus.phrase(response.status) : text
  }

  init(request: HTTPRequest, transport: TransportError) {
    method = request.method
    path = request.path
    status = 0
    message = transport.message
    ambiguous = transport.mayHaveArrived
  }
}

enum HTTPStatus {
  static func phrase(_ code: Int) -> String {
    switch code {
    case 400: return "Bad Request"
    case 401: return "Unauthorized (check the token)"
    case 403: return "Forbidden (the token lacks a permission)"
    case 404: return "Not Found"
    case 409: return "Conflict"
    case 429: return "Too Many Requests"
    case 500...599: return "Server Error"
    default: return "HTTP \(code)"
    }
  }
}
