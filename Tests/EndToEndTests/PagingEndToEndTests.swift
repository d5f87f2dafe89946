import Foundation
import RosterCore
import RosterTestSupport
import Testing

/// Reading every page of a large server, with the binaries the tests are pointed at. CI runs this suite
/// a second time against release binaries (`ROSTER_PRODUCTS=.build/release`): a release build once read
/// only the first 200 users while every debug test passed.
@Suite struct PagingEndToEndTests {
  /// A seed of `count` users (the first an admin); every fifth user holds one token.
  static func seed(users count: Int) throws -> (path: String, tokens: Int) {
    var users = [#"{"username":"admin","email":"admin@example.com","roles":"system_admin system_user"}"#]
    var tokens = 0
    for i in 1..<count {
      let name = "user\(String(format: "%05d", i))"
      var user = #"{"username":"\#(name)","email":"\#(name)@example.com","first_name":"U\#(i)""#
      if i % 5 == 0 {
        user += #","tokens":[{"description":"ci"}]"#
        tokens += 1
      }
      users.append(user + "}")
    }
    return (try temporaryFile("seed.json", #"{"users":[\#(users.joined(separator: ",\n"))]}"#), tokens)
  }

  /// Counts numbers not divisible by 200 on purpose (1,037 and 10,037): the last page is partial.
  @Test(arguments: [1037, 10037])
  func exportListsEveryUserAndItsManifestPlansToNoChanges(users count: Int) async throws {
    let (seedPath, tokenCount) = try Self.seed(users: count)
    let sandbox = try await SandboxProcess(["--seed", seedPath])
    defer { sandbox.stop() }

    let exported = try temporaryFile("exported.yaml", "")
    let export = try await RosterCLI.run(["export", "--out", exported] + sandbox.connection)
    #expect(export.status == 0, "\(export.stderr)")
    let text = try String(contentsOfFile: exported, encoding: .utf8)
    let listed = text.split(separator: "\n").filter { $0.hasPrefix("  - username: ") }.count
    #expect(listed == count, "export lists every user, not only the first page")
    #expect(text.contains("  - username: user\(String(format: "%05d", count - 1))"))

    try await sandbox.clearLog()
    let plan = try await RosterCLI.run(["plan", "-f", exported, "--detailed-exitcode"] + sandbox.connection)
    #expect(plan.status == 0, "\(plan.stdout.suffix(2000))\(plan.stderr)")
    #expect(plan.stdout.contains("No changes."))
    let log = try await sandbox.requestLog()
    let bound = (count + 199) / 200 + (tokenCount + 199) / 200 + 3
    #expect(
      log.total <= bound, "\(log.total) reads for \(count) users, \(tokenCount) tokens; bound \(bound): \(log.byRoute)")
    #expect(log.byRoute["GET /api/v4/users"] == (count + 199) / 200)
    #expect(log.writes == 0)
  }
}
