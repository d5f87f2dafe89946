#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
import RosterCore

extension ServerReader {
  /// GET /config's team settings. Without them roster would guess the default channels and the team size
  /// limit, so a failed read stops the plan.
  func teamSettings() async throws(APIFailure) -> TeamSettings {
    struct Config: Decodable {
      struct Team: Decodable {
        var MaxUsersPerTeam: Int?
        var RestrictCreationToDomains: String?
        var ExperimentalDefaultChannels: [String]?
      }
      struct Guests: Decodable { var RestrictCreationToDomains: String? }
      var TeamSettings: Team?
      var GuestAccountsSettings: Guests?
    }
    var settings = TeamSettings()
    let config = try connection.json(Config.self, try await connection.send("GET", "/config"), path: "/config")
    if let max = config.TeamSettings?.MaxUsersPerTeam { settings.maxUsersPerTeam = max }
    settings.restrictCreationToDomains = config.TeamSettings?.RestrictCreationToDomains ?? ""
    settings.guestRestrictCreationToDomains = config.GuestAccountsSettings?.RestrictCreationToDomains ?? ""
    // app/teams/utils.go DefaultChannelNames: town-square always, then the configured ones or off-topic.
    let extra = config.TeamSettings?.ExperimentalDefaultChannels ?? []
    settings.defaultChannels = ["town-square"] + (extra.isEmpty ? ["off-topic"] : extra.filter { $0 != "town-square" })
    return settings
  }

  /// Every page of `base` at 200 a page, until a short one (the server clamps `per_page` to 200: rule 1);
  /// `from` skips the pages already read.
  func pages<T: Decodable & Sendable>(
    _ base: String, _ type: T.Type, query: String = "", from: Int = 0
  ) async throws(APIFailure) -> [T] {
    var all: [T] = []
    for page in from..<(Self.maxObjects / Self.pageSize) {
      let path = "\(base)?\(query.isEmpty ? "" : query + "&")page=\(page)&per_page=\(Self.pageSize)"
      let response = try await connection.send("GET", path)
      try PageGuard.check(response.body, limit: Self.pageSize, path: path)
      let batch = try connection.json([T]?.self, response, path: path) ?? []
      all += batch
      if batch.count < Self.pageSize { return all }
    }
    throw APIFailure(
      method: "GET", path: base, status: 0, id: nil, message: "more than \(Self.maxObjects) rows; stopped reading",
      ambiguous: false)
  }

  /// An unpaged list.
  func list<T: Decodable>(_ path: String, _ type: T.Type) async throws(APIFailure) -> [T] {
    try connection.json([T]?.self, try await connection.send("GET", path), path: path) ?? []
  }

  /// Page 0 of a listing with `include_total_count=true`, which wraps it as `{teams|channels: [...],
  /// total_count}` (api4/team.go getAllTeams; api4/channel.go getAllChannels, model.ChannelsWithCount):
  /// the first page, and the count that prices the rest of the listing.
  func firstPage<T: Decodable & Sendable>(_ base: String, _ type: T.Type, query: String = "")
    async throws(APIFailure) -> (rows: [T], total: Int)
  {
    let path = "\(base)?\(query.isEmpty ? "" : query + "&")page=0&per_page=\(Self.pageSize)&include_total_count=true"
    let counted = try connection.json(CountedPage<T>.self, try await connection.send("GET", path), path: path)
    let rows = counted.teams ?? counted.channels ?? []
    guard rows.count <= Self.pageSize, (0...Self.maxObjects).contains(counted.total_count) else {
      throw APIFailure(
        method: "GET", path: path, status: 0, id: nil,
        message: "the answer is not a page of at most \(Self.pageSize) rows with a plausible total_count",
        ambiguous: false)
    }
    return (rows, counted.total_count)
  }
}

/// A listing's page with its count: `{teams|channels: [...], total_count}`.
struct CountedPage<T: Decodable>: Decodable {
  var teams: [T]?
  var channels: [T]?
  var total_count: Int
}
