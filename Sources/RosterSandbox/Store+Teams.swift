import Foundation

/// Team reads (server/channels/api4/team.go; store/sqlstore/team_store.go) and the permission checks
/// team and channel routes share.
///
/// Permissions follow the sandbox's model: a system admin holds every permission; an ordinary user holds
/// the default system_user ones the routes below need (list_public_teams, join_public_teams) and, in a
/// team they are an active member of, view_team, list_team_channels, read_public_channel and
/// join_public_channels (team_user); read_channel in channels they are in. Administrative permissions
/// (add_user_to_team, manage_*_channel_members, manage_*_roles, manage_system, sysconsole_*) are the
/// admin's alone: team and channel admins are not emulated as holders.
extension SandboxStore {
  static let teamNotFound = APIError(404, "app.team.get.find.app_error", "Unable to find the existing team.")

  /// `{team_id}`: a valid id (web/context.go RequireTeamId), then the team (app/team.go GetTeam).
  func teamRecord(_ id: String) throws(APIError) -> TeamRecord {
    guard Self.isValidID(id) else { throw APIError.invalidURL("team_id") }
    guard let team = org.teams[id] else { throw Self.teamNotFound }
    return team
  }

  func isGuest(_ user: UserRecord) -> Bool { user.roleSet.contains("system_guest") }

  /// view_team and the other team_user permissions: an active member, or the admin.
  func requireInTeam(_ teamID: String, _ caller: UserRecord, _ permission: String = "view_team") throws(APIError) {
    if caller.isSystemAdmin || org.activeTeamMember(teamID, caller.id) != nil { return }
    throw APIError.permissions(permission)
  }

  /// Email and invite id are blanked for callers without manage_team (app/team.go SanitizeTeam).
  func teamJSON(_ team: TeamRecord, for caller: UserRecord) -> JSONValue {
    team.json(sanitized: !caller.isSystemAdmin)
  }

  /// A page of a list, offset `page * per_page` (clamped as web/params.go does).
  func pageOf<T>(_ list: [T], _ request: APIRequest) -> ArraySlice<T> {
    let (page, perPage) = paging(request)
    let start = min(page * perPage, list.count)
    return list[start..<min(start + perPage, list.count)]
  }

  /// GET /teams (api4/team.go getAllTeams): list_private_teams and list_public_teams give every team,
  /// list_public_teams alone the open ones, neither 403 api.team.get_all_teams.insufficient_permissions.
  /// Ordered by display name (store GetAllPage `ORDER BY DisplayName`; ties by id here). Archived teams
  /// are listed, as older stores have no DeleteAt filter (UNVERIFIED for current releases; clients must
  /// filter on delete_at). `include_total_count=true` wraps the page as `{teams, total_count}`.
  func listTeams(_ request: APIRequest) throws(APIError) -> APIResponse {
    let (caller, _) = try authenticate(request)
    if !caller.isSystemAdmin && isGuest(caller) {
      throw APIError(
        403, "api.team.get_all_teams.insufficient_permissions",
        "You don't have the appropriate permissions to list all teams.")
    }
    let all = org.teams.values.filter { caller.isSystemAdmin || $0.allowOpenInvite }
      .sorted { ($0.displayName, $0.id) < ($1.displayName, $1.id) }
    let page = pageOf(all, request).map { teamJSON($0, for: caller) }
    guard SandboxRules.parseBool(request.query["include_total_count"]) else { return .ok(.array(page)) }
    return .ok(.object([("teams", .array(page)), ("total_count", .int(Int64(all.count)))]))
  }

  /// GET /teams/name/{name} (getTeamByName): lowercased by the router (web/params.go); 404
  /// app.team.get_by_name.missing.app_error; an invite-only team needs view_team.
  func getTeamByName(_ request: APIRequest, name: String) throws(APIError) -> APIResponse {
    let (caller, _) = try authenticate(request)
    guard let team = org.team(named: SandboxRules.goLower(name)) else {
      throw APIError(404, "app.team.get_by_name.missing.app_error", "Unable to find the existing team.")
    }
    if !team.allowOpenInvite { try requireInTeam(team.id, caller) }
    return .ok(teamJSON(team, for: caller))
  }

  /// GET /teams/{id} (getTeam): the team by id, archived ones included (app/team.go GetTeam reads the
  /// store by id alone); an invite-only team needs view_team, as by name.
  func getTeam(_ request: APIRequest, teamID: String) throws(APIError) -> APIResponse {
    let (caller, _) = try authenticate(request)
    let team = try teamRecord(teamID)
    if !team.allowOpenInvite { try requireInTeam(team.id, caller) }
    return .ok(teamJSON(team, for: caller))
  }

  /// GET /teams/{id}/members (getTeamMembers): active rows ordered by user id, deactivated users
  /// included unless `exclude_deleted_users=true`; `sort=Username` orders by username instead.
  func listTeamMembers(_ request: APIRequest, teamID: String) throws(APIError) -> APIResponse {
    let (caller, _) = try authenticate(request)
    let team = try teamRecord(teamID)
    try requireInTeam(team.id, caller)
    var ids = org.orderedTeamMemberIDs(team.id)
    if SandboxRules.parseBool(request.query["exclude_deleted_users"]) {
      ids = ids.filter { users[$0]?.isActive ?? false }
    }
    if request.query["sort"] == "Username" { ids.sort { (users[$0]?.username ?? "") < (users[$1]?.username ?? "") } }
    return .ok(.array(pageOf(ids, request).compactMap { org.teamMember(team.id, $0)?.json }))
  }

  /// GET /teams/{id}/stats (api4/team.go getTeamStats; model/team_stats.go TeamStats): every active
  /// membership row, and those of users who are not deactivated, which is the count MaxUsersPerTeam is
  /// held to (app/team.go joinUserToTeam, GetActiveMemberCount).
  func teamStats(_ request: APIRequest, teamID: String) throws(APIError) -> APIResponse {
    let (caller, _) = try authenticate(request)
    let team = try teamRecord(teamID)
    try requireInTeam(team.id, caller)
    let ids = org.orderedTeamMemberIDs(team.id)
    return .ok(
      .object([
        ("team_id", .string(team.id)), ("total_member_count", .int(Int64(ids.count))),
        ("active_member_count", .int(Int64(ids.count { users[$0]?.isActive ?? false }))),
      ]))
  }

  /// POST /teams/{id}/members/ids (getTeamMembersByIds): the active members among the ids; an empty
  /// list is 400 invalid_body_param user_ids, a body that is no string array 400 api.payload.parse.error
  /// (as getChannelMembersByIds; the team handler's parse error id is UNVERIFIED).
  func teamMembersByIDs(_ request: APIRequest, teamID: String) throws(APIError) -> APIResponse {
    let (caller, _) = try authenticate(request)
    let ids = try idList(request)
    let team = try teamRecord(teamID)
    try requireInTeam(team.id, caller)
    let found = Set(ids).sorted().compactMap { org.activeTeamMember(team.id, $0) }
    return .ok(.array(found.map(\.json)))
  }

  /// A body decoded by model.SortedArrayFromJSON.
  func idList(_ request: APIRequest) throws(APIError) -> [String] {
    guard let ids = stringArray(request) else {
      throw APIError(400, "api.payload.parse.error", "Unable to parse payload.")
    }
    guard !ids.isEmpty else { throw APIError.invalidBody("user_ids") }
    return ids
  }

  /// GET /users/{id}/teams/members (getTeamMembersForUser): every row, soft-deleted ones included
  /// (GetTeamsForUser with includeDeleted=true); self or edit_other_users.
  func teamMembersForUser(_ request: APIRequest, userID: String) throws(APIError) -> APIResponse {
    let (caller, _) = try authenticate(request)
    let target = try pathUser(userID, caller: caller)
    try requireActsFor(target, caller)
    let rows = org.teamMembers.keys.sorted().compactMap { org.teamMember($0, target) }
    return .ok(.array(rows.map(\.json)))
  }
}
