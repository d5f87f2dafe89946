/// UTF-8 validation that reports where the first bad byte is, which Swift's decoders do not. It reads a
/// document in pieces (`YAMLFeed`), so a character may be cut by the end of a piece.
enum UTF8Check {
  /// What a scan of one piece found.
  enum Scan: Equatable {
    case valid
    /// The offset of the first byte that does not start or continue a well-formed UTF-8 sequence.
    case invalid(at: Int)
    /// Well formed up to this offset, where a character starts that the piece ends inside of: the next
    /// piece must complete it (at the end of the document it is invalid there).
    case cut(at: Int)
  }

  static func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> Scan {
    guard let base = bytes.baseAddress else { return .valid }
    let raw = UnsafeRawPointer(base)
    var i = 0
    let n = bytes.count
    while i < n {
      // Eight ASCII bytes at a time: a manifest is nearly all ASCII.
      while i + 8 <= n && raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
        i += 8
      }
      guard i < n else { break }
      let b = bytes[i]
      if b < 0x80 {
        i += 1
        continue
      }
      let length: Int
      var low: UInt8 = 0x80
      var high: UInt8 = 0xBF
      switch b {
      case 0xC2...0xDF: length = 2
      case 0xE0: length = 3; low = 0xA0
      case 0xE1...0xEC, 0xEE...0xEF: length = 3
      case 0xED: length = 3; high = 0x9F
      case 0xF0: length = 4; low = 0x90
      case 0xF1...0xF3: length = 4
      case 0xF4: length = 4; high = 0x8F
      default: return .invalid(at: i)
      }
      for k in 1..<length {
        guard i + k < n else { return .cut(at: i) }
        let c = bytes[i + k]
        let (lo, hi) = k == 1 ? (low, high) : (UInt8(0x80), UInt8(0xBF))
        if c < lo || c > hi { return .invalid(at: i) }
      }
      i += length
    }
    return .valid
  }

  /// Line and column (1-based, columns in characters) of a byte offset.
  static func mark(ofOffset offset: Int, in bytes: [UInt8], file: String) -> Mark {
    var line = 1
    var column = 1
    for b in bytes.prefix(offset) {
      if b == UInt8(ascii: "\n") {
        line += 1
        column = 1
      } else if b & 0xC0 != 0x80 {
        column += 1
      }
    }
    return Mark(file: file, line: line, column: column)
  }
}
