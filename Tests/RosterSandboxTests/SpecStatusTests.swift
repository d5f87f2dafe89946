import Foundation
import RosterClient
import RosterSandbox
import RosterTestSupport
import Testing

/// Each team, channel and system route answers a successful call with a status its operation documents
/// (OpenAPI/teams.yaml, channels.yaml, system.yaml, roles.yaml), e.g. 201 for adding members and 200 for reading them.
@Suite(.serialized, .inProcessSandboxes) struct SpecStatusTests {
  typealias F = MembershipFixture

  /// One successful call per route, run in this order against MembershipFixture (dan joins eng before
  /// dev, and leaves dev last); `nil` body for none.
  static func calls() -> [(route: String, path: String, body: String?)] {
    let (eng, dev) = (F.id("eng"), F.id("dev"))
    let (alice, bob, dan, erin) = (F.id("alice"), F.id("bob"), F.id("dan"), F.id("erin"))
    let roles = #"{"scheme_admin":true,"scheme_user":true}"#
    return [
      ("GET /system/ping", "/system/ping", nil),
      ("GET /config/client", "/config/client?format=old", nil),
      ("GET /config", "/config", nil),
      ("POST /roles/names", "/roles/names", #"["system_user","system_admin"]"#),
      ("GET /teams", "/teams", nil),
      ("GET /teams/{team_id}", "/teams/\(eng)", nil),
      ("GET /teams/name/{name}", "/teams/name/eng", nil),
      ("GET /teams/name/{team_name}/channels/name/{channel_name}", "/teams/name/eng/channels/name/dev", nil),
      ("GET /teams/{team_id}/stats", "/teams/\(eng)/stats", nil),
      ("GET /teams/{team_id}/members", "/teams/\(eng)/members", nil),
      ("POST /teams/{team_id}/members", "/teams/\(eng)/members", #"{"team_id":"\#(eng)","user_id":"\#(dan)"}"#),
      ("POST /teams/{team_id}/members/ids", "/teams/\(eng)/members/ids", #"["\#(alice)"]"#),
      (
        "POST /teams/{team_id}/members/batch", "/teams/\(eng)/members/batch",
        #"[{"team_id":"\#(eng)","user_id":"\#(erin)"}]"#
      ),
      ("PUT /teams/{team_id}/members/{user_id}/schemeRoles", "/teams/\(eng)/members/\(alice)/schemeRoles", roles),
      ("GET /teams/{team_id}/channels", "/teams/\(eng)/channels", nil),
      ("GET /teams/{team_id}/channels/private", "/teams/\(eng)/channels/private", nil),
      ("GET /teams/{team_id}/channels/deleted", "/teams/\(eng)/channels/deleted", nil),
      ("GET /channels", "/channels", nil),
      ("GET /channels/{channel_id}/members", "/channels/\(dev)/members", nil),
      ("POST /channels/{channel_id}/members", "/channels/\(dev)/members", #"{"user_id":"\#(dan)"}"#),
      ("GET /channels/{channel_id}/stats", "/channels/\(dev)/stats", nil),
      ("POST /channels/{channel_id}/members/ids", "/channels/\(dev)/members/ids", #"["\#(alice)"]"#),
      (
        "PUT /channels/{channel_id}/members/{user_id}/schemeRoles", "/channels/\(dev)/members/\(alice)/schemeRoles",
        roles
      ),
      ("GET /users/{user_id}/teams/members", "/users/\(alice)/teams/members", nil),
      ("GET /users/{user_id}/teams/{team_id}/channels/members", "/users/\(alice)/teams/\(eng)/channels/members", nil),
      ("GET /users/{user_id}/channel_members", "/users/\(alice)/channel_members", nil),
      ("GET /users/{user_id}/channels", "/users/\(alice)/channels?include_deleted=true", nil),
      ("DELETE /channels/{channel_id}/members/{user_id}", "/channels/\(dev)/members/\(dan)", nil),
      ("DELETE /teams/{team_id}/members/{user_id}", "/teams/\(eng)/members/\(bob)", nil),
    ]
  }

  @Test func everyRouteAnswersADocumentedSuccessStatus() async throws {
    let spec = try OpenAPISpec()
    let calls = Self.calls()
    let covered = Set(calls.map(\.route))
    for route in SandboxRoutes.all
    where ["teams.yaml", "channels.yaml", "system.yaml", "roles.yaml"].contains(OpenAPISpec.file(for: route.template)) {
      let name = "\(route.method) \(route.template)"
      guard !SpecWalkTests.undocumented.contains(name) else { continue }
      #expect(covered.contains(name), "\(name) has no sample call here")
    }
    let sandbox = try await F.sandbox()
    for call in calls {
      let parts = call.route.split(separator: " ", maxSplits: 1).map(String.init)
      let operation = try #require(spec.operation(parts[0], parts[1]), "\(call.route)")
      let documented = OpenAPISpec.successStatuses(operation)
      let response = try await sandbox.call(parts[0], call.path, json: call.body)
      #expect(documented.contains(response.status), "\(call.route): \(response.status), documented \(documented)")
    }
  }
}
