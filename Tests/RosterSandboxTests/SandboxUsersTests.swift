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
}
