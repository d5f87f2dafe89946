import ArgumentParser
import RosterClient
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
      "Most system_admin removals without --force: count or share of active system admins (default 10%).",
      valueName: "n|p%"))
  var maxAdminRemovals: Threshold?
  @Option(
    help: ArgumentHelp(
      "Most admin role grants without --force: count or share of current admins (default 10%, at least 2).",
      valueName: "n|p%"))
  var maxAdminGrants: Threshold?
  @Option(
    help: ArgumentHelp(
      "Most username, email or token changes of admins without --force: count or share of current admins (default 10%).",
      valueName: "n|p%"))
  var maxPrivilegedIdentityChanges: Threshold?
  @Option(
    help: ArgumentHelp(
      "Most token revocations and disables without --force: count or share of managed users (default 30%).",
      valueName: "n|p%"))
  var maxTokenRevocations: Threshold?
  @Option(
    help: ArgumentHelp(
      "Most profile updates without --force: count or share of managed users (default 30%).", valueName: "n|p%"))
  var maxProfileUpdates: Threshold?
  @Option(
    help: ArgumentHelp(
      "Most user creations without --force: count or share of the managed users that exist (default 30%, at least 10).",
      valueName: "n|p%"))
  var maxCreates: Threshold?
  @Option(
    help: ArgumentHelp(
      "Most team and channel membership removals without --force: count or share of the memberships in scope (default 10%, at least 5).",
      valueName: "n|p%"))
  var maxMembershipRemovals: Threshold?
  @Option(help: ArgumentHelp("Least active system admins after the plan (default 1).", valueName: "n"))
  var minSystemAdmins: Int?
  @Option(
    name: .customLong("protected-user"),
    help: ArgumentHelp("Never touch this user (joins the manifest's protected_users); repeatable.", valueName: "user"))
  var protectedUsers: [String] = []
  @Option(
    name: .customLong("required-admin"),
    help: ArgumentHelp(
      "This user must be an active system admin after the plan (joins required_admins); repeatable.",
      valueName: "user"))
  var requiredAdmins: [String] = []

  var limits: OperatorLimits {
    var thresholds: [GateKind: Threshold] = [:]
    thresholds[.deactivations] = maxDeactivations
    thresholds[.adminRemovals] = maxAdminRemovals
    thresholds[.adminGrants] = maxAdminGrants
    thresholds[.privilegedIdentityChanges] = maxPrivilegedIdentityChanges
    thresholds[.tokenRevocations] = maxTokenRevocations
    thresholds[.profileUpdates] = maxProfileUpdates
    thresholds[.creates] = maxCreates
    thresholds[.membershipRemovals] = maxMembershipRemovals
    var limits = OperatorLimits(thresholds: thresholds, minSystemAdmins: minSystemAdmins)
    limits.protectedUsers = Set(protectedUsers.map(ServerRules.normalizeUsername))
    limits.requiredAdmins = Set(requiredAdmins.map(ServerRules.normalizeUsername))
    return limits
  }
}
