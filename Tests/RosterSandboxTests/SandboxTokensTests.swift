import Foundation
import RosterClient
import RosterSandbox
import RosterTestSupport
import Testing

@Suite(.serialized, .inProcessSandboxes) struct SandboxTokensTests {
  let sandbox: InProcessSandbox

  init() async throws { sandbox = try await InProcessSandbox() }

  func user(_ name: String) async throws -> String {
    let response = try await sandbox.call(
      "POST", "/users", json: #"{"username":"\#(name)","email":"\#(name)@example.com","password":"password-1"}"#)
    return try #require(response.object["id"] as? String)
  }

  @Test func lifecycleCreateAuthenticateDisableEnableRevoke() async throws {
    let id = try await user("grace")
    let created = try await sandbox.call("POST", "/users/\(id)/tokens", json: #"{"description":"ci-deploy"}"#)
    #expect(created.status == 200, "api4/user.go createUserAccessToken writes 200")
    let secret = try #require(created.object["token"] as? String)
    let tokenID = try #require(created.object["id"] as? String)
    #expect(created.object["is_active"] as? Bool == true)
    #expect(try await sandbox.call("GET", "/users/me", token: secret).object["username"] as? String == "grace")

    let listed = try await sandbox.call("GET", "/users/\(id)/tokens")
    #expect(listed.array.count == 1)
    #expect(listed.array[0]["token"] == nil, "reads never return the secret")
    #expect(try await sandbox.call("GET", "/users/tokens/\(tokenID)").object["description"] as? String == "ci-deploy")

    #expect(try await sandbox.call("POST", "/users/tokens/disable", json: #"{"token_id":"\#(tokenID)"}"#).status == 200)
    let refused = try await sandbox.call("GET", "/users/me", token: secret)
    #expect(refused.status == 401 && refused.errorID == "api.context.session_expired.app_error")
    #expect(try await sandbox.call("GET", "/users/\(id)/tokens").array.first?["is_active"] as? Bool == false)
    #expect(
      try await sandbox.call("POST", "/users/tokens/disable", json: #"{"token_id":"\#(tokenID)"}"#).status == 200,
      "idempotent")

    #expect(try await sandbox.call("POST", "/users/tokens/enable", json: #"{"token_id":"\#(tokenID)"}"#).status == 200)
    #expect(try await sandbox.call("GET", "/users/me", token: secret).status == 200)

    #expect(try await sandbox.call("POST", "/users/tokens/revoke", json: #"{"token_id":"\#(tokenID)"}"#).status == 200)
    #expect(try await sandbox.call("GET", "/users/me", token: secret).status == 401)
    #expect(try await sandbox.call("GET", "/users/\(id)/tokens").array.isEmpty, "revoked tokens disappear")
    let gone = try await sandbox.call("GET", "/users/tokens/\(tokenID)")
    #expect(gone.status == 404 && gone.errorID == "app.user_access_token.get_by_user.app_error")
    let again = try await sandbox.call("POST", "/users/tokens/revoke", json: #"{"token_id":"\#(tokenID)"}"#)
    #expect(again.status == 404)
    #expect(
      try await sandbox.call("POST", "/users/tokens/revoke", json: "{}").status == 404, "a missing token_id ends as 404"
    )
  }

  @Test func validationAndListingAcrossUsers() async throws {
    let a = try await user("heidi")
    let b = try await user("ivan")
    let empty = try await sandbox.call("POST", "/users/\(a)/tokens", json: #"{"description":""}"#)
    #expect(empty.status == 400 && empty.errorID == "api.context.invalid_body_param.app_error")
    let long = try await sandbox.call(
      "POST", "/users/\(a)/tokens", json: #"{"description":"\#(String(repeating: "d", count: 256))"}"#)
    #expect(long.status == 400 && long.errorID == "model.user_access_token.is_valid.description.app_error")
    for (id, description) in [(a, "one"), (a, "one"), (b, "two")] {
      #expect(
        try await sandbox.call("POST", "/users/\(id)/tokens", json: #"{"description":"\#(description)"}"#).status == 200
      )
    }
    #expect(
      try await sandbox.call("GET", "/users/tokens?per_page=200").array.count == 3, "descriptions need not be unique")
    #expect(try await sandbox.call("GET", "/users/tokens?page=1&per_page=2").array.count == 1)
    let search = try await sandbox.call("POST", "/users/tokens/search", json: #"{"term":"heidi"}"#)
    #expect(search.array.count == 2)
  }

  @Test func ordinaryUsersNeedTheTokenRole() async throws {
    let id = try await user("judy")
    let login = try await sandbox.call(
      "POST", "/users/login", json: #"{"login_id":"judy","password":"password-1"}"#, token: "")
    let session = try #require(login.headers["token"])
    let denied = try await sandbox.call("POST", "/users/\(id)/tokens", json: #"{"description":"mine"}"#, token: session)
    #expect(denied.status == 403 && denied.errorID == "api.context.permissions.app_error")
    _ = try await sandbox.call("PUT", "/users/\(id)/roles", json: #"{"roles":"system_user system_user_access_token"}"#)
    let allowed = try await sandbox.call(
      "POST", "/users/\(id)/tokens", json: #"{"description":"mine"}"#, token: session)
    #expect(allowed.status == 200)
    let admin = try #require(try await sandbox.call("GET", "/users/me").object["id"] as? String)
    let other = try await sandbox.call("POST", "/users/\(admin)/tokens", json: #"{"description":"x"}"#, token: session)
    #expect(other.status == 403)
  }
}

@Suite(.inProcessSandboxes) struct SandboxSettingsTests {
  @Test func disabledAccessTokensAnswerTheRealError() async throws {
    let sandbox = try await InProcessSandbox { $0.settings.enableUserAccessTokens = false }
    let me = try #require(try await sandbox.call("GET", "/users/me").object["id"] as? String)
    let response = try await sandbox.call("POST", "/users/\(me)/tokens", json: #"{"description":"x"}"#)
    #expect(response.status == 501 && response.errorID == "app.user_access_token.disabled")
    let config = try await sandbox.call("GET", "/config/client?format=old")
    #expect(config.object["EnableUserAccessTokens"] as? String == "false")
  }

  @Test func seedLoadsUsersAndTokens() async throws {
    let sandbox = try await InProcessSandbox {
      $0.seed = try SandboxSeed.read(path: InProcessSandbox.example("sandbox-seed.json"))
    }
    let users = try await sandbox.call("GET", "/users?per_page=200").array
    #expect(users.contains { $0["username"] as? String == "legacy" && ($0["delete_at"] as? Int ?? 0) > 0 })
    #expect(users.contains { $0["is_bot"] as? Bool == true })
    let tokens = try await sandbox.call("GET", "/users/tokens").array
    #expect(tokens.count >= 1)
  }
}

/// api4/user.go createUserAccessToken: 501 app.user_access_token.disabled is the same on every try, so the
/// client neither retries it nor treats it as maybe applied (which would send apply re-reading and revoking).
@Suite(.inProcessSandboxes) struct DeterministicRefusalTests {
  @Test func disabledTokensAreNotMaybeApplied() async throws {
    let sandbox = try await InProcessSandbox { $0.settings.enableUserAccessTokens = false }
    var options = ConnectionOptions(baseURL: sandbox.url, token: sandbox.adminToken)
    options.backoffBase = 0.001
    let counter = RequestCounter()
    let reader = ServerReader(transport: sandbox.transport, options: options, counter: counter)
    let me = try await reader.me()
    let before = counter.count
    do {
      _ = try await ServerWriter(reader: reader).createToken(me.id, description: "x", expiresAt: nil)
      Issue.record("expected a refusal")
    } catch {
      #expect(error.status == 501 && error.id == "app.user_access_token.disabled", "\(error)")
      #expect(!error.mayHaveApplied && !error.ambiguous)
      #expect(error.description.contains("[app.user_access_token.disabled]"), "the server's id is shown")
    }
    #expect(counter.count - before == 1, "sent once, never retried")
  }
}
