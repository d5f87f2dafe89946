import Synchronization

/// A place in a source file, 1-based, as people and editors count lines and columns.
public struct Mark: Hashable, Sendable, Comparable, CustomStringConvertible {
  // Stored narrow: every node carries a mark, and a 100,000-user roster has millions of nodes. A file is
  // at most 16 MiB, so neither can overflow. The file is a number in `FileNames`: a name held as a
  // String would be retained and released on every copy of every node, spec and diagnostic.
  private var fileID: UInt32
  private var storedLine: Int32
  private var storedColumn: Int32

  public var file: String {
    get { FileNames.name(fileID) }
    set { fileID = FileNames.id(newValue) }
  }

  public var line: Int {
    get { Int(storedLine) }
    set { storedLine = Int32(clamping: newValue) }
  }

  public var column: Int {
    get { Int(storedColumn) }
    set { storedColumn = Int32(clamping: newValue) }
  }

  public init(file: String, line: Int, column: Int) {
    self.init(fileID: FileNames.id(file), line: line, column: column)
  }

  /// For a reader that looked its file's number up once.
  init(fileID: UInt32, line: Int, column: Int) {
    self.fileID = fileID
    storedLine = Int32(clamping: line)
    storedColumn = Int32(clamping: column)
  }

  public var description: String { "\(file):\(line):\(column)" }

  public static func < (a: Mark, b: Mark) -> Bool {
    // Marks of one file (nearly every pair a sort of diagnostics compares) need no name looked up.
    if a.fileID == b.fileID { return (a.storedLine, a.storedColumn) < (b.storedLine, b.storedColumn) }
    return a.file < b.file
  }
}

/// The file names marks point into, each given a number once. Equal names get equal numbers, so a
/// mark's equality and hash stay those of its name. A process reads a handful of files; none is dropped.
enum FileNames {
  private struct Table {
    var names: [String] = []
    var ids: [String: UInt32] = [:]
  }

  private static let table = Mutex(Table())

  static func id(_ name: String) -> UInt32 {
    table.withLock { table in
      if let id = table.ids[name] { return id }
      let id = UInt32(table.names.count)
      table.names.append(name)
      table.ids[name] = id
      return id
    }
  }

  static func name(_ id: UInt32) -> String { table.withLock { $0.names[Int(id)] } }
}

/// How a scalar was written. The manifest needs it: a quoted `"true"` is a string, a plain `true` a boolean.
public enum ScalarStyle: Sendable, Equatable {
  case plain, singleQuoted, doubleQuoted, literal, folded

  public var isPlain: Bool { self == .plain }
}

/// One YAML node with the place it was written, so that every later error can point at it. No node
/// carries a tag: the reader refuses tagged values (`TreeBuilder.consume`).
public struct Node: Sendable {
  public enum Kind: Sendable {
    case scalar(String, ScalarStyle)
    case sequence([Node])
    case mapping([Pair])
  }

  // Field order keeps the layout tight: millions of nodes live at once in a large roster.
  public var mark: Mark
  public var kind: Kind
  private var storedWeight: Int32
  private var storedDepth: UInt16

  /// Nodes in this subtree, counted as if every alias were expanded; bounds alias bombs. The alias
  /// budget (ten times a 16 MiB file's nodes at most) keeps it far below `Int32.max`.
  public var weight: Int { Int(storedWeight) }
  /// Levels of collections in this subtree (a scalar is 0), aliases expanded; bounds recursion over the
  /// tree. The reader refuses more than 256.
  public var depth: Int { Int(storedDepth) }

  public init(kind: Kind, mark: Mark) {
    self.kind = kind
    self.mark = mark
    let weight: Int
    let depth: Int
    switch kind {
    case .scalar:
      weight = 1
      depth = 0
    case .sequence(let items):
      weight = items.reduce(1) { $0 + $1.weight }
      depth = 1 + items.reduce(0) { max($0, $1.depth) }
    case .mapping(let pairs):
      weight = pairs.reduce(1) { $0 + $1.key.weight + $1.value.weight }
      depth = 1 + pairs.reduce(0) { max($0, $1.key.depth, $1.value.depth) }
    }
    storedWeight = Int32(clamping: weight)
    storedDepth = UInt16(clamping: depth)
  }

  public init(_ scalar: Scalar) {
    self.init(kind: .scalar(scalar.text, scalar.style), mark: scalar.mark)
  }

  /// The scalar this node is, if it is one.
  public var scalar: Scalar? {
    if case .scalar(let text, let style) = kind { return Scalar(text: text, style: style, mark: mark) }
    return nil
  }

  /// A short name for the kind, for messages such as "expected a mapping, found a sequence".
  public var kindName: String {
    switch kind {
    case .scalar: return "a scalar"
    case .sequence: return "a sequence"
    case .mapping: return "a mapping"
    }
  }
}

/// A scalar with its style and place, without the rest of a `Node`: the streamed entries of a large
/// roster (`StreamedPart.scalar`) hand their values over as these, a `Node` and a `Pair` per value
/// being most of what reading such a roster cost beyond libyaml itself.
public struct Scalar: Sendable {
  public var text: String
  public var style: ScalarStyle
  public var mark: Mark
}

/// A key and its value in a mapping; keys keep their own marks for "duplicate key" and "unknown key".
public struct Pair: Sendable {
  public var key: Node
  public var value: Node

  public init(key: Node, value: Node) {
    self.key = key
    self.value = value
  }

  /// The key's text when it is a scalar, which every manifest key is.
  public var keyText: String? {
    if case .scalar(let text, _) = key.kind { return text }
    return nil
  }
}
