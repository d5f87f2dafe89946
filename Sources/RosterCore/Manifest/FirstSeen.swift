internal import CPlatform

/// The value first recorded for each string, for the loader's "declared twice" checks over every
/// declared name and address. A `Dictionary` of a large roster's names spread its keys and values over
/// 7 MB of buckets, and each check touched three places in them at random (the occupied bit, the key,
/// the value); most of the cost of those checks was waiting for memory. Here the keys and values stay
/// in dense arrays in the order recorded, and the table holds 8-byte slots only: a lookup touches one
/// slot, and the key itself only when the slot's hash bits match. Keys are hashed with `Hasher` (seeded
/// per process), so a manifest cannot be written to make them collide.
public struct FirstSeen<Value> {
  private var keys: [String] = []
  private var values: [Value] = []
  /// Per slot: the entry's position + 1 in the low 32 bits (0 when empty), the key's hash's high 32
  /// bits above them. Kept at most half full, a power of two long.
  private var slots = [UInt64](repeating: 0, count: 16)

  public init() {}

  public var count: Int { keys.count }

  /// How far ahead a loop over many keys asks for slots (`prefetch`): enough to cover a wait for
  /// memory with the work on the keys between.
  public static var lookahead: Int { 8 }

  /// Room for `count` entries without growing.
  public mutating func reserveCapacity(_ count: Int) {
    keys.reserveCapacity(count)
    values.reserveCapacity(count)
    if count * 2 > slots.count { rehash(slotCount: Self.slotCount(for: count)) }
  }

  public subscript(key: String) -> Value? {
    let hash = Self.hash(key)
    guard case .found(let position) = find(key, hash) else { return nil }
    return values[position]
  }

  /// Records `value` for `key` unless the key has one already; returns that earlier value.
  public mutating func recordFirst(_ value: Value, for key: String) -> Value? {
    recordFirst(value, for: key, hash: Self.hash(key))
  }

  /// Starts loading the slot `key` is looked up in and returns the key's hash for `recordFirst`. A
  /// large table does not fit the cache, and a lookup waited for memory each time; a caller that knows
  /// its next keys asks for them first, so the waits overlap.
  public func prefetch(_ key: String) -> UInt64 {
    let hash = Self.hash(key)
    let slot = Int(truncatingIfNeeded: hash) & (slots.count - 1)
    slots.withUnsafeBufferPointer { buffer in
      if let base = buffer.baseAddress { roster_prefetch(base + slot) }
    }
    return hash
  }

  /// The key of each of `positions` (nil: none), handed to `body` in order with its hash, once its slot
  /// and those of the next few keys were asked for together: a loop over many keys (an index built over
  /// every account, a lookup of every account) waits for memory a few keys at a time, not key by key.
  public mutating func prefetching(
    _ positions: Range<Int>, key: (Int) -> String?, _ body: (inout FirstSeen, Int, String, UInt64) -> Void
  ) {
    var batch: [(position: Int, key: String, hash: UInt64)] = []
    batch.reserveCapacity(Self.lookahead)
    for position in positions {
      guard let key = key(position) else { continue }
      batch.append((position, key, prefetch(key)))
      guard batch.count == Self.lookahead else { continue }
      for entry in batch { body(&self, entry.position, entry.key, entry.hash) }
      batch.removeAll(keepingCapacity: true)
    }
    for entry in batch { body(&self, entry.position, entry.key, entry.hash) }
  }

  /// `recordFirst(_:for:)` with the key's hash from `prefetch`.
  public mutating func recordFirst(_ value: Value, for key: String, hash: UInt64) -> Value? {
    switch find(key, hash) {
    case .found(let position):
      return values[position]
    case .empty(let slot):
      slots[slot] = Self.slot(position: keys.count, hash: hash)
      keys.append(key)
      values.append(value)
      if keys.count * 2 > slots.count { rehash(slotCount: slots.count * 2) }
      return nil
    }
  }

  private enum Probe {
    case found(Int)
    case empty(Int)
  }

  /// Linear probing from the key's home slot.
  private func find(_ key: String, _ hash: UInt64) -> Probe {
    let mask = slots.count - 1
    let high = hash >> 32
    var slot = Int(truncatingIfNeeded: hash) & mask
    while true {
      let entry = slots[slot]
      if entry == 0 { return .empty(slot) }
      let position = Int(entry & 0xFFFF_FFFF) - 1
      if entry >> 32 == high && keys[position] == key { return .found(position) }
      slot = (slot + 1) & mask
    }
  }

  private mutating func rehash(slotCount: Int) {
    var fresh = [UInt64](repeating: 0, count: slotCount)
    let mask = slotCount - 1
    for position in keys.indices {
      let hash = Self.hash(keys[position])
      var slot = Int(truncatingIfNeeded: hash) & mask
      while fresh[slot] != 0 { slot = (slot + 1) & mask }
      fresh[slot] = Self.slot(position: position, hash: hash)
    }
    slots = fresh
  }

  private static func slotCount(for count: Int) -> Int {
    var slots = 16
    while slots < count * 2 { slots *= 2 }
    return slots
  }

  private static func slot(position: Int, hash: UInt64) -> UInt64 {
    (hash >> 32) << 32 | UInt64(position + 1)
  }

  /// The hash `prefetch` returns for `key`.
  public static func hash(_ key: String) -> UInt64 { UInt64(bitPattern: Int64(key.hashValue)) }
}
