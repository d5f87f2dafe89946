extension Plan {
  /// What deactivating does beyond `delete_at`, said wherever deactivations are listed: the server
  /// revokes the user's sessions, disables the bots the user owns (app/user.go userDeactivated ->
  /// app/bot.go disableUserBots, while ServiceSettings.DisableBotsWhenOwnerIsDeactivated is on, the
  /// default) and removes the OAuth app authorizations the user granted (store OAuth
  /// RemoveAuthDataByUserId); reactivating restores none of it.
  public static let deactivationEffects =
    "Deactivating a user signs them out everywhere, disables the bots they own (and those bots' tokens) and "
    + "removes the OAuth app authorizations they granted; reactivation restores none of it."

  /// The reason a reactivation carries when the account is a system admin: a privilege change.
  public static let reactivatesAdmin = "a system admin"

  /// Steps that change who holds privilege, and how (see `Privilege`): granting or removing an admin
  /// role, reactivating, demoting or deactivating an admin, and changing an admin's username or email
  /// (whoever owns the address can reset the password) or taking away its tokens. What a reviewer must
  /// see first, in every format, never folded or cut.
  public var privilegeChanges: [(step: Step, what: String)] {
    steps.compactMap { step in
      let admin = step.userID.map(privilegedUserIDs.contains) ?? false
      switch step.change {
      case .setRoles(let before, let after):
        let granted = Privilege.adminRoles(in: after).filter { !before.contains($0) }
        let removed = Privilege.adminRoles(in: before).filter { !after.contains($0) }
        var parts: [String] = []
        if !granted.isEmpty { parts.append("grants " + granted.joined(separator: ", ")) }
        if !removed.isEmpty { parts.append("removes " + removed.joined(separator: ", ")) }
        return parts.isEmpty ? nil : (step, parts.joined(separator: "; "))
      case .reactivateUser where admin || step.reason == Plan.reactivatesAdmin:
        return (step, "reactivates an admin")
      case .demoteToGuest: return (step, "demotes to a guest")
      case .deactivateUser where admin: return (step, "deactivates an admin")
      case .renameUser(let fields) where admin:
        let email = fields.contains { $0.field == ProfileField.email.key }
        return (
          step,
          "renames an admin (\(step.renamedFrom ?? "") → \(step.username))" + (email ? " and changes its email" : "")
        )
      case .patchProfile(let fields) where admin && fields.contains { $0.field == ProfileField.email.key }:
        let email = fields.first { $0.field == ProfileField.email.key }
        return (step, "changes an admin's email (\(email?.old ?? "") → \(email?.new ?? ""))")
      case .revokeToken(let description, _) where admin: return (step, "revokes a token of an admin (\(description))")
      case .createToken(let description, _) where admin: return (step, "creates a token for an admin (\(description))")
      case .enableToken(let description, _?) where admin:
        return (step, "enables a token of an admin (\(description))")
      case .disableToken(let description, _?) where admin:
        return (step, "disables a token of an admin (\(description))")
      default: return nil
      }
    }
  }
}
