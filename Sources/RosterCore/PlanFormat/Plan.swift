/// A step kind's name, as plan files and JSON write it. Each resource declares its own kinds in its file
/// (`UserChange`, `TokenChange`); `allCases` is every resource's, in plan order.
public struct StepKind: Hashable, Sendable, CustomStringConvertible {
  public let rawValue: String

  init(_ rawValue: String) { self.rawValue = rawValue }

  /// A known kind of that name; nil for any other text (an edited or newer plan file).
  public init?(rawValue: String) {
    guard let known = Self.allCases.first(where: { $0.rawValue == rawValue }) else { return nil }
    self = known
  }

  public static let allCases: [StepKind] = Change.resources.flatMap { $0.kinds }

  public var description: String { rawValue }
}

/// The order a plan runs in: creates, reactivations, profile patches, roles, credentials (tokens and
/// password resets), team adds, channel adds, member roles, channel removals, team removals, and
/// deactivations last. Apply runs one phase after another.
public enum Phase: Int, Comparable, Sendable, CaseIterable {
  case create, reactivate, profile, roles, credentials
  case teamAdds, channelAdds, memberRoles, channelRemovals, teamRemovals
  case deactivate

  public static func < (a: Phase, b: Phase) -> Bool { a.rawValue < b.rawValue }
}

/// What one step changes, by resource. Each resource's file owns everything its kinds need (phase,
/// rendering, plan-file keys, expected effect); this enum only delegates, so a new resource is a new case
/// here and a `ResourceChange` of its own, and the compiler names every place left to fill.
public enum Change: Sendable, Equatable {
  case user(UserChange)
  case token(TokenChange)
  case membership(MembershipChange)
  case bot(BotChange)

  /// Every resource, in plan order: where plan files look up a kind's reader.
  static let resources: [any ResourceChange.Type] = [
    UserChange.self, TokenChange.self, MembershipChange.self, BotChange.self,
  ]

  var resource: any ResourceChange {
    switch self {
    case .user(let change): change
    case .token(let change): change
    case .membership(let change): change
    case .bot(let change): change
    }
  }

  public var kind: StepKind { resource.kind }
  public var phase: Phase { resource.phase }
  /// Steps that take access away; once anything has failed, apply starts none of these.
  public var isDestructive: Bool { resource.isDestructive }

  /// The change with `transform` applied to every string it carries.
  func mapStrings(_ transform: (String) -> String) -> Change { resource.mapStrings(transform) }
}

/// One API call's worth of change, with what it depends on.
public struct Step: Sendable, Equatable {
  public var index: Int
  public var username: String
  /// The live user's id; nil for a user this plan creates (later steps take the id the create returns).
  public var userID: String?
  public var change: Change
  /// Indexes of steps that must succeed first.
  public var dependsOn: [Int]
  /// Why, for people; never drives apply.
  public var reason: String?

  public init(_ change: Change, username: String, userID: String?, reason: String? = nil) {
    self.index = 0
    self.username = username
    self.userID = userID
    self.change = change
    self.dependsOn = []
    self.reason = reason
  }

  public var kind: StepKind { change.kind }
  public var phase: Phase { change.phase }
  public var isDestructive: Bool { change.isDestructive }
  /// The step in a few words, for progress lines and the apply report.
  public var label: String { change.resource.label(self) }
}

/// A finding about the plan: a warning (a change dropped or doubtful) or an error (the plan cannot run).
public struct PlanNote: Sendable, Equatable, CustomStringConvertible {
  public enum Severity: String, Sendable { case warning, error }

  public var severity: Severity
  public var username: String?
  public var message: String

  public init(_ severity: Severity, _ username: String?, _ message: String) {
    self.severity = severity
    self.username = username
    self.message = message
  }

  public var description: String { (username.map { "\($0): " } ?? "") + message }
}

/// The ordered changes that make the server match the manifest, and why it might not be safe to run.
public struct Plan: Sendable, Equatable {
  public var steps: [Step]
  public var notes: [PlanNote]
  /// Safety gates that stop apply unless `--force` (for example too many deactivations).
  public var gates: [String]
  /// Human accounts on the server the manifest does not list, and what the plan does about them
  /// (`ignore` or `deactivate`); nil in plans read from older files.
  public var unmanaged: Unmanaged?
  /// `--only`: the usernames the plan is restricted to (sorted); nil for a whole plan.
  public var only: [String]?
  /// The accounts the steps name that hold an admin role on the server (see `Privilege`): changes to
  /// their identity or tokens are privilege changes. For display only; the gates read the live server.
  public var privilegedUserIDs: Set<String> = []
  /// `apply --skip-errored`: the users left out for their errors (or for waiting on such a user).
  public var skippedUsers: [String] = []
  /// Tokens a rotation replaced that keep working until their grace ends (`rotation_grace_hours`): not
  /// changes of this plan; the first apply after their time revokes them.
  public var pendingRevokes: [PendingRevoke] = []
  /// `plan --read-only` with a token that is not a system admin: what it could not read and so did not
  /// compare, one sentence each. A plan with any is never "No changes", and apply refuses it.
  public var notCompared: [String] = []
  /// Planned from a narrower token's read (`ReadSight`), whether or not anything was left out: apply
  /// refuses it, as its steps were never checked against everything an admin reads.
  public var readOnly = false

  public struct Unmanaged: Sendable, Equatable {
    public var count: Int
    public var policy: UnmanagedPolicy

    public init(count: Int, policy: UnmanagedPolicy) {
      self.count = count
      self.policy = policy
    }

    /// "12 users not in the manifest: ignored".
    public var sentence: String {
      "\(count) user\(count == 1 ? "" : "s") not in the manifest: \(policy == .ignore ? "ignored" : "deactivated")"
    }
  }

  public init(
    steps: [Step] = [], notes: [PlanNote] = [], gates: [String] = [], unmanaged: Unmanaged? = nil,
    only: [String]? = nil
  ) {
    self.only = only
    self.steps = steps
    self.notes = notes
    self.gates = gates
    self.unmanaged = unmanaged
  }

  /// The first line a reviewer reads: "No changes" only when there is truly nothing to do or worry about.
  public var headline: String {
    if !errors.isEmpty {
      return "The plan has errors; apply would refuse it. Nothing can be applied until they are fixed."
    }
    if !gates.isEmpty { return "The plan is blocked by a safety gate; apply needs --force." }
    if !notCompared.isEmpty {
      if steps.isEmpty {
        return
          "No changes in what this token could read (--read-only); the parts listed as not compared were not checked."
      }
      return
        "Read-only plan (--read-only): the parts listed as not compared were not checked. Roster would make these changes:"
    }
    if let only {
      let names = only.joined(separator: ", ")
      if steps.isEmpty { return "No changes for \(names). Partial plan (--only): other users were not compared." }
      return "Partial plan (--only \(names)): other users are left out. Roster will make these changes:"
    }
    if steps.isEmpty { return "No changes. The server matches the manifest." }
    return "Roster will make these changes:"
  }

  public var errors: [PlanNote] { notes.filter { $0.severity == .error } }
  public var warnings: [PlanNote] { notes.filter { $0.severity == .warning } }
  public var isEmpty: Bool { steps.isEmpty }

  public func count(_ kind: StepKind) -> Int { steps.count { $0.kind == kind } }

  /// Existing users that get any change other than deactivation.
  public var usersToUpdate: Int {
    // By index, reading two fields: `filter` copied every step of a large plan out, twice.
    var created = Set<String>()
    for i in steps.indices where steps[i].kind == .createUser { created.insert(steps[i].username) }
    var updated = Set<String>()
    for i in steps.indices where Self.updatesUser(steps[i].kind) && !created.contains(steps[i].username) {
      updated.insert(steps[i].username)
    }
    return updated.count
  }

  private static func updatesUser(_ kind: StepKind) -> Bool {
    switch kind {
    case .reactivateUser, .patchProfile, .renameUser, .setRoles, .promoteGuest, .demoteToGuest: true
    default: false
    }
  }

  /// `Plan: 3 to create, 2 to update, 1 to deactivate, 2 tokens to create, 1 to revoke.`
  public var summary: String {
    // Every kind counted in one pass: asking `count(_:)` for each kind read a large plan twenty times.
    var tally: [StepKind: Int] = [:]
    for i in steps.indices { tally[steps[i].kind, default: 0] += 1 }
    func count(_ kind: StepKind) -> Int { tally[kind] ?? 0 }
    var parts = [
      "\(count(.createUser)) to create", "\(usersToUpdate) to update", "\(count(.deactivateUser)) to deactivate",
      "\(count(.createToken)) token\(count(.createToken) == 1 ? "" : "s") to create",
      "\(count(.revokeToken)) to revoke",
    ]
    if count(.renameUser) > 0 { parts.insert("\(count(.renameUser)) to rename", at: 1) }
    if count(.enableToken) > 0 { parts.append("\(count(.enableToken)) to enable") }
    if count(.disableToken) > 0 { parts.append("\(count(.disableToken)) to disable") }
    if count(.sendPasswordReset) > 0 {
      parts.append("\(count(.sendPasswordReset)) password reset\(count(.sendPasswordReset) == 1 ? "" : "s") to send")
    }
    let bots = (
      count(.createBot),
      Set(steps.filter { [.updateBot, .assignBot, .enableBot].contains($0.kind) }.map(\.username)).count,
      count(.disableBot)
    )
    if bots.0 + bots.1 + bots.2 > 0 {
      parts.append("\(bots.0) bot\(bots.0 == 1 ? "" : "s") to create, \(bots.1) to change, \(bots.2) to disable")
    }
    let added = count(.addTeamMember) + count(.addChannelMember)
    let removed = steps.reduce(0) { $0 + $1.membershipsRemoved }
    let reroled = count(.setTeamMemberRoles) + count(.setChannelMemberRoles)
    if added + removed + reroled > 0 {
      parts.append("\(added) membership\(added == 1 ? "" : "s") to add, \(removed) to remove, \(reroled) to re-role")
    }
    return "Plan: " + parts.joined(separator: ", ") + "."
  }
}
