import Foundation

/// One team in a seed or state file (`"teams"`). Field names follow the server's JSON; every field but
/// `name` is optional. `type` ("O"/"I") and `allow_open_invite` are two spellings of one setting.
public struct SeedTeam: Codable, Sendable {
  public var id: String?
  public var name: String
  public var display_name: String?
  public var type: String?
  public var allow_open_invite: Bool?
  public var allowed_domains: String?
  public var group_constrained: Bool?
  public var scheme_id: String?
  public var email: String?
  public var delete_at: Int64?
  /// Creates town-square and off-topic when the seed does not list them, as creating a team does
  /// (app/team.go createDefaultChannels); default true.
  public var default_channels: Bool?
  public var members: [SeedMember]?

  public init(name: String, members: [SeedMember]? = nil) {
    self.name = name
    self.members = members
  }
}

/// One channel (`"channels"`), in the team named by `team` (or `team_id`, the state file's form).
public struct SeedChannel: Codable, Sendable {
  public var id: String?
  public var team: String?
  public var team_id: String?
  public var name: String
  public var display_name: String?
  /// "O" public (default) or "P" private.
  public var type: String?
  public var delete_at: Int64?
  public var group_constrained: Bool?
  public var scheme_id: String?
  public var members: [SeedMember]?

  public init(team: String, name: String, type: String? = nil, members: [SeedMember]? = nil) {
    self.team = team
    self.name = name
    self.type = type
    self.members = members
  }
}

/// A membership row: the user by `user` (username) or `user_id`; scheme flags default to a fresh
/// member's (scheme_user, or scheme_guest for a system_guest).
public struct SeedMember: Codable, Sendable {
  public var user: String?
  public var user_id: String?
  public var scheme_admin: Bool?
  public var scheme_user: Bool?
  public var scheme_guest: Bool?
  public var explicit_roles: String?
  /// Team rows only: a left membership (app/teams RemoveTeamMember keeps the row).
  public var delete_at: Int64?
  /// Team rows only: an active non-guest member also joins the team's default channels, as a real
  /// join does (default true; the state file writes false, its channel rows being complete).
  public var join_default_channels: Bool?

  public init(user: String, scheme_admin: Bool? = nil, delete_at: Int64? = nil) {
    self.user = user
    self.scheme_admin = scheme_admin
    self.delete_at = delete_at
  }
}

/// `"generate"`: many cheap public teams and channels for scale runs (`team-0001`, `team-0001-ch-0001`).
public struct SeedGenerate: Codable, Sendable {
  public var teams: Int
  public var channels_per_team: Int?
  /// The first N users (by username, bots left out) join every generated team.
  public var members_per_team: Int?

  public init(teams: Int, channels_per_team: Int? = nil, members_per_team: Int? = nil) {
    self.teams = teams
    self.channels_per_team = channels_per_team
    self.members_per_team = members_per_team
  }
}

extension SandboxSeed {
  /// Builds the teams, channels and memberships of the seed over its users' records.
  func organisation(_ records: [UserRecord], _ settings: ServerSettings, now: Int64) throws -> Organisation {
    var org = Organisation()
    let byName = Dictionary(records.map { ($0.username, $0) }, uniquingKeysWith: { a, _ in a })
    let byID = Dictionary(records.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    func user(_ m: SeedMember, _ place: String) throws -> UserRecord {
      if let id = m.user_id, let u = byID[id] { return u }
      if let name = m.user.map(SandboxRules.goLower), let u = byName[name] { return u }
      throw SeedError("\(place): member \(m.user ?? m.user_id ?? "?") is no user in the seed")
    }
    func flags(_ m: SeedMember, _ u: UserRecord) -> SchemeFlags {
      let guest = u.roleSet.contains("system_guest")
      return SchemeFlags(
        guest: m.scheme_guest ?? guest, user: m.scheme_user ?? !guest, admin: m.scheme_admin ?? false,
        explicitRoles: m.explicit_roles ?? "")
    }
    var teams = self.teams ?? []
    if let g = generate {
      for t in 0..<g.teams {
        var team = SeedTeam(name: String(format: "team-%04d", t + 1))
        team.allow_open_invite = true
        let members = records.filter { !$0.isBot }.prefix(g.members_per_team ?? 0)
        team.members = members.map { SeedMember(user: $0.username) }
        teams.append(team)
      }
    }
    for t in teams {
      let name = SandboxRules.goLower(t.name)
      guard org.team(named: name) == nil else { throw SeedError("team \(name) appears twice in the seed") }
      org.add(
        TeamRecord(
          id: t.id ?? SandboxStore.newID(), createAt: now, updateAt: now, deleteAt: t.delete_at ?? 0,
          displayName: t.display_name ?? name, name: name, email: t.email ?? "",
          allowOpenInvite: t.allow_open_invite ?? (t.type == "O"), allowedDomains: t.allowed_domains ?? "",
          inviteID: SandboxStore.newID(), schemeID: t.scheme_id, groupConstrained: t.group_constrained))
    }
    var channels = self.channels ?? []
    if let g = generate, let perTeam = g.channels_per_team {
      for t in 0..<g.teams {
        let team = String(format: "team-%04d", t + 1)
        for c in 0..<perTeam {
          channels.append(SeedChannel(team: team, name: team + String(format: "-ch-%04d", c + 1)))
        }
      }
    }
    for t in teams where t.default_channels ?? true {
      for (name, display) in [("town-square", "Town Square"), ("off-topic", "Off-Topic")]
      where !channels.contains(where: {
        $0.name == name && ($0.team.map(SandboxRules.goLower) == SandboxRules.goLower(t.name))
      }) {
        var channel = SeedChannel(team: t.name, name: name)
        channel.display_name = display
        channels.append(channel)
      }
    }
    for c in channels {
      guard
        let team = c.team_id.flatMap({ org.teams[$0] }) ?? c.team.flatMap({ org.team(named: SandboxRules.goLower($0)) })
      else { throw SeedError("channel \(c.name): team \(c.team ?? c.team_id ?? "?") is not in the seed") }
      let name = SandboxRules.goLower(c.name)
      guard org.channel(team: team.id, named: name) == nil else {
        throw SeedError("channel \(name) appears twice in team \(team.name)")
      }
      guard ["O", "P"].contains(c.type ?? "O") else { throw SeedError("channel \(name): type must be O or P") }
      org.add(
        ChannelRecord(
          id: c.id ?? SandboxStore.newID(), teamID: team.id, type: c.type ?? "O", name: name,
          displayName: c.display_name ?? name, createAt: now, updateAt: now, deleteAt: c.delete_at ?? 0,
          schemeID: c.scheme_id, groupConstrained: c.group_constrained))
    }
    for c in channels {
      let team = c.team_id.flatMap({ org.teams[$0] }) ?? c.team.flatMap({ org.team(named: SandboxRules.goLower($0)) })
      guard let team, let channel = org.channel(team: team.id, named: SandboxRules.goLower(c.name)) else { continue }
      for m in c.members ?? [] {
        let u = try user(m, "channel \(channel.name)")
        org.put(ChannelMemberRecord(channelID: channel.id, userID: u.id, flags: flags(m, u), lastUpdateAt: now))
      }
    }
    for t in teams {
      guard let team = org.team(named: SandboxRules.goLower(t.name)) else { continue }
      for m in t.members ?? [] {
        let u = try user(m, "team \(team.name)")
        let member = TeamMemberRecord(teamID: team.id, userID: u.id, flags: flags(m, u), deleteAt: m.delete_at ?? 0)
        org.put(member)
        guard member.isActive, !member.flags.guest, m.join_default_channels ?? true else { continue }
        for name in settings.defaultChannelNames {
          guard let channel = org.channel(team: team.id, named: name), channel.type == "O", !channel.isArchived,
            org.channelMember(channel.id, u.id) == nil
          else { continue }
          org.put(
            ChannelMemberRecord(channelID: channel.id, userID: u.id, flags: .fresh(guest: false), lastUpdateAt: now))
        }
      }
    }
    return org
  }
}

extension ServerSettings {
  /// app/teams DefaultChannelNames: town-square, then off-topic or ExperimentalDefaultChannels.
  var defaultChannelNames: [String] {
    var names = ["town-square"]
    for name in experimentalDefaultChannels.isEmpty ? ["off-topic"] : experimentalDefaultChannels
    where !names.contains(name) {
      names.append(name)
    }
    return names
  }
}

extension Organisation {
  /// The state file's form: ids everywhere, complete rows, no implied default-channel joins.
  func seedTeamsAndChannels() -> ([SeedTeam], [SeedChannel]) {
    func member(_ userID: String, _ f: SchemeFlags, deleteAt: Int64?) -> SeedMember {
      var m = SeedMember(user: "", scheme_admin: f.admin, delete_at: deleteAt)
      m.user = nil
      m.user_id = userID
      m.scheme_user = f.user
      m.scheme_guest = f.guest
      m.explicit_roles = f.explicitRoles
      m.join_default_channels = deleteAt == nil ? nil : false
      return m
    }
    let teamList = teams.values.sorted { $0.name < $1.name }.map { t in
      var s = SeedTeam(name: t.name)
      (s.id, s.display_name, s.allow_open_invite, s.allowed_domains) = (
        t.id, t.displayName, t.allowOpenInvite, t.allowedDomains
      )
      (s.group_constrained, s.scheme_id, s.email, s.delete_at) = (t.groupConstrained, t.schemeID, t.email, t.deleteAt)
      s.default_channels = false
      s.members = (teamMembers[t.id] ?? [:]).values.sorted { $0.userID < $1.userID }.map {
        member($0.userID, $0.flags, deleteAt: $0.deleteAt)
      }
      return s
    }
    let channelList = channels.values.sorted { ($0.teamID, $0.name) < ($1.teamID, $1.name) }.map { c in
      var s = SeedChannel(team: "", name: c.name, type: c.type)
      (s.team, s.team_id, s.id, s.display_name) = (nil, c.teamID, c.id, c.displayName)
      (s.delete_at, s.group_constrained, s.scheme_id) = (c.deleteAt, c.groupConstrained, c.schemeID)
      s.members = (channelMembers[c.id] ?? [:]).values.sorted { $0.userID < $1.userID }.map {
        member($0.userID, $0.flags, deleteAt: nil)
      }
      return s
    }
    return (teamList, channelList)
  }
}
