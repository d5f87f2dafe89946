import Foundation

/// Deactivation, reactivation and DELETE (api4/user.go updateUserActive, deleteUser; app/user.go
/// UpdateActive, userDeactivated).
extension SandboxStore {
  /// PUT /users/{id}/active (api4/user.go updateUserActive, app/user.go UpdateActive).
  func updateActive(_ request: APIRequest, id: String) throws(APIError) -> APIResponse {
    let (caller, _) = try authenticate(request)
    let targetID = try pathUser(id, caller: caller)
    let body = try bodyObject(request, name: "active")
    guard let active = body.first(where: { $0.0 == "active" })?.1.boolValue else {
      throw APIError.invalidBody("active")
    }
    if targetID == caller.id && !active {
      guard settings.enableUserDeactivation else {
        throw APIError(
          401, "api.user.update_active.not_enable.app_error",
          "You cannot deactivate yourself because this feature is not enabled. Please contact your System Administrator."
        )
      }
    } else if !caller.isSystemAdmin {
      throw APIError(
        403, "api.user.update_active.permissions.app_error", "You do not have the appropriate permissions.")
    }
    var u = try user(targetID)
    try setActive(&u, active)
    return .statusOK
  }

  /// Deactivation revokes the user's sessions; its tokens stay but cannot authenticate until reactivation.
  /// Then, with DisableBotsWhenOwnerIsDeactivated, every bot the user owns is disabled (app/user.go
  /// userDeactivated); reactivating the owner enables none of them again.
  func setActive(_ u: inout UserRecord, _ active: Bool) throws(APIError) {
    let at = now()
    u.updateAt = at
    u.deleteAt = active ? 0 : at
    if !active {
      for (token, session) in sessions where session.userID == u.id && token != adminToken { sessions[token] = nil }
    }
    replace(u)
    try persistOrFail()
    if !active && settings.disableBotsWhenOwnerIsDeactivated { try disableBots(ownedBy: u.id) }
  }

  /// DELETE /users/{id}: deactivates; `permanent=true` needs EnableAPIUserDeletion.
  func deleteUser(_ request: APIRequest, id: String) throws(APIError) -> APIResponse {
    let (caller, _) = try authenticate(request)
    let targetID = try pathUser(id, caller: caller)
    try requireActsFor(targetID, caller)
    var u = try user(targetID)
    if u.isSystemAdmin && targetID != caller.id { try require("manage_system", caller) }
    if SandboxRules.parseBool(request.query["permanent"]) && !settings.enableAPIUserDeletion {
      throw APIError(
        401, "api.user.delete_user.not_enabled.app_error",
        "Permanent user deletion feature is not enabled. Please contact your System Administrator.")
    }
    if targetID == caller.id && !settings.enableUserDeactivation && !caller.isSystemAdmin {
      throw APIError(
        401, "api.user.update_active.not_enable.app_error",
        "You cannot deactivate yourself because this feature is not enabled. Please contact your System Administrator.")
    }
    try setActive(&u, false)
    return .statusOK
  }
}
