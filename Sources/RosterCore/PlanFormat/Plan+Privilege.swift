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
      return step.change.resource.privilegeChange(step, admin: admin).map { (step, $0) }
    }
  }
}
