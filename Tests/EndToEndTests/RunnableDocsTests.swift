import Foundation
import RosterTestSupport
import Testing

/// Every command in the README's tour and in the docs' runnable blocks runs here, against a real
/// roster-sandbox, and must exit 0 and print what the page shows: the documentation cannot drift from
/// the binary. Each page runs in a fresh directory holding links to the repository's examples/ and
/// schemas/, so its relative paths work and the files it writes (secrets, exports) stay out of the tree.
@Suite struct RunnableDocsTests {
  @Test func theParserReadsCommandsAndTheirShownOutput() throws {
    let page = """
      <!-- runnable -->
      ```console
      $ roster-sandbox --seed s.json &
      $ export MM_URL=http://x MM_TOKEN=t   # the admin token
      $ roster plan -f a.yaml
      Plan: 1 to create
      …
      Read the server in 4 requests.
      ```
      ```console
      $ rm -rf /
      ```
      """
    let steps = try RunnableDocs.steps(page)
    #expect(
      steps.map(\.command) == [
        .sandbox(["--seed", "s.json"]), .export(["MM_URL": "http://x", "MM_TOKEN": "t"]),
        .roster(["plan", "-f", "a.yaml"]),
      ])
    #expect(steps.last?.shown == ["Plan: 1 to create", "Read the server in 4 requests."])
    #expect(RunnableDocs.shows(["a", "c"], in: "a\nb\nc  \n") && !RunnableDocs.shows(["c", "a"], in: "a\nb\nc\n"))
    #expect(throws: DocsError.self) { try RunnableDocs.steps("<!-- runnable -->\n```console\n$ rm -rf /\n```\n") }
    #expect(throws: DocsError.self) { try RunnableDocs.steps("<!-- runnable -->\n```sh\n$ roster plan\n```\n") }
  }

  @Test func theREADMETourIsRunnableAndRunsTheMainJob() throws {
    let text = try String(contentsOf: repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
    let commands = try RunnableDocs.steps(text).compactMap { step -> String? in
      if case .roster(let words) = step.command { return words.first }
      return nil
    }
    #expect(
      commands == ["validate", "plan", "apply", "plan", "export"], "the tour: validate, plan, apply, plan again, export"
    )
  }

  @Test func everyRelativeLinkOfTheDocsNamesAFileThatExists() throws {
    for file in try RunnableDocs.files(root: repositoryRoot) {
      let text = try String(contentsOf: file, encoding: .utf8)
      for match in text.matches(of: /\]\(([^)#:\s]+)(#[^)]*)?\)/) {
        let target = file.deletingLastPathComponent().appendingPathComponent(String(match.output.1)).standardized
        #expect(
          FileManager.default.fileExists(atPath: target.path),
          "\(file.lastPathComponent): \(match.output.1) does not exist")
      }
    }
  }

  @Test(arguments: try RunnableDocs.files(root: repositoryRoot).map(\.lastPathComponent))
  func everyRunnableCommandOfThePageRunsAsShown(page: String) async throws {
    let file =
      page == "README.md"
      ? repositoryRoot.appendingPathComponent(page)
      : repositoryRoot.appendingPathComponent("docs/\(page)")
    let steps = try RunnableDocs.steps(try String(contentsOf: file, encoding: .utf8))
    guard !steps.isEmpty else { return }
    let directory = URL(fileURLWithPath: try temporaryFile("page.md", "")).deletingLastPathComponent()
    for linked in ["examples", "schemas"] {
      try FileManager.default.createSymbolicLink(
        at: directory.appendingPathComponent(linked), withDestinationURL: repositoryRoot.appendingPathComponent(linked))
    }
    var environment: [String: String] = [:]
    var sandbox: SandboxProcess?
    defer { sandbox?.stop() }
    for step in steps {
      switch step.command {
      case .sandbox(let arguments):
        // The sandbox runs in the test's own directory: its file arguments are made absolute.
        sandbox = try await SandboxProcess(
          arguments.map { word in
            let path = directory.appendingPathComponent(word).path
            return !word.hasPrefix("-") && FileManager.default.fileExists(atPath: path) ? path : word
          })
      case .export(let values):
        environment.merge(values) { $1 }
      case .roster(let arguments):
        if let sandbox { environment["MM_URL"] = sandbox.url }
        let result = try await RosterCLI.run(arguments, environment: environment, directory: directory)
        let output = result.stdout + result.stderr
        #expect(
          result.status == 0,
          "\(page):\(step.line): roster \(arguments.joined(separator: " ")) exited \(result.status)\n\(output)")
        #expect(
          RunnableDocs.shows(step.shown, in: output),
          "\(page):\(step.line): the page shows\n\(step.shown.joined(separator: "\n"))\nbut roster printed\n\(output)")
      }
    }
  }
}
