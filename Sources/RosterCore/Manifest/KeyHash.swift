/// A hash of a key's UTF-8 bytes, eight at a time, from a seed drawn once per process, so that a
/// manifest or a server cannot be written to make keys collide. `String.hashValue` (SipHash over the
/// key's canonical form) was most of the cost of a lookup whose slot was already in cache. Keys are
/// thus told apart by their bytes: two spellings of one text in different Unicode normal forms are two
/// keys, as they are two values to the server's database (names are ASCII; addresses may not be).
enum KeyHash {
  static let seed = UInt64.random(in: .min ... .max)

  /// Whether two keys are the same bytes: the equality the hash agrees with (`String ==` also calls
  /// canonically equivalent spellings equal, which would make finding a key depend on the seed).
  static func same(_ a: String, _ b: String) -> Bool {
    guard a.utf8.count == b.utf8.count else { return false }
    let contiguous = a.utf8.withContiguousStorageIfAvailable { x in
      b.utf8.withContiguousStorageIfAvailable { y in same(UnsafeRawBufferPointer(x), UnsafeRawBufferPointer(y)) }
    }
    return (contiguous ?? nil) ?? a.utf8.elementsEqual(b.utf8)
  }

  /// Two buffers of one length compared eight bytes at a time: keys found again (ids, names) are
  /// compared whole on every lookup of a large plan.
  private static func same(_ x: UnsafeRawBufferPointer, _ y: UnsafeRawBufferPointer) -> Bool {
    var i = 0
    while i + 8 <= x.count {
      if x.loadUnaligned(fromByteOffset: i, as: UInt64.self) != y.loadUnaligned(fromByteOffset: i, as: UInt64.self) {
        return false
      }
      i += 8
    }
    while i < x.count {
      if x[i] != y[i] { return false }
      i += 1
    }
    return true
  }

  static func of(_ key: String) -> UInt64 {
    key.utf8.withContiguousStorageIfAvailable { of(UnsafeRawBufferPointer($0)) }
      ?? Array(key.utf8).withUnsafeBytes(of)
  }

  static func of(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
    let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15
    var hash = seed ^ (UInt64(bytes.count) &* multiplier)
    var i = 0
    while i + 8 <= bytes.count {
      hash = (hash ^ bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* multiplier
      hash ^= hash >> 32
      i += 8
    }
    var tail: UInt64 = 0
    var shift: UInt64 = 0
    while i < bytes.count {
      tail |= UInt64(bytes[i]) << shift
      shift += 8
      i += 1
    }
    return finish((hash ^ tail) &* multiplier)
  }

  /// Spreads every input bit over the whole word (MurmurHash3's finalizer): the table indexes by the
  /// low bits and tags by the high ones.
  private static func finish(_ value: UInt64) -> UInt64 {
    var x = value
    x ^= x >> 33
    x &*= 0xFF51_AFD7_ED55_8CCD
    x ^= x >> 33
    x &*= 0xC4CE_B9FE_1A85_EC53
    x ^= x >> 33
    return x
  }
}
