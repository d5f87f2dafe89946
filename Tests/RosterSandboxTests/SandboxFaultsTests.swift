import Foundation
import RosterClient
import RosterSandbox
import RosterTestSupport
import Testing

@Suite(.inProcessSandboxes) struct SandboxFaultsTests {
  @Test func resetAfterCommitReallyCommits() async throws {
    let sandbox = try await InProcessSandbox { $0.faults.resetAfterCommitRate = 1 }
    do {
      let response = try await sandbox.call(
        "POST", "/users", json: #"{"username":"kate","email":"kate@example.com","password":"password-1"}"#)
      Issue.record("expected the connection to drop, got \(response.status)")
    } catch let error as TransportError {
      #expect(error.mayHaveArrived, "a dropped reply is ambiguous: \(error)")
    }
    let kate = try await sandbox.call("GET", "/users/username/kate")
    #expect(kate.status == 200, "the write was committed before the drop")
  }

  @Test func failRateAnswers5xxAndWritesNothing() async throws {
    let sandbox = try await InProcessSandbox { $0.faults.failRate = 1 }
    let response = try await sandbox.call(
      "POST", "/users", json: #"{"username":"liam","email":"liam@example.com","password":"password-1"}"#)
    #expect(response.status >= 500)
    #expect(try await sandbox.call("GET", "/users/username/liam").status == 404)
  }

  @Test func throttleAnswers429WithRetryAfter() async throws {
    let sandbox = try await InProcessSandbox { $0.faults.throttleRate = 1 }
    let response = try await sandbox.call("GET", "/users/me")
    #expect(response.status == 429)
    #expect(response.headers["retry-after"] == "1")
    #expect(response.text == "limit exceeded\n")
  }

  @Test func rateLimitSendsTheServersHeaders() async throws {
    let sandbox = try await InProcessSandbox { $0.faults.rateLimit = (perSecond: 0.05, burst: 2) }
    var statuses: [Int] = []
    var last: HTTPResponse?
    for _ in 0..<5 {
      let response = try await sandbox.call("GET", "/system/ping")
      statuses.append(response.status)
      last = response
    }
    #expect(statuses.prefix(3).allSatisfy { $0 == 200 }, "\(statuses)")
    #expect(statuses.last == 429)
    #expect(last?.headers["x-ratelimit-limit"] == "3")
    #expect(last?.headers["retry-after"] != nil)
    #expect(last?.headers["content-type"]?.hasPrefix("text/plain") == true)
  }

  @Test func faultsAreReproducibleForOneSeed() async throws {
    func run() async throws -> [Int] {
      let sandbox = try await InProcessSandbox {
        $0.faults.failRate = 0.5
        $0.faults.seed = 42
      }
      var statuses: [Int] = []
      for i in 0..<12 {
        statuses.append(
          try await sandbox.call(
            "POST", "/users", json: #"{"username":"u\#(i)","email":"u\#(i)@example.com","password":"password-1"}"#
          ).status)
      }
      return statuses
    }
    let first = try await run()
    #expect(first.contains(201) && first.contains(503))
    #expect(try await run() == first)
  }

  @Test func latencyDelaysResponses() async throws {
    let sandbox = try await InProcessSandbox { $0.faults.latencyMilliseconds = 150 }
    let start = Date()
    _ = try await sandbox.call("GET", "/system/ping")
    #expect(Date().timeIntervalSince(start) >= 0.15)
  }

  @Test func stateSurvivesAKill() async throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("roster-state-\(UUID())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let state = dir.appendingPathComponent("state.json").path
    let first = try await SandboxProcess(["--state", state])
    let created = try await first.call(
      "POST", "/users", json: #"{"username":"mona","email":"mona@example.com","password":"password-1"}"#)
    let id = try #require(created.object["id"] as? String)
    let token = try #require(
      try await first.call("POST", "/users/\(id)/tokens", json: #"{"description":"kept"}"#).object["token"] as? String)
    first.kill()
    let second = try await SandboxProcess(["--state", state])
    #expect(try await second.call("GET", "/users/\(id)").object["username"] as? String == "mona")
    #expect(try await second.call("GET", "/users/me", token: token).status == 200, "tokens persist with their secrets")
    #expect(try await second.call("GET", "/users/me").status == 200, "the admin token still works")
  }

  @Test func requestLogCountsByRoute() async throws {
    let sandbox = try await InProcessSandbox()
    _ = try await sandbox.call("GET", "/users?page=0")
    _ = try await sandbox.call("GET", "/users?page=1")
    _ = try await sandbox.call("GET", "/users/me")
    let log = try #require(try await sandbox.inspect("GET", "/requests") as? [String: Any])
    let byRoute = try #require(log["by_route"] as? [String: Int])
    #expect(byRoute["GET /api/v4/users"] == 2)
    #expect(byRoute["GET /api/v4/users/{user_id}"] == 1)
    #expect(log["writes"] as? Int == 0)
  }
}
