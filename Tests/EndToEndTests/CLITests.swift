import Foundation
import RosterTestSupport
import Testing

/// The offline commands as a user runs them: stdout, stderr and exit status of the built binary.
@Suite struct CLITests {
  @Test func validateReportsValidManifests() async throws {
    let result = try await RosterCLI.run(
      ["validate", "-f", repositoryRoot.appendingPathComponent("examples/multi-file").path],
      environment: ["DEMO_PASSWORD": "x"])
    #expect(result.status == 0)
    #expect(result.stdout == "Valid: 5 users.\n")
    #expect(result.stderr.isEmpty)
  }

  @Test func validateReportsEveryProblemAndFails() async throws {
    let file = try temporaryFile(
      "bad.yaml", "version: 1\nusers:\n  - username: a b\n    active: yes\n    password: hunter22\n")
    let result = try await RosterCLI.run(["validate", "-f", file])
    #expect(result.status == 1)
    #expect(result.stdout.isEmpty)
    #expect(
      result.stderr == """
        \(file):3:15: error: username "a b" may only contain a-z, 0-9, '.', '-' and '_'
        \(file):4:13: error: active must be true or false; "yes" is only a boolean in YAML 1.1, write true or false
        \(file):5:15: warning: password is written literally; secrets do not belong in Git, use ${VARIABLE}

        """)
  }

  @Test func aHundredThousandUserManifestValidates() async throws {
    // No alias at all: the alias-bomb bound once counted every node and refused rosters this large.
    var text = "version: 1\nusers:\n"
    for i in 0..<100_000 {
      text +=
        "  - username: user\(i)\n    email: user\(i)@example.com\n    first_name: First\n    roles: [system_user]\n"
    }
    let file = try temporaryFile("large.yaml", text)
    let result = try await RosterCLI.run(["validate", "-f", file])
    #expect(result.status == 0, "\(result.stderr.prefix(500))")
    #expect(result.stdout == "Valid: 100000 users.\n")
  }

  @Test func deepNestingFailsWithAPositionInsteadOfCrashing() async throws {
    let file = try temporaryFile("deep.yaml", "version: 1\nusers: " + String(repeating: "[", count: 50_000) + "\n")
    let result = try await RosterCLI.run(["validate", "-f", file])
    #expect(result.status == 1)
    #expect(result.stderr == "\(file):2:263: error: nesting deeper than 256 levels; a manifest needs four\n")
  }

  @Test func missingDefaultManifestIsAnError() async throws {
    let dir = FileManager.default.temporaryDirectory.path
    let result = try await RosterCLI.run(["validate", "-f", dir + "/does-not-exist.yaml"])
    #expect(result.status == 1)
    #expect(result.stderr.contains("does-not-exist.yaml:1:1: error: no such file or directory"))
  }

  @Test func schemaCommandPrintsTheCommittedSchema() async throws {
    let result = try await RosterCLI.run(["schema"])
    let committed = try String(
      contentsOf: repositoryRoot.appendingPathComponent("schemas/roster.schema.json"), encoding: .utf8)
    #expect(result.status == 0 && result.stdout == committed)
  }

  @Test func versionAndHelp() async throws {
    #expect(try await RosterCLI.run(["--version"]).stdout == "0.1.0\n")
    for command in ["validate", "plan", "apply", "show", "export", "schema"] {
      let help = try await RosterCLI.run([command, "--help"])
      #expect(help.status == 0 && help.stdout.contains("Examples:"), "\(command) --help has examples")
    }
    for command in ["plan", "apply"] {
      let help = try await RosterCLI.run([command, "--help"])
      #expect(
        help.stdout.contains("--secrets-file, --token-output <file>"),
        "\(command) --help names the secrets file and its old name: \(help.stdout)")
    }
  }

  @Test func tokenSecretsGoToStandardOutputOnlyWhenAskedFor() async throws {
    let sandbox = try await SandboxProcess()
    let manifest = try temporaryFile(
      "m.yaml",
      "version: 1\nusers:\n  - username: admin\n  - username: ops\n    email: ops@example.com\n    password: ${PW}\n    tokens:\n      - description: pager\n"
    )
    let result = try await RosterCLI.run(
      ["apply", "-f", manifest, "--auto-approve", "--token-output", "-"] + sandbox.connection,
      environment: ["PW": "ops-password-1"])
    #expect(result.status == 0, "\(result.stderr)")
    let line = try #require(result.stdout.split(separator: "\n").first { $0.contains("\"token\":") })
    let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
    #expect(object["username"] == "ops" && object["description"] == "pager")
    #expect(
      try await sandbox.call("GET", "/users/me", token: object["token"] ?? "").object["username"] as? String == "ops")
  }

  @Test func withoutAServerRosterSaysHowToGiveOne() async throws {
    // Never a guessed default: the token would go to whatever listens on a local port.
    let result = try await RosterCLI.run(["export"], environment: ["MM_TOKEN": "real-admin-token"])
    #expect(result.status == 1)
    #expect(result.stderr.contains("no server: pass --url or set MM_URL"))
    #expect(!result.stderr.contains("Usage:"), "a configuration error, not a usage dump")
  }

  @Test func aTokenWithALineBreakIsNeverSent() async throws {
    let sandbox = try await SandboxProcess()
    let result = try await RosterCLI.run(
      ["export", "--url", sandbox.url], environment: ["MM_TOKEN": "\(sandbox.adminToken)\r\nX-Injected: 1"])
    #expect(result.status == 1 && result.stderr.contains("line break or control character"))
    #expect(try await sandbox.requestLog().total == 0)
  }

  @Test func aURLWithTheAPIPathWorksAndConnectionErrorsNameTheServer() async throws {
    let sandbox = try await SandboxProcess()
    let export = try await RosterCLI.run(["export", "--url", sandbox.url + "/api/v4/", "--token", sandbox.adminToken])
    #expect(export.status == 0, "\(export.stderr)")
    let refused = try await RosterCLI.run(["export", "--url", "http://127.0.0.1:9", "--token", "x"])
    #expect(refused.status == 1 && refused.stderr.contains("(127.0.0.1:9)"), "\(refused.stderr)")
  }
}
