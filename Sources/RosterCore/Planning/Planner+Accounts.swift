/// Which live account a declaration stands for (itself, the account a rename takes, or none when a name
/// was taken by someone else), and what happens to the accounts nobody declares.
extension PlanBuilder {
  /// Why the owner of the bot roster runs as is never deactivated.
  static func ownsActingBot(_ name: String, _ live: LiveState) -> String {
    "cannot deactivate \(name): it owns the bot \(live.acting.username) that roster runs as, and the server disables "
      + "a deactivated user's bots (app/bot.go disableUserBots), so the token would stop working mid-apply. "
      + "Assign the bot to another owner first, or run roster with another admin's token"
  }

  /// Why the account that holds a declared name must not be taken as the declared user: usernames are
  /// not identities, and an ordinary user may rename their own account (api4/user.go patchUser).
  /// - A declared name held by a deactivated account while a previous name is an active account: the
  ///   server refuses the rename (its unique username index covers deactivated rows), and reactivating
  ///   the old account in its place would hand a departed person's account to someone else.
  /// - A declaration written to create an account (a password, a generated one, a reset mail) that meets
  ///   an account with another email: someone took the name before the create ran; updating it would
  ///   give a stranger the reviewed roles and tokens.
  func takeoverProblem(_ spec: UserSpec, _ user: LiveUser) -> String? {
    if !user.isActive,
      let (old, other) = spec.previousUsernames.lazy.compactMap({ old in
        accounts.byName[old].flatMap { $0.id != user.id && $0.isActive ? (old, $0) : nil }
      }).first
    {
      return
        "\(spec.username) is a deactivated account on the server (id \(user.id)) and previous username \(old) is a "
        + "separate active account (id \(other.id)); the server cannot rename \(old) to a name another account holds, "
        + "and roster will not reactivate the old \(spec.username) in its place. Free the name first (rename the "
        + "deactivated \(spec.username) in the System Console), or declare \(old) under its current name"
    }
    if let old = spec.previousUsernames.first(where: { old in accounts.byName[old].map { $0.id != user.id } ?? false }),
      spec.email.map({ $0 != ServerRules.normalizeEmail(user.email) }) ?? true
    {
      return "\(spec.username) is declared as the new name of \(old), but another account (id \(user.id), email "
        + "\(user.email)) already holds the name \(spec.username) while \(old) still exists; roster will not give "
        + "\(old)'s declared email, roles and tokens to that account. Find out who renamed it, free the name, then plan again"
    }
    let createsAccount = spec.password != nil || spec.generatePassword || spec.sendPasswordReset
    guard createsAccount, let email = spec.email, user.isManageable else { return nil }
    let current = ServerRules.normalizeEmail(user.email)
    if current == email || pendingEmails[spec.username] == email { return nil }
    return "\(spec.username) is declared to be created (it has \(Self.creationKeys(spec))), but an account with that "
      + "name already exists with another email (\(user.email)); roster will not turn a create into an update of "
      + "someone else's account. If the account is the declared person's, remove \(Self.creationKeys(spec)) (they "
      + "only serve the create) and plan again"
  }

  static func creationKeys(_ spec: UserSpec) -> String {
    var keys: [String] = []
    if spec.password != nil { keys.append("password") }
    if spec.generatePassword { keys.append("initial_password") }
    if spec.sendPasswordReset { keys.append("send_password_reset") }
    return keys.joined(separator: ", ")
  }

  /// A username change in place (PUT /users/{id}/patch with `username`), never a create: the account
  /// keeps its id, direct messages, memberships and posts.
  mutating func planRename(_ spec: UserSpec, from old: String, _ user: LiveUser) {
    let name = spec.username
    if accounts.isProtected(old) {
      warn(name, "previous username \(old) is in protected_users; not renamed")
      return
    }
    guard user.isManageable else {
      fail(name, "cannot rename \(old): it is a \(user.isBot ? "bot" : "remote user"); roster does not manage it")
      return
    }
    if accounts.isActing(user) {
      fail(name, "cannot rename \(old): it is the acting user, whose identity roster never changes")
      return
    }
    if !user.authService.isEmpty {
      // app/user.go CheckProviderAttributes: any account with an auth_service keeps its username
      // (409 api.user.patch_user.login_provider_attribute_set.app_error).
      fail(
        name,
        "cannot rename \(old): it signs in with \(user.authService), and the server refuses username changes for such accounts (409)"
      )
      return
    }
    planExisting(spec, user, renamedFrom: old)
  }

  /// Active human accounts the manifest does not list, whatever the policy does with them.
  /// Declared usernames and the accounts this plan renames; any other previous username that is still an
  /// account on the server is a separate account, and as unmanaged as any other.
  func claimedNames() -> Set<String> {
    let users = manifest.users
    var names = renamedClaims()
    names.reserveCapacity(users.count + names.count)
    for i in users.indices { names.insert(users[i].username) }
    return names
  }

  /// `claimedNames()` without the declared usernames, which `accounts` already knows: the plan asks
  /// `claims(_:)` of every account, and a set of every declared name was built only to be asked that.
  func renamedClaims() -> Set<String> {
    let users = manifest.users
    var names = Set<String>()
    for i in users.indices where !users[i].previousUsernames.isEmpty {
      let spec = users[i]
      if let user = accounts.byName[spec.username] {
        // A refused takeover leaves both accounts as they are: the other one is not "unmanaged".
        if !spec.previousUsernames.isEmpty && takeoverProblem(spec, user) != nil {
          names.formUnion(spec.previousUsernames)
        }
      } else if let (old, _) = accounts.renameSource(spec) {
        names.insert(old)
      }
    }
    return names
  }

  func unmanagedCount() -> Int {
    let renamed = renamedClaims()
    let users = live.users
    var count = 0
    // By index: `count(where:)` copied every account out to test it. The name a few accounts on is
    // asked for ahead, so that its lookup does not wait for memory.
    let ahead = FirstSeen<Int>.lookahead
    for i in users.indices {
      if i + ahead < users.count { accounts.prefetchDeclares(ServerRules.normalizeUsername(users[i + ahead].username)) }
      guard users[i].isActive && users[i].isManageable else { continue }
      let name = ServerRules.normalizeUsername(users[i].username)
      if !accounts.declares(name) && (renamed.isEmpty || !renamed.contains(name)) && governsUnmanaged(users[i]) {
        count += 1
      }
    }
    return count
  }

  mutating func planUnmanagedUsers() {
    guard manifest.settings.unmanagedUsers == .deactivate else { return }
    // The account a rename takes is claimed, never deactivated.
    let declared = claimedNames()
    for user in live.users.sorted(by: { $0.username < $1.username }) {
      let name = ServerRules.normalizeUsername(user.username)
      guard user.isActive, user.isManageable, !declared.contains(name),
        !accounts.isProtected(name), governsUnmanaged(user)
      else { continue }
      if accounts.isActing(user) {
        warn(name, "not deactivating the acting user, although the manifest does not list it")
        continue
      }
      if accounts.ownsActingBot(user) {
        fail(name, Self.ownsActingBot(name, live))
        continue
      }
      add(
        Step(
          .user(.deactivateUser), username: name, userID: user.id,
          reason: "not in the manifest; unmanaged_users: deactivate"))
    }
  }
}
