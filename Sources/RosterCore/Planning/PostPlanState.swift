/// The accounts a plan's steps name, as the steps leave them: the one reading of what steps do that the
/// admin checks, the required admins, the admin gates and the check after apply all share. Each
/// resource says what its kinds do (`ResourceChange.simulate`); nothing else replays steps.
///
/// Built in one pass over the live users that keeps only the accounts the steps name: an index of every
/// id costs a third of a second at 100,000 users.
public struct PostPlanState: Sendable {
  /// The live accounts the steps name, by id, as they were before the plan.
  private let before: [String: LiveUser]
  /// Active, local, human system admins before the plan, by account key.
  let adminsBefore: Set<String>
  /// Active accounts holding any admin role before the plan (bots and remote users included).
  let activePrivileged: Int
  /// The accounts steps have touched so far, by account key.
  private(set) var accounts: [String: SimulatedAccount] = [:]
  /// Active, local, human system admins after the steps applied so far, by account key.
  private(set) var admins: Set<String>

  /// The state before any step.
  init(_ live: LiveState, steps: [Step]) {
    let wanted = Set(steps.compactMap(\.userID))
    var named: [String: LiveUser] = [:]
    var admins = Set<String>()
    var privileged = 0
    // By index, copying out only the accounts kept: `for user in` copied every one (a retain and
    // release of each of its strings), and a plan builds this state three times.
    let users = live.users
    for i in users.indices {
      if !wanted.isEmpty && wanted.contains(users[i].id) { named[users[i].id] = users[i] }
      guard users[i].deleteAt == 0 && users[i].isPrivileged else { continue }
      privileged += 1
      if users[i].isManageable && users[i].isSystemAdmin { admins.insert(users[i].id) }
    }
    before = named
    adminsBefore = admins
    self.admins = admins
    activePrivileged = privileged
  }

  /// A live account by its id, or a user this plan creates by its name.
  func key(_ step: Step) -> String { step.userID ?? Self.newKey(step.username) }
  static func newKey(_ username: String) -> String { "new user " + username }

  /// The live account a step names, as it was before the plan.
  func user(_ step: Step) -> LiveUser? { step.userID.flatMap { before[$0] } }

  /// The account a step names, after the steps applied so far.
  func account(_ step: Step) -> SimulatedAccount? { accounts[key(step)] ?? user(step).map(SimulatedAccount.init) }

  /// The account `key` names after the steps applied so far; nil for one no step touched.
  public func account(key: String) -> SimulatedAccount? { accounts[key] }

  /// Applies one step's effect.
  public mutating func apply(_ step: Step) {
    let key = key(step)
    var account = accounts[key] ?? user(step).map(SimulatedAccount.init) ?? SimulatedAccount(created: step.username)
    step.change.resource.simulate(&account)
    accounts[key] = account
    if account.countsAsAdmin { admins.insert(key) } else { admins.remove(key) }
  }
}

extension PostPlanState {
  /// The ids of the accounts the steps name that hold an admin role now.
  var privilegedNamed: Set<String> { Set(before.values.lazy.filter(\.isPrivileged).map(\.id)) }
}

extension LiveState {
  /// The accounts `steps` name after all of them ran.
  public func applying(_ steps: [Step]) -> PostPlanState {
    var state = PostPlanState(self, steps: steps)
    for step in steps { state.apply(step) }
    return state
  }
}

/// One account as the plan leaves it, and what a fresh read must show for the steps that touched it.
public struct SimulatedAccount: Sendable, Equatable {
  public internal(set) var username: String
  public internal(set) var isActive: Bool
  public internal(set) var roles: Set<String>
  public internal(set) var isManageable: Bool
  /// What the steps expect the server to show afterwards; only what a step changed is checked.
  var expected = Expectations()

  struct Expectations: Sendable, Equatable {
    var active: Bool?
    var guest: Bool?
    var roles: Set<String>?
    /// Profile fields by key (username included), in the order the steps set them.
    var fields: [(String, String)] = []
    /// Tokens by description: whether one must exist, be active or be disabled.
    var tokens: [String: TokenState] = [:]
    var revokedTokenIDs: [String] = []

    static func == (a: Expectations, b: Expectations) -> Bool {
      a.active == b.active && a.guest == b.guest && a.roles == b.roles && a.fields.elementsEqual(b.fields, by: ==)
        && a.tokens == b.tokens && a.revokedTokenIDs == b.revokedTokenIDs
    }
  }

  enum TokenState: Sendable, Equatable { case exists, active, disabled }

  init(_ user: LiveUser) {
    username = user.username
    isActive = user.isActive
    roles = user.roleSet
    isManageable = user.isManageable
  }

  /// A user the plan creates: the server stores system_user until a roles step says otherwise.
  init(created username: String) {
    self.username = username
    isActive = true
    roles = ["system_user"]
    isManageable = true
  }

  public var isSystemAdmin: Bool { roles.contains("system_admin") }
  /// What the server's last-admin rule and `min_system_admins` count.
  public var countsAsAdmin: Bool { isActive && isManageable && isSystemAdmin }
}
