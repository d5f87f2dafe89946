/// The audit as one self-contained HTML page. Placeholder until the page is built: `roster audit`
/// refuses `--format html` before reading anything.
public enum AuditHTMLRenderer {
  public static let available = false

  public static func render(_ document: AuditDocument) -> String { "" }
}
