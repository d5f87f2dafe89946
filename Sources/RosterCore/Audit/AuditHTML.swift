/// The audit as one self-contained HTML page a security team opens in a browser: the summary, the
/// privileged accounts, every finding, and the inventory of users, tokens and bots. Complete without
/// JavaScript; with it, tables sort and filter (`AuditHTMLAssets`). It loads nothing: its only style and
/// script are inline and its Content-Security-Policy admits those two by hash, nothing else. Every string
/// from the server goes through `HTMLText.escape`; none is ever placed inside the script. Pure: the
/// same document the JSON is made from, no I/O.
public enum AuditHTMLRenderer {
  /// What the page's `<meta>` policy says: nothing from anywhere but the page's own style and script.
  static let contentSecurityPolicy =
    "default-src 'none'; style-src 'sha256-\(SHA256.base64(AuditHTMLAssets.style))'; "
    + "script-src 'sha256-\(SHA256.base64(AuditHTMLAssets.script))'; base-uri 'none'; form-action 'none'"

  public static func render(_ document: AuditDocument) -> String {
    let report = document.report
    let server = HTMLText.escape(document.server)
    var out = """
      <!DOCTYPE html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      <meta http-equiv="Content-Security-Policy" content="\(contentSecurityPolicy)">
      <meta name="referrer" content="no-referrer">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <title>Roster audit of \(server)</title>
      <style>\(AuditHTMLAssets.style)</style>
      </head>
      <body>
      <header>
      <h1>Roster audit</h1>
      <p class="meta">Server <code>\(server)</code>, acting as <code>\(HTMLText.escape(document.acting.username))</code>, \
      <time>\(AuditDate.iso8601(document.generatedAt))</time>; read in \(document.requests) \
      request\(document.requests == 1 ? "" : "s").</p>
      </header>
      <div id="controls" hidden>
      <label>Filter <input id="filter" type="search" placeholder="user, rule, role, words" autocomplete="off"></label>
      <label>Severity <select id="severity"><option value="info">all</option><option value="low">low and above</option>\
      <option value="medium">medium and above</option><option value="high">high only</option></select></label>
      </div>

      """
    out += summary(report)
    let privileged = report.findings.filter { $0.rule.isPrivilege }
    out += "<section id=\"s-privileged\">\n<h2>Privileged accounts</h2>\n"
    out +=
      privileged.isEmpty
      ? "<p>No account holds an admin role.</p>\n" : HTMLTable.findings("privileged", privileged).render()
    out += "</section>\n<section id=\"s-findings\">\n<h2>Findings</h2>\n"
    out +=
      report.findings.isEmpty ? "<p>No findings.</p>\n" : HTMLTable.findings("findings", report.findings).render()
    out += "</section>\n<section id=\"s-inventory\">\n<h2>Inventory</h2>\n"
    out += "<h3>Users</h3>\n" + HTMLTable.users(report).render()
    out += "<h3>Tokens</h3>\n" + HTMLTable.tokens(report).render()
    out += "<h3>Bots</h3>\n" + HTMLTable.bots(report).render()
    out += "</section>\n" + notes(document)
    out += "<script>\(AuditHTMLAssets.script)</script>\n</body>\n</html>\n"
    return out
  }

  static func summary(_ report: AuditReport) -> String {
    var out = "<section id=\"s-summary\">\n<h2>Summary</h2>\n<p><strong>\(report.severitySentence)</strong></p>\n"
    out += "<ul class=\"tally\">"
    for severity in AuditSeverity.allCases.reversed() {
      out +=
        "<li class=\"sev-\(severity.rawValue)\"><b>\(report.count(severity))</b><span class=\"sev\">\(severity.rawValue)</span></li>"
    }
    out += "</ul>\n<p>\(HTMLText.escape(AuditWords.inventory(report))).</p>\n"
    let rules = HTMLTable(
      id: "rules",
      columns: [
        .init("rule"), .init("title", "what"),
        .init("severity"), .init("count", "findings", numeric: true),
      ],
      rows: AuditRule.allCases.map { rule in
        let severities = Set(report.findings.filter { $0.rule == rule }.map(\.severity)).sorted(by: >)
        return HTMLTable.Row(cells: [
          .code(rule.rawValue), .text(rule.title),
          HTMLTable.Cell(
            html: (severities.isEmpty ? [rule.severity] : severities).map(\.rawValue).joined(separator: ", ")),
          .number(report.count(rule)),
        ])
      }, interactive: false)
    return out + rules.render() + "</section>\n"
  }

  static func notes(_ document: AuditDocument) -> String {
    var out = "<section id=\"s-notes\">\n<h2>Notes</h2>\n<ul class=\"note\">\n"
    out += AuditWords.caveats(document).map { "<li>\(HTMLText.escape($0))</li>\n" }.joined()
    out += "<li>Sources read: \(HTMLText.escape(document.coverage.read.joined(separator: ", "))).</li>\n"
    return out + "</ul>\n</section>\n"
  }
}
