#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
import RosterCore

/// Reading teams, channels and memberships, scoped to what the manifest manages
/// (shared/design/memberships-server.md A2, A3). What the planner needs: every active team membership
/// of each managed user (a team they are in and no longer declare is left), their channel memberships
/// in each of those teams (the channels they no longer declare are left; a team removal's cascade is
/// counted), every member of a team or channel whose `unmanaged_members` is `remove`, the member
/// count of a declared team that may gain members (MaxUsersPerTeam), and the teams and channels all of
/// those name (ServerReader+Listings.swift). Each comes by the cheaper of two routes, priced from what
/// has been read.
///
/// The bound, with T teams listed (T' of them live), C channels, U managed users with a live account,
/// N_T teams and N_C channels the manifest names:
///
///     1 (GET /config)
///   + listings, whole (apply, export, a registry list read whole, or U > T):
///                 ⌊T/200⌋+1 (GET /teams) + ⌊C/200⌋+1 (GET /channels)
///               scoped (plan, otherwise):
///                 1 (GET /teams page 0 with its count) + min(⌊T/200⌋, n_T + r)
///               + 1 (GET /channels page 0 with its count) + min(⌊C/200⌋, U_c + n_C)
///               where n_T, n_C count the named teams and channels not on page 0, r the teams a managed
///               user is in that are neither named nor on page 0, U_c the users with a live team row
///               (a name the server lacks adds the rest of its listing; the lookups then are spent too)
///   + teams:    U ≤ T': U (GET /users/{id}/teams/members) + D' (GET /teams/{id}/stats, the declared
///                       teams that may gain a member) + Σ_{registry teams} (⌊m_t/200⌋+1)
///               U > T': T' (stats of every live team) + min(U, Σ_{live teams} (⌊m_t/200⌋+1))
///   + channels: Σ over live teams t holding a user whose channels there are read (R_t of them):
///                 min(R_t, K_t·(⌊m_t/200⌋+2)) where K_t counts t's channels, m_t is known and every
///                 channel is listed; R_t otherwise
///               (a user read pair by pair in two or more teams takes one paged GET /users/{id}/channel_members,
///               ⌊n_u/200⌋+1 for n_u channel memberships, DMs included, instead)
///   + Σ_{registry channels outside scanned teams} (⌊n_c/200⌋+2)
///   + up to 2 re-reads of a channel whose member count disagreed.
///
/// `--only dan` reads dan's team rows (1) and channel rows (1, paged), plus one stats read per declared
/// team dan is not in yet: 2 or 3 requests. On a server of many teams and channels its listings are the
/// two counted first pages, dan's channels (1) and a lookup per named team or channel found on neither.
extension ServerReader {
  func memberships(_ needs: MembershipNeeds, users: [LiveUser]) async throws(APIFailure) -> LiveMemberships {
    var result = LiveMemberships(settings: try await teamSettings())
    let byName = Dictionary(users.map { ($0.username, $0) }, uniquingKeysWith: { a, _ in a })
    let ids = Set(needs.userIDs).union(needs.users.compactMap { byName[$0]?.id })
    let managed = needs.everyone ? users.filter(\.isManageable) : users.filter { ids.contains($0.id) }
    let listed = try await listings(needs, managed: managed.map(\.id))
    result.teams = listed.teams
    result.channels = listed.channels
    for channel in result.channels { _ = try ServerID.checked(channel.id) }
    let live = result.teams.filter { $0.deleteAt == 0 }
    for team in live { _ = try ServerID.checked(team.id) }
    var scope = MembershipScope(
      needs: needs, live: live, channels: result.channels, managed: Set(managed.map(\.id)),
      inactive: Set(users.filter { !$0.isActive }.map(\.id)))
    // A user the plan creates has no rows to look at: any declared team may gain a member.
    scope.creates = !needs.everyone && needs.users.contains { byName[$0] == nil }
    scope.allChannels = listed.allChannels

    let teams = try await teamRows(&scope, managed: managed.map(\.id), read: listed.teamRows)
    result.memberCounts = scope.counts
    let channels = try await channelRows(scope, teams: teams.rows)
    result.complete = teams.complete.union(channels.complete)
    result.teamMembers = Array(Set(teams.rows)).sorted { ($0.containerID, $0.userID) < ($1.containerID, $1.userID) }
    result.channelMembers = Array(Set(channels.rows)).sorted {
      ($0.containerID, $0.userID) < ($1.containerID, $1.userID)
    }
    return result
  }

  /// The member count of each team (GET /teams/{id}/stats `total_member_count`: active rows, deactivated
  /// users included, as the member list has them; team_store.go GetTotalMemberCount).
  func teamCounts(_ teams: [LiveTeam]) async throws(APIFailure) -> [String: Int] {
    struct Stats: Decodable { var total_member_count: Int }
    let counts = try await concurrently(teams, width: options.parallelism) { team throws(APIFailure) in
      let path = "/teams/\(try ServerID.checked(team.id))/stats"
      return (
        team.id, try connection.json(Stats.self, try await connection.send("GET", path), path: path).total_member_count
      )
    }
    return Dictionary(counts, uniquingKeysWith: { a, _ in a })
  }
}

/// What one membership read covers, and what it has learnt on the way.
struct MembershipScope: Sendable {
  var live: [LiveTeam]
  /// Channels (archived ones included) by team id.
  var channelsByTeam: [String: [LiveChannel]]
  var managed: Set<String>
  /// Deactivated users: in member lists, not in a channel's `member_count`.
  var inactive: Set<String>
  var declared: Set<String>
  /// Registry teams and channels (`unmanaged_members: remove`), by id.
  var fullTeams: Set<String>
  var fullChannels: [LiveChannel]
  var creates = false
  /// Every channel is listed, so a team's channels can be read whole.
  var allChannels = true
  /// Team member counts read so far, by team id.
  var counts: [String: Int] = [:]

  init(needs: MembershipNeeds, live: [LiveTeam], channels: [LiveChannel], managed: Set<String>, inactive: Set<String>) {
    self.live = live
    channelsByTeam = Dictionary(grouping: channels, by: \.teamID)
    self.managed = managed
    self.inactive = inactive
    declared = Set(needs.declaredTeams)
    let named = Dictionary(live.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    fullTeams = Set(needs.fullTeams.compactMap { named[$0]?.id })
    let teamNames = Dictionary(live.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
    let paths = Set(needs.fullChannels)
    fullChannels = channels.filter { $0.deleteAt == 0 && paths.contains("\(teamNames[$0.teamID] ?? "")/\($0.name)") }
  }

  /// `path` of a channel for messages: team/channel.
  func name(of channel: LiveChannel) -> String {
    "\(live.first { $0.id == channel.teamID }?.name ?? channel.teamID)/\(channel.name)"
  }
}
