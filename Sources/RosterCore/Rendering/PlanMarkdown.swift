/// Markdown for a pull-request comment: the summary, destructive changes first, every change in a
/// collapsible section.
public enum PlanMarkdownRenderer {
  static func describe(_ step: Step) -> String { step.change.resource.markdownDetails(step) }

  /// GitHub refuses comments over 65,536 characters; the default leaves room for a bot's own text.
  public static let defaultLimit = 60_000

  /// - Parameters:
  ///   - server, acting: shown in the header, so a reviewer knows which server and whose token.
  ///   - limit: the most characters; the summary, blockers, privilege and destructive sections are always
  ///     kept, and what is cut (warnings, then rows of the full list) is said.
  public static func render(
    _ plan: Plan, requests: Int?, server: String? = nil, acting: String? = nil, limit: Int = defaultLimit
  ) -> String {
    var head = ["### Roster plan", ""]
    if let server {
      head += [
        "Server \(MarkdownText.code(server))" + (acting.map { ", acting as \(MarkdownText.code($0))" } ?? "") + ".", "",
      ]
    }
    head += ["**\(plan.summary)**", ""]
    if let unmanaged = plan.unmanaged { head += [unmanaged.sentence + ".", ""] }
    if !plan.notCompared.isEmpty {
      head += ["> [!WARNING]", "> Read-only plan: this token could not read everything, so these were not compared:"]
      head += plan.notCompared.map { "> - \(MarkdownText.text($0))" } + [""]
    } else if plan.steps.isEmpty && plan.errors.isEmpty && plan.gates.isEmpty {
      head += ["No changes: the server matches the manifest.", ""]
    }
    for gate in plan.gates { head += ["> [!CAUTION]", "> Blocked: \(MarkdownText.text(gate))", ""] }
    for note in plan.errors { head += ["> [!CAUTION]", "> Error: \(MarkdownText.text(note.description))", ""] }
    if let line = plan.erroredUsersLine { head += [MarkdownText.text(line), ""] }
    let privileges = plan.privilegeChanges
    if !privileges.isEmpty {
      head += ["#### Privilege changes", ""]
      head += privileges.map { "- \(MarkdownText.code($0.step.username)) \(MarkdownText.text($0.what))" }
      head.append("")
    }
    if !plan.pendingRevokes.isEmpty {
      head += ["#### Pending revocations (rotation grace)", ""]
      head += plan.pendingRevokes.map { "- \(MarkdownText.text($0.sentence))" } + [""]
    }
    let destructive = plan.steps.filter(\.isDestructive)
    if !destructive.isEmpty {
      head += ["#### Destructive changes", ""]
      for step in destructive {
        head.append(
          "- \(step.change.resource.markdownTitle(step))" + (step.reason.map { " — \(MarkdownText.text($0))" } ?? ""))
      }
      if destructive.contains(where: { $0.kind == .deactivateUser }) { head += ["", Plan.deactivationEffects] }
      head.append("")
    }
    var warnings: [String] = []
    if !plan.warnings.isEmpty {
      warnings = ["#### Warnings", ""] + plan.warnings.map { "- \(MarkdownText.text($0.description))" } + [""]
    }
    let rows = plan.steps.map { step in
      "| \(step.index + 1) | \(PlanTextRenderer.marker(step)) \(step.kind.rawValue) | \(MarkdownText.code(step.username)) | \(describe(step)) |"
    }
    let foot = requests.map { ["<sub>Read the server in \($0) request\($0 == 1 ? "" : "s").</sub>"] } ?? []
    func assemble(_ warnings: [String], _ shown: Int, _ cut: String?) -> String {
      var out = head + warnings
      if !rows.isEmpty {
        out += [
          "<details><summary>All \(plan.steps.count) changes</summary>", "",
          "| # | change | user | details |", "| ---: | --- | --- | --- |",
        ]
        out += rows.prefix(shown)
        out += ["", "</details>", ""]
      }
      if let cut { out += ["_\(cut)_", ""] }
      return (out + foot).joined(separator: "\n") + "\n"
    }
    let full = assemble(warnings, rows.count, nil)
    if full.count <= limit { return full }
    // Over the limit: warnings go first, then rows from the end, and the comment says so.
    var shown = rows.count
    var text = assemble(
      [], shown,
      "Cut to fit a comment: the warnings and 0 of \(rows.count) changes are not shown; run roster show on the saved plan for all of it."
    )
    while text.count > limit && shown > 0 {
      shown = max(0, shown - max(1, shown / 10))
      text = assemble(
        [], shown,
        "Cut to fit a comment: the warnings and \(rows.count - shown) of \(rows.count) changes are not shown; run roster show on the saved plan for all of it."
      )
    }
    return text
  }

}
