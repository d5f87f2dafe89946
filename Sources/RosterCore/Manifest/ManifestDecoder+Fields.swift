import RosterYAML

extension ManifestDecoder {
  /// Reads the fields of a user or of `defaults`; both share one shape and one set of rules.
  mutating func readUserFields(
    _ node: Node, keys: [ManifestKey.User], names: [String], field: String
  ) -> DeclaredUser? {
    guard let fields = reader.mapping(node, field: field, keys: keys, names: names) else { return nil }
    return readUserFields(fields.slots, keys: keys, at: node.mark)
  }

  /// The same, from the pairs written for each of `keys` (nil where not written) of an entry at `mark`.
  mutating func readUserFields(_ slots: [Pair?], keys: [ManifestKey.User], at mark: Mark) -> DeclaredUser {
    var user = DeclaredUser(spec: UserSpec(username: "", mark: mark), entryMark: mark)
    for index in slots.indices {
      guard let value = slots[index]?.value else { continue }
      let key = keys[index]
      user.written.insert(key)
      if readField(key, value, into: &user.spec) { user.declared.insert(key) }
      if key == .profile(.email) { user.emailMark = value.mark }
    }
    checkAuth(&user, at: mark)
    return user
  }

  /// A string value. Only `password` may refer to the environment (`${VAR}`, expanded here; an unset
  /// variable is an error at its reference). Anywhere else a `${` is an error: a reference in a printed
  /// field would copy a secret such as MM_TOKEN into plans, logs and the server. `$${` is a literal `${`.
  mutating func text(
    _ node: Node, field: String, mayReferToEnvironment: Bool = false
  ) -> (written: String, value: String?)? {
    guard let written = reader.string(node, field: field) else { return nil }
    // Nearly every value holds no `$`: one scan settles it, for both the reference and the escape.
    // Over the contiguous bytes: the view's iterator costs a call per byte.
    let dollar = UInt8(ascii: "$")
    if !(written.utf8.withContiguousStorageIfAvailable { $0.contains(dollar) } ?? written.utf8.contains(dollar)) {
      return (written, written)
    }
    guard mayReferToEnvironment else {
      if let offset = Template.firstReference(in: written) {
        reader.error(
          mark(of: offset, in: node, written),
          "\(field) cannot refer to the environment; only password may use ${VARIABLE} (write $${ for a literal ${)")
        return nil
      }
      return (written, Template.literal(written))
    }
    switch Template.expand(written, env: env) {
    case .success(let value):
      return (written, value)
    case .failure(let unset):
      // Only a user roster creates needs its password: pull requests from forks get no secrets and must
      // still validate and plan. The planner refuses a create whose password is unset.
      reader.warning(
        mark(of: unset.offset, in: node, written),
        "environment variable \(unset.name) is not set (referenced by \(field)); it is needed only to create the user")
      return (written, nil)
    }
  }

  /// Where a character of a one-line scalar is, counting the opening quote of a quoted one.
  func mark(of offset: Int, in node: Node, _ written: String) -> Mark {
    var mark = node.mark
    if case .scalar(_, let style) = node.kind, style != .literal, style != .folded, !written.contains("\n") {
      mark.column += offset + (style.isPlain ? 0 : 1)
    }
    return mark
  }

  /// Reads one field into the spec; returns whether it was valid.
  mutating func readField(_ key: ManifestKey.User, _ node: Node, into spec: inout UserSpec) -> Bool {
    switch key {
    case .profile(let field):
      // Normalised as the server stores it, then checked by its rules.
      guard let raw = text(node, field: key.key)?.value else { return false }
      let value = field.normalized(raw)
      if field.serverSanitizes && value != raw {
        // Otherwise every plan would show a change the server undoes on every save.
        reader.warning(
          node.mark,
          "\(key.key) contains invisible characters the server removes (model.SanitizeUnicode); they are left out here too"
        )
      }
      if let problem = field.problem(value) {
        reader.error(node.mark, problem)
        return false
      }
      field.set(value, in: &spec)
    case .username:
      guard let raw = text(node, field: key.key)?.value else { return false }
      let value = ServerRules.normalizeUsername(raw)
      if let problem = ServerRules.usernameProblem(value) {
        reader.error(node.mark, problem)
        return false
      }
      spec.username = value
      spec.mark = node.mark
    case .roles:
      guard let roles = readRoles(node) else { return false }
      spec.roles = roles
    case .active:
      guard let v = reader.bool(node, field: key.key) else { return false }
      spec.active = v
    case .password:
      guard let t = text(node, field: key.key, mayReferToEnvironment: true) else { return false }
      if let value = t.value, value.utf8.count > ServerRules.passwordMaxBytes {
        reader.error(node.mark, "password is longer than the server's \(ServerRules.passwordMaxBytes) bytes")
        return false
      }
      if Template.references(in: t.written) == false {
        reader.warning(node.mark, "password is written literally; secrets do not belong in Git, use ${VARIABLE}")
      }
      spec.password = TemplateString(written: t.written, expanded: t.value)
    case .authService:
      guard let v = text(node, field: key.key)?.value else { return false }
      guard ServerRules.authServices.contains(v) else {
        var message =
          "auth_service \"\(v)\" is not one the server knows; use one of "
          + ServerRules.authServices.joined(separator: ", ")
        if let guess = Suggest.closest(to: v, in: ServerRules.authServices) {
          message += " (did you mean \"\(guess)\"?)"
        }
        reader.error(node.mark, message)
        return false
      }
      spec.authService = v
    case .authData:
      guard let v = text(node, field: key.key)?.value else { return false }
      if v.utf8.count > ServerRules.authDataMaxLength {
        reader.error(node.mark, "auth_data is longer than the server's \(ServerRules.authDataMaxLength) characters")
        return false
      }
      spec.authData = v
    case .emailVerified:
      // Only a system admin's create may set it (api4/user.go createUser, SanitizeInput); roster sends it
      // when it creates the user and never compares it (the server shows it to the user only).
      guard let v = reader.bool(node, field: key.key) else { return false }
      spec.emailVerified = v
    case .tokens:
      guard let tokens = readTokens(node) else { return false }
      spec.tokens = tokens
    case .teams:
      guard let teams = readTeams(node) else { return false }
      spec.teams = teams
    case .previousUsernames:
      guard let names = usernames(node, field: key.key) else { return false }
      spec.previousUsernames = names
    case .ignoreFields:
      guard let keys = readFieldNames(node, field: key.key) else { return false }
      spec.ignoredFields = keys
    case .initialPassword:
      guard let v = reader.string(node, field: key.key) else { return false }
      guard v == "generate" else {
        reader.error(
          node.mark,
          "initial_password takes only \"generate\" (roster makes a password that meets the server's policy and writes it to the secret sink); a fixed password is written as password: ${VARIABLE}"
        )
        return false
      }
      spec.generatePassword = true
    case .sendPasswordReset:
      guard let v = reader.bool(node, field: key.key) else { return false }
      spec.sendPasswordReset = v
    }
    return true
  }
}
