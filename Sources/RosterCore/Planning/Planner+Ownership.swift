/// Several manifests on one server: `settings.scope` says which accounts this manifest governs, and
/// `settings.owner` marks the accounts it creates or adopts in their `props` (`OwnerMarker`), so two
/// manifests never plan changes to each other's accounts.
extension PlanBuilder {
  /// Why a declared user may not be planned here: outside the scope (judged on the values the account
  /// will have: the declared email, else the live one; the live auth_service, which roster cannot
  /// change), or marked by another owner. nil when it is this manifest's to manage.
  func ownershipProblem(_ spec: UserSpec, _ user: LiveUser?) -> String? {
    if let scope = manifest.settings.scope,
      let problem = scope.exclusion(
        username: spec.username, email: spec.email ?? user?.email,
        authService: user?.authService ?? spec.authService ?? "")
    {
      return "\(spec.username) (declared at \(spec.mark)) is outside settings.scope: \(problem); this manifest "
        + "never changes accounts outside its scope. Widen the scope or move the user to the manifest that governs it"
    }
    if let user, let other = accounts.foreignOwner(user) {
      return "\(spec.username) is marked as owned by \"\(other)\" (\(OwnerMarker.key) in its props), not by "
        + (manifest.settings.owner.map { "this manifest's owner \"\($0)\"" } ?? "this manifest, which sets no owner")
        + "; remove it from one of the two manifests, or clear the marker in the other manifest's hands"
    }
    return nil
  }

  /// After a create or an adoption: the whole props map as read plus this manifest's marker (the
  /// server replaces the map on patch: model/user.go User.Patch). Nothing when no owner is set or the
  /// account already carries this owner's marker.
  mutating func planOwnerMark(_ name: String, _ user: LiveUser?, after: [Int] = []) {
    guard let owner = manifest.settings.owner else { return }
    var props = user?.props ?? [:]
    if props[OwnerMarker.key] == owner { return }
    if let user, !user.isManageable { return }
    props[OwnerMarker.key] = owner
    add(
      Step(
        .user(.markOwner(props: props)), username: name, userID: user?.id,
        reason: user == nil ? "created by owner \(owner)" : "adopted by owner \(owner)"),
      after: after)
  }

  /// Whether `unmanaged_users` may count and deactivate a live account nobody here declares: in scope,
  /// not marked by another owner, and, when this manifest has an owner, carrying its marker (an account
  /// no manifest adopted is not this manifest's to remove).
  func governsUnmanaged(_ user: LiveUser) -> Bool {
    guard accounts.inScope(user), accounts.foreignOwner(user) == nil else { return false }
    guard let owner = manifest.settings.owner else { return true }
    return user.props?[OwnerMarker.key] == owner
  }
}
