#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
import RosterCore

/// `plan --read-only`: before reading, roster asks what its token may see, so that a narrower token's
/// partial answers are never taken for the whole server.
extension ServerReader {
  /// The permissions of the acting user's system roles: POST /roles/names takes any session
  /// (api4/role.go getRolesByNames; unknown names are left out). Team and channel roles are not read:
  /// the permissions that decide what the reads return (manage_system, view_members, read_others_bots,
  /// read_user_access_token) are system-wide ones.
  func systemPermissions(of user: LiveUser) async throws(APIFailure) -> Set<String> {
    struct Role: Decodable { var permissions: [String]? }
    let names = user.roles.split(separator: " ").map(String.init)
    guard !names.isEmpty else { return [] }
    let path = "/roles/names"
    let response = try await connection.send("POST", path, body: APIJSON.body(names))
    let roles = try connection.json([Role].self, response, path: path)
    return Set(roles.flatMap { $0.permissions ?? [] })
  }

  /// What `acting` may read, and whether that includes its own tokens (GET /users/{id}/tokens needs
  /// read_user_access_token, which system_user_access_token grants).
  func sight(of acting: LiveUser, config: ClientConfiguration) async throws(APIFailure) -> (
    ReadSight, ownTokens: Bool
  ) {
    let permissions = try await systemPermissions(of: acting)
    let sight = ReadSight(
      permissions: permissions, showEmailAddress: config.showEmailAddress, showFullName: config.showFullName)
    return (sight, permissions.contains("read_user_access_token") || permissions.contains("manage_system"))
  }
}
