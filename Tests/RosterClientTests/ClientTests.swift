import Foundation
import RosterClient
import RosterCore
import Testing

@Suite struct ClientTests {
  func reader(_ transport: ScriptedTransport, attempts: Int = 4) -> ServerReader {
    var options = ConnectionOptions(baseURL: "http://test", token: "secret-token")
    options.maxAttempts = attempts
    options.backoffBase = 0.001
    options.backoffCap = 0.002
    return ServerReader(transport: transport, options: options)
  }

  static let me =
    #"{"id":"me000000000000000000000000","username":"admin","roles":"system_admin system_user","delete_at":0}"#

  /// A server id (26 lowercase letters and digits) for user `n`.
  static func id(_ n: Int) -> String { "u" + String(format: "%025d", n) }

  static func users(_ range: Range<Int>) -> String {
    "["
      + range.map { #"{"id":"\#(id($0))","username":"user\#(String(format: "%05d", $0))","delete_at":0}"# }
      .joined(separator: ",") + "]"
  }

  @Test func readsAreRetriedOn429And5xxHonouringRetryAfter() async throws {
    let transport = ScriptedTransport([
      ScriptedTransport.json(429, "limit exceeded", headers: ["retry-after": "0"]),
      ScriptedTransport.json(502, "{}"),
      ScriptedTransport.drop(mayHaveArrived: true),
      ScriptedTransport.json(200, Self.me),
    ])
    let user = try await reader(transport).me()
    #expect(user.username == "admin")
    #expect(transport.paths.count == 4)
    #expect(transport.requests.allSatisfy { $0.headers.contains { $0 == ("Authorization", "Bearer secret-token") } })
  }

  @Test func attemptsAreBounded() async {
    let transport = ScriptedTransport(
      fallback: ScriptedTransport.json(503, #"{"id":"x","message":"down","request_id":"r1"}"#))
    do {
      _ = try await reader(transport, attempts: 3).me()
      Issue.record("expected a failure")
    } catch {
      #expect(error.status == 503 && error.id == "x" && error.requestID == "r1")
      #expect(error.description.contains("503 down [x] (request id r1)"))
    }
    #expect(transport.paths.count == 3)
  }

  @Test func createsAreNotRetriedAfterAnAmbiguousFailureOrA5xx() async {
    let transport = ScriptedTransport([ScriptedTransport.drop(mayHaveArrived: true)])
    let writer = ServerWriter(reader: reader(transport))
    do {
      _ = try await writer.createUser(["username": "x"])
      Issue.record("expected a failure")
    } catch {
      #expect(error.ambiguous)
    }
    #expect(transport.paths == ["POST /api/v4/users"])
    #expect(transport.requests.last?.idempotent == false, "the transport is told not to resend it")

    let failing = ScriptedTransport([ScriptedTransport.json(500, "{}")])
    do {
      _ = try await ServerWriter(reader: reader(failing)).createUser(["username": "x"])
    } catch {
      #expect(error.status == 500 && !error.ambiguous)
    }
    #expect(failing.paths.count == 1)
  }

  @Test func createsAreRetriedWhenTheServerCertainlyDidNotAct() async throws {
    let transport = ScriptedTransport([
      ScriptedTransport.json(429, "limit exceeded", headers: ["retry-after": "0"]),
      ScriptedTransport.drop(mayHaveArrived: false),
      ScriptedTransport.json(201, #"{"id":"new","username":"x"}"#),
    ])
    let user = try await ServerWriter(reader: reader(transport)).createUser(["username": "x"])
    #expect(user.id == "new")
    #expect(transport.paths.count == 3)
  }

  @Test func pagingReadsTheRestConcurrentlyAfterTheCount() async throws {
    let transport = ScriptedTransport(fallback: { request in
      let path = request.path
      if path.hasPrefix("/api/v4/users/stats/filtered") {
        return .success(HTTPResponse(status: 200, body: Data(#"{"total_users_count":450}"#.utf8)))
      }
      let query = URLComponents(string: path)?.queryItems ?? []
      let page = Int(query.first { $0.name == "page" }?.value ?? "0") ?? 0
      let start = page * 200
      return .success(HTTPResponse(status: 200, body: Data(Self.users(start..<min(start + 200, 450)).utf8)))
    })
    let users = try await reader(transport).allUsers()
    #expect(users.count == 450)
    #expect(users.map(\.username) == users.map(\.username).sorted(), "pages keep their order")
    #expect(transport.paths.filter { $0.hasPrefix("GET /api/v4/users?") }.count == 3)
    #expect(transport.paths.count == 4)
  }

  @Test func aNullPageReadsAsEmpty() async throws {
    let transport = ScriptedTransport([ScriptedTransport.json(200, "null")])
    #expect(try await reader(transport).allUsers().isEmpty)
  }

  @Test func aShortFirstPageNeedsNoCount() async throws {
    let transport = ScriptedTransport([ScriptedTransport.json(200, Self.users(0..<12))])
    #expect(try await reader(transport).allUsers().count == 12)
    #expect(transport.paths == ["GET /api/v4/users?page=0&per_page=200"])
  }

  @Test func forbiddenTokenListingFallsBackToManagedUsers() async throws {
    let manifest = ManifestLoader.load(
      [ManifestFile(name: "m", bytes: Array("version: 1\nusers:\n  - username: user00001\n    tokens: []\n".utf8))],
      env: [:]
    ).manifest
    let transport = ScriptedTransport([
      ScriptedTransport.json(200, Self.me),
      ScriptedTransport.json(200, Self.users(0..<3)),
      ScriptedTransport.json(403, #"{"id":"api.context.permissions.app_error"}"#),
      ScriptedTransport.json(
        200, #"[{"id":"t0000000000000000000000001","user_id":"\#(Self.id(1))","description":"ci","is_active":true}]"#),
    ])
    let needs = ReadNeeds(tokens: ReadNeeds(try #require(manifest)).tokens)  // the tokens part only
    let live = try await reader(transport).liveState(needs)
    #expect(live.tokens?.map(\.id) == ["t0000000000000000000000001"])
    #expect(live.tokensReadFor == [Self.id(1)])
    #expect(transport.paths.last == "GET /api/v4/users/\(Self.id(1))/tokens?page=0&per_page=200")
  }

  @Test(arguments: ["nan", "inf", "-1", "1e400", "Wed, 21 Oct 2015 07:28:00 GMT"])
  func anUnusableRetryAfterFallsBackToBackoff(header: String) async throws {
    // `Retry-After: nan` once trapped converting the delay to milliseconds.
    let transport = ScriptedTransport([
      ScriptedTransport.json(429, "limit exceeded", headers: ["retry-after": header]),
      ScriptedTransport.json(200, Self.me),
    ])
    #expect(try await reader(transport).me().username == "admin")
    #expect(transport.paths.count == 2)
  }

  @Test func aHostileIDNeverReachesAURLPath() async {
    let transport = ScriptedTransport(fallback: ScriptedTransport.json(200, "{}"))
    let writer = ServerWriter(reader: reader(transport))
    for id in ["../../config/patch", "UPPERCASE0000000000000000A", "short"] {
      do {
        try await writer.setActive(id, false)
        Issue.record("\(id) was sent")
      } catch {
        #expect(error.status == 0 && error.message.contains("refusing the server id"))
      }
    }
    #expect(transport.paths.isEmpty)
  }

  @Test func deterministicServerRefusalsAreNotMaybeApplied() {
    let disabled = APIFailure(
      method: "POST", path: "/users/x/tokens", status: 501, id: "app.user_access_token.disabled", message: "off",
      ambiguous: false)
    #expect(!disabled.mayHaveApplied)
    let unavailable = APIFailure(
      method: "POST", path: "/users", status: 503, id: nil, message: "down", ambiguous: false)
    #expect(unavailable.mayHaveApplied)
  }

  @Test func rowsReadTwiceByOffsetPagingBecomeOneObject() async throws {
    // store/sqlstore/user_access_token_store.go GetAll has no ORDER BY: a token can come back on two pages.
    let token = { (n: Int) in
      #"{"id":"t\#(String(format: "%025d", n))","user_id":"\#(Self.id(1))","description":"d\#(n)","is_active":true}"#
    }
    let firstPage = "[" + (0..<200).map(token).joined(separator: ",") + "]"
    let secondPage = "[" + [token(199), token(200)].joined(separator: ",") + "]"
    let transport = ScriptedTransport([
      ScriptedTransport.json(200, Self.me),
      ScriptedTransport.json(200, Self.users(0..<3)),
      ScriptedTransport.json(200, firstPage),
      ScriptedTransport.json(200, secondPage),
    ])
    let live = try await reader(transport).liveState(ReadNeeds(tokens: .everyone))
    #expect(live.tokens?.count == 201, "201 distinct tokens, the repeated one once")
    #expect(Set(live.tokens?.map(\.id) ?? []).count == live.tokens?.count)
  }
}
