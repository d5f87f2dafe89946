#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
import RosterClient
import RosterCore

/// Progress as steps finish: a live line on a terminal, one line per step otherwise (CI logs).
struct ProgressPrinter: ApplyProgress {
  let live: Bool
  let output: Output

  func started(_ step: Step, position: Int, total: Int) {
    if live { StandardError().write("\r\u{1B}[K[\(position)/\(total)] \(ApplyReport.label(step))") }
  }

  func finished(_ step: Step, _ outcome: StepOutcome, position: Int, total: Int) {
    let word: String
    switch outcome {
    case .done: word = "done"
    case .failed: word = "FAILED"
    case .skipped: word = "skipped"
    }
    if live {
      StandardError().write(
        "\r\u{1B}[K[\(position)/\(total)] \(ApplyReport.label(step)) \(word)" + (position == total ? "\n" : ""))
    } else {
      output.print("[\(position)/\(total)] \(word) \(ApplyReport.label(step))")
    }
  }
}
