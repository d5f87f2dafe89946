import RosterYAML

/// The accounts one manifest governs: those `settings.scope` takes in and no other manifest's
/// `settings.owner` marked. The gates' shares are of these accounts, when the plan is made and again
/// when a saved plan is applied (the file records both), so a saved plan met with a server full of other
/// manifests' accounts gets no looser limit than the plan had.
public struct Governance: Sendable, Equatable {
  public var scope: AccountScope?
  public var owner: String?

  public init(scope: AccountScope? = nil, owner: String? = nil) {
    self.scope = scope
    self.owner = owner
  }

  public func inScope(_ user: LiveUser) -> Bool { scope?.contains(user) ?? true }

  /// The owner another manifest marked the account with; nil when unmarked or marked by this one.
  public func foreignOwner(_ user: LiveUser) -> String? {
    guard let mark = user.props?[OwnerMarker.key], !mark.isEmpty, mark != owner else { return nil }
    return mark
  }

  public func governs(_ user: LiveUser) -> Bool { inScope(user) && foreignOwner(user) == nil }

  /// The live state narrowed to the governed accounts: the population the gates take shares of.
  public func governed(_ live: LiveState) -> LiveState {
    guard scope != nil || live.users.contains(where: { foreignOwner($0) != nil }) else { return live }
    var narrowed = live
    narrowed.users = live.users.filter(governs)
    return narrowed
  }
}

extension Safety {
  /// The gates with their shares taken of the governed accounts, and never looser than the same gates
  /// over the whole server: a step's target outside the governed accounts (a bot the scope does not
  /// take in, or a saved plan whose recorded scope was edited) still counts.
  public static func gates(
    _ steps: [Step], live: LiveState, governance: Governance, managed: Int, thresholds: [GateKind: [Threshold]],
    recovering: Set<TokenKey> = [], start: PostPlanState? = nil
  ) -> [GateBreach] {
    let whole = gates(
      steps, live: live, managed: managed, thresholds: thresholds, recovering: recovering, start: start)
    let governed = governance.governed(live)
    guard governed.users.count != live.users.count else { return whole }
    let narrow = gates(steps, live: governed, managed: managed, thresholds: thresholds, recovering: recovering)
    let kinds = Set(narrow.map(\.kind))
    return narrow + whole.filter { !kinds.contains($0.kind) }
  }
}

/// A saved plan's `safety.scope`: the lists the manifest gave, by their manifest keys, and no other key.
extension AccountScope: Codable {
  static let listKeys = ["usernames", "email_domains", "auth_services"]

  var lists: [String: [String]] {
    zip(Self.listKeys, [usernames, emailDomains, authServices]).reduce(into: [:]) { table, pair in
      table[pair.0] = pair.1
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var single = encoder.singleValueContainer()
    try single.encode(lists)
  }

  public init(from decoder: any Decoder) throws {
    let table = try decoder.singleValueContainer().decode([String: [String]].self)
    if let unknown = table.keys.sorted().first(where: { !Self.listKeys.contains($0) }) {
      throw DecodingError.dataCorrupted(
        .init(codingPath: decoder.codingPath, debugDescription: "scope has no key \"\(unknown)\""))
    }
    self.init(
      usernames: table["usernames"], emailDomains: table["email_domains"], authServices: table["auth_services"],
      mark: Mark(file: "plan", line: 0, column: 0))
  }
}
