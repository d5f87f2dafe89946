/// The safety gates on a plan's blast radius. Each is a threshold on how many steps of one sort a plan
/// may hold without `--force`; the manifest may set it, an operator flag may set it, and the stricter
/// of the two (and of the default, when no flag is given) applies: a pull request can tighten a gate,
/// never loosen it.
public enum GateKind: String, CaseIterable, Sendable {
  case deactivations = "max_deactivations"
  case adminRemovals = "max_admin_removals"
  case tokenRevocations = "max_token_revocations"
  case profileUpdates = "max_profile_updates"

  /// The manifest key (`settings:`) and, with dashes, the operator flag.
  public var key: String { rawValue }
  public var flag: String { "--" + rawValue.replacingOccurrences(of: "_", with: "-") }

  /// octoDNS's 30% for updates and deletes; fewer for privileges and for deactivations.
  public var defaultThreshold: Threshold {
    switch self {
    case .deactivations: .percent(25)
    case .adminRemovals: .percent(10)
    case .tokenRevocations, .profileUpdates: .percent(30)
    }
  }

  /// The limit is never below this, so small rosters can still change.
  var floor: Int { self == .adminRemovals ? 1 : 3 }

  public var noun: String {
    switch self {
    case .deactivations: "deactivations"
    case .adminRemovals: "system_admin removals"
    case .tokenRevocations: "token revocations"
    case .profileUpdates: "profile updates"
    }
  }

  /// How many of the plan's steps this gate counts.
  func count(_ steps: [Step], live: LiveState) -> Int {
    switch self {
    case .deactivations: return steps.count { $0.kind == .deactivateUser }
    case .tokenRevocations: return Self.accessLosingRevocations(steps, live: live)
    case .profileUpdates:
      return steps.count { ($0.kind == .patchProfile || $0.kind == .renameUser) && $0.userID != nil }
    case .adminRemovals:
      let accounts = AccountKeys(live, steps: steps)
      return steps.count { step in
        switch step.change {
        case .setRoles(let before, let after): before.contains("system_admin") && !after.contains("system_admin")
        case .demoteToGuest, .deactivateUser: accounts.user(step)?.isSystemAdmin == true
        default: false
        }
      }
    }
  }

  /// Revocations after which the user holds no token with that description. A replacement (an expired
  /// token, one whose secret never reached the sink, a rotation: the plan creates the same description)
  /// or the clean-up of a duplicate (another live token with the description stays) takes no access
  /// away, so it does not count: recovering from an interrupted apply must not need --force. Decided
  /// from the steps and the live tokens, never from a step's reason, which a saved plan file could edit.
  static func accessLosingRevocations(_ steps: [Step], live: LiveState) -> Int {
    var byIndex: [Int: Step] = [:]
    for step in steps { byIndex[step.index] = step }
    let revoked = Set(steps.compactMap { $0.kind == .revokeToken ? $0.tokenID : nil })
    let tokens = live.tokens ?? []
    var byID: [String: LiveToken] = [:]
    var remaining: [String: Int] = [:]  // live tokens not revoked, by owner and description
    for token in tokens {
      byID[token.id] = token
      if !revoked.contains(token.id) { remaining[token.userID + "\u{0}" + token.description, default: 0] += 1 }
    }
    return steps.count { step in
      guard case .revokeToken(let description, let id) = step.change else { return false }
      // A replacement waits for the create of the same description (create before revoke).
      let replaced = step.dependsOn.contains { dependency in
        guard let create = byIndex[dependency], case .createToken(let made, _) = create.change else { return false }
        return create.username == step.username && made == description
      }
      if replaced { return false }
      guard let token = byID[id] else { return true }
      return remaining[token.userID + "\u{0}" + token.description, default: 0] == 0
    }
  }

  /// What the threshold is a share of, and its name: active human users for deactivations (as since the
  /// first version), the users the manifest manages for the others.
  func population(live: LiveState, managed: Int) -> (Int, String) {
    self == .deactivations
      ? (live.users.count { $0.isActive && $0.isManageable }, "active users") : (managed, "managed users")
  }
}

/// The thresholds an operator passed on the command line (`--max-deactivations 10%` ...) and the least
/// number of admins (`--min-system-admins`); absent flags mean the defaults.
public struct OperatorLimits: Sendable, Equatable {
  public var thresholds: [GateKind: Threshold] = [:]
  public var minSystemAdmins: Int?

  public init(thresholds: [GateKind: Threshold] = [:], minSystemAdmins: Int? = nil) {
    self.thresholds = thresholds
    self.minSystemAdmins = minSystemAdmins
  }

  /// The thresholds that apply to `kind`: the operator's (or the default) and the manifest's when it sets
  /// one; the smallest limit wins, so the manifest can only tighten.
  func thresholds(_ kind: GateKind, manifest: Threshold?) -> [Threshold] {
    [thresholds[kind] ?? kind.defaultThreshold] + (manifest.map { [$0] } ?? [])
  }

  /// The manifest may raise the minimum, never lower it below the operator's (or the default of 1).
  public func effectiveMinSystemAdmins(manifest: Int) -> Int { max(manifest, minSystemAdmins ?? 1) }
}

extension Safety {
  /// Every gate the steps trip, in words.
  public static func gates(
    _ steps: [Step], live: LiveState, managed: Int, limits: OperatorLimits, manifest: [GateKind: Threshold]
  ) -> [String] {
    GateKind.allCases.compactMap { kind in
      let thresholds = limits.thresholds(kind, manifest: manifest[kind])
      let (population, name) = kind.population(live: live, managed: managed)
      let limit = thresholds.map { $0.limit(of: population, floor: kind.floor) }.min() ?? kind.floor
      let count = kind.count(steps, live: live)
      guard count > limit else { return nil }
      let shown = Set(thresholds.map(\.description)).sorted().joined(separator: " and ")
      return "\(count) \(kind.noun) exceed \(kind.key) (\(shown) of \(population) \(name) = \(limit))"
    }
  }
}
