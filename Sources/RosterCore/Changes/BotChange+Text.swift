/// How bot changes read: in the text plan, the Markdown comment, apply's progress, and the privilege
/// changes every rendering shows first.
extension BotChange: ResourceChange {
  func text(_ step: Step) -> TextEntry {
    let name = step.username
    switch self {
    case .createBot(let displayName, let description):
      var details: [String] = []
      if !displayName.isEmpty { details.append("      display_name: \(PlanTextRenderer.quoted(displayName))") }
      if !description.isEmpty { details.append("      description:  \(PlanTextRenderer.quoted(description))") }
      return TextEntry(headline: "create bot \(name)", details: details)
    case .updateBot(let fields):
      return TextEntry(
        headline: "update bot \(name)",
        details: fields.map {
          "      \($0.field): \(PlanTextRenderer.quoted($0.old ?? "")) → \(PlanTextRenderer.quoted($0.new))"
        })
    case .assignBot(let from, let to, _):
      return TextEntry(headline: "assign bot \(name) to \(to)" + (from.map { " (owner was \($0))" } ?? ""))
    case .enableBot: return TextEntry(headline: "enable bot \(name)")
    case .disableBot:
      return TextEntry(headline: "disable bot \(name)" + (step.reason.map { ": \($0)" } ?? ""))
    }
  }

  func markdownDetails(_ step: Step) -> String {
    switch self {
    case .createBot(let displayName, let description):
      return [("display_name", displayName), ("description", description)].filter { !$0.1.isEmpty }
        .map { "\($0.0): \(MarkdownText.code($0.1))" }.joined(separator: "<br>")
    case .updateBot(let fields):
      return fields.map { "\($0.field): \(MarkdownText.code($0.old ?? "")) → \(MarkdownText.code($0.new))" }
        .joined(separator: "<br>")
    case .assignBot(let from, let to, _):
      return "owner \(MarkdownText.code(to))" + (from.map { " (was \(MarkdownText.code($0)))" } ?? "")
    case .enableBot: return ""
    case .disableBot: return step.reason.map(MarkdownText.text) ?? ""
    }
  }

  func markdownTitle(_ step: Step) -> String {
    "\(kind.rawValue.prefix { $0 != "_" }) bot \(MarkdownText.code(step.username))"
  }

  func label(_ step: Step) -> String { "\(kind.rawValue.prefix { $0 != "_" }) bot \(step.username)" }

  /// A bot holding an admin role is privilege like an admin's account: bringing it back, or handing it
  /// to another owner (who may then manage its tokens, app/authorization.go
  /// SessionHasPermissionToManageBot), changes who holds that power.
  func privilegeChange(_ step: Step, admin: Bool) -> String? {
    guard admin else { return nil }
    switch self {
    case .enableBot: return "re-enables an admin bot"
    case .assignBot(_, let to, _): return "hands an admin bot to \(to)"
    case .disableBot: return "disables an admin bot"
    case .createBot, .updateBot: return nil
    }
  }
}
