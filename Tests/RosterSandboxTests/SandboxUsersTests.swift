import Foundation
import RosterClient
import RosterSandbox
import RosterTestSupport
import Testing

/// Each route of the sandbox over real HTTP, against the behaviour in shared/mattermost-api.md.
@Suite(.serialized, .inProcessSandboxes) struct SandboxUsersTests {
  let sandbox: InProcessSandbox

  init() async throws { sandbox = try await InProcessSandbox() }

  func create(_ username: String, email: String? = nil, password: String = "password-1") async throws -> [String: Any] {
    let response = try await sandbox.call(
      "POST", "/users",
      json: #"{"username":"\#(username)","email":"\#(email ?? username + "@example.com")","password":"\#(password)"}"#)
    #expect(response.status == 201, "\(response.text)")
    return response.object
  }

  /// A non-admin with a session from POST /users/login.
  func login(_ username: String, password: String = "password-1") async throws -> String {
    let response = try await sandbox.call(
      "POST", "/users/login", json: #"{"login_id":"\#(username)","password":"\#(password)"}"#, token: "")
    #expect(response.status == 200)  // api4/user.go login writes 200, not the 201 users.yaml documents
    return try #require(response.headers["token"])
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

  @Test func pingAndMe() async throws {
    let ping = try await sandbox.call("GET", "/system/ping", token: "")
    #expect(ping.status == 200 && ping.object["status"] as? String == "OK")
    let me = try await sandbox.call("GET", "/users/me")
    #expect(me.status == 200)
    #expect(me.object["username"] as? String == "admin")
    #expect(me.headers["x-request-id"]?.count == 26)
    #expect(me.object["notify_props"] != nil, "the self view keeps notify_props")
    #expect(me.object["password"] == nil)
  }

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

  @Test func permissionsSeparateAdminUserAndAnonymous() async throws {
    let bob = try await create("bob")
    let bobID = try #require(bob["id"] as? String)
    let session = try await login("bob")
    let anonymous = try await sandbox.call("GET", "/users", token: "")
    #expect(anonymous.status == 401 && anonymous.errorID == "api.context.session_expired.app_error")
    let bogus = try await sandbox.call("GET", "/users/me", token: "not-a-real-token")
    #expect(bogus.status == 401)
    let roles = try await sandbox.call(
      "PUT", "/users/\(bobID)/roles", json: #"{"roles":"system_user system_admin"}"#, token: session)
    #expect(roles.status == 403 && roles.errorID == "api.context.permissions.app_error")
    let create = try await sandbox.call(
      "POST", "/users", json: #"{"username":"x","email":"x@example.com","password":"password-1"}"#, token: session)
    #expect(create.status == 403 && create.errorID == "api.user.create_user.no_open_server")
    let admin = try #require(try await sandbox.call("GET", "/users/username/admin").object["id"] as? String)
    let deactivate = try await sandbox.call("PUT", "/users/\(admin)/active", json: #"{"active":false}"#, token: session)
    #expect(deactivate.status == 403 && deactivate.errorID == "api.user.update_active.permissions.app_error")
    let tokens = try await sandbox.call("GET", "/users/tokens", token: session)
    #expect(tokens.status == 403)
    // An ordinary user sees others without auth_service; an admin sees it.
    _ = try await sandbox.call(
      "POST", "/users", json: #"{"username":"ldapper","email":"ld@example.com","auth_service":"ldap","auth_data":"ld"}"#
    )
    let asUser = try await sandbox.call("GET", "/users/username/ldapper", token: session)
    #expect(asUser.object["auth_service"] as? String == "")
    #expect(asUser.object["notify_props"] == nil)
    let asAdmin = try await sandbox.call("GET", "/users/username/ldapper")
    #expect(asAdmin.object["auth_service"] as? String == "ldap")
    let ownPatch = try await sandbox.call("PUT", "/users/me/patch", json: #"{"nickname":"bobby"}"#, token: session)
    #expect(ownPatch.status == 200 && ownPatch.object["nickname"] as? String == "bobby")
  }

  @Test func lookupsByIdUsernameEmailAndLists() async throws {
    let carol = try await create("carol")
    let id = try #require(carol["id"] as? String)
    #expect(try await sandbox.call("GET", "/users/\(id)").object["username"] as? String == "carol")
    #expect(
      try await sandbox.call("GET", "/users/abcdefghijklmnopqrstuvwxyz").errorID == "app.user.missing_account.const")
    #expect(try await sandbox.call("GET", "/users/short").errorID == "api.context.invalid_url_param.app_error")
    let upper = try await sandbox.call("GET", "/users/username/Carol")
    #expect(upper.status == 400 && upper.errorID == "api.context.invalid_body_param.app_error")
    let missing = try await sandbox.call("GET", "/users/username/nobody")
    #expect(missing.status == 404 && missing.errorID == "app.user.get_by_username.app_error")
    #expect(try await sandbox.call("GET", "/users/email/CAROL@example.com").object["id"] as? String == id)
    let byNames = try await sandbox.call("POST", "/users/usernames", json: #"["carol","Carol","ghost"]"#)
    #expect(byNames.array.map { $0["username"] as? String } == ["carol"], "exact and case-sensitive")
    let byIDs = try await sandbox.call("POST", "/users/ids", json: #"["\#(id)","\#(id)","abcdefghijklmnopqrstuvwxyz"]"#)
    #expect(byIDs.array.count == 1)
    #expect(try await sandbox.call("POST", "/users/ids", json: "[]").status == 400)
    let unknownRoute = try await sandbox.call("GET", "/nothing/here")
    #expect(unknownRoute.status == 404 && unknownRoute.errorID == "api.context.404.app_error")
  }

  @Test func pagingIsUsernameOrderedClampedAndEmptyPastTheEnd() async throws {
    for i in 0..<7 { _ = try await create(String(format: "user%02d", 6 - i)) }
    let first = try await sandbox.call("GET", "/users?page=0&per_page=3")
    #expect(first.array.map { $0["username"] as? String } == ["admin", "user00", "user01"])
    let last = try await sandbox.call("GET", "/users?page=2&per_page=3")
    #expect(last.array.map { $0["username"] as? String } == ["user05", "user06"])
    #expect(try await sandbox.call("GET", "/users?page=9&per_page=3").array.isEmpty)
    #expect(try await sandbox.call("GET", "/users?per_page=0").array.isEmpty)
    #expect(try await sandbox.call("GET", "/users?per_page=100000").array.count == 8, "clamped to 200, not refused")
    #expect(try await sandbox.call("GET", "/users?page=-4&per_page=2").array.count == 2, "a negative page is page 0")
    #expect(try await sandbox.call("GET", "/users?sort=bogus").status == 400)
  }

  @Test func patchRulesAndUpdateAtBumps() async throws {
    let dave = try await create("dave")
    let id = try #require(dave["id"] as? String)
    let before = try #require(dave["update_at"] as? Int)
    let patched = try await sandbox.call(
      "PUT", "/users/\(id)/patch", json: #"{"first_name":"Dave","email":"DAVE2@example.com","roles":"system_admin"}"#)
    #expect(patched.status == 200)
    #expect(patched.object["email"] as? String == "dave2@example.com")
    #expect(patched.object["roles"] as? String == "system_user", "roles cannot change through patch")
    #expect((patched.object["update_at"] as? Int ?? 0) > before)
    let unknown = try await sandbox.call("PUT", "/users/abcdefghijklmnopqrstuvwxyz/patch", json: #"{"nickname":"x"}"#)
    #expect(unknown.status == 400 && unknown.errorID == "api.context.invalid_body_param.app_error")
    let long = try await sandbox.call(
      "PUT", "/users/\(id)/patch", json: #"{"position":"\#(String(repeating: "p", count: 129))"}"#)
    #expect(long.errorID == "model.user.is_valid.position.app_error")
    _ = try await sandbox.call(
      "POST", "/users", json: #"{"username":"oauth","email":"o@example.com","auth_service":"gitlab","auth_data":"o"}"#)
    let oauthID = try #require(try await sandbox.call("GET", "/users/username/oauth").object["id"] as? String)
    let rename = try await sandbox.call("PUT", "/users/\(oauthID)/patch", json: #"{"username":"renamed"}"#)
    #expect(rename.status == 409 && rename.errorID == "api.user.patch_user.login_provider_attribute_set.app_error")
    let email = try await sandbox.call("PUT", "/users/\(oauthID)/patch", json: #"{"email":"new@example.com"}"#)
    #expect(
      email.status == 200 && email.object["email"] as? String == "o@example.com", "OAuth email changes are dropped")
  }

  @Test func fullUpdateClearsOmittedFields() async throws {
    let hank = try await create("hank")
    let id = try #require(hank["id"] as? String)
    _ = try await sandbox.call("PUT", "/users/\(id)/patch", json: #"{"nickname":"h","position":"Boss"}"#)
    let mismatch = try await sandbox.call(
      "PUT", "/users/\(id)", json: #"{"id":"abcdefghijklmnopqrstuvwxyz","username":"hank","email":"hank@example.com"}"#)
    #expect(mismatch.status == 400, "the body id must match the URL")
    let updated = try await sandbox.call(
      "PUT", "/users/\(id)", json: #"{"id":"\#(id)","username":"hank","email":"hank@example.com","first_name":"Hank"}"#)
    #expect(updated.status == 200)
    #expect(updated.object["first_name"] as? String == "Hank")
    #expect(
      updated.object["nickname"] as? String == "" && updated.object["position"] as? String == "",
      "omitted fields are cleared")
    #expect(
      try await sandbox.call("PUT", "/users/abcdefghijklmnopqrstuvwxyz", json: #"{"id":"abcdefghijklmnopqrstuvwxyz"}"#)
        .status == 404)
  }

  @Test func filteredStatsCountsWhatItIsAskedTo() async throws {
    let ivy = try await create("ivy")
    let session = try await login("ivy")
    #expect(try await sandbox.call("GET", "/users/stats/filtered", token: session).status == 403, "manage_system only")
    _ = try await sandbox.call("PUT", "/users/\(ivy["id"] as? String ?? "")/active", json: #"{"active":false}"#)
    let active = try await sandbox.call("GET", "/users/stats/filtered")
    let all = try await sandbox.call("GET", "/users/stats/filtered?include_deleted=true&include_bots=true")
    #expect(active.object["total_users_count"] as? Int == 1)
    #expect(all.object["total_users_count"] as? Int == 2)
    #expect(
      try await sandbox.call("GET", "/users/stats/filtered", token: session).status == 401,
      "deactivation ended the session")
  }

  @Test func rolesChecksInTheHandlersOrder() async throws {
    let erin = try await create("erin")
    let id = try #require(erin["id"] as? String)
    let cases: [(String, String)] = [
      (#"{"roles":"system_admin"}"#, "api.context.invalid_body_param.app_error"),
      (#"{"roles":"System_User"}"#, "api.context.invalid_body_param.app_error"),
      (#"{"roles":"system_user system_manager"}"#, "api.user.update_user_roles.license.app_error"),
      (#"{"roles":"system_user made_up_role"}"#, "app.role.check_roles_exist.role_not_found"),
    ]
    for (body, expected) in cases {
      let response = try await sandbox.call("PUT", "/users/\(id)/roles", json: body)
      #expect(response.status == 400 && response.errorID == expected, "\(body)")
    }
    let ok = try await sandbox.call("PUT", "/users/\(id)/roles", json: #"{"roles":"system_admin  system_user"}"#)
    #expect(ok.status == 200 && ok.object["status"] as? String == "OK")
    #expect(
      try await sandbox.call("GET", "/users/\(id)").object["roles"] as? String == "system_admin  system_user",
      "stored verbatim")
    let cleared = try await sandbox.call("PUT", "/users/\(id)/roles", json: #"{"roles":7}"#)
    #expect(cleared.status == 200)
    #expect(try await sandbox.call("GET", "/users/\(id)").object["roles"] as? String == "", "a non-string clears roles")
    let admin = try #require(try await sandbox.call("GET", "/users/me").object["id"] as? String)
    let lastAdmin = try await sandbox.call("PUT", "/users/\(admin)/roles", json: #"{"roles":"system_user"}"#)
    #expect(lastAdmin.status == 400 && lastAdmin.errorID == "app.user.update.lastAdmin.app_error")
  }

  @Test func deactivationKillsSessionsKeepsTokensAndMovesDeleteAt() async throws {
    let frank = try await create("frank")
    let id = try #require(frank["id"] as? String)
    let session = try await login("frank")
    let token = try await sandbox.call("POST", "/users/\(id)/tokens", json: #"{"description":"laptop"}"#)
    let secret = try #require(token.object["token"] as? String)
    #expect(try await sandbox.call("PUT", "/users/\(id)/active", json: #"{"active":false}"#).status == 200)
    let first = try #require(try await sandbox.call("GET", "/users/\(id)").object["delete_at"] as? Int)
    #expect(first > 0)
    #expect(try await sandbox.call("GET", "/users/me", token: session).status == 401)
    #expect(try await sandbox.call("GET", "/users/me", token: secret).status == 401)
    let listed = try await sandbox.call("GET", "/users?per_page=200").array.contains {
      $0["username"] as? String == "frank"
    }
    #expect(listed, "deactivated users stay in GET /users")
    #expect(try await sandbox.call("PUT", "/users/\(id)/active", json: #"{"active":false}"#).status == 200)
    let second = try #require(try await sandbox.call("GET", "/users/\(id)").object["delete_at"] as? Int)
    #expect(second > first, "repeating a deactivation moves delete_at")
    #expect(try await sandbox.call("PUT", "/users/\(id)/active", json: #"{"active":"no"}"#).status == 400)
    #expect(try await sandbox.call("PUT", "/users/\(id)/active", json: #"{"active":true}"#).status == 200)
    #expect(
      try await sandbox.call("GET", "/users/me", token: secret).status == 200, "tokens work again after reactivation")
    let me = try #require(try await sandbox.call("GET", "/users/me").object["id"] as? String)
    let selfDeactivate = try await sandbox.call("PUT", "/users/\(me)/active", json: #"{"active":false}"#)
    #expect(selfDeactivate.status == 401 && selfDeactivate.errorID == "api.user.update_active.not_enable.app_error")
    let permanent = try await sandbox.call("DELETE", "/users/\(id)?permanent=true")
    #expect(permanent.status == 401 && permanent.errorID == "api.user.delete_user.not_enabled.app_error")
    #expect(try await sandbox.call("DELETE", "/users/\(id)").status == 200)
    #expect((try await sandbox.call("GET", "/users/\(id)").object["delete_at"] as? Int ?? 0) > 0)
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
}
