/// Teams, channels and their memberships, with the indexes the routes need. A value type held by the
/// store actor; the rules live in the store's extensions, this only keeps rows and orders.
struct Organisation: Sendable {
  var teams: [String: TeamRecord] = [:]
  var teamIDByName: [String: String] = [:]
  var channels: [String: ChannelRecord] = [:]
  /// "team id/channel name" to channel id: names are unique per team, archived ones included
  /// (store.sql_channel.save_channel.exists.app_error).
  var channelIDByName: [String: String] = [:]
  var channelIDsByTeam: [String: [String]] = [:]
  /// Team id, then user id: every row, soft-deleted ones included.
  var teamMembers: [String: [String: TeamMemberRecord]] = [:]
  /// Channel id, then user id.
  var channelMembers: [String: [String: ChannelMemberRecord]] = [:]
  /// User id to the channel ids they are in, for the per-user reads and the team-leave cascade.
  var channelsByUser: [String: Set<String>] = [:]
  /// Bumped on every membership change of a channel: the member order is a shuffle seeded by it.
  var channelVersion: [String: UInt64] = [:]
  var posts: [SystemPost] = []
  /// Sorted member ids per team (by user id) or channel (shuffled), valid while the version matches.
  var orderCache: [String: (version: UInt64, ids: [String])] = [:]
  var teamVersion: [String: UInt64] = [:]

  // MARK: teams and channels

  mutating func add(_ team: TeamRecord) {
    teams[team.id] = team
    teamIDByName[team.name] = team.id
  }

  mutating func add(_ channel: ChannelRecord) {
    channels[channel.id] = channel
    channelIDByName[channel.teamID + "/" + channel.name] = channel.id
    channelIDsByTeam[channel.teamID, default: []].append(channel.id)
  }

  func team(named name: String) -> TeamRecord? { teamIDByName[name].flatMap { teams[$0] } }

  func channel(team teamID: String, named name: String) -> ChannelRecord? {
    channelIDByName[teamID + "/" + name].flatMap { channels[$0] }
  }

  // MARK: team members

  func teamMember(_ teamID: String, _ userID: String) -> TeamMemberRecord? { teamMembers[teamID]?[userID] }

  func activeTeamMember(_ teamID: String, _ userID: String) -> TeamMemberRecord? {
    teamMember(teamID, userID).flatMap { $0.isActive ? $0 : nil }
  }

  mutating func put(_ member: TeamMemberRecord) {
    teamMembers[member.teamID, default: [:]][member.userID] = member
    teamVersion[member.teamID, default: 0] &+= 1
  }

  func activeMemberCount(_ teamID: String) -> Int {
    teamMembers[teamID]?.values.count { $0.isActive } ?? 0
  }

  /// Active members ordered by user id (store team_store.go GetMembers: `DeleteAt = 0 ORDER BY UserId`).
  mutating func orderedTeamMemberIDs(_ teamID: String) -> [String] {
    let version = teamVersion[teamID, default: 0]
    if let cached = orderCache["t" + teamID], cached.version == version { return cached.ids }
    let ids = (teamMembers[teamID] ?? [:]).values.filter(\.isActive).map(\.userID).sorted()
    orderCache["t" + teamID] = (version, ids)
    return ids
  }

  // MARK: channel members

  func channelMember(_ channelID: String, _ userID: String) -> ChannelMemberRecord? {
    channelMembers[channelID]?[userID]
  }

  mutating func put(_ member: ChannelMemberRecord) {
    channelMembers[member.channelID, default: [:]][member.userID] = member
    channelsByUser[member.userID, default: []].insert(member.channelID)
    channelVersion[member.channelID, default: 0] &+= 1
  }

  mutating func removeChannelMember(_ channelID: String, _ userID: String) {
    channelMembers[channelID]?[userID] = nil
    channelsByUser[userID]?.remove(channelID)
    channelVersion[channelID, default: 0] &+= 1
  }

  /// The channel's members in no meaningful order: store channel_store.go GetMembers pages with
  /// LIMIT/OFFSET and no ORDER BY. The order is a shuffle seeded by the channel's membership version:
  /// stable while nothing changes (so a quiet channel pages consistently, as a database usually does),
  /// different after every add or removal (so paging across writes skips or repeats rows and clients
  /// must dedupe by user id), and never the user-id order a client could come to rely on.
  mutating func shuffledChannelMemberIDs(_ channelID: String) -> [String] {
    let version = channelVersion[channelID, default: 0]
    if let cached = orderCache["c" + channelID], cached.version == version { return cached.ids }
    let salt = Self.hash(channelID) &+ version &* 0x9E37_79B9_7F4A_7C15
    let ids = (channelMembers[channelID] ?? [:]).keys.sorted { a, b in
      let (x, y) = (Self.hash(a) ^ salt, Self.hash(b) ^ salt)
      return x == y ? a < b : x < y
    }
    orderCache["c" + channelID] = (version, ids)
    return ids
  }

  /// FNV-1a, so the shuffle is the same on every run and platform.
  static func hash(_ s: String) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in s.utf8 {
      h ^= UInt64(b)
      h = h &* 0x100_0000_01b3
    }
    return h
  }

  /// The user's channel memberships in one team, archived channels included.
  func channelIDs(of userID: String, inTeam teamID: String) -> [String] {
    (channelsByUser[userID] ?? []).filter { channels[$0]?.teamID == teamID }.sorted()
  }
}
