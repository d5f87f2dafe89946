#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
import ArgumentParser
import RosterClient
import RosterCore
import RosterFiles

struct PlanCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "plan",
    abstract: "Show the changes that would make the server match the manifest. Never writes.",
    discussion: """
      Reads the server with paged lists and prints the minimal, ordered set of changes.

      Exit status: 0 success; 1 error (bad manifest, unreachable server, or a conflict that would fail \
      at apply). With --detailed-exitcode: 0 no changes, 2 changes present, 1 error.

      --read-only (a pull-request job's token that is not a system admin): the plan names each part the \
      token could not read ("not compared": other users' tokens, hidden email addresses, bots, \
      memberships); its exit status speaks of the compared parts only, and apply refuses the saved plan.

      Examples:
        MM_URL=https://chat.example.com MM_TOKEN=... roster plan -f roster.yaml
        roster plan -f roster/ --format markdown > plan.md
        roster plan --out plan.json --detailed-exitcode
        MM_TOKEN=$READ_TOKEN roster plan -f roster/ --read-only --format markdown
        yq '...' roster.yaml | roster plan -f - --out - > plan.json
      """)

  @OptionGroup var manifest: ManifestOptions
  @OptionGroup var server: ServerOptions
  @OptionGroup(title: "Safety gates") var gates: GateOptions
  @OptionGroup(title: "Targeting") var targets: TargetOptions
  @Option(
    name: SecretsFileOption.names,
    help: ArgumentHelp(
      "The secrets file apply writes to (--token-output is its old name); plan only reads it, to show what apply would do (token ages for rotate_after_days, interrupted token creates, held email changes).",
      valueName: "file"))
  var secretsFile: String?
  @Option(help: StateOption.help) var state: String?
  @Option(help: PlanFormat.help) var format: PlanFormat = .text
  @Flag(name: .shortAndLong, help: "Print only errors, gates and the summary.") var quiet = false
  @Option(
    help: ArgumentHelp(
      "Save the plan with fingerprints of what it was computed from, for `roster apply PLANFILE` (- for standard output).",
      valueName: "planfile"))
  var out: String?
  @Flag(help: "Exit 2 when there are changes, 0 when there are none (as terraform plan).") var detailedExitcode = false
  @Flag(
    help: ArgumentHelp(
      "For a token that is not a system admin (a pull-request job): read what it may, compare that, and list what it could not compare. apply refuses such a plan."
    ))
  var readOnly = false

  func run() async throws {
    let stderr = StandardError()
    guard
      let manifest = loadManifest(
        manifest.paths, stderr: stderr, verbose: server.verbose, github: format == .github, only: targets.targets)
    else {
      throw ExitCode(.error)
    }
    let reader = try server.reader(stderr: stderr)
    let options = reader.options
    let live: LiveState
    do {
      live = try await withStatus("Reading \(options.baseURL)") {
        try await reader.liveState(ReadNeeds(manifest, only: targets.targets), readOnly: readOnly)
      }
    } catch {
      stderr.line("error: reading the server failed: \(error)")
      if (error as? APIFailure)?.status == 403 && !readOnly {
        stderr.line(
          "hint: a token that is not a system admin can plan with --read-only, which compares what it may read")
      }
      throw ExitCode(.error)
    }
    let memory: SecretsFile.Memory
    do { memory = try StateOption.memory(state: state, secretsFile: secretsFile) } catch {
      stderr.line("error: \(error)")
      throw ExitCode(.error)
    }
    let plan = Planner.plan(
      manifest, live: live, options: targets.planOptions(force: false, limits: gates.limits, memory: memory))
    let requests = reader.requestCount
    // `--out -` puts the saved plan on standard output, so the rendering goes to standard error.
    let shown = out == "-" ? POSIXFile.standardError : POSIXFile.standardOutput
    var document = PlanDocument(plan: plan, server: options.baseURL, acting: live.acting, requests: requests)
    let renderer = PlanRenderer(format: format, color: useColor(shown, server.color), quiet: quiet)
    POSIXFile.write(fd: shown, renderer.render(document))
    if let out {
      // The saved file adds what apply checks the plan against: fingerprints and the safety settings.
      var safety = SafetySettings(manifest.settings, limits: gates.limits)
      safety.managedUsers = manifest.users.count
      document.fingerprints = Fingerprints.compute(manifest: manifest, live: live, plan: plan)
      document.safety = safety
      do {
        if out == "-" {
          POSIXFile.write(fd: POSIXFile.standardOutput, document.json())
        } else {
          try Data(document.json().utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
        }
      } catch {
        stderr.line("error: cannot write \(out): \(ErrorText.describe(error))")
        throw ExitCode(.error)
      }
    }
    if !plan.errors.isEmpty { throw ExitCode(.error) }
    // A tripped gate fails the pull request now rather than the apply after merge.
    if !plan.gates.isEmpty {
      for gate in plan.gates { stderr.line("blocked: \(gate)") }
      throw ExitCode(.refused)
    }
    if detailedExitcode && !plan.isEmpty { throw ExitCode(.changes) }
  }
}
