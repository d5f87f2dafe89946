import ArgumentParser
import Foundation
import RosterClient
import RosterCore

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
  @Option(
    help: ArgumentHelp(
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
    let prepared: PreparedApply
    do throws(ApplyStop) {
      if let planfile {
        prepared = try await fromSavedPlan(planfile, reader)
      } else {
        prepared = try await fromManifest(reader, stderr)
      }
    } catch {
      throw ExitCode(ApplyExit.report(error, stderr: stderr))
    }
    let session = ApplySession(
      force: force, verify: !noVerify, parallelism: server.parallelism, tokenOutput: tokenOutput)
    // An interrupt stops new steps; the ones in flight finish, the sink is complete, and the report
    // says what ran (exit 4). A second interrupt is not needed: nothing is left waiting on the network.
    let stop = CancellationFlag()
    let interrupted: @Sendable () -> Void = {
      stop.set()
      StandardError().write("\nInterrupted: no further step starts; finishing the ones in flight.\n")
    }
    let result = await Interrupts.shared.during(interrupted) {
      await session.run(
        prepared, writer: ServerWriter(reader: reader), reader: reader,
        progress: ProgressPrinter(live: isatty(FileHandle.standardError.fileDescriptor) == 1), stop: stop,
        approve: { autoApprove ? .approved : askOnTerminal() })
    }
    let code = ApplyExit.report(result, stderr: stderr)
    if code != 0 { throw ExitCode(code) }
  }

  private func fromManifest(_ reader: ServerReader, _ stderr: StandardError) async throws(ApplyStop) -> PreparedApply {
    guard let manifest = loadManifest(manifest.paths, stderr: stderr) else { throw .failed("") }
    let live: LiveState
    do {
      live = try await withStatus("Reading \(reader.options.baseURL)") {
        try await reader.liveState(ReadNeeds(manifest))
      }
    } catch {
      throw .failed("reading the server failed: \(error)")
    }
    let prepared = PreparedApply.fromManifest(manifest, live: live, options: PlanOptions(force: force))
    print(PlanTextRenderer(color: useColor()).render(prepared.plan, requests: reader.requestCount), terminator: "")
    return prepared
  }

  private func fromSavedPlan(_ planfile: String, _ reader: ServerReader) async throws(ApplyStop) -> PreparedApply {
    let document: PlanDocument
    do {
      document = try PlanDocument.decode(try Data(contentsOf: URL(fileURLWithPath: planfile)))
    } catch let error as PlanFileError {
      throw .failed("\(planfile): \(error)")
    } catch {
      throw .failed("cannot read \(planfile): \(error.localizedDescription)")
    }
    let prepared = try await PreparedApply.fromSavedPlan(
      document, name: planfile, reader: reader, env: ProcessInfo.processInfo.environment)
    print(PlanTextRenderer(color: useColor()).render(prepared.plan, requests: nil), terminator: "")
    return prepared
  }

  /// The confirmation prompt; only a person at a terminal can answer it.
  private func askOnTerminal() -> Approval {
    guard isatty(FileHandle.standardInput.fileDescriptor) == 1 else { return .unattended }
    print("\nDo you want to apply these changes? Only 'yes' will be accepted: ", terminator: "")
    fflushStandardOutput()
    return readLine()?.trimmingCharacters(in: .whitespaces) == "yes" ? .approved : .declined
  }
}

/// Exit codes CI can rely on, and the one place apply's outcomes become messages and codes.
enum ApplyExit {
  static let applied: Int32 = 0
  static let errorBeforeWrites: Int32 = 1
  static let refused: Int32 = 3
  static let partial: Int32 = 4

  static func report(_ stop: ApplyStop, stderr: StandardError) -> Int32 {
    switch stop {
    case .failed(let reason):
      if !reason.isEmpty { stderr.write("error: \(reason)\n") }
      return errorBeforeWrites
    case .refused(let lines):
      stderr.write("error: " + lines.joined(separator: "\n") + "\n")
      return refused
    }
  }

  static func report(_ result: ApplyResult, stderr: StandardError) -> Int32 {
    switch result {
    case .nothingToDo:
      return applied
    case .planHasErrors:
      stderr.write("error: the plan has errors; nothing was written\n")
      return errorBeforeWrites
    case .gated(let gates):
      for gate in gates { stderr.write("refused: \(gate)\n") }
      return refused
    case .missingSink:
      stderr.write(
        "refused: the plan creates tokens; give --token-output FILE so their secrets are kept (nothing was written)\n")
      return refused
    case .sinkUnusable(let reason):
      stderr.write("error: \(reason)\n")
      return errorBeforeWrites
    case .unattended:
      stderr.write("refused: standard input is not a terminal; review the plan and run with --auto-approve\n")
      return refused
    case .declined:
      stderr.write("Apply cancelled; nothing was written.\n")
      return refused
    case .incomplete(let report):
      print(report.render(), terminator: "")
      return report.done > 0 ? partial : errorBeforeWrites
    case .unverified(let report, let reason):
      print(report.render(), terminator: "")
      stderr.write("error: verification could not read the server: \(reason)\n")
      return partial
    case .applied(let report, let problems):
      print(report.render(), terminator: "")
      guard let problems else { return applied }
      if problems.isEmpty {
        print("Verified: the server matches.")
        return applied
      }
      stderr.write("error: after apply the server still differs from the plan:\n")
      for problem in problems { stderr.write("  - \(problem)\n") }
      return partial
    }
  }
}

/// Forces buffered standard output out before a prompt waits for input.
func fflushStandardOutput() {
  FileHandle.standardOutput.synchronizeFile()
}
