extension PlanBuilder {
  /// A reset the server did not send when the account was created (its mail service failed: app/user.go
  /// SendPasswordReset answers 500 api.user.send_password_reset.send.app_error) is asked for again, to the
  /// address the account has now: the create that planned it will not run again.
  mutating func planPendingReset(_ spec: UserSpec, _ user: LiveUser) {
    let name = spec.username
    guard pendingResets.contains(name), spec.sendPasswordReset else { return }
    guard user.isActive, user.isManageable, user.authService.isEmpty, !accounts.isActing(user),
      !user.email.isEmpty
    else {
      warn(
        name, "the password reset an earlier apply could not send is not asked again: the account cannot receive one")
      return
    }
    // An address changed in this plan would leave the reset addressed to the old one; it waits a run.
    if steps.contains(where: { $0.userID == user.id && $0.changes.contains { $0.field == ProfileField.email.key } }) {
      return
    }
    add(
      Step(
        .user(.sendPasswordReset(email: ServerRules.normalizeEmail(user.email))), username: name, userID: user.id,
        reason: "an earlier apply could not send it"))
  }
}
