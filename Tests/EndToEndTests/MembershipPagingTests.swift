import Foundation
import RosterCore
import RosterTestSupport
import Testing

/// A channel's member list comes in pages of 200 with no order on the server (channel_store.go
/// GetMembers has no ORDER BY; roster-sandbox shuffles it too): roster reads every page, keeps each
/// member once, and removes exactly the members nobody declares.
@Suite struct MembershipPagingTests {
  @Test func aChannelOfFourHundredFiftyIsReadWholeAndTrimmedExactly() async throws {
    let names = (0..<450).map { String(format: "u%03d", $0) }
    let users = names.map { #"{"username": "\#($0)", "email": "\#($0)@example.com", "password": "password-\#($0)"}"# }
    let members = names.map { #"{"user": "\#($0)"}"# }.joined(separator: ", ")
    let seed = """
      {"users": [{"username": "admin", "email": "admin@example.com", "password": "sandbox-admin-password",
                  "roles": "system_admin system_user"}, \(users.joined(separator: ", "))],
       "teams": [{"name": "eng", "members": [\(members)]}],
       "channels": [{"team": "eng", "name": "big", "members": [\(members)]}]}
      """
    let sandbox = try await SandboxProcess(["--seed", try temporaryFile("seed.json", seed)])
    defer { sandbox.stop() }
    let declared = names.prefix(100).map { "  - username: \($0)\n    teams: { eng: { channels: { big: [] } } }\n" }
    let yaml =
      "version: 1\nteams:\n  eng:\n    channels:\n      big: { unmanaged_members: remove }\nusers:\n"
      + declared.joined()
    let plan = try await RosterCLI.run(
      ["plan", "-f", try temporaryFile("roster.yaml", yaml), "--format", "json", "--max-membership-removals", "100%"]
        + sandbox.connection)
    #expect(plan.status == 0, "\(plan.stderr)")
    let removed = try PlanDocument.decode(Data(plan.stdout.utf8)).steps.filter { $0.kind == .removeChannelMember }
      .map(\.username)
    #expect(removed.count == 350 && Set(removed) == Set(names.dropFirst(100)), "\(removed.count) removals")
  }
}
