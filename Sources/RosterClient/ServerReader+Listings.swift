#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
import RosterCore

/// The teams and channels a membership read needs, and what reading them has already taught.
struct Listings: Sendable {
  var teams: [LiveTeam] = []
  /// Public and private channels, archived ones included.
  var channels: [LiveChannel] = []
  /// Every channel of the server is listed: a team's channels may be read whole.
  var allChannels = true
  /// The managed users' active team rows, when the scoped route had to read them first.
  var teamRows: [LiveMember]?
}

/// The listings, by the cheaper of two routes. The planner looks up every team and channel the manifest
/// names and every team and channel a managed user is in; nothing else. So the listings
/// (`GET /teams`, `GET /channels?include_deleted=true`, ⌊n/200⌋+1 pages each) are replaced by lookups
/// when those cost fewer requests:
/// - teams: `GET /teams/name/{name}` per named team, `GET /teams/{id}` per team a managed user is in
///   that is not named (api4/team.go getTeamByName, getTeam);
/// - channels: `GET /users/{u}/channels?include_deleted=true` per managed user in a live team
///   (api4/channel.go getChannelsForUser: every channel of the user, archived ones on request, streamed
///   whole in one answer; DMs and GMs dropped here as the listing has none), then
///   `GET /teams/name/{t}/channels/name/{c}?include_deleted=true` per named channel none of them is in.
/// The listing's size is not known before reading, so its page 0 is read with `include_total_count`:
/// it is the listing's own first page when the listing wins, costs one request when the lookups win,
/// and settles the small server in that one request. The names on it need no lookup.
/// A named team or channel the server lacks (or an archived team) makes the planner suggest a close
/// name from the whole list, so the rest of that listing is read then: the plan is the one the whole
/// listing gives. Lookups only where each user's rows come per user: the manifest's names are known
/// (plan), no registry list is read whole, and there are no more users than teams.
extension ServerReader {
  func listings(_ needs: MembershipNeeds, managed: [String]) async throws(APIFailure) -> Listings {
    var out = Listings()
    guard let namedTeams = needs.namedTeams, !needs.everyone, needs.fullTeams.isEmpty, needs.fullChannels.isEmpty
    else {
      out.teams = try await pages("/teams", TeamBody.self).map(\.live)
      out.channels = try await pages("/channels", ChannelBody.self, query: "include_deleted=true").map(\.live)
        .filter(\.isListed)
      return out
    }
    let first = try await firstPage("/teams", TeamBody.self)
    out.teams = first.rows.map(\.live)
    let restOfTeams = Self.pagesAfter(first)
    if managed.count > first.total || restOfTeams == 0 {
      if restOfTeams > 0 { out.teams += try await pages("/teams", TeamBody.self, from: 1).map(\.live) }
      out.channels = try await pages("/channels", ChannelBody.self, query: "include_deleted=true").map(\.live)
        .filter(\.isListed)
      return out
    }
    let rows = try await userTeamRows(managed)
    out.teamRows = rows
    out.teams = try await scopedTeams(out.teams, named: namedTeams, rows: rows, rest: restOfTeams)
    out = try await scopedChannels(out, named: needs.namedChannels)
    return out
  }

  /// The managed users' active team rows, one request a user. Every row, left teams included, comes
  /// back (memberships-server.md A5 rule 2): only delete_at == 0 is a membership.
  func userTeamRows(_ managed: [String]) async throws(APIFailure) -> [LiveMember] {
    try await concurrently(managed, width: options.parallelism) { id throws(APIFailure) in
      try await list("/users/\(try ServerID.checked(id))/teams/members", MemberBody.self).filter { $0.delete_at == 0 }
    }.flatMap { $0 }.map { $0.live(team: true) }
  }

  private func scopedTeams(_ first: [LiveTeam], named: [String], rows: [LiveMember], rest: Int)
    async throws(APIFailure) -> [LiveTeam]
  {
    let names = Set(first.map(\.name))
    let missingNames = named.filter { !names.contains($0) }
    let missingIDs = Set(rows.map(\.containerID)).subtracting(first.map(\.id)).sorted()
    let restOfListing = { () async throws(APIFailure) -> [LiveTeam] in
      first + (try await self.pages("/teams", TeamBody.self, from: 1).map(\.live))
    }
    if rest <= missingNames.count + missingIDs.count { return try await restOfListing() }
    let width = options.parallelism
    let byName = try await concurrently(missingNames, width: width) { name throws(APIFailure) in
      try await lookup("/teams/name/\(Self.pathSegment(name))", TeamBody.self)?.live
    }
    let found = byName.compactMap { $0 }
    if found.count < missingNames.count || found.contains(where: { $0.deleteAt != 0 })
      || first.contains(where: { named.contains($0.name) && $0.deleteAt != 0 })
    {
      return try await restOfListing()
    }
    let known = Set(found.map(\.id))
    let byID = try await concurrently(missingIDs.filter { !known.contains($0) }, width: width) {
      id throws(APIFailure) in
      try await lookup("/teams/\(try ServerID.checked(id))", TeamBody.self)?.live
    }
    return first + found + byID.compactMap { $0 }
  }

  private func scopedChannels(_ listed: Listings, named: [String]) async throws(APIFailure) -> Listings {
    var out = listed
    let first = try await firstPage("/channels", ChannelBody.self, query: "include_deleted=true")
    var channels = first.rows.map(\.live).filter(\.isListed)
    let rest = Self.pagesAfter(first)
    let live = Dictionary(
      out.teams.filter { $0.deleteAt == 0 }.map { ($0.name, $0.id) }, uniquingKeysWith: { a, _ in a })
    let liveIDs = Set(live.values)
    // A channel under a team the server lacks is never looked at: the team is the planner's error.
    let wanted = named.compactMap { path -> (team: String, id: String, channel: String)? in
      let parts = path.split(separator: "/", maxSplits: 1).map(String.init)
      guard parts.count == 2, let id = live[parts[0]] else { return nil }
      return (parts[0], id, parts[1])
    }
    let readers = Set((out.teamRows ?? []).filter { liveIDs.contains($0.containerID) }.map(\.userID)).sorted()
    func missing(_ channels: [LiveChannel]) -> [(team: String, id: String, channel: String)] {
      let have = Set(channels.map { $0.teamID + "/" + $0.name })
      return wanted.filter { !have.contains($0.id + "/" + $0.channel) }
    }
    let restOfListing = { () async throws(APIFailure) -> [LiveChannel] in
      try await self.pages("/channels", ChannelBody.self, query: "include_deleted=true", from: 1).map(\.live)
        .filter(\.isListed)
    }
    if rest <= readers.count + missing(channels).count {
      out.channels = channels + (rest == 0 ? [] : try await restOfListing())
      return out
    }
    let width = options.parallelism
    channels += try await concurrently(readers, width: width) { user throws(APIFailure) in
      try await list("/users/\(try ServerID.checked(user))/channels?include_deleted=true", ChannelBody.self)
        .map(\.live).filter(\.isListed)
    }.flatMap { $0 }
    let absent = missing(channels)
    let looked = try await concurrently(absent, width: width) { want throws(APIFailure) in
      try await lookup(
        "/teams/name/\(Self.pathSegment(want.team))/channels/name/\(Self.pathSegment(want.channel))"
          + "?include_deleted=true", ChannelBody.self)?.live
    }
    channels += looked.compactMap { $0 }
    if looked.contains(where: { $0 == nil }) { channels += try await restOfListing() }
    out.channels = Array(Dictionary(channels.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }).values)
    out.allChannels = looked.contains { $0 == nil }
    return out
  }

  /// The pages a listing takes after page 0: none after a short page, else ⌊total/200⌋ (at least one).
  static func pagesAfter<T>(_ first: (rows: [T], total: Int)) -> Int {
    first.rows.count < pageSize ? 0 : max(1, first.total / pageSize)
  }

  /// One object, or nil where the server has none (404).
  func lookup<T: Decodable>(_ path: String, _ type: T.Type) async throws(APIFailure) -> T? {
    do throws(APIFailure) {
      return try connection.json(T.self, try await connection.send("GET", path), path: path)
    } catch {
      if error.status == 404 { return nil }
      throw error
    }
  }

  /// A team or channel name in a URL path: names are lowercase letters, digits, `-` and `_`
  /// (model/team.go IsValidTeamName, model/channel.go IsValidChannelIdentifier); anything else is escaped.
  static func pathSegment(_ name: String) -> String {
    name.utf8.map { byte in
      let plain = (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) || byte == 0x2D || byte == 0x5F
      return plain ? String(UnicodeScalar(byte)) : "%" + String(byte, radix: 16, uppercase: true).leftPadded
    }.joined()
  }
}

extension String {
  fileprivate var leftPadded: String { count < 2 ? "0" + self : self }
}

extension LiveChannel {
  /// What `GET /channels` lists: public and private channels, never DMs or GMs.
  var isListed: Bool { type == "O" || type == "P" }
}
