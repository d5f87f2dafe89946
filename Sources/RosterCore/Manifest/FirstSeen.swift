internal import CPlatform

/// The value first recorded for each string, for the loader's "declared twice" checks over every
/// declared name and address. A `Dictionary` of a large roster's names spread its keys and values over
/// 7 MB of buckets, and each check touched three places in them at random (the occupied bit, the key,
/// the value); most of the cost of those checks was waiting for memory. Here the keys and values stay
/// in dense arrays in the order recorded, and the table (`PositionTable`) holds 8-byte slots only: a
/// lookup touches one slot, and the key itself only when the slot's hash bits match.
public struct FirstSeen<Value> {
  private var keys: [String] = []
  private var values: [Value] = []
  private var table = PositionTable()

  public init() {}

  public var count: Int { keys.count }

  /// How far ahead a loop over many keys asks for slots (`prefetch`): enough to cover a wait for
  /// memory with the work on the keys between.
  public static var lookahead: Int { PositionTable.lookahead }

  /// Room for `count` entries without growing.
  public mutating func reserveCapacity(_ count: Int) {
    keys.reserveCapacity(count)
    values.reserveCapacity(count)
    table.reserveCapacity(count) { [keys] in Self.hash(keys[$0]) }
  }

  public subscript(key: String) -> Value? {
    table.find(hash: Self.hash(key)) { KeyHash.same(keys[$0], key) }.map { values[$0] }
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
    table.prefetch(hash: hash)
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
    switch table.lookup(hash: hash, isKey: { KeyHash.same(keys[$0], key) }) {
    case .found(let earlier):
      return values[earlier]
    case .empty(let slot):
      keys.append(key)
      values.append(value)
      // Taken after the append: a copy alive across it would have copied every key.
      let all = keys
      table.insert(all.count - 1, at: slot, hash: hash) { Self.hash(all[$0]) }
      return nil
    }
  }

  /// The hash `prefetch` returns for `key` (`KeyHash`).
  public static func hash(_ key: String) -> UInt64 { KeyHash.of(key) }
}

/// A hash table of positions in a collection held elsewhere, keyed by a hash of the element there:
/// `FirstSeen`'s table, and on its own the duplicate check over a large roster's addresses, which
/// need not copy a key or a value to find the first user of each.
public struct PositionTable {
  /// Per slot: the position + 1 in the low 32 bits (0 when empty), the key's hash's high 32 bits above
  /// them. Kept at most half full, a power of two long.
  private var slots = [UInt64](repeating: 0, count: 16)
  private var count = 0

  public init() {}

  /// How far ahead a loop over many keys asks for slots (`prefetch`).
  public static var lookahead: Int { 8 }

  /// Room for `count` positions without growing; `rehash` gives the hash of a position recorded.
  public mutating func reserveCapacity(_ count: Int, rehash: (Int) -> UInt64) {
    if count * 2 > slots.count { grow(to: Self.slotCount(for: count), rehash) }
  }

  /// Starts loading the slot of a key with this hash.
  public func prefetch(hash: UInt64) {
    let slot = Int(truncatingIfNeeded: hash) & (slots.count - 1)
    slots.withUnsafeBufferPointer { buffer in
      if let base = buffer.baseAddress { roster_prefetch(base + slot) }
    }
  }

  /// The position recorded for the key with this hash that `isKey` accepts.
  public func find(hash: UInt64, isKey: (Int) -> Bool) -> Int? {
    guard case .found(let position) = lookup(hash: hash, isKey: isKey) else { return nil }
    return position
  }

  /// The position recorded for the key `isKey` accepts; when there is none, records `position` for it
  /// and returns nil. `rehash` gives the hash of a position recorded, should the table grow.
  public mutating func recordFirst(
    _ position: Int, hash: UInt64, isKey: (Int) -> Bool, rehash: (Int) -> UInt64
  ) -> Int? {
    switch lookup(hash: hash, isKey: isKey) {
    case .found(let earlier):
      return earlier
    case .empty(let slot):
      insert(position, at: slot, hash: hash, rehash: rehash)
      return nil
    }
  }

  public enum Lookup {
    case found(Int)
    /// Not there; the slot it would take.
    case empty(Int)
  }

  /// Linear probing from the key's home slot.
  public func lookup(hash: UInt64, isKey: (Int) -> Bool) -> Lookup {
    let mask = slots.count - 1
    let high = hash >> 32
    var slot = Int(truncatingIfNeeded: hash) & mask
    while true {
      let entry = slots[slot]
      if entry == 0 { return .empty(slot) }
      let position = Int(entry & 0xFFFF_FFFF) - 1
      if entry >> 32 == high && isKey(position) { return .found(position) }
      slot = (slot + 1) & mask
    }
  }

  /// Records `position` in the empty `slot` a `lookup` of its hash found, before any other change.
  public mutating func insert(_ position: Int, at slot: Int, hash: UInt64, rehash: (Int) -> UInt64) {
    slots[slot] = Self.slot(position: position, hash: hash)
    count += 1
    if count * 2 > slots.count { grow(to: slots.count * 2, rehash) }
  }

  private mutating func grow(to slotCount: Int, _ rehash: (Int) -> UInt64) {
    var fresh = [UInt64](repeating: 0, count: slotCount)
    let mask = slotCount - 1
    for entry in slots where entry != 0 {
      let position = Int(entry & 0xFFFF_FFFF) - 1
      let hash = rehash(position)
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
}
