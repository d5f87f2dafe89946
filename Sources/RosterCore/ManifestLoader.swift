import RosterYAML

/// A manifest file's name and contents, read by the caller: the loader itself does no I/O.
public struct ManifestFile: Sendable {
  public var name: String
  public var bytes: [UInt8]

  public init(name: String, bytes: [UInt8]) {
    self.name = name
    self.bytes = bytes
  }
}

/// The outcome of loading: the manifest when there were no errors, and every diagnostic either way.
public struct LoadResult: Sendable {
  public var manifest: Manifest?
  public var diagnostics: [Diagnostic]
  /// The files read, by the names given in marks.
  public var files: [String] = []
}

/// Turns manifest files into a validated `Manifest`, reporting every problem with its place.
public enum ManifestLoader {
  public static let topKeys = ["version", "settings", "defaults", "users"]
  public static let settingsKeys =
    ["unmanaged_users", "protected_users", "required_admins", "min_system_admins", "managed_fields"]
    + GateKind.allCases.map(\.key)
  public static let userKeys =
    ["username"] + ProfileField.allCases.map(\.key)
    + ["roles", "active", "password", "auth_service", "auth_data", "email_verified", "tokens"]
    + ["previous_usernames", "ignore_fields", "initial_password", "send_password_reset"]
  /// Fields that make sense for everyone; identity fields (username, email, names, secrets) do not.
  public static let defaultsKeys =
    ProfileField.allCases.filter(\.defaultsMaySet).map(\.key) + ["roles", "active", "auth_service"]
  public static let tokenKeys = ["description", "active", "expires_in_days", "rotate_after_days"]

  /// - Parameter only: `--only`: the usernames (current or previous) a targeted run touches. Problems of
  ///   other users become warnings and those users are left out; nil loads everything strictly.
  public static func load(_ files: [ManifestFile], env: [String: String], only: Set<String>? = nil) -> LoadResult {
    var decoder = ManifestDecoder(env: env, only: only)
    for file in files { decoder.read(file) }
    return decoder.finish()
  }
}

/// The per-user fields as read, before defaults are merged; keeps marks for later messages.
struct DeclaredUser {
  var spec: UserSpec
  /// Keys written and valid: these override defaults.
  var declared = UserKeySet()
  /// Keys written at all, valid or not, so one mistake is not reported twice.
  var written = UserKeySet()
  /// Where the email was written, for "declared twice".
  var emailMark: Mark?
}

/// A set of `ManifestLoader.userKeys` as bits: two `Set<String>` per user cost about 40 MB for a
/// 100,000-user roster. Keys outside `userKeys` are never members.
struct UserKeySet: Sequence {
  private var bits: UInt32 = 0

  init() {}

  init(_ keys: some Sequence<String>) { for key in keys { insert(key) } }

  private static func bit(_ key: String) -> UInt32? {
    ManifestLoader.userKeys.firstIndex(of: key).map { UInt32(1) << UInt32($0) }
  }

  func contains(_ key: String) -> Bool { Self.bit(key).map { bits & $0 != 0 } ?? false }

  mutating func insert(_ key: String) {
    if let bit = Self.bit(key) { bits |= bit }
  }

  func makeIterator() -> some IteratorProtocol<String> {
    ManifestLoader.userKeys.enumerated().lazy.filter { bits & (UInt32(1) << UInt32($0.offset)) != 0 }.map(\.element)
      .makeIterator()
  }
}

/// The walk over each file's tree. Separate from `ManifestLoader` so its state stays private.
struct ManifestDecoder {
  private let env: [String: String]
  private var reader = ScalarReader()
  private var settings = Settings()
  private var settingsMark: Mark?
  private var defaults: DeclaredUser?
  private var defaultsMark: Mark?
  private var users: [DeclaredUser] = []
  private var firstByName: [String: Mark] = [:]
  private let only: Set<String>?
  static let untargeted = " (not targeted by --only, so only a warning)"

  init(env: [String: String], only: Set<String>? = nil) {
    self.env = env
    self.only = only
  }

  mutating func read(_ file: ManifestFile) {
    // Each user's subtree is freed as soon as it is decoded, so a large roster never holds its whole
    // tree and all its decoded users at once (the peak memory of a 100,000-user plan).
    var items = readTop(file)
    items.reverse()
    while let item = items.popLast() { readUser(item) }
  }

  /// Reads everything but the users, and returns the users' nodes; the rest of the tree is gone after.
  private mutating func readTop(_ file: ManifestFile) -> [Node] {
    let root: Node?
    do {
      root = try YAMLReader.parse(file.bytes, file: file.name)
    } catch {
      reader.error(error.mark, error.message)
      return []
    }
    let start = Mark(file: file.name, line: 1, column: 1)
    guard let root else {
      reader.error(start, "file is empty; a manifest starts with \"version: 1\"")
      return []
    }
    guard let top = reader.mapping(root, field: "the manifest", keys: ManifestLoader.topKeys) else { return [] }
    if let version = top["version"] {
      if let v = reader.integer(version.value, field: "version"), v != 1 {
        reader.error(version.value.mark, "version \(v) is not supported; this roster reads version 1")
      }
    } else {
      reader.error(root.mark, "missing \"version: 1\" at the top of the manifest")
    }
    if let pair = top["settings"] { readSettings(pair) }
    if let pair = top["defaults"] { readDefaults(pair) }
    if let pair = top["users"], let items = reader.sequence(pair.value, field: "users") {
      return items
    }
    return []
  }

  /// Settings and defaults may be set by one file only; a second one is an error naming the first.
  private mutating func firstTime(_ pair: Pair, previous: Mark?) -> Bool {
    if let previous {
      reader.error(
        pair.key.mark,
        "\(pair.keyText ?? "") may appear in one file only; it is already set at \(previous)")
      return false
    }
    return true
  }

  private mutating func readSettings(_ pair: Pair) {
    guard firstTime(pair, previous: settingsMark) else { return }
    settingsMark = pair.key.mark
    guard let fields = reader.mapping(pair.value, field: "settings", keys: ManifestLoader.settingsKeys)
    else { return }
    if let p = fields["unmanaged_users"], let text = reader.string(p.value, field: "unmanaged_users") {
      if let policy = UnmanagedPolicy(rawValue: text) {
        settings.unmanagedUsers = policy
      } else {
        reader.error(p.value.mark, "unmanaged_users must be \"ignore\" or \"deactivate\", found \"\(text)\"")
      }
    }
    if let p = fields["protected_users"], let names = usernames(p.value, field: "protected_users") {
      settings.protectedUsers = Set(names)
    }
    for kind in GateKind.allCases {
      if let p = fields[kind.key], let threshold = readThreshold(p.value, key: kind.key) {
        settings.limits[kind] = threshold
      }
    }
    if let p = fields["required_admins"], let names = usernames(p.value, field: "required_admins") {
      settings.requiredAdmins = Set(names)
    }
    if let p = fields["managed_fields"], let keys = readFieldNames(p.value, field: "managed_fields") {
      settings.managedFields = keys
    }
    if let p = fields["min_system_admins"], let n = reader.integer(p.value, field: "min_system_admins") {
      if n < 0 {
        reader.error(p.value.mark, "min_system_admins must be 0 or more")
      } else {
        settings.minSystemAdmins = n
      }
    }
  }

  private mutating func readThreshold(_ node: Node, key: String) -> Threshold? {
    let message = "\(key) must be a count such as 5 or a percentage such as \"25%\""
    guard case .scalar(let text, let style) = node.kind else {
      reader.error(node.mark, message + ", found \(node.kindName)")
      return nil
    }
    if style.isPlain, let n = Int(text), n >= 0 { return .count(n) }
    if text.hasSuffix("%"), let p = Int(text.dropLast()), (0...100).contains(p) { return .percent(p) }
    reader.error(node.mark, message + ", found \(ScalarReader.describe(node))")
    return nil
  }

  private mutating func readDefaults(_ pair: Pair) {
    guard firstTime(pair, previous: defaultsMark) else { return }
    defaultsMark = pair.key.mark
    defaults = readUserFields(pair.value, keys: ManifestLoader.defaultsKeys, field: "defaults")
  }

  /// A list of usernames, normalised and checked by the server's rules (a name no account can have would
  /// silently protect, require or rename nobody), in order, each once.
  private mutating func usernames(_ node: Node, field: String) -> [String]? {
    guard let items = reader.stringList(node, field: field) else { return nil }
    var names: [String] = []
    var seen = Set<String>()
    var ok = true
    for (raw, mark) in items {
      let name = ServerRules.normalizeUsername(raw)
      if let problem = ServerRules.usernameProblem(name) {
        reader.error(mark, "\(field): " + problem)
        ok = false
      } else if !seen.insert(name).inserted {
        reader.warning(mark, "\(field) lists \(name) twice")
      } else {
        names.append(name)
      }
    }
    return ok ? names : nil
  }

  /// `managed_fields` and `ignore_fields`: profile field keys, `roles` and `tokens`.
  private mutating func readFieldNames(_ node: Node, field: String) -> Set<ManagedField>? {
    guard let items = reader.stringList(node, field: field) else { return nil }
    var keys = Set<ManagedField>()
    var ok = true
    for (key, mark) in items {
      if let managed = ManagedField(key: key) {
        keys.insert(managed)
      } else {
        let known = ManagedField.all.map(\.key)
        var message =
          "\(field) lists \"\(key)\", which is not a field roster manages; use " + known.joined(separator: ", ")
        if let guess = Suggest.closest(to: key, in: known) { message += " (did you mean \"\(guess)\"?)" }
        reader.error(mark, message)
        ok = false
      }
    }
    return ok ? keys : nil
  }

  /// With `--only`, a user outside the targets is read for its name only: its errors become warnings
  /// and it stays in the manifest (so it is not counted as unmanaged) only when it read cleanly.
  private mutating func readUser(_ node: Node) {
    let start = reader.diagnostics.count
    let user = readUserFields(node, keys: ManifestLoader.userKeys, field: "a user")
    guard let only else { return add(user, node) }
    let names = user.map { $0.spec.names } ?? []
    if names.contains(where: only.contains) { return add(user, node) }
    let clean = !reader.diagnostics.all.dropFirst(start).contains { $0.severity == .error }
    reader.demoteErrors(from: start, note: ManifestDecoder.untargeted)
    guard let user, user.declared.contains("username"), firstByName[user.spec.username] == nil else { return }
    // Its name stays known even when the entry is dropped: a targeted rename must not take it.
    firstByName[user.spec.username] = user.spec.mark
    if clean { users.append(user) }
  }

  private mutating func add(_ read: DeclaredUser?, _ node: Node) {
    guard let user = read else { return }
    guard user.declared.contains("username") else {
      if !user.written.contains("username") { reader.error(node.mark, "a user needs a username") }
      return
    }
    if let first = firstByName[user.spec.username] {
      reader.error(
        user.spec.mark,
        "user \"\(user.spec.username)\" is declared twice (usernames are case-insensitive); the first is at \(first)")
      return
    }
    firstByName[user.spec.username] = user.spec.mark
    users.append(user)
  }

  /// Reads the fields of a user or of `defaults`; both share one shape and one set of rules.
  private mutating func readUserFields(_ node: Node, keys: [String], field: String) -> DeclaredUser? {
    guard let fields = reader.mapping(node, field: field, keys: keys) else { return nil }
    var user = DeclaredUser(spec: UserSpec(username: "", mark: node.mark), written: UserKeySet(fields.keys))
    for key in keys {
      guard let pair = fields[key] else { continue }
      if readField(key, pair.value, into: &user.spec) { user.declared.insert(key) }
    }
    user.emailMark = fields["email"]?.value.mark
    checkAuth(&user, at: node.mark)
    return user
  }

  /// A string value. Only `password` may refer to the environment (`${VAR}`, expanded here; an unset
  /// variable is an error at its reference). Anywhere else a `${` is an error: a reference in a printed
  /// field would copy a secret such as MM_TOKEN into plans, logs and the server. `$${` is a literal `${`.
  private mutating func text(_ node: Node, field: String) -> (written: String, value: String?)? {
    guard let written = reader.string(node, field: field) else { return nil }
    guard field == "password" else {
      if let offset = Template.firstReference(in: written) {
        reader.error(
          mark(of: offset, in: node, written),
          "\(field) cannot refer to the environment; only password may use ${VARIABLE} (write $${ for a literal ${)")
        return nil
      }
      return (written, Template.literal(written))
    }
    switch Template.expand(written, env: env) {
    case .success(let value):
      return (written, value)
    case .failure(let unset):
      // Only a user roster creates needs its password: pull requests from forks get no secrets and must
      // still validate and plan. The planner refuses a create whose password is unset.
      reader.warning(
        mark(of: unset.offset, in: node, written),
        "environment variable \(unset.name) is not set (referenced by \(field)); it is needed only to create the user")
      return (written, nil)
    }
  }

  /// Where a character of a one-line scalar is, counting the opening quote of a quoted one.
  private func mark(of offset: Int, in node: Node, _ written: String) -> Mark {
    var mark = node.mark
    if case .scalar(_, let style) = node.kind, style != .literal, style != .folded, !written.contains("\n") {
      mark.column += offset + (style.isPlain ? 0 : 1)
    }
    return mark
  }

  /// Reads one field into the spec; returns whether it was valid.
  private mutating func readField(_ key: String, _ node: Node, into spec: inout UserSpec) -> Bool {
    if let field = ProfileField.named(key) {
      // Normalised as the server stores it, then checked by its rules.
      guard let raw = text(node, field: key)?.value else { return false }
      let value = field.normalized(raw)
      if field.serverSanitizes && value != raw {
        // Otherwise every plan would show a change the server undoes on every save.
        reader.warning(
          node.mark,
          "\(key) contains invisible characters the server removes (model.SanitizeUnicode); they are left out here too")
      }
      if let problem = field.problem(value) {
        reader.error(node.mark, problem)
        return false
      }
      spec[keyPath: field.spec] = value
      return true
    }
    switch key {
    case "username":
      guard let raw = text(node, field: key)?.value else { return false }
      let value = ServerRules.normalizeUsername(raw)
      if let problem = ServerRules.usernameProblem(value) {
        reader.error(node.mark, problem)
        return false
      }
      spec.username = value
      spec.mark = node.mark
    case "roles":
      guard let roles = readRoles(node) else { return false }
      spec.roles = roles
    case "active":
      guard let v = reader.bool(node, field: key) else { return false }
      spec.active = v
    case "password":
      guard let t = text(node, field: key) else { return false }
      if let value = t.value, value.utf8.count > ServerRules.passwordMaxBytes {
        reader.error(node.mark, "password is longer than the server's \(ServerRules.passwordMaxBytes) bytes")
        return false
      }
      if Template.references(in: t.written) == false {
        reader.warning(node.mark, "password is written literally; secrets do not belong in Git, use ${VARIABLE}")
      }
      spec.password = TemplateString(written: t.written, expanded: t.value)
    case "auth_service":
      guard let v = text(node, field: key)?.value else { return false }
      guard ServerRules.authServices.contains(v) else {
        var message =
          "auth_service \"\(v)\" is not one the server knows; use one of "
          + ServerRules.authServices.joined(separator: ", ")
        if let guess = Suggest.closest(to: v, in: ServerRules.authServices) {
          message += " (did you mean \"\(guess)\"?)"
        }
        reader.error(node.mark, message)
        return false
      }
      spec.authService = v
    case "auth_data":
      guard let v = text(node, field: key)?.value else { return false }
      if v.utf8.count > ServerRules.authDataMaxLength {
        reader.error(node.mark, "auth_data is longer than the server's \(ServerRules.authDataMaxLength) characters")
        return false
      }
      spec.authData = v
    case "email_verified":
      // Only a system admin's create may set it (api4/user.go createUser, SanitizeInput); roster sends it
      // when it creates the user and never compares it (the server shows it to the user only).
      guard let v = reader.bool(node, field: key) else { return false }
      spec.emailVerified = v
    case "tokens":
      guard let tokens = readTokens(node) else { return false }
      spec.tokens = tokens
    case "previous_usernames":
      guard let names = usernames(node, field: key) else { return false }
      spec.previousUsernames = names
    case "ignore_fields":
      guard let keys = readFieldNames(node, field: key) else { return false }
      spec.ignoredFields = keys
    case "initial_password":
      guard let v = reader.string(node, field: key) else { return false }
      guard v == "generate" else {
        reader.error(
          node.mark,
          "initial_password takes only \"generate\" (roster makes a password that meets the server's policy and writes it to the secret sink); a fixed password is written as password: ${VARIABLE}"
        )
        return false
      }
      spec.generatePassword = true
    case "send_password_reset":
      guard let v = reader.bool(node, field: key) else { return false }
      spec.sendPasswordReset = v
    default:
      return false
    }
    return true
  }

  private mutating func readRoles(_ node: Node) -> [String]? {
    guard let items = reader.stringList(node, field: "roles") else { return nil }
    var ok = true
    var seen: [String: Mark] = [:]
    for (role, mark) in items {
      if !ServerRules.systemRoles.contains(role) {
        var message = "unknown role \"\(role)\"; roles are the server's built-in system roles"
        if let guess = Suggest.closest(to: role, in: ServerRules.systemRoles) {
          message += "; did you mean \"\(guess)\"?"
        }
        reader.error(mark, message)
        ok = false
      } else if ServerRules.licensedRoles.contains(role) {
        reader.warning(mark, "role \(role) needs an Enterprise license; the server refuses it without one")
      }
      if let first = seen[role] {
        reader.warning(mark, "role \(role) is listed twice (first at line \(first.line)); roles are a set")
      }
      seen[role] = mark
    }
    let roles = Set(items.map(\.0))
    if ok && roles.contains("system_guest") && roles != ["system_guest"] {
      // POST /users/{id}/demote sets exactly "system_guest" (store DemoteUserToGuest).
      reader.error(node.mark, "a guest's roles are exactly [system_guest]; the server gives guests no other role")
      ok = false
    } else if ok && roles == ["system_guest"] {
      return ["system_guest"]
    } else if ok && roles == ["system_admin"] {
      reader.error(node.mark, "roles [system_admin] alone is refused by the server; write [system_user, system_admin]")
      ok = false
    } else if ok && !roles.contains("system_user") {
      reader.error(node.mark, "roles must include system_user, which every account needs to sign in and post")
      ok = false
    }
    let canonical = ServerRules.canonicalRoles(roles)
    if canonical.joined(separator: " ").utf8.count > ServerRules.rolesMaxLength {
      reader.error(node.mark, "roles are longer than the server's \(ServerRules.rolesMaxLength) characters")
      ok = false
    }
    return ok ? canonical : nil
  }

  private mutating func readTokens(_ node: Node) -> [TokenSpec]? {
    guard let items = reader.sequence(node, field: "tokens") else { return nil }
    var tokens: [TokenSpec] = []
    var seen: [String: Mark] = [:]
    var ok = true
    for item in items {
      guard let fields = reader.mapping(item, field: "a token", keys: ManifestLoader.tokenKeys) else {
        ok = false
        continue
      }
      guard let pair = fields["description"] else {
        reader.error(item.mark, "a token needs a description; it is the token's only name on the server")
        ok = false
        continue
      }
      guard let description = text(pair.value, field: "description")?.value else {
        ok = false
        continue
      }
      if description.isEmpty {
        reader.error(pair.value.mark, "token description must not be empty")
        ok = false
        continue
      }
      if description.utf8.count > ServerRules.tokenDescriptionMaxBytes {
        reader.error(
          pair.value.mark,
          "token description is \(description.utf8.count) bytes; the server allows at most \(ServerRules.tokenDescriptionMaxBytes)"
        )
        ok = false
        continue
      }
      if let first = seen[description] {
        reader.error(
          pair.value.mark,
          "token \"\(description)\" is declared twice for this user; the first is at line \(first.line), column \(first.column)"
        )
        ok = false
        continue
      }
      seen[description] = pair.value.mark
      var active = true
      if let a = fields["active"] {
        guard let v = reader.bool(a.value, field: "active") else {
          ok = false
          continue
        }
        active = v
      }
      var expiresInDays: Int?
      if let e = fields["expires_in_days"] {
        // A lifetime in days, for servers whose MaximumPersonalAccessTokenLifetimeDays refuses tokens
        // without expires_at (app/session.go validateUserAccessTokenExpiry).
        guard let days = reader.integer(e.value, field: "expires_in_days"), (1...36_500).contains(days) else {
          if reader.integer(e.value, field: "expires_in_days") != nil {
            reader.error(e.value.mark, "expires_in_days must be between 1 and 36500")
          }
          ok = false
          continue
        }
        expiresInDays = days
      }
      var rotateAfterDays: Int?
      if let r = fields["rotate_after_days"] {
        guard let days = reader.integer(r.value, field: "rotate_after_days") else {
          ok = false
          continue
        }
        guard (1...36_500).contains(days) else {
          reader.error(r.value.mark, "rotate_after_days must be between 1 and 36500")
          ok = false
          continue
        }
        if let lifetime = expiresInDays, days >= lifetime {
          reader.warning(
            r.value.mark,
            "rotate_after_days \(days) is not below expires_in_days \(lifetime): the token expires before it is rotated"
          )
        }
        rotateAfterDays = days
      }
      tokens.append(
        TokenSpec(
          description: description, active: active, expiresInDays: expiresInDays, rotateAfterDays: rotateAfterDays,
          mark: item.mark))
    }
    return ok ? tokens : nil
  }

  /// SSO binding needs both halves; a password cannot go with it (model/user.go IsValid auth_data_*).
  private mutating func checkAuth(_ user: inout DeclaredUser, at mark: Mark) {
    let spec = user.spec
    if spec.authData != nil && !user.written.contains("auth_service") && defaults?.spec.authService == nil {
      reader.error(mark, "auth_data needs an auth_service (the server refuses it alone: auth_data_type)")
    }
    if spec.password != nil && (spec.authService != nil || spec.authData != nil) {
      reader.error(mark, "a user signs in with a password or with auth_service, not both (auth_data_pwd)")
    }
    if spec.generatePassword && spec.password != nil {
      reader.error(mark, "initial_password: generate and password are two ways to set one password; keep one")
    }
    if spec.generatePassword && spec.authService != nil {
      reader.error(
        mark, "initial_password: generate is for email/password accounts; this user signs in with auth_service")
    }
    if spec.sendPasswordReset && spec.authService != nil {
      // app/user.go SendPasswordReset refuses accounts with auth data (api.user.send_password_reset.sso.app_error).
      reader.error(mark, "send_password_reset is for email/password accounts; the server refuses it for SSO accounts")
    }
    if spec.previousUsernames.contains(spec.username) {
      reader.error(mark, "previous_usernames lists the user's own username \(spec.username)")
    }
  }

  /// A previous username points at one account: two users cannot claim it, and it cannot be a name the
  /// manifest declares (that account would be both renamed and kept).
  private mutating func checkPreviousUsernames() {
    var claimedBy: [String: String] = [:]
    for user in users {
      for old in user.spec.previousUsernames {
        if let first = claimedBy[old] {
          reader.error(
            user.spec.mark,
            "\(user.spec.username) and \(first) both list \(old) in previous_usernames; one account cannot become two")
        } else {
          claimedBy[old] = user.spec.username
        }
        if let declared = firstByName[old] {
          reader.error(
            user.spec.mark,
            "\(user.spec.username) lists \(old) in previous_usernames, but \(old) is declared as a user at \(declared)")
        }
      }
    }
  }

  /// Merges defaults under each user and returns the manifest, unless there were errors.
  mutating func finish() -> LoadResult {
    // Two users with one address (emails are case-insensitive: they are stored lowercased) would fail
    // halfway through an apply with app.user.save.email_exists.app_error; caught here, offline.
    var firstByEmail: [String: (mark: Mark, targeted: Bool)] = [:]
    for user in users {
      guard let email = user.spec.email, let mark = user.emailMark else { continue }
      let targeted = only.map { only in user.spec.names.contains(where: only.contains) } ?? true
      if let first = firstByEmail[email] {
        let message = "email \(email) is declared twice (emails are case-insensitive); the first is at \(first.mark)"
        if targeted || first.targeted {
          reader.error(mark, message)
        } else {
          reader.warning(mark, message + ManifestDecoder.untargeted)
        }
      } else {
        firstByEmail[email] = (mark, targeted)
      }
    }
    checkPreviousUsernames()
    var merged: [UserSpec] = []
    for var user in users {
      if let defaults {
        let d = defaults.spec
        for key in defaults.declared where !user.declared.contains(key) {
          if let field = ProfileField.named(key) {
            user.spec[keyPath: field.spec] = d[keyPath: field.spec]
            continue
          }
          switch key {
          case "roles": user.spec.roles = d.roles
          case "active": user.spec.active = d.active
          case "auth_service": user.spec.authService = d.authService
          default: break
          }
        }
      }
      let spec = user.spec
      if spec.authService != nil && !user.declared.contains("auth_service")
        && (spec.sendPasswordReset || spec.generatePassword)
      {
        reader.error(
          spec.mark,
          "user \(spec.username) has \(spec.generatePassword ? "initial_password: generate" : "send_password_reset"), but defaults give it auth_service \(spec.authService ?? "")"
        )
      }
      if spec.authService != nil && spec.password != nil && !user.declared.contains("auth_service") {
        reader.error(
          spec.mark, "user \(spec.username) has a password, but defaults give it auth_service \(spec.authService ?? "")"
        )
      }
      merged.append(spec)
    }
    let diagnostics = reader.diagnostics
    let manifest = diagnostics.hasErrors ? nil : Manifest(settings: settings, users: merged)
    return LoadResult(manifest: manifest, diagnostics: diagnostics.sorted)
  }
}
