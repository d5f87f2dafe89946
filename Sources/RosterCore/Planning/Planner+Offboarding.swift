/// `settings.on_deactivate`: an account leaves with no live credential. The server keeps a deactivated
/// account's personal access tokens, unusable while it is inactive and working again once it is
/// reactivated (shared/mattermost-api.md §8: "PATs are kept"), so a deactivation alone leaves a secret
/// that comes back to life. Disabling (POST /users/tokens/disable) or revoking
/// (POST /users/tokens/revoke) each active token in the same plan closes that; those steps read and gate
/// as any token revocation (`TokenAccess` counts them as taking access away).
extension PlanBuilder {
  /// Runs after every account is planned. Accounts the plan deactivates or disables, and declared accounts
  /// that stay inactive, get their active tokens taken away; token creates and enables the declarations
  /// would plan for them are dropped, so an inactive account does not flip between enabled and disabled.
  /// A reactivation enables only the tokens the manifest declares (`planTokens`), nothing else.
  mutating func planOffboarding() {
    let policy = manifest.settings.onDeactivate
    guard policy != .keep else { return }
    var leaving: [String: String] = [:]  // user id: username
    for step in steps where step.kind == .deactivateUser || step.kind == .disableBot {
      if let id = step.userID { leaving[id] = step.username }
    }
    let inactive =
      manifest.users.filter { !$0.active }.map(\.username) + manifest.bots.filter { !$0.active }.map(\.username)
    for name in inactive {
      if let user = accounts.byName[name], !user.isActive, !accounts.isActing(user) { leaving[user.id] = name }
    }
    guard !leaving.isEmpty else { return }
    let names = Set(leaving.values)
    dropSteps { names.contains($0.username) && ($0.kind == .createToken || $0.kind == .enableToken) }
    let taken = Set(
      steps.compactMap { step -> String? in
        switch step.change {
        case .token(.revokeToken(_, let id)), .token(.disableToken(_, let id?)): id
        default: nil
        }
      })
    for token in (live.tokens ?? []).sorted(by: { ($0.userID, $0.id) < ($1.userID, $1.id) }) {
      guard let name = leaving[token.userID], token.isActive, !taken.contains(token.id) else { continue }
      let change: TokenChange =
        policy == .revokeTokens
        ? .revokeToken(description: token.description, tokenID: token.id)
        : .disableToken(description: token.description, tokenID: token.id)
      add(Step(.token(change), username: name, userID: token.userID, reason: "on_deactivate: \(policy.rawValue)"))
    }
  }

  /// Removes the matching steps and every step that waits for one of them.
  mutating func dropSteps(where matches: (Step) -> Bool) {
    var dropped = Set(steps.filter(matches).map(\.index))
    guard !dropped.isEmpty else { return }
    var changed = true
    while changed {
      changed = false
      for step in steps where !dropped.contains(step.index) && step.dependsOn.contains(where: dropped.contains) {
        dropped.insert(step.index)
        changed = true
      }
    }
    steps.removeAll { dropped.contains($0.index) }
  }
}
