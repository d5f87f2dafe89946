@testable import RosterCore
import Testing

/// `FirstSeen` against a `Dictionary` doing the same: the first value of each key is kept and handed
/// back on every repeat, through growth from the smallest table and past a reserved size.
@Suite struct FirstSeenTests {
  @Test(arguments: [0, 10, 5_000])
  func keepsTheFirstValueOfEachKeyAsADictionaryWould(reserved: Int) {
    var table = FirstSeen<Int>()
    table.reserveCapacity(reserved)
    var model: [String: Int] = [:]
    // Names alike in shape and length (as a roster's are), short and long, repeated, and the empty one.
    let keys = (0..<20_000).map { i in i % 7 == 0 ? "user\(i / 3)@example.com" : "u\(i % 9_000)" } + ["", "", "u1"]
    for (value, key) in keys.enumerated() {
      let earlier = table.recordFirst(value, for: key)
      #expect(earlier == model[key])
      if model[key] == nil { model[key] = value }
    }
    #expect(table.count == model.count)
    for (key, value) in model { #expect(table[key] == value) }
    #expect(table["never recorded"] == nil)
  }

  /// Keys are told apart by their bytes (`KeyHash`): one text in two Unicode normal forms is two keys,
  /// and keys that differ only past their first eight bytes, or in the last one, are not confused.
  @Test func keysAreToldApartByTheirBytes() {
    var table = FirstSeen<Int>()
    let composed = "zo\u{00EB}@example.com"
    let decomposed = "zoe\u{0308}@example.com"
    #expect(table.recordFirst(1, for: composed) == nil)
    #expect(table.recordFirst(2, for: decomposed) == nil)
    #expect(table[composed] == 1)
    #expect(table[decomposed] == 2)
    let long =
      (0..<64).map { "a-shared-prefix-of-some-length-\($0)" }
      + (0..<64).map { "tail\(String(repeating: "x", count: $0))" }
    for (value, key) in long.enumerated() { #expect(table.recordFirst(value + 10, for: key) == nil) }
    for (value, key) in long.enumerated() { #expect(table[key] == value + 10) }
  }

  /// Batched with prefetches, the keys are still taken in order, so the first of a repeated key wins
  /// as it does one at a time, and positions without a key are skipped.
  @Test(arguments: [0, 1, 7, 8, 9, 17, 100])
  func prefetchingTakesTheKeysInOrder(count: Int) {
    let key: (Int) -> String? = { $0 % 5 == 4 ? nil : "k\($0 % 11)" }
    var batched = FirstSeen<Int>()
    var seen: [Int] = []
    batched.prefetching(0..<count, key: key) { table, position, key, hash in
      seen.append(position)
      _ = table.recordFirst(position, for: key, hash: hash)
    }
    var single = FirstSeen<Int>()
    for position in 0..<count { if let k = key(position) { _ = single.recordFirst(position, for: k) } }
    #expect(seen == (0..<count).filter { key($0) != nil })
    #expect(batched.count == single.count)
    for i in 0..<11 { #expect(batched["k\(i)"] == single["k\(i)"]) }
  }
}
