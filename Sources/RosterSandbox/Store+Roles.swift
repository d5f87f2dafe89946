import Foundation

/// System roles, guest promotion and demotion (api4/user.go updateUserRoles, promoteGuestToUser,
/// demoteUserToGuest; app/user.go UpdateUserRolesWithUser).
extension SandboxStore {
  /// POST /users/{id}/promote (api4/user.go promoteGuestToUser): no license check; permission
  /// promote_guest, 404 for no user, 501 for a user who is no guest; then each system_guest becomes
  /// system_user, the rest kept (store PromoteGuestToUser).
  func promoteGuest(_ request: APIRequest, id: String) throws(APIError) -> APIResponse {
    let (caller, _) = try authenticate(request)
    try require("promote_guest", caller)
    let u = try existingUser(id)
    guard u.roleSet.contains("system_guest") else {
      throw APIError(
        501, "api.user.promote_guest_to_user.no_guest.app_error",
        "Unable to convert the user to member because is not a guest.")
    }
    let promoted = u.roles.split(separator: " ").map { $0 == "system_guest" ? "system_user" : String($0) }
    return try storeRoles(u, promoted.joined(separator: " "))
  }

  /// POST /users/{id}/demote (api4/user.go demoteUserToGuest): the license and guest-account checks come
  /// before the permission check (501, 501, 403); then 404, 501 for a guest; roles become exactly
  /// system_guest, system_admin included (store DemoteUserToGuest). The last-admin guard does not apply.
  func demoteToGuest(_ request: APIRequest, id: String) throws(APIError) -> APIResponse {
    let (caller, _) = try authenticate(request)
    guard settings.guestAccounts else {
      throw APIError(501, "api.team.demote_user_to_guest.license.error", "Your license does not support guest accounts")
    }
    try require("demote_to_guest", caller)
    let u = try existingUser(id)
    if u.isSystemAdmin { try require("manage_system", caller) }
    guard !u.roleSet.contains("system_guest") else {
      throw APIError(
        501, "api.user.demote_user_to_guest.already_guest.app_error",
        "Unable to convert the user to guest because is already a guest.")
    }
    return try storeRoles(u, "system_guest")
  }

  private func existingUser(_ id: String) throws(APIError) -> UserRecord {
    guard let u = users[id] else { throw APIError(404, "app.user.missing_account.const", "Unable to find the user.") }
    return u
  }

  /// The store's roles update, promote and demote: new roles and update_at, persisted before the answer.
  private func storeRoles(_ user: UserRecord, _ roles: String) throws(APIError) -> APIResponse {
    var u = user
    u.roles = roles
    u.updateAt = now()
    replace(u)
    try persistOrFail()
    return .statusOK
  }

  /// PUT /users/{id}/roles, checks in the handler's order (api4/user.go updateUserRoles,
  /// app/user.go UpdateUserRolesWithUser, model/user.go IsValidUserRoles).
  func updateRoles(_ request: APIRequest, id: String) throws(APIError) -> APIResponse {
    let (caller, _) = try authenticate(request)
    let targetID = try pathUser(id, caller: caller)
    let body = (try? bodyObject(request, name: "roles")) ?? []
    // A missing or non-string value reads as "", which passes and clears every role.
    let roles = body.first { $0.0 == "roles" }?.1.stringValue ?? ""
    let names = roles.split(separator: " ").map(String.init)
    let wellFormed = names.allSatisfy { name in
      (1...64).contains(name.utf8.count)
        && name.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 95 }
    }
    if !wellFormed || roles == "system_admin" { throw APIError.invalidBody("roles") }
    if names.contains(where: SandboxRules.licensedRoles.contains) {
      throw APIError(
        400, "api.user.update_user_roles.license.app_error",
        "Custom permission schemes not supported by current license")
    }
    try require("manage_roles", caller)
    guard let u = users[targetID] else {
      throw APIError(400, "app.user.missing_account.const", "Unable to find the user.")
    }
    if let unknown = names.first(where: { !SandboxRules.builtInRoles.contains($0) }) {
      throw APIError(400, "app.role.check_roles_exist.role_not_found", "The provided role does not exist: \(unknown)")
    }
    // app/user.go UpdateUserRolesWithUser: whatever the target's own state, removing system_admin (a
    // substring test on the new roles) is refused while at most one active, non-bot, local user's roles
    // contain "system_admin" (store Count with a role LIKE filter).
    if u.isSystemAdmin && !roles.contains("system_admin") {
      let admins = users.values.count {
        $0.roles.contains("system_admin") && $0.isActive && !$0.isBot && $0.remoteID.isEmpty
      }
      if admins <= 1 {
        throw APIError(400, "app.user.update.lastAdmin.app_error", "You cannot remove the last system admin.")
      }
    }
    return try storeRoles(u, roles)
  }
}
