/// The safety gates on a plan's blast radius. Each is a threshold on how many steps of one sort a plan
/// may hold without `--force`; the manifest may set it, an operator flag may set it, and the stricter
/// of the two (and of the default, when no flag is given) applies: a pull request can tighten a gate,
/// never loosen it. A saved plan records the thresholds in force when it was made; apply recomputes
/// every gate against the live server with them.
public enum GateKind: String, CaseIterable, Sendable {
  case deactivations = "max_deactivations"
  case adminRemovals = "max_admin_removals"
  case adminGrants = "max_admin_grants"
  case privilegedIdentityChanges = "max_privileged_identity_changes"
  case tokenRevocations = "max_token_revocations"
  case profileUpdates = "max_profile_updates"
  case creates = "max_creates"
  case membershipRemovals = "max_membership_removals"

  /// The manifest key (`settings:`) and, with dashes, the operator flag.
  public var key: String { rawValue }
  public var flag: String { "--" + rawValue.replacingEvery("_", with: "-") }

  /// octoDNS's 30% for updates and deletes; fewer for privileges and for deactivations.
  public var defaultThreshold: Threshold {
    switch self {
    case .deactivations: .percent(25)
    case .adminRemovals, .adminGrants, .privilegedIdentityChanges, .membershipRemovals: .percent(10)
    case .tokenRevocations, .profileUpdates, .creates: .percent(30)
    }
  }

  /// The limit is never below this, so small rosters can still change.
  var floor: Int {
    switch self {
    case .adminRemovals, .privilegedIdentityChanges: 1
    case .adminGrants: 2
    case .deactivations, .tokenRevocations, .profileUpdates: 3
    case .creates: 10
    case .membershipRemovals: 5
    }
  }

  public var noun: String {
    switch self {
    case .deactivations: "deactivations"
    case .adminRemovals: "system_admin removals"
    case .adminGrants: "admin role grants"
    case .privilegedIdentityChanges: "identity or token changes of admins"
    case .tokenRevocations: "token revocations"
    case .profileUpdates: "profile updates"
    case .creates: "user creations"
    case .membershipRemovals: "membership removals"
    }
  }

  /// What the threshold is a share of, in words, for `--help` and the README.
  public var populationName: String {
    switch self {
    case .deactivations: "active users"
    case .adminRemovals: "active system admins"
    case .adminGrants, .privilegedIdentityChanges: "admins (holders of an admin role)"
    case .tokenRevocations, .profileUpdates: "managed users"
    case .creates: "managed users that exist"
    case .membershipRemovals: "memberships in scope"
    }
  }

  /// How many of the plan's steps this gate counts. Roles are the server's, never a step's
  /// `roles_before` alone: `Safety.stepProblems` refuses a saved plan whose `roles_before` differ from
  /// the live roles, so the two agree wherever a gate is computed.
  func count(_ input: GateInput) -> Int {
    let steps = input.steps
    switch self {
    // Disabling a bot deactivates its user (app/bot.go UpdateBotActive): it counts as a deactivation.
    case .deactivations: return steps.count { $0.kind == .deactivateUser || $0.kind == .disableBot }
    case .tokenRevocations: return input.tokens.losing.count
    case .profileUpdates:
      return steps.count { ($0.kind == .patchProfile || $0.kind == .renameUser) && $0.userID != nil }
    case .creates: return steps.count { $0.kind == .createUser }
    case .membershipRemovals: return steps.reduce(0) { $0 + $1.membershipsRemoved }
    case .adminRemovals:
      return steps.count { step in
        switch step.change {
        case .user(.setRoles(let before, let after)): before.contains("system_admin") && !after.contains("system_admin")
        case .user(.demoteToGuest), .user(.deactivateUser): input.accounts.user(step)?.isSystemAdmin == true
        default: false
        }
      }
    case .adminGrants:
      return steps.count { step in
        switch step.change {
        case .user(.setRoles(let before, let after)): !Set(Privilege.adminRoles(in: after)).subtracting(before).isEmpty
        // Bringing back an admin account brings back its privilege.
        case .user(.reactivateUser), .bot(.enableBot): input.accounts.user(step)?.isPrivileged == true
        default: false
        }
      }
    case .privilegedIdentityChanges:
      return steps.count { step in
        guard input.accounts.user(step)?.isPrivileged == true else { return false }
        switch step.change {
        // A new address is a new owner: the password-reset route mails the account's address.
        case .user(.renameUser): return true
        case .user(.patchProfile(let fields)): return fields.contains { $0.field == ProfileField.email.key }
        default: return input.tokens.losing.contains(step.index) || input.tokens.granting.contains(step.index)
        }
      }
    }
  }

  /// What the threshold is a share of.
  func population(_ input: GateInput) -> Int {
    switch self {
    case .deactivations: input.live.users.count { $0.isActive && $0.isManageable }
    case .adminRemovals: input.accounts.adminsBefore.count
    case .adminGrants, .privilegedIdentityChanges: input.accounts.activePrivileged
    case .tokenRevocations, .profileUpdates: input.managed
    case .creates: max(0, input.managed - input.steps.count { $0.kind == .createUser })
    case .membershipRemovals: input.live.memberships?.inScope ?? 0
    }
  }
}

/// A gate a plan trips, and by how much: the one form every rendering and `--force` read.
public struct GateBreach: Sendable, Equatable, CustomStringConvertible {
  public var kind: GateKind
  public var count: Int
  public var population: Int
  public var limit: Int
  /// Every threshold in force for the gate, as written (`25%`, `10`).
  public var thresholds: [String]

  /// "12 deactivations exceed max_deactivations (25% of 40 active users = 10)".
  public var description: String {
    "\(count) \(kind.noun) exceed \(kind.key) (\(thresholds.joined(separator: " and ")) of \(population) \(kind.populationName) = \(limit))"
  }
}

/// What the gates are computed from: the steps, the live server, how many users the manifest manages,
/// and the tokens roster itself recorded as interrupted work (open intents in the secrets file).
struct GateInput {
  let steps: [Step]
  let live: LiveState
  let managed: Int
  let recovering: Set<TokenKey>
  let accounts: PostPlanState
  let tokens: TokenAccess

  /// - Parameter start: the state before the steps over this `live`, when the caller has it.
  init(_ steps: [Step], live: LiveState, managed: Int, recovering: Set<TokenKey>, start: PostPlanState? = nil) {
    self.steps = steps
    self.live = live
    self.managed = managed
    self.recovering = recovering
    accounts = start ?? PostPlanState(live, steps: steps)
    tokens = TokenAccess(steps, live: live, recovering: recovering)
  }
}

/// The token steps that change who can use an account, by step index: `losing`, those after which the
/// user holds no working token with that description; `granting`, those that give a working token where
/// the user had none with that description.
///
/// Taking away an expired token (the server refuses it anyway), one whose secret never reached the secrets file
/// (an interrupted apply roster recorded), or a duplicate while another live token with the description
/// stays (an interrupted rotation) takes no access away, so recovering from an interrupted apply needs no
/// --force. A rotation does count: the consumer of the old secret loses access. A rotation's create
/// grants nothing new (a working token with the description is there). Decided from the steps, the live
/// tokens and roster's own records, never from a step's reason, which a saved plan file could edit.
struct TokenAccess {
  let losing: Set<Int>
  let granting: Set<Int>

  init(_ steps: [Step], live: LiveState, recovering: Set<TokenKey>) {
    guard steps.contains(where: { $0.tokenDescription != nil }) else {
      losing = []
      granting = []
      return
    }
    func works(_ token: LiveToken) -> Bool { token.isActive && !(live.readAt.map(token.isExpired(at:)) ?? false) }
    func key(_ userID: String, _ description: String) -> String { userID + "\u{0}" + description }
    let taken = Set(
      steps.compactMap { step -> String? in
        switch step.change {
        case .token(.revokeToken(_, let id)), .token(.disableToken(_, let id?)): id
        default: nil
        }
      })
    var byID: [String: LiveToken] = [:]
    var working = Set<String>()  // owner and description of every working live token
    var remaining: [String: Int] = [:]  // working live tokens not taken away, by owner and description
    for token in live.tokens ?? [] {
      byID[token.id] = token
      guard works(token) else { continue }
      working.insert(key(token.userID, token.description))
      if !taken.contains(token.id) { remaining[key(token.userID, token.description), default: 0] += 1 }
    }
    var losing = Set<Int>()
    var granting = Set<Int>()
    for step in steps {
      switch step.change {
      case .token(.revokeToken(_, let id)), .token(.disableToken(_, let id?)):
        guard let token = byID[id] else {
          losing.insert(step.index)
          continue
        }
        if !works(token) || recovering.contains(TokenKey(username: step.username, description: token.description)) {
          continue
        }
        if remaining[key(token.userID, token.description), default: 0] == 0 { losing.insert(step.index) }
      case .token(.createToken(let description, _, _)):
        if let userID = step.userID, !working.contains(key(userID, description)) { granting.insert(step.index) }
      case .token(.enableToken(let description, let id?)):
        if let token = byID[id], !works(token), let userID = step.userID,
          !working.contains(key(userID, description))
        {
          granting.insert(step.index)
        }
      default:
        break
      }
    }
    self.losing = losing
    self.granting = granting
  }
}

/// The thresholds an operator passed on the command line (`--max-deactivations 10%` ...), the least
/// number of admins (`--min-system-admins`), and the accounts the operator protects or requires as
/// admins; absent flags mean the defaults.
public struct OperatorLimits: Sendable, Equatable {
  public var thresholds: [GateKind: Threshold] = [:]
  public var minSystemAdmins: Int?
  /// `--protected-user`: joins the manifest's protected_users.
  public var protectedUsers: Set<String> = []
  /// `--required-admin`: joins the manifest's required_admins.
  public var requiredAdmins: Set<String> = []

  public init(thresholds: [GateKind: Threshold] = [:], minSystemAdmins: Int? = nil) {
    self.thresholds = thresholds
    self.minSystemAdmins = minSystemAdmins
  }

  /// The thresholds that apply to `kind`: the operator's (or the default) and the manifest's when it sets
  /// one; the smallest limit wins, so the manifest can only tighten.
  public func thresholds(_ kind: GateKind, manifest: Threshold?) -> [Threshold] {
    [thresholds[kind] ?? kind.defaultThreshold] + (manifest.map { [$0] } ?? [])
  }

  /// The manifest may raise the minimum, never lower it below the operator's (or the default of 1).
  public func effectiveMinSystemAdmins(manifest: Int) -> Int { max(manifest, minSystemAdmins ?? 1) }
}

extension Safety {
  /// Every gate the steps trip. `thresholds` holds, per gate, every threshold in force; the smallest
  /// limit wins.
  public static func gates(
    _ steps: [Step], live: LiveState, managed: Int, thresholds: [GateKind: [Threshold]],
    recovering: Set<TokenKey> = [], start: PostPlanState? = nil
  ) -> [GateBreach] {
    let input = GateInput(steps, live: live, managed: managed, recovering: recovering, start: start)
    return GateKind.allCases.compactMap { kind in
      let given = thresholds[kind] ?? [kind.defaultThreshold]
      let population = kind.population(input)
      let limit = given.map { $0.limit(of: population, floor: kind.floor) }.min() ?? kind.floor
      let count = kind.count(input)
      guard count > limit else { return nil }
      return GateBreach(
        kind: kind, count: count, population: population, limit: limit,
        thresholds: Set(given.map(\.description)).sorted())
    }
  }

  /// `--force`, in the one place it is decided, for plans and saved plans alike: without it each breach
  /// blocks the plan; with it each is only a warning, and the plan says so.
  public static func enforce(_ breaches: [GateBreach], force: Bool) -> (gates: [String], warnings: [String]) {
    force
      ? ([], breaches.map { "\($0); allowed by --force" })
      : (breaches.map { "\($0); review the plan and run with --force" }, [])
  }

  /// The thresholds in force for a plan: per gate, the operator's (or the default) and the manifest's.
  public static func thresholds(limits: OperatorLimits, manifest: [GateKind: Threshold]) -> [GateKind: [Threshold]] {
    var out: [GateKind: [Threshold]] = [:]
    for kind in GateKind.allCases { out[kind] = limits.thresholds(kind, manifest: manifest[kind]) }
    return out
  }
}
