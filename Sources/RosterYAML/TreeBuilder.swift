internal import CYAML

/// Folds libyaml's event stream into a `Node` tree, enforcing what YAML 1.2 and a manifest demand:
/// one document, unique keys, scalar keys, known anchors, bounded nesting and a bounded alias expansion.
struct TreeBuilder {
  private struct Frame {
    var mark: Mark
    var anchor: String?
    var isMapping: Bool
    /// A mapping item of the streamed sequence: its values go out one by one and it is never built.
    var isEntry = false
    var items: [Node] = []
    var pairs: [Pair] = []
    var pendingKey: Node?
    /// Keys already set, indexed once the mapping is large; small mappings (every user entry) are
    /// searched directly, which is cheaper than a dictionary per mapping.
    var keyIndex: [String: Mark] = [:]

    static let indexFrom = 16

    func firstMark(ofKey text: String) -> Mark? {
      if pairs.count < Self.indexFrom {
        return pairs.first { $0.keyText == text }?.key.mark
      }
      return keyIndex[text]
    }

    mutating func noteKey(_ text: String, _ mark: Mark) {
      if pairs.count + 1 == Self.indexFrom {
        for pair in pairs { if let key = pair.keyText { keyIndex[key] = pair.key.mark } }
      }
      if pairs.count + 1 >= Self.indexFrom { keyIndex[text] = mark }
    }
  }

  private let fileID: UInt32
  private var stack: [Frame] = []
  private var anchors: [String: Node] = [:]
  /// Nodes written out in the text (scalars, sequences, mappings); aliases count as one each.
  private var written = 0
  /// Nodes aliases add beyond the one each is written as.
  private var aliased = 0
  private var documents = 0
  private(set) var root: Node?
  /// The keys of the open streamed entry; kept between entries to reuse its storage.
  var entry: EntryKeys
  /// The stack's height while a streamed entry is the innermost open collection: a scalar read then is
  /// one of its keys or values, and goes out without becoming a `Node`. -1 when no entry is open.
  var entryDepth = -1
  /// The top-level key whose sequence's items go to `consume`'s `streamed` as each one is complete,
  /// instead of into the tree (see `YAMLReader.parse(_:file:streaming:keys:_:)`).
  private let streamedKey: String?

  /// - Parameter keys: the keys the streamed entries may hold, which they name by index.
  init(file: String, streaming key: String? = nil, keys: [String] = []) {
    fileID = FileNames.id(file)
    streamedKey = key
    entry = EntryKeys(keys)
  }

  /// The tag as printable ASCII (libyaml decodes %-escapes in tags, so one can hold any byte), cut short.
  static func printable(_ text: String) -> String {
    String(String.UnicodeScalarView(text.unicodeScalars.prefix(80).map { (0x21...0x7E).contains($0.value) ? $0 : "?" }))
  }

  /// Takes one event; returns true at the end of the stream.
  mutating func consume(_ event: Event, streamed: (StreamedPart) -> Void = { _ in }) throws(YAMLError) -> Bool {
    let mark = Mark(fileID: fileID, line: event.line, column: event.column)
    if let tag = event.tag {
      // A tag changes how a value is read (!!binary, !!python/object, a custom one); roster reads plain
      // YAML only, so a tagged value is refused rather than silently read as something else.
      throw YAMLError(
        mark: mark,
        message: "YAML tags are not supported in a manifest (found \(Self.printable(tag))); write the plain value")
    }
    switch event.type {
    case YAML_STREAM_END_EVENT:
      return true
    case YAML_DOCUMENT_START_EVENT:
      documents += 1
      if documents > 1 {
        throw YAMLError(mark: mark, message: "a manifest file holds one YAML document; found a second one")
      }
    case YAML_SCALAR_EVENT:
      written += 1
      let anchor = event.anchor
      if entryDepth == stack.count && anchor == nil {
        try entryScalar(event, at: mark, streamed)
      } else {
        try add(Node(kind: .scalar(event.scalarValue, event.scalarStyle), mark: mark), anchor: anchor, streamed)
      }
    case YAML_ALIAS_EVENT:
      let name = event.anchor ?? ""
      guard var target = anchors[name] else {
        throw YAMLError(mark: mark, message: "unknown alias *\(name); define the anchor &\(name) before using it")
      }
      written += 1
      try countAlias(target.weight - 1, at: mark)
      target.mark = mark
      try add(target, anchor: nil, streamed)
    case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
      written += 1
      // Refused as the level opens, so libyaml never reads deeper than the bound.
      if stack.count >= YAMLReader.maxDepth { throw tooDeep(at: mark) }
      let isMapping = event.type == YAML_MAPPING_START_EVENT
      let anchor = event.anchor
      // A plain mapping item of the streamed sequence goes out pair by pair; one with an anchor is built
      // whole, since an alias may copy it later.
      let isEntry = isMapping && anchor == nil && streamsItems
      stack.append(Frame(mark: mark, anchor: anchor, isMapping: isMapping, isEntry: isEntry))
      if isEntry {
        entry.open()
        entryDepth = stack.count
        streamed(.start(mark))
      }
    case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
      let frame = stack.removeLast()
      if frame.isEntry {
        entryDepth = -1
        streamed(.end(frame.mark))
        return false
      }
      // Appending leaves up to twice the capacity needed; the copy is exact, and the tree is the largest
      // thing roster holds for a large roster.
      let kind: Node.Kind =
        frame.isMapping ? .mapping(Array(exactly: frame.pairs)) : .sequence(Array(exactly: frame.items))
      try add(Node(kind: kind, mark: frame.mark), anchor: frame.anchor, streamed)
    default:
      break
    }
    return false
  }

  /// The budget grows with the document, so only what aliases add relative to the text is bounded.
  private mutating func countAlias(_ nodes: Int, at mark: Mark) throws(YAMLError) {
    aliased += nodes
    let budget = max(YAMLReader.minAliasBudget, YAMLReader.aliasBudgetPerWrittenNode * written)
    if aliased > budget {
      throw YAMLError(
        mark: mark,
        message: "aliases add more than \(budget) nodes to a document of \(written) written nodes; "
          + "refusing it (an alias bomb?)")
    }
  }

  private func tooDeep(at mark: Mark) -> YAMLError {
    YAMLError(mark: mark, message: "nesting deeper than \(YAMLReader.maxDepth) levels; a manifest needs four")
  }

  /// Whether the open sequence holds the streamed items: the second level, under the streamed key of a
  /// top-level mapping, and without an anchor (an alias of it would otherwise copy an emptied list).
  private var streamsItems: Bool {
    guard let streamedKey, stack.count == 2, stack[0].isMapping, !stack[1].isMapping, stack[1].anchor == nil,
      case .scalar(let text, _) = stack[0].pendingKey?.kind
    else { return false }
    return text == streamedKey
  }

  static func notScalarKey(_ node: Node) -> YAMLError {
    YAMLError(mark: node.mark, message: "mapping keys must be plain scalars, found \(node.kindName)")
  }

  static func duplicate(_ text: String, _ first: Mark, at mark: Mark) -> YAMLError {
    YAMLError(
      mark: mark, message: "duplicate key \"\(text)\"; it is already set at line \(first.line), column \(first.column)")
  }

  mutating func add(_ node: Node, anchor: String?, _ streamed: (StreamedPart) -> Void) throws(YAMLError) {
    // An alias can carry a deep subtree into a deep place: the bound holds for the expanded tree too.
    if stack.count + node.depth > YAMLReader.maxDepth { throw tooDeep(at: node.mark) }
    if let anchor { anchors[anchor] = node }
    guard !stack.isEmpty else {
      root = node
      return
    }
    let top = stack.count - 1
    if stack[top].isEntry { return try entryNode(node, streamed) }
    guard stack[top].isMapping else {
      if streamsItems { return streamed(.item(node)) }
      stack[top].items.append(node)
      return
    }
    guard let key = stack[top].pendingKey else {
      guard case .scalar(let text, _) = node.kind else { throw Self.notScalarKey(node) }
      if let first = stack[top].firstMark(ofKey: text) { throw Self.duplicate(text, first, at: node.mark) }
      stack[top].noteKey(text, node.mark)
      stack[top].pendingKey = node
      return
    }
    stack[top].pendingKey = nil
    stack[top].pairs.append(Pair(key: key, value: node))
  }
}

extension Array {
  /// A copy whose capacity is its count.
  fileprivate init(exactly elements: [Element]) {
    self.init(unsafeUninitializedCapacity: elements.count) { buffer, initialized in
      initialized = buffer.initialize(fromContentsOf: elements)
    }
  }
}
