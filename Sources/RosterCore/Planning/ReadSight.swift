/// What the token behind a read could see (`plan --read-only`). A pull-request job should not hold the
/// production admin token, and a token without manage_system reads a narrower server: other users' email
/// addresses and names only when PrivacySettings allow, never their auth_service (model/user.go Sanitize;
/// app/users/utils.go GetSanitizeOptions), other users' tokens not at all (api4/user.go
/// getUserAccessTokens needs manage_system, getUserAccessTokensForUser edit_other_users), other users'
/// bots only with read_others_bots (api4/bot.go getBots), and every user only with view_members (a caller
/// without it sees only the users it shares a team or channel with: app/user.go GetViewUsersRestrictions).
/// The plan compares what was seen and names the rest, so an empty plan is never taken for a match.
public struct ReadSight: Sendable, Equatable {
  /// GET /users lists everyone (view_members); false means nothing about accounts can be compared.
  public var everyUser = true
  public var emails = true
  public var fullNames = true
  public var authServices = true
  /// Other users' tokens; the acting user's own are in `LiveState.tokensReadFor` when readable.
  public var othersTokens = true
  public var bots = true
  public var memberships = true

  public init() {}

  /// A whole read, as an admin's token makes.
  public static let whole = ReadSight()

  /// What a token holding `permissions` (the union over its system roles, POST /roles/names) sees, with
  /// the server's PrivacySettings as the client configuration publishes them (nil when unknown: hidden).
  public init(permissions: Set<String>, showEmailAddress: Bool?, showFullName: Bool?) {
    let admin = permissions.contains("manage_system")
    everyUser = admin || permissions.contains("view_members")
    emails = admin || showEmailAddress == true
    fullNames = admin || showFullName == true
    authServices = admin
    othersTokens = admin
    bots = admin || permissions.contains("read_others_bots")
    // Reading other users' team and channel memberships (private teams and channels included) needs
    // manage_system (api4/team.go getTeamMembers needs view_team in each team; private channel lists
    // need manage_system): a narrower token would see only some of them and could not tell which.
    memberships = admin
  }

  public var isWhole: Bool { self == .whole }
}

extension ReadSight {
  /// The manifest and live state narrowed to what was seen, and one sentence for each part left out.
  /// Hidden profile fields take the declared value (so they show no change), undeclared parts are
  /// dropped from the manifest, and policies that would act on unseen data are switched off.
  /// `offboarding` is the sentence for what `on_deactivate` would have done, for the planner to add when
  /// the plan does deactivate or reactivate someone.
  static func narrow(_ manifest: Manifest, _ live: LiveState) -> (Manifest, LiveState, [String], offboarding: String?) {
    let sight = live.sight
    guard !sight.isWhole else { return (manifest, live, [], nil) }
    var manifest = manifest
    var live = live
    var unseen: [String] = []
    if !sight.everyUser {
      let declared = manifest.users.count + manifest.bots.count
      manifest.users = []
      manifest.bots = []
      manifest.settings.unmanagedUsers = .ignore
      manifest.settings.unmanagedBots = .ignore
      unseen.append(
        "accounts (\(declared) declared): this token may not list every user (it lacks view_members), so no account was compared"
      )
      return (manifest, live, unseen, nil)
    }
    var index: [String: Int] = [:]
    for (i, user) in live.users.enumerated() {
      index[user.username] = i
      // Lists sanitise the caller's own row too; GET /users/me is its self view (model/user.go Sanitize).
      if user.id == live.acting.id {
        live.users[i].email = live.acting.email
        live.users[i].firstName = live.acting.firstName
        live.users[i].lastName = live.acting.lastName
        live.users[i].authService = live.acting.authService
      }
    }
    func liveIndex(_ names: [String]) -> Int? {
      names.lazy.compactMap { index[ServerRules.normalizeUsername($0)] }.first
    }
    unseen += narrowProfiles(manifest, &live, liveIndex)
    unseen += narrowScope(&manifest, sight)
    let (tokenNotes, offboarding) = narrowTokens(&manifest, live, liveIndex)
    unseen += tokenNotes
    if live.bots == nil && (!manifest.bots.isEmpty || manifest.settings.unmanagedBots == .disable) {
      unseen.append(
        "bots (\(manifest.bots.count) declared): listing other users' bots needs read_others_bots, so none was compared"
      )
      manifest.bots = []
      manifest.settings.unmanagedBots = .ignore
    }
    let withTeams = manifest.users.count { $0.teams != nil }
    if live.memberships == nil && (withTeams > 0 || !manifest.teams.isEmpty) {
      for i in manifest.users.indices { manifest.users[i].teams = nil }
      manifest.teams = [:]
      unseen.append(
        "team and channel memberships (of \(accounts(withTeams)), and the teams: policies): reading other users' memberships needs manage_system"
      )
    }
    return (manifest, live, unseen, offboarding)
  }

  /// Declared tokens of accounts whose tokens were not read are dropped, and so is what deactivation
  /// would do to tokens (`on_deactivate`), which needs every deactivated account's tokens.
  private static func narrowTokens(
    _ manifest: inout Manifest, _ live: LiveState, _ liveIndex: ([String]) -> Int?
  ) -> ([String], offboarding: String?) {
    func unread(_ names: [String]) -> Bool {
      guard let i = liveIndex(names) else { return false }  // created by this plan: no tokens yet
      guard live.tokens != nil else { return true }
      return live.tokensReadFor.map { !$0.contains(live.users[i].id) } ?? false
    }
    var count = 0
    for i in manifest.users.indices where manifest.users[i].tokens != nil && unread(manifest.users[i].names) {
      manifest.users[i].tokens = nil
      count += 1
    }
    for i in manifest.bots.indices where manifest.bots[i].tokens != nil && unread([manifest.bots[i].username]) {
      manifest.bots[i].tokens = nil
      count += 1
    }
    var unseen: [String] = []
    if count > 0 {
      unseen.append(
        "personal access tokens of \(accounts(count)): listing other users' tokens needs manage_system")
    }
    guard !live.sight.othersTokens && manifest.settings.onDeactivate != .keep else { return (unseen, nil) }
    let note =
      "what on_deactivate does to the tokens of deactivated or reactivated accounts: their tokens were not read"
    // Declared-inactive accounts may already be deactivated with tokens left on; the note is certain then.
    let certain =
      manifest.users.contains { !$0.active } || manifest.bots.contains { !$0.active }
      || manifest.settings.unmanagedUsers == .deactivate || manifest.settings.unmanagedBots == .disable
    manifest.settings.onDeactivate = .keep
    return certain ? (unseen + [note], nil) : (unseen, note)
  }

  /// Hidden fields of declared accounts take the declared value, so they show no change; each kind hidden
  /// is named, and so are the checks that needed the real address (who holds a name a create declares,
  /// whether a new account's address is free).
  private static func narrowProfiles(_ manifest: Manifest, _ live: inout LiveState, _ liveIndex: ([String]) -> Int?)
    -> [String]
  {
    let sight = live.sight
    var hidden = (emails: 0, names: 0, auth: 0, identities: 0, creates: 0)
    for spec in manifest.users {
      guard let i = liveIndex(spec.names) else {
        if spec.active && !sight.emails { hidden.creates += 1 }
        continue
      }
      guard live.users[i].id != live.acting.id else { continue }
      if !sight.emails, let email = spec.email {
        live.users[i].email = email
        hidden.emails += 1
        if spec.password != nil || spec.generatePassword || spec.sendPasswordReset { hidden.identities += 1 }
      }
      if !sight.fullNames && (spec.firstName != nil || spec.lastName != nil) {
        if let first = spec.firstName { live.users[i].firstName = first }
        if let last = spec.lastName { live.users[i].lastName = last }
        hidden.names += 1
      }
      if !sight.authServices {
        live.users[i].authService = spec.authService ?? ""
        hidden.auth += 1
      }
    }
    let sentences: [(count: Int, before: String, after: String)] = [
      (
        hidden.emails, "email of ",
        ": the server shows other users' addresses to this token only with PrivacySettings.ShowEmailAddress"
      ),
      (
        hidden.identities, "",
        " declared to be created (password, initial_password or send_password_reset) but already on the server: whether they are the declared people (their addresses are hidden)"
      ),
      (hidden.creates, "", " to create: whether their addresses are free (other users' addresses are hidden)"),
      (
        hidden.names, "first and last name of ",
        ": the server shows them to this token only with PrivacySettings.ShowFullName"
      ),
      (
        hidden.auth, "auth_service of ",
        ": shown to system admins only, so a field or username a directory or SSO service owns may show as a change here"
      ),
    ]
    return sentences.filter { $0.count > 0 }.map { $0.before + accounts($0.count) + $0.after }
  }

  /// A scope on email domains or sign-in services cannot be judged on accounts whose addresses or
  /// services are hidden: the criterion is dropped (the manifest's own accounts were checked against it
  /// when it was read) and accounts nobody declares are not compared.
  private static func narrowScope(_ manifest: inout Manifest, _ sight: ReadSight) -> [String] {
    guard var scope = manifest.settings.scope else { return [] }
    var blind: [String] = []
    if scope.emailDomains != nil && !sight.emails {
      scope.emailDomains = nil
      blind.append("email_domains")
    }
    if scope.authServices != nil && !sight.authServices {
      scope.authServices = nil
      blind.append("auth_services")
    }
    guard !blind.isEmpty else { return [] }
    manifest.settings.scope = scope
    manifest.settings.unmanagedUsers = .ignore
    return [
      "which accounts settings.scope governs (its \(blind.joined(separator: " and ")) need fields this token cannot see), so accounts nobody declares were not compared"
    ]
  }

  private static func accounts(_ n: Int) -> String { "\(n) account\(n == 1 ? "" : "s")" }
}
