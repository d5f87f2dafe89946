public import RosterYAML

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

/// A saved plan's `safety.scope`: the three lists as the manifest gave them.
extension AccountScope: Codable {
  enum CodingKeys: String, CodingKey, CaseIterable {
    case usernames
    case emailDomains = "email_domains"
    case authServices = "auth_services"
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encodeIfPresent(usernames, forKey: .usernames)
    try c.encodeIfPresent(emailDomains, forKey: .emailDomains)
    try c.encodeIfPresent(authServices, forKey: .authServices)
  }

  public init(from decoder: any Decoder) throws {
    try decoder.allowOnly(CodingKeys.self)
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      usernames: try c.decodeIfPresent([String].self, forKey: .usernames),
      emailDomains: try c.decodeIfPresent([String].self, forKey: .emailDomains),
      authServices: try c.decodeIfPresent([String].self, forKey: .authServices),
      mark: Mark(file: "plan", line: 0, column: 0))
  }
}
