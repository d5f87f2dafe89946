import Foundation
import RosterClient
import RosterSandbox
import RosterTestSupport
import Testing

/// What a caller without manage_system reads: roles by name (api4/role.go getRolesByNames, any session;
/// model/role.go CleanRoleNames) and other users as PrivacySettings allow (model/user.go Sanitize,
/// app/users/utils.go GetSanitizeOptions; shared/mattermost-api.md §4).
@Suite(.serialized, .inProcessSandboxes) struct SandboxReadSightTests {
  let sandbox: InProcessSandbox

  init() async throws { sandbox = try await InProcessSandbox() }

  func ordinaryToken() async throws -> String {
    let made = try await sandbox.call(
      "POST", "/users", json: #"{"username":"reader","email":"reader@example.com","password":"password-1"}"#)
    #expect(made.status == 201)
    let login = try await sandbox.call(
      "POST", "/users/login", json: #"{"login_id":"reader","password":"password-1"}"#, token: "")
    return try #require(login.headers["token"])
  }

  @Test func rolesByNameAnswerAnySessionAndCheckNames() async throws {
    let token = try await ordinaryToken()
    let roles = try await sandbox.call("POST", "/roles/names", json: #"["system_user","nope"," "]"#, token: token)
    #expect(roles.status == 200)
    #expect(roles.array.map { $0["name"] as? String } == ["system_user"], "unknown names are left out")
    #expect((roles.array.first?["permissions"] as? [String])?.contains("view_members") == true)
    #expect(!((roles.array.first?["permissions"] as? [String])?.contains("manage_system") ?? true))
    let admin = try await sandbox.call("POST", "/roles/names", json: #"["system_admin"]"#, token: token)
    #expect((admin.array.first?["permissions"] as? [String])?.contains("manage_system") == true)
    let empty = try await sandbox.call("POST", "/roles/names", json: "[]", token: token)
    #expect(empty.status == 400 && empty.errorID == "api.context.invalid_body_param.app_error")
    let bad = try await sandbox.call("POST", "/roles/names", json: #"["System_User"]"#, token: token)
    #expect(bad.status == 400)
    let anonymous = try await sandbox.call("POST", "/roles/names", json: #"["system_user"]"#, token: "")
    #expect(anonymous.status == 401)
  }

  @Test func privacySettingsHideAddressesAndNamesFromOrdinaryCallers() async throws {
    let token = try await ordinaryToken()
    let patched = try await sandbox.call("GET", "/users/username/admin")
    let adminID = try #require(patched.object["id"] as? String)
    _ = try await sandbox.call("PUT", "/users/\(adminID)/patch", json: #"{"first_name":"Ada"}"#)
    func seen() async throws -> [String: Any] {
      try await sandbox.call("GET", "/users/\(adminID)", token: token).object
    }
    #expect(try await seen()["email"] as? String == "admin@sandbox.local")
    #expect(try await seen()["first_name"] as? String == "Ada")
    _ = try await sandbox.inspect("POST", "/settings", json: #"{"show_email_address":false,"show_full_name":false}"#)
    #expect(try await seen()["email"] as? String == "")
    #expect(try await seen()["first_name"] as? String == "")
    let listed = try await sandbox.call("GET", "/users?per_page=200", token: token).array
    #expect(listed.allSatisfy { ($0["email"] as? String) == "" }, "lists sanitise every row, the caller's own too")
    // The admin still sees everything; the caller sees itself whole.
    #expect(try await sandbox.call("GET", "/users/\(adminID)").object["email"] as? String == "admin@sandbox.local")
    #expect(try await sandbox.call("GET", "/users/me", token: token).object["email"] as? String == "reader@example.com")
  }
}
