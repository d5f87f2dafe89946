import Foundation
import RosterCore
@testable import RosterSandbox
import Testing

/// A patched locale is refused exactly as the server refuses it: server/public/model/user.go IsValid
/// calls IsValidLocale, which takes an empty locale, or one of at most 5 bytes that
/// golang.org/x/text/language.Parse accepts, and otherwise answers 400
/// model.user.is_valid.locale.app_error. The table is `Tests/locale-verdicts.json`, x/text's own verdicts
/// as scripts/locale-table wrote them.
@Suite(.serialized, .inProcessSandboxes) struct SandboxLocaleTests {
  let sandbox: InProcessSandbox

  init() async throws { sandbox = try await InProcessSandbox() }

  /// (locale, whether the server accepts it, why the row is there).
  static func table() throws -> [(String, Bool, String)] {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("../locale-verdicts.json").standardized
    let rows = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [[String: Any]] ?? []
    return rows.compactMap { row in
      guard let tag = row["tag"] as? String, let server = row["server"] as? Bool else { return nil }
      return (tag, server, row["note"] as? String ?? "")
    }
  }

  @Test func everyLocaleOfTheTableIsPatchedAsModelUserIsValidLocaleSays() async throws {
    let rows = try Self.table()
    #expect(rows.count >= 80)
    let created = try await sandbox.call(
      "POST", "/users", json: #"{"username":"lena","email":"lena@example.com","password":"password-1"}"#)
    let id = try #require(created.object["id"] as? String)
    for (tag, accepted, note) in rows {
      let body = try JSONSerialization.data(withJSONObject: ["locale": tag])
      let response = try await sandbox.call("PUT", "/users/\(id)/patch", json: String(decoding: body, as: UTF8.self))
      if accepted {
        #expect(response.status == 200, "\(String(reflecting: tag)) (\(note)): \(response.text)")
        #expect(response.object["locale"] as? String == tag, "\(String(reflecting: tag)) is stored as sent")
      } else {
        #expect(
          response.status == 400 && response.errorID == "model.user.is_valid.locale.app_error",
          "\(String(reflecting: tag)) (\(note)): \(response.status) \(response.text)")
      }
    }
  }

  /// roster (LocaleRegistry.swift) and the sandbox (SandboxLocaleRegistry.swift) decode their own copies
  /// of x/text's registries; they agree on every language of 2 or 3 letters and every language-region
  /// pair of 5 bytes, and hold as many codes as x/text (190, 8,748 and 326 with CLDR 32).
  @Test func rosterAndTheSandboxReadTheSameRegistries() {
    #expect(SandboxLocales.known.languages2.count == 190 && SandboxLocales.known.languages3.count == 8748)
    #expect(SandboxLocales.known.regions2.count == 326)
    let letters = "abcdefghijklmnopqrstuvwxyz".map(String.init)
    var disagreements: [String] = []
    func compare(_ tag: String) {
      if (ServerRules.localeProblem(tag) == nil) != SandboxRules.validLocale(tag) { disagreements.append(tag) }
    }
    for a in letters {
      for b in letters {
        compare(a + b)
        for c in letters { compare(a + b + c) }
        for r in letters { for s in letters { compare(a + b + "-" + (r + s).uppercased()) } }
      }
    }
    #expect(disagreements.isEmpty, "\(disagreements.prefix(20))")
  }
}
