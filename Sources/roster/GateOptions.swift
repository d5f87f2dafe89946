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
    var limits = OperatorLimits(thresholds: thresholds, minSystemAdmins: minSystemAdmins)
    limits.protectedUsers = Set(protectedUsers.map(ServerRules.normalizeUsername))
    limits.requiredAdmins = Set(requiredAdmins.map(ServerRules.normalizeUsername))
    return limits
  }
}

/// `--only` and `--replace-token`, shared by plan and apply: day-2 work on a few users without waiting
/// for the rest of the roster to be clean.
struct TargetOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "Plan or apply only this user (current or previous username); repeatable. Other users' errors become warnings and gates count the targeted steps.",
      valueName: "username"))
  var only: [String] = []
  @Option(
    help: ArgumentHelp(
      "Replace this declared token now: create a new one with the same description, write its secret to the sink, then revoke the old one; repeatable.",
      valueName: "user/description"))
  var replaceToken: [String] = []

  func validate() throws {
    for request in replaceToken where TargetOptions.tokenKey(request) == nil {
      throw ValidationError("--replace-token takes USERNAME/DESCRIPTION, found \"\(request)\"")
    }
  }

  /// nil without `--only`: a whole plan.
  var targets: Set<String>? { only.isEmpty ? nil : Set(only.map(ServerRules.normalizeUsername)) }

  var replaceTokens: Set<TokenKey> { Set(replaceToken.compactMap(TargetOptions.tokenKey)) }

  /// The username is everything before the first slash (usernames have none); the description may hold more.
  static func tokenKey(_ text: String) -> TokenKey? {
    guard let slash = text.firstIndex(of: "/") else { return nil }
    let user = ServerRules.normalizeUsername(String(text[..<slash]))
    let description = String(text[text.index(after: slash)...])
    guard !user.isEmpty, !description.isEmpty else { return nil }
    return TokenKey(username: user, description: description)
  }

  /// Plan options from these flags and what the token sink remembers: interrupted creates, held email
  /// changes, when each token was made, and password resets that were not sent.
  func planOptions(force: Bool, limits: OperatorLimits, sink: String?) -> PlanOptions {
    let memory = sink.map { TokenSink.memory(at: $0) } ?? TokenSink.Memory()
    var options = PlanOptions(
      force: force, orphanedTokens: memory.openIntents, pendingEmails: memory.pendingEmails, limits: limits)
    options.only = targets
    options.replaceTokens = replaceTokens
    options.tokenCreatedAt = memory.tokenCreatedAt
    options.supersededTokens = memory.supersededTokens
    options.pendingResets = memory.pendingResets
    return options
  }
}
