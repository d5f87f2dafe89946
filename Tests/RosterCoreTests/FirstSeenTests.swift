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
}
