/// A guest's last channel in a team (shared/design/memberships-server.md A5 rule 11): when a channel
/// removal leaves a guest in no channel of the team, the server takes the guest out of the team too
/// (server/channels/app/channel.go removeUserFromChannel: after the removal, a guest whose
/// GetChannelMembersForUser(team) is empty is removed through RemoveTeamMember, and
/// postProcessTeamMemberLeave runs). That count includes archived channels (the store query
/// GetMembersForUser has no DeleteAt filter) and direct and group messages (TeamId '').
/// A guest with no channel who is not removed from one stays in the team: the rule runs on removal only.
extension PlanBuilder {
  mutating func checkGuestLastChannels(_ index: MembershipIndex) {
    var removals: [GuestTeamKey: [ChannelRef]] = [:]
    var adds: [GuestTeamKey: Set<String>] = [:]
    var leaves: Set<GuestTeamKey> = []
    for step in steps {
      guard let userID = step.userID, let change = step.membershipChange else { continue }
      switch change {
      case .removeChannelMember(let channel):
        guard let teamID = index.channelsByID[channel.id]?.teamID else { continue }
        removals[GuestTeamKey(userID: userID, teamID: teamID, username: step.username), default: []].append(channel)
      case .addChannelMember(let channel, _):
        guard let teamID = index.channelsByID[channel.id]?.teamID else { continue }
        adds[GuestTeamKey(userID: userID, teamID: teamID, username: step.username), default: []].insert(channel.id)
      case .removeTeamMember(let team, _):
        leaves.insert(GuestTeamKey(userID: userID, teamID: team.id, username: step.username))
      default: continue
      }
    }
    guard !removals.isEmpty else { return }
    let specs = Dictionary(manifest.users.map { ($0.username, $0) }, uniquingKeysWith: { a, _ in a })
    for (key, channels) in removals.sorted(by: { ($0.key.username, $0.key.teamID) < ($1.key.username, $1.key.teamID) })
    where !leaves.contains(key) && isGuest(key, specs[key.username]) {
      let teamName = index.teamsByID[key.teamID]?.name ?? key.teamID
      let names = channels.map(\.path).sorted().joined(separator: ", ")
      guard index.teamMember(key.teamID, key.userID) != nil else {
        // Team rows and channel rows are read together: without the team row, the guest's other
        // channels in this team were not read (a channel's member list names only its own members).
        warn(
          key.username,
          "is a guest: if \(names) is their last channel in team \(teamName), the server takes them out of team "
            + "\(teamName) as well (their other channels there were not read)")
        continue
      }
      let removed = Set(channels.map(\.id))
      let kept = index.channelMembers(of: key.userID, in: key.teamID).keys.filter { !removed.contains($0) }
      guard kept.isEmpty && (adds[key] ?? []).isEmpty else { continue }
      fail(
        key.username,
        "is a guest: removing them from \(names) leaves them in no channel of team \(teamName), and the server then "
          + "takes a guest out of the team too; keep one of their channels in \(teamName), or drop \(teamName) from "
          + "their teams")
    }
  }

  /// The role the steps leave: a declared `roles` (a promotion or demotion runs before memberships),
  /// else the server's.
  private func isGuest(_ key: GuestTeamKey, _ spec: UserSpec?) -> Bool {
    spec?.roles.map { $0 == ["system_guest"] } ?? accounts.byName[key.username]?.isGuest ?? false
  }
}

/// One user in one team.
struct GuestTeamKey: Hashable {
  var userID: String
  var teamID: String
  var username: String
}
