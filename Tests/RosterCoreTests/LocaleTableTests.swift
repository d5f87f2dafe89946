import Foundation
import RosterCore
import Testing

/// One row of `Tests/locale-verdicts.json`: a locale and golang.org/x/text/language's verdict on it, as
/// scripts/locale-table asked it. The sandbox's tests read the same file with their own reader.
struct LocaleVerdict: Decodable, Sendable, CustomTestStringConvertible {
  let tag: String
  /// language.Parse returned no error.
  let parses: Bool
  /// model.IsValidLocale: empty, or at most 5 bytes that parse.
  let server: Bool
  let note: String

  var testDescription: String { "\(String(reflecting: tag)) (\(note))" }

  static let table: [LocaleVerdict] = {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("../locale-verdicts.json").standardized
    guard let data = try? Data(contentsOf: url) else { return [] }
    return (try? JSONDecoder().decode([LocaleVerdict].self, from: data)) ?? []
  }()
}

/// Locales are refused exactly when the server refuses them: server/public/model/user.go IsValidLocale,
/// which takes an empty locale, or one of at most 5 bytes that golang.org/x/text/language.Parse accepts.
@Suite struct LocaleTableTests {
  @Test func theTableIsThere() {
    #expect(LocaleVerdict.table.count >= 80)
    #expect(LocaleVerdict.table.contains { $0.tag == "iw" && $0.server })
  }

  @Test(arguments: LocaleVerdict.table)
  func localeIsRefusedExactlyWhenModelUserIsValidLocaleRefusesIt(_ row: LocaleVerdict) {
    let problem = ServerRules.localeProblem(row.tag)
    #expect((problem == nil) == row.server, "\(problem ?? "accepted")")
  }
}
