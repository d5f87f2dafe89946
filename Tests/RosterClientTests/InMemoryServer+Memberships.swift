import RosterClient
import RosterCore

/// Memberships in the in-memory server: team and channel members by container id, with the admin flag;
/// each call logged like the others (`add_team_members t1 u1,u2`), so tests can count calls.
extension InMemoryServer {
  func refuse(_ userID: String) { refusedMembers.insert(userID) }

  func addTeamMembers(_ teamID: String, _ userIDs: [String]) async throws(APIFailure) -> [String: APIFailure?] {
    try perform("add_team_members \(teamID) \(userIDs.joined(separator: ","))") { () throws(APIFailure) in
      var out: [String: APIFailure?] = [:]
      for id in userIDs {
        if refusedMembers.contains(id) {
          out[id] = APIFailure(
            method: "POST", path: teamID, status: 400, id: "api.team.join_user_to_team.allowed_domains.app_error",
            message: "refused", ambiguous: false)
        } else {
          members[teamID, default: [:]][id] = members[teamID]?[id] ?? false
          out[id] = .some(nil)
        }
      }
      return out
    }
  }

  func removeTeamMember(_ teamID: String, _ userID: String) async throws(APIFailure) {
    try perform("remove_team_member \(teamID) \(userID)") { members[teamID]?[userID] = nil }
  }

  func setTeamMemberAdmin(_ teamID: String, _ userID: String, admin: Bool) async throws(APIFailure) {
    try perform("set_team_admin \(teamID) \(userID) \(admin)") { members[teamID]?[userID] = admin }
  }

  func addChannelMembers(_ channelID: String, _ userIDs: [String]) async throws(APIFailure) -> Set<String> {
    try perform("add_channel_members \(channelID) \(userIDs.joined(separator: ","))") {
      let added = userIDs.filter { !refusedMembers.contains($0) }
      for id in added { members[channelID, default: [:]][id] = members[channelID]?[id] ?? false }
      return Set(added)
    }
  }

  func removeChannelMember(_ channelID: String, _ userID: String) async throws(APIFailure) {
    try perform("remove_channel_member \(channelID) \(userID)") { members[channelID]?[userID] = nil }
  }

  func setChannelMemberAdmin(_ channelID: String, _ userID: String, admin: Bool) async throws(APIFailure) {
    try perform("set_channel_admin \(channelID) \(userID) \(admin)") { members[channelID]?[userID] = admin }
  }
}
