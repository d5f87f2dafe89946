/// POST /roles/names (server/channels/api4/role.go getRolesByNames): any session may read roles by name;
/// roster reads the acting token's own roles there to learn what it may see (`plan --read-only`).
extension SandboxStore {
  /// model/role.go CleanRoleNames: blank names are dropped, any other name must be 1-64 characters of
  /// `a-z0-9_` (IsValidRoleName) or the whole call is 400 `rolename`; no names at all is 400 `rolenames`,
  /// more than 100 (GetRolesByNamesMax) 400 `api.roles.get_multiple_by_name_too_many.request_error`.
  /// Unknown names are left out of the answer (store GetByNames returns the rows it finds).
  func rolesByNames(_ request: APIRequest) throws(APIError) -> APIResponse {
    _ = try authenticate(request)
    guard let names = stringArray(request), !names.isEmpty else { throw APIError.invalidBody("rolenames") }
    if names.count > 100 {
      throw APIError(
        400, "api.roles.get_multiple_by_name_too_many.request_error",
        "Unable to get that many roles by name. Only 100 roles can be requested at a time.")
    }
    let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789_")
    var wanted: [String] = []
    for name in names where !name.allSatisfy(\.isWhitespace) {
      guard name.count <= 64, name.allSatisfy(allowed.contains) else { throw APIError.invalidBody("rolename") }
      if !wanted.contains(name) { wanted.append(name) }
    }
    return .ok(.array(wanted.compactMap { name in SandboxRoles.permissions[name].map { roleJSON(name, $0) } }))
  }

  private func roleJSON(_ name: String, _ permissions: [String]) -> JSONValue {
    .object([
      ("id", .string(SandboxRoles.ids[name] ?? "")), ("name", .string(name)),
      ("display_name", .string("authentication.roles.\(name).name")),
      ("description", .string("authentication.roles.\(name).description")), ("create_at", .int(0)),
      ("update_at", .int(0)), ("delete_at", .int(0)), ("permissions", .array(permissions.map(JSONValue.string))),
      ("scheme_managed", .bool(SandboxRoles.schemeManaged.contains(name))), ("built_in", .bool(true)),
    ])
  }
}

/// The built-in system roles' permissions, as the sandbox grants them (`SandboxStore.require`).
/// system_user, system_guest, system_post_all(_public) and system_user_access_token carry the defaults of
/// model/role.go MakeDefaultRoles. system_admin holds every permission on the server; here it lists every
/// permission the sandbox checks. The other built-in system roles (user manager, read-only admin, system
/// manager, ...) are granted nothing beyond system_user's in the sandbox, so none is listed for them.
enum SandboxRoles {
  static let systemUser = [
    "list_public_teams", "join_public_teams", "create_direct_channel", "create_group_channel", "view_members",
    "create_team", "create_custom_group", "edit_custom_group", "delete_custom_group", "manage_custom_group_members",
  ]
  static let tokens = ["create_user_access_token", "read_user_access_token", "revoke_user_access_token"]
  static let checked = [
    "add_user_to_team", "create_bot", "demote_to_guest", "edit_other_users", "join_private_teams",
    "list_private_teams", "manage_bots", "manage_channel_roles", "manage_others_bots", "manage_private_channel_members",
    "manage_public_channel_members", "manage_roles", "manage_system", "manage_team_roles", "promote_guest",
    "read_bots", "read_others_bots", "remove_user_from_team", "sysconsole_read_user_management_channels",
    "sysconsole_read_user_management_users", "sysconsole_write_user_management_users",
  ]
  static let permissions: [String: [String]] = [
    "system_user": systemUser,
    "system_guest": ["create_direct_channel", "create_group_channel"],
    "system_post_all": ["create_post", "use_channel_mentions"],
    "system_post_all_public": ["create_post_public", "use_channel_mentions"],
    "system_user_access_token": tokens,
    "system_admin": Array(Set(systemUser + tokens + checked)).sorted(),
    "system_user_manager": [], "system_read_only_admin": [], "system_manager": [],
    "system_custom_group_admin": [], "system_shared_channel_manager": [],
  ]
  static let schemeManaged: Set = ["system_user", "system_guest", "system_admin"]
  /// Role rows have ids like any other; one per name for the sandbox's lifetime.
  static let ids: [String: String] = Dictionary(
    uniqueKeysWithValues: permissions.keys.map { ($0, SandboxStore.newID()) })
}
