#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A document's bytes, handed over a piece at a time as libyaml asks for them. A file read this way is
/// never held whole: read into memory first, a 100,000-user roster's 13.6 MB were a quarter of the page
/// faults of `roster validate`, and libyaml copied them once more into its own buffer.
public protocol YAMLChunks: AnyObject {
  /// Fills `buffer` from where the last call stopped, as far as the document goes (a short count only at
  /// its end). Returns the count, 0 at the end, or nil when reading failed.
  func read(into buffer: UnsafeMutableRawBufferPointer) -> Int?
  /// The document's first `count` bytes (fewer if it is shorter), from its start again: only the place
  /// of an error needs the text before it.
  func prefix(_ count: Int) -> [UInt8]
}

/// A document already in memory (standard input, tests, the built-in schema).
public final class ByteChunks: YAMLChunks {
  private let bytes: [UInt8]
  private var offset = 0

  public init(_ bytes: [UInt8]) { self.bytes = bytes }

  public func read(into buffer: UnsafeMutableRawBufferPointer) -> Int? {
    let count = min(buffer.count, bytes.count - offset)
    bytes.withUnsafeBytes { all in
      if let from = all.baseAddress, let to = buffer.baseAddress {
        to.copyMemory(from: from + offset, byteCount: count)
      }
    }
    offset += count
    return count
  }

  public func prefix(_ count: Int) -> [UInt8] { Array(bytes.prefix(count)) }
}

/// Feeds libyaml from `YAMLChunks` through its read handler, checking each piece before libyaml sees it:
/// valid UTF-8 (a character cut by the end of a piece waits for the next one), and no more than the
/// size limit. A UTF-8 byte order mark at the start is dropped: told the encoding, libyaml would read
/// it as a character of the first line, and editors do not count it as a column. Offsets and marks are
/// counted after it.
final class YAMLFeed {
  enum Problem {
    case invalidUTF8(offset: Int, byte: UInt8)
    case readFailed
    case tooLarge
  }

  private let source: any YAMLChunks
  private let limit: Int
  /// Bytes handed to libyaml so far.
  private var handed = 0
  /// The start of a character cut by the end of the last piece, handed with the next.
  private var carried: [UInt8] = []
  private var started = false
  private var markLength = 0
  /// Why the feed stopped, when libyaml reports an input error.
  private(set) var problem: Problem?
  /// A problem found behind bytes still handed over, reported on the next call: libyaml reads the text
  /// before it first, so an error written earlier in the file is the one reported, as when the whole
  /// file was checked before it was parsed.
  private var pending: Problem?

  init(_ source: any YAMLChunks, limit: Int) {
    self.source = source
    self.limit = limit
  }

  /// Fills libyaml's `buffer` of `size` bytes with whole characters; 0 at the end, nil on a problem.
  func fill(_ buffer: UnsafeMutablePointer<UInt8>, size: Int) -> Int? {
    if let pending {
      problem = pending
      return nil
    }
    while true {
      let kept = carried.count
      guard size > kept else { return nil }
      buffer.update(from: carried, count: kept)
      carried.removeAll(keepingCapacity: true)
      guard let got = source.read(into: UnsafeMutableRawBufferPointer(start: buffer + kept, count: size - kept))
      else {
        problem = .readFailed
        return nil
      }
      var count = kept + got
      if !started {
        // A piece may end inside the mark: its start waits for the rest.
        if count < 3 && got > 0 && [0xEF, 0xBB, 0xBF].starts(with: UnsafeBufferPointer(start: buffer, count: count)) {
          carried.append(contentsOf: UnsafeBufferPointer(start: buffer, count: count))
          continue
        }
        started = true
        if count >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF {
          markLength = 3
          count -= 3
          memmove(buffer, buffer + 3, count)
        }
      }
      switch UTF8Check.scan(UnsafeBufferPointer(start: buffer, count: count)) {
      case .valid:
        break
      case .invalid(let at):
        pending = .invalidUTF8(offset: handed + at, byte: buffer[at])
        count = at
      case .cut(let at):
        if got == 0 {
          pending = .invalidUTF8(offset: handed + at, byte: buffer[at])
        } else {
          carried.append(contentsOf: UnsafeBufferPointer(start: buffer + at, count: count - at))
        }
        count = at
      }
      // The limit counts the file's bytes as stored, the mark included, as its size does.
      if markLength + handed + count > limit {
        problem = .tooLarge
        return nil
      }
      if count == 0, let pending {
        problem = pending
        return nil
      }
      handed += count
      // Only the start of a character was read: read on, as 0 would end the document.
      if count > 0 || got == 0 { return count }
    }
  }

  /// The first `count` bytes after the byte order mark, for the place of an error.
  func prefix(_ count: Int) -> [UInt8] {
    Array(source.prefix(markLength + count).dropFirst(markLength))
  }

  /// The first byte of the character at `index` (libyaml's marks count characters, not bytes), if the
  /// document reaches it.
  func character(at index: Int) -> UInt8? {
    // A character is at most four bytes, so the text up to it is at most four times its index long.
    var seen = -1
    for byte in prefix(4 * (index + 1)) where byte & 0xC0 != 0x80 {
      seen += 1
      if seen == index { return byte }
    }
    return nil
  }
}
