#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
import ArgumentParser
import RosterClient
import RosterCore
import RosterFiles

struct ApplyCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "apply",
    abstract: "Make the server match the manifest, or execute a saved plan.",
    discussion: """
      Plans, prints the plan, asks for confirmation on a terminal (type yes), then executes exactly those \
      calls and verifies the result by planning again. New token secrets and generated passwords go only to --secrets-file (--token-output is its old name).

      Exit status: 0 applied and verified; 1 error before any write; 3 refused by a safety gate (threshold, \
      stale plan, missing secrets file, confirmation declined), nothing written; 4 partial failure, some \
      writes done, or --skip-errored left users with errors out.

      Examples:
        roster apply -f roster.yaml --secrets-file secrets.jsonl
        roster apply -f roster/ --auto-approve --secrets-file /secure/secrets.jsonl
        roster plan --out plan.json
        roster apply plan.json --auto-approve --secrets-file secrets.jsonl
      """)

  @Argument(help: ArgumentHelp("A plan saved with `roster plan --out`.", valueName: "planfile")) var planfile: String?
  @OptionGroup var manifest: ManifestOptions
  @OptionGroup var server: ServerOptions
  @OptionGroup(title: "Safety gates") var gates: GateOptions
  @OptionGroup(title: "Targeting") var targets: TargetOptions
  @Flag(
    help: "Do not ask for confirmation (required when standard input is not a terminal; a saved plan needs none).")
  var autoApprove = false
  @Option(
    name: SecretsFileOption.names,
    help: ArgumentHelp(
      "Append new token secrets and generated passwords here as JSON Lines (mode 0600); --token-output is its old name. Required when the plan creates either; `-` writes them to standard output.",
      valueName: "file"))
  var secretsFile: String?
  @Option(help: StateOption.help) var state: String?
  @Flag(help: "Apply even when the plan exceeds max_deactivations.") var force = false
  @Flag(help: "Skip the re-read and re-plan after the last step.") var noVerify = false
  @Flag(
    help:
      "Leave out the users the plan has errors for (and whoever waits for them), apply every other user's steps, and exit 4 naming them."
  )
  var skipErrored = false
  @Option(
    help: ArgumentHelp(
      "Write a JSON record of the run here: the plan's identity, each step's outcome with the server's request ids and timings, and the verification result.",
      valueName: "file"))
  var report: String?

  func validate() throws {
    if planfile != nil && !manifest.paths.isEmpty {
      throw ValidationError("Give a saved plan or -f manifests, not both.")
    }
    if planfile != nil && skipErrored {
      throw ValidationError("--skip-errored shapes a new plan; apply -f manifests with it, not a saved plan.")
    }
    if planfile != nil && (!targets.only.isEmpty || !targets.replaceToken.isEmpty) {
      throw ValidationError("--only and --replace-token shape a new plan; a saved plan already has its steps.")
    }
  }

  func run() async throws {
    let started = Date()
    let stderr = StandardError()
    let reader = try server.reader(stderr: stderr)
    // With secrets on standard output, everything else goes to standard error.
    let output = Output(toStandardError: secretsFile == "-", colorChoice: server.color)
    let prepared: PreparedApply
    let inputs: [String]
    do throws(ApplyStop) {
      if let planfile {
        prepared = try await fromSavedPlan(planfile, reader, output)
        inputs = [planfile]
      } else {
        (prepared, inputs) = try await fromManifest(reader, stderr, output)
      }
    } catch {
      throw ExitCode(ApplyExit.report(error, stderr: stderr))
    }
    var session = ApplySession(
      force: force, verify: !noVerify, parallelism: server.parallelism, tokenOutput: secretsFile)
    session.inputs = inputs
    session.statePath = state
    // An interrupt stops new steps; the ones in flight finish, the secrets file is complete, and the report
    // says what ran (exit 4). A second interrupt is not needed: nothing is left waiting on the network.
    let stop = CancellationFlag()
    let interrupted: @Sendable () -> Void = {
      stop.set()
      StandardError().write("\nInterrupted: no further step starts; finishing the ones in flight.\n")
    }
    let result = await Interrupts.shared.during(interrupted) {
      await session.run(
        prepared, writer: ServerWriter(reader: reader), reader: reader,
        progress: ProgressPrinter(live: POSIXFile.isTerminal(POSIXFile.standardError), output: output),
        // A saved plan was reviewed when it was made: applying it is the approval (as with terraform).
        stop: stop, approve: { autoApprove || planfile != nil ? .approved : askOnTerminal(output) })
    }
    var status = ApplyExit.report(result, stderr: stderr, output: output)
    let skipped = prepared.plan.skippedUsers
    if !skipped.isEmpty && (status == .success || status == .partial) {
      stderr.line("skipped (--skip-errored), with errors to fix: \(skipped.map(Display.safe).joined(separator: ", "))")
      status = .partial
    }
    if let report {
      let identity = ApplyRecord.Identity(
        prepared.plan, planfile: planfile, manifests: manifest.paths, server: reader.options.baseURL)
      let record = ApplyRecord(
        identity: identity, prepared: prepared, result: result, status: status, started: started, finished: Date())
      do {
        try record.json().write(to: URL(fileURLWithPath: report), options: .atomic)
      } catch {
        stderr.line("error: cannot write the report \(report): \(ErrorText.describe(error))")
      }
    }
    if status != .success { throw ExitCode(status) }
  }

  private func fromManifest(
    _ reader: ServerReader, _ stderr: StandardError, _ output: Output
  ) async throws(ApplyStop) -> (PreparedApply, [String]) {
    let (loaded, files) = loadManifestFiles(
      manifest.paths, stderr: stderr, verbose: server.verbose, only: targets.targets)
    guard let manifest = loaded else { throw .failed("") }
    let live: LiveState
    do {
      live = try await withStatus("Reading \(reader.options.baseURL)") {
        try await reader.liveState(ReadNeeds(manifest, only: targets.targets))
      }
    } catch {
      throw .failed("reading the server failed: \(error)")
    }
    // The secrets file remembers tokens a cut-off apply began to create (replaced), email changes still waiting
    // for verification (not asked again) and when each token was made (rotate_after_days).
    var options = targets.planOptions(force: force, limits: gates.limits, memory: try memory())
    options.skipErrored = skipErrored
    let prepared = PreparedApply.fromManifest(manifest, live: live, options: options)
    output.print(
      PlanTextRenderer(color: output.color).render(prepared.plan, requests: reader.requestCount), terminator: "")
    return (prepared, files)
  }

  private func fromSavedPlan(
    _ planfile: String, _ reader: ServerReader, _ output: Output
  ) async throws(ApplyStop) -> PreparedApply {
    let document: PlanDocument
    do {
      document = try PlanDocument.decode(try Data(contentsOf: URL(fileURLWithPath: planfile)))
    } catch let error as PlanFileError {
      // A damaged or edited plan file is refused like any other safety rule: exit 3, nothing written.
      throw .refused(["\(planfile) is not a plan roster wrote: \(error); nothing was written"])
    } catch {
      throw .failed("cannot read \(planfile): \(ErrorText.describe(error))")
    }
    let prepared = try await PreparedApply.fromSavedPlan(
      document, name: planfile, reader: reader, env: ProcessInfo.processInfo.environment, force: force,
      limits: gates.limits, recovering: try memory().openIntents)
    output.print(PlanTextRenderer(color: output.color).render(prepared.plan, requests: nil), terminator: "")
    return prepared
  }

  /// What the state and secrets files remember; one that is not a private file of ours refuses the apply.
  private func memory() throws(ApplyStop) -> SecretsFile.Memory {
    let inputs = manifest.paths + (planfile.map { [$0] } ?? [])
    do { return try StateOption.memory(state: state, secretsFile: secretsFile, inputs: inputs) } catch {
      throw .refused(["\(error); nothing was written"])
    }
  }

  /// The confirmation prompt; only a person at a terminal can answer it.
  private func askOnTerminal(_ output: Output) -> Approval {
    guard POSIXFile.isTerminal(POSIXFile.standardInput) else { return .unattended }
    output.print("\nDo you want to apply these changes? Only 'yes' will be accepted: ", terminator: "")
    return readLine()?.trimmingBlanks() == "yes" ? .approved : .declined
  }
}
