import RosterYAML

private typealias Setting = ManifestKey.Setting

extension ManifestDecoder {
  mutating func readSettings(_ pair: Pair) {
    guard firstTime(pair, previous: settingsMark) else { return }
    settingsMark = pair.key.mark
    guard let fields = reader.mapping(pair.value, field: ManifestKey.Top.settings.key, keys: Setting.all)
    else { return }
    if let p = fields[.unmanagedUsers], let text = reader.string(p.value, field: Setting.unmanagedUsers.key) {
      if let policy = UnmanagedPolicy(rawValue: text) {
        settings.unmanagedUsers = policy
      } else {
        reader.error(p.value.mark, "unmanaged_users must be \"ignore\" or \"deactivate\", found \"\(text)\"")
      }
    }
    if let p = fields[.unmanagedBots], let text = reader.string(p.value, field: Setting.unmanagedBots.key) {
      if let policy = UnmanagedBotPolicy(rawValue: text) {
        settings.unmanagedBots = policy
      } else {
        reader.error(p.value.mark, "unmanaged_bots must be \"ignore\" or \"disable\", found \"\(text)\"")
      }
    }
    if let p = fields[.onDeactivate], let text = reader.string(p.value, field: Setting.onDeactivate.key) {
      if let policy = DeactivationTokenPolicy(rawValue: text) {
        settings.onDeactivate = policy
      } else {
        reader.error(
          p.value.mark,
          "on_deactivate must be \"disable_tokens\", \"revoke_tokens\" or \"keep\", found \"\(text)\"")
      }
    }
    if let p = fields[.rotationGraceHours] {
      settings.rotationGraceHours = graceHours(p.value, field: Setting.rotationGraceHours.key)
    }
    if let p = fields[.protectedUsers], let names = usernames(p.value, field: Setting.protectedUsers.key) {
      settings.protectedUsers = Set(names)
    }
    for kind in GateKind.allCases {
      if let p = fields[.gate(kind)], let threshold = readThreshold(p.value, key: kind.key) {
        settings.limits[kind] = threshold
      }
    }
    if let p = fields[.requiredAdmins], let names = usernames(p.value, field: Setting.requiredAdmins.key) {
      settings.requiredAdmins = Set(names)
    }
    if let p = fields[.managedFields], let keys = readFieldNames(p.value, field: Setting.managedFields.key) {
      settings.managedFields = keys
    }
    if let p = fields[.scope] { settings.scope = readScope(p.value) }
    if let p = fields[.owner], let name = reader.string(p.value, field: Setting.owner.key) {
      if let problem = OwnerMarker.problem(name) { reader.error(p.value.mark, problem) } else { settings.owner = name }
    }
    if let p = fields[.minSystemAdmins], let n = reader.integer(p.value, field: Setting.minSystemAdmins.key) {
      if n < 0 {
        reader.error(p.value.mark, "min_system_admins must be 0 or more")
      } else {
        settings.minSystemAdmins = n
      }
    }
  }

  /// `rotation_grace_hours`, in settings or on a token: up to a year, since the old token stays usable
  /// all that time.
  mutating func graceHours(_ node: Node, field: String) -> Int? {
    guard let hours = reader.integer(node, field: field) else { return nil }
    guard (0...8_760).contains(hours) else {
      reader.error(node.mark, "\(field) must be between 0 and 8760 (a year)")
      return nil
    }
    return hours
  }

  mutating func readThreshold(_ node: Node, key: String) -> Threshold? {
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

  mutating func readDefaults(_ pair: Pair) {
    guard firstTime(pair, previous: defaultsMark) else { return }
    defaultsMark = pair.key.mark
    defaults = readUserFields(
      pair.value, keys: ManifestKey.User.defaults, names: ManifestLoader.defaultsKeys,
      field: ManifestKey.Top.defaults.key)
  }

  /// A list of usernames, normalised and checked by the server's rules (a name no account can have would
  /// silently protect, require or rename nobody), in order, each once.
  mutating func usernames(_ node: Node, field: String) -> [String]? {
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
  mutating func readFieldNames(_ node: Node, field: String) -> Set<ManagedField>? {
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
}
