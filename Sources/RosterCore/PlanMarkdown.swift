/// Markdown for a pull-request comment: the summary, destructive changes first, every change in a
/// collapsible section.
public enum PlanMarkdownRenderer {
  static func cell(_ text: String) -> String {
    text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
  }

  static func describe(_ step: Step) -> String {
    switch step.kind {
    case .createUser: return step.changes.map { "\($0.field): `\(cell($0.new))`" }.joined(separator: ", ")
    case .patchProfile:
      return step.changes.map { "\($0.field): `\(cell($0.old ?? ""))` → `\(cell($0.new))`" }.joined(separator: ", ")
    case .setRoles:
      return "`\(PlanTextRenderer.roles(step.rolesBefore))` → `\(PlanTextRenderer.roles(step.rolesAfter))`"
    case .createToken, .enableToken, .disableToken: return "token `\(cell(step.tokenDescription ?? ""))`"
    case .revokeToken: return "token `\(cell(step.tokenDescription ?? ""))` (\(step.tokenID ?? ""))"
    case .reactivateUser: return ""
    case .deactivateUser: return step.reason ?? ""
    }
  }

  public static func render(_ plan: Plan, requests: Int?) -> String {
    var out = ["### Roster plan", "", "**\(plan.summary)**", ""]
    if plan.steps.isEmpty { out += ["No changes: the server matches the manifest.", ""] }
    for gate in plan.gates { out += ["> [!CAUTION]", "> Blocked: \(gate)", ""] }
    for note in plan.errors { out += ["> [!CAUTION]", "> Error: \(note)", ""] }
    let destructive = plan.steps.filter(\.kind.isDestructive)
    if !destructive.isEmpty {
      out += ["#### Destructive changes", ""]
      for step in destructive {
        let what =
          step.kind == .deactivateUser
          ? "deactivate user `\(step.username)`"
          : "revoke token `\(cell(step.tokenDescription ?? ""))` of `\(step.username)`"
        out.append("- \(what)" + (step.reason.map { " — \($0)" } ?? ""))
      }
      out.append("")
    }
    if !plan.warnings.isEmpty {
      out += ["#### Warnings", ""]
      out += plan.warnings.map { "- \(cell($0.description))" }
      out.append("")
    }
    if !plan.steps.isEmpty {
      out += [
        "<details><summary>All \(plan.steps.count) changes</summary>", "",
        "| # | change | user | details |", "| ---: | --- | --- | --- |",
      ]
      for step in plan.steps {
        out.append(
          "| \(step.index + 1) | \(PlanTextRenderer.marker(step.kind)) \(step.kind.rawValue) | `\(step.username)` | \(describe(step)) |"
        )
      }
      out += ["", "</details>", ""]
    }
    if let requests { out.append("<sub>Read the server in \(requests) requests.</sub>") }
    return out.joined(separator: "\n") + "\n"
  }
}
