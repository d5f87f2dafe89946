import ArgumentParser
import RosterCore
import RosterFiles

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

struct Validate: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Check manifests offline; reports every problem as file:line:col.",
    discussion: """
      Exit status: 0 when the manifests are valid (warnings allowed), 1 otherwise.

      Examples:
        roster validate
        roster validate -f examples/small-team.yaml
        roster validate -f examples/multi-file/
      """)

  @OptionGroup var manifest: ManifestOptions
  @Option(help: "text (file:line:col on stderr) or github (annotations on stdout for GitHub Actions).")
  var format: DiagnosticFormat = .text

  enum DiagnosticFormat: String, ExpressibleByArgument, CaseIterable { case text, github }

  func run() throws {
    let result = ManifestSources.load(manifest.paths, env: ProcessInfo.processInfo.environment)
    let stderr = StandardError()
    for diagnostic in result.diagnostics {
      if format == .github { print(GitHubAnnotation.line(diagnostic)) } else { stderr.line("\(diagnostic)") }
    }
    guard let loaded = result.manifest else { throw ExitCode(1) }
    let warnings = result.diagnostics.count
    print(
      "Valid: \(loaded.users.count) user\(loaded.users.count == 1 ? "" : "s")\(warnings > 0 ? ", \(warnings) warning\(warnings == 1 ? "" : "s")" : "")."
    )
  }
}

struct Schema: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Print the JSON Schema of the manifest (draft 2020-12).",
    discussion: """
      The same document is committed as schemas/roster.schema.json. Point editors at it with a modeline:
        # yaml-language-server: $schema=../schemas/roster.schema.json

      Examples:
        roster schema > roster.schema.json
        roster schema | python3 -m json.tool
      """)

  func run() {
    print(ManifestSchema.json, terminator: "")
  }
}

/// Writes to standard error, for diagnostics that must not mix with a command's output.
struct StandardError: Sendable {
  /// Raw bytes, for roster's own terminal control (the status line, live progress).
  func write(_ text: String) {
    POSIXFile.write(fd: POSIXFile.standardError, text)
  }

  /// A message line; control characters and bidi overrides in it (from a manifest or a server) are
  /// shown as escapes, never acted on by the terminal.
  func line(_ text: String) {
    write(Display.safe(text) + "\n")
  }
}
