import Foundation
import RosterCore
import RosterTestSupport
import Testing

/// Edited or damaged saved plans: redirected steps, removed gates, protected users; refused before any write.
extension SecurityTests {
  func savedPlan(
    _ sandbox: SandboxProcess, _ manifest: String, _ extra: [String] = []
  ) async throws -> (path: String, json: [String: Any]) {
    let out = try temporaryFile("plan.json", "")
    let plan = try await RosterCLI.run(["plan", "-f", manifest, "--out", out] + extra + sandbox.connection)
    #expect(plan.status == 0, "\(plan.stderr)")
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any])
    return (out, json)
  }

  func write(_ json: [String: Any], to path: String) throws {
    try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: path))
  }

  @Test func aStepRedirectedToTheActingAdminIsRefused() async throws {
    let sandbox = try await SandboxProcess(["--seed", try seedWithUsers(6)])
    let manifest = try temporaryFile("m.yaml", "version: 1\nusers:\n  - username: user05\n    active: false\n")
    var (path, json) = try await savedPlan(sandbox, manifest)
    let me = try #require(try await sandbox.call("GET", "/users/me").object["id"] as? String)
    var steps = try #require(json["steps"] as? [[String: Any]])
    steps[0]["user_id"] = me
    json["steps"] = steps
    try write(json, to: path)
    let result = try await RosterCLI.run(["apply", path, "--auto-approve"] + sandbox.connection)
    #expect(result.status == 3, "\(result.stdout)\(result.stderr)")
    #expect(result.stderr.contains("is not user05's"), "\(result.stderr)")
    #expect(try await sandbox.requestLog().writes == 0)
  }

  @Test func removedGatesAreRecomputedAndLoosenedSettingsIgnored() async throws {
    let sandbox = try await SandboxProcess(["--seed", try seedWithUsers(12)])
    let names = (1...12).map { String(format: "user%02d", $0) }
    var text = "version: 1\nsettings:\n  max_deactivations: 100%\nusers:\n  - username: admin\n"
    for name in names { text += "  - username: \(name)\n    active: false\n" }
    // The operator allowed it when planning; applying the file without that flag recomputes the gate.
    var (path, json) = try await savedPlan(sandbox, try temporaryFile("m.yaml", text), ["--max-deactivations", "100%"])
    json["gates"] = []
    json["safety"] = ["protected_users": [], "max_deactivations": "100%", "min_system_admins": 0]
    try write(json, to: path)
    let result = try await RosterCLI.run(["apply", path, "--auto-approve"] + sandbox.connection)
    #expect(result.status == 3, "\(result.stdout)\(result.stderr)")
    #expect(result.stderr.contains("12 deactivations exceed max_deactivations"), "\(result.stderr)")
    #expect(try await sandbox.requestLog().writes == 0)
  }

  @Test func aProtectedUserStaysProtectedInAnEditedPlan() async throws {
    let sandbox = try await SandboxProcess(["--seed", try seedWithUsers(4)])
    let manifest = try temporaryFile(
      "m.yaml", "version: 1\nsettings:\n  protected_users: [user01]\nusers:\n  - username: user02\n    active: false\n")
    var (path, json) = try await savedPlan(sandbox, manifest)
    let user01 = try #require(try await sandbox.call("GET", "/users/username/user01").object["id"] as? String)
    var steps = try #require(json["steps"] as? [[String: Any]])
    steps[0]["username"] = "user01"
    steps[0]["user_id"] = user01
    json["steps"] = steps
    try write(json, to: path)
    let result = try await RosterCLI.run(["apply", path, "--auto-approve"] + sandbox.connection)
    #expect(result.status == 3 && result.stderr.contains("user01 is a protected user"), "\(result.stderr)")
    #expect(try await sandbox.requestLog().writes == 0)
  }

  @Test func aDamagedPlanFileIsRefusedWithExitThree() async throws {
    let sandbox = try await SandboxProcess(["--seed", try seedWithUsers(3)])
    let manifest = try temporaryFile("m.yaml", "version: 1\nusers:\n  - username: user01\n    active: false\n")
    var (path, json) = try await savedPlan(sandbox, manifest)
    var steps = try #require(json["steps"] as? [[String: Any]])
    steps[0]["kind"] = "set_roles"
    json["steps"] = steps
    try write(json, to: path)
    let result = try await RosterCLI.run(["apply", path] + sandbox.connection)
    #expect(result.status == 3, "\(result.stderr)")
    #expect(result.stderr.contains("roles_before: missing"), "\(result.stderr)")
    #expect(try await sandbox.requestLog().writes == 0)
  }
}
