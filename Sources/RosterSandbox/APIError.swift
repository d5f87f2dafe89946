/// An error answered in the server's AppError shape (server/public/model/utils.go): `id`, `message`,
/// `detailed_error` (blank, as with EnableDeveloper=false), `request_id`, `status_code`.
struct APIError: Error, Sendable {
  var status: Int
  var id: String
  var message: String

  init(_ status: Int, _ id: String, _ message: String) {
    self.status = status
    self.id = id
    self.message = message
  }

  func body(requestID: String) -> JSONValue {
    .object([
      ("id", .string(id)), ("message", .string(message)), ("detailed_error", .string("")),
      ("request_id", .string(requestID)), ("status_code", .int(Int64(status))),
    ])
  }

  // The errors the sandbox answers with, named as the server names them (see shared/mattermost-api.md §2).
  static func invalidBody(_ name: String) -> APIError {
    APIError(400, "api.context.invalid_body_param.app_error", "Invalid or missing \(name) in request body.")
  }
  static func invalidURL(_ name: String) -> APIError {
    APIError(400, "api.context.invalid_url_param.app_error", "Invalid or missing \(name) parameter in request URL.")
  }
  static let sessionExpired = APIError(
    401, "api.context.session_expired.app_error", "Invalid or expired session, please login again.")
  static func permissions(_ permission: String) -> APIError {
    APIError(403, "api.context.permissions.app_error", "You do not have the appropriate permissions. (\(permission))")
  }
  static let missingAccount = APIError(404, "app.user.missing_account.const", "Unable to find the user.")
  static let notFound = APIError(404, "api.context.404.app_error", "Sorry, we could not find the page.")
  static func invalidUser(_ field: String) -> APIError {
    APIError(400, "model.user.is_valid.\(field).app_error", "Invalid \(field).")
  }
  static let tokenNotFound = APIError(
    404, "app.user_access_token.get_by_user.app_error", "Unable to get user access token.")
}
