/// The safety rules every plan must keep, whoever wrote it: the planner applies them while planning, and
/// `roster apply PLANFILE` applies them again to the saved steps against the live server, since a plan
/// file is plain JSON that anyone with write access to it (a pull request, a shared runner) can edit.
///
/// A saved plan records every threshold in force when it was made (the manifest's and the operator's
/// flags), the protected users, the required admins and the least number of admins. Apply combines them
/// with its own flags (or the defaults): every threshold counts and the smallest limit wins, the lists
/// are joined, the larger minimum holds. So flags given at apply can only tighten what the plan was
/// reviewed with, and no edit of the file goes below apply's flags or the defaults. What the manifest
/// itself added (its stricter thresholds, its protected users) lives in the file, and an edit can remove
/// it: apply only plan files your own pipeline wrote, or repeat those settings as flags at apply.
public struct SafetySettings: Sendable, Equatable {
  public var protectedUsers: Set<String>
  public var requiredAdmins: Set<String>
  /// Per gate, every threshold in force.
  public var thresholds: [GateKind: [Threshold]]
  public var minSystemAdmins: Int
  /// How many users the manifest managed when the plan was made: the base of the shares of managed users.
  /// Apply takes the smaller of it and what the file's fingerprints name, so padding either cannot raise
  /// a limit.
  public var managedUsers: Int?
  /// The accounts the manifest governs (`settings.scope`, `settings.owner`): the gates' population.
  public var governance = Governance()

  public init(
    protectedUsers: Set<String> = [], requiredAdmins: Set<String> = [], thresholds: [GateKind: [Threshold]] = [:],
    minSystemAdmins: Int = 1
  ) {
    self.protectedUsers = protectedUsers
    self.requiredAdmins = requiredAdmins
    self.thresholds = thresholds
    self.minSystemAdmins = minSystemAdmins
  }

  /// The settings a plan is made with: the manifest's, joined by the operator's flags.
  public init(_ settings: Settings, limits: OperatorLimits) {
    self.init(
      protectedUsers: settings.protectedUsers.union(limits.protectedUsers),
      requiredAdmins: settings.requiredAdmins.union(limits.requiredAdmins),
      thresholds: Safety.thresholds(limits: limits, manifest: settings.limits),
      minSystemAdmins: limits.effectiveMinSystemAdmins(manifest: settings.minSystemAdmins))
    governance = Governance(scope: settings.scope, owner: settings.owner)
  }

  /// The settings a saved plan is applied with: what it recorded, tightened by apply's own flags (or,
  /// without flags, the defaults).
  public static func forSavedPlan(recorded: SafetySettings?, limits: OperatorLimits) -> SafetySettings {
    let recorded = recorded ?? SafetySettings()
    var thresholds: [GateKind: [Threshold]] = [:]
    for kind in GateKind.allCases {
      thresholds[kind] = [limits.thresholds[kind] ?? kind.defaultThreshold] + (recorded.thresholds[kind] ?? [])
    }
    var settings = SafetySettings(
      protectedUsers: recorded.protectedUsers.union(limits.protectedUsers),
      requiredAdmins: recorded.requiredAdmins.union(limits.requiredAdmins), thresholds: thresholds,
      minSystemAdmins: max(recorded.minSystemAdmins, limits.minSystemAdmins ?? 1))
    settings.governance = recorded.governance
    return settings
  }
}

public enum Safety {
  /// After the steps, at least `minimum` active system admins must remain.
  public static func adminProblem(_ after: PostPlanState, minimum: Int) -> String? {
    let count = after.admins.count
    guard count < minimum else { return nil }
    return
      "after this plan \(count) active system admin\(count == 1 ? "" : "s") would remain; min_system_admins is \(minimum)"
  }

  /// The names in `required_admins` that would not be active system admins after the steps, by account:
  /// `account` finds the live account a name stands for (itself, or the account a rename takes), and a
  /// name with no account is one the plan may create.
  public static func requiredAdminsMissing(
    _ after: PostPlanState, required: Set<String>, account: (String) -> LiveUser?
  ) -> [String] {
    required.sorted().filter { name in
      let live = account(name)
      let state = after.account(key: live?.id ?? PostPlanState.newKey(name)) ?? live.map(SimulatedAccount.init)
      return !(state?.isActive == true && state?.isSystemAdmin == true)
    }
  }

  /// The live account a name in a saved plan stands for: the user of that name, or the account a
  /// rename step gives that name.
  public static func accountResolver(_ steps: [Step], live: LiveState) -> (String) -> LiveUser? {
    let byName = UserIndex(live.users, .username)
    var renamed: [String: String] = [:]  // new name → id
    for step in steps where step.kind == .renameUser { if let id = step.userID { renamed[step.username] = id } }
    return { name in
      if let user = byName[name] { return user }
      guard let id = renamed[name] else { return nil }
      return live.users.first { $0.id == id }
    }
  }

  /// The ids of the accounts the steps name that hold an admin role now.
  public static func privilegedAccounts(_ steps: [Step], live: LiveState) -> Set<String> {
    PostPlanState(live, steps: steps).privilegedNamed
  }

  /// Demotions the server will refuse: removing system_admin from a user who has it (active or not) while
  /// at most one active, human, local system admin is left at that moment (app/user.go
  /// UpdateUserRolesWithUser counts them and never looks at the target's own state). Steps of a phase
  /// may run in any order, so the count is the plan's order, step by step.
  public static func lastAdminProblems(_ steps: [Step], live: LiveState) -> [String] {
    lastAdminPass(steps, from: PostPlanState(live, steps: steps)).problems
  }

  /// The same, from the state before the steps, and the state after them all: the planner walks the
  /// steps once for both (each walk copied every account a step touches).
  static func lastAdminPass(_ steps: [Step], from start: PostPlanState) -> (problems: [String], after: PostPlanState) {
    var state = start
    var problems: [String] = []
    for i in steps.indices {
      if case .user(.setRoles(let before, let after)) = steps[i].change,
        before.contains("system_admin") && !after.contains("system_admin") && state.admins.count <= 1
      {
        let name = steps[i].username
        problems.append(
          "cannot remove system_admin from \(name): the server refuses it while at most one active "
            + "system admin remains (app.user.update.lastAdmin.app_error), whether or not \(name) is active")
      }
      state.apply(steps[i])
    }
    return (problems, state)
  }

  /// What no step may do, checked against the live server: act on an id that is not the named user's,
  /// touch a protected user, a bot or a remote user, create a user who exists, or do to the acting user
  /// what the planner never plans (deactivate, demote from system_admin, change its email, disable or
  /// revoke its tokens).
  public static func stepProblems(_ steps: [Step], live: LiveState, protectedUsers: Set<String>) -> [String] {
    let byName = UserIndex(live.users, .username)
    let tokenOwner = Dictionary((live.tokens ?? []).map { ($0.id, $0.userID) }, uniquingKeysWith: { a, _ in a })
    let tokenDescription = Dictionary(
      (live.tokens ?? []).map { ($0.id, $0.description) }, uniquingKeysWith: { a, _ in a })
    var problems: [String] = []
    // A renamed account carries its new name in every step; the server still knows the old one.
    var renames: [String: String] = [:]
    for step in steps { if let old = step.renamedFrom { renames[step.username] = old } }
    // A roles call after a promotion starts from the promoted roles (system_guest became system_user).
    let promoted = Set(steps.compactMap { $0.kind == .promoteGuest ? $0.userID : nil })
    for step in steps {
      let name = step.username
      let label = "step \(step.index + 1) (\(step.kind.rawValue) \(name))"
      if protectedUsers.contains(name) { problems.append("\(label): \(name) is a protected user") }
      if let old = renames[name], protectedUsers.contains(old) {
        problems.append("\(label): \(old) is a protected user")
      }
      let user = byName[name] ?? renames[name].flatMap { byName[$0] }
      switch step.change {
      case .user(.createUser), .bot(.createBot):
        if user != nil { problems.append("\(label): \(name) already exists") }
        continue
      default: break
      }
      if let id = step.userID {
        guard let user else {
          problems.append("\(label): there is no user \(name)")
          continue
        }
        if user.id != id { problems.append("\(label): id \(id) is not \(name)'s (\(user.id))") }
      }
      // `roles_before` is what the gates and the reviewer read: it must be the account's roles on the
      // server (for a created account, the system_user the server stores), or an edited file could hide
      // a grant as "roles X → X".
      if case .user(.setRoles(let before, _)) = step.change {
        var current = user?.roleSet ?? ["system_user"]
        if let user, promoted.contains(user.id) {
          current.remove("system_guest")
          current.insert("system_user")
        }
        if Set(before) != current {
          problems.append(
            "\(label): roles_before [\(before.joined(separator: ", "))] are not \(name)'s roles on the server "
              + "[\(ServerRules.canonicalRoles(current).joined(separator: ", "))]")
        }
      }
      guard let user else { continue }  // a user this plan creates: its id comes from the create
      if let problem = accountKindProblem(step, user) { problems.append("\(label): \(problem)") }
      // A token step must name a token the server lists as this user's: an unknown id is refused too.
      switch step.change {
      case .token(.revokeToken(let description, let tokenID)), .token(.enableToken(let description, let tokenID?)),
        .token(.disableToken(let description, let tokenID?)):
        if tokenOwner[tokenID] != user.id { problems.append("\(label): token \(tokenID) is not \(name)'s") }
        // The description is what the gates and the reviewer see; it must be the token's own.
        if let actual = tokenDescription[tokenID], actual != description {
          problems.append("\(label): token \(tokenID) is described \"\(actual)\", not \"\(description)\"")
        }
      default:
        break
      }
      if case .user(.deactivateUser) = step.change, user.id == live.actingBotOwnerID {
        problems.append("\(label): \(name) owns the bot roster runs as; deactivating it would disable that bot")
      }
      guard user.id == live.acting.id else { continue }
      switch step.change {
      case .user(.deactivateUser): problems.append("\(label): roster never deactivates the acting user")
      case .user(.demoteToGuest): problems.append("\(label): roster never demotes the acting user")
      case .token(.revokeToken), .token(.disableToken):
        problems.append("\(label): roster never revokes or disables the acting user's tokens")
      case .user(.setRoles(_, let after)) where user.isSystemAdmin && !after.contains("system_admin"):
        problems.append("\(label): roster never removes system_admin from the acting user")
      case .user(.patchProfile(let fields)) where fields.contains { $0.field == ProfileField.email.key }:
        problems.append("\(label): roster never changes the acting user's email")
      case .user(.renameUser):
        problems.append("\(label): roster never renames the acting user")
      default: break
      }
    }
    return problems
  }

  /// Bot steps name bots; a bot takes only role and token steps beside them (its own roles and tokens
  /// are its user's); remote users take none.
  static func accountKindProblem(_ step: Step, _ user: LiveUser) -> String? {
    let name = step.username
    if user.isRemote { return "\(name) is a remote user" }
    switch step.change {
    case .bot: return user.isBot ? nil : "\(name) is not a bot"
    case .token, .user(.setRoles): return nil
    default: return user.isBot ? "\(name) is a bot" : nil
    }
  }
}
