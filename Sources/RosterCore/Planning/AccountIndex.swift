/// Who is who, shared by every resource's planner: live accounts by name and by address, the declared
/// user that manages each account (by its name or a previous one), and the rules on which accounts
/// roster may touch at all (the acting user, the acting bot's owner, protected users, bots and remote
/// users). Users, tokens and, next, memberships all resolve their accounts here, so a rename or a
/// protected name means the same thing to each.
struct AccountIndex {
  let byName: UserIndex
  let byEmail: UserIndex
  private let declared: [UserSpec]
  /// Positions in `declared` by declared username (the first of a name), the last of a name declared
  /// twice, and by previous username for accounts that are renamed (the new name is not on the server)
  /// where no declared user has that name. One index of every name: a second one, by the names on the
  /// server, held the same positions for every user that is not renamed.
  private let specByName: FirstSeen<Int>
  private let lastOfRepeatedName: [String: Int]
  private let specByPreviousName: [String: Int]
  private let actingID: String
  private let actingBotOwnerID: String?
  let protected: Set<String>
  let governance: Governance

  init(manifest: Manifest, live: LiveState) {
    byName = UserIndex(live.users, .username)
    byEmail = UserIndex(live.users, .email)
    declared = manifest.users
    var names = FirstSeen<Int>()
    var repeated: [String: Int] = [:]
    var previous: [String: Int] = [:]
    let users = manifest.users
    names.reserveCapacity(users.count)
    // By index, reading only the names: copying each spec out retained every one of its fields.
    for i in users.indices {
      let username = users[i].username
      if names.recordFirst(i, for: username) != nil { repeated[username] = i }
    }
    // The first renamed user to name a previous username takes it, unless a user is declared by it.
    for i in users.indices where !users[i].previousUsernames.isEmpty && !byName.contains(users[i].username) {
      for old in users[i].previousUsernames where names[old] == nil && previous[old] == nil { previous[old] = i }
    }
    specByName = names
    lastOfRepeatedName = repeated
    specByPreviousName = previous
    actingID = live.acting.id
    actingBotOwnerID = live.actingBotOwnerID
    protected = manifest.settings.protectedUsers
    governance = Governance(scope: manifest.settings.scope, owner: manifest.settings.owner)
  }

  /// Whether `settings.scope` takes in the account (every account, without a scope).
  func inScope(_ user: LiveUser) -> Bool { governance.inScope(user) }

  /// The owner another manifest marked the account with; nil when unmarked or marked by this one.
  func foreignOwner(_ user: LiveUser) -> String? { governance.foreignOwner(user) }

  /// The declared user that manages a live account, by its current name or a previous one.
  func spec(managing user: LiveUser) -> UserSpec? {
    specManaging(ServerRules.normalizeUsername(user.username)).map { declared[$0] }
  }

  /// The position of the spec that manages the account of that name: the last user declared by it, or
  /// the renamed user that names it as a previous username.
  private func specManaging(_ name: String) -> Int? {
    if !lastOfRepeatedName.isEmpty, let last = lastOfRepeatedName[name] { return last }
    if let first = specByName[name] { return first }
    return specByPreviousName.isEmpty ? nil : specByPreviousName[name]
  }

  /// Whether the manifest names `name`: a declared user, or a previous name it renames.
  func names(_ name: String) -> Bool { specManaging(name) != nil }

  /// Whether a declared user has that username (previous names aside).
  func declares(_ name: String) -> Bool { specByName[name] != nil }

  /// Asks for the slot `declares(name)` will read, for a loop over every account (`FirstSeen.prefetch`).
  func prefetchDeclares(_ name: String) { _ = specByName.prefetch(name) }

  /// The declared user of that name.
  func spec(named name: String) -> UserSpec? { specByName[name].map { declared[$0] } }

  /// The account a declared user renames: the first previous name the server still has.
  func renameSource(_ spec: UserSpec) -> (String, LiveUser)? {
    for old in spec.previousUsernames { if let user = byName[old] { return (old, user) } }
    return nil
  }

  /// The live account a declared name stands for: the user itself, or the account it renames.
  func account(declared name: String) -> LiveUser? {
    if let user = byName[name] { return user }
    return spec(named: name).flatMap { renameSource($0)?.1 }
  }

  /// The user whose token roster runs with: never deactivated, demoted, renamed or stripped of tokens.
  func isActing(_ user: LiveUser) -> Bool { user.id == actingID }

  /// The human who owns the bot roster runs as: deactivating them would disable that bot.
  func ownsActingBot(_ user: LiveUser) -> Bool { user.id == actingBotOwnerID }

  func isProtected(_ name: String) -> Bool { protected.contains(name) }
}
