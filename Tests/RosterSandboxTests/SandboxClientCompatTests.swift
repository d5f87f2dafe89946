import Foundation
import RosterClient
import RosterSandbox
import RosterTestSupport
import Testing

/// What clients written elsewhere (Python's mattermostdriver, the `mattermost` bindings, the client
/// generated from the OpenAPI description) send and expect, checked against the server's rules.
@Suite(.serialized, .inProcessSandboxes) struct SandboxClientCompatTests {
  let sandbox: InProcessSandbox

  init() async throws { sandbox = try await InProcessSandbox() }

  func create(_ username: String) async throws -> String {
    let response = try await sandbox.call(
      "POST", "/users", json: #"{"username":"\#(username)","email":"\#(username)@example.com","password":"password-1"}"#
    )
    #expect(response.status == 201, "\(response.text)")
    return try #require(response.object["id"] as? String)
  }

  func names(_ path: String) async throws -> [String] {
    try await sandbox.call("GET", path).array.compactMap { $0["username"] as? String }
  }

  func get(_ path: String, ifNoneMatch: String) async throws -> HTTPResponse {
    try await sandbox.transport.send(
      HTTPRequest(
        method: "GET", path: "/api/v4" + path,
        headers: [("Authorization", "Bearer \(sandbox.adminToken)"), ("If-None-Match", ifNoneMatch)]))
  }

  /// api4/user.go getUsers reads active/inactive with strconv.ParseBool, errors ignored: Python's "True"
  /// and "1" are true, "yes" is not.
  @Test func userListFlagsParseLikeStrconvParseBool() async throws {
    let gone = try await create("gone")
    _ = try await create("kept")
    #expect(try await sandbox.call("DELETE", "/users/\(gone)").status == 200)
    for spelling in ["True", "1", "t", "TRUE"] {
      #expect(try await names("/users?inactive=\(spelling)") == ["gone"], "inactive=\(spelling)")
    }
    #expect(try await names("/users?active=True").contains("gone") == false)
    #expect(try await names("/users?inactive=yes").contains("kept"), "an unparsable flag is false")
    #expect(try await names("/users?inactive=False").contains("kept"))
  }

  /// api4/user.go getTotalUsersStats, app/user.go GetTotalUsersStats: any session; active users with
  /// bots, deactivated (and remote) users left out.
  @Test func totalStatsCountActiveUsersAndBots() async throws {
    let sandbox = try await InProcessSandbox {
      var bot = SeedUser(username: "helper")
      bot.is_bot = true
      var remote = SeedUser(username: "faraway")
      remote.remote_id = "cluster1"
      var old = SeedUser(username: "old")
      old.active = false
      $0.seed = SandboxSeed(users: SandboxSeed.minimal.users + [bot, remote, old])
    }
    let stats = try await sandbox.call("GET", "/users/stats")
    #expect(stats.status == 200 && stats.object["total_users_count"] as? Int == 2, "\(stats.text)")
    #expect(try await sandbox.call("GET", "/users/stats", token: "").status == 401)
  }

  /// api4/user.go getUsers: sort takes five values, each only with its membership filter.
  @Test func sortIsCheckedAgainstItsFilter() async throws {
    let team = "abcdefghijklmnopqrstuvwxyz"
    let accepted = [
      "sort=create_at&in_team=\(team)", "sort=last_activity_at&in_team=\(team)", "sort=status&in_channel=\(team)",
      "sort=admin&in_channel=\(team)&in_team=\(team)", "sort=display_name&in_group=\(team)",
    ]
    for query in accepted {
      let response = try await sandbox.call("GET", "/users?\(query)")
      #expect(response.status == 200 && response.array.isEmpty, "\(query): \(response.text)")
    }
    let refused = [
      "sort=create_at", "sort=create_at&in_team=\(team)&in_channel=\(team)", "sort=status",
      "sort=admin&in_team=\(team)",
      "sort=display_name&in_group=\(team)&in_team=\(team)", "sort=username&in_team=\(team)",
    ]
    for query in refused {
      let response = try await sandbox.call("GET", "/users?\(query)")
      #expect(response.status == 400 && response.errorID == "api.context.invalid_url_param.app_error", "\(query)")
    }
    let noTeam = try await sandbox.call("GET", "/users?not_in_channel=\(team)")
    #expect(noTeam.status == 400 && noTeam.errorID == "api.context.invalid_url_param.app_error")
    let role = try await sandbox.call("GET", "/users?role=nobody")
    #expect(role.status == 400 && role.errorID == "api.context.invalid_body_param.app_error", "c.SetInvalidParam")
  }

  /// api4/user.go patchUser decodes into a model.UserPatch value: `null` decodes to an empty patch.
  @Test func nullPatchIsAnEmptyPatch() async throws {
    let id = try await create("nell")
    _ = try await sandbox.call("PUT", "/users/\(id)/patch", json: #"{"first_name":"Nell"}"#)
    let response = try await sandbox.call("PUT", "/users/\(id)/patch", json: "null")
    #expect(response.status == 200, "\(response.text)")
    #expect(response.object["first_name"] as? String == "Nell" && response.object["username"] as? String == "nell")
    #expect(try await sandbox.call("PUT", "/users/\(id)/patch", json: "[]").status == 400)
  }

  /// app/user.go sanitizeProfiles: lists profile-sanitise every entry, the caller's own included, while
  /// GET /users/me keeps notify_props and last_password_update.
  @Test func listsSanitiseTheCallersOwnEntry() async throws {
    let me = try await sandbox.call("GET", "/users/me").object
    #expect(me["notify_props"] != nil && me["last_password_update"] != nil)
    let myID = try #require(me["id"] as? String)
    let listed = try await sandbox.call("GET", "/users").array.first { $0["id"] as? String == myID }
    let byID = try await sandbox.call("POST", "/users/ids", json: #"["\#(myID)"]"#).array.first
    let byName = try await sandbox.call("POST", "/users/usernames", json: #"["admin"]"#).array.first
    for entry in [listed, byID, byName] {
      #expect(entry != nil)
      #expect(entry?["notify_props"] == nil && entry?["last_password_update"] == nil)
      #expect(entry?["email"] as? String == "admin@sandbox.local", "an admin still sees emails")
    }
  }

  /// api4/user.go getUser, getUserByUsername, getUserByEmail (also /users/me): ETag from model/user.go
  /// Etag; a matching If-None-Match is answered 304 without a body (web/context.go HandleEtag).
  @Test func userReadsCarryETagsAndAnswer304() async throws {
    let id = try await create("etta")
    for path in ["/users/me", "/users/\(id)", "/users/username/etta", "/users/email/etta@example.com"] {
      let first = try await sandbox.call("GET", path)
      let tag = try #require(first.headers["etag"], "\(path) has no ETag")
      #expect(tag.hasPrefix("10.5.0.") && tag.hasSuffix(".true.true.0"), "\(tag)")
      let again = try await get(path, ifNoneMatch: tag)
      #expect(again.status == 304 && again.body.isEmpty && again.headers["etag"] == tag, "\(path)")
      #expect(try await get(path, ifNoneMatch: "other").status == 200)
    }
    let before = try #require(try await sandbox.call("GET", "/users/\(id)").headers["etag"])
    _ = try await sandbox.call("PUT", "/users/\(id)/patch", json: #"{"nickname":"E"}"#)
    #expect(try await get("/users/\(id)", ifNoneMatch: before).status == 200, "update_at is part of the ETag")
  }

  /// api4/user.go getUsersByIds: `since` must parse as an integer (SetInvalidParamWithErr), and the body
  /// must decode as []string.
  @Test func usersByIDsChecksSinceAndTheBody() async throws {
    let id = try await create("ida")
    let bad = try await sandbox.call("POST", "/users/ids?since=abc", json: #"["\#(id)"]"#)
    #expect(bad.status == 400 && bad.errorID == "api.context.invalid_body_param.app_error")
    #expect(try await sandbox.call("POST", "/users/ids?since=-5", json: #"["\#(id)"]"#).array.count == 1)
    #expect(try await sandbox.call("POST", "/users/ids", json: #"["\#(id)", 5]"#).status == 400)
    #expect(try await sandbox.call("POST", "/users/usernames", json: #"["ida", {}]"#).status == 400)
  }

  /// config/client.go: ShowEmailAddress and ShowFullName for a session, SiteURL (default "") and
  /// EnableBotAccountCreation for anyone, all strings.
  @Test func clientConfigurationCarriesPrivacyAndSiteURL() async throws {
    let full = try await sandbox.call("GET", "/config/client?format=old").object
    #expect(full["ShowEmailAddress"] as? String == "true" && full["ShowFullName"] as? String == "true")
    #expect(full["SiteURL"] as? String == "" && full["EnableBotAccountCreation"] as? String == "false")
    let limited = try await sandbox.call("GET", "/config/client?format=old", token: "").object
    #expect(limited["SiteURL"] as? String == "" && limited["ShowEmailAddress"] == nil)
  }
}
