import Foundation
import RosterCore
import RosterTestSupport
import Testing

/// Places where the real server differs from what a client would expect, each read from the server
/// source (cited per test) and reproduced by roster-sandbox, with roster handling it.
@Suite struct ServerFidelityTests {
  static func seed(_ users: [String]) throws -> String {
    try temporaryFile("seed.json", #"{"users":[\#(users.joined(separator: ","))]}"#)
  }

  static let admin = #"{"username":"admin","email":"admin@example.com","roles":"system_admin system_user"}"#

  /// app/login.go DoLogin -> store UpdateLastLogin bumps update_at; a saved plan must survive it.
  @Test func aLoginBetweenPlanAndApplyDoesNotMakeTheSavedPlanStale() async throws {
    let bob = #"{"username":"bob","email":"bob@example.com","password":"bob-password-1","position":"Dev"}"#
    let sandbox = try await SandboxProcess(["--seed", try Self.seed([Self.admin, bob])])
    let manifest = try temporaryFile("m.yaml", "version: 1\nusers:\n  - username: bob\n    position: Lead\n")
    let saved = try temporaryFile("plan.json", "")
    let plan = try await RosterCLI.run(["plan", "-f", manifest, "--out", saved] + sandbox.connection)
    #expect(plan.status == 0, "\(plan.stderr)")
    let before = try await sandbox.call("GET", "/users/username/bob").object["update_at"] as? Int
    let login = try await sandbox.call(
      "POST", "/users/login", json: #"{"login_id":"bob","password":"bob-password-1"}"#, token: "")
    #expect(login.status == 200)
    let after = try await sandbox.call("GET", "/users/username/bob").object["update_at"] as? Int
    #expect((after ?? 0) > (before ?? 0), "the sandbox bumps update_at on login, as the server does")
    let apply = try await RosterCLI.run(["apply", saved] + sandbox.connection)
    #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
  }

  /// app/user.go UpdateUserRolesWithUser counts active admins and never looks at the target's state.
  @Test func demotingADeactivatedAdminIsAPlanErrorWhenOneActiveAdminRemains() async throws {
    let old = #"{"username":"oldadmin","email":"old@example.com","roles":"system_admin system_user","active":false}"#
    let sandbox = try await SandboxProcess(["--seed", try Self.seed([Self.admin, old])])
    let id = try #require(try await sandbox.call("GET", "/users/username/oldadmin").object["id"] as? String)
    let direct = try await sandbox.call("PUT", "/users/\(id)/roles", json: #"{"roles":"system_user"}"#)
    #expect(
      direct.status == 400 && direct.errorID == "app.user.update.lastAdmin.app_error", "the sandbox applies the guard")
    let manifest = try temporaryFile(
      "m.yaml", "version: 1\nusers:\n  - username: oldadmin\n    roles: [system_user]\n    active: false\n")
    try await sandbox.clearLog()
    let plan = try await RosterCLI.run(["plan", "-f", manifest] + sandbox.connection)
    #expect(plan.status == 1, "\(plan.stdout)")
    #expect(plan.stdout.contains("cannot remove system_admin from oldadmin"), "\(plan.stdout)")
    #expect(try await sandbox.requestLog().writes == 0)
  }

  /// api4/user.go getFilteredUsersStats: remote users are counted only with include_remote_users.
  @Test func remoteUsersAreCountedOnlyWhenAskedAndNeverManaged() async throws {
    var users = [Self.admin]
    for i in 0..<230 { users.append(#"{"username":"u\#(i)","email":"u\#(i)@example.com"}"#) }
    users.append(
      #"{"username":"zz.remote","email":"zz@elsewhere.example.com","remote_id":"cluster0000000000000000000"}"#)
    let sandbox = try await SandboxProcess(["--seed", try Self.seed(users)])
    let plain = try await sandbox.call("GET", "/users/stats/filtered?include_deleted=true&include_bots=true")
    let all = try await sandbox.call(
      "GET", "/users/stats/filtered?include_deleted=true&include_bots=true&include_remote_users=true")
    #expect(plain.object["total_users_count"] as? Int == 231 && all.object["total_users_count"] as? Int == 232)
    let exported = try temporaryFile("e.yaml", "")
    let export = try await RosterCLI.run(["export", "--out", exported] + sandbox.connection)
    #expect(export.status == 0)
    let text = try String(contentsOfFile: exported, encoding: .utf8)
    #expect(text.contains("#   zz.remote (remote)"), "the remote user on the last page was read and left out")
    let manifest = try temporaryFile("m.yaml", "version: 1\nusers:\n  - username: zz.remote\n    position: X\n")
    let plan = try await RosterCLI.run(["plan", "-f", manifest] + sandbox.connection)
    #expect(plan.status == 1 && plan.stdout.contains("belongs to a remote user"), "\(plan.stdout)")
  }

  /// model.NormalizeEmail is Go's strings.ToLower: "İ" becomes "i", not Swift's "i̇".
  @Test func emailsFoldCaseAsGoDoes() async throws {
    let sandbox = try await SandboxProcess()
    let created = try await sandbox.call(
      "POST", "/users", json: #"{"username":"inan","email":"\#u{130}nan@example.com","password":"password-1"}"#)
    #expect(created.object["email"] as? String == "inan@example.com", "\(created.text)")
    let manifest = try temporaryFile(
      "m.yaml", "version: 1\nusers:\n  - username: inan\n    email: \u{130}nan@example.com\n")
    let plan = try await RosterCLI.run(["plan", "-f", manifest, "--detailed-exitcode"] + sandbox.connection)
    #expect(plan.status == 0, "no drift from case folding: \(plan.stdout)\(plan.stderr)")
  }

  /// app/users/password.go IsPasswordValidWithSettings, published in the client configuration: a new
  /// user's password is checked at plan time, so an apply never fails halfway on it.
  @Test func thePasswordPolicyIsCheckedAtPlanTime() async throws {
    let seed = try temporaryFile(
      "seed.json",
      #"{"settings":{"password_minimum_length":10,"password_require_number":true,"password_require_symbol":true},"users":[\#(Self.admin)]}"#
    )
    let sandbox = try await SandboxProcess(["--seed", seed])
    let manifest = try temporaryFile(
      "m.yaml", "version: 1\nusers:\n  - username: newbie\n    email: n@example.com\n    password: ${PW}\n")
    let weak = try await RosterCLI.run(
      ["plan", "-f", manifest] + sandbox.connection, environment: ["PW": "lettersonlyhere"])
    #expect(weak.status == 1, "\(weak.stdout)")
    #expect(weak.stdout.contains("cannot create: the password from ${PW} lacks a digit, a symbol"), "\(weak.stdout)")
    #expect(!weak.stdout.contains("lettersonlyhere"), "the password itself is never shown")
    let strong = try await RosterCLI.run(
      ["apply", "-f", manifest, "--auto-approve"] + sandbox.connection, environment: ["PW": "letters and 42"])
    #expect(strong.status == 0, "\(strong.stdout)\(strong.stderr)")
  }

  /// app/users/users.go CreateUser replaces an untranslated locale by "en"; model.SanitizeUnicode strips
  /// some invisible characters. Either way one apply must converge.
  @Test func untranslatedLocalesAndInvisibleCharactersConvergeInOneApply() async throws {
    let sandbox = try await SandboxProcess()
    let manifest = try temporaryFile(
      "m.yaml",
      "version: 1\nusers:\n  - username: admin\n  - username: dana\n    email: dana@example.com\n    password: ${PW}\n"
        + "    locale: da\n    nickname: \"d\u{202E}\u{200D}a\"\n")
    let env = ["PW": "dana-password-1"]
    let apply = try await RosterCLI.run(
      ["apply", "-f", manifest, "--auto-approve"] + sandbox.connection, environment: env)
    #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
    #expect(apply.stderr.contains("invisible characters the server removes"))
    let user = try await sandbox.call("GET", "/users/username/dana").object
    #expect(user["locale"] as? String == "da" && user["nickname"] as? String == "d\u{200D}a")
    let again = try await RosterCLI.run(
      ["plan", "-f", manifest, "--detailed-exitcode"] + sandbox.connection, environment: env)
    #expect(again.status == 0, "\(again.stdout)")
  }

  /// config/client.go publishes which LDAP/SAML attributes are mapped; the open-source store refuses
  /// email changes for LDAP users only. Mapped fields are left alone, the rest managed.
  @Test func directoryMappedFieldsAreLeftAloneAndTheRestManaged() async throws {
    let seed = try temporaryFile(
      "seed.json",
      #"{"settings":{"ldap_mapped_attributes":["FirstName"]},"users":[\#(Self.admin),"#
        + #"{"username":"lee","email":"lee@example.com","auth_service":"ldap","auth_data":"lee","first_name":"Lee","position":"Dev"},"#
        + #"{"username":"sam","email":"sam@example.com","auth_service":"saml","auth_data":"sam","first_name":"Sam"}]}"#)
    let sandbox = try await SandboxProcess(["--seed", seed])
    let manifest = try temporaryFile(
      "m.yaml",
      "version: 1\nusers:\n  - username: lee\n    first_name: Leo\n    position: Lead\n    email: leo@example.com\n"
        + "  - username: sam\n    first_name: Samuel\n    email: samuel@example.com\n")
    let plan = try await RosterCLI.run(["plan", "-f", manifest] + sandbox.connection)
    #expect(plan.stdout.contains("first_name is mapped to a ldap attribute"), "\(plan.stdout)")
    #expect(plan.stdout.contains("email is owned by ldap"), "\(plan.stdout)")
    let apply = try await RosterCLI.run(["apply", "-f", manifest, "--auto-approve"] + sandbox.connection)
    #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
    let lee = try await sandbox.call("GET", "/users/username/lee").object
    let sam = try await sandbox.call("GET", "/users/username/sam").object
    #expect(lee["first_name"] as? String == "Lee" && lee["position"] as? String == "Lead", "unmapped position managed")
    #expect(sam["first_name"] as? String == "Samuel", "an unmapped SAML name is managed")
    #expect(sam["email"] as? String == "samuel@example.com", "SAML email changes go through")
  }

  /// api4/user.go promoteGuestToUser / demoteUserToGuest: guests change through their own routes, never
  /// PUT /users/{id}/roles; without a license demote answers 501, and roster says so.
  @Test(arguments: [true, false])
  func guestsArePromotedAndDemotedThroughTheirRoutes(licensed: Bool) async throws {
    let settings = licensed ? #""settings":{"guest_accounts":true},"# : ""
    let seed = try temporaryFile(
      "seed.json",
      #"{\#(settings)"users":[\#(Self.admin),{"username":"gus","email":"gus@example.com","roles":"system_guest"},"#
        + #"{"username":"ursula","email":"ursula@example.com"}]}"#)
    let sandbox = try await SandboxProcess(["--seed", seed])
    let manifest = try temporaryFile(
      "m.yaml",
      "version: 1\nusers:\n  - username: gus\n    roles: [system_user, system_admin]\n  - username: ursula\n    roles: [system_guest]\n"
    )
    let apply = try await RosterCLI.run(["apply", "-f", manifest, "--auto-approve"] + sandbox.connection)
    let log = try await sandbox.requestLog()
    #expect(log.byRoute["POST /api/v4/users/{user_id}/promote"] == 1)
    #expect(log.byRoute["PUT /api/v4/users/{user_id}/roles"] == 1, "only gus's system_admin, after the promote")
    let gus = try await sandbox.call("GET", "/users/username/gus").object["roles"] as? String
    #expect(Set((gus ?? "").split(separator: " ")) == ["system_user", "system_admin"])
    let ursula = try await sandbox.call("GET", "/users/username/ursula").object["roles"] as? String
    if licensed {
      #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
      #expect(ursula == "system_guest")
    } else {
      #expect(apply.status == 4, "\(apply.stdout)")
      #expect(
        apply.stdout.contains("501") && apply.stdout.contains("api.team.demote_user_to_guest.license.error"),
        "\(apply.stdout)")
      #expect(ursula == "system_user")
    }
  }

  /// app/session.go validateUserAccessTokenExpiry (MaximumPersonalAccessTokenLifetimeDays) and
  /// createSessionForUserAccessToken: tokens need an expiry under a policy, and an expired token still
  /// lists is_active. A declared token that expired is replaced, its new secret kept before the old goes.
  @Test func tokenLifetimesAreSetAndExpiredTokensReplaced() async throws {
    let past = Int64(Date().timeIntervalSince1970 * 1000) - 86_400_000
    let seed = try temporaryFile(
      "seed.json",
      #"{"settings":{"maximum_personal_access_token_lifetime_days":30},"users":[\#(Self.admin),"#
        + #"{"username":"ops","email":"ops@example.com","tokens":[{"description":"old","expires_at":\#(past),"token":"expiredsecret00000000000000"}]}]}"#
    )
    let sandbox = try await SandboxProcess(["--seed", seed])
    let listed = try await sandbox.call("GET", "/users/tokens").array.first { $0["description"] as? String == "old" }
    #expect(listed?["is_active"] as? Bool == true, "an expired token still lists as active")
    #expect(
      try await sandbox.call("GET", "/users/me", token: "expiredsecret00000000000000").errorID
        == "app.user_access_token.expired")

    let sink = try temporaryFile("tokens.jsonl", "")
    try FileManager.default.removeItem(atPath: sink)
    let noExpiry = try temporaryFile(
      "m.yaml",
      "version: 1\nusers:\n  - username: ops\n    tokens:\n      - description: old\n      - description: new\n")
    let refused = try await RosterCLI.run(
      ["apply", "-f", noExpiry, "--auto-approve", "--token-output", sink] + sandbox.connection)
    #expect(
      refused.status == 1 && refused.stdout.contains("app.user_access_token.expires_at_required.app_error"),
      "\(refused.stdout)")

    let manifest = try temporaryFile(
      "m.yaml",
      "version: 1\nusers:\n  - username: ops\n    tokens:\n      - description: old\n        expires_in_days: 7\n"
        + "      - description: new\n        expires_in_days: 30\n")
    let plan = try await RosterCLI.run(["plan", "-f", manifest] + sandbox.connection)
    #expect(plan.stdout.contains("revoke token \"old\" of ops"), "\(plan.stdout)")
    let apply = try await RosterCLI.run(
      ["apply", "-f", manifest, "--auto-approve", "--token-output", sink] + sandbox.connection)
    #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
    let tokens = try await sandbox.call("GET", "/users/tokens").array.filter { $0["user_id"] as? String != nil }
    let now = Int64(Date().timeIntervalSince1970 * 1000)
    let old = tokens.filter { $0["description"] as? String == "old" }
    #expect(old.count == 1 && (old.first?["expires_at"] as? Int64 ?? 0) > now, "the expired token was replaced: \(old)")
    let again = try await RosterCLI.run(["plan", "-f", manifest, "--detailed-exitcode"] + sandbox.connection)
    #expect(again.status == 0, "\(again.stdout)")
  }

  /// app/user.go UpdateUser with RequireEmailVerification: an admin's email change is held (the user keeps
  /// the old address until verifying); api4/user.go createUser keeps email_verified for an admin's create.
  @Test func heldEmailChangesAreNotAskedAgainAndNewUsersMayBeVerified() async throws {
    let seed = try temporaryFile(
      "seed.json",
      #"{"settings":{"require_email_verification":true},"users":[\#(Self.admin),{"username":"bob","email":"bob@old.example.com"}]}"#
    )
    let sandbox = try await SandboxProcess(["--seed", seed])
    let manifest = try temporaryFile(
      "m.yaml",
      "version: 1\nusers:\n  - username: bob\n    email: bob@new.example.com\n  - username: vera\n    email: vera@example.com\n"
        + "    password: ${PW}\n    email_verified: true\n")
    let env = ["PW": "vera-password-1"]
    let sink = try temporaryFile("tokens.jsonl", "")
    try FileManager.default.removeItem(atPath: sink)
    let apply = try await RosterCLI.run(
      ["apply", "-f", manifest, "--auto-approve", "--token-output", sink] + sandbox.connection, environment: env)
    #expect(apply.status == 0, "held changes are not verification failures: \(apply.stdout)\(apply.stderr)")
    #expect(apply.stdout.contains("held until the user verifies it"), "\(apply.stdout)")
    #expect(try await sandbox.call("GET", "/users/username/bob").object["email"] as? String == "bob@old.example.com")
    let login = try await sandbox.call(
      "POST", "/users/login", json: #"{"login_id":"vera","password":"vera-password-1"}"#, token: "")
    #expect(login.object["email_verified"] as? Bool == true, "created verified by the admin")
    try await sandbox.clearLog()
    let again = try await RosterCLI.run(
      ["apply", "-f", manifest, "--auto-approve", "--token-output", sink] + sandbox.connection, environment: env)
    #expect(again.status == 0 && again.stdout.contains("waiting for the user's verification"), "\(again.stdout)")
    #expect(try await sandbox.requestLog().writes == 0, "no second request, so no second mail")
  }
}
