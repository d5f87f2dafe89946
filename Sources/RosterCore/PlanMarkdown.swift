/// Markdown for a pull-request comment: the summary, destructive changes first, every change in a
/// collapsible section.
public enum PlanMarkdownRenderer {
  static func describe(_ step: Step) -> String {
    let code = MarkdownText.code
    switch step.change {
    case .createUser(let fields, _): return fields.map { "\($0.field): \(code($0.new))" }.joined(separator: ", ")
    case .patchProfile(let fields):
      return fields.map { "\($0.field): \(code($0.old ?? "")) → \(code($0.new))" }.joined(separator: ", ")
    case .setRoles(let before, let after):
      return "\(code(PlanTextRenderer.roles(before))) → \(code(PlanTextRenderer.roles(after)))"
    case .createToken(let d, _), .enableToken(let d, _), .disableToken(let d, _): return "token \(code(d))"
    case .revokeToken(let d, let id): return "token \(code(d)) (\(MarkdownText.text(id)))"
    case .reactivateUser: return ""
    case .promoteGuest: return "guest → user"
    case .demoteToGuest: return "user → guest"
    case .deactivateUser: return MarkdownText.text(step.reason ?? "")
    }
  }

  public static func render(_ plan: Plan, requests: Int?) -> String {
    var out = ["### Roster plan", "", "**\(plan.summary)**", ""]
    if let unmanaged = plan.unmanaged { out += [unmanaged.sentence + ".", ""] }
    if plan.steps.isEmpty && plan.errors.isEmpty && plan.gates.isEmpty {
      out += ["No changes: the server matches the manifest.", ""]
    }
    for gate in plan.gates { out += ["> [!CAUTION]", "> Blocked: \(MarkdownText.text(gate))", ""] }
    for note in plan.errors { out += ["> [!CAUTION]", "> Error: \(MarkdownText.text(note.description))", ""] }
    let destructive = plan.steps.filter(\.kind.isDestructive)
    if !destructive.isEmpty {
      out += ["#### Destructive changes", ""]
      for step in destructive {
        let what =
          step.kind == .deactivateUser
          ? "deactivate user \(MarkdownText.code(step.username))"
          : "revoke token \(MarkdownText.code(step.tokenDescription ?? "")) of \(MarkdownText.code(step.username))"
        out.append("- \(what)" + (step.reason.map { " — \(MarkdownText.text($0))" } ?? ""))
      }
      out.append("")
    }
    if !plan.warnings.isEmpty {
      out += ["#### Warnings", ""]
      out += plan.warnings.map { "- \(MarkdownText.text($0.description))" }
      out.append("")
    }
    if !plan.steps.isEmpty {
      out += [
        "<details><summary>All \(plan.steps.count) changes</summary>", "",
        "| # | change | user | details |", "| ---: | --- | --- | --- |",
      ]
      for step in plan.steps {
        out.append(
          "| \(step.index + 1) | \(PlanTextRenderer.marker(step.kind)) \(step.kind.rawValue) | \(MarkdownText.code(step.username)) | \(describe(step)) |"
        )
      }
      out += ["", "</details>", ""]
    }
    if let requests { out.append("<sub>Read the server in \(requests) requests.</sub>") }
    return out.joined(separator: "\n") + "\n"
  }
}
