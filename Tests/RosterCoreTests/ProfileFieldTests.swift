import Foundation
import RosterCore
import Testing

/// Every profile field flows through every layer from the one table: a new `ProfileField` case is
/// accepted by the loader, compared by the planner, exported, fingerprinted and in the schema, with no
/// other code to touch. These run for each case, so a new case is tested by them too.
@Suite struct ProfileFieldTests {
  /// A value the server accepts for the field, different from the live user's.
  static func sample(_ field: ProfileField) -> String {
    switch field {
    case .email: "new.address@example.com"
    case .locale: "de"
    default: "Changed \(field.key)"
    }
  }

  @Test(arguments: ProfileField.allCases)
  func theLoaderReadsItIntoTheSpec(_ field: ProfileField) {
    let manifest = P.manifest("version: 1\nusers:\n  - username: bob\n    \(field.key): \"\(Self.sample(field))\"\n")
    #expect(manifest.users.first?[keyPath: field.spec] == Self.sample(field))
  }

  @Test(arguments: ProfileField.allCases)
  func thePlannerPatchesItWithTheLiveValueAsOld(_ field: ProfileField) {
    let bob = P.user("bob")
    let plan = P.plan("users:\n  - username: bob\n    \(field.key): \"\(Self.sample(field))\"\n", users: [bob])
    #expect(
      plan.steps.map(\.change) == [
        .user(.patchProfile([FieldChange(field: field.key, old: bob[keyPath: field.live], new: Self.sample(field))]))
      ])
  }

  @Test(arguments: ProfileField.allCases)
  func theExporterWritesItAndReadsBackToNoChanges(_ field: ProfileField) {
    var bob = P.user("bob", first: "B", last: "L", nickname: "bb", position: "Dev", locale: "fr")
    bob[keyPath: field.live] = Self.sample(field)
    let live = LiveState(users: [P.admin, bob], tokens: [], acting: P.admin)
    let exported = ManifestExporter.export(live, options: ExportOptions(fields: ExportField.allCases))
    #expect(exported.contains("    \(field.key): "), "\(field.key) is exported")
    let plan = Planner.plan(P.manifest(exported), live: live)
    #expect(plan.steps.isEmpty && plan.errors.isEmpty, "\(plan.steps)")
  }

  /// A saved plan is stale when a field roster manages for the user changed since it was made.
  @Test(arguments: ProfileField.allCases)
  func aSavedPlanNoticesAChange(_ field: ProfileField) {
    let bob = P.user("bob")
    var changed = bob
    changed[keyPath: field.live] = Self.sample(field)
    let manifest = P.manifest("version: 1\nusers:\n  - username: bob\n    \(field.key): \"\(Self.sample(field))\"\n")
    let before = Fingerprints.compute(manifest: manifest, live: LiveState(users: [bob], acting: P.admin), plan: Plan())
    let after = before.recompute(from: LiveState(users: [changed], acting: P.admin))
    #expect(before.changes(comparedTo: after).count == 1)
  }

  /// ...and not when the field is one roster leaves to the person: undeclared, or outside
  /// `managed_fields` (a user editing their own nickname must not block a reviewed plan).
  @Test(arguments: ProfileField.allCases)
  func aSavedPlanIgnoresFieldsRosterDoesNotManage(_ field: ProfileField) {
    let bob = P.user("bob")
    var changed = bob
    changed[keyPath: field.live] = Self.sample(field)
    let other = field == .firstName ? "last_name" : "first_name"
    for text in [
      "version: 1\nusers:\n  - username: bob\n",
      "version: 1\nsettings:\n  managed_fields: [\(other)]\nusers:\n  - username: bob\n    \(field.key): \"\(Self.sample(field))\"\n",
    ] {
      let before = Fingerprints.compute(
        manifest: P.manifest(text), live: LiveState(users: [bob], acting: P.admin), plan: Plan())
      let after = before.recompute(from: LiveState(users: [changed], acting: P.admin))
      #expect(before.changes(comparedTo: after).isEmpty, "\(text)")
    }
  }

  @Test func aLoginDoesNotMakeASavedPlanStale() {
    // The server bumps update_at on every login (app/login.go DoLogin -> UpdateLastLogin).
    let bob = P.user("bob")
    var loggedIn = bob
    loggedIn.updateAt += 1_000
    let manifest = P.manifest("version: 1\nusers:\n  - username: bob\n")
    let before = Fingerprints.compute(manifest: manifest, live: LiveState(users: [bob], acting: P.admin), plan: Plan())
    #expect(before.changes(comparedTo: before.recompute(from: LiveState(users: [loggedIn], acting: P.admin))).isEmpty)
  }

  @Test func theSchemaListsEveryFieldWhereTheLoaderAcceptsIt() async throws {
    let schema = try #require(try JSONSerialization.jsonObject(with: Data(ManifestSchema.json.utf8)) as? [String: Any])
    let defs = try #require(schema["$defs"] as? [String: Any])
    let user = try #require((defs["user"] as? [String: Any])?["properties"] as? [String: Any])
    let defaults = try #require(
      ((schema["properties"] as? [String: Any])?["defaults"] as? [String: Any])?["properties"] as? [String: Any])
    for field in ProfileField.allCases {
      #expect(user[field.key] != nil, "\(field.key) in users")
      #expect((defaults[field.key] != nil) == field.defaultsMaySet, "\(field.key) in defaults")
    }
  }
}

/// The address shape the server accepts (net/mail ParseAddress without a display name), checked in one
/// pass: exactly one "@" and a dot-atom on each side.
@Suite struct EmailShapeTests {
  @Test(arguments: [
    ("a@b", true), ("first.last@example.com", true), ("a+tag@sub.example.com", true), ("o'neil@x.io", true),
    ("", false), ("a", false), ("@b", false), ("a@", false), ("a@b@c", false), ("a@@b", false),
    (".a@b", false), ("a.@b", false), ("a..b@c", false), ("a@.b", false), ("a@b.", false), ("a@b..c", false),
    ("a b@c", false), ("a@b c", false), ("<a@b>", false), ("a(b)@c", false), ("ünï@example.com", true),
  ])
  func oneAtAndADotAtomOnEachSide(address: String, accepted: Bool) {
    #expect((ServerRules.emailProblem(address) == nil) == accepted)
  }
}
