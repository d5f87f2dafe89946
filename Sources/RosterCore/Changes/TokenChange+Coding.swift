/// The plan file's keys for token changes, read strictly: each kind takes exactly what it needs.
extension TokenChange {
  func encode(to payload: inout PayloadWriter) throws {
    try payload.put(description, "token_description")
    try payload.put(tokenID, "token_id")
    if case .createToken(_, let days, let grace) = self {
      try payload.put(days, "expires_in_days")
      try payload.put(grace?.replaces, "replaces_token_id")
      try payload.put(grace?.hours, "rotation_grace_hours")
    }
  }

  static func decode(_ kind: StepKind, _ payload: inout PayloadReader) throws -> Change? {
    guard kinds.contains(kind) else { return nil }
    let description = try payload.need(String.self, "token_description")
    switch kind {
    case .createToken:
      let days = try payload.maybe(Int.self, "expires_in_days")
      if let days, !(1...36_500).contains(days) { throw payload.fail("expires_in_days", "must be between 1 and 36500") }
      let replaces = try payload.maybe(String.self, "replaces_token_id")
      let hours = try payload.maybe(Int.self, "rotation_grace_hours")
      guard (replaces == nil) == (hours == nil) else {
        throw payload.fail("rotation_grace_hours", "goes with replaces_token_id, and only with it")
      }
      if let hours, !(1...8_760).contains(hours) {
        throw payload.fail("rotation_grace_hours", "must be between 1 and 8760")
      }
      let grace = replaces.flatMap { id in hours.map { GracefulRotation(replaces: id, hours: $0) } }
      return .token(.createToken(description: description, expiresInDays: days, grace: grace))
    case .enableToken:
      return .token(.enableToken(description: description, tokenID: try payload.maybe(String.self, "token_id")))
    case .disableToken:
      return .token(.disableToken(description: description, tokenID: try payload.maybe(String.self, "token_id")))
    default:
      return .token(.revokeToken(description: description, tokenID: try payload.need(String.self, "token_id")))
    }
  }
}
