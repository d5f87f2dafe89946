import Foundation
import RosterClient
import RosterSandbox
import RosterTestSupport
import Testing

/// Changing users: patch, full update, roles, and deactivation with its sessions and tokens.
extension SandboxUsersTests {
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
}
