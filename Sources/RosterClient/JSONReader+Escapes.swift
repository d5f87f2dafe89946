extension JSONReader {
  /// The text of a string holding escapes, between `start` and `end` (its quotes excluded).
  func decodeString(_ start: Int, _ end: Int) throws(Failure) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(end - start)
    var i = start
    while i < end {
      let byte = bytes[i]
      guard byte == UInt8(ascii: "\\") else {
        out.append(byte)
        i += 1
        continue
      }
      guard i + 1 < end else { throw fail("a string ends inside an escape") }
      let kind = bytes[i + 1]
      i += 2
      switch kind {
      case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(kind)
      case UInt8(ascii: "b"): out.append(0x08)
      case UInt8(ascii: "f"): out.append(0x0C)
      case UInt8(ascii: "n"): out.append(0x0A)
      case UInt8(ascii: "r"): out.append(0x0D)
      case UInt8(ascii: "t"): out.append(0x09)
      case UInt8(ascii: "u"):
        var value = try hex4(at: i, end: end)
        i += 4
        if (0xD800...0xDBFF).contains(value) {
          // A high surrogate must be followed by an escaped low one.
          guard i + 6 <= end, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
            throw fail("a lone surrogate in a string")
          }
          let low = try hex4(at: i + 2, end: end)
          guard (0xDC00...0xDFFF).contains(low) else { throw fail("a lone surrogate in a string") }
          value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
          i += 6
        } else if (0xDC00...0xDFFF).contains(value) {
          throw fail("a lone surrogate in a string")
        }
        guard let scalar = Unicode.Scalar(value), let encoded = UTF8.encode(scalar) else {
          throw fail("an invalid \\u escape")
        }
        out.append(contentsOf: encoded)
      default:
        throw fail("an invalid escape in a string")
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  private func hex4(at index: Int, end: Int) throws(Failure) -> UInt32 {
    guard index + 4 <= end else { throw fail("a short \\u escape") }
    var value: UInt32 = 0
    for byte in bytes[index..<index + 4] {
      let digit: UInt8
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
      default: throw fail("an invalid \\u escape")
      }
      value = value << 4 | UInt32(digit)
    }
    return value
  }
}
