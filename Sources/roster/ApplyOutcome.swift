import RosterClient
import RosterCore

/// The one place apply's outcomes become messages and exit statuses.
enum ApplyExit {
  static func report(_ stop: ApplyStop, stderr: StandardError) -> ExitStatus {
    switch stop {
    case .failed(let reason):
      if !reason.isEmpty { stderr.line("error: \(reason)") }
      return .error
    case .refused(let lines):
      stderr.write("error: " + lines.map(Display.safe).joined(separator: "\n") + "\n")
      return .refused
    }
  }

  static func report(_ result: ApplyResult, stderr: StandardError, output: Output) -> ExitStatus {
    switch result {
    case .nothingToDo:
      return .success
    case .planHasErrors:
      stderr.line("error: the plan has errors; nothing was written")
      return .error
    case .gated(let gates):
      for gate in gates { stderr.line("refused: \(gate)") }
      return .refused
    case .missingSink:
      stderr.write(
        "refused: the plan creates tokens; give --token-output FILE so their secrets are kept (nothing was written)\n")
      return .refused
    case .sinkUnusable(let reason):
      stderr.line("refused: \(reason); nothing was written")
      return .refused
    case .unattended:
      stderr.line("refused: standard input is not a terminal; review the plan and run with --auto-approve")
      return .refused
    case .declined:
      stderr.line("Apply cancelled; nothing was written.")
      return .refused
    case .incomplete(let report):
      output.print(report.render(), terminator: "")
      return report.done > 0 ? .partial : .error
    case .unverified(let report, let reason):
      output.print(report.render(), terminator: "")
      stderr.line("error: verification could not read the server: \(reason)")
      return .partial
    case .applied(let report, let problems):
      output.print(report.render(), terminator: "")
      guard let problems else { return .success }
      if problems.isEmpty {
        output.print("Verified: the server matches.")
        return .success
      }
      stderr.line("error: after apply the server still differs from the plan:")
      for problem in problems { stderr.line("  - \(problem)") }
      return .partial
    }
  }
}
