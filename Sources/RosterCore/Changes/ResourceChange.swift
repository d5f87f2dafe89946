/// Everything one resource's step kinds need, in one place per resource: what runs when, what a reviewer
/// reads, what a plan file holds, and what the server must show afterwards. `Change` delegates to it;
/// the applier's call for each kind lives beside it in the client (`Applier+Users`, `Applier+Tokens`).
protocol ResourceChange: Sendable {
  /// This resource's kinds, in plan order.
  static var kinds: [StepKind] { get }
  /// The change a plan file's step of `kind` holds; nil when `kind` is another resource's.
  static func decode(_ kind: StepKind, _ payload: inout PayloadReader) throws -> Change?

  var kind: StepKind { get }
  var phase: Phase { get }
  var isDestructive: Bool { get }
  /// `+` adds, `-` takes away, `~` changes: the marker and colour of the text plan.
  var effect: ChangeEffect { get }

  /// The change with `transform` applied to every string it carries (for display).
  func mapStrings(_ transform: (String) -> String) -> Change

  /// What the text plan shows for this step.
  func text(_ step: Step) -> TextEntry
  /// The change in a few Markdown words, as the list of destructive changes names it.
  func markdownTitle(_ step: Step) -> String
  /// The details cell of the Markdown table (already Markdown-safe).
  func markdownDetails(_ step: Step) -> String
  /// The step in a few words, for progress lines and the apply report.
  func label(_ step: Step) -> String
  /// How the step changes who holds privilege, when it does; `admin` tells whether the account holds an
  /// admin role now (see `Privilege`).
  func privilegeChange(_ step: Step, admin: Bool) -> String?

  /// The plan file's keys for this change (inside the step's `change` object).
  func encode(to payload: inout PayloadWriter) throws

  /// What the step does to the account it names, and what a fresh read must then show
  /// (`PostPlanState`).
  func simulate(_ account: inout SimulatedAccount)
}

/// A step in the text plan: `  + headline` in the effect's colour, then `plain` uncoloured, then the
/// detail lines (values quoted with `PlanTextRenderer.quoted`).
struct TextEntry {
  var headline: String
  var plain: String = ""
  var details: [String] = []
}

/// How a step reads in the text plan.
enum ChangeEffect {
  case add, change, remove

  var marker: String {
    switch self {
    case .add: "+"
    case .change: "~"
    case .remove: "-"
    }
  }
}

/// A key of a change's object in a plan file; each resource names its own.
struct PayloadKey: CodingKey, Hashable {
  var stringValue: String
  var intValue: Int? { nil }

  init(_ name: String) { stringValue = name }
  init(stringValue: String) { self.stringValue = stringValue }
  init?(intValue: Int) { nil }
}

/// Writes one change's keys.
struct PayloadWriter {
  var container: KeyedEncodingContainer<PayloadKey>

  mutating func put<T: Encodable>(_ value: T?, _ key: String) throws {
    try container.encodeIfPresent(value, forKey: PayloadKey(key))
  }
}

/// Reads one change's keys strictly: each kind reads what it needs, and a key no read asked for is an
/// error, so an edited plan cannot smuggle a payload past the checks.
struct PayloadReader {
  let container: KeyedDecodingContainer<PayloadKey>
  /// Keys read so far (and, in a version 1 file, the step's own keys, which share the object).
  private(set) var used: Set<String>

  init(_ container: KeyedDecodingContainer<PayloadKey>, alsoAllowed: Set<String> = []) {
    self.container = container
    used = alsoAllowed
  }

  mutating func need<T: Decodable>(_ type: T.Type, _ key: String) throws -> T {
    used.insert(key)
    return try container.decode(type, forKey: PayloadKey(key))
  }

  mutating func maybe<T: Decodable>(_ type: T.Type, _ key: String) throws -> T? {
    used.insert(key)
    return try container.decodeIfPresent(type, forKey: PayloadKey(key))
  }

  func fail(_ key: String, _ message: String) -> DecodingError {
    .dataCorruptedError(forKey: PayloadKey(key), in: container, debugDescription: message)
  }

  /// Refuses any key that `kind` does not take.
  func finish(_ kind: StepKind) throws {
    if let stray = container.allKeys.map(\.stringValue).sorted().first(where: { !used.contains($0) }) {
      throw fail(stray, "\(kind.rawValue) does not take \(stray)")
    }
  }
}
