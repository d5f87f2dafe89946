import ArgumentParser

/// The exit status of every roster command: what a CI job branches on. The numbers are part of
/// roster's interface (the README documents them, pipelines test them) and never change meaning.
/// ArgumentParser adds one of its own: 64 for a command line it cannot parse.
enum ExitStatus: Int32 {
  /// Done: the manifests are valid, the plan was shown (with `--detailed-exitcode`: and it has no
  /// changes), the plan was shown or exported, or apply wrote everything and verified the server.
  case success = 0
  /// An error before any write: a bad manifest or plan file, an unreachable server, a plan with errors,
  /// a file that cannot be written. Fix the input and run again; the server was not changed.
  case error = 1
  /// `plan --detailed-exitcode`: the plan is valid and has changes (as `terraform plan`); `audit --fail-on`:
  /// a finding at or above that severity.
  case changes = 2
  /// A safety rule refused: plan shows a tripped gate (apply would refuse it without `--force`);
  /// apply wrote nothing (a gate, a stale or edited saved plan, no secrets file, a declined or
  /// impossible confirmation). A person has to look before anything is written.
  case refused = 3
  /// apply: some writes were done, then a step failed, the run was interrupted, or verification found
  /// the server still differs. Read the report; planning again shows what is left.
  case partial = 4
  /// SIGINT or SIGTERM while nothing was being written (reading files, printing), as an unhandled
  /// interrupt would end the process.
  case interrupted = 130
}

extension ExitCode {
  init(_ status: ExitStatus) { self.init(status.rawValue) }
}
