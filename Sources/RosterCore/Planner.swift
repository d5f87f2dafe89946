/// Options that change what the planner may do.
public struct PlanOptions: Sendable {
  /// `--force`: mass deactivations pass the gate (the plan still records it).
  public var force = false
  /// Tokens an earlier apply began to create without recording their secrets (open intents in the
  /// sink): a live token with such a key is one nobody holds, so it is replaced.
  public var orphanedTokens: Set<TokenKey> = []
  /// Email changes an earlier apply requested that still wait for the user's verification (username to
  /// the new address): the server shows the old address meanwhile, and asking again would mail again.
  public var pendingEmails: [String: String] = [:]
  /// Operator flags for the gates and the least number of admins; the manifest may only tighten them.
  public var limits = OperatorLimits()

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
    var builder = PlanBuilder(manifest: manifest, live: live, orphaned: options.orphanedTokens)
    builder.pendingEmails = options.pendingEmails
    builder.planDeclaredUsers()
    builder.planUnmanagedUsers()
    return builder.finish(options: options)
  }
}

/// The mutable work of one planning run.
struct PlanBuilder {
  let manifest: Manifest
  let live: LiveState
  let liveByName: UserIndex
  let liveByEmail: UserIndex
  let tokensByUser: [String: [LiveToken]]
  let orphaned: Set<TokenKey>
  var pendingEmails: [String: String] = [:]
  var steps: [Step] = []
  var notes: [PlanNote] = []

  init(manifest: Manifest, live: LiveState, orphaned: Set<TokenKey> = []) {
    self.manifest = manifest
    self.live = live
    self.orphaned = orphaned
    liveByName = UserIndex(live.users) { ServerRules.normalizeUsername($0.username) }
    liveByEmail = UserIndex(live.users) { $0.email.isEmpty ? nil : ServerRules.normalizeEmail($0.email) }
    tokensByUser = Dictionary(grouping: live.tokens ?? [], by: \.userID)
  }

  mutating func warn(_ user: String?, _ message: String) { notes.append(PlanNote(.warning, user, message)) }
  mutating func fail(_ user: String?, _ message: String) { notes.append(PlanNote(.error, user, message)) }

  // MARK: declared users

  mutating func planDeclaredUsers() {
    for spec in manifest.users {
      if manifest.settings.protectedUsers.contains(spec.username) { continue }
      if let user = liveByName[spec.username] {
        planExisting(spec, user)
      } else {
        planCreate(spec)
      }
    }
  }

  mutating func planCreate(_ spec: UserSpec) {
    let name = spec.username
    guard spec.active else { return }  // declared deactivated and absent: nothing to create
    var ok = true
    guard let email = spec.email else {
      fail(name, "cannot create: no email declared (the server requires one)")
      return
    }
    if let owner = liveByEmail[email] {
      fail(name, "cannot create: email \(email) is already used by \(owner.username)")
      ok = false
    }
    if spec.authService != nil && spec.authData == nil {
      fail(
        name,
        "cannot create: auth_service \(spec.authService ?? "") needs auth_data (the user's id at the identity provider)"
      )
      ok = false
    }
    if spec.password == nil && spec.authService == nil {
      fail(name, "cannot create: declare a password or an auth_service (the server requires one)")
      ok = false
    }
    // The server checks passwords only for accounts without SSO (app/users/users.go createUser).
    if let password = spec.password, spec.authService == nil, password.expanded == nil {
      fail(
        name, "cannot create: the password from \(password.written) refers to an environment variable that is not set")
      ok = false
    } else if let password = spec.password, spec.authService == nil, let expanded = password.expanded,
      let problem = (live.passwordPolicy ?? PasswordPolicy()).problem(expanded)
    {
      fail(name, "cannot create: the password from \(password.written) \(problem)")
      ok = false
    }
    // app/users/users.go CreateUser replaces a locale without a translation by DefaultClientLocale ("en");
    // an update checks only the tag's shape. So such a locale is set by a patch after the create.
    let untranslated = spec.locale.flatMap { ServerLocales.supported.contains($0) ? nil : $0 }
    if let locale = untranslated {
      warn(
        name,
        "locale \(locale) has no translation on the server, which stores \"en\" on create; roster sets it with a second call"
      )
    }
    guard ok else { return }
    var changes = [
      FieldChange(field: "username", old: nil, new: name), FieldChange(field: "email", old: nil, new: email),
    ]
    for (field, value) in Self.declaredFields(spec) where field != .email {
      changes.append(FieldChange(field: field.key, old: nil, new: value))
    }
    if spec.emailVerified == true { changes.append(FieldChange(field: "email_verified", old: nil, new: "true")) }
    if let service = spec.authService {
      changes.append(FieldChange(field: "auth_service", old: nil, new: service))
      changes.append(FieldChange(field: "auth_data", old: nil, new: spec.authData ?? ""))
    }
    let create = add(
      Step(
        .createUser(fields: changes, passwordReference: spec.authService == nil ? spec.password?.written : nil),
        username: name, userID: nil))
    if let locale = untranslated {
      add(
        Step(
          .patchProfile([FieldChange(field: ProfileField.locale.key, old: "en", new: locale)]), username: name,
          userID: nil),
        after: [create])
    }
    // The server ignores roles on create and stores system_user; anything else needs its own call.
    if spec.roles == ["system_guest"] {
      // A new account is a user; only POST /users/{id}/demote makes a guest of it.
      warnDemoteNeedsLicense(name)
      add(Step(.demoteToGuest, username: name, userID: nil, reason: "new accounts are users"), after: [create])
    } else if let roles = spec.roles, roles != ["system_user"] {
      add(
        Step(
          .setRoles(before: ["system_user"], after: roles), username: name, userID: nil,
          reason: "the server ignores roles on create"),
        after: [create])
    }
    for token in spec.tokens ?? [] { addTokenCreate(token, name: name, userID: nil, after: [create]) }
  }

  /// The managed profile fields of a spec with the declared values, in the table's order.
  static func declaredFields(_ spec: UserSpec) -> [(ProfileField, String)] {
    ProfileField.allCases.compactMap { field in spec[keyPath: field.spec].map { (field, $0) } }
  }

  mutating func planExisting(_ spec: UserSpec, _ user: LiveUser) {
    let name = spec.username
    guard user.isManageable else {
      fail(name, "username \(name) belongs to a \(user.isBot ? "bot" : "remote user"); roster does not manage it")
      return
    }
    let acting = user.id == live.acting.id
    if spec.active && !user.isActive {
      add(
        Step(.reactivateUser, username: name, userID: user.id, reason: user.isSystemAdmin ? Plan.reactivatesAdmin : nil)
      )
    }
    if let service = spec.authService, service != user.authService {
      warn(
        name,
        "auth_service is \(user.authService.isEmpty ? "email/password" : user.authService) on the server; roster cannot change how an existing account signs in"
      )
    }
    var changes: [FieldChange] = []
    for (field, declared) in Self.declaredFields(spec) {
      let current = user[keyPath: field.live]
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
      if field == .email, let owner = liveByEmail[declared], owner.id != user.id {
        fail(name, "cannot change email to \(declared): it is already used by \(owner.username)")
        continue
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
    if !changes.isEmpty {
      add(Step(.patchProfile(changes), username: name, userID: user.id))
    }
    if let roles = spec.roles, Set(roles) != user.roleSet { planRoles(roles, of: user, name: name, acting: acting) }
    if let declared = spec.tokens { planTokens(declared, of: user, name: name, acting: acting) }
    if !spec.active && user.isActive {
      if acting {
        warn(name, "not deactivating the acting user (roster never locks itself out)")
      } else {
        add(Step(.deactivateUser, username: name, userID: user.id, reason: "declared active: false"))
      }
    }
  }

  /// Roles of an existing user. Guest and user are changed only by POST /users/{id}/promote and
  /// /demote (api4/user.go; store PromoteGuestToUser/DemoteUserToGuest also move team and channel
  /// memberships), never by PUT /roles, which would leave the memberships guest-level.
  mutating func planRoles(_ roles: [String], of user: LiveUser, name: String, acting: Bool) {
    let live = user.roles.split(separator: " ").map(String.init)
    let wantsGuest = roles == ["system_guest"]
    switch (user.isGuest, wantsGuest) {
    case (false, true):
      if acting {
        warn(name, "not demoting the acting user to a guest (roster never locks itself out)")
        return
      }
      warnDemoteNeedsLicense(name)
      add(Step(.demoteToGuest, username: name, userID: user.id))
    case (true, false):
      // Promote swaps system_guest for system_user and keeps the rest; anything else is a roles call.
      let promoted = ServerRules.canonicalRoles(live.map { $0 == "system_guest" ? "system_user" : $0 })
      let promote = add(Step(.promoteGuest, username: name, userID: user.id))
      if Set(promoted) != Set(roles) {
        add(Step(.setRoles(before: promoted, after: roles), username: name, userID: user.id), after: [promote])
      }
    case (true, true):
      warn(name, "is a guest with roles \(user.roles); roster changes a guest's roles only by promoting it")
    case (false, false):
      if acting && user.isSystemAdmin && !roles.contains("system_admin") {
        warn(name, "not removing system_admin from the acting user (roster never locks itself out)")
      } else {
        add(Step(.setRoles(before: live, after: roles), username: name, userID: user.id))
      }
    }
  }

  mutating func warnDemoteNeedsLicense(_ name: String) {
    warn(
      name,
      "demoting to a guest needs a licensed server with guest accounts on; otherwise the server answers 501 "
        + "(api.team.demote_user_to_guest.license.error)")
  }

  /// A token's create, and its disable when declared inactive; returns the create's index.
  @discardableResult
  mutating func addTokenCreate(_ token: TokenSpec, name: String, userID: String?, after: [Int] = []) -> Int {
    let made = add(
      Step(
        .createToken(description: token.description, expiresInDays: token.expiresInDays), username: name, userID: userID
      ),
      after: after)
    if !token.active {
      add(
        Step(.disableToken(description: token.description, tokenID: nil), username: name, userID: userID), after: [made]
      )
    }
    return made
  }

  /// Why a live token with the declared description is replaced, or nil when it is kept.
  func replacement(for token: LiveToken, name: String, acting: Bool) -> String? {
    if acting { return nil }  // the acting user's tokens are never revoked: one may be in use
    if orphaned.contains(TokenKey(username: name, description: token.description)) {
      return "its secret never reached the token sink (an interrupted apply)"
    }
    if let now = live.readAt, token.isExpired(at: now) { return "it has expired (the server refuses it)" }
    return nil
  }

  mutating func planTokens(_ declared: [TokenSpec], of user: LiveUser, name: String, acting: Bool) {
    if live.tokens == nil || (live.tokensReadFor.map { !$0.contains(user.id) } ?? false) {
      fail(name, "tokens are managed but could not be read from the server")
      return
    }
    let current = tokensByUser[user.id] ?? []
    let byDescription = Dictionary(grouping: current, by: \.description)
    for token in declared {
      let matches = byDescription[token.description] ?? []
      switch matches.count {
      case 0:
        addTokenCreate(token, name: name, userID: user.id)
      case 1 where replacement(for: matches[0], name: name, acting: acting) != nil:
        // An expired token, or one an earlier apply made without keeping its secret: a new one is made
        // and its secret kept before the old one goes (create before destroy).
        let match = matches[0]
        let made = addTokenCreate(token, name: name, userID: user.id)
        add(
          Step(
            .revokeToken(description: token.description, tokenID: match.id), username: name, userID: user.id,
            reason: replacement(for: match, name: name, acting: acting)),
          after: [made])
      case 1:
        let match = matches[0]
        if match.isActive != token.active {
          if !token.active && acting {
            warn(name, "not disabling token \"\(token.description)\" of the acting user: it may be the one in use")
          } else {
            let change: Change =
              token.active
              ? .enableToken(description: token.description, tokenID: match.id)
              : .disableToken(description: token.description, tokenID: match.id)
            add(Step(change, username: name, userID: user.id))
          }
        }
      default:
        let ids = matches.map(\.id).sorted().joined(separator: ", ")
        fail(
          name,
          "\(matches.count) live tokens are described \"\(token.description)\" (\(ids)); roster cannot tell which secret is in use, revoke the extra ones by hand"
        )
      }
    }
    let wanted = Set(declared.map(\.description))
    for token in current where !wanted.contains(token.description) {
      if acting {
        warn(
          name, "not revoking token \"\(token.description)\" (\(token.id)) of the acting user: it may be the one in use"
        )
        continue
      }
      add(
        Step(
          .revokeToken(description: token.description, tokenID: token.id), username: name, userID: user.id,
          reason: "not declared"))
    }
  }

  // MARK: unmanaged users

  /// Active human accounts the manifest does not list, whatever the policy does with them.
  func unmanagedCount() -> Int {
    let declared = Set(manifest.users.map(\.username))
    return live.users.count {
      $0.isActive && $0.isManageable && !declared.contains(ServerRules.normalizeUsername($0.username))
    }
  }

  mutating func planUnmanagedUsers() {
    guard manifest.settings.unmanagedUsers == .deactivate else { return }
    let declared = Set(manifest.users.map(\.username))
    for user in live.users.sorted(by: { $0.username < $1.username }) {
      let name = ServerRules.normalizeUsername(user.username)
      guard user.isActive, user.isManageable, !declared.contains(name),
        !manifest.settings.protectedUsers.contains(name)
      else { continue }
      if user.id == live.acting.id {
        warn(name, "not deactivating the acting user, although the manifest does not list it")
        continue
      }
      add(
        Step(
          .deactivateUser, username: name, userID: user.id, reason: "not in the manifest; unmanaged_users: deactivate"))
    }
  }

  // MARK: assembly

  @discardableResult
  mutating func add(_ step: Step, after: [Int] = []) -> Int {
    var step = step
    step.index = steps.count
    step.dependsOn = after
    steps.append(step)
    return step.index
  }

  /// Create before destroy: a user's token revokes wait for that user's token creates, so a rotation
  /// never leaves the user without a working token when a create fails.
  mutating func orderTokenRotations() {
    var creates: [String: [Int]] = [:]
    for step in steps where step.kind == .createToken { creates[step.username, default: []].append(step.index) }
    for i in steps.indices where steps[i].kind == .revokeToken {
      let mine = creates[steps[i].username] ?? []
      steps[i].dependsOn = Array(Set(steps[i].dependsOn + mine)).sorted()
    }
  }

  /// `protected_users` and `required_admins` name real users, and required admins are active system
  /// admins after the plan: a typo must not silently protect nobody.
  mutating func checkNamedUsers(_ steps: [Step]) {
    let settings = manifest.settings
    for name in settings.protectedUsers.union(settings.requiredAdmins).sorted() where liveByName[name] == nil {
      if settings.requiredAdmins.contains(name) && manifest.users.contains(where: { $0.username == name }) { continue }
      fail(
        nil,
        "\(name) is named in \(settings.protectedUsers.contains(name) ? "protected_users" : "required_admins") but there is no such user on the server"
      )
    }
    for name in settings.requiredAdmins.sorted() {
      var admin = liveByName[name].map { $0.isActive && $0.isSystemAdmin } ?? false
      for step in steps where step.username == name {
        switch step.change {
        case .createUser: admin = false
        case .reactivateUser: admin = liveByName[name]?.isSystemAdmin ?? false
        case .setRoles(_, let after): admin = after.contains("system_admin")
        case .deactivateUser, .demoteToGuest: admin = false
        default: break
        }
      }
      if !admin { fail(name, "is in required_admins but would not be an active system admin after this plan") }
    }
  }

  /// Orders by phase (stable within a phase), renumbers, then checks the invariants and gates.
  mutating func finish(options: PlanOptions) -> Plan {
    orderTokenRotations()
    let ordered = steps.enumerated().sorted { ($0.element.kind.phase, $0.offset) < ($1.element.kind.phase, $1.offset) }
    var newIndex: [Int: Int] = [:]
    for (position, entry) in ordered.enumerated() { newIndex[entry.element.index] = position }
    var final = ordered.map(\.element)
    for i in final.indices {
      final[i].index = i
      final[i].dependsOn = final[i].dependsOn.compactMap { newIndex[$0] }.sorted()
    }
    var gates: [String] = []
    let minimum = options.limits.effectiveMinSystemAdmins(manifest: manifest.settings.minSystemAdmins)
    if let problem = Safety.adminProblem(final, live: live, minimum: minimum) { fail(nil, problem) }
    checkNamedUsers(final)
    // Preflight: roster's writes need a system admin (manage_roles, edit_other_users, manage_system...);
    // planning green and failing every step with 403 helps nobody.
    if !final.isEmpty && !live.acting.isSystemAdmin {
      fail(
        nil,
        "the acting user \(live.acting.username) (roles: \(live.acting.roles)) is not a system admin; the server "
          + "would refuse these changes with 403 api.context.permissions.app_error. Use a system admin's token")
    }
    for problem in Safety.lastAdminProblems(final, live: live) { fail(nil, problem) }
    if live.accessTokensEnabled == false, final.contains(where: { $0.kind == .createToken }) {
      fail(
        nil,
        "the plan creates personal access tokens, but the server has them switched off (EnableUserAccessTokens=false in its client configuration)"
      )
    }
    for gate in Safety.gates(
      final, live: live, managed: manifest.users.count, limits: options.limits, manifest: manifest.settings.limits)
    {
      if options.force {
        warn(nil, gate + "; allowed by --force")
      } else {
        gates.append(gate + "; review the plan and run with --force")
      }
    }
    return Plan(
      steps: final, notes: notes, gates: gates,
      unmanaged: Plan.Unmanaged(count: unmanagedCount(), policy: manifest.settings.unmanagedUsers))
  }
}
