/// Options that change what the planner may do.
public struct PlanOptions: Sendable {
  /// `--force`: mass deactivations pass the gate (the plan still records it).
  public var force = false
  /// Tokens an earlier apply began to create without recording their secrets (open intents in the
  /// secrets file): a live token with such a key is one nobody holds, so it is replaced.
  public var orphanedTokens: Set<TokenKey> = []
  /// Email changes an earlier apply requested that still wait for the user's verification (username to
  /// the new address): the server shows the old address meanwhile, and asking again would mail again.
  public var pendingEmails: [String: String] = [:]
  /// Operator flags for the gates and the least number of admins; the manifest may only tighten them.
  public var limits = OperatorLimits()
  /// `--only`: usernames (current or previous) the plan is restricted to; nil plans everyone.
  public var only: Set<String>?
  /// `--replace-token USER/DESCRIPTION`: declared tokens to replace now (create, keep, then revoke).
  public var replaceTokens: Set<TokenKey> = []
  /// When roster created each token, by token id (milliseconds since 1970), from the secrets file's
  /// records: the server keeps no creation time for tokens, and `rotate_after_days` needs one.
  public var tokenCreatedAt: [String: Int64] = [:]
  /// Token ids a rotation replaced (the secrets file recorded the new token) whose revoke may not have run.
  public var supersededTokens: Set<String> = []
  /// Users whose password reset an earlier apply could not send (the secrets file remembers): asked again.
  public var pendingResets: Set<String> = []
  /// Tokens a rotation with a grace replaced, by id, and when (milliseconds since 1970) their grace ends.
  public var pendingRevokes: [String: Int64] = [:]
  /// `apply --skip-errored`: users with errors (and whoever waits for them) are left out of the plan.
  public var skipErrored = false

  public init(
    force: Bool = false, orphanedTokens: Set<TokenKey> = [], pendingEmails: [String: String] = [:],
    limits: OperatorLimits = OperatorLimits()
  ) {
    self.limits = limits
    self.force = force
    self.orphanedTokens = orphanedTokens
    self.pendingEmails = pendingEmails
  }
}

/// Computes the plan: pure, no I/O. The manifest, the live state and the acting user go in; ordered
/// steps with their dependencies, warnings, errors and gates come out.
public enum Planner {
  public static func plan(_ manifest: Manifest, live: LiveState, options: PlanOptions = PlanOptions()) -> Plan {
    // A read-only read compares what it saw; the rest is named in the plan, never taken for a match.
    var (manifest, live, unseen, offboarding) = ReadSight.narrow(manifest, live)
    // The operator's --protected-user and --required-admin join the manifest's lists.
    manifest.settings.protectedUsers.formUnion(options.limits.protectedUsers)
    manifest.settings.requiredAdmins.formUnion(options.limits.requiredAdmins)
    var builder = PlanBuilder(manifest: manifest, live: live, orphaned: options.orphanedTokens)
    builder.pendingEmails = options.pendingEmails
    builder.replaceTokens = options.replaceTokens
    builder.tokenCreatedAt = options.tokenCreatedAt
    builder.superseded = options.supersededTokens
    builder.pendingResets = options.pendingResets
    builder.pendingRevokes = options.pendingRevokes
    builder.planDeclaredUsers()
    builder.orderEmailHandovers()
    builder.planDeclaredBots()
    builder.planMemberships()
    builder.planUnmanagedUsers()
    builder.planUnmanagedBots()
    builder.planOffboarding()
    builder.checkOwnersOfActiveBots()
    builder.checkReplaceRequests()
    if let only = options.only { builder.restrict(to: only) }
    builder.checkTeamHeadroom()
    let skipped = options.skipErrored ? builder.skipErroredUsers() : []
    builder.checkOwnersOfActiveBots()
    var plan = builder.finish(options: options)
    plan.skippedUsers = skipped
    plan.pendingRevokes = builder.waiting.filter { options.only?.contains($0.username) ?? true }
    let switches: Set<StepKind> = [.deactivateUser, .reactivateUser, .disableBot, .enableBot]
    plan.readOnly = !live.sight.isWhole
    plan.notCompared =
      unseen + (plan.steps.contains { switches.contains($0.kind) } ? offboarding.map { [$0] } ?? [] : [])
    return plan
  }
}

/// The mutable work of one planning run.
struct PlanBuilder {
  let manifest: Manifest
  let live: LiveState
  let accounts: AccountIndex
  let tokensByUser: [String: [LiveToken]]
  let orphaned: Set<TokenKey>
  var pendingEmails: [String: String] = [:]
  var replaceTokens: Set<TokenKey> = []
  var tokenCreatedAt: [String: Int64] = [:]
  var superseded: Set<String> = []
  var pendingResets: Set<String> = []
  var pendingRevokes: [String: Int64] = [:]
  /// Replaced tokens whose rotation grace has not ended: shown, not revoked.
  var waiting: [PendingRevoke] = []
  /// Declared bots already reported as losing their owner to a deactivation.
  var reportedBots: Set<String> = []
  /// Email changes to an address another declared user gives up in the same plan: (waiting user's
  /// id, the address, the current owner's id). Resolved into dependencies once every user is planned.
  var handovers: [(userID: String, email: String, ownerID: String)] = []
  var steps: [Step] = []
  var notes: [PlanNote] = []
  /// Step numbers are handed out once, so dropping a step never lets a later one reuse its number.
  var nextIndex = 0

  init(manifest: Manifest, live: LiveState, orphaned: Set<TokenKey> = []) {
    self.manifest = manifest
    self.live = live
    self.orphaned = orphaned
    accounts = AccountIndex(manifest: manifest, live: live)
    tokensByUser = Dictionary(grouping: live.tokens ?? [], by: \.userID)
  }

  mutating func warn(_ user: String?, _ message: String) { notes.append(PlanNote(.warning, user, message)) }
  mutating func fail(_ user: String?, _ message: String) { notes.append(PlanNote(.error, user, message)) }

  // MARK: declared users

  mutating func planDeclaredUsers() {
    for spec in manifest.users {
      if accounts.isProtected(spec.username) { continue }
      // Looked up once: each lookup copies the account out.
      let existing = accounts.byName[spec.username]
      if let problem = ownershipProblem(spec, existing ?? accounts.account(declared: spec.username)) {
        fail(spec.username, problem)
        continue
      }
      if let user = existing {
        if let problem = takeoverProblem(spec, user) {
          fail(spec.username, problem)
          continue
        }
        for old in spec.previousUsernames where accounts.byName[old].map({ $0.id != user.id && $0.isActive }) == true {
          warn(
            spec.username,
            "previous username \(old) is still a separate active account on the server; it is not renamed (both names exist)"
          )
        }
        planExisting(spec, user)
        planPendingReset(spec, user)
        planOwnerMark(spec.username, user)
      } else if let (old, user) = accounts.renameSource(spec) {
        let errors = notes.count { $0.severity == .error }
        planRename(spec, from: old, user)
        if notes.count(where: { $0.severity == .error }) == errors && !accounts.isProtected(old) {
          planOwnerMark(spec.username, user)
        }
      } else {
        planCreate(spec)
      }
    }
  }

  mutating func planExisting(_ spec: UserSpec, _ user: LiveUser, renamedFrom old: String? = nil) {
    let name = spec.username
    let settings = manifest.settings
    guard user.isManageable else {
      fail(name, "username \(name) belongs to a \(user.isBot ? "bot" : "remote user"); roster does not manage it")
      return
    }
    let acting = accounts.isActing(user)
    if spec.active && !user.isActive {
      add(
        Step(
          .user(.reactivateUser), username: name, userID: user.id,
          reason: user.isSystemAdmin ? Plan.reactivatesAdmin : nil)
      )
    }
    if let service = spec.authService, service != user.authService {
      warn(
        name,
        "auth_service is \(user.authService.isEmpty ? "email/password" : user.authService) on the server; roster cannot change how an existing account signs in"
      )
    }
    var changes: [FieldChange] = []
    for field in ProfileField.allCases {
      guard let declared = field.value(in: spec), spec.manages(.profile(field), settings: settings) else { continue }
      let current = field.value(in: user)
      if field.same(live: current, declared: declared) { continue }
      let mapped = live.mappedAttributes.map { $0[user.authService] ?? [] }
      if let owned = field.providerOwnership(service: user.authService, mapped: mapped) {
        warn(name, "\(field.key) \(owned); not changed")
        continue
      }
      if field == .email && acting {
        // The server asks for the current password when a user changes their own email (api4/user.go
        // patchUser; shared/mattermost-api.md §6), which roster does not hold.
        warn(
          name,
          "email of the acting user is not changed: the server requires its password for that; change it in Mattermost")
        continue
      }
      if field == .email, let owner = accounts.byEmail[declared], owner.id != user.id {
        if live.requireEmailVerification != true, declaresOtherEmail(owner) {
          // The owner's own patch frees the address; this one waits for it (orderEmailHandovers).
          handovers.append((user.id, declared, owner.id))
        } else {
          fail(name, "cannot change email to \(declared): it is already used by \(owner.username)")
          continue
        }
      }
      if field == .email && live.requireEmailVerification == true && !user.isBot {
        // app/user.go UpdateUser: the account keeps its address until the user follows the link mailed
        // to the new one (a verify-email token, valid 24 hours); nothing on the user shows it meanwhile.
        if pendingEmails[name] == declared {
          warn(name, "email change to \(declared) is waiting for the user's verification; not asked again")
          continue
        }
        warn(
          name,
          "email change to \(declared) is held until the user verifies it: the server keeps \(current) and mails a link (valid 24 hours)"
        )
      }
      changes.append(FieldChange(field: field.key, old: current, new: declared))
    }
    if let old {
      let rename = FieldChange(field: "username", old: old, new: name)
      add(Step(.user(.renameUser([rename] + changes)), username: name, userID: user.id, reason: "previous_usernames"))
    } else if !changes.isEmpty {
      add(Step(.user(.patchProfile(changes)), username: name, userID: user.id))
    }
    if let roles = spec.roles, spec.manages(.roles, settings: settings), Set(roles) != user.roleSet {
      planRoles(roles, of: user, name: name, acting: acting)
    }
    if let declared = spec.tokens, spec.manages(.tokens, settings: settings) {
      planTokens(declared, of: user, name: name, acting: acting)
    }
    if !spec.active && user.isActive {
      if acting {
        warn(name, "not deactivating the acting user (roster never locks itself out)")
      } else if accounts.ownsActingBot(user) {
        fail(name, Self.ownsActingBot(name, live))
      } else {
        add(Step(.user(.deactivateUser), username: name, userID: user.id, reason: "declared active: false"))
      }
    }
  }
}
