import Foundation
import RosterTestSupport
import Testing

/// `plan --read-only` with a token that is not a system admin, as a pull-request job holds: roster-sandbox
/// answers it as the server answers such a caller (addresses hidden with ShowEmailAddress off, auth_service
/// blank, GET /users/tokens 403 without manage_system: model/user.go Sanitize, api4/user.go
/// getUserAccessTokens), and the plan compares what it read and names the rest.
@Suite struct ReadOnlyPlanTests {
  static let readerSecret = "ciread0000000000000000000a"

  static let seed = """
    {"settings":{"show_email_address":false,"enable_user_access_tokens":true,"ldap_mapped_attributes":["FirstName"]},
     "users":[
      {"username":"admin","email":"admin@example.com","roles":"system_admin system_user"},
      {"username":"ci-reader","email":"ci@example.com","roles":"system_user system_user_access_token",
       "tokens":[{"description":"ci","token":"\(readerSecret)"}]},
      {"username":"alice","email":"alice@example.com","position":"Engineer","tokens":[{"description":"deploy"}]},
      {"username":"bob","email":"bob@example.com","position":"Old"},
      {"username":"carol","email":"carol@example.com"}
    ]}
    """

  /// alice's new address and new token are invisible to the reader; bob's position is not.
  static let manifest = """
    version: 1
    users:
      - username: alice
        email: alice@new.example.com
        position: Engineer
        tokens:
          - description: deploy
          - description: extra
      - username: bob
        email: bob@example.com
        position: Lead
      - username: ci-reader
        email: ci@example.com
        tokens:
          - description: ci
      - username: carol
        active: false

    """

  func reader(_ sandbox: SandboxProcess) -> [String] { ["--url", sandbox.url, "--token", Self.readerSecret] }

  @Test func aNonAdminTokenComparesWhatItReadsAndNamesTheRest() async throws {
    let sandbox = try await SandboxProcess(["--seed", try temporaryFile("seed.json", Self.seed)])
    defer { sandbox.stop() }
    let file = try temporaryFile("roster.yaml", Self.manifest)
    try await sandbox.clearLog()
    let plan = try await RosterCLI.run(["plan", "-f", file, "--read-only"] + reader(sandbox))
    #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")
    #expect(plan.stdout.contains("update user bob"), "\(plan.stdout)")
    #expect(plan.stdout.contains("position: \"Old\" → \"Lead\""), "\(plan.stdout)")
    // What it could not read is named, and nothing is planned for it.
    #expect(plan.stdout.contains("Not compared (--read-only"), "\(plan.stdout)")
    #expect(plan.stdout.contains("email of 2 accounts"), "\(plan.stdout)")
    #expect(plan.stdout.contains("personal access tokens of 1 account"), "\(plan.stdout)")
    #expect(plan.stdout.contains("auth_service of 3 accounts"), "\(plan.stdout)")
    #expect(!plan.stdout.contains("extra"), "\(plan.stdout)")
    // The acting user's own row is compared from its self view: no warning about its own address.
    #expect(!plan.stdout.contains("email of the acting user"), "\(plan.stdout)")
    // carol's deactivation is planned, and what it would do to her tokens is named as unread.
    #expect(plan.stdout.contains("deactivate user carol"), "\(plan.stdout)")
    #expect(plan.stdout.contains("what on_deactivate does"), "\(plan.stdout)")
    #expect(!plan.stdout.contains("alice@new.example.com"), "\(plan.stdout)")
    #expect(!plan.stdout.contains("The server matches"), "\(plan.stdout)")
    let log = try await sandbox.requestLog()
    #expect(log.writes == 0)
    #expect(log.byRoute["GET /api/v4/users/tokens"] == nil, "\(log.byRoute)")
    #expect(log.byRoute["POST /api/v4/roles/names"] == 1, "\(log.byRoute)")

    // The admin's plan of the same manifest sees all of it.
    let whole = try await RosterCLI.run(["plan", "-f", file, "--read-only"] + sandbox.connection)
    #expect(whole.status == 0, "\(whole.stdout)\(whole.stderr)")
    #expect(!whole.stdout.contains("Not compared"), "\(whole.stdout)")
    #expect(whole.stdout.contains("alice@new.example.com"), "\(whole.stdout)")
    #expect(whole.stdout.contains("create token \"extra\""), "\(whole.stdout)")
  }

  @Test func aConvergedReadOnlyPlanNeverSaysTheServerMatches() async throws {
    let sandbox = try await SandboxProcess(["--seed", try temporaryFile("seed.json", Self.seed)])
    defer { sandbox.stop() }
    let file = try temporaryFile(
      "roster.yaml",
      "version: 1\nusers:\n  - username: alice\n    email: alice@example.com\n    tokens:\n      - description: deploy\n"
    )
    let text = try await RosterCLI.run(["plan", "-f", file, "--read-only"] + reader(sandbox))
    #expect(text.status == 0, "\(text.stdout)\(text.stderr)")
    #expect(text.stdout.contains("No changes in what this token could read"), "\(text.stdout)")
    #expect(!text.stdout.contains("The server matches"), "\(text.stdout)")
    #expect(!text.stdout.contains("on_deactivate"), "\(text.stdout)")
    let json = try await RosterCLI.run(["plan", "-f", file, "--read-only", "--format", "json"] + reader(sandbox))
    let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    let check = try SchemaCheck(
      schema: try Data(contentsOf: repositoryRoot.appendingPathComponent("schemas/plan.schema.json")))
    #expect(try check.problems(in: Data(json.stdout.utf8)) == [])
    let unseen = document["not_compared"] as? [String] ?? []
    #expect(unseen.contains { $0.hasPrefix("personal access tokens of 1 account") }, "\(unseen)")
    let markdown = try await RosterCLI.run(
      ["plan", "-f", file, "--read-only", "--format", "markdown"] + reader(sandbox))
    #expect(markdown.stdout.contains("not compared"), "\(markdown.stdout)")
    #expect(!markdown.stdout.contains("the server matches the manifest"), "\(markdown.stdout)")
  }

  @Test func withoutTheFlagTheRefusedReadFailsWithAHint() async throws {
    let sandbox = try await SandboxProcess(["--seed", try temporaryFile("seed.json", Self.seed)])
    defer { sandbox.stop() }
    let file = try temporaryFile("roster.yaml", Self.manifest)
    let plan = try await RosterCLI.run(["plan", "-f", file] + reader(sandbox))
    #expect(plan.status == 1, "\(plan.stdout)\(plan.stderr)")
    #expect(plan.stderr.contains("--read-only"), "\(plan.stderr)")
  }

  @Test func applyRefusesASavedReadOnlyPlan() async throws {
    let sandbox = try await SandboxProcess(["--seed", try temporaryFile("seed.json", Self.seed)])
    defer { sandbox.stop() }
    let file = try temporaryFile("roster.yaml", Self.manifest)
    let saved = try temporaryFile("plan.json", "")
    let plan = try await RosterCLI.run(["plan", "-f", file, "--read-only", "--out", saved] + reader(sandbox))
    #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")
    try await sandbox.clearLog()
    // The admin's token cannot apply it either: the plan's steps were never checked against a whole read.
    let apply = try await RosterCLI.run(["apply", saved, "--auto-approve"] + sandbox.connection)
    #expect(apply.status == 3, "\(apply.stdout)\(apply.stderr)")
    #expect((apply.stdout + apply.stderr).contains("--read-only"), "\(apply.stdout)\(apply.stderr)")
    #expect(try await sandbox.requestLog().writes == 0)
  }
}
