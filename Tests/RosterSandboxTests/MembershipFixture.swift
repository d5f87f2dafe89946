import Foundation
import RosterSandbox
import RosterTestSupport
import Testing

/// A seeded organisation for the team and channel route tests: fixed ids, so expectations can name them.
///
/// Users: admin, alice, bob, dan, erin (example.com), carol (other.org), gina (a guest), botty (a bot).
/// Teams: eng (open; alice admin, bob; town-square and off-topic created), ops (invite only, empty),
/// gc (group-constrained; alice), dom (allowed_domains example.com). Channels in eng: dev (public;
/// alice, bob), secret (private; alice), old (archived; alice), gcchan (group-constrained; alice, bob).
enum MembershipFixture {
  static func id(_ name: String) -> String { String((name + String(repeating: "0", count: 26)).prefix(26)) }

  static func seed(_ settings: SeedSettings? = nil, extraUsers: Int = 0) -> SandboxSeed {
    var users = SandboxSeed.minimal.users
    for (name, domain) in [
      ("alice", "example.com"), ("bob", "example.com"), ("dan", "example.com"), ("erin", "example.com"),
      ("carol", "other.org"),
    ] {
      var u = SeedUser(username: name, email: "\(name)@\(domain)", password: "password-1")
      u.id = id(name)
      users.append(u)
    }
    var gina = SeedUser(username: "gina", email: "gina@example.com", password: "password-1", roles: "system_guest")
    gina.id = id("gina")
    var botty = SeedUser(username: "botty", email: "botty@bots.net")
    (botty.id, botty.is_bot) = (id("botty"), true)
    users += [gina, botty]
    for n in 0..<extraUsers {
      var u = SeedUser(username: String(format: "user%03d", n), email: String(format: "user%03d@example.com", n))
      u.id = id(String(format: "u%03d", n))
      users.append(u)
    }
    var eng = SeedTeam(
      name: "eng",
      members: [SeedMember(user: "alice", scheme_admin: true), SeedMember(user: "bob")]
        + (0..<extraUsers).map { SeedMember(user: String(format: "user%03d", $0)) })
    (eng.id, eng.display_name, eng.allow_open_invite) = (id("eng"), "Engineering", true)
    var ops = SeedTeam(name: "ops")
    (ops.id, ops.display_name) = (id("ops"), "Operations")
    var gc = SeedTeam(name: "gc", members: [SeedMember(user: "alice")])
    (gc.id, gc.display_name, gc.group_constrained) = (id("gc"), "Synced", true)
    var dom = SeedTeam(name: "dom")
    (dom.id, dom.display_name, dom.allowed_domains, dom.allow_open_invite) = (id("dom"), "Domain", "@example.com", true)
    func channel(_ name: String, _ type: String, _ members: [String]) -> SeedChannel {
      var c = SeedChannel(team: "eng", name: name, type: type, members: members.map { SeedMember(user: $0) })
      c.id = id(name)
      return c
    }
    var old = channel("old", "O", ["alice"])
    old.delete_at = 1_600_000_000_000
    var gcchan = channel("gcchan", "O", ["alice", "bob"])
    gcchan.group_constrained = true
    var seed = SandboxSeed(
      users: users, settings: settings, teams: [eng, ops, gc, dom],
      channels: [channel("dev", "O", ["alice", "bob"]), channel("secret", "P", ["alice"]), old, gcchan])
    seed.settings = settings ?? SeedSettings()
    seed.settings?.guest_accounts = true
    return seed
  }

  static func sandbox(_ settings: SeedSettings? = nil, extraUsers: Int = 0) async throws -> InProcessSandbox {
    try await InProcessSandbox { $0.seed = seed(settings, extraUsers: extraUsers) }
  }

  /// The id of a channel the seed created implicitly (town-square, off-topic).
  static func channelID(_ sandbox: InProcessSandbox, _ team: String, _ name: String) async throws -> String {
    let response = try await sandbox.call("GET", "/teams/name/\(team)/channels/name/\(name)?include_deleted=true")
    return try #require(response.object["id"] as? String, "\(response.text)")
  }

  /// A session token for a seeded user (password-1).
  static func login(_ sandbox: InProcessSandbox, _ name: String) async throws -> String {
    let response = try await sandbox.call(
      "POST", "/users/login", json: #"{"login_id":"\#(name)","password":"password-1"}"#, token: "")
    return try #require(response.headers["token"], "\(response.text)")
  }

  /// The system posts so far, as `/sandbox/posts` reports them.
  static func posts(_ sandbox: InProcessSandbox) async throws -> (total: Int, types: [String]) {
    let json = try #require(try await sandbox.inspect("GET", "/posts") as? [String: Any])
    let posts = json["posts"] as? [[String: Any]] ?? []
    return (json["total"] as? Int ?? -1, posts.compactMap { $0["type"] as? String })
  }

  static func ids(_ list: [[String: Any]], _ key: String = "user_id") -> [String] {
    list.compactMap { $0[key] as? String }
  }
}
