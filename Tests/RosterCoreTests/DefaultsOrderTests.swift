import RosterCore
import Testing

/// `defaults` applies to every user wherever it is written: before or after `users` in one file, or in
/// a file read before or after the users' file. The loader's answer must not depend on that order.
@Suite struct DefaultsOrderTests {
  static let users =
    "users:\n  - username: alice\n    auth_data: alice-sso\n  - username: bob\n    email: bob@example.com\n"
  static let defaults = "defaults:\n  auth_service: gitlab\n  position: Staff\n"

  func load(_ files: [(name: String, text: String)], only: Set<String>? = nil) -> LoadResult {
    ManifestLoader.load(files.map { ManifestFile(name: $0.name, bytes: Array($0.text.utf8)) }, env: [:], only: only)
  }

  /// What a load says about its users, comparable across orders.
  func summary(_ result: LoadResult) -> [String] {
    (result.manifest?.users ?? []).map {
      "\($0.username) \($0.authService ?? "-") \($0.authData ?? "-") \($0.position ?? "-")"
    }
  }

  @Test func defaultsAfterUsersInOneFileGiveTheSameManifest() {
    let before = load([("m.yaml", "version: 1\n" + Self.defaults + Self.users)])
    let after = load([("m.yaml", "version: 1\n" + Self.users + Self.defaults)])
    #expect(before.diagnostics.isEmpty && after.diagnostics.isEmpty, "\(before.diagnostics) \(after.diagnostics)")
    #expect(summary(after) == ["alice gitlab alice-sso Staff", "bob gitlab - Staff"])
    #expect(summary(after) == summary(before))
  }

  @Test func defaultsInAFileReadAfterTheUsersGiveTheSameManifest() {
    let users = (name: "users.yaml", text: "version: 1\n" + Self.users)
    let defaults = (name: "roster.yaml", text: "version: 1\n" + Self.defaults)
    let before = load([defaults, users])
    let after = load([users, defaults])
    #expect(after.diagnostics.map(\.description) == before.diagnostics.map(\.description))
    #expect(after.manifest != nil, "the auth_service comes from defaults: \(after.diagnostics)")
    #expect(summary(after) == summary(before))
  }

  @Test func authDataWithoutAnyAuthServiceIsAnErrorInEitherOrder() {
    let users = (name: "users.yaml", text: "version: 1\n" + Self.users)
    let defaults = (name: "roster.yaml", text: "version: 1\ndefaults:\n  position: Staff\n")
    for files in [[defaults, users], [users, defaults]] {
      let result = load(files)
      #expect(result.manifest == nil)
      #expect(
        result.diagnostics.map(\.description) == [
          "users.yaml:3:5: error: auth_data needs an auth_service (the server refuses it alone: auth_data_type)"
        ])
    }
    // Outside --only the same entry is a warning, and the user is left out as any entry with an error.
    let targeted = load([users, defaults], only: ["bob"])
    #expect(targeted.manifest.map { $0.users.map(\.username) } == ["bob"], "\(targeted.diagnostics)")
    #expect(targeted.diagnostics.allSatisfy { $0.severity == .warning })
  }
}
