import Foundation
import RosterClient
import RosterSandbox
import RosterTestSupport
import Testing

/// Creating users: normalisation, validation errors with the server's ids, the password policy, reset mail.
extension SandboxUsersTests {
  @Test func createNormalisesIgnoresRolesAndSanitises() async throws {
    let response = try await sandbox.call(
      "POST", "/users",
      json:
        #"{"username":"Mixed.Case","email":" Mixed@Example.COM ","password":"password-1","roles":"system_admin system_user","locale":"xx"}"#
    )
    #expect(response.status == 201)
    let user = response.object
    #expect(user["username"] as? String == "mixed.case")
    #expect(user["email"] as? String == "mixed@example.com")
    #expect(user["roles"] as? String == "system_user", "roles in the body are ignored on create")
    #expect(user["locale"] as? String == "en", "an unsupported locale becomes the default")
    #expect(user["auth_data"] as? String == "")
    #expect(user["delete_at"] as? Int == 0)
    #expect(user["password"] == nil)
  }

  @Test func createValidationErrorsCarryTheServersIds() async throws {
    _ = try await create("taken")
    let cases: [(String, Int, String)] = [
      (
        #"{"username":"taken","email":"other@example.com","password":"password-1"}"#, 400,
        "app.user.save.username_exists.app_error"
      ),
      (
        #"{"username":"fresh","email":"taken@example.com","password":"password-1"}"#, 400,
        "app.user.save.email_exists.app_error"
      ),
      (
        #"{"username":"bad name","email":"b@example.com","password":"password-1"}"#, 400,
        "model.user.is_valid.username.app_error"
      ),
      (
        #"{"username":"channel","email":"c@example.com","password":"password-1"}"#, 400,
        "model.user.is_valid.username.app_error"
      ),
      (#"{"username":"noemail","email":"nope","password":"password-1"}"#, 400, "model.user.is_valid.email.app_error"),
      (
        #"{"username":"shortpw","email":"s@example.com","password":"short"}"#, 400,
        "model.user.is_valid.pwd_min_length.app_error"
      ),
      (#"{"username":"nopw","email":"n@example.com"}"#, 400, "model.user.is_valid.pwd_min_length.app_error"),
      (
        #"{"id":"abcdefghijklmnopqrstuvwxyz","username":"withid","email":"w@example.com","password":"password-1"}"#,
        400, "app.user.save.existing.app_error"
      ),
      (
        #"{"username":"sso","email":"sso@example.com","auth_data":"sso"}"#, 400,
        "model.user.is_valid.pwd_min_length.app_error"
      ),
      (
        #"{"username":"ldapuser","email":"l@example.com","auth_service":"ldap","auth_data":"l","password":"password-1"}"#,
        400, "model.user.is_valid.auth_data_pwd.app_error"
      ),
      (#"{"username":42}"#, 400, "api.context.invalid_body_param.app_error"),
      ("not json", 400, "api.context.invalid_body_param.app_error"),
    ]
    for (body, status, id) in cases {
      let response = try await sandbox.call("POST", "/users", json: body)
      #expect(response.status == status, "\(body)")
      #expect(response.errorID == id, "\(body): \(response.text)")
      #expect(response.object["status_code"] as? Int == status)
    }
    let sso = try await sandbox.call(
      "POST", "/users",
      json: #"{"username":"ssook","email":"ssook@example.com","auth_service":"ldap","auth_data":"ssook"}"#)
    #expect(sso.status == 201, "SSO accounts are created without a password")
    #expect(sso.object["auth_service"] as? String == "ldap")
  }

  /// shared/mattermost-api.md §13 (app/users/password.go IsPasswordValidWithSettings, newer servers): the
  /// policy comes from the seed, is published in the client configuration, and is enforced on create.
  @Test func thePasswordPolicyFromTheSeedIsPublishedAndEnforced() async throws {
    let sandbox = try await InProcessSandbox {
      $0.seed.settings = SeedSettings(
        password_minimum_length: 10, password_require_lowercase: true, password_require_number: true)
    }
    let config = try await sandbox.call("GET", "/config/client?format=old", token: "").object
    #expect(config["PasswordMinimumLength"] as? String == "10")
    #expect(
      config["PasswordRequireLowercase"] as? String == "true"
        && config["PasswordRequireUppercase"] as? String == "false")
    let cases: [(String, String?)] = [
      ("short1a", "model.user.is_valid.pwd_min_length.app_error"),
      ("onlylettersxx", "model.user.is_valid.pwd_lowercase_number.app_error"),
      ("lettersand123", nil),
    ]
    for (index, (password, id)) in cases.enumerated() {
      let response = try await sandbox.call(
        "POST", "/users", json: #"{"username":"p\#(index)","email":"p\#(index)@example.com","password":"\#(password)"}"#
      )
      if let id {
        #expect(response.status == 400 && response.errorID == id, "\(password): \(response.text)")
      } else {
        #expect(response.status == 201, "\(password): \(response.text)")
      }
    }
  }

  /// api4/user.go sendPasswordReset, app/user.go SendPasswordReset: no session, lowercased address, 200
  /// for unknown and deactivated users alike, 400 for SSO accounts and a missing address.
  @Test func passwordResetMailsOnlyPasswordAccounts() async throws {
    let nina = try await create("nina")
    let ninaID = try #require(nina["id"] as? String)
    _ = try await sandbox.call("DELETE", "/users/\(ninaID)")
    let reset = try await sandbox.call(
      "POST", "/users/password/reset/send", json: #"{"email":"NINA@example.com"}"#, token: "")
    #expect(reset.status == 200 && reset.object["status"] as? String == "OK")
    let unknown = try await sandbox.call(
      "POST", "/users/password/reset/send", json: #"{"email":"nobody@example.com"}"#, token: "")
    #expect(unknown.status == 200, "the route does not tell who has an account")
    let missing = try await sandbox.call("POST", "/users/password/reset/send", json: #"{"email":5}"#, token: "")
    #expect(missing.status == 400 && missing.errorID == "api.context.invalid_body_param.app_error")
    _ = try await sandbox.call(
      "POST", "/users",
      json: #"{"username":"sso","email":"sso@example.com","auth_service":"saml","auth_data":"sso-id"}"#)
    let sso = try await sandbox.call(
      "POST", "/users/password/reset/send", json: #"{"email":"sso@example.com"}"#, token: "")
    #expect(sso.status == 400 && sso.errorID == "api.user.send_password_reset.sso.app_error")
    let mail = try await sandbox.inspect("GET", "/mail") as? [[String: Any]] ?? []
    #expect(mail.map { $0["to"] as? String } == ["nina@example.com"])
    #expect(mail.first?["user_id"] as? String == ninaID)
  }
}
