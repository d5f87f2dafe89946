import RosterYAML

extension ManifestDecoder {
  /// Reads the fields of a user or of `defaults`; both share one shape and one set of rules.
  mutating func readUserFields(
    _ node: Node, keys: [ManifestKey.User], names: [String], field: String
  ) -> DeclaredUser? {
    guard let fields = reader.mapping(node, field: field, keys: keys, names: names) else { return nil }
    var user = DeclaredUser(entryAt: node.mark)
    for index in fields.slots.indices {
      guard let value = fields.slots[index]?.value else { continue }
      let key = keys[index]
      note(key, valid: readField(key, value, into: &user.spec), at: value.mark, in: &user)
    }
    checkAuth(&user, at: node.mark)
    return user
  }

  /// Records that `key` was written at `mark`, and whether its value was valid.
  func note(_ key: ManifestKey.User, valid: Bool, at mark: Mark, in user: inout DeclaredUser) {
    user.written.insert(key)
    if valid { user.declared.insert(key) }
    if key == .profile(.email) { user.emailMark = mark }
  }

  /// A string value. Only `password` may refer to the environment (`${VAR}`, expanded here; an unset
  /// variable is an error at its reference). Anywhere else a `${` is an error: a reference in a printed
  /// field would copy a secret such as MM_TOKEN into plans, logs and the server. `$${` is a literal `${`.
  mutating func text(
    _ node: Node, field: String, mayReferToEnvironment: Bool = false
  ) -> (written: String, value: String?)? {
    guard let scalar = node.scalar else {
      _ = reader.string(node, field: field)
      return nil
    }
    return text(scalar, field: field, mayReferToEnvironment: mayReferToEnvironment)
  }

  mutating func text(
    _ scalar: Scalar, field: String, mayReferToEnvironment: Bool = false
  ) -> (written: String, value: String?)? {
    guard let written = reader.string(scalar, field: field) else { return nil }
    // Nearly every value holds no `$`: one scan settles it, for both the reference and the escape.
    // Over the contiguous bytes: the view's iterator costs a call per byte.
    let dollar = UInt8(ascii: "$")
    if !(written.utf8.withContiguousStorageIfAvailable { $0.contains(dollar) } ?? written.utf8.contains(dollar)) {
      return (written, written)
    }
    guard mayReferToEnvironment else {
      if let offset = Template.firstReference(in: written) {
        reader.error(
          mark(of: offset, in: scalar, written),
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
        mark(of: unset.offset, in: scalar, written),
        "environment variable \(unset.name) is not set (referenced by \(field)); it is needed only to create the user")
      return (written, nil)
    }
  }

  /// Where a character of a one-line scalar is, counting the opening quote of a quoted one.
  func mark(of offset: Int, in scalar: Scalar, _ written: String) -> Mark {
    var mark = scalar.mark
    if scalar.style != .literal, scalar.style != .folded, !written.contains("\n") {
      mark.column += offset + (scalar.style.isPlain ? 0 : 1)
    }
    return mark
  }

  /// Reads one field into the spec; returns whether it was valid.
  mutating func readField(_ key: ManifestKey.User, _ node: Node, into spec: inout UserSpec) -> Bool {
    switch key {
    case .roles:
      guard let roles = readRoles(node) else { return false }
      spec.roles = roles
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
    default:
      guard let scalar = node.scalar else {
        // The message a scalar field gives for a list or a mapping.
        if key.isBoolean { _ = reader.bool(node, field: key.key) } else { _ = reader.string(node, field: key.key) }
        return false
      }
      return readField(key, scalar, into: &spec)
    }
    return true
  }
}
