import ArgumentParser
import RosterCore
import RosterFiles

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// `roster show PLANFILE`: a saved plan rendered without contacting any server, for review in CI.
struct ShowCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "show",
    abstract: "Render a saved plan without contacting the server.",
    discussion: """
      Reads a plan saved with `roster plan --out` (strictly, as apply does) and prints it as text, JSON or \
      Markdown. Exit status: 0 shown, 1 the file is not a plan roster wrote.

      Examples:
        roster show plan.json
        roster show plan.json --format markdown > comment.md
      """)

  @Argument(help: ArgumentHelp("A plan saved with `roster plan --out`.", valueName: "planfile")) var planfile: String
  @Option(help: "text, json or markdown.") var format: OutputFormat = .text

  func run() throws {
    let stderr = StandardError()
    let document: PlanDocument
    do {
      document = try PlanDocument.decode(try Data(contentsOf: URL(fileURLWithPath: planfile)))
    } catch {
      stderr.line("error: \(planfile): \(error)")
      throw ExitCode(1)
    }
    let text: String
    switch format {
    case .text, .github:
      text = PlanTextRenderer(color: useColor()).render(document.plan, requests: document.requestCount)
    case .json: text = document.json()
    case .markdown:
      text = PlanMarkdownRenderer.render(
        document.plan, requests: document.requestCount, server: document.server, acting: document.acting?.username)
    }
    POSIXFile.write(fd: POSIXFile.standardOutput, text)
  }
}
