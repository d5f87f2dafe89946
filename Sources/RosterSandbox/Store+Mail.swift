import Foundation

/// A mail the sandbox would have sent; test-only, visible at `GET /sandbox/mail`.
struct SentMail: Sendable {
  var kind: String
  var to: String
  var userID: String
}

/// The password-recovery routes (server/channels/api4/user.go sendPasswordReset, app/user.go
/// SendPasswordReset).
extension SandboxStore {
  /// POST /users/password/reset/send: no session needed; the body is read as a map of strings and the
  /// address lowercased. An unknown address answers 200 so the route cannot tell who has an account;
  /// deactivated users are found too (store GetByEmail has no DeleteAt filter). Accounts with SSO auth
  /// data get 400 api.user.send_password_reset.sso.app_error, remote users 400 ...send.app_error.
  /// The server stores a password_recovery token valid 24 hours and mails the link; the sandbox records
  /// the mail instead.
  func sendPasswordReset(_ request: APIRequest) throws(APIError) -> APIResponse {
    let pairs = (try? bodyObject(request, name: "email")) ?? []
    let email = SandboxRules.goLower(pairs.first { $0.0 == "email" }?.1.stringValue ?? "")
    guard !email.isEmpty else { throw APIError.invalidBody("email") }
    guard let id = idByEmail[email], let user = users[id] else { return .statusOK }
    if !user.remoteID.isEmpty {
      throw APIError(400, "api.user.send_password_reset.send.app_error", "Failed to send password reset email.")
    }
    if !(user.authData ?? "").isEmpty {
      throw APIError(
        400, "api.user.send_password_reset.sso.app_error", "Cannot reset password for SSO accounts.")
    }
    outbox.append(SentMail(kind: "password_reset", to: email, userID: id))
    return .statusOK
  }

  /// Test-only: the mails sent so far, oldest first.
  func mailJSON() -> JSONValue {
    .array(
      outbox.map { mail in
        .object([("kind", .string(mail.kind)), ("to", .string(mail.to)), ("user_id", .string(mail.userID))])
      })
  }
}
