import RosterYAML

/// The walk over each file's tree: the top level and the users here, settings, fields, roles and tokens
/// and the checks that need the whole manifest in the extensions beside it.
struct ManifestDecoder {
  let env: [String: String]
  var reader = ScalarReader()
  var settings = Settings()
  var settingsMark: Mark?
  var defaults: DeclaredUser?
  var defaultsMark: Mark?
  /// The users read so far, and beside each (at the same index) what the checks after reading need.
  var users: [UserSpec] = []
  var infos: [DeclaredUser.Info] = []
  /// The top-level `teams:` of every file, merged.
  var registry: [String: TeamPolicy] = [:]
  var firstByName = FirstSeen<Mark>()
  /// The `bots:` of every file, in order.
  var bots: [BotSpec] = []
  /// The count of diagnostics when that entry opened: `--only` demotes its unknown keys with the rest.
  var entryStart = 0
  /// The hash of the open entry's username, taken when its slot was fetched ahead (`take`).
  var entryNameHash: UInt64?
  let only: Set<String>?
  static let untargeted = " (not targeted by --only, so only a warning)"

  init(env: [String: String], only: Set<String>? = nil) {
    self.env = env
    self.only = only
  }

  mutating func read(_ file: ManifestFile) {
    // Each user is decoded as soon as libyaml has read it, so a large roster never holds its whole tree
    // (the peak memory of a 100,000-user plan). A file that turns out not to be YAML is read as nothing
    // but its error, as if the users before the error had not been seen.
    let start = Mark(file: file.name, line: 1, column: 1)
    if let error = YAMLReader.sizeError(file.size, file: file.name) { return reader.error(error.mark, error.message) }
    guard let chunks = file.open() else { return reader.error(start, "cannot read the file") }
    let before = self
    // Room reserved after the copy kept for the error case: reserved before, the first write to each
    // table would have copied its storage away from that copy.
    reserve(usersIn: file)
    let firstUserDiagnostic = reader.diagnostics.count
    let root: Node?
    // The user entry libyaml is reading, filled value by value.
    var entry = DeclaredUser(entryAt: start)
    do {
      root = try YAMLReader.parse(
        chunks, file: file.name, streaming: ManifestKey.Top.users.key, keys: ManifestLoader.userKeys
      ) { take($0, into: &entry) }
    } catch {
      self = before
      reader.error(error.mark, error.message)
      return
    }
    let firstTopDiagnostic = reader.diagnostics.count
    var items = readTop(file, root)
    // The top level's problems come first, as when the whole tree was read before the users.
    reader.moveToEnd(firstUserDiagnostic..<firstTopDiagnostic)
    items.reverse()
    while let item = items.popLast() { readUser(item) }
  }

  /// Room for the users a file of this size holds at about 128 bytes an entry (a bare entry with a
  /// name, an address and two names is that long): growing the arrays and the name index from empty
  /// rehashed every name several times and copied every spec, a tenth of a large roster's validate.
  mutating func reserve(usersIn file: ManifestFile) {
    let expected = users.count + file.size / 128
    users.reserveCapacity(expected)
    infos.reserveCapacity(expected)
    firstByName.reserveCapacity(expected)
  }

  /// Reads everything but the users, and returns the users' nodes left in the tree (none when they were
  /// streamed); the rest of the tree is gone after.
  mutating func readTop(_ file: ManifestFile, _ root: Node?) -> [Node] {
    let start = Mark(file: file.name, line: 1, column: 1)
    guard let root else {
      reader.error(start, "file is empty; a manifest starts with \"version: 1\"")
      return []
    }
    guard let top = reader.mapping(root, field: "the manifest", keys: ManifestKey.Top.allCases) else { return [] }
    if let version = top[.version] {
      if let v = reader.integer(version.value, field: "version"), v != 1 {
        reader.error(version.value.mark, "version \(v) is not supported; this roster reads version 1")
      }
    } else {
      reader.error(root.mark, "missing \"version: 1\" at the top of the manifest")
    }
    if let pair = top[.settings] { readSettings(pair) }
    if let pair = top[.defaults] { readDefaults(pair) }
    if let pair = top[.teams] { readRegistry(pair) }
    if let pair = top[.bots] { readBots(pair) }
    if let pair = top[.users], let items = reader.sequence(pair.value, field: ManifestKey.Top.users.key) {
      return items
    }
    return []
  }

  /// Settings and defaults may be set by one file only; a second one is an error naming the first.
  mutating func firstTime(_ pair: Pair, previous: Mark?) -> Bool {
    if let previous {
      reader.error(
        pair.key.mark,
        "\(pair.keyText ?? "") may appear in one file only; it is already set at \(previous)")
      return false
    }
    return true
  }

  /// A streamed user entry, read value by value as libyaml reads it into `entry`. Diagnostics are
  /// sorted by place in the end, so reading the fields in the order written reports what reading a
  /// built mapping (`readUser(_:)`) does.
  mutating func take(_ part: StreamedPart, into entry: inout DeclaredUser) {
    switch part {
    case .item(let node):
      readUser(node)
    case .start(let mark):
      // `entry` is the fresh one the last entry's end left (or the first): only its place is set.
      entry.spec.mark = mark
      entry.info.entryMark = mark
      entryStart = reader.diagnostics.count
      entryNameHash = nil
    case .scalar(let index, let value):
      let key = ManifestKey.User.all[index]
      note(key, valid: readField(key, value, into: &entry.spec), at: value.mark, in: &entry)
      // The name's slot is fetched while the rest of the entry is read; the entry's end looks it up.
      if key == .username && entry.declared.contains(.username) {
        entryNameHash = firstByName.prefetch(entry.spec.username)
      }
    case .node(let index, let value):
      let key = ManifestKey.User.all[index]
      note(key, valid: readField(key, value, into: &entry.spec), at: value.mark, in: &entry)
    case .unknownKey(let key, let mark):
      reader.unknownKey(key, at: mark, in: "a user", keys: ManifestLoader.userKeys)
    case .end(let mark):
      checkAuth(&entry, at: mark)
      // Moved out rather than copied: the next entry starts afresh anyway.
      var user = DeclaredUser(entryAt: mark)
      swap(&user, &entry)
      filter(user, at: mark, since: entryStart, nameHash: entryNameHash)
    }
  }

  mutating func readUser(_ node: Node) {
    let start = reader.diagnostics.count
    let user = readUserFields(node, keys: ManifestKey.User.all, names: ManifestLoader.userKeys, field: "a user")
    filter(user, at: node.mark, since: start)
  }

  /// With `--only`, a user outside the targets is read for its name only: its errors become warnings
  /// and it stays in the manifest (so it is not counted as unmanaged) only when it read cleanly.
  /// The user is consumed on its way into `users`: a copy retained each of its strings once more
  /// (3% of a 100,000-user validate).
  /// - Parameter nameHash: the username's hash when its slot was fetched ahead.
  mutating func filter(_ user: consuming DeclaredUser?, at mark: Mark, since start: Int, nameHash: UInt64? = nil) {
    guard let only else { return add(user, at: mark, nameHash: nameHash) }
    let names = user.map { $0.spec.names } ?? []
    if names.contains(where: only.contains) { return add(user, at: mark, nameHash: nameHash) }
    let clean = !reader.diagnostics.all.dropFirst(start).contains { $0.severity == .error }
    reader.demoteErrors(from: start, note: ManifestDecoder.untargeted)
    // Its name stays known even when the entry is dropped: a targeted rename must not take it.
    guard let user, user.declared.contains(.username),
      firstByName.recordFirst(user.spec.mark, for: user.spec.username) == nil
    else { return }
    if clean { append(user) }
  }

  mutating func add(_ read: consuming DeclaredUser?, at mark: Mark, nameHash: UInt64? = nil) {
    guard let user = read.take() else { return }
    guard user.declared.contains(.username) else {
      if !user.written.contains(.username) { reader.error(mark, "a user needs a username") }
      return
    }
    let name = user.spec.username
    if let first = firstByName.recordFirst(user.spec.mark, for: name, hash: nameHash ?? FirstSeen<Mark>.hash(name)) {
      reader.error(
        user.spec.mark,
        "user \"\(user.spec.username)\" is declared twice (usernames are case-insensitive); the first is at \(first)")
      return
    }
    append(user)
  }

  mutating func append(_ user: consuming DeclaredUser) {
    // The spec last, so that it is moved rather than copied.
    infos.append(user.info)
    users.append(user.spec)
  }
}
