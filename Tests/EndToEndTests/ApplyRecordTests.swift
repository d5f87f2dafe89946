import Foundation
import RosterTestSupport
import Testing

/// `apply --report FILE`: the JSON record a CI job keeps of what apply did.
@Suite struct ApplyRecordTests {
  func object(_ path: String) throws -> [String: Any] {
    try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
  }

  @Test func theRecordNamesThePlanEachStepsOutcomeRequestIdsTimingsAndVerification() async throws {
    let sandbox = try await SandboxProcess(["--seed", try temporaryFile("seed.json", StateFileTests.seed)])
    let manifest = try temporaryFile(
      "m.yaml",
      StateFileTests.manifest.replacingOccurrences(
        of: "  - username: ops\n", with: "  - username: ops\n    position: On call\n"))
    let dir = URL(fileURLWithPath: try temporaryFile("x", "")).deletingLastPathComponent()
    let report = dir.appendingPathComponent("apply-record.json").path
    let secrets = dir.appendingPathComponent("secrets.jsonl").path
    let apply = try await RosterCLI.run(
      ["apply", "-f", manifest, "--auto-approve", "--secrets-file", secrets, "--report", report] + sandbox.connection)
    #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
    let record = try object(report)
    #expect(record["result"] as? String == "applied" && record["exit_status"] as? Int == 0)
    let plan = try #require(record["plan"] as? [String: Any])
    #expect(plan["source"] as? String == "manifest" && plan["files"] as? [String] == [manifest])
    #expect((plan["digest"] as? String)?.count == 16 && plan["steps"] as? Int == 2)
    #expect(plan["server"] as? String == sandbox.url)
    let steps = try #require(record["steps"] as? [[String: Any]])
    #expect(steps.map { $0["kind"] as? String } == ["patch_profile", "create_token"], "\(steps)")
    for step in steps {
      #expect(step["outcome"] as? String == "done", "\(step)")
      let ids = step["request_ids"] as? [String] ?? []
      #expect(!ids.isEmpty && ids.allSatisfy { $0.count == 26 }, "the server's X-Request-Id of each call: \(ids)")
      #expect(step["started_at"] is String && (step["duration_ms"] as? Int ?? -1) >= 0)
    }
    #expect((record["verification"] as? [String: Any])?["status"] as? String == "verified")
    #expect(record["started_at"] is String && (record["duration_ms"] as? Int ?? -1) >= 0)
    let secret = try String(contentsOfFile: secrets, encoding: .utf8)
    let token = try #require(secret.firstMatch(of: /"token":"([a-z0-9]+)"/)?.1)
    #expect(!(try String(contentsOfFile: report, encoding: .utf8)).contains(String(token)), "no secret in the record")

    // A refusal is a record too: nothing ran, and it says why.
    let refusedManifest = try temporaryFile(
      "m2.yaml", StateFileTests.manifest.replacingOccurrences(of: "description: pager", with: "description: other"))
    let refused = try await RosterCLI.run(
      ["apply", "-f", refusedManifest, "--auto-approve", "--report", report] + sandbox.connection)
    #expect(refused.status == 3, "\(refused.stderr)")
    let second = try object(report)
    #expect(second["result"] as? String == "refused_no_secrets_file" && second["exit_status"] as? Int == 3)
    let notRun = try #require(second["steps"] as? [[String: Any]])
    #expect(!notRun.isEmpty && notRun.allSatisfy { $0["outcome"] as? String == "not_run" })
    #expect((second["verification"] as? [String: Any])?["status"] as? String == "not_run")
  }
}
