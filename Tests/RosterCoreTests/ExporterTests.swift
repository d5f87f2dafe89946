import RosterCore
import Testing

/// `roster export`: a manifest a team can keep, that plans to no changes and is the same every time.
@Suite struct ExporterTests {
  static var live: LiveState {
    var sso = P.user("sam", first: "Sam", auth: "saml")
    sso.authData = "sam@idp"
    let users = [
      P.admin, P.user("amy", first: "Amy", nickname: "A", locale: "en"), P.user("ann", position: "Dev", locale: "en"),
      P.user("bea", nickname: "", locale: "fr"), P.user("bob", locale: "en", roles: "system_user system_admin"),
      P.user("gus", roles: "system_guest"), sso, P.user("zed", active: false),
      P.user("robot", bot: true),
    ]
    return LiveState(
      users: users, tokens: [P.token("amy", "ci"), P.token("bob", "old", active: false)], acting: P.admin)
  }

  static func planAfter(_ text: String, live: LiveState = live) -> Plan {
    Planner.plan(P.manifest(text), live: live)
  }

  @Test func theDefaultWritesIdentityFieldsAndSaysSoInSettings() {
    let text = ManifestExporter.export(Self.live)
    #expect(
      text.contains(
        "settings:\n  unmanaged_users: ignore\n  managed_fields: [email, first_name, last_name, roles, tokens]\n"))
    #expect(!text.contains("nickname") && !text.contains("position") && !text.contains("locale"))
    #expect(!text.contains("yaml-language-server"), "no modeline unless --schema")
    #expect(text.contains("    auth_service: saml\n    auth_data: sam@idp\n"))
    #expect(text.contains("#   robot (bot)"))
    #expect(Self.planAfter(text).isEmpty)
    // A nickname changed by its owner afterwards is not reverted by the next plan.
    var later = Self.live
    later.users[1].nickname = "Amy!"
    #expect(Self.planAfter(text, live: later).isEmpty)
  }

  @Test func commonValuesGoToDefaultsAndEmptyFieldsAreLeftOut() {
    let text = ManifestExporter.export(Self.live, options: ExportOptions(fields: ExportField.allCases))
    #expect(text.contains("defaults:\n  locale: en\n"), "\(text)")
    #expect(text.contains("  - username: bea\n    email: bea@example.com\n    locale: fr\n"), "\(text)")
    #expect(!text.contains("nickname: \"\""), "empty fields are left out")
    #expect(!text.contains("position: \"\""))
    #expect(text.contains("    roles: [system_guest]"))
    let plan = Self.planAfter(text)
    #expect(plan.isEmpty && plan.errors.isEmpty, "\(plan.steps) \(plan.errors)")
  }

  @Test func repeatedExportsAreByteIdentical() {
    var shuffled = Self.live
    shuffled.users.reverse()
    #expect(ManifestExporter.export(Self.live) == ManifestExporter.export(shuffled))
    #expect(
      ManifestExporter.exportFiles(Self.live).map(\.text) == ManifestExporter.exportFiles(shuffled).map(\.text))
  }

  @Test func splitFilesLoadAsOneManifestWithNoChanges() throws {
    let files = ManifestExporter.exportFiles(
      Self.live, options: ExportOptions(schemaPath: "https://example.com/s.json"))
    #expect(
      files.map(\.name) == [
        "roster.yaml", "users-a.yaml", "users-b.yaml", "users-g.yaml", "users-s.yaml", "users-z.yaml",
      ])
    #expect(files.allSatisfy { $0.text.hasPrefix("# yaml-language-server: $schema=https://example.com/s.json\n") })
    let loaded = ManifestLoader.load(files.map { ManifestFile(name: $0.name, bytes: Array($0.text.utf8)) }, env: [:])
    let manifest = try #require(loaded.manifest, "\(loaded.diagnostics)")
    #expect(manifest.users.count == 8)
    #expect(Planner.plan(manifest, live: Self.live).isEmpty)
  }

  @Test func fieldsChooseWhatIsWritten() {
    let text = ManifestExporter.export(Self.live, options: ExportOptions(fields: [.email]))
    #expect(text.contains("managed_fields: [email]"))
    #expect(!text.contains("roles:") && !text.contains("tokens:") && !text.contains("first_name"))
    #expect(Self.planAfter(text).isEmpty)
  }
}

extension ExporterTests {
  @Test func anExpiredTokenLeavesTheUsersTokensUnmanagedSoThePlanStaysEmpty() {
    var live = Self.live
    live.readAt = 2_000_000_000_000
    live.tokens = [LiveToken(id: "tokx", userID: P.user("amy").id, description: "ci", isActive: true, expiresAt: 1)]
    let text = ManifestExporter.export(live)
    #expect(text.contains("# tokens not managed: ci has expired"))
    #expect(Planner.plan(P.manifest(text), live: live).isEmpty)
  }
}
