/// The plan file's per-step coding, read strictly: each kind takes exactly the fields it needs.
extension Step: Codable {
  enum CodingKeys: String, CodingKey, CaseIterable {
    case index, kind, username
    case userID = "user_id"
    case changes
    case rolesBefore = "roles_before"
    case rolesAfter = "roles_after"
    case tokenDescription = "token_description"
    case tokenID = "token_id"
    case passwordReference = "password_reference"
    case generatePassword = "generate_password"
    case email
    case expiresInDays = "expires_in_days"
    case dependsOn = "depends_on"
    case reason
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(index, forKey: .index)
    try c.encode(kind.rawValue, forKey: .kind)
    try c.encode(username, forKey: .username)
    try c.encodeIfPresent(userID, forKey: .userID)
    try c.encode(changes, forKey: .changes)
    try c.encodeIfPresent(rolesBefore, forKey: .rolesBefore)
    try c.encodeIfPresent(rolesAfter, forKey: .rolesAfter)
    try c.encodeIfPresent(tokenDescription, forKey: .tokenDescription)
    try c.encodeIfPresent(tokenID, forKey: .tokenID)
    try c.encodeIfPresent(passwordReference, forKey: .passwordReference)
    if generatesPassword { try c.encode(true, forKey: .generatePassword) }
    if case .sendPasswordReset(let email) = change { try c.encode(email, forKey: .email) }
    try c.encodeIfPresent(expiresInDays, forKey: .expiresInDays)
    try c.encode(dependsOn, forKey: .dependsOn)
    try c.encodeIfPresent(reason, forKey: .reason)
  }

  public init(from decoder: any Decoder) throws {
    try decoder.allowOnly(CodingKeys.self)
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let kindName = try c.decode(String.self, forKey: .kind)
    guard let kind = StepKind(rawValue: kindName) else {
      throw DecodingError.dataCorruptedError(
        forKey: .kind, in: c, debugDescription: "unknown step kind \"\(kindName)\"")
    }
    // Each kind reads what it needs and nothing else: a field another kind uses is an error here, so an
    // edited plan cannot smuggle a payload past the checks.
    var used: Set<CodingKeys> = [.index, .kind, .username, .userID, .changes, .dependsOn, .reason]
    func need<T: Decodable>(_ type: T.Type, _ key: CodingKeys) throws -> T {
      used.insert(key)
      return try c.decode(type, forKey: key)
    }
    func maybe<T: Decodable>(_ type: T.Type, _ key: CodingKeys) throws -> T? {
      used.insert(key)
      return try c.decodeIfPresent(type, forKey: key)
    }
    let fields = try c.decode([FieldChange].self, forKey: .changes)
    let change: Change
    switch kind {
    case .createUser:
      let reference = try maybe(String.self, .passwordReference)
      let generate = try maybe(Bool.self, .generatePassword)
      if reference != nil && generate != nil {
        throw DecodingError.dataCorruptedError(
          forKey: .generatePassword, in: c,
          debugDescription: "a create has a password reference or a generated password, not both")
      }
      if generate == false {
        throw DecodingError.dataCorruptedError(forKey: .generatePassword, in: c, debugDescription: "is true or absent")
      }
      change = .createUser(fields: fields, password: generate == true ? .generated : reference.map { .reference($0) })
    case .renameUser: change = .renameUser(fields)
    case .sendPasswordReset: change = .sendPasswordReset(email: try need(String.self, .email))
    case .reactivateUser: change = .reactivateUser
    case .promoteGuest: change = .promoteGuest
    case .demoteToGuest: change = .demoteToGuest
    case .patchProfile: change = .patchProfile(fields)
    case .setRoles:
      change = .setRoles(before: try need([String].self, .rolesBefore), after: try need([String].self, .rolesAfter))
    case .createToken:
      let days = try maybe(Int.self, .expiresInDays)
      if let days, !(1...36_500).contains(days) {
        throw DecodingError.dataCorruptedError(
          forKey: .expiresInDays, in: c, debugDescription: "must be between 1 and 36500")
      }
      change = .createToken(description: try need(String.self, .tokenDescription), expiresInDays: days)
    case .enableToken:
      change = .enableToken(
        description: try need(String.self, .tokenDescription), tokenID: try maybe(String.self, .tokenID))
    case .disableToken:
      change = .disableToken(
        description: try need(String.self, .tokenDescription), tokenID: try maybe(String.self, .tokenID))
    case .revokeToken:
      change = .revokeToken(
        description: try need(String.self, .tokenDescription), tokenID: try need(String.self, .tokenID))
    case .deactivateUser: change = .deactivateUser
    }
    if let stray = c.allKeys.first(where: { !used.contains($0) }) {
      throw DecodingError.dataCorruptedError(
        forKey: stray, in: c, debugDescription: "\(kind.rawValue) does not take \(stray.rawValue)")
    }
    try Self.checkFields(fields, of: kind, in: c)
    self.init(
      change, username: try c.decode(String.self, forKey: .username),
      userID: try c.decodeIfPresent(String.self, forKey: .userID),
      reason: try c.decodeIfPresent(String.self, forKey: .reason))
    index = try c.decode(Int.self, forKey: .index)
    dependsOn = try c.decode([Int].self, forKey: .dependsOn)
  }

  /// A create sets username, email and known profile fields; a patch changes known fields; each at most
  /// once. Other kinds change no fields.
  private static func checkFields(
    _ fields: [FieldChange], of kind: StepKind, in c: KeyedDecodingContainer<CodingKeys>
  ) throws {
    func fail(_ message: String) -> DecodingError {
      .dataCorruptedError(forKey: .changes, in: c, debugDescription: message)
    }
    let names = fields.map(\.field)
    if let repeated = names.first(where: { name in names.count { $0 == name } > 1 }) {
      throw fail("field \(repeated) appears twice")
    }
    switch kind {
    case .createUser:
      let allowed = Set(["username", "auth_service", "auth_data", "email_verified"] + ProfileField.allCases.map(\.key))
      if let unknown = names.first(where: { !allowed.contains($0) }) { throw fail("create_user cannot set \(unknown)") }
      if !names.contains("username") || !names.contains("email") { throw fail("create_user needs username and email") }
    case .patchProfile:
      if fields.isEmpty { throw fail("patch_profile changes no field") }
      if let unknown = names.first(where: { ProfileField.named($0) == nil }) {
        throw fail("patch_profile cannot set \(unknown)")
      }
    case .renameUser:
      guard let rename = fields.first, rename.field == "username", let old = rename.old, old != rename.new else {
        throw fail("rename_user starts with the username change, old → new")
      }
      if let unknown = names.dropFirst().first(where: { ProfileField.named($0) == nil }) {
        throw fail("rename_user cannot set \(unknown)")
      }
    default:
      if !fields.isEmpty { throw fail("\(kind.rawValue) changes no profile field") }
    }
  }
}

extension FieldChange: Codable {
  enum CodingKeys: String, CodingKey, CaseIterable { case field, old, new }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(field, forKey: .field)
    try c.encodeIfPresent(old, forKey: .old)
    try c.encode(new, forKey: .new)
  }

  public init(from decoder: any Decoder) throws {
    try decoder.allowOnly(CodingKeys.self)
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      field: try c.decode(String.self, forKey: .field), old: try c.decodeIfPresent(String.self, forKey: .old),
      new: try c.decode(String.self, forKey: .new))
  }
}

extension PlanNote: Codable {
  enum CodingKeys: String, CodingKey, CaseIterable { case severity, username, message }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(severity.rawValue, forKey: .severity)
    try c.encodeIfPresent(username, forKey: .username)
    try c.encode(message, forKey: .message)
  }

  public init(from decoder: any Decoder) throws {
    try decoder.allowOnly(CodingKeys.self)
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let name = try c.decode(String.self, forKey: .severity)
    guard let severity = Severity(rawValue: name) else {
      throw DecodingError.dataCorruptedError(forKey: .severity, in: c, debugDescription: "unknown severity \"\(name)\"")
    }
    self.init(
      severity, try c.decodeIfPresent(String.self, forKey: .username), try c.decode(String.self, forKey: .message))
  }
}
