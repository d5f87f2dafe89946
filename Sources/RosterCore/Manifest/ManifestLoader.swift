import RosterYAML

/// A manifest file's name and a way to read it, given by the caller: the loader itself does no I/O.
public struct ManifestFile: Sendable {
  public var name: String
  /// The size in bytes as the caller found it; room for the users it holds is reserved from it.
  public var size: Int
  /// The contents, opened when the file is parsed: a file is read as libyaml parses it, never held
  /// whole. nil when it cannot be opened.
  public var open: @Sendable () -> (any YAMLChunks)?

  public init(name: String, size: Int, open: @escaping @Sendable () -> (any YAMLChunks)?) {
    self.name = name
    self.size = size
    self.open = open
  }

  /// A file whose contents are already in memory (standard input, tests).
  public init(name: String, bytes: [UInt8]) {
    self.init(name: name, size: bytes.count) { ByteChunks(bytes) }
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
  /// The keys each mapping accepts, as written (from `ManifestKey`).
  public static let topKeys = ManifestKey.Top.allCases.map(\.key)
  public static let settingsKeys = ManifestKey.Setting.all.map(\.key)
  public static let userKeys = ManifestKey.User.all.map(\.key)
  public static let defaultsKeys = ManifestKey.User.defaults.map(\.key)
  public static let tokenKeys = ManifestKey.Token.allCases.map(\.key)
  public static let botKeys = ManifestKey.Bot.allCases.map(\.key)
  public static let membershipKeys = ManifestKey.Membership.allCases.map(\.key)
  public static let registryTeamKeys = ManifestKey.RegistryTeam.allCases.map(\.key)
  public static let registryChannelKeys = ManifestKey.RegistryChannel.allCases.map(\.key)

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
  var info: Info

  /// What the loader keeps beside a spec until the manifest is whole. The decoder holds the specs and
  /// these in two arrays, so the specs become the manifest's users in place: a second array of a large
  /// roster's specs was a fifth of the peak memory of `roster validate`.
  struct Info {
    /// Keys written and valid: these override defaults.
    var declared = UserKeySet()
    /// Keys written at all, valid or not, so one mistake is not reported twice.
    var written = UserKeySet()
    /// Where the email was written, for "declared twice".
    var emailMark: Mark?
    /// Where the entry starts, for the checks that wait for the whole manifest.
    var entryMark: Mark
  }

  init(spec: UserSpec, entryMark: Mark) {
    self.spec = spec
    info = Info(entryMark: entryMark)
  }

  /// Nothing read yet, for the entry that starts at `mark`.
  init(entryAt mark: Mark) {
    self.init(spec: UserSpec(username: "", mark: mark), entryMark: mark)
  }

  var declared: UserKeySet {
    get { info.declared }
    set { info.declared = newValue }
  }
  var written: UserKeySet {
    get { info.written }
    set { info.written = newValue }
  }
  var emailMark: Mark? {
    get { info.emailMark }
    set { info.emailMark = newValue }
  }
  var entryMark: Mark { info.entryMark }
}

/// A set of user keys as bits: two `Set<String>` per user cost about 40 MB for a 100,000-user roster.
struct UserKeySet: Sequence {
  private var bits: UInt32 = 0

  init() {}

  /// The keys among `written`.
  init(_ written: some Sequence<ManifestKey.User>) {
    for key in written { insert(key) }
  }

  /// A bit per key, at its place in `ManifestKey.User.all`.
  private static func bit(_ key: ManifestKey.User) -> UInt32 { UInt32(1) << UInt32(key.ordinal) }

  func contains(_ key: ManifestKey.User) -> Bool { bits & Self.bit(key) != 0 }

  mutating func insert(_ key: ManifestKey.User) { bits |= Self.bit(key) }

  func makeIterator() -> some IteratorProtocol<ManifestKey.User> {
    ManifestKey.User.all.lazy.filter { contains($0) }.makeIterator()
  }
}

/// A mapping's pairs, looked up by the key enum of its kind.
struct KeyedPairs<Key: ManifestKey.Name> {
  let keys: [Key]
  /// The pair written for each of `keys`, at the same index.
  let slots: [Pair?]

  subscript(_ key: Key) -> Pair? { keys.firstIndex(of: key).flatMap { slots[$0] } }

  /// The known keys written.
  var written: some Sequence<Key> { zip(keys, slots).lazy.filter { $0.1 != nil }.map { $0.0 } }
}

extension ScalarReader {
  /// `mapping(_:field:keys:)` with the keys from a `ManifestKey` table; `names` are their texts when the
  /// caller keeps them (a user entry's), so they are not made again for every mapping.
  mutating func mapping<Key: ManifestKey.Name>(
    _ node: Node, field: String, keys: [Key], names: [String]? = nil
  ) -> KeyedPairs<Key>? {
    let names = names ?? keys.map(\.key)
    guard let pairs = mapping(node, field: field, keys: names) else { return nil }
    return KeyedPairs(keys: keys, slots: pairs)
  }
}
