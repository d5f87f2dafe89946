/// Checks, against a fresh read of the server, that steps had their effect. Used to verify a saved plan
/// after apply, where there is no manifest to plan again from; a failure here means roster and the
/// server disagree, which is a bug to fix, not to hide.
public enum StepCheck {
  public static func unmet(_ steps: [Step], live: LiveState) -> [String] {
    let byName = Dictionary(live.users.map { ($0.username, $0) }, uniquingKeysWith: { a, _ in a })
    let tokens = Dictionary(grouping: live.tokens ?? [], by: \.userID)
    var out: [String] = []
    for step in steps {
      guard let user = byName[step.username] else {
        out.append("\(step.username): not found after \(step.kind.rawValue)")
        continue
      }
      let own = (tokens[user.id] ?? []).filter { $0.description == step.tokenDescription }
      switch step.kind {
      case .createUser, .reactivateUser:
        if !user.isActive { out.append("\(step.username) is not active") }
      case .deactivateUser:
        if user.isActive { out.append("\(step.username) is still active") }
      case .patchProfile:
        for change in step.changes {
          let now = PlanBuilder.liveValue(change.field, of: user)
          let same = change.field == "email" ? ServerRules.normalizeEmail(now) == change.new : now == change.new
          if !same { out.append("\(step.username): \(change.field) is \(now.debugDescription), not \(change.new.debugDescription)") }
        }
      case .setRoles:
        if user.roleSet != Set(step.rolesAfter ?? []) { out.append("\(step.username): roles are \(user.roles)") }
      case .createToken, .enableToken:
        if !own.contains(where: \.isActive) && step.kind == .enableToken {
          out.append("\(step.username): token \(step.tokenDescription ?? "") is not active")
        }
        if own.isEmpty { out.append("\(step.username): token \(step.tokenDescription ?? "") is missing") }
      case .disableToken:
        if own.contains(where: \.isActive) || own.isEmpty { out.append("\(step.username): token \(step.tokenDescription ?? "") is not disabled") }
      case .revokeToken:
        if (tokens[user.id] ?? []).contains(where: { $0.id == step.tokenID }) {
          out.append("\(step.username): token \(step.tokenID ?? "") still exists")
        }
      }
    }
    return out
  }
}
