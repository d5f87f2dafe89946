#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
import RosterCore

/// The channel memberships the planner judges: in every live team a managed user is in, all of that
/// user's channels there (undeclared ones are left, and a team removal counts what it takes along);
/// in a registry team, everyone's; in a registry channel, every member. Per team, the cheaper of:
/// - per user, `GET /users/{u}/teams/{t}/channels/members` (1 a user, unpaged), or, for a user read so in
///   two or more teams, one paged `GET /users/{u}/channel_members` (every team; DMs and GMs included,
///   dropped here);
/// - the team's every channel, archived ones included, read whole with `GET /channels/{id}/members`,
///   priced from the team's member count: no channel of the team holds more members than the team.
/// The by-id route (`POST /channels/{id}/members/ids`) answers only for the channels asked about, and a
/// user's undeclared channels are the ones to find, so it never prices lower than these.
extension ServerReader {
  func channelRows(_ scope: MembershipScope, teams: [LiveMember]) async throws(APIFailure)
    -> (rows: [LiveMember], complete: Set<String>)
  {
    var readers: [String: Set<String>] = [:]
    for row in teams where scope.managed.contains(row.userID) || scope.fullTeams.contains(row.containerID) {
      readers[row.containerID, default: []].insert(row.userID)
    }
    var whole: [LiveChannel] = []
    var keep: [String: Set<String>] = [:]
    var pairs: [String: [String]] = [:]
    for team in scope.live {
      guard let users = readers[team.id] else { continue }
      let channels = scope.channelsByTeam[team.id] ?? []
      if scope.allChannels, let members = scope.counts[team.id], Self.scanCost(channels.count, members) < users.count {
        for channel in channels {
          whole.append(channel)
          keep[channel.id] = users
        }
      } else {
        for user in users { pairs[user, default: []].append(team.id) }
      }
    }
    let full = Set(scope.fullChannels.map(\.id))
    whole += scope.fullChannels.filter { keep[$0.id] == nil }
    let width = options.parallelism
    let lists = try await concurrently(whole, width: width) { channel throws(APIFailure) in
      (channel.id, try await wholeChannel(channel, scope))
    }
    var rows = lists.flatMap { id, members in
      full.contains(id) ? members : members.filter { keep[id]?.contains($0.userID) ?? false }
    }
    let teamOf = Dictionary(
      scope.channelsByTeam.values.flatMap { $0 }.map { ($0.id, $0.teamID) }, uniquingKeysWith: { a, _ in a })
    let byUser = pairs.sorted { $0.key < $1.key }
    rows += try await concurrently(byUser, width: width) { user, teamIDs throws(APIFailure) in
      let wanted = Set(teamIDs)
      let user = try ServerID.checked(user)
      let found =
        teamIDs.count > 1
        ? try await pages("/users/\(user)/channel_members", MemberBody.self)
        : try await list("/users/\(user)/teams/\(teamIDs[0])/channels/members", MemberBody.self)
      return found.map { $0.live(team: false) }.filter { wanted.contains(teamOf[$0.containerID] ?? "") }
    }.flatMap { $0 }
    return (rows, full)
  }

  /// What reading a team's channels whole costs at most: each channel's pages (none holds more than the
  /// team's `members`), and a member count for each that may take more than one page.
  static func scanCost(_ channels: Int, _ members: Int) -> Int {
    channels * (members / pageSize + 1) + (members >= pageSize ? channels : 0)
  }

  /// Every member of a channel, once each. The pages have no ORDER BY (channel_store.go GetMembers:
  /// LIMIT/OFFSET only, memberships-server.md A5 rule 3), so a write between two page reads can repeat
  /// a row or skip one: rows are kept once per user, and a list of more than one page is held against
  /// the channel's `member_count` (api4/channel.go getChannelStats → channel_store.go GetMemberCount,
  /// which counts members whose user is not deactivated; the released route, unlike
  /// `POST /channels/stats/member_count`). A list that disagrees is read again, three times at most.
  /// An archived channel is not checked (older servers refuse its stats, and roster changes nothing
  /// there); a single page is one query and cannot disagree with itself.
  func wholeChannel(_ channel: LiveChannel, _ scope: MembershipScope) async throws(APIFailure) -> [LiveMember] {
    struct Stats: Decodable { var member_count: Int }
    let base = "/channels/\(try ServerID.checked(channel.id))"
    var disagreement = (seen: 0, counted: 0)
    for _ in 0..<3 {
      let rows = try await pages(base + "/members", MemberBody.self)
      var unique: [String: LiveMember] = [:]
      for row in rows where unique[row.user_id] == nil { unique[row.user_id] = row.live(team: false, in: channel.id) }
      if rows.count < Self.pageSize || channel.deleteAt != 0 { return Array(unique.values) }
      let path = base + "/stats?exclude_files_count=true"
      let counted = try connection.json(Stats.self, try await connection.send("GET", path), path: path).member_count
      let seen = unique.keys.count { !scope.inactive.contains($0) }
      if seen == counted { return Array(unique.values) }
      disagreement = (seen, counted)
    }
    throw APIFailure(
      method: "GET", path: base + "/members", status: 0, id: nil,
      message:
        "channel \(scope.name(of: channel)): its member pages gave \(disagreement.seen) active members three times "
        + "running, where the server counts \(disagreement.counted); members changed while they were read. "
        + "Run the plan again.",
      ambiguous: false)
  }
}
