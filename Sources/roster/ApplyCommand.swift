import ArgumentParser
import Foundation
import RosterClient
import RosterCore

/// Exit codes CI can rely on.
enum ApplyExit {
  static let applied: Int32 = 0
  static let errorBeforeWrites: Int32 = 1
  static let refused: Int32 = 3
  static let partial: Int32 = 4
}

struct ApplyCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "apply",
    abstract: "Make the server match the manifest, or execute a saved plan.",
    discussion: """
      Plans, prints the plan, asks for confirmation on a terminal (type yes), then executes exactly those \
      calls and verifies the result by planning again. New token secrets go only to --token-output.

      Exit status: 0 applied and verified; 1 error before any write; 3 refused by a safety gate (threshold, \
      stale plan, missing token sink, confirmation declined), nothing written; 4 partial failure, some \
      writes done.

      Examples:
        roster apply -f roster.yaml --token-output tokens.jsonl
        roster apply -f roster/ --auto-approve --token-output /secure/tokens.jsonl
        roster plan --out plan.json
        roster apply plan.json --auto-approve --token-output tokens.jsonl
      """)

  @Argument(help: ArgumentHelp("A plan saved with `roster plan --out`.", valueName: "planfile")) var planfile: String?
  @OptionGroup var manifest: ManifestOptions
  @OptionGroup var server: ServerOptions
  @Flag(help: "Do not ask for confirmation (required when standard input is not a terminal).") var autoApprove = false
  @Option(help: ArgumentHelp(
    "Append new token secrets here as JSON Lines (mode 0600). Required when the plan creates tokens; `-` writes them to standard output.",
    valueName: "file"))
  var tokenOutput: String?
  @Flag(help: "Apply even when the plan exceeds max_deactivations.") var force = false
  @Flag(help: "Skip the re-read and re-plan after the last step.") var noVerify = false

  func validate() throws {
    if planfile != nil && !manifest.paths.isEmpty {
      throw ValidationError("Give a saved plan or -f manifests, not both.")
    }
  }

  func run() async throws {
    let stderr = StandardError()
    let reader = try server.reader(stderr: stderr)
    let options = reader.options
    let prepared: Prepared
    do {
      prepared = try await planfile == nil ? prepareFromManifest(reader, stderr) : prepareFromSavedPlan(reader, options, stderr)
    } catch let exit as ExitCode {
      throw exit
    } catch {
      stderr.write("error: \(error)\n")
      throw ExitCode(ApplyExit.errorBeforeWrites)
    }
    let code = await execute(prepared, reader: reader, stderr: stderr)
    if code != 0 { throw ExitCode(code) }
  }

  /// What apply runs: the plan, passwords for the users it creates, and how to verify afterwards.
  struct Prepared {
    var plan: Plan
    var passwords: [String: String]
    var verify: (ServerReader) async throws -> [String]
  }

  private func prepareFromManifest(_ reader: ServerReader, _ stderr: StandardError) async throws -> Prepared {
    guard let manifest = loadManifest(manifest.paths, stderr: stderr) else { throw ExitCode(ApplyExit.errorBeforeWrites) }
    let live = try await withStatus("Reading \(reader.options.baseURL)") { try await reader.liveState(for: manifest) }
    let plan = Planner.plan(manifest, live: live, options: PlanOptions(force: force))
    print(PlanTextRenderer(color: useColor()).render(plan, requests: reader.requestCount), terminator: "")
    var passwords: [String: String] = [:]
    for user in manifest.users { passwords[user.username] = user.password?.expanded }
    return Prepared(plan: plan, passwords: passwords) { reader in
      let again = Planner.plan(manifest, live: try await reader.liveState(for: manifest), options: PlanOptions(force: true))
      return again.steps.map { "still planned: \($0.kind.rawValue) \($0.username)" } + again.errors.map(\.description)
    }
  }

  private func prepareFromSavedPlan(
    _ reader: ServerReader, _ options: ConnectionOptions, _ stderr: StandardError
  ) async throws -> Prepared {
    guard let planfile else { throw ExitCode(ApplyExit.errorBeforeWrites) }
    let document = try PlanDocument.decode(try Data(contentsOf: URL(fileURLWithPath: planfile)))
    guard document.formatVersion == PlanDocument.currentVersion, let prints = document.fingerprints else {
      throw ApplyError("\(planfile) is not a saved plan of format \(PlanDocument.currentVersion) with fingerprints (roster plan --out)")
    }
    func trimmed(_ url: String?) -> String { (url ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "/")) }
    if trimmed(document.server) != trimmed(options.baseURL) {
      stderr.write("error: the plan was made for \(document.server ?? "another server"), not \(options.baseURL); nothing was written\n")
      throw ExitCode(ApplyExit.refused)
    }
    let me = try await reader.me()
    if me.id != document.acting?.id {
      stderr.write("error: the plan was made by \(document.acting?.username ?? "another user"), not \(me.username); nothing was written\n")
      throw ExitCode(ApplyExit.refused)
    }
    let live = try await reader.liveState(tokens: prints.tokenUsernames.isEmpty ? .none : .users(prints.tokenUsernames))
    let changes = prints.changes(comparedTo: prints.recompute(from: live))
    if !changes.isEmpty {
      stderr.write("error: the server changed since the plan was made; nothing was written:\n")
      for change in changes { stderr.write("  - \(change)\n") }
      stderr.write("Run roster plan again.\n")
      throw ExitCode(ApplyExit.refused)
    }
    let plan = document.plan
    print(PlanTextRenderer(color: useColor()).render(plan, requests: nil), terminator: "")
    var passwords: [String: String] = [:]
    let env = ProcessInfo.processInfo.environment
    for step in plan.steps where step.kind == .createUser {
      guard let reference = step.passwordReference else { continue }
      guard Template.references(in: reference) else {
        throw ApplyError("\(step.username)'s password is written literally in the manifest; saved plans resolve only ${VAR} references")
      }
      switch Template.expand(reference, env: env) {
      case .success(let value): passwords[step.username] = value
      case .failure(let unset): throw ApplyError("environment variable \(unset.name) is not set (password of \(step.username))")
      }
    }
    let tokenUsers = Array(Set(plan.steps.filter { $0.tokenDescription != nil }.map(\.username)))
    return Prepared(plan: plan, passwords: passwords) { reader in
      let after = try await reader.liveState(tokens: tokenUsers.isEmpty ? .none : .users(tokenUsers))
      return StepCheck.unmet(plan.steps, live: after)
    }
  }

  /// Gates, sink and confirmation, then the steps, the report and the verification.
  private func execute(_ prepared: Prepared, reader: ServerReader, stderr: StandardError) async -> Int32 {
    let plan = prepared.plan
    if !plan.errors.isEmpty {
      stderr.write("error: the plan has errors; nothing was written\n")
      return ApplyExit.errorBeforeWrites
    }
    if plan.isEmpty {
      return ApplyExit.applied
    }
    if !plan.gates.isEmpty && !force {
      for gate in plan.gates { stderr.write("refused: \(gate)\n") }
      return ApplyExit.refused
    }
    var sink: TokenSink?
    if plan.steps.contains(where: { $0.kind == .createToken }) {
      guard let tokenOutput else {
        stderr.write("refused: the plan creates tokens; give --token-output FILE so their secrets are kept (nothing was written)\n")
        return ApplyExit.refused
      }
      do { sink = try TokenSink(path: tokenOutput) } catch {
        stderr.write("error: \(error)\n")
        return ApplyExit.errorBeforeWrites
      }
    }
    if !autoApprove {
      guard isatty(FileHandle.standardInput.fileDescriptor) == 1 else {
        stderr.write("refused: standard input is not a terminal; review the plan and run with --auto-approve\n")
        return ApplyExit.refused
      }
      print("\nDo you want to apply these changes? Only 'yes' will be accepted: ", terminator: "")
      fflushStandardOutput()
      guard readLine()?.trimmingCharacters(in: .whitespaces) == "yes" else {
        stderr.write("Apply cancelled; nothing was written.\n")
        return ApplyExit.refused
      }
    }
    let applier = Applier(
      writer: ServerWriter(reader: reader), plan: plan, passwords: prepared.passwords, sink: sink,
      parallelism: server.parallelism, progress: ProgressPrinter(live: isatty(FileHandle.standardError.fileDescriptor) == 1))
    let outcomes = await applier.run()
    let report = ApplyReport(plan: plan, outcomes: outcomes)
    print(report.render(), terminator: "")
    if report.failed > 0 || report.skipped > 0 {
      return report.done > 0 ? ApplyExit.partial : ApplyExit.errorBeforeWrites
    }
    if !noVerify {
      do {
        let problems = try await prepared.verify(reader)
        if !problems.isEmpty {
          stderr.write("error: after apply the server still differs from the plan (a roster bug; please report it):\n")
          for problem in problems { stderr.write("  - \(problem)\n") }
          return ApplyExit.partial
        }
        print("Verified: the server matches.")
      } catch {
        stderr.write("error: verification could not read the server: \(error)\n")
        return ApplyExit.partial
      }
    }
    return ApplyExit.applied
  }
}

struct ApplyError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}

/// Forces buffered standard output out before a prompt waits for input.
func fflushStandardOutput() {
  FileHandle.standardOutput.synchronizeFile()
}
