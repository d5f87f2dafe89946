/// The plan file's keys for bot changes, read strictly: each kind takes exactly what it needs.
extension BotChange {
  static let fieldKeys: Set<String> = ["display_name", "description"]

  func encode(to payload: inout PayloadWriter) throws {
    switch self {
    case .createBot(let displayName, let description):
      try payload.put(displayName, "display_name")
      try payload.put(description, "description")
    case .updateBot(let fields): try payload.put(fields, "changes")
    case .assignBot(let from, let to, let id):
      try payload.put(from, "owner_before")
      try payload.put(to, "owner")
      try payload.put(id, "owner_id")
    case .enableBot, .disableBot: break
    }
  }

  static func decode(_ kind: StepKind, _ payload: inout PayloadReader) throws -> Change? {
    let change: BotChange
    switch kind {
    case .createBot:
      change = .createBot(
        displayName: try payload.need(String.self, "display_name"),
        description: try payload.need(String.self, "description"))
    case .updateBot:
      let fields = try payload.need([FieldChange].self, "changes")
      if fields.isEmpty { throw payload.fail("changes", "update_bot changes at least one field") }
      if let bad = fields.first(where: { !fieldKeys.contains($0.field) }) {
        throw payload.fail("changes", "update_bot does not change \(bad.field)")
      }
      if Set(fields.map(\.field)).count != fields.count { throw payload.fail("changes", "a field is changed twice") }
      change = .updateBot(fields)
    case .assignBot:
      change = .assignBot(
        from: try payload.maybe(String.self, "owner_before"), to: try payload.need(String.self, "owner"),
        ownerID: try payload.maybe(String.self, "owner_id"))
    case .enableBot: change = .enableBot
    case .disableBot: change = .disableBot
    default: return nil
    }
    return .bot(change)
  }
}
