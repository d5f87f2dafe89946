import Foundation
import RosterCore
import RosterYAML
import RosterTestSupport
import Testing

/// The pull-request workflow: plans that fail on gates, manifests from pipes and nested directories.
@Suite struct WorkflowTests {
  @Test func aGatedPlanExitsThreeSoThePullRequestFails() async throws {
    let sandbox = try await SandboxProcess(["--seed", try seedWithUsers(10)])
    let manifest = try temporaryFile(
      "m.yaml", "version: 1\nsettings:\n  unmanaged_users: deactivate\nusers:\n  - username: admin\n")
    let plan = try await RosterCLI.run(["plan", "-f", manifest] + sandbox.connection)
    #expect(plan.status == 3, "\(plan.stdout)\(plan.stderr)")
    #expect(plan.stderr.contains("blocked: 10 deactivations exceed max_deactivations"), "\(plan.stderr)")
  }

  @Test func nestedDirectoriesAreReadAndListedInVerbose() async throws {
    let sandbox = try await SandboxProcess(["--seed", try seedWithUsers(2)])
    let root = URL(fileURLWithPath: try temporaryFile("x", "")).deletingLastPathComponent().appendingPathComponent(
      "roster")
    try FileManager.default.createDirectory(
      at: root.appendingPathComponent("teams/.hidden"), withIntermediateDirectories: true)
    try "version: 1\nsettings:\n  unmanaged_users: deactivate\nusers:\n  - username: admin\n"
      .write(to: root.appendingPathComponent("00-settings.yaml"), atomically: true, encoding: .utf8)
    try "version: 1\nusers:\n  - username: user01\n  - username: user02\n"
      .write(to: root.appendingPathComponent("teams/core.yml"), atomically: true, encoding: .utf8)
    try "not: [valid".write(to: root.appendingPathComponent("teams/.hidden/x.yaml"), atomically: true, encoding: .utf8)
    let plan = try await RosterCLI.run(
      ["plan", "-f", root.path, "--verbose", "--detailed-exitcode"] + sandbox.connection)
    #expect(plan.status == 0, "users in teams/ are managed, not deactivated: \(plan.stdout)\(plan.stderr)")
    #expect(plan.stderr.contains("roster: read \(root.path)/teams/core.yml"), "\(plan.stderr)")
    #expect(!plan.stderr.contains(".hidden"))
  }

  @Test func aManifestFromStandardInputAndAPlanToStandardOutput() async throws {
    let sandbox = try await SandboxProcess(["--seed", try seedWithUsers(1)])
    let result = try await RosterCLI.run(
      ["plan", "-f", "-", "--out", "-"] + sandbox.connection,
      stdin: "version: 1\nusers:\n  - username: user01\n    position: Lead\n")
    #expect(result.status == 0, "\(result.stderr)")
    let document = try PlanDocument.decode(Data(result.stdout.utf8))
    #expect(document.fingerprints != nil && document.steps.map(\.kind) == [.patchProfile])
    #expect(result.stderr.contains("~ update user user01"), "the rendering goes to standard error")
    #expect(!FileManager.default.fileExists(atPath: "-"))
  }

  @Test func pullRequestsWithoutSecretsValidateAndPlan() async throws {
    // Forks get no secrets: validate resolves nothing, and plan needs a password only to create its user.
    for example in ["examples/small-team.yaml", "examples/ci.yaml", "examples/multi-file"] {
      let result = try await RosterCLI.run(["validate", "-f", repositoryRoot.appendingPathComponent(example).path])
      #expect(result.status == 0, "\(example): \(result.stderr)")
      #expect(result.stderr.contains("is not set"), "the unset variable is a warning")
    }
    let sandbox = try await SandboxProcess(["--seed", try seedWithUsers(1)])
    let manifest = try temporaryFile(
      "m.yaml",
      "version: 1\nusers:\n  - username: user01\n    password: ${UNSET_PW}\n    position: Lead\n"
        + "  - username: newbie\n    email: n@example.com\n    password: ${UNSET_PW}\n")
    let plan = try await RosterCLI.run(["plan", "-f", manifest] + sandbox.connection)
    #expect(plan.status == 1, "the user to create needs it")
    #expect(
      plan.stdout.contains(
        "newbie: cannot create: the password from ${UNSET_PW} refers to an environment variable that is not set"),
      "\(plan.stdout)")
    #expect(!plan.stdout.contains("user01: cannot"), "an existing user's password is never needed")
  }

  @Test func showRendersASavedPlanWithoutAServer() async throws {
    let sandbox = try await SandboxProcess(["--seed", try seedWithUsers(1)])
    let saved = try temporaryFile("plan.json", "")
    let manifest = try temporaryFile("m.yaml", "version: 1\nusers:\n  - username: user01\n    position: Lead\n")
    let plan = try await RosterCLI.run(["plan", "-f", manifest, "--out", saved] + sandbox.connection)
    #expect(plan.status == 0)
    sandbox.kill()
    let text = try await RosterCLI.run(["show", saved])
    #expect(text.status == 0 && text.stdout == plan.stdout, "the same rendering, no server needed")
    let markdown = try await RosterCLI.run(["show", saved, "--format", "markdown"])
    #expect(markdown.stdout.contains("| 1 | ~ patch_profile | `user01` |"))
    let damaged = try temporaryFile("bad.json", "{}")
    let refused = try await RosterCLI.run(["show", damaged])
    #expect(refused.status == 1 && refused.stderr.contains("format_version: missing"), "\(refused.stderr)")
  }

  @Test func headlinesAreHonestAndCountTheUnmanaged() async throws {
    let sandbox = try await SandboxProcess(["--seed", try seedWithUsers(3)])
    let quiet = try temporaryFile("m.yaml", "version: 1\nusers:\n  - username: admin\n")
    let same = try await RosterCLI.run(["plan", "-f", quiet] + sandbox.connection)
    #expect(same.stdout.hasPrefix("No changes. The server matches the manifest."))
    #expect(same.stdout.contains("3 users not in the manifest: ignored."), "\(same.stdout)")
    let broken = try temporaryFile(
      "m.yaml", "version: 1\nusers:\n  - username: admin\n  - username: newbie\n    email: n@example.com\n")
    let errors = try await RosterCLI.run(["plan", "-f", broken] + sandbox.connection)
    #expect(errors.status == 1)
    #expect(errors.stdout.hasPrefix("The plan has errors"), "never 'No changes' over an error: \(errors.stdout)")
  }

  @Test func theManifestMayTightenGatesButNeverLoosenThem() async throws {
    let sandbox = try await SandboxProcess(["--seed", try seedWithUsers(10)])
    let loose = try temporaryFile(
      "m.yaml",
      "version: 1\nsettings:\n  unmanaged_users: deactivate\n  max_deactivations: 100%\n  min_system_admins: 0\nusers:\n  - username: admin\n"
    )
    let pr = try await RosterCLI.run(["plan", "-f", loose] + sandbox.connection)
    #expect(pr.status == 3, "the pull request's own 100% does not lift the default: \(pr.stderr)")
    let operatorAllows = try await RosterCLI.run(
      ["plan", "-f", loose, "--max-deactivations", "100%"] + sandbox.connection)
    #expect(operatorAllows.status == 0, "\(operatorAllows.stderr)")
    let tight = try temporaryFile(
      "m.yaml",
      "version: 1\nsettings:\n  unmanaged_users: deactivate\n  max_deactivations: 2\nusers:\n  - username: admin\n")
    let tightened = try await RosterCLI.run(["plan", "-f", tight, "--max-deactivations", "100%"] + sandbox.connection)
    #expect(tightened.status == 3, "the manifest tightens the operator's limit")
    let admins = try await RosterCLI.run(
      ["plan", "-f", loose, "--max-deactivations", "100%", "--min-system-admins", "2"] + sandbox.connection)
    #expect(admins.status == 1 && admins.stdout.contains("min_system_admins is 2"), "\(admins.stdout)")
  }

  @Test func newGatesCoverAdminRemovalsRevocationsAndUpdates() async throws {
    var users = [#"{"username":"admin","email":"admin@example.com","roles":"system_admin system_user"}"#]
    for i in 1...4 {
      users.append(
        #"{"username":"boss\#(i)","email":"b\#(i)@example.com","roles":"system_admin system_user","tokens":[{"description":"a"},{"description":"b"}]}"#
      )
    }
    let sandbox = try await SandboxProcess([
      "--seed", try temporaryFile("seed.json", #"{"users":[\#(users.joined(separator: ","))]}"#),
    ])
    var text = "version: 1\nusers:\n  - username: admin\n"
    for i in 1...4 {
      text += "  - username: boss\(i)\n    roles: [system_user]\n    position: Changed\n    tokens: []\n"
    }
    let plan = try await RosterCLI.run(["plan", "-f", try temporaryFile("m.yaml", text)] + sandbox.connection)
    #expect(plan.status == 3)
    for gate in [
      "4 system_admin removals exceed max_admin_removals", "8 token revocations exceed max_token_revocations",
      "4 profile updates exceed max_profile_updates",
    ] {
      #expect(plan.stderr.contains(gate), "\(gate): \(plan.stderr)")
    }
  }

  @Test func requiredAdminsAndProtectedNamesMustExist() async throws {
    let sandbox = try await SandboxProcess(["--seed", try seedWithUsers(2)])
    let manifest = try temporaryFile(
      "m.yaml",
      "version: 1\nsettings:\n  protected_users: [ghost]\n  required_admins: [user01]\nusers:\n  - username: admin\n")
    let plan = try await RosterCLI.run(["plan", "-f", manifest] + sandbox.connection)
    #expect(plan.status == 1)
    #expect(plan.stdout.contains("ghost is named in protected_users but there is no such user"), "\(plan.stdout)")
    #expect(
      plan.stdout.contains("user01: is in required_admins but would not be an active system admin"), "\(plan.stdout)")
  }

  @Test func githubAnnotationsColourAndQuiet() async throws {
    let bad = try temporaryFile("bad.yaml", "version: 1\nusers:\n  - username: a b\n")
    let validate = try await RosterCLI.run(["validate", "-f", bad, "--format", "github"])
    #expect(validate.status == 1)
    #expect(
      validate.stdout.contains("::error file=\(bad),line=3,col=15::username \"a b\" may only contain"),
      "\(validate.stdout)")
    let sandbox = try await SandboxProcess(["--seed", try seedWithUsers(1)])
    let manifest = try temporaryFile(
      "m.yaml",
      "version: 1\nusers:\n  - username: user01\n    position: Lead\n  - username: ghost\n    email: g@example.com\n")
    let plan = try await RosterCLI.run(["plan", "-f", manifest, "--format", "github"] + sandbox.connection)
    #expect(plan.stdout.contains("::error title=roster%3A ghost::cannot create"), "\(plan.stdout)")
    let colour = try await RosterCLI.run(["plan", "-f", manifest, "--color", "always"] + sandbox.connection)
    #expect(colour.stdout.contains("\u{1B}["), "always colours, even into a pipe and with NO_COLOR")
    let plain = try await RosterCLI.run(["plan", "-f", manifest, "--color", "never"] + sandbox.connection)
    #expect(!plain.stdout.contains("\u{1B}["))
    let quiet = try await RosterCLI.run(["plan", "-f", manifest, "--quiet"] + sandbox.connection)
    #expect(!quiet.stdout.contains("update user user01") && quiet.stdout.contains("Error: ghost: cannot create"))
    #expect(quiet.stdout.contains("Plan: 0 to create, 1 to update"), "\(quiet.stdout)")
  }

  @Test func aTokenWithoutAdminRightsIsCaughtAtPlanTime() async throws {
    let seed = try temporaryFile(
      "seed.json",
      #"{"users":[{"username":"admin","email":"admin@example.com","roles":"system_admin system_user"},"#
        + #"{"username":"plain","email":"plain@example.com","roles":"system_user system_user_access_token","tokens":[{"description":"ci","token":"plainusertoken000000000000"}]}]}"#
    )
    let sandbox = try await SandboxProcess(["--seed", seed])
    let manifest = try temporaryFile("m.yaml", "version: 1\nusers:\n  - username: admin\n    position: Boss\n")
    let plan = try await RosterCLI.run([
      "plan", "-f", manifest, "--url", sandbox.url, "--token", "plainusertoken000000000000",
    ])
    #expect(plan.status == 1, "\(plan.stdout)\(plan.stderr)")
    #expect(plan.stdout.contains("the acting user plain"), "\(plan.stdout)")
    #expect(try await sandbox.requestLog().writes == 0)
  }

  @Test func duplicateEmailsMarkdownHeaderPluralsAndRotationOrder() async throws {
    let dupes = try temporaryFile(
      "d.yaml",
      "version: 1\nusers:\n  - username: ann\n    email: Ann@Example.com\n  - username: anne\n    email: ann@example.com\n"
    )
    let validate = try await RosterCLI.run(["validate", "-f", dupes])
    #expect(
      validate.status == 1 && validate.stderr.contains("d.yaml:6:12: error: email ann@example.com is declared twice"),
      "\(validate.stderr)")
    let seed = try temporaryFile(
      "seed.json",
      #"{"users":[{"username":"admin","email":"admin@example.com","roles":"system_admin system_user"},"#
        + #"{"username":"bob","email":"bob@example.com","tokens":[{"description":"old"}]}]}"#)
    let sandbox = try await SandboxProcess(["--seed", seed])
    let manifest = try temporaryFile(
      "m.yaml",
      "version: 1\nusers:\n  - username: bob\n    roles: [system_user, system_admin]\n    tokens:\n      - description: new\n"
    )
    let markdown = try await RosterCLI.run(["plan", "-f", manifest, "--format", "markdown"] + sandbox.connection)
    #expect(markdown.stdout.contains("Server `\(sandbox.url)`, acting as `admin`."), "\(markdown.stdout)")
    #expect(markdown.stdout.contains("#### Privilege changes\n\n- `bob` grants system_admin"))
    #expect(
      markdown.stdout.contains("1 token to create") && markdown.stdout.contains("1 user not in the manifest: ignored"))
    let json = try await RosterCLI.run(["plan", "-f", manifest, "--format", "json"] + sandbox.connection)
    let steps = try PlanDocument.decode(Data(json.stdout.utf8)).steps
    let create = try #require(steps.first { $0.kind == .createToken })
    #expect(steps.first { $0.kind == .revokeToken }?.dependsOn == [create.index], "create before destroy")
  }

  @Test func aHugePlanShownAsMarkdownFitsAComment() async throws {
    var steps: [Step] = []
    for i in 0..<3_000 {
      var step = Step(
        .user(.patchProfile([FieldChange(field: "position", old: "Engineer", new: "Senior engineer \(i)")])),
        username: "user\(i)", userID: "u\(String(format: "%025d", i))")
      step.index = i
      steps.append(step)
    }
    let document = PlanDocument(plan: Plan(steps: steps), server: "https://chat.example.com", acting: nil, requests: 17)
    let file = try temporaryFile("big-plan.json", document.json())
    let shown = try await RosterCLI.run(["show", file, "--format", "markdown"])
    #expect(shown.status == 0, "\(shown.stderr)")
    #expect(shown.stdout.count <= 60_000 && shown.stdout.contains("Cut to fit a comment"))
    #expect(shown.stdout.contains("**Plan: 0 to create, 3000 to update"))
  }
}
