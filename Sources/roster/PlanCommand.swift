import ArgumentParser
import Foundation
import RosterClient
import RosterCore

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
  /// github: the text plan, and its errors and warnings (and the manifest's) as GitHub annotations.
  case text, json, markdown, github
}

struct PlanCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "plan",
    abstract: "Show the changes that would make the server match the manifest. Never writes.",
    discussion: """
      Reads the server with paged lists and prints the minimal, ordered set of changes.

      Exit status: 0 success; 1 error (bad manifest, unreachable server, or a conflict that would fail \
      at apply). With --detailed-exitcode: 0 no changes, 2 changes present, 1 error.

      Examples:
        MM_URL=https://chat.example.com MM_TOKEN=... roster plan -f roster.yaml
        roster plan -f roster/ --format markdown > plan.md
        roster plan --out plan.json --detailed-exitcode
        yq '...' roster.yaml | roster plan -f - --out - > plan.json
      """)

  @OptionGroup var manifest: ManifestOptions
  @OptionGroup var server: ServerOptions
  @OptionGroup(title: "Safety gates") var gates: GateOptions
  @OptionGroup(title: "Targeting") var targets: TargetOptions
  @Option(
    help: ArgumentHelp(
      "The token sink apply writes to; plan only reads it, to show what apply would do (token ages for rotate_after_days, interrupted token creates, held email changes).",
      valueName: "file"))
  var tokenOutput: String?
  @Option(help: "text, json, markdown or github (text plus GitHub Actions annotations).") var format: OutputFormat =
    .text
  @Flag(name: .shortAndLong, help: "Print only errors, gates and the summary.") var quiet = false
  @Option(
    help: ArgumentHelp(
      "Save the plan with fingerprints of what it was computed from, for `roster apply PLANFILE` (- for standard output).",
      valueName: "planfile"))
  var out: String?
  @Flag(help: "Exit 2 when there are changes, 0 when there are none (as terraform plan).") var detailedExitcode = false

  func run() async throws {
    let stderr = StandardError()
    guard
      let manifest = loadManifest(
        manifest.paths, stderr: stderr, verbose: server.verbose, github: format == .github, only: targets.targets)
    else {
      throw ExitCode(1)
    }
    let reader = try server.reader(stderr: stderr)
    let options = reader.options
    let live: LiveState
    do {
      live = try await withStatus("Reading \(options.baseURL)") { try await reader.liveState(ReadNeeds(manifest)) }
    } catch {
      stderr.line("error: reading the server failed: \(error)")
      throw ExitCode(1)
    }
    let plan = Planner.plan(
      manifest, live: live, options: targets.planOptions(force: false, limits: gates.limits, sink: tokenOutput))
    let requests = reader.requestCount
    // `--out -` puts the saved plan on standard output, so the rendering goes to standard error.
    let shown = out == "-" ? FileHandle.standardError : FileHandle.standardOutput
    let rendered: String
    switch format {
    case .text, .github:
      let text = PlanTextRenderer(color: useColor(shown, server.color))
      rendered = quiet ? text.renderQuiet(plan) : text.render(plan, requests: requests)
    case .json:
      rendered = PlanDocument(plan: plan, server: options.baseURL, acting: live.acting, requests: requests).json()
    case .markdown:
      rendered = PlanMarkdownRenderer.render(
        plan, requests: requests, server: options.baseURL, acting: live.acting.username)
    }
    shown.write(Data(rendered.utf8))
    if format == .github { for note in plan.notes { shown.write(Data((GitHubAnnotation.line(note) + "\n").utf8)) } }
    if let out {
      let document = PlanDocument(
        plan: plan, server: options.baseURL, acting: live.acting, requests: requests,
        fingerprints: Fingerprints.compute(manifest: manifest, live: live, plan: plan),
        safety: SafetySettings(manifest.settings))
      do {
        if out == "-" {
          FileHandle.standardOutput.write(Data(document.json().utf8))
        } else {
          try Data(document.json().utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
        }
      } catch {
        stderr.line("error: cannot write \(out): \(error.localizedDescription)")
        throw ExitCode(1)
      }
    }
    if !plan.errors.isEmpty { throw ExitCode(1) }
    // A tripped gate fails the pull request now rather than the apply after merge.
    if !plan.gates.isEmpty {
      for gate in plan.gates { stderr.line("blocked: \(gate)") }
      throw ExitCode(3)
    }
    if detailedExitcode && !plan.isEmpty { throw ExitCode(2) }
  }
}

struct ExportCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract: "Write a manifest that reproduces the live server (no secrets).",
    discussion: """
      Users sorted by username, with profile fields, roles, active state and token descriptions and states. \
      Bots are left out and listed in a comment. Passwords are never exported.

      Examples:
        roster export > roster.yaml
        roster export --out roster.yaml && roster plan -f roster.yaml --detailed-exitcode
      """)

  @OptionGroup var server: ServerOptions
  @Option(help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file")) var out: String?

  func run() async throws {
    let stderr = StandardError()
    let reader = try server.reader(stderr: stderr)
    let options = reader.options
    let live: LiveState
    do {
      live = try await withStatus("Reading \(options.baseURL)") {
        try await reader.liveState(ReadNeeds(tokens: .everyone))
      }
    } catch {
      stderr.line("error: reading the server failed: \(error)")
      throw ExitCode(1)
    }
    let text = ManifestExporter.export(live)
    if let out {
      try Data(text.utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
      stderr.line("Wrote \(out): \(live.users.filter(\.isManageable).count) users.")
    } else {
      print(text, terminator: "")
    }
  }
}
