/// The audit as a person reads it in a terminal: the summary, privileged accounts first, then the other
/// findings by rule. Every server string passes through `Display.safe`, as in the plan.
public struct AuditTextRenderer: Sendable {
  public var style: TextStyle

  public init(color: Bool) { style = TextStyle(color: color) }

  func tag(_ severity: AuditSeverity) -> String {
    let label = "[\(severity.rawValue)]"
    switch severity {
    case .high: return style.paint(label, "1;31")
    case .medium: return style.paint(label, "33")
    case .low: return style.paint(label, "36")
    case .info: return label
    }
  }

  func line(_ finding: AuditFinding) -> String {
    "  \(tag(finding.severity)) \(Display.safe(finding.username)): \(Display.safe(finding.message))"
  }

  public func render(_ document: AuditDocument) -> String {
    let report = document.report
    var out = [
      "Audit of \(Display.safe(document.server)) as \(Display.safe(document.acting.username)), "
        + AuditDate.iso8601(document.generatedAt)
    ]
    out.append(style.paint(report.severitySentence + ".", "1"))
    out.append(AuditWords.inventory(report) + ".")
    let privileged = report.findings.filter { $0.rule.isPrivilege }
    if !privileged.isEmpty {
      out += ["", style.paint("Privileged accounts:", "1;35")]
      for rule in AuditRule.allCases where rule.isPrivilege {
        let rows = privileged.filter { $0.rule == rule }
        if !rows.isEmpty { out += ["\(rule.title) (\(rule.rawValue)):"] + rows.map(line) }
      }
    }
    for rule in AuditRule.allCases where !rule.isPrivilege {
      let rows = report.findings.filter { $0.rule == rule }
      guard !rows.isEmpty else { continue }
      out += ["", style.paint("\(rule.title) (\(rule.rawValue)):", "1")] + rows.map(line)
    }
    out += [""] + AuditWords.caveats(document).map { "Note: \(Display.safe($0))" }
    out.append("Read the server in \(document.requests) request\(document.requests == 1 ? "" : "s").")
    return out.joined(separator: "\n") + "\n"
  }
}

/// Sentences every human format shares.
enum AuditWords {
  /// "12 users: 10 active, 2 deactivated; 3 bots, 1 remote, 1 guest, 3 admins; 7 tokens (4 of unknown age)".
  static func inventory(_ report: AuditReport) -> String {
    let t = Dictionary(report.totals, uniquingKeysWith: { a, _ in a })
    func n(_ key: String) -> Int { t[key] ?? 0 }
    func of(_ key: String, _ noun: String) -> String { "\(n(key)) \(noun)\(n(key) == 1 ? "" : "s")" }
    return "\(of("users", "account")): \(n("active")) active, \(n("deactivated")) deactivated; "
      + "\(of("bots", "bot")), \(n("remote")) remote, \(of("guests", "active guest")), \(of("admins", "active admin")); "
      + "\(of("tokens", "token")), \(n("tokens_active")) active, \(n("tokens_age_unknown")) of unknown age"
  }

  /// What the reader must know to trust the report: sources not read, and the bounds the rules used.
  static func caveats(_ document: AuditDocument) -> [String] {
    let report = document.report
    var out = document.coverage.skipped.map { "not read: \($0.source) (\($0.reason))" }
    out.append(
      "no_login_since uses update_at, which a sign-in moves but so do profile, team and channel changes: "
        + "a bound (\(report.options.inactiveDays) days), not a login date.")
    out.append(
      "token ages come from roster's secrets file only (limit \(report.options.maxTokenAgeDays) days); the server "
        + "keeps no creation time, so tokens made elsewhere are of unknown age.")
    if document.coverage.read.contains("memberships") {
      out.append(
        "team_admin, channel_admin and deactivated_member cover only the teams and channels the manifest manages: "
          + "every member where it removes unmanaged members, elsewhere the declared users' memberships.")
    }
    if !report.withManifest {
      out.append("no manifest (-f): unmanaged accounts, drift and declared users were not checked.")
    }
    return out
  }
}
