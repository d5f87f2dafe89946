/// The plan file's per-step coding. The keys every step has sit on the step; what the kind needs sits in
/// its `change` object, written and read by the change's resource (`UserChange+Coding`,
/// `TokenChange+Coding`). Version 1 files, which put both in one object, are still read.
extension Step: Codable {
  enum CodingKeys: String, CodingKey, CaseIterable {
    case index, kind, username
    case userID = "user_id"
    case change
    case dependsOn = "depends_on"
    case reason
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(index, forKey: .index)
    try c.encode(kind.rawValue, forKey: .kind)
    try c.encode(username, forKey: .username)
    try c.encodeIfPresent(userID, forKey: .userID)
    var payload = PayloadWriter(container: c.nestedContainer(keyedBy: PayloadKey.self, forKey: .change))
    try change.resource.encode(to: &payload)
    try c.encode(dependsOn, forKey: .dependsOn)
    try c.encodeIfPresent(reason, forKey: .reason)
  }

  public init(from decoder: any Decoder) throws {
    try decoder.allowOnly(CodingKeys.self)
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let kind = try Self.kind(c)
    var payload = PayloadReader(try c.nestedContainer(keyedBy: PayloadKey.self, forKey: .change))
    try self.init(c, change: try Self.change(kind, &payload))
  }

  /// A version 1 step: the change's keys beside the step's own, and `changes` (the profile fields) on
  /// every step, empty where the kind sets none.
  init(version1 decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let kind = try Self.kind(c)
    var own = Set(CodingKeys.allCases.filter { $0 != .change }.map(\.stringValue))
    let container = try decoder.container(keyedBy: PayloadKey.self)
    if ![.createUser, .patchProfile, .renameUser].contains(kind) {
      // Kinds without fields carry `changes: []` in version 1.
      own.insert("changes")
      if !(try container.decode([FieldChange].self, forKey: PayloadKey("changes"))).isEmpty {
        throw DecodingError.dataCorruptedError(
          forKey: PayloadKey("changes"), in: container, debugDescription: "\(kind.rawValue) changes no profile field")
      }
    }
    var payload = PayloadReader(container, alsoAllowed: own)
    let change = try Self.change(kind, &payload)
    try self.init(c, change: change)
  }

  private init(_ c: KeyedDecodingContainer<CodingKeys>, change: Change) throws {
    self.init(
      change, username: try c.decode(String.self, forKey: .username),
      userID: try c.decodeIfPresent(String.self, forKey: .userID),
      reason: try c.decodeIfPresent(String.self, forKey: .reason))
    index = try c.decode(Int.self, forKey: .index)
    dependsOn = try c.decode([Int].self, forKey: .dependsOn)
  }

  private static func kind(_ c: KeyedDecodingContainer<CodingKeys>) throws -> StepKind {
    let name = try c.decode(String.self, forKey: .kind)
    guard let kind = StepKind(rawValue: name) else {
      throw DecodingError.dataCorruptedError(forKey: .kind, in: c, debugDescription: "unknown step kind \"\(name)\"")
    }
    return kind
  }

  /// The resource that owns `kind` reads its change; every key it did not ask for is refused.
  private static func change(_ kind: StepKind, _ payload: inout PayloadReader) throws -> Change {
    for resource in Change.resources {
      guard let change = try resource.decode(kind, &payload) else { continue }
      try payload.finish(kind)
      return change
    }
    preconditionFailure("\(kind.rawValue) has no resource")
  }
}

/// Reads a version 1 file's steps.
struct Version1Step: Decodable {
  var step: Step

  init(from decoder: any Decoder) throws {
    try decoder.allowOnly(Version1Key.self)
    step = try Step(version1: decoder)
  }

  /// Every key a version 1 step could hold.
  enum Version1Key: String, CodingKey, CaseIterable {
    case index, kind, username, user_id, changes, roles_before, roles_after, token_description, token_id
    case password_reference, generate_password, email, expires_in_days, depends_on, reason
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
