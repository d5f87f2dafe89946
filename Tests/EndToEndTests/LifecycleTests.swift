import Foundation
import RosterCore
import RosterTestSupport
import Testing

/// Day-2 work as a team meets it over weeks: real `roster` processes against a `roster-sandbox`.
@Suite struct LifecycleTests {
  static let seed = """
    {"users":[
      {"username":"admin","email":"admin@example.com","roles":"system_admin system_user"},
      {"username":"rob","email":"rob@example.com","nickname":"Robbie",
       "tokens":[{"id":"robtoken000000000000000000","token":"robsecret00000000000000000","description":"ci"}]},
      {"username":"carla","email":"carla@example.com","nickname":"Carla's own","position":"Dev"},
      {"username":"dan","email":"dan@example.com"}
    ]}
    """

  func sandbox() async throws -> SandboxProcess {
    try await SandboxProcess(["--seed", try temporaryFile("seed.json", Self.seed)])
  }

  func manifest(_ yaml: String) throws -> String { try temporaryFile("roster.yaml", "version: 1\n" + yaml) }

  func sink() throws -> String {
    let path = try temporaryFile("secrets.jsonl", "")
    try FileManager.default.removeItem(atPath: path)
    return path
  }

  func sinkLines(_ path: String) -> [[String: Any]] {
    let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    return text.split(separator: "\n").compactMap {
      (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
    }
  }

  func user(_ name: String, in sandbox: SandboxProcess) async throws -> [String: Any]? {
    try await sandbox.state().first { $0["username"] as? String == name }
  }

  // 1. Renames keep the account: one PUT /users/{id}/patch, same id, no create.
  @Test func aRenameIsOnePatchOnTheSameAccount() async throws {
    let sandbox = try await sandbox()
    let before = try #require(try await user("rob", in: sandbox))
    let file = try manifest(
      "users:\n  - username: robin\n    previous_usernames: [rob]\n    email: rob@example.com\n    tokens:\n      - description: ci\n"
    )
    let plan = try await RosterCLI.run(["plan", "-f", file, "--detailed-exitcode"] + sandbox.connection)
    #expect(plan.status == 2, "\(plan.stdout)\(plan.stderr)")
    #expect(plan.stdout.contains("~ rename user rob → robin"))
    #expect(!plan.stdout.contains("create user") && !plan.stdout.contains("- revoke"))
    try await sandbox.clearLog()
    let apply = try await RosterCLI.run(["apply", "-f", file, "--auto-approve"] + sandbox.connection)
    #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
    let log = try await sandbox.requestLog()
    #expect(log.writes == 1 && log.byRoute["PUT /api/v4/users/{user_id}/patch"] == 1, "\(log)")
    let after = try #require(try await user("robin", in: sandbox))
    #expect(after["id"] as? String == before["id"] as? String)
    #expect(try await user("rob", in: sandbox) == nil)
    // The token stayed with the account: its secret still signs in as robin.
    let me = try await sandbox.call("GET", "/users/me", token: "robsecret00000000000000000")
    #expect(me.object["username"] as? String == "robin")
    let again = try await RosterCLI.run(["plan", "-f", file, "--detailed-exitcode"] + sandbox.connection)
    #expect(again.status == 0, "\(again.stdout)")
  }

  @Test func aSavedPlanRenamesAndHandsAnAddressOver() async throws {
    let sandbox = try await sandbox()
    let file = try manifest(
      """
      users:
        - username: robin
          previous_usernames: [rob]
          email: dan@example.com
        - username: dan
          email: dan@new.example.com
      """)
    let saved = (try temporaryFile("x", "") as NSString).deletingLastPathComponent + "/plan.json"
    let plan = try await RosterCLI.run(["plan", "-f", file, "--out", saved] + sandbox.connection)
    #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")
    let document = try PlanDocument.decode(Data(contentsOf: URL(fileURLWithPath: saved)))
    let rename = try #require(document.steps.first { $0.kind == .renameUser })
    let patch = try #require(document.steps.first { $0.kind == .patchProfile })
    #expect(rename.dependsOn == [patch.index], "robin takes dan's address only after dan gives it up")
    let apply = try await RosterCLI.run(["apply", saved] + sandbox.connection)
    #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
    #expect((try await user("robin", in: sandbox))?["email"] as? String == "dan@example.com")
    #expect((try await user("dan", in: sandbox))?["email"] as? String == "dan@new.example.com")
    let swap = try manifest(
      "users:\n  - username: robin\n    email: dan@new.example.com\n  - username: dan\n    email: dan@example.com\n")
    let refused = try await RosterCLI.run(["plan", "-f", swap] + sandbox.connection)
    #expect(refused.status == 1)
    #expect(refused.stdout.contains("addresses cannot be swapped in one plan"), "\(refused.stdout)")
  }

  // 2. --only: an urgent offboarding goes through although another entry is broken and a gate trips.
  @Test func onlyAppliesOneUserPastOtherUsersErrorsAndGates() async throws {
    let sandbox = try await sandbox()
    let file = try manifest(
      """
      settings:
        max_deactivations: 1
      users:
        - username: admin
        - username: dan
          active: false
        - username: carla
          email: not-an-address
        - username: rob
          active: false
      """)
    let whole = try await RosterCLI.run(["plan", "-f", file] + sandbox.connection)
    #expect(whole.status == 1, "the broken entry blocks a whole plan")
    let fixed = try manifest(
      "settings:\n  max_deactivations: 1\nusers:\n  - username: admin\n  - username: dan\n    active: false\n  - username: rob\n    active: false\n"
    )
    let gated = try await RosterCLI.run(["plan", "-f", fixed] + sandbox.connection)
    #expect(gated.status == 3, "two deactivations trip the gate of one: \(gated.stdout)")
    let partial = try await RosterCLI.run(
      ["plan", "-f", file, "--only", "dan"] + sandbox.connection)
    #expect(partial.status == 0, "\(partial.stdout)\(partial.stderr)")
    #expect(partial.stdout.contains("Partial plan (--only dan)"))
    #expect(partial.stderr.contains("not targeted by --only, so only a warning"), "\(partial.stderr)")
    #expect(partial.stdout.contains("- deactivate user dan") && !partial.stdout.contains("deactivate user rob"))
    let apply = try await RosterCLI.run(
      ["apply", "-f", file, "--only", "dan", "--max-deactivations", "1", "--auto-approve"] + sandbox.connection)
    #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
    #expect((try await user("dan", in: sandbox))?["delete_at"] as? Int ?? 0 > 0)
    #expect((try await user("rob", in: sandbox))?["delete_at"] as? Int ?? 0 == 0, "rob was not targeted")
    let json = try await RosterCLI.run(
      ["plan", "-f", file, "--only", "rob", "--max-deactivations", "1", "--format", "json"] + sandbox.connection)
    #expect(try PlanDocument.decode(Data(json.stdout.utf8)).only == ["rob"])
  }

  // 3. Field ownership: what people edit themselves is not reverted.
  @Test func managedAndIgnoredFieldsAreLeftAlone() async throws {
    let sandbox = try await sandbox()
    let file = try manifest(
      """
      settings:
        managed_fields: [email, first_name, last_name, roles, tokens, position]
      users:
        - username: carla
          email: carla@example.com
          nickname: Carla
          position: Lead
          ignore_fields: [position]
        - username: dan
          email: dan@example.com
          first_name: Dan
      """)
    let plan = try await RosterCLI.run(["plan", "-f", file, "--format", "json"] + sandbox.connection)
    let steps = try PlanDocument.decode(Data(plan.stdout.utf8)).steps
    #expect(steps.map { "\($0.kind.rawValue) \($0.username)" } == ["patch_profile dan"], "\(plan.stdout)")
  }

  // 4. Export a team can keep: settings, defaults, no empty fields, split files, stable bytes.
  @Test func exportSplitsPlansEmptyAndIsByteIdentical() async throws {
    let sandbox = try await sandbox()
    let dir = (try temporaryFile("x", "") as NSString).deletingLastPathComponent + "/roster"
    let first = try await RosterCLI.run(
      ["export", "--out-dir", dir, "--fields", "all", "--schema", "../schemas/roster.schema.json"] + sandbox.connection)
    #expect(first.status == 0, "\(first.stderr)")
    let names = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
    #expect(names == ["roster.yaml", "users-a.yaml", "users-c.yaml", "users-d.yaml", "users-r.yaml"])
    let settings = try String(contentsOfFile: dir + "/roster.yaml", encoding: .utf8)
    #expect(settings.hasPrefix("# yaml-language-server: $schema=../schemas/roster.schema.json\n"))
    #expect(settings.contains("settings:\n  unmanaged_users: ignore\n  managed_fields: "))
    #expect(settings.contains("defaults:\n  locale: en\n"))
    let carla = try String(contentsOfFile: dir + "/users-c.yaml", encoding: .utf8)
    #expect(carla.contains("nickname: Carla's own") || carla.contains("nickname: \"Carla's own\""))
    #expect(!carla.contains("first_name"), "empty fields are left out")
    let plan = try await RosterCLI.run(["plan", "-f", dir, "--detailed-exitcode"] + sandbox.connection)
    #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")
    let bytes = try names.map { try Data(contentsOf: URL(fileURLWithPath: dir + "/" + $0)) }
    let second = try await RosterCLI.run(
      ["export", "--out-dir", dir, "--fields", "all", "--schema", "../schemas/roster.schema.json"] + sandbox.connection)
    #expect(second.status == 0)
    #expect(try names.map { try Data(contentsOf: URL(fileURLWithPath: dir + "/" + $0)) } == bytes)
    // A hand-written file beside the export is not the export's to delete.
    try "version: 1\nusers: []\n".write(toFile: dir + "/users-contractors.yaml", atomically: true, encoding: .utf8)
    try FileManager.default.removeItem(atPath: dir + "/users-a.yaml")
    // An earlier export's file for an initial no user has now: removed (only files an export wrote are).
    try "# Exported by roster from the live server.\nversion: 1\nusers: []\n".write(
      toFile: dir + "/users-q.yaml", atomically: true, encoding: .utf8)
    _ = try await RosterCLI.run(["export", "--out-dir", dir] + sandbox.connection)
    let after = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
    #expect(
      after.contains("users-contractors.yaml") && after.contains("users-a.yaml") && !after.contains("users-q.yaml"))
    let plain = try await RosterCLI.run(["export"] + sandbox.connection)
    #expect(!plain.stdout.contains("yaml-language-server") && !plain.stdout.contains("nickname"))
  }

  // 5. Token rotation: create, keep the secret, then revoke the old one.
  @Test func replaceTokenAndRotateAfterDaysRotateCreateBeforeRevoke() async throws {
    let sandbox = try await sandbox()
    let secrets = try sink()
    let file = try manifest(
      "users:\n  - username: rob\n    tokens:\n      - description: ci\n        rotate_after_days: 30\n")
    let unknown = try await RosterCLI.run(["plan", "-f", file, "--token-output", secrets] + sandbox.connection)
    #expect(unknown.stderr.contains("--replace-token rob/ci") || unknown.stdout.contains("--replace-token rob/ci"))
    let rotate = try await RosterCLI.run(
      ["apply", "-f", file, "--replace-token", "rob/ci", "--auto-approve", "--token-output", secrets]
        + sandbox.connection)
    #expect(rotate.status == 0, "\(rotate.stdout)\(rotate.stderr)")
    #expect(rotate.stdout.contains("rotated on request (--replace-token)"))
    let record = try #require(sinkLines(secrets).last { $0["token"] != nil })
    let newSecret = try #require(record["token"] as? String)
    #expect(!rotate.stdout.contains(newSecret) && !rotate.stderr.contains(newSecret))
    #expect(try await sandbox.call("GET", "/users/me", token: newSecret).status == 200)
    #expect(try await sandbox.call("GET", "/users/me", token: "robsecret00000000000000000").status == 401)
    // The sink now knows the token's age: young, so nothing to do; backdated past 30 days, rotated.
    let young = try await RosterCLI.run(
      ["plan", "-f", file, "--token-output", secrets, "--detailed-exitcode"] + sandbox.connection)
    #expect(young.status == 0, "\(young.stdout)\(young.stderr)")
    let text = try String(contentsOfFile: secrets, encoding: .utf8)
    let year = Calendar(identifier: .gregorian).component(.year, from: Date())
    try text.replacingOccurrences(of: "\"created_at\":\"\(year)", with: "\"created_at\":\"\(year - 1)")
      .write(toFile: secrets, atomically: false, encoding: .utf8)
    let old = try await RosterCLI.run(
      ["apply", "-f", file, "--auto-approve", "--token-output", secrets] + sandbox.connection)
    #expect(old.status == 0, "\(old.stdout)\(old.stderr)")
    #expect(old.stdout.contains("(rotate_after_days: 30)"), "\(old.stdout)")
    #expect(sinkLines(secrets).filter { $0["token"] != nil }.count == 2)
    #expect(try await sandbox.call("GET", "/users/me", token: newSecret).status == 401, "the rotated token is gone")
  }

  // 6. Onboarding in one step: a generated password in the sink, a reset link mailed.
  @Test func generatedPasswordGoesToTheSinkAndTheServerMailsAReset() async throws {
    let sandbox = try await sandbox()
    let secrets = try sink()
    let file = try manifest(
      "users:\n  - username: nina\n    email: Nina@Example.com\n    initial_password: generate\n    send_password_reset: true\n"
    )
    let missing = try await RosterCLI.run(["apply", "-f", file, "--auto-approve"] + sandbox.connection)
    #expect(missing.status == 3, "a generated password needs the sink: \(missing.stderr)")
    let apply = try await RosterCLI.run(
      ["apply", "-f", file, "--auto-approve", "--token-output", secrets] + sandbox.connection)
    #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
    #expect(apply.stdout.contains("~ send password reset to nina (nina@example.com)"))
    let record = try #require(sinkLines(secrets).first { $0["initial_password"] != nil })
    let password = try #require(record["initial_password"] as? String)
    #expect(record["username"] as? String == "nina")
    #expect(!apply.stdout.contains(password) && !apply.stderr.contains(password))
    let login = try await sandbox.call(
      "POST", "/users/login", json: #"{"login_id":"nina","password":"\#(password)"}"#, token: "")
    #expect(login.status == 200)
    let mail = try await sandbox.inspect("GET", "/mail") as? [[String: Any]] ?? []
    #expect(mail.map { "\($0["kind"] ?? "") \($0["to"] ?? "")" } == ["password_reset nina@example.com"])
    let again = try await RosterCLI.run(
      ["plan", "-f", file, "--detailed-exitcode", "--token-output", secrets] + sandbox.connection)
    #expect(again.status == 0, "no second mail once the user exists: \(again.stdout)")
  }
}
