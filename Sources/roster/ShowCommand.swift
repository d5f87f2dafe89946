#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
import ArgumentParser
import RosterCore
import RosterFiles

/// `roster show PLANFILE`: a saved plan rendered without contacting any server, for review in CI.
struct ShowCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "show",
    abstract: "Render a saved plan without contacting the server.",
    discussion: """
      Reads a plan saved with `roster plan --out` (strictly, as apply does) and prints it as text, JSON, \
      Markdown or text with GitHub Actions annotations. Exit status: 0 shown, 1 the file is not a plan roster wrote.

      Examples:
        roster show plan.json
        roster show plan.json --format markdown > comment.md
      """)

  @Argument(help: ArgumentHelp("A plan saved with `roster plan --out`.", valueName: "planfile")) var planfile: String
  @Option(help: PlanFormat.help) var format: PlanFormat = .text

  func run() throws {
    let stderr = StandardError()
    let document: PlanDocument
    do {
      document = try PlanDocument.decode(try Data(contentsOf: URL(fileURLWithPath: planfile)))
    } catch {
      stderr.line("error: \(planfile): \(error)")
      throw ExitCode(.error)
    }
    let text = PlanRenderer(format: format, color: useColor()).render(document)
    POSIXFile.write(fd: POSIXFile.standardOutput, text)
  }
}
