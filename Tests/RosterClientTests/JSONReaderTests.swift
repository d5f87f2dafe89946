import Foundation
import RosterCore
import Testing

@testable import RosterClient

/// The user and token pages are read by `JSONReader`, not `JSONDecoder`: it must read what the decoder
/// read and refuse what it refused (and a field roster reads written twice).
@Suite struct JSONReaderTests {
  static let id = "u" + String(repeating: "0", count: 25)

  func users(_ text: String) throws(JSONReader.Failure) -> [LiveUser]? {
    let bytes = Array(text.utf8)
    return try Self.read(bytes) { (reader) throws(JSONReader.Failure) in
      try reader.array { (reader) throws(JSONReader.Failure) in try UserBody(reading: &reader).live }
    }
  }

  func tokens(_ text: String) throws(JSONReader.Failure) -> [LiveToken]? {
    try Self.read(Array(text.utf8)) { (reader) throws(JSONReader.Failure) in
      try reader.array { (reader) throws(JSONReader.Failure) in try TokenBody(reading: &reader).live }
    }
  }

  static func read<T>(
    _ bytes: [UInt8], _ body: (inout JSONReader) throws(JSONReader.Failure) -> T
  ) throws(JSONReader.Failure) -> T {
    let result: Result<T, JSONReader.Failure> = bytes.withUnsafeBytes { raw in
      var reader = JSONReader(raw)
      do throws(JSONReader.Failure) { return .success(try body(&reader)) } catch { return .failure(error) }
    }
    return try result.get()
  }

  @Test func readsEveryFieldRosterUsesAndSkipsTheRest() throws {
    let text = #"""
       [ {"id":"\#(Self.id)", "timezone": {"a": [1, -2.5e+3, true, null, {"b": "\u00e9"}]},
         "props": {"roster_owner": "eng", "theme": "d\u00e4rk"},
         "username":"ana", "email":"ana@example.com", "first_name":"\u00c9l\u00e9onore \ud83d\ude00",
         "last_name":"O\"Neil\\\/", "nickname":"", "position":null, "locale":"fr", "roles":"system_user",
         "auth_service":"", "delete_at":1e3, "update_at":1700000000000.0, "is_bot":false,
         "remote_id":"r", "auth_data":null, "mfa_active":true, "notify_props":{"x":"y"}} ]
      """#
    let user = try #require(try users(text)?.first)
    #expect(user.id == Self.id && user.username == "ana" && user.email == "ana@example.com")
    #expect(user.firstName == "Éléonore 😀" && user.lastName == "O\"Neil\\/" && user.position == "")
    #expect(user.locale == "fr" && user.roles == "system_user" && user.deleteAt == 1000)
    #expect(user.updateAt == 1_700_000_000_000 && !user.isBot && user.isRemote && user.mfaActive)
    #expect(user.authData == "" && user.props == ["roster_owner": "eng", "theme": "därk"])
  }

  @Test func absentFieldsTakeTheDecodersDefaults() throws {
    let user = try #require(try users(#"[{"id":"\#(Self.id)","username":"bo"}]"#)?.first)
    #expect(user.roles == "" && user.locale == "" && user.deleteAt == 0 && user.authData == "")
    #expect(!user.isBot && !user.isRemote && !user.mfaActive && user.props == nil)
    #expect(try users(" null ") == nil)
    #expect(try users("[]")?.isEmpty == true)
  }

  @Test(arguments: [
    // Types of the fields roster reads.
    #"[{"id":"ID","username":null}]"#, #"[{"id":"ID"}]"#, #"[{"username":"a"}]"#,
    #"[{"id":"ID","username":"a","delete_at":"5"}]"#, #"[{"id":"ID","username":"a","delete_at":1.5}]"#,
    #"[{"id":"ID","username":"a","delete_at":9223372036854775808}]"#,
    #"[{"id":"ID","username":"a","is_bot":1}]"#, #"[{"id":"ID","username":"a","roles":["x"]}]"#,
    // A field roster reads, twice.
    #"[{"id":"ID","username":"a","roles":"system_user","roles":"system_admin"}]"#,
    // Bad JSON, in read and in skipped values alike.
    #"[{"id":"ID","username":"a","props":{"a":}}]"#, #"[{"id":"ID","username":"a","props":{"a":1}}]"#,
    #"[{"id":"ID","username":"a","props":{"a":"x","a":"y"}}]"#, #"[{"id":"ID","username":"a","props":[]}]"#,
    #"[{"id":"ID","username":"a","x":01}]"#,
    #"[{"id":"ID","username":"a","x":"\ud800"}]"#, #"[{"id":"ID","username":"a\ud800"}]"#,
    "[{\"id\":\"ID\",\"username\":\"a\tb\"}]", #"[{"id":"ID","username":"a","x":"\x"}]"#,
    #"[{"id":"ID","username":"a",}]"#, #"[{"id":"ID","username":"a"},]"#, #"[{"id":"ID","username":"a"}] x"#,
    #"[{"id":"ID","username":"a","x":tru}]"#, #"[{"id":"ID","username":"a","x":-}]"#,
    #"[{"id":"ID","username":"a","x":1.}]"#, #"[{"id":"ID","username":"a""#, "[null]", "{}", "",
    #"[{"id":"ID","username":"a","x":"# + String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
      + "}]",
  ])
  func badBodiesAreRefused(_ text: String) {
    let text = text.replacingOccurrences(of: "ID", with: Self.id)
    #expect(throws: JSONReader.Failure.self, "\(text)") { try users(text) }
  }

  @Test func invalidUTF8IsRefusedEvenInASkippedValue() {
    var bytes = Array(#"[{"id":"\#(Self.id)","username":"a","x":"__"}]"#.utf8)
    let at = bytes.firstIndex(of: UInt8(ascii: "_"))!
    bytes[at] = 0xC3
    bytes[at + 1] = 0x28
    #expect(throws: JSONReader.Failure.self) {
      try Self.read(bytes) { (reader) throws(JSONReader.Failure) in
        try reader.array { (reader) throws(JSONReader.Failure) in try UserBody(reading: &reader) }
      }
    }
  }

  @Test func tokensNeedTheirFieldsAndMayLackExpiry() throws {
    let token = #"{"id":"t","user_id":"u","description":"ci","is_active":true}"#
    #expect(try tokens("[\(token)]")?.first?.expiresAt == 0)
    let expiring = #"{"id":"t","user_id":"u","description":"ci","is_active":false,"expires_at":5}"#
    let read = try tokens("[\(expiring)]")?.first
    #expect(read == LiveToken(id: "t", userID: "u", description: "ci", isActive: false, expiresAt: 5))
    #expect(throws: JSONReader.Failure.self) { try tokens(#"[{"id":"t","user_id":"u","description":"ci"}]"#) }
    #expect(throws: JSONReader.Failure.self) {
      try tokens(#"[{"id":"t","user_id":"u","description":null,"is_active":true}]"#)
    }
  }
}
