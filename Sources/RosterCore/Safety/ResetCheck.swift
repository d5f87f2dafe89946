/// Checks a saved plan's password resets against the server at apply time. A reset mails a link that
/// sets the account's password, so an edited plan file must not be able to send one to any address but
/// the account's own, nor to an account roster would not manage.
public enum ResetCheck {
  /// Problems with the resets of `steps` that name an existing account (a reset after a create goes to
  /// the address the create sets, which `PlanDocument.checkSteps` enforces).
  public static func problems(_ steps: [Step], live: LiveState) -> [String] {
    let wanted = Set(steps.compactMap { $0.kind == .sendPasswordReset ? $0.userID : nil })
    guard !wanted.isEmpty else { return [] }
    var byID: [String: LiveUser] = [:]
    for user in live.users where wanted.contains(user.id) { byID[user.id] = user }
    var problems: [String] = []
    for step in steps {
      guard case .user(.sendPasswordReset(let email)) = step.change, let id = step.userID else { continue }
      let label = "step \(step.index + 1) (send_password_reset \(step.username))"
      guard let user = byID[id] else {
        problems.append("\(label): there is no user with id \(id)")
        continue
      }
      if ServerRules.normalizeEmail(email) != ServerRules.normalizeEmail(user.email) || user.email.isEmpty {
        problems.append("\(label): \(email) is not the account's address")
      }
      if !user.isActive { problems.append("\(label): \(step.username) is deactivated") }
      if !user.authService.isEmpty { problems.append("\(label): \(step.username) signs in with \(user.authService)") }
      if id == live.acting.id { problems.append("\(label): roster never resets the acting user's password") }
    }
    return problems
  }
}
