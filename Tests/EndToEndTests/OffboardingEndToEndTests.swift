import Foundation
import RosterTestSupport
import Testing

/// `settings.on_deactivate`: a deactivation takes the account's active tokens with it, in the same plan,
/// and a reactivation brings back only the tokens the manifest declares.
@Suite struct OffboardingEndToEndTests {
  static let seed = """
    {"users":[
      {"username":"admin","email":"admin@example.com","roles":"system_admin system_user"},
      {"username":"rob","email":"rob@example.com","tokens":[
        {"id":"robtoken000000000000000000","token":"robsecret00000000000000000","description":"ci"},
        {"id":"robtoken100000000000000000","token":"robsecret10000000000000000","description":"laptop"}]},
      {"username":"dan","email":"dan@example.com"}
    ]}
    """

  func sandbox() async throws -> SandboxProcess {
    try await SandboxProcess(["--seed", try temporaryFile("seed.json", Self.seed)])
  }

  func manifest(_ yaml: String) throws -> String { try temporaryFile("roster.yaml", "version: 1\n" + yaml) }

  func tokens(_ sandbox: SandboxProcess) async throws -> [String: Bool] {
    let id = try #require(try await sandbox.call("GET", "/users/username/rob").object["id"] as? String)
    var out: [String: Bool] = [:]
    for token in try await sandbox.call("GET", "/users/\(id)/tokens").array {
      out[token["description"] as? String ?? ""] = token["is_active"] as? Bool
    }
    return out
  }

  @Test func aDeactivationDisablesTheTokensAndAReactivationEnablesOnlyDeclaredOnes() async throws {
    let sandbox = try await sandbox()
    defer { sandbox.stop() }
    let leave = try manifest("users:\n  - username: rob\n    active: false\n")
    let plan = try await RosterCLI.run(["plan", "-f", leave] + sandbox.connection)
    #expect(plan.stdout.contains("- deactivate user rob"), "\(plan.stdout)")
    #expect(plan.stdout.contains("~ disable token \"ci\" of rob"), "\(plan.stdout)")
    #expect(plan.stdout.contains("~ disable token \"laptop\" of rob"), "\(plan.stdout)")
    let apply = try await RosterCLI.run(["apply", "-f", leave, "--auto-approve", "--force"] + sandbox.connection)
    #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
    #expect(try await tokens(sandbox) == ["ci": false, "laptop": false])
    // Planning again finds nothing to do: the inactive account's declared state holds.
    let again = try await RosterCLI.run(["plan", "-f", leave, "--detailed-exitcode"] + sandbox.connection)
    #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
    // Back: only the declared token comes back (tokens not managed would leave both disabled).
    let back = try manifest(
      "users:\n  - username: rob\n    tokens:\n      - description: ci\n      - description: laptop\n        active: false\n"
    )
    let reapply = try await RosterCLI.run(["apply", "-f", back, "--auto-approve", "--force"] + sandbox.connection)
    #expect(reapply.status == 0, "\(reapply.stdout)\(reapply.stderr)")
    #expect(try await tokens(sandbox) == ["ci": true, "laptop": false])
  }

  @Test func aReactivationWithoutDeclaredTokensLeavesThemDisabled() async throws {
    let sandbox = try await sandbox()
    defer { sandbox.stop() }
    let leave = try manifest("users:\n  - username: rob\n    active: false\n")
    _ = try await RosterCLI.run(["apply", "-f", leave, "--auto-approve", "--force"] + sandbox.connection)
    let back = try manifest("users:\n  - username: rob\n")
    let apply = try await RosterCLI.run(["apply", "-f", back, "--auto-approve"] + sandbox.connection)
    #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
    #expect(try await tokens(sandbox) == ["ci": false, "laptop": false])
  }

  @Test func revokeTokensRemovesThemAndIsGatedAsRevocations() async throws {
    let sandbox = try await sandbox()
    defer { sandbox.stop() }
    let leave = try manifest(
      "settings:\n  on_deactivate: revoke_tokens\n  max_token_revocations: 1\nusers:\n  - username: rob\n    active: false\n"
    )
    let plan = try await RosterCLI.run(["plan", "-f", leave] + sandbox.connection)
    #expect(
      plan.stdout.contains("- revoke token \"ci\" of rob (robtoken000000000000000000): on_deactivate: revoke_tokens"),
      "\(plan.stdout)")
    #expect(plan.stdout.contains("exceed max_token_revocations"), "\(plan.stdout)")
    let apply = try await RosterCLI.run(["apply", "-f", leave, "--auto-approve", "--force"] + sandbox.connection)
    #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
    #expect(try await tokens(sandbox) == [:])
  }

  @Test func keepLeavesTheTokensAsTheServerDoes() async throws {
    let sandbox = try await sandbox()
    defer { sandbox.stop() }
    let leave = try manifest("settings:\n  on_deactivate: keep\nusers:\n  - username: rob\n    active: false\n")
    let plan = try await RosterCLI.run(["plan", "-f", leave] + sandbox.connection)
    #expect(plan.stdout.contains("- deactivate user rob") && !plan.stdout.contains("disable token"), "\(plan.stdout)")
    _ = try await RosterCLI.run(["apply", "-f", leave, "--auto-approve", "--force"] + sandbox.connection)
    #expect(try await tokens(sandbox) == ["ci": true, "laptop": true])
  }
}
