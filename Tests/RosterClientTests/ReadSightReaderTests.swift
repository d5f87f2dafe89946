import Foundation
import RosterClient
import RosterCore
import Testing

/// `liveState(_:readOnly:)` reads by what the token's roles grant (POST /roles/names). roster-sandbox has
/// no permission schemes, so a system_user role without view_members (which a server's scheme can
/// remove: model/role.go defaults grant it) is scripted here: the partial user list is never read.
@Suite struct ReadSightReaderTests {
  static let me =
    #"{"id":"me000000000000000000000000","username":"reader","email":"r@example.com","roles":"system_user","delete_at":0}"#

  func reader(_ transport: ScriptedTransport) -> ServerReader {
    ServerReader(transport: transport, options: ConnectionOptions(baseURL: "http://test", token: "t"))
  }

  func script(permissions: String) -> ScriptedTransport {
    ScriptedTransport { request in
      let text: String =
        switch request.path {
        case "/api/v4/users/me": Self.me
        case "/api/v4/config/client?format=old": #"{"ShowEmailAddress":"false","ShowFullName":"true"}"#
        case "/api/v4/roles/names": #"[{"name":"system_user","permissions":\#(permissions)}]"#
        case let path where path.contains("/tokens"):
          #"[{"id":"tk000000000000000000000000","user_id":"me000000000000000000000000","description":"pr","is_active":true}]"#
        default: #"[{"id":"al000000000000000000000000","username":"alice","delete_at":0}]"#
        }
      return .success(HTTPResponse(status: 200, headers: [:], body: Data(text.utf8)))
    }
  }

  @Test func withoutViewMembersTheUserListIsNotRead() async throws {
    let transport = script(permissions: #"["list_public_teams"]"#)
    let live = try await reader(transport).liveState(ReadNeeds(tokens: .everyone, clientConfig: true), readOnly: true)
    #expect(!live.sight.everyUser)
    #expect(live.users.map(\.username) == ["reader"])
    #expect(!transport.paths.contains { $0.hasPrefix("GET /api/v4/users?") }, "\(transport.paths)")
    #expect(!transport.paths.contains { $0.contains("tokens") }, "no token read without read_user_access_token")
  }

  @Test func withViewMembersEveryoneIsListedAndAddressesAreKnownHidden() async throws {
    let transport = script(permissions: #"["view_members","read_user_access_token"]"#)
    let live = try await reader(transport).liveState(ReadNeeds(tokens: .everyone, clientConfig: true), readOnly: true)
    #expect(live.sight.everyUser && !live.sight.emails && live.sight.fullNames && !live.sight.othersTokens)
    #expect(live.users.map(\.username) == ["alice"])
    #expect(live.tokensReadFor == ["me000000000000000000000000"], "its own tokens only")
    #expect(transport.paths.contains("GET /api/v4/users/me000000000000000000000000/tokens?page=0&per_page=200"))
    #expect(!transport.paths.contains { $0.hasPrefix("GET /api/v4/users/tokens") }, "\(transport.paths)")
  }
}
