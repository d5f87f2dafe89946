import ArgumentParser
import RosterCore

extension Threshold: ExpressibleByArgument {
  public init?(argument: String) { self.init(argument) }
}

/// Operator flags for the safety gates, shared by plan and apply. A pull request edits the manifest, not
/// the CI job: the manifest may tighten these, never loosen them, and without a flag the defaults hold.
struct GateOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "Most deactivations without --force: a count or a share of active users (default 25%).", valueName: "n|p%"))
  var maxDeactivations: Threshold?
  @Option(
    help: ArgumentHelp(
      "Most system_admin removals without --force: count or share of managed users (default 10%).", valueName: "n|p%"))
  var maxAdminRemovals: Threshold?
  @Option(
    help: ArgumentHelp(
      "Most token revocations without --force: count or share of managed users (default 30%).", valueName: "n|p%"))
  var maxTokenRevocations: Threshold?
  @Option(
    help: ArgumentHelp(
      "Most profile updates without --force: count or share of managed users (default 30%).", valueName: "n|p%"))
  var maxProfileUpdates: Threshold?
  @Option(help: ArgumentHelp("Least active system admins after the plan (default 1).", valueName: "n"))
  var minSystemAdmins: Int?

  var limits: OperatorLimits {
    var thresholds: [GateKind: Threshold] = [:]
    thresholds[.deactivations] = maxDeactivations
    thresholds[.adminRemovals] = maxAdminRemovals
    thresholds[.tokenRevocations] = maxTokenRevocations
    thresholds[.profileUpdates] = maxProfileUpdates
    return OperatorLimits(thresholds: thresholds, minSystemAdmins: minSystemAdmins)
  }
}
