/// How token changes read: in the text plan, the Markdown comment, apply's progress, and the privilege
/// changes every rendering shows first.
extension TokenChange: ResourceChange {
  func text(_ step: Step) -> TextEntry {
    let token = PlanTextRenderer.quoted(description)
    switch self {
    case .createToken(_, _, let grace):
      let why = grace == nil ? "" : step.reason.map { ": \($0)" } ?? ""
      return TextEntry(headline: "create token \(token) for \(step.username)" + why)
    case .enableToken: return TextEntry(headline: "enable token \(token) of \(step.username)")
    case .disableToken: return TextEntry(headline: "disable token \(token) of \(step.username)")
    case .revokeToken(_, let id):
      return TextEntry(
        headline: "revoke token \(token) of \(step.username) (\(id))" + (step.reason.map { ": \($0)" } ?? ""))
    }
  }

  func markdownDetails(_ step: Step) -> String {
    let token = "token \(MarkdownText.code(description))"
    guard case .revokeToken(_, let id) = self else { return token }
    return "\(token) (\(MarkdownText.text(id)))" + (step.reason.map { ": " + MarkdownText.text($0) } ?? "")
  }

  func markdownTitle(_ step: Step) -> String {
    let verb = kind.rawValue.prefix { $0 != "_" }
    return "\(verb) token \(MarkdownText.code(description)) of \(MarkdownText.code(step.username))"
  }

  func label(_ step: Step) -> String {
    switch self {
    case .createToken: "create token \(description) for \(step.username)"
    case .enableToken: "enable token \(description) of \(step.username)"
    case .disableToken: "disable token \(description) of \(step.username)"
    case .revokeToken: "revoke token \(description) of \(step.username)"
    }
  }

  /// An admin's token is its power: creating, enabling, disabling or revoking one changes who holds it.
  /// Enabling or disabling a token this plan creates is part of that create, not a change of its own.
  func privilegeChange(_ step: Step, admin: Bool) -> String? {
    guard admin else { return nil }
    switch self {
    case .revokeToken: return "revokes a token of an admin (\(description))"
    case .createToken: return "creates a token for an admin (\(description))"
    case .enableToken(_, _?): return "enables a token of an admin (\(description))"
    case .disableToken(_, _?): return "disables a token of an admin (\(description))"
    case .enableToken(_, nil), .disableToken(_, nil): return nil
    }
  }
}
