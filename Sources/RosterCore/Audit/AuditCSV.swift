/// `findings.csv` and `users.csv`: what auditors open in a spreadsheet. RFC 4180 (CRLF line ends, a
/// field with a comma, quote or line break in double quotes, quotes doubled), and no cell a
/// spreadsheet would run as a formula: server strings (nicknames, bot descriptions, token descriptions)
/// are chosen by users, and `=HYPERLINK(...)` in a cell is an attack on whoever opens the file.
public enum AuditCSV {
  /// Stable columns: new ones are only ever added at the end.
  public static let findingColumns = ["rule", "severity", "username", "user_id", "message", "detail"]
  public static let userColumns = [
    "username", "id", "active", "auth_service", "roles", "is_bot", "owner", "mfa_active", "tokens_active",
    "tokens_total", "in_manifest", "update_at", "is_remote", "is_guest", "delete_at",
  ]

  public static func findings(_ report: AuditReport) -> String {
    table(
      findingColumns,
      report.findings.map { f in
        [f.rule.rawValue, f.severity.rawValue, f.username, f.userID, f.message, detailText(f.detail)]
      })
  }

  public static func users(_ report: AuditReport) -> String {
    table(
      userColumns,
      report.users.map { u in
        [
          u.username, u.id, String(u.active), u.authService, u.roles.joined(separator: " "), String(u.isBot),
          u.owner ?? "", String(u.mfaActive), String(u.tokensActive), String(u.tokensTotal),
          u.inManifest.map { String($0) } ?? "", AuditDate.iso8601(u.updateAt), String(u.isRemote), String(u.isGuest),
          u.deleteAt == 0 ? "" : AuditDate.iso8601(u.deleteAt),
        ]
      })
  }

  /// `key=value; key=value` in key order: readable in a cell, and the same facts as the JSON's detail.
  static func detailText(_ detail: [String: AuditValue]) -> String {
    detail.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.text)" }.joined(separator: "; ")
  }

  static func table(_ header: [String], _ rows: [[String]]) -> String {
    ([header] + rows).map { $0.map(cell).joined(separator: ",") + "\r\n" }.joined()
  }

  /// One field, neutralised then quoted as needed.
  public static func cell(_ value: String) -> String {
    let safe = neutralised(value)
    guard safe.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }) else {
      return safe
    }
    return "\"" + safe.replacingEvery("\"", with: "\"\"") + "\""
  }

  /// A value a spreadsheet would read as a formula gets a leading apostrophe, which spreadsheets show as
  /// text (OWASP "CSV Injection"): a first character of `=`, `+`, `-` or `@`, or a tab or carriage return
  /// before one, as some spreadsheets skip those.
  public static func neutralised(_ value: String) -> String {
    let triggers: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]
    guard let first = value.unicodeScalars.first, triggers.contains(first) else { return value }
    return "'" + value
  }
}
