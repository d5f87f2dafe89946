/// A strict JSON reader for the server's user and token objects, which roster reads by the hundred
/// thousand: it reads the fields roster uses straight into their values and skips the others, where
/// `JSONDecoder` first builds a map of every value and then decodes through `Decoder` (about a fifth of a
/// 100,000-user plan's CPU). It stays as strict as the decoder on what matters: the whole body must be
/// valid JSON (skipped values too, strings as UTF-8 without control characters or lone surrogates), a
/// field roster reads must have its type, and it is stricter on one point: a field roster reads may not
/// appear twice in one object, where `JSONDecoder` silently kept the first (a body another parser would
/// read differently is refused rather than guessed at).
struct JSONReader: ~Copyable {
  struct Failure: Error, CustomStringConvertible {
    var description: String
    /// Set when an array held more elements than `array(limit:_:)` allowed.
    var pastLimit = false
  }

  let bytes: UnsafeRawBufferPointer
  /// The next byte to read.
  var at = 0
  /// Nesting bound for skipped values, so a hostile body cannot exhaust the stack.
  static let maxDepth = 512

  init(_ bytes: UnsafeRawBufferPointer) {
    self.bytes = bytes
  }

  // MARK: structure

  /// A top-level array read element by element, or nil for a top-level `null` (older servers answer it
  /// for an empty page). Nothing but whitespace may follow. At most `limit` elements are read: the
  /// next one's start throws a `pastLimit` failure, before it is built.
  mutating func array<T>(
    limit: Int = .max, _ element: (inout JSONReader) throws(Failure) -> T
  ) throws(Failure) -> [T]? {
    skipSpace()
    if try literal("null") {
      try end()
      return nil
    }
    try expect(UInt8(ascii: "["))
    var items: [T] = []
    // A page's rows (limit 200) get their room at once rather than by doubling from one.
    if limit <= 1_000 { items.reserveCapacity(limit) }
    skipSpace()
    if peek == UInt8(ascii: "]") {
      at += 1
    } else {
      while true {
        if items.count == limit {
          var failure = fail("more than \(limit) elements")
          failure.pastLimit = true
          throw failure
        }
        items.append(try element(&self))
        skipSpace()
        if try separator(close: UInt8(ascii: "]")) { break }
      }
    }
    try end()
    return items
  }

  /// An object, handing each key's raw bytes (escapes undone only when there are any) to `field`, which
  /// must read or skip the value.
  mutating func object(_ field: (UnsafeRawBufferPointer, inout JSONReader) throws(Failure) -> Void) throws(Failure) {
    skipSpace()
    try expect(UInt8(ascii: "{"))
    skipSpace()
    if peek == UInt8(ascii: "}") {
      at += 1
      return
    }
    while true {
      skipSpace()
      guard peek == UInt8(ascii: "\"") else { throw fail("expected a key") }
      let (start, end, escaped) = try scanString()
      skipSpace()
      try expect(UInt8(ascii: ":"))
      if escaped {
        let key = Array(try decodeString(start, end).utf8)
        var failure: Failure?
        key.withUnsafeBytes { raw in
          do throws(Failure) { try field(raw, &self) } catch { failure = error }
        }
        if let failure { throw failure }
      } else {
        try field(UnsafeRawBufferPointer(rebasing: bytes[start..<end]), &self)
      }
      skipSpace()
      if try separator(close: UInt8(ascii: "}")) { return }
    }
  }

  /// After a whole value: the top level must hold nothing more.
  mutating func end() throws(Failure) {
    skipSpace()
    if at != bytes.count { throw fail("unexpected text after the JSON value") }
  }

  // MARK: values

  /// Steps over a `null` if one is next.
  mutating func null() throws(Failure) -> Bool {
    skipSpace()
    return try literal("null")
  }

  /// A string, or nil for `null`.
  mutating func optionalString(_ name: String) throws(Failure) -> String? {
    skipSpace()
    if try literal("null") { return nil }
    guard peek == UInt8(ascii: "\"") else { throw fail("\(name) must be a string") }
    let (start, end, escaped) = try scanString()
    if escaped { return try decodeString(start, end) }
    return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
  }

  mutating func string(_ name: String) throws(Failure) -> String {
    try present(optionalString(name), name, "a string")
  }

  mutating func optionalBool(_ name: String) throws(Failure) -> Bool? {
    skipSpace()
    if try literal("null") { return nil }
    if try literal("true") { return true }
    if try literal("false") { return false }
    throw fail("\(name) must be true or false")
  }

  mutating func bool(_ name: String) throws(Failure) -> Bool {
    try present(optionalBool(name), name, "true or false")
  }

  /// A field that must not be null.
  private func present<T>(_ value: T?, _ name: String, _ kind: String) throws(Failure) -> T {
    guard let value else { throw fail("\(name) must be \(kind), found null") }
    return value
  }

  /// A whole number that fits 64 bits. As `JSONDecoder` does, `1.0` and `1e3` count; `1.5` does not.
  mutating func optionalInt64(_ name: String) throws(Failure) -> Int64? {
    skipSpace()
    if try literal("null") { return nil }
    let start = at
    let integral = try scanNumber(name)
    let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<at]), as: UTF8.self)
    if integral, let value = Int64(text) { return value }
    if !integral, let real = Double(text), real.rounded() == real, let value = Int64(exactly: real) { return value }
    throw fail("\(name) must be a whole number that fits 64 bits")
  }

  /// Any value, checked as strictly as one that is read.
  mutating func skip(depth: Int = 0) throws(Failure) {
    guard depth < Self.maxDepth else { throw fail("nesting deeper than \(Self.maxDepth) levels") }
    skipSpace()
    switch peek {
    case UInt8(ascii: "\""):
      _ = try scanString()
    case UInt8(ascii: "{"):
      try object { (_, reader) throws(Failure) in try reader.skip(depth: depth + 1) }
    case UInt8(ascii: "["):
      at += 1
      skipSpace()
      if peek == UInt8(ascii: "]") {
        at += 1
        return
      }
      while true {
        try skip(depth: depth + 1)
        skipSpace()
        if try separator(close: UInt8(ascii: "]")) { return }
      }
    case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
      if try literal("true") { return }
      if try literal("false") { return }
      if try !literal("null") { throw fail("not a JSON value") }
    default:
      _ = try scanNumber("a value")
    }
  }

  // MARK: scanning

  var peek: UInt8 { at < bytes.count ? bytes[at] : 0 }

  func fail(_ message: String) -> Failure {
    Failure(description: "\(message) at byte \(at)")
  }

  private mutating func skipSpace() {
    while at < bytes.count {
      switch bytes[at] {
      case 0x20, 0x0A, 0x0D, 0x09: at += 1
      default: return
      }
    }
  }

  private mutating func expect(_ byte: UInt8) throws(Failure) {
    guard peek == byte else { throw fail("expected \"\(Character(Unicode.Scalar(byte)))\"") }
    at += 1
  }

  /// After an element: true at the closing bracket, false after a comma; a trailing comma is refused.
  private mutating func separator(close: UInt8) throws(Failure) -> Bool {
    if peek == close {
      at += 1
      return true
    }
    try expect(UInt8(ascii: ","))
    skipSpace()
    if peek == close { throw fail("a trailing comma") }
    return false
  }

  private mutating func literal(_ word: StaticString) throws(Failure) -> Bool {
    let count = word.utf8CodeUnitCount
    guard at + count <= bytes.count else { return false }
    for i in 0..<count where bytes[at + i] != word.utf8Start[i] { return false }
    at += count
    return true
  }

  /// Steps over a number; returns whether it was written as an integer (no fraction, no exponent).
  private mutating func scanNumber(_ name: String) throws(Failure) -> Bool {
    func digits(_ reader: inout JSONReader) -> Int {
      let start = reader.at
      while (0x30...0x39).contains(reader.peek) { reader.at += 1 }
      return reader.at - start
    }
    if peek == UInt8(ascii: "-") { at += 1 }
    if peek == UInt8(ascii: "0") {
      at += 1
    } else if digits(&self) == 0 {
      throw fail("\(name) must be a number")
    }
    var integral = true
    if peek == UInt8(ascii: ".") {
      at += 1
      integral = false
      if digits(&self) == 0 { throw fail("a number needs digits after its point") }
    }
    if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
      at += 1
      integral = false
      if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { at += 1 }
      if digits(&self) == 0 { throw fail("a number needs digits in its exponent") }
    }
    if (0x30...0x39).contains(peek) { throw fail("a number may not have leading zeros") }
    return integral
  }

  /// Steps over a string; returns the bounds of its contents and whether it holds escapes. Control
  /// characters are refused and non-ASCII text must be valid UTF-8.
  private mutating func scanString() throws(Failure) -> (Int, Int, Bool) {
    at += 1
    let start = at
    // Plain ASCII up to the closing quote (nearly every string of a user object) is stepped over in a
    // tight loop; anything else (an escape, a control character, non-ASCII) goes on below from there.
    var i = at
    let count = bytes.count
    while i < count {
      let byte = bytes[i]
      if byte == UInt8(ascii: "\"") {
        at = i + 1
        return (start, i, false)
      }
      if byte == UInt8(ascii: "\\") || byte < 0x20 || byte >= 0x80 { break }
      i += 1
    }
    at = i
    var escaped = false
    var ascii = true
    while at < bytes.count {
      let byte = bytes[at]
      if byte == UInt8(ascii: "\"") {
        let end = at
        at += 1
        if !ascii && String(validating: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self) == nil {
          throw fail("a string is not valid UTF-8")
        }
        // Escapes are checked even in a skipped string (\x, a short \u, a lone surrogate).
        if escaped { _ = try decodeString(start, end) }
        return (start, end, escaped)
      }
      if byte < 0x20 { throw fail("a control character in a string") }
      if byte >= 0x80 { ascii = false }
      if byte == UInt8(ascii: "\\") {
        escaped = true
        at += 1
        guard at < bytes.count else { break }
      }
      at += 1
    }
    throw fail("a string is not closed")
  }
}
