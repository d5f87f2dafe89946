import RosterYAML

extension ManifestKey.User {
  /// A key whose value is true or false; its messages for a wrong value say so.
  var isBoolean: Bool {
    switch self {
    case .active, .emailVerified, .sendPasswordReset: true
    default: false
    }
  }
}

extension ManifestDecoder {
  /// Reads one field written as a scalar into the spec; returns whether it was valid. A streamed entry's
  /// scalars come here directly (`StreamedPart.scalar`); a key that takes a list or a mapping gets its
  /// message from the node form.
  mutating func readField(_ key: ManifestKey.User, _ scalar: Scalar, into spec: inout UserSpec) -> Bool {
    switch key {
    case .profile(let field):
      // Normalised as the server stores it, then checked by its rules.
      guard let raw = text(scalar, field: key.key)?.value else { return false }
      let value = field.normalized(raw)
      if field.serverSanitizes && value != raw {
        // Otherwise every plan would show a change the server undoes on every save.
        reader.warning(
          scalar.mark,
          "\(key.key) contains invisible characters the server removes (model.SanitizeUnicode); they are left out here too"
        )
      }
      if let problem = field.problem(value) {
        reader.error(scalar.mark, problem)
        return false
      }
      field.set(value, in: &spec)
    case .username:
      guard let raw = text(scalar, field: key.key)?.value else { return false }
      let value = ServerRules.normalizeUsername(raw)
      if let problem = ServerRules.usernameProblem(value) {
        reader.error(scalar.mark, problem)
        return false
      }
      spec.username = value
      spec.mark = scalar.mark
    case .active:
      guard let v = reader.bool(scalar, field: key.key) else { return false }
      spec.active = v
    case .password:
      guard let t = text(scalar, field: key.key, mayReferToEnvironment: true) else { return false }
      if let value = t.value, value.utf8.count > ServerRules.passwordMaxBytes {
        reader.error(scalar.mark, "password is longer than the server's \(ServerRules.passwordMaxBytes) bytes")
        return false
      }
      if Template.references(in: t.written) == false {
        reader.warning(scalar.mark, "password is written literally; secrets do not belong in Git, use ${VARIABLE}")
      }
      spec.password = TemplateString(written: t.written, expanded: t.value)
    case .authService:
      guard let v = text(scalar, field: key.key)?.value else { return false }
      guard ServerRules.authServices.contains(v) else {
        var message =
          "auth_service \"\(v)\" is not one the server knows; use one of "
          + ServerRules.authServices.joined(separator: ", ")
        if let guess = Suggest.closest(to: v, in: ServerRules.authServices) {
          message += " (did you mean \"\(guess)\"?)"
        }
        reader.error(scalar.mark, message)
        return false
      }
      spec.authService = v
    case .authData:
      guard let v = text(scalar, field: key.key)?.value else { return false }
      if v.utf8.count > ServerRules.authDataMaxLength {
        reader.error(scalar.mark, "auth_data is longer than the server's \(ServerRules.authDataMaxLength) characters")
        return false
      }
      spec.authData = v
    case .emailVerified:
      // Only a system admin's create may set it (api4/user.go createUser, SanitizeInput); roster sends it
      // when it creates the user and never compares it (the server shows it to the user only).
      guard let v = reader.bool(scalar, field: key.key) else { return false }
      spec.emailVerified = v
    case .initialPassword:
      guard let v = reader.string(scalar, field: key.key) else { return false }
      guard v == "generate" else {
        reader.error(
          scalar.mark,
          "initial_password takes only \"generate\" (roster makes a password that meets the server's policy and writes it to the secret sink); a fixed password is written as password: ${VARIABLE}"
        )
        return false
      }
      spec.generatePassword = true
    case .sendPasswordReset:
      guard let v = reader.bool(scalar, field: key.key) else { return false }
      spec.sendPasswordReset = v
    case .roles, .tokens, .teams, .previousUsernames, .ignoreFields:
      // A list or a mapping written as a scalar: the node form has the message.
      return readField(key, Node(scalar), into: &spec)
    }
    return true
  }
}
