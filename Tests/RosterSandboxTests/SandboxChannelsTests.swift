import Foundation
import RosterClient
import RosterSandbox
import RosterTestSupport
import Testing

/// Channel reads and channel membership writes over real HTTP, against shared/design/memberships-server.md.
@Suite(.serialized, .inProcessSandboxes) struct SandboxChannelsTests {
  typealias F = MembershipFixture
  let sandbox: InProcessSandbox

  init() async throws { sandbox = try await F.sandbox() }

  func add(_ channel: String, _ body: String, token: String? = nil) async throws -> HTTPResponse {
    try await sandbox.call("POST", "/channels/\(channel)/members", json: body, token: token)
  }

  func members(_ channel: String) async throws -> [String] {
    F.ids(try await sandbox.call("GET", "/channels/\(channel)/members?per_page=200").array).sorted()
  }

  /// Rule 3: member pages have no defined order; quiet pages are consistent, a write reshuffles.
  @Test func channelMemberPagesAreUnorderedButCompleteWhenQuiet() async throws {
    let big = try await F.sandbox(extraUsers: 40)
    let square = try await F.channelID(big, "eng", "town-square")
    var seen: [String] = []
    for page in 0..<5 {
      seen += F.ids(try await big.call("GET", "/channels/\(square)/members?page=\(page)&per_page=10").array)
    }
    #expect(seen.count == 42 && Set(seen).count == 42, "alice, bob and 40 users, each once")
    #expect(seen != seen.sorted(), "not in user-id order")
    let before = F.ids(try await big.call("GET", "/channels/\(square)/members?per_page=200").array)
    _ = try await big.call(
      "POST", "/teams/\(F.id("eng"))/members", json: #"{"team_id":"\#(F.id("eng"))","user_id":"\#(F.id("dan"))"}"#)
    let after = F.ids(try await big.call("GET", "/channels/\(square)/members?per_page=200").array)
    #expect(after.filter { $0 != F.id("dan") } != before, "a write changes the order")
  }

  @Test func allChannelsListIsSystemWideAndWrapped() async throws {
    let live = try await sandbox.call("GET", "/channels?per_page=200").array
    #expect(!F.ids(live, "id").contains(F.id("old")) && F.ids(live, "id").contains(F.id("secret")))
    #expect(live.allSatisfy { ["O", "P"].contains($0["type"] as? String ?? "") && $0["team_name"] is String })
    let all = try await sandbox.call("GET", "/channels?include_deleted=true&include_total_count=true").object
    #expect(all["total_count"] as? Int == live.count + 1)
    let noDefaults = try await sandbox.call("GET", "/channels?exclude_default_channels=true&per_page=200").array
    #expect(noDefaults.count == live.count - 2 * 4, "four teams, each with town-square and off-topic")
    let team = F.ids(try await sandbox.call("GET", "/teams/\(F.id("eng"))/channels").array, "name")
    #expect(Set(team) == ["town-square", "off-topic", "dev", "gcchan"], "public and live only")
    let deleted = try await sandbox.call("GET", "/teams/name/eng/channels/name/OLD")
    #expect(deleted.status == 404 && deleted.errorID == "app.channel.get_by_name.missing.app_error")
    let found = try await sandbox.call("GET", "/teams/name/eng/channels/name/OLD?include_deleted=true")
    #expect(found.status == 200 && (found.object["delete_at"] as? Int ?? 0) > 0)
  }

  /// GET /users/{u}/channels (getChannelsForUser): every channel of the user across teams, archived ones
  /// on request, one unpaged array; the user or edit_other_users. GET /teams/{id} (getTeam), as by name.
  @Test func aUsersChannelsAndATeamByID() async throws {
    let alice = F.id("alice")
    let live = try await sandbox.call("GET", "/users/\(alice)/channels").array
    let names = Set(F.ids(live, "name"))
    #expect(names.isSuperset(of: ["dev", "secret", "gcchan", "town-square"]) && !names.contains("old"), "\(names)")
    #expect(live.allSatisfy { $0["team_id"] is String && ["O", "P"].contains($0["type"] as? String ?? "") })
    let all = try await sandbox.call("GET", "/users/\(alice)/channels?include_deleted=true").array
    #expect(Set(F.ids(all, "name")) == names.union(["old"]))
    let bob = try await F.login(sandbox, "bob")
    #expect(try await sandbox.call("GET", "/users/\(alice)/channels", token: bob).status == 403)
    let own = try await sandbox.call("GET", "/users/me/channels", token: bob)
    #expect(own.status == 200 && Set(F.ids(own.array, "name")).isSuperset(of: ["dev", "gcchan"]))
    #expect(!F.ids(own.array, "name").contains("secret"))
    let team = try await sandbox.call("GET", "/teams/\(F.id("eng"))")
    #expect(team.status == 200 && team.object["name"] as? String == "eng")
    #expect(try await sandbox.call("GET", "/teams/\(F.id("ops"))", token: bob).status == 403, "invite-only")
    let none = try await sandbox.call("GET", "/teams/\(F.id("nope"))")
    #expect(none.status == 404 && none.errorID == "app.team.get.find.app_error")
  }

  /// Rule 6 and the add semantics: one object for `user_id`, an array for `user_ids`, existing members
  /// as-is, team membership required, 201 with the successes when only some fail.
  @Test func addNeedsTeamMembershipAndReportsOnlySuccesses() async throws {
    let dev = F.id("dev")
    let one = try await add(dev, #"{"user_id":"\#(F.id("bob"))"}"#)
    #expect(one.status == 201 && one.object["user_id"] as? String == F.id("bob"), "existing member, as-is")
    #expect(try await F.posts(sandbox).total == 0)
    let none = try await add(dev, #"{"user_id":"\#(F.id("dan"))"}"#)
    #expect(none.status == 404 && none.errorID == "app.team.get_member.missing.app_error")
    _ = try await sandbox.call("DELETE", "/teams/\(F.id("eng"))/members/\(F.id("bob"))")
    let left = try await add(dev, #"{"user_id":"\#(F.id("bob"))"}"#)
    #expect(left.status == 400 && left.errorID == "api.channel.add_user.to.channel.failed.deleted.app_error")
    _ = try await sandbox.call(
      "POST", "/teams/\(F.id("eng"))/members", json: #"{"team_id":"\#(F.id("eng"))","user_id":"\#(F.id("erin"))"}"#)
    let posts = try await F.posts(sandbox).total
    let some = try await add(dev, #"{"user_ids":["\#(F.id("dan"))","\#(F.id("erin"))","\#(F.id("alice"))"]}"#)
    #expect(some.status == 201 && F.ids(some.array) == [F.id("erin"), F.id("alice")])
    #expect(try await F.posts(sandbox).total == posts + 1, "one post for erin, none for alice")
    let tooMany = (0..<1001).map { _ in "\"\(F.id("erin"))\"" }.joined(separator: ",")
    #expect(try await add(dev, #"{"user_ids":[\#(tooMany)]}"#).status == 400)
    let bad = try await add(dev, #"{"user":"x"}"#)
    #expect(bad.status == 400 && bad.errorID == "api.context.invalid_body_param.app_error")
  }

  /// Rule 13 (conservative): archived channels refuse membership changes.
  @Test func archivedChannelsRefuseMembershipChanges() async throws {
    let old = F.id("old")
    let added = try await add(old, #"{"user_id":"\#(F.id("bob"))"}"#)
    #expect(added.status == 400 && added.errorID == "api.channel.add_user_to_channel.deleted.app_error")
    let removed = try await sandbox.call("DELETE", "/channels/\(old)/members/\(F.id("alice"))")
    #expect(removed.status == 400 && removed.errorID == "api.channel.remove_user_from_channel.deleted.app_error")
  }

  /// Rules 5, 11 and 15: removal of a non-member 404, town-square refuses non-guests, a guest's last
  /// channel takes the team with it; each change posts once.
  @Test func removalRules() async throws {
    let dev = F.id("dev")
    let missing = try await sandbox.call("DELETE", "/channels/\(dev)/members/\(F.id("dan"))")
    #expect(missing.status == 404 && missing.errorID == "app.channel.get_member.missing.app_error")
    let square = try await F.channelID(sandbox, "eng", "town-square")
    let def = try await sandbox.call("DELETE", "/channels/\(square)/members/\(F.id("bob"))")
    #expect(def.status == 400 && def.errorID == "api.channel.remove.default.app_error")
    #expect(try await sandbox.call("DELETE", "/channels/\(dev)/members/\(F.id("bob"))").status == 200)
    #expect(try await F.posts(sandbox).types == ["system_remove_from_channel"])
    _ = try await sandbox.call(
      "POST", "/teams/\(F.id("eng"))/members", json: #"{"team_id":"\#(F.id("eng"))","user_id":"\#(F.id("gina"))"}"#)
    #expect(try await add(dev, #"{"user_id":"\#(F.id("gina"))"}"#).status == 201)
    #expect(try await sandbox.call("DELETE", "/channels/\(dev)/members/\(F.id("gina"))").status == 200)
    let rows = try await sandbox.call("GET", "/users/\(F.id("gina"))/teams/members").array
    #expect((rows.first?["delete_at"] as? Int ?? 0) > 0, "the guest left the team with her last channel")
  }

  /// Rule 11 (server/channels/app/channel.go removeUserFromChannel): a guest leaves the team with the
  /// last channel only; a guest in a team without a channel is not swept out.
  @Test func aGuestLeavesTheTeamWithTheLastChannelOnly() async throws {
    let (dev, secret, gina) = (F.id("dev"), F.id("secret"), F.id("gina"))
    _ = try await sandbox.call(
      "POST", "/teams/\(F.id("eng"))/members", json: #"{"team_id":"\#(F.id("eng"))","user_id":"\#(gina)"}"#)
    func inTeam() async throws -> Bool {
      let rows = try await sandbox.call("GET", "/users/\(gina)/teams/members").array
      return rows.contains { $0["team_id"] as? String == F.id("eng") && $0["delete_at"] as? Int == 0 }
    }
    #expect(try await inTeam(), "no channel yet, and still in the team")
    #expect(try await add(dev, #"{"user_id":"\#(gina)"}"#).status == 201)
    #expect(try await add(secret, #"{"user_id":"\#(gina)"}"#).status == 201)
    #expect(try await sandbox.call("DELETE", "/channels/\(dev)/members/\(gina)").status == 200)
    #expect(try await inTeam(), "one channel left")
    #expect(try await sandbox.call("DELETE", "/channels/\(secret)/members/\(gina)").status == 200)
    #expect(try await !inTeam(), "the last channel took the team with it")
  }

  /// Rule 9: group-constrained channels refuse adds and removals of others.
  @Test func groupConstrainedChannelRefusesChanges() async throws {
    let gc = F.id("gcchan")
    let added = try await add(gc, #"{"user_ids":["\#(F.id("alice"))"]}"#)
    #expect(added.status == 400 && added.errorID == "api.channel.add_members.user_denied")
    let removed = try await sandbox.call("DELETE", "/channels/\(gc)/members/\(F.id("bob"))")
    #expect(removed.status == 400 && removed.errorID == "api.channel.remove_member.group_constrained.app_error")
  }

  @Test func channelSchemeRolesAndRolesString() async throws {
    let url = "/channels/\(F.id("dev"))/members/\(F.id("bob"))/schemeRoles"
    #expect(try await sandbox.call("PUT", url, json: #"{"scheme_admin":true,"scheme_user":true}"#).status == 200)
    let bob = try await sandbox.call("POST", "/channels/\(F.id("dev"))/members/ids", json: #"["\#(F.id("bob"))"]"#)
    #expect(bob.array.first?["roles"] as? String == "channel_user channel_admin")
    let both = try await sandbox.call("PUT", url, json: #"{"scheme_user":true,"scheme_guest":true}"#)
    #expect(both.status == 400)
    let none = try await sandbox.call(
      "PUT", "/channels/\(F.id("dev"))/members/\(F.id("dan"))/schemeRoles", json: #"{"scheme_user":true}"#)
    #expect(none.status == 404 && none.errorID == "app.channel.get_member.missing.app_error")
  }

  @Test func perUserReads() async throws {
    let inTeam = try await sandbox.call("GET", "/users/\(F.id("bob"))/teams/\(F.id("eng"))/channels/members").array
    #expect(inTeam.count == 4, "town-square, off-topic, dev, gcchan")
    let all = try await sandbox.call("GET", "/users/\(F.id("alice"))/channel_members?per_page=200").array
    #expect(all.count == 8, "six in eng, town-square and off-topic in gc")
    #expect(Set(all.compactMap { $0["team_name"] as? String }) == ["eng", "gc"])
    let bob = try await F.login(sandbox, "bob")
    #expect(try await sandbox.call("GET", "/channels/\(F.id("secret"))/members", token: bob).status == 403)
    #expect(try await sandbox.call("GET", "/channels/\(F.id("dev"))/members", token: bob).status == 200)
    let own = try await sandbox.call("GET", "/users/me/teams/\(F.id("eng"))/channels/members", token: bob)
    #expect(own.array.count == 4)
  }

  @Test func stateCarriesTheOrganisation() async throws {
    let state = try #require(try await sandbox.inspect("GET", "/state") as? [String: Any])
    let teams = state["teams"] as? [[String: Any]] ?? []
    #expect(Set(F.ids(teams, "name")) == ["eng", "ops", "gc", "dom"])
    let channels = state["channels"] as? [[String: Any]] ?? []
    #expect(channels.count == 12, "town-square and off-topic in four teams, plus dev, secret, old and gcchan")
  }

  /// GET /channels/{id}/stats: `member_count` leaves deactivated users out (channel_store.go
  /// GetMemberCount joins Users with DeleteAt = 0) while the member list keeps them.
  @Test func channelStatsCountMembersWhoseUserIsActive() async throws {
    let square = try await F.channelID(sandbox, "eng", "town-square")
    let stats = try await sandbox.call("GET", "/channels/\(square)/stats?exclude_files_count=true").object
    #expect(stats["member_count"] as? Int == 2 && stats["files_count"] as? Int == -1, "\(stats)")
    #expect(try await sandbox.call("DELETE", "/users/\(F.id("bob"))").status == 200)
    let after = try await sandbox.call("GET", "/channels/\(square)/stats").object
    #expect(after["member_count"] as? Int == 1 && after["channel_id"] as? String == square, "\(after)")
    #expect(try await members(square).count == 2, "the list keeps the deactivated member")
  }

  /// The page-drift fault: the second page starts one row early, so a row comes twice and the row at
  /// the second page's end is never served; once spent, the pages are whole again.
  @Test func aDriftedPageRepeatsARowAndLosesOne() async throws {
    let big = try await InProcessSandbox {
      $0.seed = F.seed(extraUsers: 40)
      $0.faults.channelPageDrift = 1
    }
    let square = try await F.channelID(big, "eng", "town-square")
    func read() async throws -> [String] {
      var seen: [String] = []
      for page in 0..<5 {
        seen += F.ids(try await big.call("GET", "/channels/\(square)/members?page=\(page)&per_page=10").array)
      }
      return seen
    }
    let drifted = try await read()
    #expect(drifted.count == 42 && Set(drifted).count == 41, "one row twice, one missing")
    let again = try await read()
    #expect(again.count == 42 && Set(again).count == 42)
  }
}
