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
  /// `--only`: usernames (current or previous) the plan is restricted to; nil plans everyone.
  public var only: Set<String>?
  /// `--replace-token USER/DESCRIPTION`: declared tokens to replace now (create, keep, then revoke).
  public var replaceTokens: Set<TokenKey> = []
  /// When roster created each token, by token id (milliseconds since 1970), from the secret sink's
  /// records: the server keeps no creation time for tokens, and `rotate_after_days` needs one.
  public var tokenCreatedAt: [String: Int64] = [:]
  /// Token ids a rotation replaced (the sink recorded the new token) whose revoke may not have run.
  public var supersededTokens: Set<String> = []
  /// Users whose password reset an earlier apply could not send (the sink remembers): asked again.
  public var pendingResets: Set<String> = []

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
    // The operator's --protected-user and --required-admin join the manifest's lists.
    var manifest = manifest
    manifest.settings.protectedUsers.formUnion(options.limits.protectedUsers)
    manifest.settings.requiredAdmins.formUnion(options.limits.requiredAdmins)
    var builder = PlanBuilder(manifest: manifest, live: live, orphaned: options.orphanedTokens)
    builder.pendingEmails = options.pendingEmails
    builder.replaceTokens = options.replaceTokens
    builder.tokenCreatedAt = options.tokenCreatedAt
    builder.superseded = options.supersededTokens
    builder.pendingResets = options.pendingResets
    builder.planDeclaredUsers()
    builder.orderEmailHandovers()
    builder.planUnmanagedUsers()
    builder.checkReplaceRequests()
    if let only = options.only { builder.restrict(to: only) }
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
  var replaceTokens: Set<TokenKey> = []
  var tokenCreatedAt: [String: Int64] = [:]
  var superseded: Set<String> = []
  var pendingResets: Set<String> = []
  /// Email changes to an address another declared user gives up in the same plan: (waiting user's
  /// id, the address, the current owner's id). Resolved into dependencies once every user is planned.
  var handovers: [(userID: String, email: String, ownerID: String)] = []
  var steps: [Step] = []
  var notes: [PlanNote] = []
  /// Step numbers are handed out once, so dropping a step never lets a later one reuse its number.
  var nextIndex = 0

  /// Positions in `manifest.users` by declared username, and by previous username for accounts that
  /// are renamed (the new name is not on the server).
  let specByLiveName: [String: Int]

  init(manifest: Manifest, live: LiveState, orphaned: Set<TokenKey> = []) {
    self.manifest = manifest
    self.live = live
    self.orphaned = orphaned
    liveByName = UserIndex(live.users) { ServerRules.normalizeUsername($0.username) }
    liveByEmail = UserIndex(live.users) { $0.email.isEmpty ? nil : ServerRules.normalizeEmail($0.email) }
    tokensByUser = Dictionary(grouping: live.tokens ?? [], by: \.userID)
    var specs: [String: Int] = [:]
    for (i, spec) in manifest.users.enumerated() {
      specs[spec.username] = i
      if liveByName[spec.username] == nil {
        for old in spec.previousUsernames where specs[old] == nil { specs[old] = i }
      }
    }
    specByLiveName = specs
  }

  /// The declared user that manages a live account, by its current name or a previous one.
  func spec(managing user: LiveUser) -> UserSpec? {
    specByLiveName[ServerRules.normalizeUsername(user.username)].map { manifest.users[$0] }
  }

  /// Whether `owner`'s declared entry moves it to another address in this plan.
  func declaresOtherEmail(_ owner: LiveUser) -> Bool {
    guard let spec = spec(managing: owner), let email = spec.email,
      spec.manages(.profile(.email), settings: manifest.settings),
      !manifest.settings.protectedUsers.contains(spec.username), owner.id != live.acting.id
    else { return false }
    return email != ServerRules.normalizeEmail(owner.email)
  }

  /// An email change to an address another declared user gives up waits for that user's patch (the
  /// server refuses a duplicate address at every moment: app.user.save.email_exists.app_error). Two
  /// users trading addresses cannot be ordered at all, and say so.
  mutating func orderEmailHandovers() {
    guard !handovers.isEmpty else { return }
    // Linear in the handovers: a pull request declaring a long chain of moved addresses must not stall
    // the plan (a first version walked the chain from every link).
    var position: [String: Int] = [:]  // user id → its email-changing step
    for (i, step) in steps.enumerated() where Self.changesEmail(step) {
      if let id = step.userID { position[id] = i }
    }
    var waitsFor: [String: String] = [:]  // user id → id of the address's current owner
    for handover in handovers { waitsFor[handover.userID] = handover.ownerID }
    // Whether a user's email change can run: it waits for nobody, or its owner's change runs first.
    var verdict: [String: Bool] = [:]
    var inRing = Set<String>()
    for handover in handovers where verdict[handover.userID] == nil {
      var path: [String] = []
      var onPath = Set<String>()
      var node = handover.userID
      var result: Bool
      while true {
        if let known = verdict[node] {
          result = known
          break
        }
        guard let owner = waitsFor[node] else {
          result = true
          break
        }
        if onPath.contains(node) {
          inRing.formUnion(path.drop { $0 != node })
          result = false
          break
        }
        path.append(node)
        onPath.insert(node)
        if position[owner] == nil {
          result = false
          break
        }
        node = owner
      }
      for user in path { verdict[user] = result }
    }
    for handover in handovers {
      guard let mine = position[handover.userID] else { continue }
      let name = steps[mine].username
      if verdict[handover.userID] == true, let frees = position[handover.ownerID] {
        steps[mine].dependsOn = Array(Set(steps[mine].dependsOn + [steps[frees].index])).sorted()
        continue
      }
      let owner = live.users.first { $0.id == handover.ownerID }?.username ?? handover.ownerID
      fail(
        name,
        inRing.contains(handover.userID)
          ? "cannot change email to \(handover.email) while \(owner) takes this user's address: the server refuses a duplicate address at every moment, so addresses cannot be swapped in one plan. Give one of them a temporary address first, apply, then set the final ones"
          : "cannot change email to \(handover.email): \(owner) keeps it in this plan")
      steps[mine].change = Self.withoutEmail(steps[mine].change)
    }
    // A patch whose only change was a refused email is gone; nothing depends on a patch but handovers.
    let emptied = Set(
      steps.filter { if case .patchProfile(let fields) = $0.change { fields.isEmpty } else { false } }.map(\.index))
    guard !emptied.isEmpty else { return }
    steps.removeAll { emptied.contains($0.index) }
    for i in steps.indices where !steps[i].dependsOn.isEmpty {
      steps[i].dependsOn.removeAll(where: emptied.contains)
    }
  }

  static func changesEmail(_ step: Step) -> Bool {
    step.changes.contains { $0.field == ProfileField.email.key }
      && (step.kind == .patchProfile || step.kind == .renameUser)
  }

  static func withoutEmail(_ change: Change) -> Change {
    switch change {
    case .patchProfile(let fields): .patchProfile(fields.filter { $0.field != ProfileField.email.key })
    case .renameUser(let fields): .renameUser(fields.filter { $0.field != ProfileField.email.key })
    default: change
    }
  }

  /// Why the owner of the bot roster runs as is never deactivated.
  static func ownsActingBot(_ name: String, _ live: LiveState) -> String {
    "cannot deactivate \(name): it owns the bot \(live.acting.username) that roster runs as, and the server disables "
      + "a deactivated user's bots (app/bot.go disableUserBots), so the token would stop working mid-apply. "
      + "Assign the bot to another owner first, or run roster with another admin's token"
  }

  mutating func warn(_ user: String?, _ message: String) { notes.append(PlanNote(.warning, user, message)) }
  mutating func fail(_ user: String?, _ message: String) { notes.append(PlanNote(.error, user, message)) }

  // MARK: declared users

  mutating func planDeclaredUsers() {
    for spec in manifest.users {
      if manifest.settings.protectedUsers.contains(spec.username) { continue }
      if let user = liveByName[spec.username] {
        if let problem = takeoverProblem(spec, user) {
          fail(spec.username, problem)
          continue
        }
        for old in spec.previousUsernames where liveByName[old].map({ $0.id != user.id && $0.isActive }) == true {
          warn(
            spec.username,
            "previous username \(old) is still a separate active account on the server; it is not renamed (both names exist)"
          )
        }
        planExisting(spec, user)
        planPendingReset(spec, user)
      } else if let (old, user) = renameSource(spec) {
        planRename(spec, from: old, user)
      } else {
        planCreate(spec)
      }
    }
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
        liveByName[old].flatMap { $0.id != user.id && $0.isActive ? (old, $0) : nil }
      }).first
    {
      return
        "\(spec.username) is a deactivated account on the server (id \(user.id)) and previous username \(old) is a "
        + "separate active account (id \(other.id)); the server cannot rename \(old) to a name another account holds, "
        + "and roster will not reactivate the old \(spec.username) in its place. Free the name first (rename the "
        + "deactivated \(spec.username) in the System Console), or declare \(old) under its current name"
    }
    if let old = spec.previousUsernames.first(where: { old in liveByName[old].map { $0.id != user.id } ?? false }),
      spec.email.map({ $0 != ServerRules.normalizeEmail(user.email) }) ?? false
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

  /// The first previous username that is on the server: the account to rename.
  func renameSource(_ spec: UserSpec) -> (String, LiveUser)? {
    for old in spec.previousUsernames { if let user = liveByName[old] { return (old, user) } }
    return nil
  }

  /// A username change in place (PUT /users/{id}/patch with `username`), never a create: the account
  /// keeps its id, direct messages, memberships and posts.
  mutating func planRename(_ spec: UserSpec, from old: String, _ user: LiveUser) {
    let name = spec.username
    if manifest.settings.protectedUsers.contains(old) {
      warn(name, "previous username \(old) is in protected_users; not renamed")
      return
    }
    guard user.isManageable else {
      fail(name, "cannot rename \(old): it is a \(user.isBot ? "bot" : "remote user"); roster does not manage it")
      return
    }
    if user.id == live.acting.id {
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
    if spec.password == nil && spec.authService == nil && !spec.generatePassword {
      fail(
        name,
        "cannot create: declare a password, initial_password: generate, or an auth_service (the server requires one)")
      ok = false
    }
    // The server checks passwords only for accounts without SSO (app/users/users.go createUser).
    if let problem = PasswordGenerator.problem(live.passwordPolicy ?? PasswordPolicy()), spec.generatePassword {
      fail(name, "cannot create: initial_password: generate \(problem)")
      ok = false
    }
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
    let password: NewPassword? =
      spec.authService != nil ? nil : spec.generatePassword ? .generated : spec.password.map { .reference($0.written) }
    let create = add(Step(.createUser(fields: changes, password: password), username: name, userID: nil))
    if spec.sendPasswordReset {
      add(
        Step(.sendPasswordReset(email: email), username: name, userID: nil, reason: "send_password_reset: true"),
        after: [create])
    }
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

  mutating func planExisting(_ spec: UserSpec, _ user: LiveUser, renamedFrom old: String? = nil) {
    let name = spec.username
    let settings = manifest.settings
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
    for (field, declared) in Self.declaredFields(spec) where spec.manages(.profile(field), settings: settings) {
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
      add(Step(.renameUser([rename] + changes), username: name, userID: user.id, reason: "previous_usernames"))
    } else if !changes.isEmpty {
      add(Step(.patchProfile(changes), username: name, userID: user.id))
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
      } else if user.id == live.actingBotOwnerID {
        fail(name, Self.ownsActingBot(name, live))
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
  func replacement(for token: LiveToken, _ spec: TokenSpec, name: String, acting: Bool) -> String? {
    if acting { return nil }  // the acting user's tokens are never revoked: one may be in use
    let key = TokenKey(username: name, description: token.description)
    if orphaned.contains(key) { return "its secret never reached the token sink (an interrupted apply)" }
    if let now = live.readAt, token.isExpired(at: now) { return "it has expired (the server refuses it)" }
    if replaceTokens.contains(key) { return "rotated on request (--replace-token)" }
    if let days = spec.rotateAfterDays, let now = live.readAt, let made = tokenCreatedAt[token.id],
      now - made >= Int64(days) * 86_400_000
    {
      return "rotated: \((now - made) / 86_400_000) days old (rotate_after_days: \(days))"
    }
    return nil
  }

  /// `--replace-token` names a declared token the user holds; anything else is a typo to report, not a
  /// request to drop silently.
  mutating func checkReplaceRequests() {
    for key in replaceTokens.sorted(by: { ($0.username, $0.description) < ($1.username, $1.description) }) {
      let what = "--replace-token \(key.username)/\(key.description)"
      guard let spec = manifest.users.first(where: { $0.username == key.username }) else {
        fail(nil, "\(what): \(key.username) is not declared in the manifest")
        continue
      }
      guard spec.tokens?.contains(where: { $0.description == key.description }) == true else {
        fail(key.username, "\(what): the manifest declares no token with that description for this user")
        continue
      }
      if let user = liveByName[spec.username], user.id == live.acting.id {
        warn(key.username, "\(what): the acting user's tokens are never replaced (one may be the token in use)")
      }
    }
  }

  /// `--only`: keeps the steps of the targeted users (by current or previous name); other users'
  /// errors become warnings. A kept step that waits for a dropped one is an error naming who to add.
  mutating func restrict(to only: Set<String>) {
    for name in only.sorted()
    where liveByName[name] == nil && specByLiveName[name] == nil
      && !manifest.users.contains(where: { $0.username == name })
    {
      fail(nil, "--only \(name): no such user in the manifest or on the server")
    }
    // A previous username targets the declared user: every step of a renamed account carries the new name.
    var targets = only
    for spec in manifest.users where spec.names.contains(where: only.contains) { targets.insert(spec.username) }
    let kept = steps.filter { targets.contains($0.username) }
    let keptIndexes = Set(kept.map(\.index))
    for step in kept {
      for dependency in step.dependsOn where !keptIndexes.contains(dependency) {
        let other = steps.first { $0.index == dependency }?.username ?? "another user"
        fail(step.username, "its change waits for a change to \(other), which --only leaves out; add --only \(other)")
      }
    }
    steps = kept
    for i in notes.indices where notes[i].severity == .error {
      guard let user = notes[i].username, !targets.contains(user) else { continue }
      notes[i].severity = .warning
      notes[i].message += " (not targeted by --only, so only a warning)"
    }
  }

  /// After a rotation stopped between its create and its revoke: the one token the rotation did not
  /// replace, when every other match is one it did (the sink's intent named them). Anything else, such
  /// as a token made by hand, is not guessed at.
  func rotationSurvivor(_ matches: [LiveToken]) -> LiveToken? {
    let kept = matches.filter { !superseded.contains($0.id) }
    return kept.count == 1 && kept.count < matches.count ? kept[0] : nil
  }

  /// Enables or disables a kept token to match the declaration.
  mutating func planTokenState(_ token: TokenSpec, _ match: LiveToken, name: String, userID: String, acting: Bool) {
    guard match.isActive != token.active else { return }
    if !token.active && acting {
      warn(name, "not disabling token \"\(token.description)\" of the acting user: it may be the one in use")
      return
    }
    let change: Change =
      token.active
      ? .enableToken(description: token.description, tokenID: match.id)
      : .disableToken(description: token.description, tokenID: match.id)
    add(Step(change, username: name, userID: userID))
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
      case 1 where replacement(for: matches[0], token, name: name, acting: acting) != nil:
        // An expired token, one an earlier apply made without keeping its secret, or a rotation: a new
        // one is made and its secret kept before the old one goes (create before destroy).
        let match = matches[0]
        let made = addTokenCreate(token, name: name, userID: user.id)
        add(
          Step(
            .revokeToken(description: token.description, tokenID: match.id), username: name, userID: user.id,
            reason: replacement(for: match, token, name: name, acting: acting)),
          after: [made])
      case 1:
        let match = matches[0]
        if token.rotateAfterDays != nil && tokenCreatedAt[match.id] == nil && !acting {
          warn(
            name,
            "token \"\(token.description)\" has rotate_after_days, but its age is unknown: the server keeps no creation time and the token sink has no record of it; rotate it once with --replace-token \(name)/\(token.description)"
          )
        }
        planTokenState(token, match, name: name, userID: user.id, acting: acting)
      case _ where !acting && rotationSurvivor(matches) != nil:
        // An interrupted rotation: the new token's secret is in the sink; the replaced ones go.
        guard let keep = rotationSurvivor(matches) else { break }
        planTokenState(token, keep, name: name, userID: user.id, acting: acting)
        for old in matches where old.id != keep.id {
          add(
            Step(
              .revokeToken(description: token.description, tokenID: old.id), username: name, userID: user.id,
              reason: "replaced by \(keep.id) in a rotation that stopped before this revoke"))
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
  /// Declared usernames and the accounts this plan renames; any other previous username that is still an
  /// account on the server is a separate account, and as unmanaged as any other.
  func claimedNames() -> Set<String> {
    var names = Set(manifest.users.map(\.username))
    for spec in manifest.users {
      if let user = liveByName[spec.username] {
        // A refused takeover leaves both accounts as they are: the other one is not "unmanaged".
        if !spec.previousUsernames.isEmpty && takeoverProblem(spec, user) != nil {
          names.formUnion(spec.previousUsernames)
        }
      } else if let (old, _) = renameSource(spec) {
        names.insert(old)
      }
    }
    return names
  }

  func unmanagedCount() -> Int {
    let declared = claimedNames()
    return live.users.count {
      $0.isActive && $0.isManageable && !declared.contains(ServerRules.normalizeUsername($0.username))
    }
  }

  mutating func planUnmanagedUsers() {
    guard manifest.settings.unmanagedUsers == .deactivate else { return }
    // The account a rename takes is claimed, never deactivated.
    let declared = claimedNames()
    for user in live.users.sorted(by: { $0.username < $1.username }) {
      let name = ServerRules.normalizeUsername(user.username)
      guard user.isActive, user.isManageable, !declared.contains(name),
        !manifest.settings.protectedUsers.contains(name)
      else { continue }
      if user.id == live.acting.id {
        warn(name, "not deactivating the acting user, although the manifest does not list it")
        continue
      }
      if user.id == live.actingBotOwnerID {
        fail(name, Self.ownsActingBot(name, live))
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
    step.index = nextIndex
    nextIndex += 1
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

  /// The live account a declared name stands for: the user itself, or the account it renames.
  func account(declared name: String) -> LiveUser? {
    if let user = liveByName[name] { return user }
    return manifest.users.first { $0.username == name }.flatMap { renameSource($0)?.1 }
  }

  /// `protected_users` and `required_admins` name real users, and required admins are active system
  /// admins after the plan: a typo must not silently protect nobody.
  mutating func checkNamedUsers(_ steps: [Step]) {
    let settings = manifest.settings
    for name in settings.protectedUsers.union(settings.requiredAdmins).sorted() where account(declared: name) == nil {
      if settings.requiredAdmins.contains(name) && manifest.users.contains(where: { $0.username == name }) { continue }
      fail(
        nil,
        "\(name) is named in \(settings.protectedUsers.contains(name) ? "protected_users" : "required_admins") but there is no such user on the server"
      )
    }
    for name in Safety.requiredAdminsMissing(steps, required: settings.requiredAdmins, account: account(declared:)) {
      fail(name, "is in required_admins but would not be an active system admin after this plan")
    }
  }

  /// An order in which every step comes after the steps it depends on, phase by phase: within a phase
  /// an email handover or a token replacement can point at a step planned later. Kahn's algorithm per
  /// phase, linear in steps and dependencies; dependencies never form a cycle (handover rings are
  /// refused), and a step left over would still be kept rather than lost.
  static func dependenciesFirst(_ steps: [Step]) -> [Step] {
    var position: [Int: Int] = [:]
    for (i, step) in steps.enumerated() { position[step.index] = i }
    let inOrder = steps.enumerated().allSatisfy { i, step in step.dependsOn.allSatisfy { (position[$0] ?? 0) < i } }
    if inOrder { return steps }
    var out: [Step] = []
    out.reserveCapacity(steps.count)
    var start = 0
    while start < steps.count {
      var end = start
      while end < steps.count && steps[end].kind.phase == steps[start].kind.phase { end += 1 }
      var waiting = [Int](repeating: 0, count: end - start)
      var dependents: [Int: [Int]] = [:]
      for i in start..<end {
        for dependency in steps[i].dependsOn {
          guard let p = position[dependency], p >= start, p < end else { continue }  // earlier phases are placed
          waiting[i - start] += 1
          dependents[p, default: []].append(i)
        }
      }
      var ready = (start..<end).filter { waiting[$0 - start] == 0 }
      var head = 0
      while head < ready.count {
        let i = ready[head]
        head += 1
        out.append(steps[i])
        for j in dependents[i] ?? [] {
          waiting[j - start] -= 1
          if waiting[j - start] == 0 { ready.append(j) }
        }
      }
      for i in start..<end where waiting[i - start] > 0 { out.append(steps[i]) }
      start = end
    }
    return out
  }

  /// Orders by phase (stable within a phase), renumbers, then checks the invariants and gates.
  mutating func finish(options: PlanOptions) -> Plan {
    orderTokenRotations()
    let ordered = Self.dependenciesFirst(
      steps.enumerated().sorted { ($0.element.kind.phase, $0.offset) < ($1.element.kind.phase, $1.offset) }
        .map(\.element))
    var newIndex: [Int: Int] = [:]
    for (position, step) in ordered.enumerated() { newIndex[step.index] = position }
    var final = ordered
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
      final, live: live, managed: manifest.users.count,
      thresholds: Safety.thresholds(limits: options.limits, manifest: manifest.settings.limits),
      recovering: options.orphanedTokens)
    {
      if options.force {
        warn(nil, gate + "; allowed by --force")
      } else {
        gates.append(gate + "; review the plan and run with --force")
      }
    }
    var plan = Plan(
      steps: final, notes: notes, gates: gates,
      unmanaged: Plan.Unmanaged(count: unmanagedCount(), policy: manifest.settings.unmanagedUsers),
      only: options.only.map { $0.sorted() })
    plan.privilegedUserIDs = Safety.privilegedAccounts(final, live: live)
    return plan
  }
}
