import Foundation
import RosterClient
import RosterCore

/// Progress as steps finish: a live line on a terminal, one line per step otherwise (CI logs).
struct ProgressPrinter: ApplyProgress {
  let live: Bool

  static func label(_ step: Step) -> String {
    switch step.kind {
    case .createUser: return "create \(step.username)"
    case .reactivateUser: return "reactivate \(step.username)"
    case .patchProfile: return "patch \(step.username)"
    case .setRoles: return "roles \(step.username)"
    case .createToken: return "create token \(step.tokenDescription ?? "") for \(step.username)"
    case .enableToken: return "enable token \(step.tokenDescription ?? "") of \(step.username)"
    case .disableToken: return "disable token \(step.tokenDescription ?? "") of \(step.username)"
    case .revokeToken: return "revoke token \(step.tokenDescription ?? "") of \(step.username)"
    case .deactivateUser: return "deactivate \(step.username)"
    }
  }

  func started(_ step: Step, position: Int, total: Int) {
    if live { StandardError().write("\r\u{1B}[K[\(position)/\(total)] \(Self.label(step))") }
  }

  func finished(_ step: Step, _ outcome: StepOutcome, position: Int, total: Int) {
    let word: String
    switch outcome {
    case .done: word = "done"
    case .failed: word = "FAILED"
    case .skipped: word = "skipped"
    }
    if live {
      StandardError().write("\r\u{1B}[K[\(position)/\(total)] \(Self.label(step)) \(word)" + (position == total ? "\n" : ""))
    } else {
      print("[\(position)/\(total)] \(word) \(Self.label(step))")
    }
  }
}

/// What was done, what failed (with the server's error) and what was skipped.
struct ApplyReport {
  let plan: Plan
  let outcomes: [Int: StepOutcome]

  var done: Int { outcomes.values.filter { if case .done = $0 { true } else { false } }.count }
  var failed: Int { outcomes.values.filter { if case .failed = $0 { true } else { false } }.count }
  var skipped: Int { outcomes.values.filter { if case .skipped = $0 { true } else { false } }.count }

  func render() -> String {
    var lines = ["", "Apply: \(done) done, \(failed) failed, \(skipped) skipped."]
    for step in plan.steps {
      switch outcomes[step.index] {
      case .failed(let why): lines.append("  failed:  \(ProgressPrinter.label(step)): \(why)")
      case .skipped(let why): lines.append("  skipped: \(ProgressPrinter.label(step)): \(why)")
      case .done(let note?): lines.append("  note:    \(ProgressPrinter.label(step)): \(note)")
      default: break
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
