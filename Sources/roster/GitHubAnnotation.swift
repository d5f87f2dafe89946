import RosterCore
import RosterYAML

/// GitHub Actions workflow commands: `::error file=F,line=L,col=C::message` puts the finding on the
/// pull request's diff. Data is escaped as the runner expects (%, CR, LF; also `:` and `,` in properties).
enum GitHubAnnotation {
  static func escape(_ text: String, property: Bool = false) -> String {
    var out = text.replacingEvery("%", with: "%25").replacingEvery("\r", with: "%0D")
      .replacingEvery("\n", with: "%0A")
    if property { out = out.replacingEvery(":", with: "%3A").replacingEvery(",", with: "%2C") }
    return out
  }

  static func line(_ diagnostic: Diagnostic) -> String {
    let m = diagnostic.mark
    return "::\(diagnostic.severity.rawValue) file=\(escape(m.file, property: true)),line=\(m.line),col=\(m.column)::"
      + escape(Display.safe(diagnostic.message))
  }

  static func line(_ note: PlanNote) -> String {
    let title = note.username.map { " title=\(escape("roster: " + $0, property: true))" } ?? ""
    return "::\(note.severity.rawValue)\(title)::" + escape(Display.safe(note.message))
  }
}
