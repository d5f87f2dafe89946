import Foundation

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
    let body = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any]
    id = body?["id"] as? String
    requestID = (body?["request_id"] as? String) ?? response.headers["x-request-id"]
    let text = (body?["message"] as? String) ?? response.text.trimmingCharacters(in: .whitespacesAndNewlines)
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
