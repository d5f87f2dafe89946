#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
import RosterCore

/// What was done, what failed (with the server's error) and what was skipped.
public struct ApplyReport: Sendable {
  public let plan: Plan
  public let outcomes: [Int: StepOutcome]
  /// When each step ran and the server's request ids of its calls.
  public var records: [Int: StepRecord] = [:]

  public init(plan: Plan, outcomes: [Int: StepOutcome]) {
    self.plan = plan
    self.outcomes = outcomes
  }

  public var done: Int { outcomes.values.count { $0.succeeded } }
  public var failed: Int { outcomes.values.count { $0.isFailure } }
  public var skipped: Int { outcomes.values.count { if case .skipped = $0 { true } else { false } } }

  public func render() -> String {
    var lines = ["", "Apply: \(done) done, \(failed) failed, \(skipped) skipped."]
    for step in plan.steps {
      switch outcomes[step.index] {
      // Server messages are shown, never acted on by the terminal.
      case .failed(let why): lines.append("  failed:  \(Self.label(step)): \(Display.safe(why.description))")
      case .skipped(let why): lines.append("  skipped: \(Self.label(step)): \(why)")
      case .done(let note?): lines.append("  note:    \(Self.label(step)): \(note)")
      default: break
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// A step in a few words, for progress lines and the report.
  public static func label(_ step: Step) -> String { Display.safe(step.label) }
}
