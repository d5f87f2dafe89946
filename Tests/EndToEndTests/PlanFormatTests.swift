import Foundation
import RosterTestSupport
import Testing

/// plan and show render through one renderer: a format prints the same plan in both, and a format
/// neither knows is refused when the arguments are parsed.
@Suite struct PlanFormatTests {
  @Test func everyFormatRendersASavedPlanAsPlanDid() async throws {
    let sandbox = try await SandboxProcess(["--seed", try seedWithUsers(1)])
    // A profile change and an error note (a create without an email), so annotations have something to say.
    let manifest = try temporaryFile(
      "m.yaml",
      "version: 1\nusers:\n  - username: user01\n    position: Lead\n  - username: ghost\n    email: g@example.com\n")
    let saved = try temporaryFile("plan.json", "")
    var planned: [String: String] = [:]
    for format in ["text", "markdown", "github"] {
      let plan = try await RosterCLI.run(
        ["plan", "-f", manifest, "--format", format, "--out", saved, "--color", "never"] + sandbox.connection)
      #expect(plan.status == 1, "the plan has an error: \(plan.stderr)")
      planned[format] = plan.stdout
    }
    sandbox.kill()
    for (format, expected) in planned {
      let shown = try await RosterCLI.run(["show", saved, "--format", format])
      #expect(shown.status == 0, "\(format): \(shown.stderr)")
      #expect(shown.stdout == expected, "\(format): show prints what plan printed")
    }
    let github = try #require(planned["github"])
    #expect(github.contains("::error title=roster%3A ghost::cannot create"), "\(github)")
    #expect(planned["text"].map { github.hasPrefix($0) } == true, "github is the text, then the annotations")
  }

  @Test func anUnknownFormatIsRefusedByBothCommands() async throws {
    let saved = try temporaryFile("plan.json", "{}")
    let show = try await RosterCLI.run(["show", saved, "--format", "yaml"])
    #expect(show.status == 64, "\(show.stderr)")
    #expect(show.stderr.contains("yaml"), "\(show.stderr)")
    let plan = try await RosterCLI.run(["plan", "--format", "yaml", "--url", "http://127.0.0.1:1", "--token", "x"])
    #expect(plan.status == 64, "\(plan.stderr)")
  }
}
