import Foundation
import RosterTestSupport
import Testing

/// Several manifests on one server: an eng roster and an ops roster, each with a scope and an owner,
/// share one roster-sandbox, and neither plans a change to the other's accounts.
@Suite struct SharedServerEndToEndTests {
  static let seed = """
    {"users":[
      {"username":"admin","email":"admin@example.com","roles":"system_admin system_user"},
      {"username":"eng-alice","email":"alice@eng.example.com","props":{"theme":"dark","customStatus":""}},
      {"username":"eng-old","email":"old@eng.example.com","props":{"roster_owner":"eng"}},
      {"username":"eng-stray","email":"stray@eng.example.com"},
      {"username":"ops-bob","email":"bob@ops.example.com"},
      {"username":"ops-old","email":"old@ops.example.com","props":{"roster_owner":"ops"}},
      {"username":"zed","email":"zed@example.com"}
    ]}
    """

  static let eng = """
    version: 1
    settings:
      owner: eng
      unmanaged_users: deactivate
      scope:
        usernames: ["eng-*"]
        email_domains: [eng.example.com]
    users:
      - username: eng-alice
        email: alice@eng.example.com
        position: Engineer
      - username: eng-new
        email: new@eng.example.com
        password: ${NEW_PASSWORD}

    """

  static let ops = """
    version: 1
    settings:
      owner: ops
      unmanaged_users: deactivate
      scope:
        usernames: ["ops-*"]
    users:
      - username: ops-bob
        email: bob@ops.example.com

    """

  static let environment = ["NEW_PASSWORD": "a-long-enough-password"]

  func user(_ sandbox: SandboxProcess, _ name: String) async throws -> [String: Any] {
    try await sandbox.call("GET", "/users/username/\(name)").object
  }

  func props(_ sandbox: SandboxProcess, _ name: String) async throws -> [String: String] {
    try await user(sandbox, name)["props"] as? [String: String] ?? [:]
  }

  func isActive(_ sandbox: SandboxProcess, _ name: String) async throws -> Bool {
    (try await user(sandbox, name)["delete_at"] as? Int ?? -1) == 0
  }

  @Test func twoManifestsShareAServerWithoutPlanningEachOthersAccounts() async throws {
    let sandbox = try await SandboxProcess(["--seed", try temporaryFile("seed.json", Self.seed)])
    defer { sandbox.stop() }
    let eng = try temporaryFile("eng.yaml", Self.eng)
    let ops = try temporaryFile("ops.yaml", Self.ops)

    let engPlan = try await RosterCLI.run(["plan", "-f", eng] + sandbox.connection, environment: Self.environment)
    #expect(engPlan.status == 0, "\(engPlan.stdout)\(engPlan.stderr)")
    #expect(engPlan.stdout.contains("mark user eng-alice as owned by eng"), "\(engPlan.stdout)")
    #expect(engPlan.stdout.contains("mark user eng-new as owned by eng"), "\(engPlan.stdout)")
    // Only the account eng marked is unmanaged: the unmarked eng-stray was never adopted.
    #expect(engPlan.stdout.contains("deactivate user eng-old"), "\(engPlan.stdout)")
    for other in ["ops-", "zed", "eng-stray", "admin"] {
      #expect(!engPlan.stdout.contains("user \(other)"), "eng plans a change to \(other): \(engPlan.stdout)")
    }
    let opsPlan = try await RosterCLI.run(["plan", "-f", ops] + sandbox.connection)
    #expect(opsPlan.stdout.contains("mark user ops-bob as owned by ops"), "\(opsPlan.stdout)")
    #expect(opsPlan.stdout.contains("deactivate user ops-old"), "\(opsPlan.stdout)")
    for other in ["eng-", "zed", "admin"] {
      #expect(!opsPlan.stdout.contains("user \(other)"), "ops plans a change to \(other): \(opsPlan.stdout)")
    }

    for file in [eng, ops] {
      let apply = try await RosterCLI.run(
        ["apply", "-f", file, "--auto-approve", "--force"] + sandbox.connection, environment: Self.environment)
      #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
    }
    // The marker patch carried every other key as read.
    #expect(try await props(sandbox, "eng-alice") == ["theme": "dark", "customStatus": "", "roster_owner": "eng"])
    #expect(try await props(sandbox, "eng-new") == ["roster_owner": "eng"])
    #expect(try await props(sandbox, "ops-bob") == ["roster_owner": "ops"])
    #expect(try await !isActive(sandbox, "eng-old"))
    #expect(try await !isActive(sandbox, "ops-old"))
    for kept in ["eng-stray", "zed", "admin"] { #expect(try await isActive(sandbox, kept), "\(kept)") }

    // Applied, each manifest plans nothing more: not even the other's freshly marked accounts.
    for file in [eng, ops] {
      let again = try await RosterCLI.run(
        ["plan", "-f", file, "--detailed-exitcode"] + sandbox.connection, environment: Self.environment)
      #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
    }
  }

  @Test func aDeclaredAccountAnotherOwnerMarkedIsAPlanErrorNamingThatOwner() async throws {
    let sandbox = try await SandboxProcess(["--seed", try temporaryFile("seed.json", Self.seed)])
    defer { sandbox.stop() }
    let grab = try temporaryFile(
      "grab.yaml", "version: 1\nsettings:\n  owner: eng\nusers:\n  - username: ops-old\n    position: Mine\n")
    let plan = try await RosterCLI.run(["plan", "-f", grab] + sandbox.connection)
    #expect(plan.status != 0)
    #expect(
      (plan.stdout + plan.stderr).contains("ops-old is marked as owned by \"ops\""), "\(plan.stdout)\(plan.stderr)")
    #expect(!plan.stdout.contains("update user ops-old"), "\(plan.stdout)")
  }

  @Test func aDeclaredUserOutsideTheScopeIsAnErrorAtItsPosition() async throws {
    let file = try temporaryFile(
      "scoped.yaml",
      "version: 1\nsettings:\n  scope:\n    usernames: [\"eng-*\"]\nusers:\n  - username: eng-a\n  - username: bob\n")
    let validate = try await RosterCLI.run(["validate", "-f", file])
    #expect(validate.status != 0)
    #expect(
      validate.stderr.contains("scoped.yaml:7:15: error: user bob is outside settings.scope"),
      "\(validate.stdout)\(validate.stderr)")
  }

  /// A saved plan records the scope, so apply takes the deactivation gate's share of the same accounts
  /// the plan did: without the planning operator's flag, 4 of 6 eng accounts breach max_deactivations
  /// (25%, floor 3) even though the server's 30 ops accounts would make 4 of 37 pass.
  @Test func aSavedPlansGatesTakeTheirSharesOfTheScopedAccounts() async throws {
    var users = [#"{"username":"admin","email":"admin@example.com","roles":"system_admin system_user"}"#]
    users += (1...6).map { #"{"username":"eng-u\#($0)","email":"u\#($0)@eng.example.com"}"# }
    users += (1...30).map { #"{"username":"ops-u\#($0)","email":"u\#($0)@ops.example.com"}"# }
    let seed = try temporaryFile("seed.json", #"{"users":["# + users.joined(separator: ",") + "]}")
    let sandbox = try await SandboxProcess(["--seed", seed])
    defer { sandbox.stop() }
    let eng = try temporaryFile(
      "eng.yaml",
      "version: 1\nsettings:\n  unmanaged_users: deactivate\n  scope:\n    usernames: [\"eng-*\"]\n"
        + "users:\n  - username: eng-u1\n  - username: eng-u2\n")
    let out = try temporaryFile("plan.json", "")
    let plan = try await RosterCLI.run(
      ["plan", "-f", eng, "--out", out, "--max-deactivations", "100%"] + sandbox.connection)
    #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")
    let saved = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any])
    let safety = try #require(saved["safety"] as? [String: Any])
    #expect((safety["scope"] as? [String: Any])?["usernames"] as? [String] == ["eng-*"], "\(safety)")

    let apply = try await RosterCLI.run(["apply", out, "--auto-approve"] + sandbox.connection)
    #expect(apply.status == 3, "\(apply.stdout)\(apply.stderr)")
    #expect(apply.stderr.contains("4 deactivations exceed max_deactivations"), "\(apply.stderr)")
    #expect(try await sandbox.requestLog().writes == 0)
  }
}
