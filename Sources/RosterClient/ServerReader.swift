#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
import RosterCore

/// Reads the server. It has no way to write: the commands that must not change anything (`plan`,
/// `export`) hold only this type, so a dry run cannot write by construction.
public struct ServerReader: Sendable {
  public static let pageSize = 200
  let connection: APIConnection
  public let options: ConnectionOptions

  public init(transport: any HTTPTransport, options: ConnectionOptions, counter: RequestCounter = RequestCounter()) {
    connection = APIConnection(transport: transport, options: options, counter: counter, clock: ServerClock())
    self.options = options
  }

  public var requestCount: Int { connection.counter.count }

  public func me() async throws(APIFailure) -> LiveUser {
    let response = try await connection.send("GET", "/users/me")
    return try connection.record(UserBody.self, response, path: "/users/me").live
  }

  func usersPage(_ page: Int) async throws(APIFailure) -> [LiveUser] {
    let path = "/users?page=\(page)&per_page=\(Self.pageSize)"
    let response = try await connection.send("GET", path)
    // Older servers may answer `null` for an empty page (shared/mattermost-api.md, UNVERIFIED list).
    return try connection.page(UserBody.self, response, limit: Self.pageSize, path: path).map(\.live)
  }

  /// More users or tokens than any server roster manages; a count above it is not believed, and paging
  /// stops there: a broken proxy or a hostile server cannot make roster read forever.
  public static let maxObjects = 5_000_000

  /// Every user, deactivated users and bots included (GET /users returns them by default), each id once
  /// (offset paging repeats rows when users are created meanwhile; the first is kept). After a full
  /// first page the total comes from /users/stats/filtered and the remaining pages are read concurrently.
  public func allUsers() async throws(APIFailure) -> [LiveUser] {
    let first = try await usersPage(0)
    guard first.count == Self.pageSize else { return uniqueByID(first, \.id) }
    // Remote (shared-channel) users are left out of the count unless asked for
    // (api4/user.go getFilteredUsersStats, include_remote_users); GET /users lists them.
    let statsPath = "/users/stats/filtered?include_deleted=true&include_bots=true&include_remote_users=true"
    var total: Int?
    do throws(APIFailure) {
      struct Stats: Decodable { var total_users_count: Int }
      let count = try connection.json(Stats.self, try await connection.send("GET", statsPath), path: statsPath)
        .total_users_count
      guard (0...Self.maxObjects).contains(count) else {
        throw APIFailure(
          method: "GET", path: statsPath, status: 0, id: nil,
          message: "the server counts \(count) users; refusing to believe more than \(Self.maxObjects)",
          ambiguous: false)
      }
      total = count
    } catch  where error.status != 0 {
      total = nil  // no count (an older server, a proxy): read page by page until a short one
    }
    var page = 1
    // The ids are hashed once, here: the set that finds a repeated page also drops repeated rows, which
    // the state otherwise dropped with a second set of every id.
    var seen = FirstSeen<Bool>()
    seen.reserveCapacity(min(total ?? 0, Self.maxObjects) + Self.pageSize)
    var users: [LiveUser] = []
    // Rows as the server sent them, repeats included: when to stop paging is decided on these.
    var read = first.count
    try Self.appendNew(first, to: &users, seen: &seen)
    if let total {
      let pages = (total + Self.pageSize - 1) / Self.pageSize
      users.reserveCapacity(users.count + max(pages - 1, 0) * Self.pageSize)
      var lastCount: Int?
      try await concurrentPages(Array(1..<max(pages, 1))) { (batch) throws(APIFailure) in
        try Self.appendNew(batch, to: &users, seen: &seen)
        read += batch.count
        lastCount = batch.count
      }
      page = max(pages, 1)
      if let lastCount, lastCount < Self.pageSize { return users }
      if pages <= 1 && read < Self.pageSize { return users }
      // Exactly the counted users, the last page full: a page past the count would be empty, so it is not
      // read (the read bound ceil(N/200) + ... holds when N is a multiple of 200). More users than counted
      // means the server grew while it was read: carry on below.
      if read == total { return users }
    }
    // The count moved, or there was none: carry on sequentially until a short page, a repeated page, or
    // more pages than the count allows (plus a margin for users created meanwhile).
    let lastPage = total.map { ($0 + Self.pageSize - 1) / Self.pageSize + 50 } ?? (Self.maxObjects / Self.pageSize)
    while page <= lastPage {
      let next = try await usersPage(page)
      try Self.appendNew(next, to: &users, seen: &seen)
      read += next.count
      if next.count < Self.pageSize { return users }
      page += 1
    }
    throw APIFailure(
      method: "GET", path: "/users", status: 0, id: nil,
      message: "the server kept answering full pages past page \(lastPage); stopped reading", ambiguous: false)
  }

  /// A full page made only of objects already read means the server ignores `page` (a proxy dropping
  /// the query, or a hostile server): reading on would never end. Offset paging may repeat a few rows
  /// when users are created meanwhile, so only a page with nothing new counts.
  static func checkNew<T: Identified>(_ batch: [T], seen: inout Set<String>, page: String) throws(APIFailure) {
    var fresh = false
    for item in batch where seen.insert(item.id).inserted { fresh = true }
    if !fresh && batch.count == pageSize { throw repeatedPage(page) }
  }

  /// `checkNew` for users, appending the rows not seen before.
  /// The ids are looked up a few at a time (`FirstSeen.prefetching`): a large server's ids outgrow the
  /// cache, and a set of them waited for memory on every row.
  static func appendNew(_ batch: [LiveUser], to users: inout [LiveUser], seen: inout FirstSeen<Bool>) throws(APIFailure)
  {
    let before = users.count
    seen.prefetching(batch.indices) {
      batch[$0].id
    } _: { table, i, id, hash in
      if table.recordFirst(true, for: id, hash: hash) == nil { users.append(batch[i]) }
    }
    if users.count == before && batch.count == pageSize { throw repeatedPage("users") }
  }

  private static func repeatedPage(_ page: String) -> APIFailure {
    APIFailure(
      method: "GET", path: page, status: 0, id: nil,
      message: "the server answered the same \(page) page twice; is a proxy dropping the page parameter?",
      ambiguous: false)
  }

  /// Reads the given pages, at most `parallelism` at a time, and hands each to `take` in page order once
  /// its wave is read, freeing it then: holding every page until the last arrived kept a large server's
  /// users twice at once, each page in memory never used before (a quarter of a large plan's page
  /// faults). An error from `take` waits until every page is read, so a failed read is reported first,
  /// as when all pages were read before any was taken.
  private func concurrentPages(
    _ pages: [Int], _ take: ([LiveUser]) throws(APIFailure) -> Void
  ) async throws(APIFailure) {
    var results: [Int: [LiveUser]] = [:]
    var failure: APIFailure?
    var refused: APIFailure?
    let width = max(1, options.parallelism)
    var start = 0
    while start < pages.count && failure == nil {
      let wave = Array(pages[start..<min(start + width, pages.count)])
      start += width
      await withTaskGroup(of: (Int, Result<[LiveUser], APIFailure>).self) { group in
        for page in wave {
          // The child computes its result first and returns once, after the `do`/`catch`. Returning the
          // tuple from inside `do`/`catch` in a task-group child is miscompiled by Swift 6.3.1 at `-O`
          // (shared/toolchain/swift-6.3-taskgroup-return.md): the `Int` half arrived as garbage, every
          // page after the first was keyed wrongly and dropped, and release builds read only 200 users.
          // Debug builds and the sanitizers saw nothing; EndToEndTests' paging tests run on release
          // binaries in CI to keep it that way.
          group.addTask {
            let result: Result<[LiveUser], APIFailure>
            do throws(APIFailure) { result = .success(try await usersPage(page)) } catch { result = .failure(error) }
            return (page, result)
          }
        }
        for await (page, result) in group {
          switch result {
          case .success(let users): results[page] = users
          case .failure(let error): failure = failure ?? error
          }
        }
      }
      guard failure == nil else { break }
      for page in wave {
        let batch = results.removeValue(forKey: page) ?? []
        if refused == nil {
          do throws(APIFailure) { try take(batch) } catch { refused = error }
        }
      }
    }
    if let failure { throw failure }
    if let refused { throw refused }
  }

  /// Every token under `base` (all users', or one user's), page by page until a short page, a repeated
  /// page, or `maxObjects`.
  func tokenPages(_ base: String) async throws(APIFailure) -> [LiveToken] {
    var tokens: [LiveToken] = []
    var seen = Set<String>()
    for page in 0..<(Self.maxObjects / Self.pageSize) {
      let path = "\(base)?page=\(page)&per_page=\(Self.pageSize)"
      let response = try await connection.send("GET", path)
      let batch = try connection.page(TokenBody.self, response, limit: Self.pageSize, path: path).map(\.live)
      try Self.checkNew(batch, seen: &seen, page: "tokens")
      tokens += batch
      if batch.count < Self.pageSize { return tokens }
    }
    throw APIFailure(
      method: "GET", path: base, status: 0, id: nil, message: "more than \(Self.maxObjects) tokens; stopped reading",
      ambiguous: false)
  }

  /// Tokens are read all at once with GET /users/tokens, or, when that is forbidden (it needs
  /// manage_system), per user. `readOnly` first asks what the token may see (`sight(of:config:)`) and
  /// reads only that; the state's `sight` says what was left out.
  public func liveState(_ needs: ReadNeeds, readOnly: Bool = false) async throws(APIFailure) -> LiveState {
    let scope = needs.tokens
    let acting = try await me()
    var earlyConfig: ClientConfiguration?
    var sight = ReadSight.whole
    var ownTokens = true
    if readOnly {
      let config = await clientConfig()
      earlyConfig = config
      (sight, ownTokens) = try await self.sight(of: acting, config: config)
    }
    // Without view_members the list would hold only the users the token shares a team with.
    let users = sight.everyUser ? try await allUsers() : [acting]
    var tokens: [LiveToken]?
    var readFor: Set<String>?
    if case .none = scope {
    } else if !sight.othersTokens {
      // Only the token's own (api4/user.go getUserAccessTokensForUser: self, with read_user_access_token).
      let wanted: Bool = if case .users(let names) = scope { names.contains(acting.username) } else { true }
      if wanted && ownTokens {
        tokens = try await tokenPages("/users/\(try ServerID.checked(acting.id))/tokens")
        readFor = [acting.id]
      }
    } else {
      do {
        tokens = try await tokenPages("/users/tokens")
      } catch  where error.status == 403 {
        let wanted: Set<String>? = if case .users(let names) = scope { Set(names) } else { nil }
        var collected: [LiveToken] = []
        var read: Set<String> = []
        for user in users where wanted?.contains(user.username) ?? true {
          collected += try await tokenPages("/users/\(try ServerID.checked(user.id))/tokens")
          read.insert(user.id)
        }
        tokens = collected
        readFor = read
      }
    }
    var config = ClientConfiguration()
    if let earlyConfig { config = earlyConfig } else if needs.clientConfig { config = await clientConfig() }
    // Ids go into URL paths of later writes; a server that sends anything else is not believed at all.
    _ = try ServerID.checked(acting.id)
    for i in users.indices { _ = try ServerID.checked(users[i].id) }
    for token in tokens ?? [] {
      _ = try ServerID.checked(token.id)
      _ = try ServerID.checked(token.userID)
    }
    // Offset paging repeats rows: token listings have no ORDER BY, and user pages shift under concurrent
    // writes (store/sqlstore/user_access_token_store.go GetAll, user_store.go GetAllProfiles). One object
    // read twice must not become two steps, so each id is kept once (`allUsers` keeps users so).
    var state = LiveState(
      users: users, tokens: tokens.map { uniqueByID($0, \.id) }, tokensReadFor: readFor,
      acting: acting, accessTokensEnabled: config.accessTokensEnabled, passwordPolicy: config.passwordPolicy,
      mappedAttributes: config.mappedAttributes,
      readAt: Int64(connection.clock.now().timeIntervalSince1970 * 1000),
      requireEmailVerification: config.requireEmailVerification)
    state.sight = sight
    if acting.isBot {
      // A read-only plan never deactivates anyone; a bot that may not read its own row reads on.
      state.actingBotOwnerID = readOnly ? try? await botOwner(acting.id) : try await botOwner(acting.id)
    }
    if needs.bots && sight.bots { state.bots = try await allBots() }
    if let scope = needs.memberships, sight.memberships {
      state.memberships = try await memberships(scope, users: state.users)
    }
    return state
  }

  /// The owner of a bot (GET /bots/{bot_user_id}, api4/bot.go getBot; model/bot.go `owner_id`). One
  /// request, only when the acting user is a bot: roster must never deactivate the person whose
  /// deactivation would disable the bot it runs as. A bot whose owner cannot be read stops the plan
  /// rather than guessing.
  func botOwner(_ id: String) async throws(APIFailure) -> String {
    struct BotBody: Decodable { var owner_id: String }
    let path = "/bots/\(try ServerID.checked(id))"
    // Compared with user ids only, never put in a path: a plugin's bot has the plugin id as its owner.
    return try connection.json(BotBody.self, try await connection.send("GET", path), path: path).owner_id
  }
}

/// The first occurrence of each id, in the order read.
func uniqueByID<T>(_ items: [T], _ id: KeyPath<T, String>) -> [T] {
  var seen = Set<String>(minimumCapacity: items.count)
  guard let first = items.firstIndex(where: { !seen.insert($0[keyPath: id]).inserted }) else { return items }
  // Only a listing that did repeat a row pays for a copy.
  var unique = Array(items[..<first])
  for item in items[first...] where seen.insert(item[keyPath: id]).inserted { unique.append(item) }
  return unique
}

/// Objects the server names by id.
protocol Identified { var id: String { get } }
extension LiveUser: Identified {}
extension LiveToken: Identified {}
