import RosterYAML
import Testing

@Suite struct YAMLReaderTests {
  func parse(_ text: String) throws -> Node? { try YAMLReader.parse(Array(text.utf8), file: "t.yaml") }

  @Test func nodesCarryOneBasedMarks() throws {
    let root = try #require(try parse("a: 1\nb:\n  - x\n"))
    guard case .mapping(let pairs) = root.kind else { Issue.record("not a mapping"); return }
    #expect(pairs.map(\.keyText) == ["a", "b"])
    #expect(pairs[1].key.mark == Mark(file: "t.yaml", line: 2, column: 1))
    guard case .sequence(let items) = pairs[1].value.kind else { Issue.record("not a sequence"); return }
    #expect(items[0].mark == Mark(file: "t.yaml", line: 3, column: 5))
  }

  @Test func scalarStylesAreKept() throws {
    let root = try #require(try parse("- no\n- 'no'\n- \"no\"\n- |\n  no\n"))
    guard case .sequence(let items) = root.kind else { Issue.record("not a sequence"); return }
    let styles: [ScalarStyle] = items.compactMap { if case .scalar(_, let s) = $0.kind { return s } else { return nil } }
    #expect(styles == [.plain, .singleQuoted, .doubleQuoted, .literal])
  }

  @Test func duplicateKeysNameBothPlaces() {
    #expect(throws: YAMLError(mark: Mark(file: "t.yaml", line: 3, column: 1), message: "duplicate key \"a\"; it is already set at line 1, column 1")) {
      try parse("a: 1\nb: 2\na: 3\n")
    }
  }

  @Test func anEmptyDocumentHasNoRoot() throws {
    #expect(try parse("") == nil)
    #expect(try parse("# only a comment\n") == nil)
  }

  @Test func aliasesExpandWithinTheBound() throws {
    let root = try #require(try parse("a: &x [1, 2]\nb: *x\n"))
    guard case .mapping(let pairs) = root.kind, case .sequence(let items) = pairs[1].value.kind else {
      Issue.record("unexpected shape")
      return
    }
    #expect(items.count == 2)
    #expect(pairs[1].value.mark.line == 2)
  }

  @Test func aBillionLaughsFailsFast() {
    var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
    for i in 1...9 {
      text += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n"
    }
    #expect(throws: YAMLError.self) { try parse(text) }
  }
}
