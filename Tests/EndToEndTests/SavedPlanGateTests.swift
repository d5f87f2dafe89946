import Foundation
import RosterCore
import RosterTestSupport
import Testing

/// A saved plan keeps every gate: `plan --out` on a blocked plan writes the file and says it is blocked,
/// `roster show` says so first, `roster apply PLANFILE` recomputes every gate against the live server
/// with the thresholds the plan recorded (manifest settings and operator flags) and refuses without
/// --force, writing nothing; with --force it applies.
@Suite struct SavedPlanGateTests {
  struct Case: Sendable, CustomStringConvertible {
    var gate: String
    var users: String
    var flags: [String] = []
    var settings = ""
    var description: String { gate }
  }

  /// admin (acting), four admins boss1..4 with tokens a and b, and user01..user12, three with token a.
  static func seed() throws -> String {
    var users = [#"{"username":"admin","email":"admin@example.com","roles":"system_admin system_user"}"#]
    for i in 1...4 {
      users.append(
        #"{"username":"boss\#(i)","email":"b\#(i)@example.com","roles":"system_admin system_user","tokens":[{"description":"a"},{"description":"b"}]}"#
      )
    }
    for i in 1...12 {
      let tokens = i <= 3 ? #","tokens":[{"description":"a"}]"# : ""
      users.append(#"{"username":"user\#(String(format: "%02d", i))","email":"u\#(i)@example.com"\#(tokens)}"#)
    }
    return try temporaryFile("seed.json", #"{"users":[\#(users.joined(separator: ","))]}"#)
  }

  static func everyone(except skipped: Set<String> = []) -> String {
    let names = ["admin"] + (1...4).map { "boss\($0)" } + (1...12).map { String(format: "user%02d", $0) }
    return names.filter { !skipped.contains($0) }.map { "  - username: \($0)\n" }.joined()
  }

  static let cases: [Case] = [
    // The operator's flag at plan time is recorded: the default (25% of 17 = 4) would let 3 pass.
    Case(
      gate: "max_deactivations", users: everyone(except: ["user10", "user11", "user12"]),
      flags: ["--max-deactivations", "2"], settings: "  unmanaged_users: deactivate\n"),
    // The manifest's setting is recorded; measured against today's 5 admins, not 17 managed users.
    Case(
      gate: "max_admin_removals",
      users: everyone(except: ["boss1", "boss2", "boss3"])
        + (1...3).map { "  - username: boss\($0)\n    roles: [system_user]\n" }.joined(),
      settings: "  max_admin_removals: 2\n"),
    Case(
      gate: "max_token_revocations",
      users: everyone(except: ["user01", "user02", "user03"])
        + (1...3).map { "  - username: user0\($0)\n    tokens: []\n" }.joined(),
      flags: ["--max-token-revocations", "1"]),
    Case(
      gate: "max_profile_updates",
      users: everyone(except: ["user01", "user02", "user03", "user04"])
        + (1...4).map { "  - username: user0\($0)\n    position: Lead\n" }.joined(),
      flags: ["--max-profile-updates", "2"]),
    // Three grants with five admins: the default (10%, at least 2) blocks.
    Case(
      gate: "max_admin_grants",
      users: everyone(except: ["user01", "user02", "user03"])
        + (1...3).map { "  - username: user0\($0)\n    roles: [system_user, system_user_access_token]\n" }.joined()),
    // A new address is a new owner: the password-reset route mails it.
    Case(
      gate: "max_privileged_identity_changes",
      users: everyone(except: ["boss1", "boss2"])
        + (1...2).map { "  - username: boss\($0)\n    email: new\($0)@example.com\n" }.joined()),
    Case(
      gate: "max_creates",
      users: everyone()
        + (1...3).map { "  - username: hire\($0)\n    email: h\($0)@example.com\n    password: ${PW}\n" }.joined(),
      flags: ["--max-creates", "2"]),
  ]

  @Test(arguments: cases)
  func aBlockedSavedPlanIsRefusedUntilForced(_ c: Case) async throws {
    let sandbox = try await SandboxProcess(["--seed", try Self.seed()])
    let manifest = try temporaryFile(
      "m.yaml", "version: 1\nsettings:\n\(c.settings)  protected_users: []\nusers:\n" + c.users)
    let saved = try temporaryFile("gated.plan", "")
    let env = ["PW": "a-long-enough-password"]
    let plan = try await RosterCLI.run(
      ["plan", "-f", manifest, "--out", saved] + c.flags + sandbox.connection, environment: env)
    #expect(plan.status == 3, "\(plan.stdout)\(plan.stderr)")
    #expect(plan.stderr.contains("exceed \(c.gate)"), "\(plan.stderr)")
    let document = try PlanDocument.decode(try Data(contentsOf: URL(fileURLWithPath: saved)))
    #expect(document.gates.contains { $0.contains(c.gate) }, "the file says it is blocked")
    let show = try await RosterCLI.run(["show", saved])
    #expect(show.stdout.hasPrefix("The plan is blocked by a safety gate"), "\(show.stdout)")

    try await sandbox.clearLog()
    let refused = try await RosterCLI.run(["apply", saved, "--auto-approve"] + sandbox.connection, environment: env)
    #expect(refused.status == 3, "\(refused.stdout)\(refused.stderr)")
    #expect(refused.stderr.contains("exceed \(c.gate)"), "\(refused.stderr)")
    #expect(try await sandbox.requestLog().writes == 0, "nothing written")

    let sink = try temporaryFile("tokens.jsonl", "")
    try FileManager.default.removeItem(atPath: sink)
    let forced = try await RosterCLI.run(
      ["apply", saved, "--auto-approve", "--force", "--token-output", sink] + sandbox.connection, environment: env)
    #expect(forced.status == 0, "\(forced.stdout)\(forced.stderr)")
    #expect(try await sandbox.requestLog().writes >= document.steps.count)
  }

  /// Flags given at apply only tighten what the plan recorded: a plan that passed is refused by a
  /// stricter flag, and a looser flag does not lift a recorded threshold.
  @Test func applyFlagsOnlyTighten() async throws {
    let sandbox = try await SandboxProcess(["--seed", try Self.seed()])
    let manifest = try temporaryFile(
      "m.yaml",
      "version: 1\nusers:\n" + Self.everyone(except: ["user01", "user02"])
        + (1...2).map { "  - username: user0\($0)\n    position: Lead\n" }.joined())
    let saved = try temporaryFile("ok.plan", "")
    let plan = try await RosterCLI.run(
      ["plan", "-f", manifest, "--out", saved, "--max-profile-updates", "1"] + sandbox.connection)
    #expect(plan.status == 3)
    let looser = try await RosterCLI.run(
      ["apply", saved, "--auto-approve", "--max-profile-updates", "100%"] + sandbox.connection)
    #expect(looser.status == 3, "a looser flag at apply does not lift the recorded 1: \(looser.stderr)")
    let fine = try temporaryFile("fine.plan", "")
    #expect(try await RosterCLI.run(["plan", "-f", manifest, "--out", fine] + sandbox.connection).status == 0)
    let tighter = try await RosterCLI.run(
      ["apply", fine, "--auto-approve", "--max-profile-updates", "1"] + sandbox.connection)
    #expect(tighter.status == 3, "\(tighter.stderr)")
    #expect(try await sandbox.requestLog().writes == 0)
  }

  /// The base of the shares of managed users cannot be padded: made-up names added to the file's
  /// `absent_users` (they only have to not exist) do not raise the limit apply computes.
  @Test func paddingTheFingerprintsDoesNotLoosenAGate() async throws {
    let sandbox = try await SandboxProcess(["--seed", try Self.seed()])
    let manifest = try temporaryFile(
      "m.yaml",
      "version: 1\nusers:\n  - username: admin\n"
        + (1...4).map { "  - username: user0\($0)\n    position: Lead\n" }.joined())
    let saved = try temporaryFile("p.plan", "")
    let plan = try await RosterCLI.run(["plan", "-f", manifest, "--out", saved] + sandbox.connection)
    #expect(plan.status == 3 && plan.stderr.contains("exceed max_profile_updates (30% of 5 managed users = 3)"))
    var document = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: saved))) as? [String: Any])
    var prints = try #require(document["fingerprints"] as? [String: Any])
    prints["absent_users"] = (prints["absent_users"] as? [String] ?? []) + (1...100).map { "nobody\($0)" }
    document["fingerprints"] = prints
    document["gates"] = [String]()
    try JSONSerialization.data(withJSONObject: document).write(to: URL(fileURLWithPath: saved))
    let apply = try await RosterCLI.run(["apply", saved, "--auto-approve"] + sandbox.connection)
    #expect(apply.status == 3 && apply.stderr.contains("exceed max_profile_updates"), "\(apply.stderr)")
    #expect(try await sandbox.requestLog().writes == 0)
  }

  /// `--protected-user` and `--required-admin` join the manifest's lists, at plan and at apply.
  @Test func operatorProtectedUsersAndRequiredAdmins() async throws {
    let sandbox = try await SandboxProcess(["--seed", try Self.seed()])
    let manifest = try temporaryFile(
      "m.yaml",
      "version: 1\nusers:\n" + Self.everyone(except: ["boss1", "user01"])
        + "  - username: boss1\n    roles: [system_user]\n  - username: user01\n    position: Lead\n")
    let protected = try await RosterCLI.run(
      ["plan", "-f", manifest, "--protected-user", "user01", "--detailed-exitcode"] + sandbox.connection)
    #expect(!protected.stdout.contains("update user user01"), "\(protected.stdout)")
    let required = try await RosterCLI.run(
      ["plan", "-f", manifest, "--required-admin", "boss1"] + sandbox.connection)
    #expect(required.status == 1)
    #expect(required.stdout.contains("boss1: is in required_admins"), "\(required.stdout)")
    let saved = try temporaryFile("p.plan", "")
    #expect(try await RosterCLI.run(["plan", "-f", manifest, "--out", saved] + sandbox.connection).status == 0)
    let atApply = try await RosterCLI.run(
      ["apply", saved, "--auto-approve", "--required-admin", "boss1"] + sandbox.connection)
    #expect(atApply.status == 3 && atApply.stderr.contains("boss1 is in required_admins"), "\(atApply.stderr)")
    let protectAtApply = try await RosterCLI.run(
      ["apply", saved, "--auto-approve", "--protected-user", "user01"] + sandbox.connection)
    #expect(protectAtApply.status == 3 && protectAtApply.stderr.contains("user01 is a protected user"))
    #expect(try await sandbox.requestLog().writes == 0)
  }
}
