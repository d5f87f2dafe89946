/// Finds a key repeated in one JSON object. Foundation's `JSONDecoder` keeps the first of two equal
/// keys while `jq` and most review tools show the last, so a saved plan with a repeated key would run
/// another value than the one its reviewer saw. One pass over the bytes, no tree: keys are decoded
/// (escapes included) and compared as Swift strings, the way the decoder compares them.
enum JSONDuplicateKeys {
  /// An open object or array. The keys live apart (`keys` in `find`), so inserting one mutates its set
  /// in place instead of copying it out of an enum payload, which made the scan quadratic.
  private struct Frame {
    var isObject: Bool
    var expectingKey = false
    var current: String?
    var index = 0
  }

  /// The path of the first repeated key (`steps[2].kind`), or nil. Malformed JSON is left to the decoder.
  static func find(_ bytes: [UInt8]) -> String? {
    var stack: [Frame] = []
    var keys: [Set<String>] = []
    var i = 0
    while i < bytes.count {
      switch bytes[i] {
      case UInt8(ascii: "{"):
        stack.append(Frame(isObject: true, expectingKey: true))
        keys.append([])
      case UInt8(ascii: "["):
        stack.append(Frame(isObject: false))
      case UInt8(ascii: "}"), UInt8(ascii: "]"):
        if let last = stack.popLast(), last.isObject { keys.removeLast() }
      case UInt8(ascii: ","):
        if let top = stack.indices.last {
          if stack[top].isObject { stack[top].expectingKey = true } else { stack[top].index += 1 }
        }
      case UInt8(ascii: "\""):
        let (text, end) = string(bytes, from: i + 1)
        i = end
        if let top = stack.indices.last, stack[top].isObject, stack[top].expectingKey {
          guard keys[keys.count - 1].insert(text).inserted else { return path(stack.dropLast(), key: text) }
          stack[top].expectingKey = false
          stack[top].current = text
        }
        continue
      default:
        break
      }
      i += 1
    }
    return nil
  }

  private static func path(_ frames: ArraySlice<Frame>, key: String) -> String {
    var out = ""
    for frame in frames {
      if frame.isObject { out += (out.isEmpty ? "" : ".") + (frame.current ?? "") } else { out += "[\(frame.index)]" }
    }
    return out + (out.isEmpty ? "" : ".") + key
  }

  /// The string starting after its opening quote, decoded, and the index after its closing quote.
  private static func string(_ bytes: [UInt8], from start: Int) -> (String, Int) {
    var scalars = String.UnicodeScalarView()
    var raw: [UInt8] = []
    var i = start
    func flush() {
      scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars)
      raw.removeAll(keepingCapacity: true)
    }
    while i < bytes.count {
      let byte = bytes[i]
      if byte == UInt8(ascii: "\"") { break }
      guard byte == UInt8(ascii: "\\"), i + 1 < bytes.count else {
        raw.append(byte)
        i += 1
        continue
      }
      flush()
      let escape = bytes[i + 1]
      i += 2
      switch escape {
      case UInt8(ascii: "b"): scalars.append("\u{8}")
      case UInt8(ascii: "f"): scalars.append("\u{C}")
      case UInt8(ascii: "n"): scalars.append("\n")
      case UInt8(ascii: "r"): scalars.append("\r")
      case UInt8(ascii: "t"): scalars.append("\t")
      case UInt8(ascii: "u"):
        var unit = hex(bytes, i)
        i += 4
        // A surrogate pair is one scalar, as the decoder reads it.
        if (0xD800..<0xDC00).contains(unit), i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"),
          bytes[i + 1] == UInt8(ascii: "u")
        {
          let low = hex(bytes, i + 2)
          if (0xDC00..<0xE000).contains(low) {
            unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
            i += 6
          }
        }
        scalars.append(Unicode.Scalar(unit) ?? "\u{FFFD}")
      default: scalars.append(Unicode.Scalar(escape))
      }
    }
    flush()
    return (String(scalars), i + 1)
  }

  private static func hex(_ bytes: [UInt8], _ at: Int) -> UInt32 {
    guard at + 4 <= bytes.count else { return 0xFFFD }
    var value: UInt32 = 0
    for byte in bytes[at..<at + 4] {
      guard let digit = Character(Unicode.Scalar(byte)).hexDigitValue else { return 0xFFFD }
      value = value << 4 | UInt32(digit)
    }
    return value
  }
}
