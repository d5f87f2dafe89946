#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
import RosterCore

/// The managed users' team memberships, by the cheaper of two routes:
/// - per user, `GET /users/{id}/teams/members` (1 each; every row, left teams included, so only
///   `delete_at == 0` counts: memberships-server.md A5 rule 2);
/// - per team, the paged `GET /teams/{id}/members` of every live team (`WHERE DeleteAt = 0 ORDER BY
///   UserId`, deactivated users included: the same rows), ⌊m_t/200⌋+1 pages each.
/// A user's undeclared teams are left, so every team is in scope for a managed user: the by-id route
/// (`POST /teams/{id}/members/ids`) answers only for the teams asked about and cannot see those.
/// The scan costs at least one request a live team, so it is priced (team stats) only when the users
/// outnumber the teams.
extension ServerReader {
  /// `read`: the users' rows, when the listings already read them one user at a time.
  func teamRows(_ scope: inout MembershipScope, managed: [String], read: [LiveMember]? = nil)
    async throws(APIFailure) -> (rows: [LiveMember], complete: Set<String>)
  {
    let width = options.parallelism
    let liveIDs = Set(scope.live.map(\.id))
    if read == nil && managed.count > scope.live.count {
      scope.counts = try await teamCounts(scope.live)
      let counts = scope.counts
      let scanCost = scope.live.reduce(0) { $0 + (counts[$1.id] ?? 0) / Self.pageSize + 1 }
      if scanCost < managed.count {
        let lists = try await concurrently(scope.live, width: width) { team throws(APIFailure) in
          (team.id, try await pages("/teams/\(team.id)/members", MemberBody.self))
        }
        let keep = scope
        let rows = lists.flatMap { id, rows in
          rows.filter { keep.fullTeams.contains(id) || keep.managed.contains($0.user_id) }
            .map { $0.live(team: true, in: id) }
        }
        return (rows, scope.fullTeams)
      }
    }
    let userRows: [LiveMember]
    if let read { userRows = read } else { userRows = try await userTeamRows(managed) }
    var rows = userRows.filter { liveIDs.contains($0.containerID) }
    if scope.counts.isEmpty {
      // Only a declared team that some managed user is not in (or that a created user joins) can gain a member.
      var members: [String: Set<String>] = [:]
      for row in rows { members[row.containerID, default: []].insert(row.userID) }
      let (declared, creates, everyone) = (scope.declared, scope.creates, managed.count)
      let grows = scope.live.filter { team in
        declared.contains(team.name) && (creates || (members[team.id]?.count ?? 0) < everyone)
      }
      scope.counts = try await teamCounts(grows)
    }
    for team in scope.live where scope.fullTeams.contains(team.id) {
      rows += try await pages("/teams/\(team.id)/members", MemberBody.self).map { $0.live(team: true, in: team.id) }
    }
    return (rows, scope.fullTeams)
  }
}
