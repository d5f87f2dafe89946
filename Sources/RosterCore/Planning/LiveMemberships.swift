/// A team as the server lists it (`GET /teams`), reduced to what membership planning reads.
public struct LiveTeam: Sendable, Equatable {
  public var id: String
  /// The URL slug: the key, never the display name.
  public var name: String
  public var displayName: String
  public var deleteAt: Int64
  /// Synced from groups: the server refuses adding anyone outside them and removing anyone but self.
  public var groupConstrained: Bool
  /// `allowed_domains`, as written (comma- or space-separated, possibly with `@`).
  public var allowedDomains: String

  public init(
    id: String, name: String, displayName: String = "", deleteAt: Int64 = 0, groupConstrained: Bool = false,
    allowedDomains: String = ""
  ) {
    self.id = id
    self.name = name
    self.displayName = displayName
    self.deleteAt = deleteAt
    self.groupConstrained = groupConstrained
    self.allowedDomains = allowedDomains
  }
}

/// A public or private channel of a team.
public struct LiveChannel: Sendable, Equatable {
  public var id: String
  public var teamID: String
  public var name: String
  /// `O` public or `P` private; DM and GM channels are never read.
  public var type: String
  public var deleteAt: Int64
  public var groupConstrained: Bool

  public init(
    id: String, teamID: String, name: String, type: String = "O", deleteAt: Int64 = 0, groupConstrained: Bool = false
  ) {
    self.id = id
    self.teamID = teamID
    self.name = name
    self.type = type
    self.deleteAt = deleteAt
    self.groupConstrained = groupConstrained
  }
}

/// One user's membership of a team or a channel: the scheme flags the server keeps
/// (model/team_member.go, model/channel_member.go), never its computed `roles` string.
public struct LiveMember: Sendable, Equatable, Hashable {
  /// The team's or the channel's id.
  public var containerID: String
  public var userID: String
  public var schemeAdmin: Bool
  public var schemeGuest: Bool

  public init(containerID: String, userID: String, schemeAdmin: Bool = false, schemeGuest: Bool = false) {
    self.containerID = containerID
    self.userID = userID
    self.schemeAdmin = schemeAdmin
    self.schemeGuest = schemeGuest
  }
}

/// The server's team settings that decide whether a membership change will be refused
/// (`GET /config` TeamSettings and GuestAccountsSettings).
public struct TeamSettings: Sendable, Equatable {
  /// TeamSettings.MaxUsersPerTeam (model/config.go default 50).
  public var maxUsersPerTeam: Int
  /// TeamSettings.RestrictCreationToDomains, as written.
  public var restrictCreationToDomains: String
  /// GuestAccountsSettings.RestrictCreationToDomains, as written.
  public var guestRestrictCreationToDomains: String
  /// The channels every non-guest joins with a team: town-square, and off-topic or
  /// TeamSettings.ExperimentalDefaultChannels in its place (app/teams/utils.go DefaultChannelNames).
  public var defaultChannels: [String]

  public init(
    maxUsersPerTeam: Int = 50, restrictCreationToDomains: String = "", guestRestrictCreationToDomains: String = "",
    defaultChannels: [String] = ["town-square", "off-topic"]
  ) {
    self.maxUsersPerTeam = maxUsersPerTeam
    self.restrictCreationToDomains = restrictCreationToDomains
    self.guestRestrictCreationToDomains = guestRestrictCreationToDomains
    self.defaultChannels = defaultChannels
  }
}

/// The teams and channels a manifest names, and their members as far as they were read. Reads are
/// scoped: only named teams and channels, and for each either every member (`complete`) or the
/// declared users' memberships alone.
public struct LiveMemberships: Sendable {
  public var teams: [LiveTeam]
  public var channels: [LiveChannel]
  /// Active team memberships (rows with `delete_at == 0` only).
  public var teamMembers: [LiveMember]
  public var channelMembers: [LiveMember]
  /// Teams and channels (by id) whose whole member list was read; elsewhere only the declared users'
  /// memberships are known, so members nobody declares cannot be judged there.
  public var complete: Set<String>
  public var settings: TeamSettings
  /// Members of each team the manifest names (GET /teams/{id}/stats `total_member_count`), by team id:
  /// the room MaxUsersPerTeam leaves is judged on it.
  public var memberCounts: [String: Int] = [:]

  public init(
    teams: [LiveTeam] = [], channels: [LiveChannel] = [], teamMembers: [LiveMember] = [],
    channelMembers: [LiveMember] = [], complete: Set<String> = [], settings: TeamSettings = TeamSettings()
  ) {
    self.teams = teams
    self.channels = channels
    self.teamMembers = teamMembers
    self.channelMembers = channelMembers
    self.complete = complete
    self.settings = settings
  }

  /// The memberships read: the base of `max_membership_removals`.
  public var inScope: Int { teamMembers.count + channelMembers.count }
}

/// What a plan must read of memberships: the memberships of every user whose `teams` the manifest
/// manages, and the whole member list of each team and channel whose `unmanaged_members` is `remove`.
public struct MembershipNeeds: Sendable, Equatable {
  /// Usernames (current and previous) whose team and channel memberships are managed.
  public var users: [String]
  /// Team names users declare: their member counts are read for the MaxUsersPerTeam headroom.
  public var declaredTeams: [String] = []
  /// Team names whose every member is read (registry `unmanaged_members: remove`).
  public var fullTeams: [String]
  /// Channels (`team/channel`) whose every member is read.
  public var fullChannels: [String]
  /// Accounts by id whose memberships are read as well (a saved plan names its accounts by id).
  public var userIDs: [String] = []
  /// Every manageable user's memberships (export), whatever `users` says.
  public var everyone = false
  /// Every team the manifest names (any user's `teams`, the registry), and every channel as
  /// `team/channel`, whoever `--only` targets: the planner looks each up, and a name the server lacks is
  /// an error (a warning for users `--only` leaves out). Nil when unknown (apply, export): the reader
  /// then lists every team and channel.
  public var namedTeams: [String]?
  public var namedChannels: [String] = []

  /// Every manageable user's memberships.
  public static var all: MembershipNeeds {
    var needs = MembershipNeeds(users: [])
    needs.everyone = true
    return needs
  }

  public init(users: [String], fullTeams: [String] = [], fullChannels: [String] = []) {
    self.users = users
    self.fullTeams = fullTeams
    self.fullChannels = fullChannels
  }

  /// Nil when no user declares `teams` and the registry removes nobody: nothing is read. `only` (the
  /// `--only` names) reads just those users' memberships, and no whole member list: removals of
  /// members nobody declares are not targeted.
  public init?(_ manifest: Manifest, only: Set<String>? = nil) {
    let specs = manifest.users.filter { spec in
      spec.teams != nil && (only.map { names in spec.names.contains(where: names.contains) } ?? true)
    }
    let users = specs.flatMap(\.names)
    let teams = only != nil ? [] : manifest.teams.filter { $0.value.unmanagedMembers == .remove }.map(\.key).sorted()
    let channels =
      only != nil
      ? []
      : manifest.teams.flatMap { team in
        team.value.channels.filter { $0.value.unmanagedMembers == .remove }.map { team.key + "/" + $0.key }
      }.sorted()
    guard !users.isEmpty || !teams.isEmpty || !channels.isEmpty else { return nil }
    self.init(users: users, fullTeams: teams, fullChannels: channels)
    declaredTeams = Set(specs.flatMap { ($0.teams ?? [:]).keys }).sorted()
    let everyTeams = manifest.users.compactMap(\.teams)
    namedTeams = Set(everyTeams.flatMap(\.keys) + manifest.teams.keys).sorted()
    namedChannels = Set(
      everyTeams.flatMap { teams in
        teams.flatMap { team, spec in (spec.channels ?? [:]).keys.map { team + "/" + $0 } }
      } + manifest.teams.flatMap { team, policy in policy.channels.keys.map { team + "/" + $0 } }
    ).sorted()
  }
}
