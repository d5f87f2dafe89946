/// What counts as privilege on a Mattermost server: every role that carries administrative permissions,
/// not only system_admin. The built-in system roles are defined in the server's model/role.go
/// (MakeDefaultRoles): system_manager, system_user_manager and system_read_only_admin hold sysconsole
/// permissions, system_user_access_token lets an account mint tokens, system_post_all(_public) lets it post
/// anywhere. Any other `system_*` role roster meets is treated as privileged too, since a role the
/// server added later is more likely an admin role than a plain one; only system_user and system_guest
/// are plain.
public enum Privilege {
  /// The built-in roles with administrative reach (model/role.go).
  public static let builtInAdminRoles: Set<String> = [
    "system_admin", "system_manager", "system_user_manager", "system_read_only_admin", "system_user_access_token",
    "system_post_all", "system_post_all_public", "system_custom_group_admin", "system_shared_channel_manager",
  ]

  /// The roles an account holds without any administrative reach.
  static let plainRoles: Set<String> = ["system_user", "system_guest"]

  public static func isAdminRole(_ role: String) -> Bool {
    builtInAdminRoles.contains(role) || (role.hasPrefix("system_") && !plainRoles.contains(role))
  }

  /// The admin roles among `roles`, sorted for stable output.
  public static func adminRoles<S: Sequence>(in roles: S) -> [String] where S.Element == String {
    Set(roles.filter(isAdminRole)).sorted()
  }

  /// Whether an account with these roles holds any admin role.
  public static func holdsAdminRole<S: Sequence>(_ roles: S) -> Bool where S.Element == String {
    roles.contains(where: isAdminRole)
  }
}

extension LiveUser {
  /// Holds any admin role (see `Privilege`), active or not.
  public var isPrivileged: Bool { Privilege.holdsAdminRole(roleSet) }
}
