/// Checks, against a fresh read of the server, that steps had their effect. Used to verify a saved plan
/// after apply, where there is no manifest to plan again from; a failure here means roster and the
/// server disagree, which is a bug to fix, not to hide.
public enum StepCheck {
  /// - Parameter emailChangesHeld: RequireEmailVerification is on, so a requested email change is not
  ///   visible until the user verifies it (app/user.go UpdateUser); it is not reported.
  public static func unmet(_ steps: [Step], live: LiveState, emailChangesHeld: Bool = false) -> [String] {
    let byName = UserIndex(live.users) { ServerRules.normalizeUsername($0.username) }
    let tokens = Dictionary(grouping: live.tokens ?? [], by: \.userID)
    var out: [String] = []
    for step in steps {
      guard let user = byName[step.username] else {
        out.append("\(step.username): not found after \(step.kind.rawValue)")
        continue
      }
      let own = { (description: String) in (tokens[user.id] ?? []).filter { $0.description == description } }
      switch step.change {
      case .createUser, .reactivateUser:
        if !user.isActive { out.append("\(step.username) is not active") }
      case .deactivateUser:
        // PUT /users/{id}/active can answer 200 after failing (api4/user.go updateUserActive sets c.Err
        // without returning), so a still-active user is the call not having taken effect.
        if user.isActive { out.append("\(step.username) is still active: the deactivation did not take effect") }
      case .patchProfile(let fields), .renameUser(let fields):
        for change in fields {
          guard let field = ProfileField.named(change.field), !(field == .email && emailChangesHeld) else { continue }
          let now = user[keyPath: field.live]
          if !field.same(live: now, declared: change.new) {
            out.append(
              "\(step.username): \(change.field) is \(now.debugDescription), not \(change.new.debugDescription)")
          }
        }
      case .promoteGuest:
        if user.isGuest { out.append("\(step.username) is still a guest") }
      case .demoteToGuest:
        if !user.isGuest { out.append("\(step.username) is not a guest") }
      case .setRoles(_, let after):
        if user.roleSet != Set(after) { out.append("\(step.username): roles are \(user.roles)") }
      case .createToken(let description, _):
        if own(description).isEmpty { out.append("\(step.username): token \(description) is missing") }
      case .enableToken(let description, _):
        if own(description).isEmpty {
          out.append("\(step.username): token \(description) is missing")
        } else if !own(description).contains(where: \.isActive) {
          out.append("\(step.username): token \(description) is not active")
        }
      case .disableToken(let description, _):
        if own(description).contains(where: \.isActive) || own(description).isEmpty {
          out.append("\(step.username): token \(description) is not disabled")
        }
      case .sendPasswordReset:
        break  // a mail leaves no trace on the user
      case .revokeToken(_, let tokenID):
        if (tokens[user.id] ?? []).contains(where: { $0.id == tokenID }) {
          out.append("\(step.username): token \(tokenID) still exists")
        }
      }
    }
    return out
  }
}
