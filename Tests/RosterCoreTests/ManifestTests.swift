import Foundation
import RosterCore
import RosterFiles
import Testing

@Suite struct ManifestTests {
  func load(_ text: String, env: [String: String] = Fixtures.env) -> LoadResult {
    ManifestLoader.load([ManifestFile(name: "m.yaml", bytes: Array(text.utf8))], env: env)
  }

  @Test func aUsernameNoStaysTheStringNo() async throws {
    let result = load("version: 1\nusers:\n  - username: no\n    nickname: yes\n")
    let user = try #require(result.manifest?.users.first)
    #expect(user.username == "no")
    #expect(user.nickname == "yes")
  }

  @Test func usernamesAndEmailsAreNormalisedAsTheServerStoresThem() async throws {
    let result = load("version: 1\nusers:\n  - username: Alice\n    email: ' Alice@Example.COM '\n")
    let user = try #require(result.manifest?.users.first)
    #expect(user.username == "alice")
    #expect(user.email == "alice@example.com")
  }

  @Test func defaultsMergeUnderUsersAndTheUsersOwnValueWins() async throws {
    let text = """
      version: 1
      defaults:
        roles: [system_user]
        locale: de
        active: false
      users:
        - username: a
        - username: b
          locale: fr
          roles: [system_admin, system_user]
          active: true
      """
    let users = try #require(load(text).manifest?.users)
    #expect(users[0].roles == ["system_user"])
    #expect(users[0].locale == "de")
    #expect(users[0].active == false)
    #expect(users[1].locale == "fr")
    #expect(users[1].roles == ["system_user", "system_admin"])
    #expect(users[1].active)
  }

  @Test func absentFieldsStayUnmanaged() async throws {
    let user = try #require(load("version: 1\nusers:\n  - username: a\n").manifest?.users.first)
    #expect(user.email == nil && user.roles == nil && user.tokens == nil && user.locale == nil)
    #expect(user.active)
  }

  @Test func passwordsExpandAndDollarDollarEscapesEverywhere() async throws {
    let text = "version: 1\nusers:\n  - username: a\n    nickname: \"$${HOME} and $$\"\n    password: ${PW}\n"
    let user = try #require(load(text, env: ["PW": "long-enough"]).manifest?.users.first)
    #expect(user.nickname == "${HOME} and $$")
    #expect(user.password == TemplateString(written: "${PW}", expanded: "long-enough"))
    #expect(user.password?.isLiteral == false)
  }

  @Test func onlyPasswordMayReferToTheEnvironment() async throws {
    // `nickname: ${MM_TOKEN}` would copy the admin token into plans, logs and the server.
    for field in ["nickname", "position", "first_name", "email", "locale", "auth_data"] {
      let text = "version: 1\nusers:\n  - username: a\n    \(field): \"x${MM_TOKEN}\"\n"
      let result = load(text, env: ["MM_TOKEN": "secret-admin-token"])
      #expect(result.manifest == nil)
      #expect(
        result.diagnostics.map(\.description).contains {
          $0.hasPrefix("m.yaml:4:\(field.count + 9): error: \(field) cannot refer to the environment")
        }, "\(field): \(result.diagnostics)")
      #expect(!result.diagnostics.map(\.description).joined().contains("secret-admin-token"))
    }
  }

  @Test func settingsAreRead() async throws {
    let text = """
      version: 1
      settings:
        unmanaged_users: deactivate
        protected_users: [Admin, root]
        max_deactivations: "10%"
        min_system_admins: 2
      """
    let settings = try #require(load(text).manifest?.settings)
    #expect(settings.unmanagedUsers == .deactivate)
    #expect(settings.protectedUsers == ["admin", "root"])
    #expect(settings.maxDeactivations == .percent(10))
    #expect(settings.minSystemAdmins == 2)
    #expect(Threshold.count(4).limit(of: 1000, floor: 3) == 4)
    #expect(Threshold.percent(25).limit(of: 8, floor: 3) == 3)
    #expect(Threshold.percent(25).limit(of: 100, floor: 3) == 25)
  }

  @Test func tokensKeepTheirStates() async throws {
    let text = """
      version: 1
      users:
        - username: a
          tokens:
            - description: one
            - description: two
              active: false
      """
    let tokens = try #require(load(text).manifest?.users.first?.tokens)
    #expect(tokens.map(\.description) == ["one", "two"])
    #expect(tokens.map(\.active) == [true, false])
  }

  @Test func anchorsAndAliasesWork() async throws {
    let text = """
      version: 1
      users:
        - username: a
          roles: &admins [system_user, system_admin]
        - username: b
          roles: *admins
      """
    let users = try #require(load(text).manifest?.users)
    #expect(users[1].roles == ["system_user", "system_admin"])
  }

  @Test func everyExampleValidates() async throws {
    let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("../../examples").standardized
    let env = ["ALICE_PASSWORD": "x", "BOB_PASSWORD": "x", "DEMO_PASSWORD": "x", "DEPLOY_OWNER_PASSWORD": "x"]
    let paths = ["small-team.yaml", "multi-file", "ci.yaml"].map { examples.appendingPathComponent($0).path }
    for path in paths {
      let result = ManifestSources.load([path], env: env)
      #expect(result.manifest != nil, "\(path): \(result.diagnostics)")
      #expect(result.diagnostics.isEmpty, "\(path): \(result.diagnostics)")
    }
  }

  @Test(arguments: [("xx", false), ("en", true), ("pt-BR", true), ("da", true), ("dé", false), ("zz-ZZ", false)])
  func localesAreCheckedAsTheServerParsesThem(locale: String, valid: Bool) async throws {
    // model.IsValidLocale: golang.org/x/text language.Parse refuses unknown languages and non-ASCII.
    let result = load("version: 1\nusers:\n  - username: a\n    locale: \"\(locale)\"\n")
    #expect((result.manifest != nil) == valid, "\(locale): \(result.diagnostics)")
  }

  @Test func invisibleCharactersTheServerRemovesAreRemovedWithAWarning() async throws {
    // model.SanitizeUnicode removes U+202E from a nickname but keeps U+200D (emoji) and U+200C (Persian).
    let text =
      "version: 1\nusers:\n  - username: a\n    nickname: \"ab\u{202E}c\"\n    first_name: \"x\u{200D}y\u{200C}z\"\n"
    let result = load(text)
    let user = try #require(result.manifest?.users.first)
    #expect(user.nickname == "abc" && user.firstName == "x\u{200D}y\u{200C}z")
    #expect(
      result.diagnostics.map(\.description) == [
        "m.yaml:4:15: warning: nickname contains invisible characters the server removes (model.SanitizeUnicode); they are left out here too"
      ])
  }
}
