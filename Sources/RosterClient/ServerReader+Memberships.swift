#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
import RosterCore

/// Reading teams, channels and memberships, scoped to what the manifest manages
/// (shared/design/memberships-server.md A2, A3). The requests, with T teams, C channels, U managed users
/// and P of their team memberships:
///   ⌊T/200⌋+1 (GET /teams: paging stops at a short page) + 1 (GET /config) + ⌊C/200⌋+1 (GET /channels)
///   + U (GET /users/{id}/teams/members)
///   + P (GET /users/{id}/teams/{team}/channels/members) + D (GET /teams/{id}/stats, per declared team)
///   + the member pages of `unmanaged_members: remove`
///   teams and channels. `--only dan` is 4 or 5 requests, plus the listings.
extension ServerReader {
  func memberships(_ needs: MembershipNeeds, users: [LiveUser]) async throws(APIFailure) -> LiveMemberships {
    var result = LiveMemberships(settings: try await teamSettings())
    result.teams = try await pages("/teams", TeamBody.self).map(\.live)
    result.channels = try await pages("/channels", ChannelBody.self, query: "include_deleted=true").map(\.live)
      .filter { $0.type == "O" || $0.type == "P" }
    for channel in result.channels { _ = try ServerID.checked(channel.id) }
    let byName = Dictionary(users.map { ($0.username, $0) }, uniquingKeysWith: { a, _ in a })
    let ids = Set(needs.userIDs).union(needs.users.compactMap { byName[$0]?.id })
    let managed = needs.everyone ? users.filter(\.isManageable) : users.filter { ids.contains($0.id) }
    let width = options.parallelism
    // Every row, left teams included (rule 2): only delete_at == 0 is a membership.
    let rows = try await concurrently(managed.map(\.id), width: width) { id throws(APIFailure) in
      try await list("/users/\(try ServerID.checked(id))/teams/members", MemberBody.self).filter { $0.delete_at == 0 }
    }.flatMap { $0 }
    var teamMembers = rows.map { $0.live(team: true) }
    var channelMembers = try await concurrently(rows, width: width) { row throws(APIFailure) in
      let path =
        "/users/\(try ServerID.checked(row.user_id))/teams/\(try ServerID.checked(row.team_id ?? ""))/channels/members"
      return try await list(path, MemberBody.self).map { $0.live(team: false) }
    }.flatMap { $0 }
    result.complete = []
    struct Stats: Decodable { var total_member_count: Int }
    let declared = needs.declaredTeams.compactMap { name in result.teams.first { $0.name == name && $0.deleteAt == 0 } }
    let counts = try await concurrently(declared, width: width) { team throws(APIFailure) in
      let path = "/teams/\(try ServerID.checked(team.id))/stats"
      return (
        team.id, try connection.json(Stats.self, try await connection.send("GET", path), path: path).total_member_count
      )
    }
    for (id, count) in counts { result.memberCounts[id] = count }
    let read = Set(managed.map(\.id))
    for name in needs.fullTeams {
      guard let team = result.teams.first(where: { $0.name == name && $0.deleteAt == 0 }) else { continue }
      let members = try await pages("/teams/\(try ServerID.checked(team.id))/members", MemberBody.self)
      teamMembers += members.map { $0.live(team: true) }
      // Members nobody manages may be removed from this team: their channels in it leave with them, and
      // the gate counts that cascade, so it is read rather than guessed.
      let others = members.filter { !read.contains($0.user_id) }
      channelMembers += try await concurrently(others, width: width) { row throws(APIFailure) in
        let path = "/users/\(try ServerID.checked(row.user_id))/teams/\(try ServerID.checked(team.id))/channels/members"
        return try await list(path, MemberBody.self).map { $0.live(team: false) }
      }.flatMap { $0 }
      result.complete.insert(team.id)
    }
    let teamNames = Dictionary(result.teams.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
    for path in needs.fullChannels {
      guard
        let channel = result.channels.first(where: {
          $0.deleteAt == 0 && "\(teamNames[$0.teamID] ?? "")/\($0.name)" == path
        })
      else { continue }
      // Channel member pages have no order (rule 3): rows are kept once per user below.
      channelMembers += try await pages("/channels/\(channel.id)/members", MemberBody.self)
        .map { $0.live(team: false) }
      result.complete.insert(channel.id)
    }
    result.teamMembers = Array(Set(teamMembers)).sorted { ($0.containerID, $0.userID) < ($1.containerID, $1.userID) }
    result.channelMembers = Array(Set(channelMembers)).sorted {
      ($0.containerID, $0.userID) < ($1.containerID, $1.userID)
    }
    return result
  }

  /// GET /config's team settings. Without them roster would guess the default channels and the team size
  /// limit, so a failed read stops the plan.
  func teamSettings() async throws(APIFailure) -> TeamSettings {
    struct Config: Decodable {
      struct Team: Decodable {
        var MaxUsersPerTeam: Int?
        var RestrictCreationToDomains: String?
        var ExperimentalDefaultChannels: [String]?
      }
      struct Guests: Decodable { var RestrictCreationToDomains: String? }
      var TeamSettings: Team?
      var GuestAccountsSettings: Guests?
    }
    var settings = TeamSettings()
    let config = try connection.json(Config.self, try await connection.send("GET", "/config"), path: "/config")
    if let max = config.TeamSettings?.MaxUsersPerTeam { settings.maxUsersPerTeam = max }
    settings.restrictCreationToDomains = config.TeamSettings?.RestrictCreationToDomains ?? ""
    settings.guestRestrictCreationToDomains = config.GuestAccountsSettings?.RestrictCreationToDomains ?? ""
    // app/teams/utils.go DefaultChannelNames: town-square always, then the configured ones or off-topic.
    let extra = config.TeamSettings?.ExperimentalDefaultChannels ?? []
    settings.defaultChannels = ["town-square"] + (extra.isEmpty ? ["off-topic"] : extra.filter { $0 != "town-square" })
    return settings
  }

  /// Every page of `base` at 200 a page, until a short one (the server clamps `per_page` to 200: rule 1).
  func pages<T: Decodable & Sendable>(_ base: String, _ type: T.Type, query: String = "") async throws(APIFailure)
    -> [T]
  {
    var all: [T] = []
    for page in 0..<(Self.maxObjects / Self.pageSize) {
      let path = "\(base)?\(query.isEmpty ? "" : query + "&")page=\(page)&per_page=\(Self.pageSize)"
      let response = try await connection.send("GET", path)
      try PageGuard.check(response.body, limit: Self.pageSize, path: path)
      let batch = try connection.json([T]?.self, response, path: path) ?? []
      all += batch
      if batch.count < Self.pageSize { return all }
    }
    throw APIFailure(
      method: "GET", path: base, status: 0, id: nil, message: "more than \(Self.maxObjects) rows; stopped reading",
      ambiguous: false)
  }

  /// An unpaged list.
  func list<T: Decodable>(_ path: String, _ type: T.Type) async throws(APIFailure) -> [T] {
    try connection.json([T]?.self, try await connection.send("GET", path), path: path) ?? []
  }
}

/// model/team.go Team, the fields roster reads.
struct TeamBody: Decodable, Sendable {
  var id: String
  var name: String
  var display_name: String?
  var delete_at: Int64?
  var group_constrained: Bool?
  var allowed_domains: String?

  var live: LiveTeam {
    LiveTeam(
      id: id, name: name, displayName: display_name ?? "", deleteAt: delete_at ?? 0,
      groupConstrained: group_constrained ?? false, allowedDomains: allowed_domains ?? "")
  }
}

/// model/channel.go Channel, the fields roster reads.
struct ChannelBody: Decodable, Sendable {
  var id: String
  var team_id: String?
  var type: String
  var name: String
  var delete_at: Int64?
  var group_constrained: Bool?

  var live: LiveChannel {
    LiveChannel(
      id: id, teamID: team_id ?? "", name: name, type: type, deleteAt: delete_at ?? 0,
      groupConstrained: group_constrained ?? false)
  }
}

/// model/team_member.go TeamMember and model/channel_member.go ChannelMember: the scheme flags, never the
/// computed `roles` string.
struct MemberBody: Decodable, Sendable {
  var team_id: String?
  var channel_id: String?
  var user_id: String
  var delete_at: Int64?
  var scheme_admin: Bool?
  var scheme_guest: Bool?

  func live(team: Bool) -> LiveMember {
    LiveMember(
      containerID: (team ? team_id : channel_id) ?? "", userID: user_id, schemeAdmin: scheme_admin ?? false,
      schemeGuest: scheme_guest ?? false)
  }
}
