import Foundation
import RosterClient
import RosterSandbox
import RosterTestSupport
import Testing

/// Team reads and team membership writes over real HTTP, against shared/design/memberships-server.md.
@Suite(.serialized, .inProcessSandboxes) struct SandboxTeamsTests {
  typealias F = MembershipFixture
  let sandbox: InProcessSandbox

  init() async throws { sandbox = try await F.sandbox() }

  func addTeam(_ team: String, _ user: String, token: String? = nil) async throws -> HTTPResponse {
    try await sandbox.call(
      "POST", "/teams/\(F.id(team))/members", json: #"{"team_id":"\#(F.id(team))","user_id":"\#(F.id(user))"}"#,
      token: token)
  }

  func channelsOf(_ user: String, in team: String = "eng") async throws -> [String] {
    let r = try await sandbox.call("GET", "/users/\(F.id(user))/teams/\(F.id(team))/channels/members")
    return F.ids(r.array, "channel_id").sorted()
  }

  /// Rule 1 (per_page clamped to 200, default 60) and the include_total_count wrapper, on 250 teams.
  @Test func listTeamsClampsPagesAndWrapsCounts() async throws {
    let sandbox = try await InProcessSandbox {
      var seed = SandboxSeed(users: SandboxSeed.minimal.users)
      seed.generate = SeedGenerate(teams: 250)
      $0.seed = seed
    }
    #expect(try await sandbox.call("GET", "/teams?per_page=1000").array.count == 200)
    #expect(try await sandbox.call("GET", "/teams").array.count == 60)
    let last = try await sandbox.call("GET", "/teams?page=1&per_page=200&include_total_count=true").object
    #expect((last["teams"] as? [[String: Any]])?.count == 50)
    #expect(last["total_count"] as? Int == 250)
  }

  @Test func teamByNameIsLowercasedAndSanitisedForUsers() async throws {
    let eng = try await sandbox.call("GET", "/teams/name/ENG")
    #expect(eng.status == 200 && eng.object["id"] as? String == F.id("eng"))
    #expect(eng.object["type"] as? String == "O" && eng.object["allow_open_invite"] as? Bool == true)
    #expect(eng.object["group_constrained"] is NSNull, "a pointer the seed left unset is null")
    let missing = try await sandbox.call("GET", "/teams/name/nope")
    #expect(missing.status == 404 && missing.errorID == "app.team.get_by_name.missing.app_error")
    let bob = try await F.login(sandbox, "bob")
    let asBob = try await sandbox.call("GET", "/teams/name/eng", token: bob).object
    #expect(asBob["invite_id"] as? String == "", "invite_id is blanked without manage_team")
    #expect(try await sandbox.call("GET", "/teams/name/ops", token: bob).status == 403)
    let listed = F.ids(try await sandbox.call("GET", "/teams", token: bob).array, "name")
    #expect(Set(listed) == ["eng", "dom"], "list_public_teams alone: open teams only")
  }

  /// Rule 2: the per-team list hides left rows and is ordered by user id; the per-user one shows them.
  @Test func leftMembershipsAreRowsTheUserListStillShows() async throws {
    #expect(try await sandbox.call("DELETE", "/teams/\(F.id("eng"))/members/\(F.id("bob"))").status == 200)
    let members = try await sandbox.call("GET", "/teams/\(F.id("eng"))/members").array
    #expect(F.ids(members) == [F.id("alice")])
    let rows = try await sandbox.call("GET", "/users/\(F.id("bob"))/teams/members").array
    #expect(rows.count == 1 && (rows.first?["delete_at"] as? Int ?? 0) > 0)
    let byIDs = try await sandbox.call(
      "POST", "/teams/\(F.id("eng"))/members/ids", json: #"["\#(F.id("bob"))","\#(F.id("alice"))"]"#)
    #expect(F.ids(byIDs.array) == [F.id("alice")], "members/ids returns active rows only")
    #expect(try await sandbox.call("POST", "/teams/\(F.id("eng"))/members/ids", json: "[]").status == 400)
  }

  /// Rules 4, 5, 15: an add is idempotent; re-activation resets roles and restores only the default
  /// channels; joins post in the default channels only with the join/leave messages on.
  @Test func addIsIdempotentAndReactivationResetsRoles() async throws {
    let again = try await addTeam("eng", "alice")
    #expect(again.status == 201 && again.object["scheme_admin"] as? Bool == true, "an active member comes back as-is")
    #expect(try await F.posts(sandbox).total == 0, "no churn for an existing member")
    #expect(try await sandbox.call("DELETE", "/teams/\(F.id("eng"))/members/\(F.id("alice"))").status == 200)
    let back = try await addTeam("eng", "alice")
    #expect(back.status == 201)
    #expect(back.object["scheme_admin"] as? Bool == false && back.object["delete_at"] as? Int == 0)
    #expect(back.object["roles"] as? String == "team_user")
    let square = try await F.channelID(sandbox, "eng", "town-square")
    let offTopic = try await F.channelID(sandbox, "eng", "off-topic")
    #expect(try await channelsOf("alice") == [offTopic, square].sorted(), "dev, secret and old are not restored")
    #expect(try await F.posts(sandbox).types == ["system_remove_from_team", "system_join_team", "system_join_channel"])
  }

  @Test func guestsJoinNoDefaultChannels() async throws {
    let gina = try await addTeam("eng", "gina")
    #expect(
      gina.status == 201 && gina.object["scheme_guest"] as? Bool == true && gina.object["scheme_user"] as? Bool == false
    )
    #expect(try await channelsOf("gina").isEmpty)
    #expect(try await addTeam("eng", "dan").status == 201)
    #expect(try await channelsOf("dan").count == 2)
  }

  /// Rule 10: the batch is 1–256; without graceful it stops at the first failure after earlier adds.
  @Test func batchLimitsAndPartialFailure() async throws {
    let url = "/teams/\(F.id("eng"))/members/batch"
    #expect(try await sandbox.call("POST", url, json: "[]").status == 400)
    let many = (0..<257).map { _ in #"{"team_id":"\#(F.id("eng"))","user_id":"\#(F.id("dan"))"}"# }
    #expect(try await sandbox.call("POST", url, json: "[" + many.joined(separator: ",") + "]").status == 400)
    let body = ["dan", "nobody", "erin"].map { #"{"team_id":"\#(F.id("eng"))","user_id":"\#(F.id($0))"}"# }
    let strict = try await sandbox.call("POST", url, json: "[" + body.joined(separator: ",") + "]")
    #expect(strict.status == 404 && strict.errorID == "app.user.missing_account.const")
    let members = F.ids(try await sandbox.call("GET", "/teams/\(F.id("eng"))/members").array)
    #expect(members.contains(F.id("dan")) && !members.contains(F.id("erin")), "stopped after dan, before erin")
    let graceful = try await sandbox.call("POST", url + "?graceful=true", json: "[" + body.joined(separator: ",") + "]")
    #expect(graceful.status == 201)
    #expect(F.ids(graceful.array) == [F.id("dan"), F.id("nobody"), F.id("erin")])
    #expect((graceful.array[1]["error"] as? [String: Any])?["id"] as? String == "app.user.missing_account.const")
    #expect((graceful.array[2]["member"] as? [String: Any])?["user_id"] as? String == F.id("erin"))
  }

  /// Rule 9: group-constrained teams refuse adds (whole batch) and removals of others.
  @Test func groupConstrainedTeamRefusesChanges() async throws {
    let add = try await addTeam("gc", "bob")
    #expect(add.status == 400 && add.errorID == "api.team.add_members.user_denied")
    let batch = try await sandbox.call(
      "POST", "/teams/\(F.id("gc"))/members/batch?graceful=true",
      json: #"[{"team_id":"\#(F.id("gc"))","user_id":"\#(F.id("bob"))"}]"#)
    #expect(batch.status == 400 && batch.errorID == "api.team.add_members.user_denied")
    let remove = try await sandbox.call("DELETE", "/teams/\(F.id("gc"))/members/\(F.id("alice"))")
    #expect(remove.status == 400 && remove.errorID == "api.team.remove_member.group_constrained.app_error")
  }

  /// Rules 4 and 15: removal cascades to every channel of the team, private and archived included,
  /// posting once in town-square; never-member 400; a repeat still answers 200.
  @Test func removalCascadesQuietly() async throws {
    #expect(try await channelsOf("alice").count == 6)
    #expect(try await sandbox.call("DELETE", "/teams/\(F.id("eng"))/members/\(F.id("alice"))").status == 200)
    #expect(try await channelsOf("alice").isEmpty)
    #expect(try await F.posts(sandbox).types == ["system_remove_from_team"])
    let never = try await sandbox.call("DELETE", "/teams/\(F.id("eng"))/members/\(F.id("carol"))")
    #expect(never.status == 400 && never.errorID == "api.team.remove_user_from_team.missing.app_error")
    #expect(try await sandbox.call("DELETE", "/teams/\(F.id("eng"))/members/\(F.id("alice"))").status == 200)
  }

  @Test func leaveMessagesFollowTheSetting() async throws {
    var settings = SeedSettings()
    settings.enable_default_channel_leave_join_messages = false
    let quiet = try await F.sandbox(settings)
    #expect(try await quiet.call("DELETE", "/teams/\(F.id("eng"))/members/\(F.id("bob"))").status == 200)
    _ = try await quiet.call(
      "POST", "/teams/\(F.id("eng"))/members", json: #"{"team_id":"\#(F.id("eng"))","user_id":"\#(F.id("bob"))"}"#)
    #expect(try await F.posts(quiet).total == 0)
  }

  /// Rule 16: scheme roles are set as sent; user and guest together 400; no member 404.
  @Test func schemeRolesSetAllThreeFlags() async throws {
    let url = "/teams/\(F.id("eng"))/members/\(F.id("bob"))/schemeRoles"
    let ok = try await sandbox.call("PUT", url, json: #"{"scheme_admin":true,"scheme_user":true,"scheme_guest":false}"#)
    #expect(ok.status == 200 && ok.object["status"] as? String == "OK")
    let bob = try await sandbox.call("POST", "/teams/\(F.id("eng"))/members/ids", json: #"["\#(F.id("bob"))"]"#).array
    #expect(bob.first?["roles"] as? String == "team_user team_admin")
    let both = try await sandbox.call(
      "PUT", url, json: #"{"scheme_admin":false,"scheme_user":true,"scheme_guest":true}"#)
    #expect(both.status == 400 && both.errorID == "api.team.update_team_member_roles.guest_and_user.app_error")
    let none = try await sandbox.call(
      "PUT", "/teams/\(F.id("eng"))/members/\(F.id("carol"))/schemeRoles", json: #"{"scheme_user":true}"#)
    #expect(none.status == 404 && none.errorID == "app.team.get_member.missing.app_error")
  }

  /// Rule 7: team allowed_domains AND RestrictCreationToDomains; guests by the guest setting; bots exempt.
  @Test func domainRestrictionsRefuseAddsEvenForAdmins() async throws {
    let carol = try await addTeam("dom", "carol")
    #expect(carol.status == 400 && carol.errorID == "api.team.join_user_to_team.allowed_domains.app_error")
    #expect(try await addTeam("dom", "alice").status == 201)
    #expect(try await addTeam("dom", "botty").status == 201, "bots are exempt")
    var settings = SeedSettings()
    (settings.restrict_creation_to_domains, settings.guest_restrict_creation_to_domains) = ("other.org", "guests.net")
    let strict = try await F.sandbox(settings)
    func add(_ user: String) async throws -> HTTPResponse {
      try await strict.call(
        "POST", "/teams/\(F.id("ops"))/members", json: #"{"team_id":"\#(F.id("ops"))","user_id":"\#(F.id(user))"}"#)
    }
    #expect(try await add("dan").errorID == "api.team.join_user_to_team.allowed_domains.app_error")
    #expect(try await add("carol").status == 201)
    #expect(try await add("gina").errorID == "api.team.join_user_to_team.allowed_domains.app_error")
  }

  /// Rule 8: MaxUsersPerTeam counts active members.
  @Test func maxUsersPerTeamRefusesTheExtraMember() async throws {
    var settings = SeedSettings()
    settings.max_users_per_team = 3
    let small = try await F.sandbox(settings)
    func add(_ user: String) async throws -> HTTPResponse {
      try await small.call(
        "POST", "/teams/\(F.id("eng"))/members", json: #"{"team_id":"\#(F.id("eng"))","user_id":"\#(F.id(user))"}"#)
    }
    #expect(try await add("dan").status == 201)
    let full = try await add("erin")
    #expect(full.status == 400 && full.errorID == "app.team.join_user_to_team.max_accounts.app_error")
  }

  @Test func nonAdminsLackAdministrativePermissions() async throws {
    let alice = try await F.login(sandbox, "alice")
    #expect(try await addTeam("eng", "dan", token: alice).status == 403)
    #expect(try await addTeam("dom", "alice", token: alice).status == 201, "joining an open team oneself")
    #expect(try await sandbox.call("GET", "/channels", token: alice).status == 403)
    #expect(try await sandbox.call("GET", "/config", token: alice).status == 403)
    #expect(try await sandbox.call("GET", "/users/\(F.id("bob"))/teams/members", token: alice).status == 403)
  }

  @Test func configPublishesTheMembershipSettings() async throws {
    let config = try await sandbox.call("GET", "/config").object
    let team = config["TeamSettings"] as? [String: Any] ?? [:]
    #expect(team["MaxUsersPerTeam"] as? Int == 50 && team["RestrictCreationToDomains"] as? String == "")
    #expect((team["ExperimentalDefaultChannels"] as? [String])?.isEmpty == true)
    let service = config["ServiceSettings"] as? [String: Any] ?? [:]
    #expect(service["ExperimentalEnableDefaultChannelLeaveJoinMessages"] as? Bool == true)
    #expect((config["GuestAccountsSettings"] as? [String: Any])?["RestrictCreationToDomains"] as? String == "")
  }
}
