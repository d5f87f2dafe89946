/// What counts as privilege on a Mattermost server: every role that carries administrative permissions,
/// not only system_admin. The built-in system roles are defined in the server's model/role.go
/// (MakeDefaultRoles): system_manager, system_user_manager and system_read_only_admin hold sysconsole
/// permissions, system_user_access_token lets an account mint tokens, system_post_all(_public) lets it post
/// anywhere. Any other `system_*` role roster meets is treated as privileged too, since a role the
/// server added later is more likely an admin role than a plain one; only system_user and system_guest
/// are plain.
public enum Privilege {
  /// Every `system_*` role but the two plain ones. This covers the built-in admin roles of model/role.go
  /// (system_admin, system_manager, system_user_manager, system_read_only_admin, system_user_access_token,
  /// system_post_all, system_post_all_public, system_custom_group_admin, system_shared_channel_manager)
  /// and any the server adds later. Generic, so the gates read each user's roles as substrings without copying them.
  public static func isAdminRole<S: StringProtocol>(_ role: S) -> Bool {
    role.hasPrefix("system_") && role != "system_user" && role != "system_guest"
  }

  /// The admin roles among `roles`, sorted for stable output.
  public static func adminRoles<S: Sequence>(in roles: S) -> [String] where S.Element == String {
    Set(roles.filter(isAdminRole)).sorted()
  }
}

extension LiveUser {
  /// Holds any admin role (see `Privilege`), active or not.
  public var isPrivileged: Bool {
    // Most users hold exactly the plain role; they are answered without splitting (every user of a large
    // server is asked, several times a plan).
    if roles == "system_user" || roles.isEmpty { return false }
    return roles.split(separator: " ").contains(where: Privilege.isAdminRole)
  }
}
