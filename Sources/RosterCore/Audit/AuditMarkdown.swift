/// The audit as Markdown (a pull-request comment, an issue, a wiki page): the summary, then privileged
/// accounts outside any fold, then each other rule in a collapsible section. Capped like the plan's
/// Markdown: the summary and the privileged accounts are always kept; rows of the folds are cut from
/// the end, and the cut is said.
public enum AuditMarkdownRenderer {
  public static func render(_ document: AuditDocument, limit: Int = PlanMarkdownRenderer.defaultLimit) -> String {
    let report = document.report
    var head = [
      "### Roster audit", "",
      "Server \(MarkdownText.code(document.server)), acting as \(MarkdownText.code(document.acting.username)), "
        + "\(AuditDate.iso8601(document.generatedAt)).", "",
      "**\(report.severitySentence)**", "", MarkdownText.text(AuditWords.inventory(report)) + ".", "",
      "| rule | severity | findings |", "| --- | --- | ---: |",
    ]
    for rule in AuditRule.allCases {
      let count = report.count(rule)
      let severities = Set(report.findings.filter { $0.rule == rule }.map(\.severity))
      let severity =
        severities.isEmpty ? rule.severity.rawValue : severities.sorted(by: >).map(\.rawValue).joined(separator: ", ")
      head.append("| `\(rule.rawValue)` | \(severity) | \(count) |")
    }
    head.append("")
    let privileged = report.findings.filter { $0.rule.isPrivilege }
    if !privileged.isEmpty {
      head += ["#### Privileged accounts", ""]
      head += privileged.map {
        "- **\($0.severity.rawValue)** `\($0.rule.rawValue)` \(MarkdownText.code($0.username)): \(MarkdownText.text($0.message))"
      }
      head.append("")
    }
    let sections: [(AuditRule, [String])] = AuditRule.allCases.filter { !$0.isPrivilege }.compactMap { rule in
      let rows = report.findings.filter { $0.rule == rule }.map {
        "| \($0.severity.rawValue) | \(MarkdownText.code($0.username)) | \(MarkdownText.text($0.message)) |"
      }
      return rows.isEmpty ? nil : (rule, rows)
    }
    let foot =
      AuditWords.caveats(document).map { "- \(MarkdownText.text($0))" }
      + ["", "<sub>Read the server in \(document.requests) request\(document.requests == 1 ? "" : "s").</sub>"]
    func assemble(_ shown: Int) -> String {
      var out = head
      var left = shown
      var cut = 0
      for (rule, rows) in sections {
        let kept = min(left, rows.count)
        left -= kept
        cut += rows.count - kept
        out += [
          "<details><summary>\(rule.title) (<code>\(rule.rawValue)</code>): \(rows.count)</summary>", "",
          "| severity | user | finding |", "| --- | --- | --- |",
        ]
        out += rows.prefix(kept)
        out += ["", "</details>", ""]
      }
      if cut > 0 {
        out += [
          "_Cut to fit a comment: \(cut) finding rows are not shown; the JSON and CSV formats hold all of them._", "",
        ]
      }
      return (out + foot).joined(separator: "\n") + "\n"
    }
    let total = sections.reduce(0) { $0 + $1.1.count }
    var shown = total
    var text = assemble(shown)
    while text.count > limit && shown > 0 {
      shown = max(0, shown - max(1, shown / 10))
      text = assemble(shown)
    }
    return text
  }
}
