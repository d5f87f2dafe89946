internal import CYAML

/// Reads one YAML document into positioned nodes through the system libyaml.
///
/// libyaml is a YAML 1.1 parser and is lenient where a manifest must not be: it accepts duplicate keys,
/// expands aliases without limit and leaves typing to the caller. The reader closes those gaps so the
/// layers above it only see a well-formed tree in which every node knows where it was written.
public enum YAMLReader {
  /// Files larger than this are refused before parsing; a roster is far smaller than this.
  public static let maxBytes = 16 * 1024 * 1024
  /// Aliases may add at most this many nodes, or ten times the nodes written out when that is more
  /// ("billion laughs" guard). Only what aliases add is bounded: a large roster written out in full is fine.
  public static let minAliasBudget = 1_000_000
  public static let aliasBudgetPerWrittenNode = 10
  /// The deepest nesting accepted, aliases expanded. A manifest needs four levels; the bound keeps every
  /// recursive walk over the tree (and libyaml's own quadratic work on deep flow collections) small.
  public static let maxDepth = 256

  /// Parses `bytes` as one YAML document.
  /// - Parameters:
  ///   - bytes: the file's contents.
  ///   - file: the name to put in marks.
  /// - Returns: the root node, or `nil` when the document holds no node at all (an empty file).
  /// - Throws: `YAMLError` with the place of the first syntax problem, duplicate key or limit crossed.
  public static func parse(_ bytes: [UInt8], file: String) throws(YAMLError) -> Node? {
    try parse(bytes, file: file, streaming: nil) { _ in }
  }

  /// `parse(_:file:)`, handing the items of the sequence under the top-level `key` to `each` as libyaml
  /// reads them and leaving them out of the returned tree (where that sequence is empty). A large
  /// roster's users are decoded one by one this way, and its whole tree is never held at once; a mapping
  /// item comes value by value (`StreamedPart`), each named by its key's index in `keys`, so not even
  /// one entry is built as a node. The items come before the document is known to be well formed: a
  /// caller drops what it made of them when this throws. A sequence with an anchor is kept whole.
  public static func parse(
    _ bytes: [UInt8], file: String, streaming key: String?, keys: [String] = [], _ each: (StreamedPart) -> Void
  ) throws(YAMLError) -> Node? {
    if let error = sizeError(bytes.count, file: file) { throw error }
    return try parse(ByteChunks(bytes), file: file, streaming: key, keys: keys, each)
  }

  /// `parse(_:file:streaming:keys:_:)` over a document read as libyaml parses it, which must be UTF-8
  /// and at most `maxBytes` long.
  public static func parse(
    _ chunks: any YAMLChunks, file: String, streaming key: String?, keys: [String] = [],
    _ each: (StreamedPart) -> Void
  ) throws(YAMLError) -> Node? {
    let parser = try EventParser(YAMLFeed(chunks, limit: maxBytes), file: file)
    var builder = TreeBuilder(file: file, streaming: key, keys: keys)
    while true {
      let event = try parser.next()
      defer { event.release() }
      if try builder.consume(event, streamed: each) { break }
    }
    return builder.root
  }

  /// The error for a document of `size` bytes as stored (a byte order mark counts), if that is over the
  /// limit; checked before it is read, and again as it is read (`YAMLFeed`).
  public static func sizeError(_ size: Int, file: String) -> YAMLError? {
    guard size > maxBytes else { return nil }
    return YAMLError(
      mark: Mark(file: file, line: 1, column: 1),
      message: "file is \(Mebibytes.oneDecimal(size)) MiB; the limit is \(maxBytes / 1024 / 1024) MiB")
  }

  static func hex(_ byte: UInt8) -> String {
    let digits = Array("0123456789ABCDEF")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
  }
}

/// A piece of the streamed sequence (`YAMLReader.parse(_:file:streaming:keys:_:)`), in the order
/// written. Keys are unique scalars within an entry, as in a built mapping.
public enum StreamedPart {
  /// An item that is not a plain mapping (a scalar, a list, a mapping with an anchor), whole.
  case item(Node)
  /// A mapping item opens at this mark; its values follow, each once it is complete, then `end`.
  case start(Mark)
  /// The scalar value of the known key at this index of the parse's `keys`.
  case scalar(key: Int, Scalar)
  /// Any other value of a known key: a collection, an alias's copy, a scalar with an anchor.
  case node(key: Int, Node)
  /// A key outside the parse's `keys`, where it was written; its value is dropped.
  case unknownKey(String, Mark)
  /// The mapping item that opened at this mark is complete.
  case end(Mark)
}

/// Owns a libyaml parser and the feed it reads from.
final class EventParser {
  private let parser: UnsafeMutablePointer<yaml_parser_t>
  /// The one event every `next()` fills: an allocation per event was a million for a large roster.
  private let event: UnsafeMutablePointer<yaml_event_t>
  private let file: String
  private let feed: YAMLFeed

  init(_ feed: YAMLFeed, file: String) throws(YAMLError) {
    // Started before any property is set, so that a failure here frees what it made and `deinit` (which
    // runs only once every property is set) never frees it again.
    let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
    guard yaml_parser_initialize(parser) == 1 else {
      parser.deallocate()
      throw YAMLError(mark: Mark(file: file, line: 1, column: 1), message: "libyaml could not start")
    }
    self.parser = parser
    event = .allocate(capacity: 1)
    self.file = file
    self.feed = feed
    // libyaml keeps a pointer to the parser itself, so it must sit at a stable address (hence allocate).
    // The feed outlives the parser (both are this object's), so libyaml may hold it unretained.
    yaml_parser_set_input(
      parser,
      { data, buffer, size, sizeRead in
        guard let data, let buffer, let sizeRead else { return 0 }
        let feed = Unmanaged<YAMLFeed>.fromOpaque(data).takeUnretainedValue()
        guard let count = feed.fill(buffer, size: size) else { return 0 }
        sizeRead.pointee = count
        return 1
      }, Unmanaged.passUnretained(feed).toOpaque())
    yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
  }

  deinit {
    yaml_parser_delete(parser)
    parser.deallocate()
    event.deallocate()
  }

  /// The next event, valid until it is released; it must be released before the next call.
  func next() throws(YAMLError) -> Event {
    guard yaml_parser_parse(parser, event) == 1 else { throw currentError() }
    return Event(raw: event)
  }

  /// Turns libyaml's error state, or the feed's, into a positioned error, with a plain hint for the
  /// commonest mistake. Only here is the text before an error read again.
  private func currentError() -> YAMLError {
    let p = parser.pointee
    let start = Mark(file: file, line: 1, column: 1)
    switch feed.problem {
    case .invalidUTF8(let offset, let byte):
      return YAMLError(
        mark: UTF8Check.mark(ofOffset: offset, in: feed.prefix(offset), file: file),
        message: "invalid UTF-8 byte 0x\(YAMLReader.hex(byte)); manifests must be UTF-8 text")
    case .readFailed:
      return YAMLError(mark: start, message: "cannot read the file")
    case .tooLarge:
      return YAMLError(
        mark: start, message: "file grew past the \(YAMLReader.maxBytes / 1024 / 1024) MiB limit while read")
    case nil:
      break
    }
    let problem = p.problem.map { String(cString: $0) } ?? "unknown YAML error"
    if p.error == YAML_READER_ERROR {
      let offset = Int(p.problem_offset)
      return YAMLError(mark: UTF8Check.mark(ofOffset: offset, in: feed.prefix(offset), file: file), message: problem)
    }
    let mark = Mark(file: file, line: Int(p.problem_mark.line) + 1, column: Int(p.problem_mark.column) + 1)
    var message = problem
    if let context = p.context.map({ String(cString: $0) }) {
      let at = Mark(file: file, line: Int(p.context_mark.line) + 1, column: Int(p.context_mark.column) + 1)
      message += " (\(context) started at line \(at.line), column \(at.column))"
    }
    if feed.character(at: Int(p.problem_mark.index)) == UInt8(ascii: "\t") {
      message += "; tabs cannot indent YAML, use spaces"
    }
    return YAMLError(mark: mark, message: message)
  }
}

/// One libyaml event, in its parser's storage; `release` frees what libyaml allocated for it.
struct Event {
  let raw: UnsafeMutablePointer<yaml_event_t>

  func release() {
    yaml_event_delete(raw)
  }

  @inline(__always) var type: yaml_event_type_t { raw.pointee.type }
  @inline(__always) var line: Int { Int(raw.pointee.start_mark.line) + 1 }
  @inline(__always) var column: Int { Int(raw.pointee.start_mark.column) + 1 }

  static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
    guard let pointer else { return nil }
    return String(cString: pointer)
  }

  /// The scalar's bytes in libyaml's storage, valid until the event is released.
  @inline(__always) var scalarBytes: UnsafeBufferPointer<UInt8> {
    let scalar = raw.pointee.data.scalar
    return UnsafeBufferPointer(start: scalar.value, count: Int(scalar.length))
  }

  var scalarValue: String { String(decoding: scalarBytes, as: UTF8.self) }

  @inline(__always) var scalarStyle: ScalarStyle {
    switch raw.pointee.data.scalar.style {
    case YAML_SINGLE_QUOTED_SCALAR_STYLE: return .singleQuoted
    case YAML_DOUBLE_QUOTED_SCALAR_STYLE: return .doubleQuoted
    case YAML_LITERAL_SCALAR_STYLE: return .literal
    case YAML_FOLDED_SCALAR_STYLE: return .folded
    default: return .plain
    }
  }

  // Inlined: asked of every scalar event, and nearly always nil.
  @inline(__always) var anchor: String? {
    switch type {
    case YAML_SCALAR_EVENT: return Self.string(raw.pointee.data.scalar.anchor)
    case YAML_SEQUENCE_START_EVENT: return Self.string(raw.pointee.data.sequence_start.anchor)
    case YAML_MAPPING_START_EVENT: return Self.string(raw.pointee.data.mapping_start.anchor)
    case YAML_ALIAS_EVENT: return Self.string(raw.pointee.data.alias.anchor)
    default: return nil
    }
  }

  @inline(__always) var tag: String? {
    switch type {
    case YAML_SCALAR_EVENT: return Self.string(raw.pointee.data.scalar.tag)
    case YAML_SEQUENCE_START_EVENT: return Self.string(raw.pointee.data.sequence_start.tag)
    case YAML_MAPPING_START_EVENT: return Self.string(raw.pointee.data.mapping_start.tag)
    default: return nil
    }
  }
}
