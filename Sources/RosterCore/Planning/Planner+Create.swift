/// New accounts, and the roles calls that follow both creates and existing users (the server ignores
/// roles on create; guests change only by promote and demote).
extension PlanBuilder {
  mutating func planCreate(_ spec: UserSpec) {
    let name = spec.username
    guard spec.active else { return }  // declared deactivated and absent: nothing to create
    var ok = true
    guard let email = spec.email else {
      fail(name, "cannot create: no email declared (the server requires one)")
      return
    }
    if let owner = accounts.byEmail[email] {
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
    let create = add(Step(.user(.createUser(fields: changes, password: password)), username: name, userID: nil))
    if spec.sendPasswordReset {
      add(
        Step(.user(.sendPasswordReset(email: email)), username: name, userID: nil, reason: "send_password_reset: true"),
        after: [create])
    }
    if let locale = untranslated {
      add(
        Step(
          .user(.patchProfile([FieldChange(field: ProfileField.locale.key, old: "en", new: locale)])), username: name,
          userID: nil),
        after: [create])
    }
    // The server ignores roles on create and stores system_user; anything else needs its own call.
    if spec.roles == ["system_guest"] {
      // A new account is a user; only POST /users/{id}/demote makes a guest of it.
      warnDemoteNeedsLicense(name)
      add(Step(.user(.demoteToGuest), username: name, userID: nil, reason: "new accounts are users"), after: [create])
    } else if let roles = spec.roles, roles != ["system_user"] {
      add(
        Step(
          .user(.setRoles(before: ["system_user"], after: roles)), username: name, userID: nil,
          reason: "the server ignores roles on create"),
        after: [create])
    }
    for token in spec.tokens ?? [] { addTokenCreate(token, name: name, userID: nil, after: [create]) }
    planOwnerMark(name, nil, after: [create])
  }

  /// The managed profile fields of a spec with the declared values, in the table's order.
  static func declaredFields(_ spec: UserSpec) -> [(ProfileField, String)] {
    ProfileField.allCases.compactMap { field in field.value(in: spec).map { (field, $0) } }
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
      add(Step(.user(.demoteToGuest), username: name, userID: user.id))
    case (true, false):
      // Promote swaps system_guest for system_user and keeps the rest; anything else is a roles call.
      let promoted = ServerRules.canonicalRoles(live.map { $0 == "system_guest" ? "system_user" : $0 })
      let promote = add(Step(.user(.promoteGuest), username: name, userID: user.id))
      if Set(promoted) != Set(roles) {
        add(Step(.user(.setRoles(before: promoted, after: roles)), username: name, userID: user.id), after: [promote])
      }
    case (true, true):
      warn(name, "is a guest with roles \(user.roles); roster changes a guest's roles only by promoting it")
    case (false, false):
      if acting && user.isSystemAdmin && !roles.contains("system_admin") {
        warn(name, "not removing system_admin from the acting user (roster never locks itself out)")
      } else {
        add(Step(.user(.setRoles(before: live, after: roles)), username: name, userID: user.id))
      }
    }
  }

  mutating func warnDemoteNeedsLicense(_ name: String) {
    warn(
      name,
      "demoting to a guest needs a licensed server with guest accounts on; otherwise the server answers 501 "
        + "(api.team.demote_user_to_guest.license.error)")
  }
}
