/// The `safety` object of a saved plan, read as strictly as the rest of the file:
/// `{"protected_users": [...], "required_admins": [...], "min_system_admins": 1,
///   "thresholds": {"max_deactivations": ["25%", "2"], ...}}`.
/// Files written before every gate was recorded hold only `max_deactivations` (one threshold); they
/// still read, and apply's own flags or the defaults cover the other gates.
extension SafetySettings: Codable {
  enum CodingKeys: String, CodingKey, CaseIterable {
    case protectedUsers = "protected_users"
    case requiredAdmins = "required_admins"
    case thresholds
    case minSystemAdmins = "min_system_admins"
    case managedUsers = "managed_users"
    case scope
    case owner
    /// The one threshold older files recorded.
    case maxDeactivations = "max_deactivations"
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(protectedUsers.sorted(), forKey: .protectedUsers)
    try c.encode(requiredAdmins.sorted(), forKey: .requiredAdmins)
    var table = c.nestedContainer(keyedBy: AnyKey.self, forKey: .thresholds)
    for kind in GateKind.allCases {
      guard let given = thresholds[kind] else { continue }
      try table.encode(given.map(\.description), forKey: AnyKey(stringValue: kind.key))
    }
    try c.encode(minSystemAdmins, forKey: .minSystemAdmins)
    try c.encodeIfPresent(managedUsers, forKey: .managedUsers)
    try c.encodeIfPresent(governance.scope, forKey: .scope)
    try c.encodeIfPresent(governance.owner, forKey: .owner)
  }

  public init(from decoder: any Decoder) throws {
    try decoder.allowOnly(CodingKeys.self)
    let c = try decoder.container(keyedBy: CodingKeys.self)
    func threshold(_ text: String, _ key: CodingKey) throws -> Threshold {
      guard let value = Threshold(text) else {
        throw DecodingError.dataCorrupted(
          .init(codingPath: c.codingPath + [key], debugDescription: "\"\(text)\" is not a count or a percentage"))
      }
      return value
    }
    var thresholds: [GateKind: [Threshold]] = [:]
    if let old = try c.decodeIfPresent(String.self, forKey: .maxDeactivations) {
      thresholds[.deactivations] = [try threshold(old, CodingKeys.maxDeactivations)]
    }
    if c.contains(.thresholds) {
      let table = try c.nestedContainer(keyedBy: AnyKey.self, forKey: .thresholds)
      for key in table.allKeys {
        guard let kind = GateKind(rawValue: key.stringValue) else {
          throw DecodingError.dataCorruptedError(
            forKey: key, in: table, debugDescription: "unknown gate \"\(key.stringValue)\"")
        }
        let texts = try table.decode([String].self, forKey: key)
        guard !texts.isEmpty else {
          throw DecodingError.dataCorruptedError(forKey: key, in: table, debugDescription: "lists no threshold")
        }
        thresholds[kind, default: []] += try texts.map { try threshold($0, key) }
      }
    }
    let minimum = try c.decode(Int.self, forKey: .minSystemAdmins)
    guard minimum >= 0 else {
      throw DecodingError.dataCorruptedError(forKey: .minSystemAdmins, in: c, debugDescription: "must not be negative")
    }
    self.init(
      protectedUsers: Set(try c.decode([String].self, forKey: .protectedUsers)),
      requiredAdmins: Set(try c.decodeIfPresent([String].self, forKey: .requiredAdmins) ?? []),
      thresholds: thresholds, minSystemAdmins: minimum)
    managedUsers = try c.decodeIfPresent(Int.self, forKey: .managedUsers)
    governance = Governance(
      scope: try c.decodeIfPresent(AccountScope.self, forKey: .scope),
      owner: try c.decodeIfPresent(String.self, forKey: .owner))
    if let managedUsers, managedUsers < 0 {
      throw DecodingError.dataCorruptedError(forKey: .managedUsers, in: c, debugDescription: "must not be negative")
    }
  }
}
