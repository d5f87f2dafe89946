/// Who holds privilege. "Admin role" is `Privilege`'s: every `system_*` role but system_user and
/// system_guest (model/role.go MakeDefaultRoles, plus any the server adds later).
extension AuditBuilder {
  mutating func privilegeFindings() {
    for user in live.users where user.isActive {
      let admin = Privilege.adminRoles(in: user.roleSet)
      guard !admin.isEmpty else { continue }
      let kind = Self.kind(user)
      let common: [String: AuditValue] = [
        "kind": .string(kind), "auth_method": .string(Self.authMethod(user)), "mfa_active": .bool(user.mfaActive),
        "roles": .strings(admin),
      ]
      if user.isSystemAdmin {
        add(.systemAdmin, user, "\(kind) system admin, signs in with \(Self.authMethod(user))", common)
      }
      let delegated = admin.filter { $0 != "system_admin" }
      if !delegated.isEmpty {
        add(.delegatedAdmin, user, "\(kind) holding \(delegated.joined(separator: ", "))", common)
      }
      if user.isBot { botWithAdminRole(user, admin) }
      // Bots never sign in with a password, and remote users sign in on their own server.
      if !user.isBot && !user.isRemote && user.authService.isEmpty && !user.mfaActive {
        var detail = common
        detail["mfa_enabled_on_server"] = input.posture?.mfaEnabled.map(AuditValue.bool) ?? .null
        detail["mfa_enforced_on_server"] = input.posture?.mfaEnforced.map(AuditValue.bool) ?? .null
        let server =
          input.posture?.mfaEnabled == false
          ? "; MFA is off on the server (ServiceSettings.EnableMultifactorAuthentication)" : ""
        add(
          .adminWithoutMFA, user, "holds \(admin.joined(separator: ", ")), signs in with a password, MFA off\(server)",
          detail)
      }
    }
  }

  /// A bot with an admin role is a credential with that power that no person signs in to: its tokens
  /// are the account. The owner and the tokens go in the finding.
  mutating func botWithAdminRole(_ user: LiveUser, _ admin: [String]) {
    let tokens = (tokensByUser[user.id] ?? []).filter(\.isActive)
    var detail: [String: AuditValue] = [
      "roles": .strings(admin), "tokens_active": .int(Int64(tokens.count)),
      "token_ids": .strings(tokens.map(\.id).sorted()),
    ]
    var owner = "owner unknown (bot list not read)"
    if let bot = botsByID[user.id] {
      detail["owner_id"] = .string(bot.ownerID)
      detail["owner_username"] = usersByID[bot.ownerID].map { .string($0.username) } ?? .null
      owner = "owned by \(ownerName(bot.ownerID))"
    } else {
      detail["owner_id"] = .null
      detail["owner_username"] = .null
    }
    add(
      .botWithAdminRole, user,
      "bot holding \(admin.joined(separator: ", ")), \(owner), \(tokens.count) active token\(tokens.count == 1 ? "" : "s")",
      detail)
  }
}
