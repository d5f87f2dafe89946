/// The plan file's keys for membership changes, read strictly: each kind takes exactly what it needs.
extension MembershipChange {
  func encode(to payload: inout PayloadWriter) throws {
    switch self {
    case .addTeamMember(let t, let admin), .setTeamMemberRoles(let t, let admin):
      try encode(t, &payload)
      try payload.put(admin, "admin")
    case .removeTeamMember(let t, let cascade):
      try encode(t, &payload)
      try payload.put(cascade, "cascade")
    case .addChannelMember(let c, let admin), .setChannelMemberRoles(let c, let admin):
      try encode(c, &payload)
      try payload.put(admin, "admin")
    case .removeChannelMember(let c): try encode(c, &payload)
    }
  }

  private func encode(_ team: TeamRef, _ payload: inout PayloadWriter) throws {
    try payload.put(team.id, "team_id")
    try payload.put(team.name, "team")
  }

  private func encode(_ channel: ChannelRef, _ payload: inout PayloadWriter) throws {
    try payload.put(channel.id, "channel_id")
    try payload.put(channel.team, "team")
    try payload.put(channel.name, "channel")
  }

  static func decode(_ kind: StepKind, _ payload: inout PayloadReader) throws -> Change? {
    guard kinds.contains(kind) else { return nil }
    func team() throws -> TeamRef {
      TeamRef(id: try payload.need(String.self, "team_id"), name: try payload.need(String.self, "team"))
    }
    func channel() throws -> ChannelRef {
      ChannelRef(
        id: try payload.need(String.self, "channel_id"), team: try payload.need(String.self, "team"),
        name: try payload.need(String.self, "channel"))
    }
    let change: MembershipChange
    switch kind {
    case .addTeamMember: change = .addTeamMember(team: try team(), admin: try payload.need(Bool.self, "admin"))
    case .setTeamMemberRoles:
      change = .setTeamMemberRoles(team: try team(), admin: try payload.need(Bool.self, "admin"))
    case .removeTeamMember:
      let cascade = try payload.need(Int.self, "cascade")
      if cascade < 0 { throw payload.fail("cascade", "is not negative") }
      change = .removeTeamMember(team: try team(), cascade: cascade)
    case .addChannelMember:
      change = .addChannelMember(channel: try channel(), admin: try payload.need(Bool.self, "admin"))
    case .setChannelMemberRoles:
      change = .setChannelMemberRoles(channel: try channel(), admin: try payload.need(Bool.self, "admin"))
    default: change = .removeChannelMember(channel: try channel())
    }
    return .membership(change)
  }

  /// Memberships are checked against the server by planning again; a fresh read of users shows nothing
  /// of them, so the account itself expects nothing.
  func simulate(_ account: inout SimulatedAccount) {}
}
