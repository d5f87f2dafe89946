/// Checks a saved plan's membership steps against the server at apply time. A plan file is plain JSON:
/// an edited step must not add someone to a team or channel the plan did not name, take a place by a
/// name that is not its own, understate a team removal's cascade to slip under
/// `max_membership_removals`, or act on memberships that changed since the plan was made.
public enum MembershipCheck {
  public static func problems(_ steps: [Step], live: LiveState) -> [String] {
    let memberSteps = steps.filter { $0.membershipChange != nil }
    guard !memberSteps.isEmpty else { return [] }
    guard let server = live.memberships else { return ["the server's memberships were not read"] }
    let index = MembershipIndex(server)
    var problems: [String] = []
    for step in memberSteps {
      guard let change = step.membershipChange else { continue }
      let label = "step \(step.index + 1) (\(step.kind.rawValue) \(step.username))"
      var teamID: String
      switch change {
      case .addTeamMember(let t, _), .removeTeamMember(let t, _), .setTeamMemberRoles(let t, _):
        teamID = t.id
        guard let team = index.teamsByID[t.id], team.name == t.name, team.deleteAt == 0 else {
          problems.append("\(label): there is no team \(t.name) with id \(t.id)")
          continue
        }
        if team.groupConstrained { problems.append("\(label): team \(t.name) is group-constrained") }
      case .addChannelMember(let c, _), .removeChannelMember(let c), .setChannelMemberRoles(let c, _):
        guard let channel = index.channelsByID[c.id], channel.name == c.name, channel.deleteAt == 0,
          index.teamsByID[channel.teamID]?.name == c.team
        else {
          problems.append("\(label): there is no channel \(c.path) with id \(c.id)")
          continue
        }
        teamID = channel.teamID
        if channel.groupConstrained { problems.append("\(label): channel \(c.path) is group-constrained") }
      }
      guard let userID = step.userID else { continue }  // a user this plan creates has no memberships yet
      if change.isDestructive && userID == live.acting.id {
        problems.append("\(label): roster never removes the acting user from a team or channel")
      }
      if change.isDestructive && userID == live.actingBotOwnerID {
        problems.append("\(label): \(step.username) owns the bot roster runs as")
      }
      // roster's schemeRoles call makes the member a user (rule 11): never for a guest.
      let schemeRoles: Bool
      switch change {
      case .addTeamMember(_, let admin), .addChannelMember(_, let admin): schemeRoles = admin
      case .setTeamMemberRoles, .setChannelMemberRoles: schemeRoles = true
      default: schemeRoles = false
      }
      if schemeRoles, live.users.first(where: { $0.id == userID })?.isGuest == true {
        problems.append("\(label): \(step.username) is a guest; roster sets no team or channel role for a guest")
      }
      let changed = "\(label): the server changed since the plan was made"
      switch change {
      case .addTeamMember(let t, _):
        if index.teamMember(t.id, userID) != nil { problems.append("\(changed) (already in team \(t.name))") }
      case .removeTeamMember(let t, let cascade):
        if index.teamMember(t.id, userID) == nil { problems.append("\(changed) (not in team \(t.name))") }
        let actual = index.channelMembers(of: userID, in: teamID).count
        if cascade < actual {
          problems.append(
            "\(label): cascade \(cascade) understates the \(actual) channel memberships leaving with team \(t.name)")
        }
      case .setTeamMemberRoles(let t, let admin):
        if index.teamMember(t.id, userID)?.schemeAdmin != !admin {
          problems.append("\(changed) (team \(t.name) roles)")
        }
      case .addChannelMember(let c, _):
        if index.channelMembers(of: userID, in: teamID)[c.id] != nil {
          problems.append("\(changed) (already in \(c.path))")
        }
      case .removeChannelMember(let c):
        if index.channelMembers(of: userID, in: teamID)[c.id] == nil {
          problems.append("\(changed) (not in \(c.path))")
        }
      case .setChannelMemberRoles(let c, let admin):
        if let row = index.channelMembers(of: userID, in: teamID)[c.id], row.schemeAdmin == admin {
          problems.append("\(changed) (\(c.path) roles)")
        }
      }
    }
    return problems
  }

  /// After apply: what a fresh read shows that the membership steps did not do.
  public static func unmet(_ steps: [Step], after live: LiveState) -> [String] {
    guard let server = live.memberships else { return [] }
    let index = MembershipIndex(server)
    let byName = UserIndex(live.users, .username)
    var out: [String] = []
    for step in steps {
      guard let change = step.membershipChange else { continue }
      guard let userID = byName[step.username]?.id else {
        out.append("\(step.username): not found after \(step.kind.rawValue)")
        continue
      }
      let name = step.username
      switch change {
      case .addTeamMember(let t, let admin), .setTeamMemberRoles(let t, let admin):
        guard let row = index.teamMember(t.id, userID) else {
          out.append("\(name) is not in team \(t.name)")
          continue
        }
        if row.schemeAdmin != admin && (admin || change.kind == .setTeamMemberRoles) {
          out.append("\(name): admin of team \(t.name) is \(row.schemeAdmin), not \(admin)")
        }
      case .removeTeamMember(let t, _):
        if index.teamMember(t.id, userID) != nil { out.append("\(name) is still in team \(t.name)") }
      case .addChannelMember(let c, let admin), .setChannelMemberRoles(let c, let admin):
        let teamID = index.channelsByID[c.id]?.teamID ?? ""
        guard let row = index.channelMembers(of: userID, in: teamID)[c.id] else {
          out.append("\(name) is not in channel \(c.path)")
          continue
        }
        if row.schemeAdmin != admin {
          out.append("\(name): admin of channel \(c.path) is \(row.schemeAdmin), not \(admin)")
        }
      case .removeChannelMember(let c):
        let teamID = index.channelsByID[c.id]?.teamID ?? ""
        if index.channelMembers(of: userID, in: teamID)[c.id] != nil {
          out.append("\(name) is still in channel \(c.path)")
        }
      }
    }
    return out
  }
}
