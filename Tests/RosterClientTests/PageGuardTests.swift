import Foundation
import RosterClient
import RosterCore
import Testing

/// GET /users clamps `per_page` to 200 (api4/user.go getUsers): a longer page is a hostile server's, and
/// is refused before a single user is built from it.
@Suite struct PageGuardTests {
  func reader(_ transport: ScriptedTransport) -> ServerReader {
    ServerReader(transport: transport, options: ConnectionOptions(baseURL: "http://test", token: "t"))
  }

  @Test func aPageLongerThanAskedForIsRefused() async {
    let transport = ScriptedTransport([ScriptedTransport.json(200, ClientTests.users(0..<201))])
    do {
      _ = try await reader(transport).allUsers()
      Issue.record("a 201-user page was read")
    } catch {
      #expect(error.message.contains("more than the 200 objects a page holds"), "\(error)")
    }
  }

  /// The length is checked in the reader's pass; a body the reader refuses early is still named as
  /// overlong when it is, as when the guard read every page first.
  @Test func anOverlongPageIsNamedSoWhereverItsFirstFaultLies() async {
    let broken = "[" + #"{"id":5,"username":"u"}"# + "," + String(ClientTests.users(1..<201).dropFirst())
    let transport = ScriptedTransport([ScriptedTransport.json(200, broken)])
    do {
      _ = try await reader(transport).allUsers()
      Issue.record("a broken 201-user page was read")
    } catch {
      #expect(error.message.contains("more than the 200 objects a page holds"), "\(error)")
    }
  }

  @Test func aBrokenPageOfAllowedLengthIsNamedByTheReader() async {
    let broken = "[" + #"{"id":5,"username":"u"}"# + "]"
    let transport = ScriptedTransport([ScriptedTransport.json(200, broken)])
    do {
      _ = try await reader(transport).allUsers()
      Issue.record("a broken page was read")
    } catch {
      #expect(error.message.contains("unexpected response body"), "\(error)")
    }
  }

  @Test func repeatedRowsAreReadOnce() async throws {
    let page = String(ClientTests.users(0..<3).dropLast()) + "," + String(ClientTests.users(1..<2).dropFirst())
    let transport = ScriptedTransport([ScriptedTransport.json(200, page)])
    #expect(try await reader(transport).allUsers().map(\.id) == (0..<3).map(ClientTests.id))
  }

  @Test func commasAndBracketsInsideValuesDoNotCount() async throws {
    let user = { (n: Int) in
      #"{"id":"\#(ClientTests.id(n))","username":"u\#(n)","nickname":"a, [b], {c}, \"d,\"","delete_at":0}"#
    }
    let page = "[" + (0..<199).map(user).joined(separator: " ,\n ") + "]"
    let transport = ScriptedTransport([ScriptedTransport.json(200, page)])
    #expect(try await reader(transport).allUsers().count == 199)
  }

  @Test func aTokenPageLongerThanAskedForIsRefused() async {
    let token = { (n: Int) in
      #"{"id":"t\#(String(format: "%025d", n))","user_id":"\#(ClientTests.id(1))","description":"d","is_active":true}"#
    }
    let transport = ScriptedTransport([
      ScriptedTransport.json(200, ClientTests.me), ScriptedTransport.json(200, ClientTests.users(0..<3)),
      ScriptedTransport.json(200, "[" + (0..<500).map(token).joined(separator: ",") + "]"),
    ])
    do {
      _ = try await reader(transport).liveState(ReadNeeds(tokens: .everyone))
      Issue.record("a 500-token page was read")
    } catch {
      #expect(error.message.contains("more than the 200"), "\(error)")
    }
  }
}
