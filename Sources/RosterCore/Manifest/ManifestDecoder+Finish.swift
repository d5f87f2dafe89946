import RosterYAML

extension ManifestDecoder {
  /// A password cannot go with SSO (model/user.go IsValid auth_data_*). What a user's own fields
  /// decide; `checkAuthData` waits for `defaults`, wherever it is written.
  mutating func checkAuth(_ user: inout DeclaredUser, at mark: Mark) {
    checkAuth(user.spec, at: mark)
  }

  /// The spec passed (borrowed), not bound: `let spec = user.spec` copied it, retaining every field of
  /// every user.
  private mutating func checkAuth(_ spec: UserSpec, at mark: Mark) {
    if spec.password != nil && (spec.authService != nil || spec.authData != nil) {
      reader.error(mark, "a user signs in with a password or with auth_service, not both (auth_data_pwd)")
    }
    if spec.generatePassword && spec.password != nil {
      reader.error(mark, "initial_password: generate and password are two ways to set one password; keep one")
    }
    if spec.generatePassword && spec.authService != nil {
      reader.error(
        mark, "initial_password: generate is for email/password accounts; this user signs in with auth_service")
    }
    if spec.sendPasswordReset && spec.authService != nil {
      // app/user.go SendPasswordReset refuses accounts with auth data (api.user.send_password_reset.sso.app_error).
      reader.error(mark, "send_password_reset is for email/password accounts; the server refuses it for SSO accounts")
    }
    if spec.previousUsernames.contains(spec.username) {
      reader.error(mark, "previous_usernames lists the user's own username \(spec.username)")
    }
  }

  /// A previous username points at one account: two users cannot claim it, and it cannot be a name the
  /// manifest declares (that account would be both renamed and kept).
  mutating func checkPreviousUsernames() {
    var claimedBy: [String: String] = [:]
    // Only the users that have previous names are copied out: `for spec in users` copied every one.
    for index in users.indices where !users[index].previousUsernames.isEmpty {
      let spec = users[index]
      for old in spec.previousUsernames {
        if let first = claimedBy[old] {
          reader.error(
            spec.mark,
            "\(spec.username) and \(first) both list \(old) in previous_usernames; one account cannot become two")
        } else {
          claimedBy[old] = spec.username
        }
        if let declared = firstByName[old] {
          reader.error(
            spec.mark,
            "\(spec.username) lists \(old) in previous_usernames, but \(old) is declared as a user at \(declared)")
        }
      }
    }
  }

  /// SSO binding needs both halves, and `defaults` may give the auth_service. Checked once every file
  /// is read, so the answer does not depend on whether `defaults` came before or after the users. A
  /// user outside `--only` gets a warning and is left out, as a user whose entry has an error is.
  mutating func checkAuthData() {
    guard defaults?.spec.authService == nil else { return }
    let message = "auth_data needs an auth_service (the server refuses it alone: auth_data_type)"
    var dropped: [Int] = []
    for index in users.indices where users[index].authData != nil && !infos[index].written.contains(.authService) {
      if Self.isTargeted(users[index], by: only) {
        reader.error(infos[index].entryMark, message)
      } else {
        reader.warning(infos[index].entryMark, message + ManifestDecoder.untargeted)
        dropped.append(index)
      }
    }
    // Removed in place: a copy of a large roster's users would raise the peak memory.
    for index in dropped.reversed() {
      users.remove(at: index)
      infos.remove(at: index)
    }
  }

  /// Whether `--only` names the user (always, without `--only`).
  func isTargeted(_ spec: UserSpec) -> Bool { Self.isTargeted(spec, by: only) }

  /// Static, for loops over `users` in a mutating method: calling a method of `self` with one of its
  /// users as the argument copied the whole decoder for each user.
  static func isTargeted(_ spec: UserSpec, by only: Set<String>?) -> Bool {
    only.map { only in spec.names.contains(where: only.contains) } ?? true
  }

  /// Two users with one address (emails are case-insensitive: they are stored lowercased) would fail
  /// halfway through an apply with app.user.save.email_exists.app_error; caught here, offline.
  mutating func checkEmails() {
    // The table holds positions in `users` only: no address or mark is copied to find the first user.
    var firstByEmail = PositionTable()
    firstByEmail.reserveCapacity(users.count) { KeyHash.of(users[$0].email ?? "") }
    // The slot of an address a few users on is asked for now, so that its wait overlaps these; its hash
    // waits in `ahead` (by user index modulo the distance) for its turn.
    let distance = PositionTable.lookahead
    var ahead = [(index: Int, hash: UInt64)](repeating: (-1, 0), count: distance)
    for index in users.indices {
      if index + distance < users.count, let next = users[index + distance].email {
        let hash = KeyHash.of(next)
        firstByEmail.prefetch(hash: hash)
        ahead[(index + distance) % distance] = (index + distance, hash)
      }
      guard let email = users[index].email, let mark = infos[index].emailMark else { continue }
      let fetched = ahead[index % distance]
      let hash = fetched.index == index ? fetched.hash : KeyHash.of(email)
      guard
        let first = firstByEmail.recordFirst(
          index, hash: hash, isKey: { KeyHash.same(users[$0].email ?? "", email) },
          rehash: { KeyHash.of(users[$0].email ?? "") })
      else { continue }
      // Without --only every user is targeted; asking copied out every spec.
      let targeted = only == nil || Self.isTargeted(users[index], by: only)
      let firstTargeted = only == nil || Self.isTargeted(users[first], by: only)
      let message =
        "email \(email) is declared twice (emails are case-insensitive); the first is at \(infos[first].emailMark ?? mark)"
      if targeted || firstTargeted {
        reader.error(mark, message)
      } else {
        reader.warning(mark, message + ManifestDecoder.untargeted)
      }
    }
  }

  /// Merges defaults under each user and returns the manifest, unless there were errors.
  mutating func finish() -> LoadResult {
    checkAuthData()
    checkEmails()
    checkPreviousUsernames()
    // Defaults are merged into the specs where they lie, and the users that fail a check are closed up
    // over: the specs become the manifest's users without a copy.
    var kept = 0
    for index in users.indices {
      let info = infos[index]
      if let defaults { Self.merge(defaults, into: &users[index], declared: info.declared) }
      // The spec is copied out only for a check that applies: a copy of every spec retained each of its
      // strings (4% of a 100,000-user validate), and most users need none of these.
      guard settings.scope != nil || users[index].authService != nil || users[index].roles?.first == "system_guest"
      else {
        if kept != index { users.swapAt(kept, index) }
        kept += 1
        continue
      }
      let spec = users[index]
      if spec.authService != nil && !info.declared.contains(.authService)
        && (spec.sendPasswordReset || spec.generatePassword)
      {
        reader.error(
          spec.mark,
          "user \(spec.username) has \(spec.generatePassword ? "initial_password: generate" : "send_password_reset"), but defaults give it auth_service \(spec.authService ?? "")"
        )
      }
      if spec.authService != nil && spec.password != nil && !info.declared.contains(.authService) {
        reader.error(
          spec.mark, "user \(spec.username) has a password, but defaults give it auth_service \(spec.authService ?? "")"
        )
      }
      checkScope(spec)
      if checkGuestMemberships(spec, info) {
        if kept != index { users.swapAt(kept, index) }
        kept += 1
      }
    }
    users.removeSubrange(kept...)
    infos = []
    checkBots()
    let diagnostics = reader.diagnostics
    let manifest =
      diagnostics.hasErrors ? nil : Manifest(settings: settings, users: users, teams: registry, bots: bots)
    return LoadResult(manifest: manifest, diagnostics: diagnostics.sorted)
  }

  /// The keys `defaults` sets that the user's own entry does not.
  private static func merge(_ defaults: DeclaredUser, into spec: inout UserSpec, declared: UserKeySet) {
    let d = defaults.spec
    for key in defaults.declared where !declared.contains(key) {
      switch key {
      case .profile(let field): field.set(field.value(in: d), in: &spec)
      case .roles: spec.roles = d.roles
      case .active: spec.active = d.active
      case .authService: spec.authService = d.authService
      case .teams: spec.teams = d.teams
      default: break
      }
    }
  }
}
