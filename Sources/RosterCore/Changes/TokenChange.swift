extension StepKind {
  public static let createToken = StepKind("create_token")
  public static let enableToken = StepKind("enable_token")
  public static let disableToken = StepKind("disable_token")
  public static let revokeToken = StepKind("revoke_token")
}

/// A change to one of an account's personal access tokens, named by description (the manifest's key)
/// and, once it exists, by id.
public enum TokenChange: Sendable, Equatable {
  /// POST /users/{id}/tokens; `expiresInDays` becomes `expires_at` when the step runs (apply's clock).
  /// `grace`: a rotation whose old token stays usable a while; apply notes its revoke in the state.
  case createToken(description: String, expiresInDays: Int? = nil, grace: GracefulRotation? = nil)
  /// `tokenID` is nil only for a token this plan creates (the step then depends on that create).
  case enableToken(description: String, tokenID: String?)
  case disableToken(description: String, tokenID: String?)
  case revokeToken(description: String, tokenID: String)

  static let kinds: [StepKind] = [.createToken, .enableToken, .disableToken, .revokeToken]

  var kind: StepKind {
    switch self {
    case .createToken: .createToken
    case .enableToken: .enableToken
    case .disableToken: .disableToken
    case .revokeToken: .revokeToken
    }
  }

  var phase: Phase { .credentials }

  var isDestructive: Bool { kind == .revokeToken }

  var effect: ChangeEffect {
    switch self {
    case .createToken: .add
    case .revokeToken: .remove
    case .enableToken, .disableToken: .change
    }
  }

  public var description: String {
    switch self {
    case .createToken(let d, _, _), .enableToken(let d, _), .disableToken(let d, _), .revokeToken(let d, _): d
    }
  }

  /// The token's id; nil for a create, and for an enable or disable of a token this plan creates.
  public var tokenID: String? {
    switch self {
    case .createToken: nil
    case .enableToken(_, let id), .disableToken(_, let id): id
    case .revokeToken(_, let id): id
    }
  }

  func mapStrings(_ transform: (String) -> String) -> Change { .token(mapped(transform)) }

  private func mapped(_ transform: (String) -> String) -> TokenChange {
    switch self {
    case .createToken(let d, let days, let grace):
      .createToken(
        description: transform(d), expiresInDays: days,
        grace: grace.map { GracefulRotation(replaces: transform($0.replaces), hours: $0.hours) })
    case .enableToken(let d, let id): .enableToken(description: transform(d), tokenID: id.map(transform))
    case .disableToken(let d, let id): .disableToken(description: transform(d), tokenID: id.map(transform))
    case .revokeToken(let d, let id): .revokeToken(description: transform(d), tokenID: transform(id))
    }
  }
}

extension Step {
  public var tokenChange: TokenChange? { if case .token(let change) = change { change } else { nil } }
  public var tokenDescription: String? { tokenChange?.description }
  public var tokenID: String? { tokenChange?.tokenID }
  public var expiresInDays: Int? { if case .createToken(_, let days, _)? = tokenChange { days } else { nil } }
}

/// A rotation that leaves the old token working for `hours` after its replacement exists
/// (`rotation_grace_hours`), so whoever uses it has time to take the new secret: apply records the old
/// token as pending revocation, and the first apply after the grace revokes it.
public struct GracefulRotation: Sendable, Equatable {
  /// The id of the token the new one replaces.
  public var replaces: String
  public var hours: Int

  public init(replaces: String, hours: Int) {
    self.replaces = replaces
    self.hours = hours
  }
}
