import Foundation

/// Team membership writes (server/channels/api4/team.go addTeamMember, addTeamMembers,
/// removeTeamMember, updateTeamMemberSchemeRoles; app/team.go AddTeamMembers). Checks run in the
/// handlers' order.
extension SandboxStore {
  static let maxAddMembersBatch = 256

  /// Group-constrained teams and channels refuse anyone outside their groups, the whole request.
  static func userDenied(_ kind: String) -> APIError {
    APIError(
      400, "api.\(kind).add_members.user_denied", "This \(kind) is managed by groups. This user is not in a group.")
  }

  /// A body decoded into model.TeamMember: the two ids, each nil when absent; a mistyped field fails.
  private func teamMemberBody(_ value: JSONValue?) -> (teamID: String, userID: String)? {
    guard case .object(let pairs)? = value else { return value == .null ? ("", "") : nil }
    func field(_ key: String) -> String?? {
      switch pairs.first(where: { $0.0 == key })?.1 {
      case nil, .null?: return .some("")
      case .string(let s)?: return .some(s)
      default: return .none
      }
    }
    guard let team = field("team_id"), let user = field("user_id") else { return nil }
    return (team ?? "", user ?? "")
  }

  /// POST /teams/{id}/members: 201 with the member; an active member comes back as-is.
  func addTeamMember(_ request: APIRequest, teamID: String) throws(APIError) -> APIResponse {
    let (caller, _) = try authenticate(request)
    guard Self.isValidID(teamID) else { throw APIError.invalidURL("team_id") }
    guard let body = teamMemberBody(JSONValue.parse(request.body)) else {
      throw APIError(400, "api.team.add_team_member.invalid_body.app_error", "Error in model.TeamMemberFromJSON()")
    }
    guard body.teamID == teamID else { throw APIError.invalidBody("team_id") }
    guard Self.isValidID(body.userID) else { throw APIError.invalidBody("user_id") }
    if body.userID == caller.id {
      let team = try teamRecord(teamID)
      // join_public_teams is a system_user permission (not a guest's); join_private_teams the admin's.
      if team.allowOpenInvite && isGuest(caller) && !caller.isSystemAdmin {
        throw APIError.permissions("join_public_teams")
      }
      if !team.allowOpenInvite { try require("join_private_teams", caller) }
    } else {
      try require("add_user_to_team", caller)
    }
    let team = try teamRecord(teamID)
    if team.isGroupConstrained { throw Self.userDenied("team") }
    let member = try joinTeam(team, try user(body.userID), requestor: nil)
    try persistOrFail()
    return APIResponse(status: 201, body: member.json)
  }

  /// POST /teams/{id}/members/batch[?graceful=…]: 1–256 members (else 400), the whole batch refused on
  /// a group-constrained team, then add_user_to_team. Without `graceful` the first failure is the answer
  /// and the users before it stay added (app/team.go AddTeamMembers returns mid-loop); with it (any
  /// non-empty value) 201 with `[{user_id, member, error}]`, one per user.
  func addTeamMembers(_ request: APIRequest, teamID: String) throws(APIError) -> APIResponse {
    let (caller, _) = try authenticate(request)
    let graceful = !(request.query["graceful"] ?? "").isEmpty
    guard Self.isValidID(teamID) else { throw APIError.invalidURL("team_id") }
    guard let items = JSONValue.parse(request.body)?.arrayValue ?? (JSONValue.parse(request.body) == .null ? [] : nil)
    else { throw APIError.invalidBody("members") }
    var members: [(teamID: String, userID: String)] = []
    for item in items {
      guard let member = teamMemberBody(item) else { throw APIError.invalidBody("members") }
      members.append(member)
    }
    if members.count > Self.maxAddMembersBatch { throw APIError.invalidBody("too many members in batch") }
    if members.isEmpty { throw APIError.invalidBody("no members in batch") }
    let team = try teamRecord(teamID)
    if team.isGroupConstrained { throw Self.userDenied("team") }
    for member in members {
      guard member.teamID == teamID else {
        throw APIError.invalidBody("team_id for member with user_id=\(member.userID)")
      }
      guard Self.isValidID(member.userID) else { throw APIError.invalidBody("user_id") }
    }
    try require("add_user_to_team", caller)
    var results: [JSONValue] = []
    for member in members {
      do throws(APIError) {
        let added = try joinTeam(team, try user(member.userID), requestor: caller.id)
        results.append(
          graceful
            ? .object([("user_id", .string(member.userID)), ("member", added.json), ("error", .null)]) : added.json)
      } catch {
        try persistOrFail()
        guard graceful else { throw error }
        results.append(
          .object([("user_id", .string(member.userID)), ("member", .null), ("error", error.body(requestID: ""))]))
      }
    }
    try persistOrFail()
    return APIResponse(status: 201, body: .array(results))
  }

  /// DELETE /teams/{id}/members/{uid}: remove_user_from_team unless leaving oneself; a group-constrained
  /// team refuses removing anyone but oneself or a bot (400 api.team.remove_member.group_constrained);
  /// then LeaveTeam and its cascade (Store+Membership.swift). 200 `{"status":"OK"}`.
  func removeTeamMember(_ request: APIRequest, teamID: String, userID: String) throws(APIError) -> APIResponse {
    let (caller, _) = try authenticate(request)
    guard Self.isValidID(teamID) else { throw APIError.invalidURL("team_id") }
    let target = try pathUser(userID, caller: caller)
    if target != caller.id { try require("remove_user_from_team", caller) }
    let team = try teamRecord(teamID)
    let user = try self.user(target)
    if team.isGroupConstrained && target != caller.id && !user.isBot {
      throw APIError(
        400, "api.team.remove_member.group_constrained.app_error",
        "Unable to remove a user from a group-constrained team.")
    }
    try leaveTeam(team, user, requestor: caller.id)
    try persistOrFail()
    return .statusOK
  }

  /// A model.SchemeRoles body: three booleans, absent ones false; a mistyped one fails the decode.
  func schemeRolesBody(_ request: APIRequest) throws(APIError) -> SchemeFlags {
    let parsed = JSONValue.parse(request.body)
    if parsed == .null { return SchemeFlags(guest: false, user: false) }
    guard case .object(let pairs)? = parsed else { throw APIError.invalidBody("scheme_roles") }
    func flag(_ key: String) throws(APIError) -> Bool {
      switch pairs.first(where: { $0.0 == key })?.1 {
      case nil, .null?: return false
      case .bool(let b)?: return b
      default: throw APIError.invalidBody("scheme_roles")
      }
    }
    return SchemeFlags(guest: try flag("scheme_guest"), user: try flag("scheme_user"), admin: try flag("scheme_admin"))
  }

  /// PUT /teams/{id}/members/{uid}/schemeRoles (app/team.go UpdateTeamMemberSchemeRoles): manage_team_roles;
  /// the row (a left one too) or 404 app.team.get_member.missing.app_error; user and guest together 400.
  /// All three flags are set as sent; explicit roles stay.
  func updateTeamMemberSchemeRoles(_ request: APIRequest, teamID: String, userID: String) throws(APIError)
    -> APIResponse
  {
    let (caller, _) = try authenticate(request)
    guard Self.isValidID(teamID) else { throw APIError.invalidURL("team_id") }
    let target = try pathUser(userID, caller: caller)
    let flags = try schemeRolesBody(request)
    try require("manage_team_roles", caller)
    guard var member = org.teamMember(teamID, target) else { throw Self.teamMemberMissing }
    if flags.user && flags.guest {
      throw APIError(
        400, "api.team.update_team_member_roles.guest_and_user.app_error",
        "Invalid team member update: A user must be a guest or a user but not both.")
    }
    (member.flags.guest, member.flags.user, member.flags.admin) = (flags.guest, flags.user, flags.admin)
    org.put(member)
    try persistOrFail()
    return .statusOK
  }
}
