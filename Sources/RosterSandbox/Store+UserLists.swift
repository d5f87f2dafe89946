import Foundation

/// User lists and counts (api4/user.go getUsers, getUsersByIds, getUsersByNames, getTotalUsersStats,
/// getFilteredUsersStats; store/sqlstore/user_store.go).
extension SandboxStore {
  /// GET /users: username ASC, OFFSET/LIMIT paging, deactivated users and bots included by default.
  func listUsers(_ request: APIRequest) throws(APIError) -> APIResponse {
    let (caller, _) = try authenticate(request)
    let q = request.query
    let (page, perPage) = paging(request)
    let value = { (key: String) in q[key] ?? "" }
    if !value("not_in_channel").isEmpty && value("in_team").isEmpty { throw APIError.invalidURL("team_id") }
    try checkSort(value)
    // Flags read with strconv.ParseBool, errors ignored: "True" is true, "yes" is false.
    let onlyActive = SandboxRules.parseBool(q["active"])
    let onlyInactive = SandboxRules.parseBool(q["inactive"])
    var roleFilters: [String] = []
    if let role = q["role"], !role.isEmpty {
      // c.SetInvalidParam: the body-parameter id, though role is in the URL.
      guard SandboxRules.builtInRoles.contains(role) else { throw APIError.invalidBody("role") }
      roleFilters.append(role)
    }
    if let roles = q["roles"], !roles.isEmpty {
      for r in roles.split(separator: ",") where !SandboxRules.builtInRoles.contains(String(r)) {
        throw APIError.invalidBody("roles")
      }
    }
    // No teams, channels or groups exist in the sandbox: membership filters match nobody.
    if ["in_team", "in_channel", "in_group"].contains(where: { !value($0).isEmpty }) { return .ok(.array([])) }
    let rolesAny = (q["roles"] ?? "").split(separator: ",").map(String.init)
    func matches(_ u: UserRecord) -> Bool {
      if onlyActive && !u.isActive { return false }
      if onlyInactive && u.isActive { return false }
      if let role = roleFilters.first, !u.roles.contains(role) { return false }
      if !rolesAny.isEmpty {
        // system_user matches the whole roles string exactly; the others match as substrings.
        let hit = rolesAny.contains { r in r == "system_user" ? u.roles == "system_user" : u.roles.contains(r) }
        if !hit { return false }
      }
      return true
    }
    let filtered = onlyActive || onlyInactive || !roleFilters.isEmpty || !rolesAny.isEmpty
    var out: [JSONValue] = []
    out.reserveCapacity(perPage)
    if perPage > 0 {
      if !filtered {
        let start = min(page * perPage, sortedIDs.count)
        let end = min(start + perPage, sortedIDs.count)
        for id in sortedIDs[start..<end] {
          if let u = users[id] { out.append(rendered(u, inListFor: caller)) }
        }
      } else {
        var skip = page * perPage
        for id in sortedIDs {
          guard let u = users[id], matches(u) else { continue }
          if skip > 0 {
            skip -= 1
            continue
          }
          out.append(rendered(u, inListFor: caller))
          if out.count == perPage { break }
        }
      }
    }
    return .ok(.array(out))
  }

  /// api4/user.go getUsers: `sort` is one of five values, each allowed only with its membership filter
  /// (last_activity_at and create_at with in_team alone, status and admin with in_channel, display_name
  /// with in_group alone); anything else is 400 invalid_url_param `sort`.
  private func checkSort(_ value: (String) -> String) throws(APIError) {
    let sort = value("sort")
    guard !sort.isEmpty else { return }
    let others = ["not_in_team", "in_channel", "not_in_channel", "without_team", "in_group", "not_in_group"]
    let allowed: Bool
    switch sort {
    case "last_activity_at", "create_at":
      allowed = !value("in_team").isEmpty && others.allSatisfy { value($0).isEmpty }
    case "status", "admin":
      allowed = !value("in_channel").isEmpty
    case "display_name":
      allowed =
        !value("in_group").isEmpty
        && ["not_in_group", "in_team", "not_in_team", "in_channel", "not_in_channel", "without_team"].allSatisfy {
          value($0).isEmpty
        }
    default:
      allowed = false
    }
    if !allowed { throw APIError.invalidURL("sort") }
  }

  /// GET /users/stats: any session; active users, bots included, remote users left out (app/user.go
  /// GetTotalUsersStats counts with IncludeBotAccounts only; store Count drops deleted and remote users).
  func totalStats(_ request: APIRequest) throws(APIError) -> APIResponse {
    _ = try authenticate(request)
    let count = users.values.count { $0.isActive && $0.remoteID.isEmpty }
    return .ok(.object([("total_users_count", .int(Int64(count)))]))
  }

  /// GET /users/stats/filtered: a count, manage_system only; deleted users, bots and remote users
  /// counted only when asked for (api4/user.go getFilteredUsersStats reads each flag with
  /// strconv.ParseBool, ignoring errors; store Count excludes RemoteId users unless IncludeRemoteUsers).
  func filteredStats(_ request: APIRequest) throws(APIError) -> APIResponse {
    let (caller, _) = try authenticate(request)
    try require("manage_system", caller)
    let deleted = SandboxRules.parseBool(request.query["include_deleted"])
    let bots = SandboxRules.parseBool(request.query["include_bots"])
    let remote = SandboxRules.parseBool(request.query["include_remote_users"])
    let count = users.values.count {
      (deleted || $0.isActive) && (bots || !$0.isBot) && (remote || $0.remoteID.isEmpty)
    }
    return .ok(.object([("total_users_count", .int(Int64(count)))]))
  }

  /// POST /users/ids: deduplicated, unknown ids omitted, username ASC, `since` keeps newer updates; every
  /// entry profile-sanitised, the caller's own too (app/user.go GetUsersByIds, sanitizeProfiles).
  func usersByIDs(_ request: APIRequest) throws(APIError) -> APIResponse {
    let (caller, _) = try authenticate(request)
    guard let ids = stringArray(request), !ids.isEmpty else { throw APIError.invalidBody("user_ids") }
    // strconv.ParseInt; an unparsable value is c.SetInvalidParamWithErr("since").
    var since: Int64 = 0
    if let text = request.query["since"], !text.isEmpty {
      guard let parsed = Int64(text) else { throw APIError.invalidBody("since") }
      since = parsed
    }
    let found = Set(ids).compactMap { users[$0] }.filter { since <= 0 || $0.updateAt > since }
    return .ok(.array(found.sorted { $0.username < $1.username }.map { rendered($0, inListFor: caller) }))
  }

  /// POST /users/usernames: exact, case-sensitive; sanitised like /users/ids.
  func usersByUsernames(_ request: APIRequest) throws(APIError) -> APIResponse {
    let (caller, _) = try authenticate(request)
    guard let names = stringArray(request), !names.isEmpty else { throw APIError.invalidBody("usernames") }
    let found = Set(names).compactMap { idByUsername[$0].flatMap { users[$0] } }
    return .ok(.array(found.sorted { $0.username < $1.username }.map { rendered($0, inListFor: caller) }))
  }
}
