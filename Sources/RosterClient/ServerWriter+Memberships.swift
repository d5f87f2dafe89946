#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
import RosterCore

/// The membership calls apply makes, in batches where the server has them
/// (shared/design/memberships-server.md A4).
public protocol MembershipWriting: Sendable {
  /// POST /teams/{id}/members/batch?graceful=true (at most `teamBatchLimit` users): each user's failure,
  /// or nil for a user now in the team. Without `graceful` the server stops at the first error after
  /// adding the users before it (app/team.go AddTeamMembers), so roster always asks for it.
  func addTeamMembers(_ teamID: String, _ userIDs: [String]) async throws(APIFailure) -> [String: APIFailure?]
  /// DELETE /teams/{id}/members/{user}: the server also takes the user out of every channel of the team.
  func removeTeamMember(_ teamID: String, _ userID: String) async throws(APIFailure)
  /// PUT /teams/{id}/members/{user}/schemeRoles with all three flags.
  func setTeamMemberAdmin(_ teamID: String, _ userID: String, admin: Bool) async throws(APIFailure)
  /// POST /channels/{id}/members with `user_ids` (at most `channelBatchLimit`): the users now in the
  /// channel. The server answers 201 with only the members it added unless all failed, so the caller
  /// diffs the ids; a server from before `user_ids` refuses it with 400, and then each user is added alone.
  func addChannelMembers(_ channelID: String, _ userIDs: [String]) async throws(APIFailure) -> Set<String>
  func removeChannelMember(_ channelID: String, _ userID: String) async throws(APIFailure)
  func setChannelMemberAdmin(_ channelID: String, _ userID: String, admin: Bool) async throws(APIFailure)
}

/// model/team.go MaxAddMembersBatch.
public let teamBatchLimit = 256
/// api4/channel.go addChannelMember maxListSize.
public let channelBatchLimit = 1000

/// `{scheme_admin, scheme_user, scheme_guest}`: always all three, an admin a user too (rule 16); roster
/// never changes the guest flag here (the schemeRoles route does not check it: rule 11).
struct SchemeRolesBody: Encodable {
  var scheme_admin: Bool
  var scheme_user = true
  var scheme_guest = false
}

extension ServerWriter {
  public func addTeamMembers(_ teamID: String, _ userIDs: [String]) async throws(APIFailure) -> [String: APIFailure?] {
    let path = "/teams/\(try ServerID.checked(teamID))/members/batch?graceful=true"
    struct Member: Encodable {
      var team_id: String
      var user_id: String
    }
    let body = APIJSON.body(userIDs.map { Member(team_id: teamID, user_id: $0) })
    let response = try await connection.send("POST", path, body: body)
    // model/team_member.go TeamMemberWithError.
    struct Result: Decodable {
      var user_id: String
      var error: ErrorBody?
    }
    struct ErrorBody: Decodable {
      var id: String?
      var message: String?
      var status_code: Int?
    }
    var out: [String: APIFailure?] = [:]
    for result in try connection.json([Result].self, response, path: path) {
      // updateValue, not subscript assignment: assigning nil would drop the key, and a user who was
      // added would read as one the answer does not mention.
      out.updateValue(
        result.error.map {
          APIFailure(
            method: "POST", path: path, status: $0.status_code ?? 400, id: $0.id, message: $0.message ?? "refused",
            ambiguous: false)
        }, forKey: result.user_id)
    }
    return out
  }

  public func removeTeamMember(_ teamID: String, _ userID: String) async throws(APIFailure) {
    _ = try await connection.send(
      "DELETE", "/teams/\(try ServerID.checked(teamID))/members/\(try ServerID.checked(userID))")
  }

  public func setTeamMemberAdmin(_ teamID: String, _ userID: String, admin: Bool) async throws(APIFailure) {
    let path = "/teams/\(try ServerID.checked(teamID))/members/\(try ServerID.checked(userID))/schemeRoles"
    _ = try await connection.send("PUT", path, body: APIJSON.body(SchemeRolesBody(scheme_admin: admin)))
  }

  public func addChannelMembers(_ channelID: String, _ userIDs: [String]) async throws(APIFailure) -> Set<String> {
    let path = "/channels/\(try ServerID.checked(channelID))/members"
    struct Member: Decodable { var user_id: String }
    do {
      let response = try await connection.send("POST", path, body: APIJSON.body(["user_ids": userIDs]))
      return Set(try connection.json([Member].self, response, path: path).map(\.user_id))
    } catch  where error.status == 400 && error.id == "api.context.invalid_body_param.app_error" {
      // A server from before `user_ids` (mattermost#28210): one user per call. A user the server refuses
      // (4xx) is left out of the answer, as the batch form leaves out those it could not add; the others
      // still go in.
      var added = Set<String>()
      for id in userIDs {
        do {
          let response = try await connection.send("POST", path, body: APIJSON.body(["user_id": id]))
          added.insert(try connection.json(Member.self, response, path: path).user_id)
        } catch  where (400..<500).contains(error.status) && error.status != 429 {
          continue
        }
      }
      return added
    }
  }

  /// A user who is not a member any more (a repeat, or a cascade) is already where the step wants.
  public func removeChannelMember(_ channelID: String, _ userID: String) async throws(APIFailure) {
    do {
      _ = try await connection.send(
        "DELETE", "/channels/\(try ServerID.checked(channelID))/members/\(try ServerID.checked(userID))")
    } catch  where error.status == 404 && error.id == "app.channel.get_member.missing.app_error" {
      return
    }
  }

  public func setChannelMemberAdmin(_ channelID: String, _ userID: String, admin: Bool) async throws(APIFailure) {
    let path = "/channels/\(try ServerID.checked(channelID))/members/\(try ServerID.checked(userID))/schemeRoles"
    _ = try await connection.send("PUT", path, body: APIJSON.body(SchemeRolesBody(scheme_admin: admin)))
  }
}
