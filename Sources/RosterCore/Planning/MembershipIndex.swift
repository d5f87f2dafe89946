/// The live teams, channels and members, indexed the ways membership planning asks for them.
struct MembershipIndex {
  let teamsByID: [String: LiveTeam]
  let channelsByID: [String: LiveChannel]
  private let teamsByName: [String: LiveTeam]
  private let channelsByName: [String: LiveChannel]  // "teamID/name"
  private let teamRowsByUser: [String: [LiveMember]]
  private let channelRowsByUser: [String: [LiveMember]]
  let settings: TeamSettings
  let complete: Set<String>
  let memberships: LiveMemberships

  init(_ live: LiveMemberships) {
    memberships = live
    teamsByID = Dictionary(live.teams.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    channelsByID = Dictionary(live.channels.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    // An archived team keeps its name; a live team of the same name wins.
    var byName: [String: LiveTeam] = [:]
    for team in live.teams where byName[team.name].map({ $0.deleteAt != 0 }) ?? true { byName[team.name] = team }
    teamsByName = byName
    var channels: [String: LiveChannel] = [:]
    for channel in live.channels where channels[channel.teamID + "/" + channel.name].map({ $0.deleteAt != 0 }) ?? true {
      channels[channel.teamID + "/" + channel.name] = channel
    }
    channelsByName = channels
    teamRowsByUser = Dictionary(grouping: live.teamMembers, by: \.userID)
    channelRowsByUser = Dictionary(grouping: live.channelMembers, by: \.userID)
    settings = live.settings
    complete = live.complete
  }

  /// A team that is not archived, by name.
  func team(named name: String) -> LiveTeam? { teamsByName[name].flatMap { $0.deleteAt == 0 ? $0 : nil } }

  func channel(_ teamID: String, _ name: String) -> LiveChannel? { channelsByName[teamID + "/" + name] }

  func teamMember(_ teamID: String, _ userID: String) -> LiveMember? {
    teamRowsByUser[userID]?.first { $0.containerID == teamID }
  }

  func teamRows(of userID: String) -> [LiveMember] { teamRowsByUser[userID] ?? [] }

  /// The user's channel memberships in one team, by channel id.
  func channelMembers(of userID: String, in teamID: String) -> [String: LiveMember] {
    var out: [String: LiveMember] = [:]
    for row in channelRowsByUser[userID] ?? [] where channelsByID[row.containerID]?.teamID == teamID {
      out[row.containerID] = row
    }
    return out
  }

  /// Why the server would refuse adding this address to the team, or nil. app/teams IsTeamEmailAllowed:
  /// guests are held to GuestAccountsSettings.RestrictCreationToDomains, everyone else to the team's
  /// allowed_domains and then TeamSettings.RestrictCreationToDomains; each non-empty list must match
  /// (isEmailAddressAllowed), its entries split on spaces, commas and `@` (normalizeDomains).
  func domainRefusal(_ team: LiveTeam, email: String, guest: Bool) -> String? {
    let lists =
      guest ? [settings.guestRestrictCreationToDomains] : [team.allowedDomains, settings.restrictCreationToDomains]
    let address = email.lowercased()
    for list in lists {
      let domains = list.lowercased().split { $0 == " " || $0 == "," || $0 == "@" || $0 == "\t" || $0 == "\n" }
      guard !domains.isEmpty else { continue }
      if !domains.contains(where: { address.hasSuffix("@" + $0) }) {
        return "\(email) is not in the allowed domains (\(domains.joined(separator: ", "))); the server refuses it "
          + "(api.team.join_user_to_team.allowed_domains.app_error)"
      }
    }
    return nil
  }

  func suggestTeam(_ name: String) -> String {
    Self.suggestion(name, among: teamsByName.values.filter { $0.deleteAt == 0 }.map(\.name))
  }

  func suggestChannel(_ teamID: String, _ name: String) -> String {
    Self.suggestion(name, among: channelsByID.values.filter { $0.teamID == teamID && $0.deleteAt == 0 }.map(\.name))
  }

  /// " (did you mean eng?)" for a close name, else "".
  static func suggestion(_ name: String, among names: [String]) -> String {
    Suggest.closest(to: name, in: names.sorted()).map { " (did you mean \($0)?)" } ?? ""
  }
}
