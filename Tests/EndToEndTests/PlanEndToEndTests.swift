import Foundation
import RosterCore
import RosterTestSupport
import Testing

/// `roster plan` and `roster export` as processes against a `roster-sandbox` process, over real HTTP.
@Suite struct PlanEndToEndTests {
  static let env = [
    "ALICE_PASSWORD": "alice-password-1", "BOB_PASSWORD": "bob-password-1", "DEMO_PASSWORD": "demo-password-1",
  ]
  static let smallTeam = repositoryRoot.appendingPathComponent("examples/small-team.yaml").path
  static let seed = repositoryRoot.appendingPathComponent("examples/sandbox-seed.json").path

  @Test func emptyServerPlansCreatesAndNeverWrites() async throws {
    let sandbox = try await SandboxProcess()
    let result = try await RosterCLI.run(
      ["plan", "-f", Self.smallTeam, "--detailed-exitcode"] + sandbox.connection, environment: Self.env)
    #expect(result.status == 2, "\(result.stderr)")
    #expect(result.stdout.contains("+ create user alice"))
    #expect(result.stdout.contains("+ create token \"ci-deploy\" for alice"))
    #expect(result.stdout.contains("Plan: 3 to create, 0 to update, 0 to deactivate, 2 tokens to create, 0 to revoke."))
    let log = try await sandbox.requestLog()
    #expect(log.writes == 0, "plan never writes")
    #expect(
      result.stdout.contains("Read the server in \(log.total) requests."), "the plan reports the reads the sandbox saw")
    #expect(!result.stdout.contains("alice-password-1") && !result.stderr.contains("alice-password-1"))
  }

  @Test func driftedServerPlansTheDifference() async throws {
    let sandbox = try await SandboxProcess(["--seed", Self.seed])
    let result = try await RosterCLI.run(["plan", "-f", Self.smallTeam] + sandbox.connection, environment: Self.env)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("~ update user alice"))
    #expect(result.stdout.contains("last_name: \"Liddel\" → \"Liddell\""))
    #expect(result.stdout.contains("roles [system_user] → [system_user, system_admin]"))
    #expect(result.stdout.contains("- revoke token \"forgotten-laptop\" of alice"))
    #expect(!result.stdout.contains("mallory"), "unmanaged users are ignored by default")
    #expect(try await sandbox.requestLog().writes == 0)
  }

  @Test func exportRoundTripsToAnEmptyPlan() async throws {
    let sandbox = try await SandboxProcess(["--seed", Self.seed])
    let file = try temporaryFile("exported.yaml", "")
    let export = try await RosterCLI.run(["export", "--out", file] + sandbox.connection)
    #expect(export.status == 0, "\(export.stderr)")
    let text = try String(contentsOfFile: file, encoding: .utf8)
    #expect(!text.contains("yaml-language-server"), "no modeline unless --schema")
    #expect(text.contains("bots:\n  - username: deploybot\n"), "bots are exported as bots")
    #expect(!text.contains("password"))
    let plan = try await RosterCLI.run(["plan", "-f", file, "--detailed-exitcode"] + sandbox.connection)
    #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")
    #expect(plan.stdout.contains("No changes."))
  }

  @Test func pagingOver1050UsersStaysWithinTheReadBound() async throws {
    var users = [#"{"username":"admin","email":"admin@example.com","roles":"system_admin system_user"}"#]
    for i in 0..<1049 {
      users.append(#"{"username":"member\#(String(format: "%04d", i))","email":"m\#(i)@example.com"}"#)
    }
    var tokens: [String] = []
    for i in 0..<7 { tokens.append(#"{"description":"t\#(i)"}"#) }
    users[1] = #"{"username":"member0000","email":"m0@example.com","tokens":[\#(tokens.joined(separator: ","))]}"#
    let seed = try temporaryFile("big.json", #"{"users":[\#(users.joined(separator: ","))]}"#)
    let sandbox = try await SandboxProcess(["--seed", seed])
    let manifest = try temporaryFile(
      "m.yaml",
      """
      version: 1
      settings:
        unmanaged_users: deactivate
        max_deactivations: 2000
      users:
        - username: admin
        - username: member0000
          position: Lead
          tokens:
            - description: t0
            - description: new
      """)
    let result = try await RosterCLI.run(
      ["plan", "-f", manifest, "--format", "json", "--max-deactivations", "100%", "--max-token-revocations", "100%"]
        + sandbox.connection)
    #expect(result.status == 0, "\(result.stderr)")
    let document = try PlanDocument.decode(Data(result.stdout.utf8))
    #expect(document.summary.deactivate == 1048, "every other member is unmanaged")
    #expect(document.summary.tokensRevoke == 6)
    #expect(document.summary.tokensCreate == 1)
    let log = try await sandbox.requestLog()
    let n = 1050
    let t = 7
    let bound = (n + 199) / 200 + (t + 199) / 200 + 3
    #expect(log.total <= bound, "\(log.total) reads for \(n) users and \(t) tokens; bound \(bound): \(log.byRoute)")
    #expect(document.requestCount == log.total)
    #expect(log.byRoute["GET /api/v4/users"] == 6)
  }

  @Test func jsonPlanMatchesTheSchemaAndSavedPlanHasFingerprints() async throws {
    let sandbox = try await SandboxProcess(["--seed", Self.seed])
    let out = try temporaryFile("plan.json", "")
    let result = try await RosterCLI.run(
      ["plan", "-f", Self.smallTeam, "--format", "json", "--out", out] + sandbox.connection, environment: Self.env)
    #expect(result.status == 0, "\(result.stderr)")
    let check = try SchemaCheck(
      schema: try Data(contentsOf: repositoryRoot.appendingPathComponent("schemas/plan.schema.json")))
    #expect(try check.problems(in: Data(result.stdout.utf8)) == [])
    let saved = try Data(contentsOf: URL(fileURLWithPath: out))
    #expect(try check.problems(in: saved) == [])
    let document = try PlanDocument.decode(saved)
    #expect(document.fingerprints?.absentUsers == ["bob", "carol"])
    #expect(document.fingerprints?.users.map(\.username) == ["alice"])
    #expect(document.server == sandbox.url)
  }

  @Test func verboseTraceRedactsTheToken() async throws {
    let sandbox = try await SandboxProcess()
    let result = try await RosterCLI.run(
      ["plan", "-f", Self.smallTeam, "--verbose"] + sandbox.connection, environment: Self.env)
    #expect(result.stderr.contains("GET /api/v4/users/me 200"))
    #expect(!result.stderr.contains(sandbox.adminToken))
    #expect(!result.stdout.contains(sandbox.adminToken))
  }

  @Test func conflictsFailThePlan() async throws {
    let sandbox = try await SandboxProcess(["--seed", Self.seed])
    let manifest = try temporaryFile(
      "m.yaml",
      "version: 1\nusers:\n  - username: newbie\n    email: mallory@example.com\n    password: ${DEMO_PASSWORD}\n  - username: deploybot\n"
    )
    let result = try await RosterCLI.run(["plan", "-f", manifest] + sandbox.connection, environment: Self.env)
    #expect(result.status == 1)
    #expect(
      result.stdout.contains("Error: newbie: cannot create: email mallory@example.com is already used by mallory"))
    #expect(result.stdout.contains("belongs to a bot"))
  }

  @Test func tokensSwitchedOffIsAConflict() async throws {
    let sandbox = try await SandboxProcess(["--disable-access-tokens"])
    let result = try await RosterCLI.run(["plan", "-f", Self.smallTeam] + sandbox.connection, environment: Self.env)
    #expect(result.status == 1)
    #expect(result.stdout.contains("switched off"))
  }

  @Test func badManifestFailsBeforeAnyRequest() async throws {
    let sandbox = try await SandboxProcess()
    let manifest = try temporaryFile("bad.yaml", "version: 1\nusers:\n  - username: x\n    emial: y\n")
    let result = try await RosterCLI.run(["plan", "-f", manifest] + sandbox.connection)
    #expect(result.status == 1)
    #expect(result.stderr.contains("bad.yaml:4:5: error: unknown key \"emial\" in a user; did you mean \"email\"?"))
    #expect(try await sandbox.requestLog().total == 0)
  }
}
