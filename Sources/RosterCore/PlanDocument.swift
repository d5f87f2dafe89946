import Foundation

/// The stable JSON form of a plan (`--format json`) and of a saved plan file (`--out`), described by
/// `schemas/plan.schema.json`. `format_version` changes only when a field changes meaning or goes away.
///
/// The coding is written out: the keys are a public format, and a saved plan is read strictly, since
/// apply acts on it. An unknown key, a missing field a step's kind needs, a field a kind does not take,
/// a duplicated profile field, or indices and dependencies that do not line up are all errors.
public struct PlanDocument: Sendable, Equatable {
  public static let currentVersion = "1"

  public struct Summary: Sendable, Codable, Equatable {
    public var create: Int
    public var update: Int
    public var deactivate: Int
    public var tokensCreate: Int
    public var tokensRevoke: Int
    public var tokensEnable: Int
    public var tokensDisable: Int
    public var rename: Int
    public var passwordResets: Int

    enum CodingKeys: String, CodingKey, CaseIterable {
      case create, update, deactivate, rename
      case passwordResets = "password_resets"
      case tokensCreate = "tokens_create"
      case tokensRevoke = "tokens_revoke"
      case tokensEnable = "tokens_enable"
      case tokensDisable = "tokens_disable"
    }

    public init(from decoder: any Decoder) throws {
      try decoder.allowOnly(CodingKeys.self)
      let c = try decoder.container(keyedBy: CodingKeys.self)
      create = try c.decode(Int.self, forKey: .create)
      update = try c.decode(Int.self, forKey: .update)
      deactivate = try c.decode(Int.self, forKey: .deactivate)
      tokensCreate = try c.decode(Int.self, forKey: .tokensCreate)
      tokensRevoke = try c.decode(Int.self, forKey: .tokensRevoke)
      tokensEnable = try c.decode(Int.self, forKey: .tokensEnable)
      tokensDisable = try c.decode(Int.self, forKey: .tokensDisable)
      // Added in a later release: files from before read as none.
      rename = try c.decodeIfPresent(Int.self, forKey: .rename) ?? 0
      passwordResets = try c.decodeIfPresent(Int.self, forKey: .passwordResets) ?? 0
    }

    init(_ plan: Plan) {
      create = plan.count(.createUser)
      update = plan.usersToUpdate
      deactivate = plan.count(.deactivateUser)
      tokensCreate = plan.count(.createToken)
      tokensRevoke = plan.count(.revokeToken)
      tokensEnable = plan.count(.enableToken)
      tokensDisable = plan.count(.disableToken)
      rename = plan.count(.renameUser)
      passwordResets = plan.count(.sendPasswordReset)
    }
  }

  public struct Acting: Sendable, Codable, Equatable {
    public var id: String
    public var username: String

    enum CodingKeys: String, CodingKey, CaseIterable { case id, username }

    public init(id: String, username: String) {
      self.id = id
      self.username = username
    }

    public init(from decoder: any Decoder) throws {
      try decoder.allowOnly(CodingKeys.self)
      let c = try decoder.container(keyedBy: CodingKeys.self)
      id = try c.decode(String.self, forKey: .id)
      username = try c.decode(String.self, forKey: .username)
    }
  }

  public var formatVersion: String
  public var server: String?
  public var acting: Acting?
  public var summary: Summary
  public var steps: [Step]
  public var notes: [PlanNote]
  public var gates: [String]
  public var requestCount: Int?
  public var unmanaged: Plan.Unmanaged?
  /// `--only`: the usernames a partial plan is restricted to.
  public var only: [String]?
  /// Only in saved plan files: what the plan was computed from.
  public var fingerprints: Fingerprints?
  /// Only in saved plan files: the manifest's safety settings. Apply lets them tighten its defaults,
  /// never loosen them, since the file may have been edited.
  public var safety: SafetySettings?

  public init(
    plan: Plan, server: String?, acting: LiveUser?, requests: Int?, fingerprints: Fingerprints? = nil,
    safety: SafetySettings? = nil
  ) {
    self.safety = safety
    formatVersion = Self.currentVersion
    self.server = server
    self.acting = acting.map { Acting(id: $0.id, username: $0.username) }
    summary = Summary(plan)
    steps = plan.steps
    notes = plan.notes
    gates = plan.gates
    requestCount = requests
    unmanaged = plan.unmanaged
    only = plan.only
    self.fingerprints = fingerprints
  }

  public var plan: Plan { Plan(steps: steps, notes: notes, gates: gates, unmanaged: unmanaged, only: only) }

  public func json() -> String { PlanJSON.text(self) }

  /// Reads a plan document strictly; the error says where and what.
  public static func decode(_ data: Data) throws(PlanFileError) -> PlanDocument { try PlanJSON.decode(data) }
}

/// Why a plan file cannot be used, with the JSON path of the problem.
public struct PlanFileError: Error, Sendable, CustomStringConvertible, Equatable {
  public var message: String

  public init(_ message: String) { self.message = message }

  public var description: String { message }
}

extension PlanDocument: Codable {
  enum CodingKeys: String, CodingKey, CaseIterable {
    case formatVersion = "format_version"
    case server, acting, summary, steps, notes, gates
    case requestCount = "request_count"
    case unmanaged, only, fingerprints, safety
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(formatVersion, forKey: .formatVersion)
    try c.encodeIfPresent(server, forKey: .server)
    try c.encodeIfPresent(acting, forKey: .acting)
    try c.encode(summary, forKey: .summary)
    try c.encode(steps, forKey: .steps)
    try c.encode(notes, forKey: .notes)
    try c.encode(gates, forKey: .gates)
    try c.encodeIfPresent(requestCount, forKey: .requestCount)
    try c.encodeIfPresent(unmanaged, forKey: .unmanaged)
    try c.encodeIfPresent(only, forKey: .only)
    try c.encodeIfPresent(fingerprints, forKey: .fingerprints)
    try c.encodeIfPresent(safety, forKey: .safety)
  }

  public init(from decoder: any Decoder) throws {
    try decoder.allowOnly(CodingKeys.self)
    let c = try decoder.container(keyedBy: CodingKeys.self)
    formatVersion = try c.decode(String.self, forKey: .formatVersion)
    server = try c.decodeIfPresent(String.self, forKey: .server)
    acting = try c.decodeIfPresent(Acting.self, forKey: .acting)
    summary = try c.decode(Summary.self, forKey: .summary)
    steps = try c.decode([Step].self, forKey: .steps)
    notes = try c.decode([PlanNote].self, forKey: .notes)
    gates = try c.decode([String].self, forKey: .gates)
    requestCount = try c.decodeIfPresent(Int.self, forKey: .requestCount)
    unmanaged = try c.decodeIfPresent(Plan.Unmanaged.self, forKey: .unmanaged)
    only = try c.decodeIfPresent([String].self, forKey: .only)
    fingerprints = try c.decodeIfPresent(Fingerprints.self, forKey: .fingerprints)
    safety = try c.decodeIfPresent(SafetySettings.self, forKey: .safety)
    try Self.checkSteps(steps, codingPath: c.codingPath + [CodingKeys.steps])
  }

  /// Indices are positions, dependencies point backwards, and a step without a user id depends on the
  /// create of its user (whose id apply learns when it runs); a token step without a token id depends on
  /// that token's create.
  static func checkSteps(_ steps: [Step], codingPath: [any CodingKey]) throws {
    func fail(_ position: Int, _ message: String) -> DecodingError {
      .dataCorrupted(.init(codingPath: codingPath + [AnyKey(index: position)], debugDescription: message))
    }
    for (position, step) in steps.enumerated() {
      if step.index != position { throw fail(position, "index is \(step.index), but the step is number \(position)") }
      if Set(step.dependsOn).count != step.dependsOn.count { throw fail(position, "depends_on repeats a step") }
      for dependency in step.dependsOn where !(0..<position).contains(dependency) {
        throw fail(position, "depends_on \(dependency) is not an earlier step")
      }
      let earlier = step.dependsOn.map { steps[$0] }
      if step.userID == nil && step.kind != .createUser
        && !earlier.contains(where: { $0.kind == .createUser && $0.username == step.username })
      {
        throw fail(position, "\(step.kind.rawValue) has no user_id and does not depend on creating \(step.username)")
      }
      if step.userID != nil && step.kind == .createUser { throw fail(position, "create_user takes no user_id") }
      if case .sendPasswordReset(let email) = step.change {
        // Planned right after creating the user, to the address it was created with; or again for an
        // existing account (its id given), whose address apply checks against the server's
        // (`ResetCheck`), so an edited file cannot mail a reset link to any other address.
        let create = earlier.first { $0.kind == .createUser && $0.username == step.username }
        let createdWith = create?.changes.first(where: { $0.field == "email" })?.new
        guard step.userID == nil ? createdWith == email : create == nil else {
          throw fail(
            position,
            "send_password_reset must follow the create of its user, to the address it creates, or name an existing user's id"
          )
        }
      }
      if case .renameUser(let fields) = step.change {
        if step.userID == nil { throw fail(position, "rename_user needs the user_id of the account it renames") }
        if fields.first?.new != step.username { throw fail(position, "rename_user must rename to its username") }
      }
      switch step.change {
      case .enableToken(let description, nil), .disableToken(let description, nil):
        if !earlier.contains(where: {
          $0.kind == .createToken && $0.username == step.username && $0.tokenDescription == description
        }) {
          throw fail(position, "\(step.kind.rawValue) has no token_id and does not depend on creating that token")
        }
      default: break
      }
    }
  }
}

extension Plan.Unmanaged: Codable {
  enum CodingKeys: String, CodingKey, CaseIterable { case count, policy }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(count, forKey: .count)
    try c.encode(policy.rawValue, forKey: .policy)
  }

  public init(from decoder: any Decoder) throws {
    try decoder.allowOnly(CodingKeys.self)
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let name = try c.decode(String.self, forKey: .policy)
    guard let policy = UnmanagedPolicy(rawValue: name) else {
      throw DecodingError.dataCorruptedError(forKey: .policy, in: c, debugDescription: "unknown policy \"\(name)\"")
    }
    self.init(count: try c.decode(Int.self, forKey: .count), policy: policy)
  }
}

extension SafetySettings: Codable {
  enum CodingKeys: String, CodingKey, CaseIterable {
    case protectedUsers = "protected_users"
    case maxDeactivations = "max_deactivations"
    case minSystemAdmins = "min_system_admins"
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(protectedUsers.sorted(), forKey: .protectedUsers)
    try c.encode(maxDeactivations.description, forKey: .maxDeactivations)
    try c.encode(minSystemAdmins, forKey: .minSystemAdmins)
  }

  public init(from decoder: any Decoder) throws {
    try decoder.allowOnly(CodingKeys.self)
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let text = try c.decode(String.self, forKey: .maxDeactivations)
    guard let threshold = Threshold(text) else {
      throw DecodingError.dataCorruptedError(
        forKey: .maxDeactivations, in: c, debugDescription: "\"\(text)\" is not a count or a percentage")
    }
    let minimum = try c.decode(Int.self, forKey: .minSystemAdmins)
    guard minimum >= 0 else {
      throw DecodingError.dataCorruptedError(forKey: .minSystemAdmins, in: c, debugDescription: "must not be negative")
    }
    self.init(
      protectedUsers: Set(try c.decode([String].self, forKey: .protectedUsers)), maxDeactivations: threshold,
      minSystemAdmins: minimum)
  }
}

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

/// Any key, for listing the keys an object holds.
struct AnyKey: CodingKey {
  var stringValue: String
  var intValue: Int?

  init(stringValue: String) { self.stringValue = stringValue }
  init(intValue: Int) {
    stringValue = "\(intValue)"
    self.intValue = intValue
  }
  init(index: Int) { self.init(intValue: index) }
}

extension Decoder {
  /// Refuses keys the type does not define, which JSONDecoder would silently skip.
  func allowOnly<K: CodingKey & CaseIterable>(_ keys: K.Type) throws {
    let known = Set(K.allCases.map(\.stringValue))
    let c = try container(keyedBy: AnyKey.self)
    if let unknown = c.allKeys.map(\.stringValue).sorted().first(where: { !known.contains($0) }) {
      throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "unknown key \"\(unknown)\""))
    }
  }
}

/// The one JSON setup for plan documents, both ways.
enum PlanJSON {
  static func text(_ document: PlanDocument) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    // Encoding these value types cannot fail: every value is a string, number, array or object.
    guard let data = try? encoder.encode(document) else { preconditionFailure("a plan document failed to encode") }
    return String(decoding: data, as: UTF8.self) + "\n"
  }

  static func decode(_ data: Data) throws(PlanFileError) -> PlanDocument {
    if let repeated = JSONDuplicateKeys.find([UInt8](data)) {
      throw PlanFileError("\(repeated): the key appears twice in one object (tools disagree on which one counts)")
    }
    do {
      return try JSONDecoder().decode(PlanDocument.self, from: data)
    } catch let error as DecodingError {
      throw PlanFileError(describe(error))
    } catch {
      throw PlanFileError("not a plan document: \(error)")
    }
  }

  /// `steps[3].roles_after: missing` rather than Foundation's dump of the decoding context.
  static func describe(_ error: DecodingError) -> String {
    func path(_ keys: [any CodingKey]) -> String {
      var out = ""
      for key in keys {
        if let index = key.intValue { out += "[\(index)]" } else { out += (out.isEmpty ? "" : ".") + key.stringValue }
      }
      return out.isEmpty ? "the document" : out
    }
    switch error {
    case .keyNotFound(let key, let context): return "\(path(context.codingPath + [key])): missing"
    case .typeMismatch(let type, let context): return "\(path(context.codingPath)): expected \(type)"
    case .valueNotFound(let type, let context): return "\(path(context.codingPath)): expected \(type), found null"
    case .dataCorrupted(let context):
      return "\(path(context.codingPath)): \(context.debugDescription)"
    @unknown default: return "\(error)"
    }
  }
}

/// What a saved plan was computed from, so apply can refuse when the server moved on: each user read or
/// touched (id and a hash of what roster reads and writes: the profile fields, roles, active state, sign-in
/// service), each token set, and the absence of what the plan creates.
///
/// `update_at` is left out on purpose: the server bumps it on every login (app/login.go DoLogin ->
/// store UpdateLastLogin in store/sqlstore/user_store.go), picture, password and MFA change, so a plan
/// keyed on it went stale as soon as anyone it names signed in.
public struct Fingerprints: Sendable, Codable, Equatable {
  public struct UserPrint: Sendable, Codable, Equatable {
    public var username: String
    public var id: String
    public var hash: String

    enum CodingKeys: String, CodingKey, CaseIterable { case username, id, hash }

    init(username: String, id: String, hash: String) {
      self.username = username
      self.id = id
      self.hash = hash
    }

    public init(from decoder: any Decoder) throws {
      try decoder.allowOnly(CodingKeys.self)
      let c = try decoder.container(keyedBy: CodingKeys.self)
      self.init(
        username: try c.decode(String.self, forKey: .username), id: try c.decode(String.self, forKey: .id),
        hash: try c.decode(String.self, forKey: .hash))
    }
  }

  public struct TokenPrint: Sendable, Codable, Equatable {
    public var username: String
    public var hash: String

    enum CodingKeys: String, CodingKey, CaseIterable { case username, hash }

    init(username: String, hash: String) {
      self.username = username
      self.hash = hash
    }

    public init(from decoder: any Decoder) throws {
      try decoder.allowOnly(CodingKeys.self)
      let c = try decoder.container(keyedBy: CodingKeys.self)
      self.init(username: try c.decode(String.self, forKey: .username), hash: try c.decode(String.self, forKey: .hash))
    }
  }

  public var users: [UserPrint]
  /// Usernames that must still not exist.
  public var absentUsers: [String]
  public var tokens: [TokenPrint]

  enum CodingKeys: String, CodingKey, CaseIterable {
    case users
    case absentUsers = "absent_users"
    case tokens
  }

  init(users: [UserPrint], absentUsers: [String], tokens: [TokenPrint]) {
    self.users = users
    self.absentUsers = absentUsers
    self.tokens = tokens
  }

  public init(from decoder: any Decoder) throws {
    try decoder.allowOnly(CodingKeys.self)
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      users: try c.decode([UserPrint].self, forKey: .users),
      absentUsers: try c.decode([String].self, forKey: .absentUsers),
      tokens: try c.decode([TokenPrint].self, forKey: .tokens))
  }

  /// Fingerprints of everything the manifest names or the plan touches.
  public static func compute(manifest: Manifest, live: LiveState, plan: Plan) -> Fingerprints {
    // A renamed account is fingerprinted under both names: the old one it has now, the new one it gets.
    var names = Set(manifest.users.flatMap(\.names))
    names.formUnion(plan.steps.map(\.username))
    var tokenUsers = Set(manifest.users.filter { $0.tokens != nil }.flatMap(\.names))
    tokenUsers.formUnion(plan.steps.filter { $0.tokenDescription != nil }.map(\.username))
    return compute(names: names, tokenUsers: tokenUsers, live: live)
  }

  /// Fresh fingerprints of the same objects, to compare with these.
  public func recompute(from live: LiveState) -> Fingerprints {
    let names = Set(users.map(\.username)).union(absentUsers)
    return Self.compute(names: names, tokenUsers: Set(tokens.map(\.username)), live: live)
  }

  /// The usernames whose tokens were fingerprinted: apply must read their tokens again.
  public var tokenUsernames: [String] { tokens.map(\.username) }

  static func compute(names: Set<String>, tokenUsers: Set<String>, live: LiveState) -> Fingerprints {
    let byName = UserIndex(live.users) { ServerRules.normalizeUsername($0.username) }
    var users: [UserPrint] = []
    var absent: [String] = []
    var tokens: [TokenPrint] = []
    let tokensByUser = Dictionary(grouping: live.tokens ?? [], by: \.userID)
    for name in names.sorted() {
      guard let user = byName[name] else {
        absent.append(name)
        continue
      }
      users.append(UserPrint(username: name, id: user.id, hash: hash(user)))
      if tokenUsers.contains(name) {
        let set = (tokensByUser[user.id] ?? []).sorted { $0.id < $1.id }
          .map { "\($0.id)|\($0.description)|\($0.isActive)" }.joined(separator: "\n")
        tokens.append(TokenPrint(username: name, hash: fnv(set)))
      }
    }
    return Fingerprints(users: users, absentUsers: absent, tokens: tokens)
  }

  /// What roster reads and writes of a user, and nothing the server changes on its own.
  static func hash(_ u: LiveUser) -> String {
    let profile = ProfileField.allCases.map { u[keyPath: $0.live] }
    let rest = [
      u.username, ServerRules.canonicalRoles(u.roleSet).joined(separator: " "), u.authService, String(u.isActive),
      String(u.isBot),
    ]
    return fnv((profile + rest).joined(separator: "\u{1F}"))
  }

  /// FNV-1a, 64 bits: a change detector, not a security boundary.
  static func fnv(_ text: String) -> String {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in text.utf8 {
      h ^= UInt64(b)
      h = h &* 0x100_0000_01b3
    }
    let hex = String(h, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
  }

  /// What differs between the saved fingerprints and fresh ones, in words; empty when nothing moved.
  public func changes(comparedTo now: Fingerprints) -> [String] {
    var out: [String] = []
    let fresh = Dictionary(now.users.map { ($0.username, $0) }, uniquingKeysWith: { a, _ in a })
    for old in users {
      guard let new = fresh[old.username] else {
        out.append("user \(old.username) no longer exists")
        continue
      }
      if new.id != old.id {
        out.append("user \(old.username) was replaced (id \(old.id) → \(new.id))")
      } else if new.hash != old.hash {
        out.append("user \(old.username) changed (its profile, roles or active state)")
      }
    }
    let nowPresent = Set(now.users.map(\.username))
    for name in absentUsers where nowPresent.contains(name) { out.append("user \(name) appeared") }
    let freshTokens = Dictionary(now.tokens.map { ($0.username, $0.hash) }, uniquingKeysWith: { a, _ in a })
    for old in tokens where freshTokens[old.username] != old.hash {
      out.append("tokens of \(old.username) changed")
    }
    return out
  }
}
