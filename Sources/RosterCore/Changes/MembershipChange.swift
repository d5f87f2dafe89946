extension StepKind {
  public static let addTeamMember = StepKind("add_team_member")
  public static let addChannelMember = StepKind("add_channel_member")
  public static let setTeamMemberRoles = StepKind("set_team_member_roles")
  public static let setChannelMemberRoles = StepKind("set_channel_member_roles")
  public static let removeChannelMember = StepKind("remove_channel_member")
  public static let removeTeamMember = StepKind("remove_team_member")
}

/// A team, named as the manifest names it (its URL slug) and by the id the server gave it.
public struct TeamRef: Sendable, Equatable, Hashable {
  public var id: String
  public var name: String

  public init(id: String, name: String) {
    self.id = id
    self.name = name
  }
}

/// A channel of a team, by team and channel name and by id.
public struct ChannelRef: Sendable, Equatable, Hashable {
  public var id: String
  public var team: String
  public var name: String

  public init(id: String, team: String, name: String) {
    self.id = id
    self.team = team
    self.name = name
  }

  /// `eng/incidents`: how plans show a channel (names are unique within a team only).
  public var path: String { team + "/" + name }
}

/// A change to who is in a team or a channel, and whether as its admin (`scheme_admin`).
public enum MembershipChange: Sendable, Equatable {
  /// POST /teams/{id}/members/batch?graceful=true (with others of the same team): joins the team's
  /// default channels too, for non-guests (app/teams JoinDefaultChannels).
  case addTeamMember(team: TeamRef, admin: Bool)
  /// DELETE /teams/{id}/members/{user}: also leaves every channel of the team (`cascade` of them are
  /// known), private and archived ones included (app/team.go LeaveTeam).
  case removeTeamMember(team: TeamRef, cascade: Int)
  /// PUT /teams/{id}/members/{user}/schemeRoles with all three flags.
  case setTeamMemberRoles(team: TeamRef, admin: Bool)
  /// POST /channels/{id}/members with `user_ids` (with others of the same channel).
  case addChannelMember(channel: ChannelRef, admin: Bool)
  /// DELETE /channels/{id}/members/{user}.
  case removeChannelMember(channel: ChannelRef)
  /// PUT /channels/{id}/members/{user}/schemeRoles with all three flags.
  case setChannelMemberRoles(channel: ChannelRef, admin: Bool)

  static let kinds: [StepKind] = [
    .addTeamMember, .addChannelMember, .setTeamMemberRoles, .setChannelMemberRoles, .removeChannelMember,
    .removeTeamMember,
  ]

  var kind: StepKind {
    switch self {
    case .addTeamMember: .addTeamMember
    case .removeTeamMember: .removeTeamMember
    case .setTeamMemberRoles: .setTeamMemberRoles
    case .addChannelMember: .addChannelMember
    case .removeChannelMember: .removeChannelMember
    case .setChannelMemberRoles: .setChannelMemberRoles
    }
  }

  /// Team adds before channel adds (a channel add needs the team membership: app/channel.go
  /// AddUserToChannel), roles once both exist, and channel removals before the team removals that
  /// would take them anyway.
  var phase: Phase {
    switch self {
    case .addTeamMember: .teamAdds
    case .addChannelMember: .channelAdds
    case .setTeamMemberRoles, .setChannelMemberRoles: .memberRoles
    case .removeChannelMember: .channelRemovals
    case .removeTeamMember: .teamRemovals
    }
  }

  var isDestructive: Bool {
    switch self {
    case .removeTeamMember, .removeChannelMember: true
    default: false
    }
  }

  var effect: ChangeEffect {
    switch self {
    case .addTeamMember, .addChannelMember: .add
    case .removeTeamMember, .removeChannelMember: .remove
    case .setTeamMemberRoles, .setChannelMemberRoles: .change
    }
  }

  /// Memberships the step takes away: one, and a team removal's channel cascade.
  var removed: Int {
    switch self {
    case .removeTeamMember(_, let cascade): 1 + cascade
    case .removeChannelMember: 1
    default: 0
    }
  }

  func mapStrings(_ transform: (String) -> String) -> Change { .membership(mapped(transform)) }

  private func mapped(_ transform: (String) -> String) -> MembershipChange {
    func team(_ t: TeamRef) -> TeamRef { TeamRef(id: transform(t.id), name: transform(t.name)) }
    func channel(_ c: ChannelRef) -> ChannelRef {
      ChannelRef(id: transform(c.id), team: transform(c.team), name: transform(c.name))
    }
    switch self {
    case .addTeamMember(let t, let admin): return .addTeamMember(team: team(t), admin: admin)
    case .removeTeamMember(let t, let cascade): return .removeTeamMember(team: team(t), cascade: cascade)
    case .setTeamMemberRoles(let t, let admin): return .setTeamMemberRoles(team: team(t), admin: admin)
    case .addChannelMember(let c, let admin): return .addChannelMember(channel: channel(c), admin: admin)
    case .removeChannelMember(let c): return .removeChannelMember(channel: channel(c))
    case .setChannelMemberRoles(let c, let admin): return .setChannelMemberRoles(channel: channel(c), admin: admin)
    }
  }
}

extension Step {
  public var membershipChange: MembershipChange? { if case .membership(let change) = change { change } else { nil } }
  /// Memberships this step takes away (a team removal counts its channel cascade).
  public var membershipsRemoved: Int { membershipChange?.removed ?? 0 }
}
