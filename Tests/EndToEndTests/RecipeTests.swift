import Foundation
import RosterCore
import RosterTestSupport
import RosterYAML
import Testing

/// The CI recipes in examples/ci: every `roster` command of every job, in the order the jobs run
/// (pull request, merge, break-glass, nightly), against roster-sandbox. The pull-request job holds an
/// ordinary account's token (`plan --read-only`), the others the admin's.
@Suite struct RecipeTests {
  /// The pull-request job's token: an ordinary account that may read its own tokens.
  static let planSecret = "prplan00000000000000000000"

  /// The commands of a CI recipe, in order, with the shell's variables replaced by this test's paths.
  /// A command is a line's `roster ...` standing alone: at the start of a script line, after `run:` or a
  /// list dash, or after `set -o pipefail;`; one inside a shell branch (`|| { ...; roster show ...`) is
  /// the failure path and not run. Output redirections and pipes are cut off.
  static func rosterCommands(_ recipe: String, replacing: [(String, String)]) -> [[String]] {
    recipe.split(separator: "\n").compactMap { line -> [String]? in
      guard let start = line.range(of: "roster ") else { return nil }
      var before = line[..<start.lowerBound].trimmingCharacters(in: .whitespaces)
      for prefix in ["- ", "run: ", "-", "run:"] where before.hasPrefix(prefix) {
        before = String(before.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces)
      }
      guard before.isEmpty || before == "set -o pipefail;" else { return nil }
      var command = String(line[start.lowerBound...])
      for cut in [" >", " |"] { if let at = command.range(of: cut) { command = String(command[..<at.lowerBound]) } }
      for (from, to) in replacing { command = command.replacingOccurrences(of: from, with: to) }
      let words = command.split(separator: " ").map {
        String($0).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
      }
      return words.first == "roster" ? Array(words.dropFirst()) : nil
    }
  }

  @Test(arguments: ["github-actions.yml", "gitlab-ci.yml"])
  func everyJobOfTheCIRecipesRunsInOrder(recipe: String) async throws {
    let path = repositoryRoot.appendingPathComponent("examples/ci/\(recipe)").path
    let text = try String(contentsOfFile: path, encoding: .utf8)
    #expect(throws: Never.self) { _ = try YAMLReader.parse(Array(text.utf8), file: recipe) }
    let dir = URL(fileURLWithPath: try temporaryFile("x", "")).deletingLastPathComponent()
      .appendingPathComponent("runner-\(UUID().uuidString)")
    let roster = dir.appendingPathComponent("roster")
    try FileManager.default.createDirectory(at: roster, withIntermediateDirectories: true)
    try
      "version: 1\nusers:\n  - username: admin\n  - username: user01\n    position: Lead\n  - username: roster-plan\n    tokens:\n      - description: pr\n      - description: ci\n"
      .write(to: roster.appendingPathComponent("team.yaml"), atomically: true, encoding: .utf8)
    let state = dir.appendingPathComponent("state.jsonl").path
    let file = { (name: String) in dir.appendingPathComponent(name).path }
    let commands = Self.rosterCommands(
      text,
      replacing: [
        ("\"$ROSTER_DIR\"", roster.path), ("roster/", roster.path), ("\"$ROSTER_STATE\"", state),
        ("reviewed-plan.json", file("reviewed.json")), ("roster-apply.json", file("record.json")),
        (" plan.json", " " + file("plan.json")),
      ])
    // validate and plan (pull request); plan and apply the saved plan (merge); apply --force
    // (break-glass); audit and a drift check (nightly).
    #expect(
      commands.map { $0.first ?? "" } == ["validate", "plan", "plan", "apply", "apply", "audit", "plan"], "\(commands)")
    #expect(commands[4].contains("--force") && commands[6].contains("--detailed-exitcode"), "\(commands)")
    #expect(commands.filter { $0.first == "apply" }.allSatisfy { $0.contains("--state") && $0.contains("-") })
    // The admin and the token-holding plan account with MFA on, so the nightly audit's --fail-on high has no finding to fail on.
    let seed = try temporaryFile(
      "seed.json",
      #"{"users":[{"username":"admin","email":"admin@example.com","roles":"system_admin system_user","mfa_active":true},"#
        + #"{"username":"user01","email":"user01@example.com"},"#
        + #"{"username":"roster-plan","email":"plan@example.com","roles":"system_user system_user_access_token","#
        + #""mfa_active":true,"#
        + #""tokens":[{"description":"pr","token":"\#(Self.planSecret)"}]}]}"#)
    let sandbox = try await SandboxProcess(["--seed", seed])
    let env = ["MM_URL": sandbox.url, "MM_TOKEN": sandbox.adminToken]
    var secretStore = ""
    var records: [String] = []
    for (position, command) in commands.enumerated() {
      // validate and plan are the pull-request job's, with its own token.
      let token = position < 2 ? Self.planSecret : sandbox.adminToken
      let result = try await RosterCLI.run(command, environment: env.merging(["MM_TOKEN": token]) { $1 })
      #expect(result.status == 0, "\(command): \(result.stdout)\(result.stderr)")
      if command.first == "apply" {
        secretStore += result.stdout
        records.append((try? String(contentsOfFile: file("record.json"), encoding: .utf8)) ?? "")
      }
    }
    // The reviewed plan is the one applied: the merge job's plan has the same steps.
    let reviewed = try PlanDocument.decode(Data(contentsOf: URL(fileURLWithPath: file("reviewed.json"))))
    let applied = try PlanDocument.decode(Data(contentsOf: URL(fileURLWithPath: file("plan.json"))))
    #expect(!applied.steps.isEmpty && reviewed.steps == applied.steps)
    #expect(commands[1].contains("--read-only"), "\(commands[1])")
    // Planned by the ordinary account, read-only: its own tokens compared; only auth_service (shown to admins
    // alone) was not.
    #expect(reviewed.acting?.username == "roster-plan" && reviewed.readOnly, "\(reviewed.notCompared)")
    #expect(
      reviewed.notCompared.count == 1 && reviewed.notCompared[0].hasPrefix("auth_service"), "\(reviewed.notCompared)")
    #expect(secretStore.contains("\"token\":"), "the new secret went down the pipe to the secret store")
    let bookkeeping = try String(contentsOfFile: state, encoding: .utf8)
    #expect(bookkeeping.contains("\"token_id\"") && !bookkeeping.contains("\"token\":"), "state, no secret")
    #expect(records.first?.contains("\"request_ids\" : [\n") == true, "the merge apply's record: \(records)")
    #expect(records.last?.contains("\"result\" : \"nothing_to_do\"") == true, "break-glass found nothing left")
  }
}
