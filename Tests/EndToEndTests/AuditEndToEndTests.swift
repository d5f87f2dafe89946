import Foundation
import RosterCore
import RosterTestSupport
import Testing

/// `roster audit` as a process against a roster-sandbox seeded with a case for every rule.
@Suite struct AuditEndToEndTests {
  static let botTokenID = "bottokenid0000000000000000"

  /// One account per rule (admins with and without MFA or SSO, a delegated admin, a bot with an admin
  /// role, bots whose owner is deactivated or missing, a deactivated user with a token, a guest, an
  /// account idle since 2020, a remote user) and the manifest: declared alice drifts on position,
  /// declared newbie does not exist, admin is protected. Shared with scripts/audit_browser_check.py.
  static let fixtures = repositoryRoot.appendingPathComponent("Tests/EndToEndTests/AuditFixtures")
  static let seed = fixtures.appendingPathComponent("seed.json").path
  static let manifest = fixtures.appendingPathComponent("manifest.yaml").path

  func findings(_ json: [String: Any]) -> [(rule: String, severity: String, user: String, detail: [String: Any])] {
    ((json["findings"] as? [[String: Any]]) ?? []).map {
      (
        $0["rule"] as? String ?? "", $0["severity"] as? String ?? "", $0["username"] as? String ?? "",
        $0["detail"] as? [String: Any] ?? [:]
      )
    }
  }

  @Test func everyRuleFindsItsCaseAndTheJSONMatchesTheSchema() async throws {
    let sandbox = try await SandboxProcess(["--seed", Self.seed])
    let manifest = Self.manifest
    let secrets = try temporaryFile("secrets.jsonl", "")
    try
      (#"{"username":"adminbot","description":"deploy","token_id":"\#(Self.botTokenID)","token":"x","created_at":"2020-01-01T00:00:00Z"}"#
      + "\n").write(toFile: secrets, atomically: false, encoding: .utf8)
    chmod(secrets, 0o600)
    let result = try await RosterCLI.run(
      ["audit", "-f", manifest, "--format", "json", "--secrets-file", secrets, "--inactive-days", "30"]
        + sandbox.connection)
    #expect(result.status == 0, "no --fail-on: never fails. \(result.stderr)")
    let check = try SchemaCheck(
      schema: try Data(contentsOf: repositoryRoot.appendingPathComponent("schemas/audit.schema.json")))
    #expect(try check.problems(in: Data(result.stdout.utf8)) == [])
    let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let found = findings(json)
    func users(_ rule: String) -> [String] { found.filter { $0.rule == rule }.map(\.user).sorted() }
    #expect(users("system_admin") == ["admin", "adminbot", "mfaadmin", "ssoadmin"])
    #expect(users("delegated_admin") == ["manager"])
    #expect(users("bot_with_admin_role") == ["adminbot"])
    #expect(users("admin_without_mfa") == ["admin", "manager"], "not the MFA admin, the SSO admin nor the bot")
    #expect(
      users("unmanaged_account") == [
        "adminbot", "ghostbot", "guest1", "mallory", "manager", "mfaadmin", "orphanbot", "remote1", "sleepy",
        "ssoadmin",
      ], "protected admin, declared alice and deactivated gone are not")
    let unmanaged = found.filter { $0.rule == "unmanaged_account" }
    #expect(unmanaged.first { $0.user == "remote1" }?.detail["kind"] as? String == "remote")
    #expect(unmanaged.first { $0.user == "ghostbot" }?.detail["kind"] as? String == "bot")
    #expect(!unmanaged.contains { $0.user == "admin" || $0.user == "alice" || $0.user == "gone" })
    #expect(users("declared_not_on_server") == ["newbie"])
    let drift = try #require(found.first { $0.rule == "drift" })
    #expect(drift.user == "alice" && drift.detail["field"] as? String == "position")
    #expect(drift.detail["manifest"] as? String == "Lead" && drift.detail["server"] as? String == "Engineer")
    #expect(users("token_of_deactivated_user") == ["gone"])
    let expiry = found.filter { $0.rule == "token_without_expiry" }
    #expect(expiry.map(\.user).sorted() == ["adminbot", "gone"])
    #expect(expiry.allSatisfy { $0.severity == "medium" }, "the server has a 30-day lifetime policy")
    let ages = found.filter { $0.rule == "token_age" }
    #expect(ages.first { $0.user == "adminbot" }?.severity == "medium", "made in 2020 by roster's record")
    #expect(ages.first { $0.user == "gone" }?.detail["age"] as? String == "unknown")
    let orphans = found.filter { $0.rule == "orphaned_bot" }
    #expect(orphans.map(\.user).sorted() == ["ghostbot", "orphanbot"])
    #expect(orphans.first { $0.user == "ghostbot" }?.detail["owner_state"] as? String == "missing")
    #expect(orphans.first { $0.user == "orphanbot" }?.detail["owner_state"] as? String == "deactivated")
    #expect(users("no_login_since") == ["sleepy"])
    #expect(users("guest_account") == ["guest1"])
    let log = try await sandbox.requestLog()
    #expect(log.writes == 0, "audit never writes")
    #expect(json["requests"] as? Int == log.total, "the JSON counts the requests the sandbox saw")
    let coverage = try #require(json["coverage"] as? [String: Any])
    #expect((coverage["read"] as? [String])?.contains("bots") == true)
    #expect((coverage["read"] as? [String])?.contains("config") == true)
  }

  @Test func failOnDecidesTheExitStatusAndOneReadWritesEveryFormat() async throws {
    let sandbox = try await SandboxProcess(["--seed", Self.seed])
    for (level, status) in [("high", 2), ("info", 2)] as [(String, Int32)] {
      let run = try await RosterCLI.run(["audit", "--fail-on", level] + sandbox.connection)
      #expect(run.status == status, "\(level): \(run.stderr)")
    }
    let quiet = try await SandboxProcess(
      [
        "--seed",
        try temporaryFile(
          "quiet.json", #"{"users":[{"username":"admin","roles":"system_admin system_user","mfa_active":true}]}"#),
      ])
    #expect(try await RosterCLI.run(["audit", "--fail-on", "low"] + quiet.connection).status == 0)
    #expect(
      try await RosterCLI.run(["audit", "--fail-on", "info"] + quiet.connection).status == 2, "system_admin is info")
    let dir = URL(fileURLWithPath: try temporaryFile("x", "")).deletingLastPathComponent()
      .appendingPathComponent("audit-\(UUID().uuidString)").path
    let before = try await sandbox.requestLog().total
    let all = try await RosterCLI.run(
      ["audit", "--out-dir", dir] + ["json", "csv", "markdown", "text", "html"].flatMap { ["--format", $0] }
        + sandbox.connection)
    #expect(all.status == 0, "\(all.stderr)")
    let after = try await sandbox.requestLog().total
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/audit.json")))
        as? [String: Any])
    #expect(json["requests"] as? Int == after - before, "one read for every format")
    for name in ["audit.md", "audit.txt", "findings.csv", "users.csv", "audit.html"] {
      #expect(FileManager.default.fileExists(atPath: dir + "/" + name), "\(name)")
    }
    let users = try String(contentsOfFile: dir + "/users.csv", encoding: .utf8)
    #expect(
      users.hasPrefix(
        "username,id,active,auth_service,roles,is_bot,owner,mfa_active,tokens_active,tokens_total,in_manifest,update_at"
      ))
    #expect(users.contains("adminbot,") && users.contains(",admin,"), "a bot's owner by name")
    let markdown = try String(contentsOfFile: dir + "/audit.md", encoding: .utf8)
    let privileged = try #require(markdown.range(of: "#### Privileged accounts"))
    #expect(markdown.range(of: "<details>").map { privileged.lowerBound < $0.lowerBound } ?? true)
    let html = try String(contentsOfFile: dir + "/audit.html", encoding: .utf8)
    let findingsTable = try #require(html.firstRange(of: "<table class=\"data\" id=\"findings\">"))
    let findingRows = html[findingsTable.upperBound...].prefix { _ in true }.split(separator: "</table>")[0]
    #expect(
      findingRows.ranges(of: "<tr data-severity=").count == (json["findings"] as? [Any])?.count,
      "the page and the JSON come from one report")
    let refused = try await RosterCLI.run(["audit", "--format", "json", "--format", "csv"] + sandbox.connection)
    #expect(refused.status == 64, "several formats need --out-dir: \(refused.stderr)")
  }

  @Test func membershipRulesFollowTheMembershipsTheManifestManages() async throws {
    let seed = """
      {"users": [{"username": "admin", "roles": "system_admin system_user", "mfa_active": true},
        {"username": "alice"}, {"username": "mallory"}, {"username": "gone", "active": false}],
       "teams": [{"name": "eng", "members": [{"user": "alice", "scheme_admin": true},
        {"user": "mallory", "scheme_admin": true}, {"user": "gone"}]}],
       "channels": [{"team": "eng", "name": "incidents",
        "members": [{"user": "alice", "scheme_admin": true}, {"user": "mallory", "scheme_admin": true}]}]}
      """
    // eng removes unmanaged members, so its whole member list is read, with their channels in eng (a team
    // removal takes them along); joining eng put every member in the default channels too.
    let manifest = """
      version: 1
      settings:
        protected_users: [admin]
      teams:
        eng:
          unmanaged_members: remove
      users:
        - username: alice
          teams:
            eng:
              channels:
                incidents: []
      """
    let sandbox = try await SandboxProcess(["--seed", try temporaryFile("members-seed.json", seed)])
    let file = try temporaryFile("members.yaml", manifest)
    let result = try await RosterCLI.run(["audit", "-f", file, "--format", "json"] + sandbox.connection)
    #expect(result.status == 0, "\(result.stderr)")
    let check = try SchemaCheck(
      schema: try Data(contentsOf: repositoryRoot.appendingPathComponent("schemas/audit.schema.json")))
    #expect(try check.problems(in: Data(result.stdout.utf8)) == [])
    let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let found = findings(json)
    func rows(_ rule: String) -> [String] {
      found.filter { $0.rule == rule }.map { "\($0.user) \($0.detail["team"] ?? $0.detail["channel"] ?? "")" }.sorted()
    }
    #expect(rows("team_admin") == ["alice eng", "mallory eng"])
    #expect(rows("channel_admin") == ["alice eng/incidents", "mallory eng/incidents"])
    #expect(rows("deactivated_member") == ["gone eng", "gone eng/off-topic", "gone eng/town-square"])
    #expect(found.first { $0.rule == "deactivated_member" }?.severity == "low")
    let coverage = try #require(json["coverage"] as? [String: Any])
    #expect((coverage["read"] as? [String])?.contains("memberships") == true)
    #expect(try await sandbox.requestLog().writes == 0)
    let text = try await RosterCLI.run(["audit", "-f", file] + sandbox.connection)
    #expect(text.stdout.contains("cover only the teams and channels the manifest manages"), "\(text.stdout)")
  }
}
