#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The streamed entries' own path through the builder. Their scalars, most of a large roster's events,
/// go out as `Scalar`s named by their key's index: making each a `Node`, pairing it with its key and
/// finding the key's text among the known ones again in the caller was most of the cost of reading a
/// 100,000-user roster beyond libyaml itself.
extension TreeBuilder {
  /// A scalar right inside the open entry, without an anchor: a key or a key's value.
  mutating func entryScalar(_ event: Event, at mark: Mark, _ streamed: (StreamedPart) -> Void) throws(YAMLError) {
    switch entry.pending {
    case .none:
      try noteEntryKey(entry.read(event.scalarBytes, at: mark), at: mark, streamed)
    case .known(let index):
      entry.pending = .none
      streamed(.scalar(key: index, Scalar(text: event.scalarValue, style: event.scalarStyle, mark: mark)))
    case .unknown:
      entry.pending = .none
    }
  }

  /// A whole node inside the open entry: a collection, an alias, or a scalar with an anchor.
  mutating func entryNode(_ node: Node, _ streamed: (StreamedPart) -> Void) throws(YAMLError) {
    switch entry.pending {
    case .none:
      guard case .scalar(let text, _) = node.kind else { throw Self.notScalarKey(node) }
      let read = try Array(text.utf8).withUnsafeBufferPointer { bytes throws(YAMLError) in
        try entry.read(bytes, at: node.mark)
      }
      try noteEntryKey(read, at: node.mark, streamed)
    case .known(let index):
      entry.pending = .none
      streamed(.node(key: index, node))
    case .unknown:
      entry.pending = .none
    }
  }

  private mutating func noteEntryKey(
    _ read: EntryKeys.Read, at mark: Mark, _ streamed: (StreamedPart) -> Void
  ) throws(YAMLError) {
    switch read {
    case .known(let index):
      entry.pending = .known(index)
    case .unknown(let text):
      entry.pending = .unknown
      streamed(.unknownKey(text, mark))
    }
  }
}

/// The keys of the open streamed entry: those written so far (for "duplicate key") and the one whose
/// value comes next. Known keys are matched on libyaml's bytes and kept as bits, so a key costs no
/// `String`; only a key the caller does not know is made one.
struct EntryKeys {
  enum Pending { case none, known(Int), unknown }
  enum Read { case known(Int), unknown(String) }

  private let known: [[UInt8]]
  private var seen: UInt64 = 0
  /// Where each known key was written, valid where its bit is set in `seen`.
  private var marks: [Mark]
  private var others = KeyMarks()
  var pending = Pending.none

  init(_ names: [String]) {
    precondition(names.count <= 64, "an entry's known keys are kept as the bits of a UInt64")
    known = names.map { Array($0.utf8) }
    marks = Array(repeating: Mark(fileID: 0, line: 0, column: 0), count: names.count)
  }

  mutating func open() {
    seen = 0
    pending = .none
    others.removeAll()
  }

  /// The key written as `bytes`, refused when the entry already has it.
  mutating func read(_ bytes: UnsafeBufferPointer<UInt8>, at mark: Mark) throws(YAMLError) -> Read {
    if let index = index(of: bytes) {
      let bit = UInt64(1) << UInt64(index)
      if seen & bit != 0 {
        throw TreeBuilder.duplicate(String(decoding: known[index], as: UTF8.self), marks[index], at: mark)
      }
      seen |= bit
      marks[index] = mark
      return .known(index)
    }
    let text = String(decoding: bytes, as: UTF8.self)
    if let first = others.first(text) { throw TreeBuilder.duplicate(text, first, at: mark) }
    others.note(text, mark)
    return .unknown(text)
  }

  private func index(of bytes: UnsafeBufferPointer<UInt8>) -> Int? {
    guard let base = bytes.baseAddress, !bytes.isEmpty else { return known.firstIndex { $0.isEmpty } }
    // Length and first byte leave at most one candidate among a user's keys before the bytes are compared.
    for index in known.indices where known[index].count == bytes.count && known[index].first == bytes[0] {
      let same = known[index].withUnsafeBytes { key in key.baseAddress.map { memcmp($0, base, bytes.count) == 0 } }
      if same == true { return index }
    }
    return nil
  }
}
