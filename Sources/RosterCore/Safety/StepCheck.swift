/// Checks, against a fresh read of the server, that steps had their effect. Used to verify a saved plan
/// after apply, where there is no manifest to plan again from; a failure here means roster and the
/// server disagree, which is a bug to fix, not to hide.
public enum StepCheck {
  /// What the fresh read `after` shows that the steps, applied to `before`, did not do.
  ///
  /// - Parameter emailChangesHeld: RequireEmailVerification is on, so a requested email change is not
  ///   visible until the user verifies it (app/user.go UpdateUser); it is not reported.
  public static func unmet(
    _ steps: [Step], before: LiveState, after: LiveState, emailChangesHeld: Bool = false
  ) -> [String] {
    let expected = before.applying(steps)
    let wanted = Set(steps.compactMap(\.userID))
    var byID: [String: LiveUser] = [:]
    for user in after.users where wanted.contains(user.id) { byID[user.id] = user }
    let byName = UserIndex(after.users, .username)
    let tokens = Dictionary(grouping: after.tokens ?? [], by: \.userID)
    var out: [String] = []
    var seen = Set<String>()
    for step in steps {
      let key = expected.key(step)
      guard seen.insert(key).inserted, let account = expected.account(key: key) else { continue }
      let name = account.username
      guard let user = step.userID.flatMap({ byID[$0] }) ?? byName[name] else {
        out.append("\(name): not found after \(step.kind.rawValue)")
        continue
      }
      out += problems(account, user: user, tokens: tokens[user.id] ?? [], emailChangesHeld: emailChangesHeld)
    }
    return out
  }

  private static func problems(
    _ account: SimulatedAccount, user: LiveUser, tokens: [LiveToken], emailChangesHeld: Bool
  ) -> [String] {
    let name = account.username
    let expected = account.expected
    var out: [String] = []
    switch expected.active {
    case true? where !user.isActive: out.append("\(name) is not active")
    // PUT /users/{id}/active can answer 200 after failing (api4/user.go updateUserActive sets c.Err
    // without returning), so a still-active user is the call not having taken effect.
    case false? where user.isActive: out.append("\(name) is still active: the deactivation did not take effect")
    default: break
    }
    for (key, value) in expected.fields {
      if key == "username" {
        if ServerRules.normalizeUsername(user.username) != ServerRules.normalizeUsername(value) {
          out.append("\(name): username is \(user.username.debugDescription), not \(value.debugDescription)")
        }
        continue
      }
      guard let field = ProfileField.named(key), !(field == .email && emailChangesHeld) else { continue }
      let now = user[keyPath: field.live]
      if !field.same(live: now, declared: value) {
        out.append("\(name): \(key) is \(now.debugDescription), not \(value.debugDescription)")
      }
    }
    if expected.guest == true && !user.isGuest { out.append("\(name) is not a guest") }
    if expected.guest == false && user.isGuest { out.append("\(name) is still a guest") }
    if let roles = expected.roles, user.roleSet != roles { out.append("\(name): roles are \(user.roles)") }
    for (description, state) in expected.tokens.sorted(by: { $0.key < $1.key }) {
      let own = tokens.filter { $0.description == description }
      switch state {
      case _ where own.isEmpty: out.append("\(name): token \(description) is missing")
      case .active where !own.contains(where: \.isActive):
        out.append("\(name): token \(description) is not active")
      case .disabled where own.contains(where: \.isActive):
        out.append("\(name): token \(description) is not disabled")
      default: break
      }
    }
    for id in expected.revokedTokenIDs where tokens.contains(where: { $0.id == id }) {
      out.append("\(name): token \(id) still exists")
    }
    return out
  }
}
