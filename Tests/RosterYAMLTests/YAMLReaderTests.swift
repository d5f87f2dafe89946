import RosterYAML
import Testing

@Suite struct YAMLReaderTests {
  func parse(_ text: String) throws -> Node? { try YAMLReader.parse(Array(text.utf8), file: "t.yaml") }

  @Test func nodesCarryOneBasedMarks() async throws {
    let root = try #require(try parse("a: 1\nb:\n  - x\n"))
    guard case .mapping(let pairs) = root.kind else { Issue.record("not a mapping"); return }
    #expect(pairs.map(\.keyText) == ["a", "b"])
    #expect(pairs[1].key.mark == Mark(file: "t.yaml", line: 2, column: 1))
    guard case .sequence(let items) = pairs[1].value.kind else { Issue.record("not a sequence"); return }
    #expect(items[0].mark == Mark(file: "t.yaml", line: 3, column: 5))
  }

  @Test func aByteOrderMarkIsNotContentAndColumnsAreTheEditors() async throws {
    let root = try #require(try parse("\u{FEFF}a: 1\nb: 2\n"))
    guard case .mapping(let pairs) = root.kind else { Issue.record("not a mapping"); return }
    #expect(pairs.map(\.keyText) == ["a", "b"])
    #expect(pairs[0].value.mark == Mark(file: "t.yaml", line: 1, column: 4))
  }

  @Test func tagsAreRefusedWhereTheyAre() {
    for text in ["a: !!binary aGk=\n", "a: !custom {b: 1}\n", "!!python/object:x\na: 1\n"] {
      #expect(throws: YAMLError.self) { try parse(text) }
    }
    do throws(YAMLError) {
      _ = try YAMLReader.parse(Array("a:\n  b: !!str 1\n".utf8), file: "t.yaml")
      Issue.record("a tag was read")
    } catch {
      #expect(error.mark == Mark(file: "t.yaml", line: 2, column: 6))
      #expect(error.message.contains("tags are not supported"))
    }
  }

  @Test func scalarStylesAreKept() async throws {
    let root = try #require(try parse("- no\n- 'no'\n- \"no\"\n- |\n  no\n"))
    guard case .sequence(let items) = root.kind else { Issue.record("not a sequence"); return }
    let styles: [ScalarStyle] = items.compactMap {
      if case .scalar(_, let s) = $0.kind { return s } else { return nil }
    }
    #expect(styles == [.plain, .singleQuoted, .doubleQuoted, .literal])
  }

  @Test func duplicateKeysNameBothPlaces() {
    #expect(
      throws: YAMLError(
        mark: Mark(file: "t.yaml", line: 3, column: 1),
        message: "duplicate key \"a\"; it is already set at line 1, column 1")
    ) {
      try parse("a: 1\nb: 2\na: 3\n")
    }
  }

  @Test(arguments: [3, 15, 16, 17, 40])
  func duplicateKeysAreFoundInMappingsOfAnySize(keys: Int) {
    let text = (0..<keys).map { "k\($0): v\n" }.joined() + "k0: again\n"
    #expect(
      throws: YAMLError(
        mark: Mark(file: "t.yaml", line: keys + 1, column: 1),
        message: "duplicate key \"k0\"; it is already set at line 1, column 1")
    ) {
      try parse(text)
    }
    let last = (0..<keys).map { "k\($0): v\n" }.joined() + "k\(keys - 1): again\n"
    #expect(throws: YAMLError.self) { try parse(last) }
  }

  @Test func anEmptyDocumentHasNoRoot() async throws {
    #expect(try parse("") == nil)
    #expect(try parse("# only a comment\n") == nil)
  }

  @Test func aliasesExpandWithinTheBound() async throws {
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

  @Test func deepNestingIsRefusedAtTheLevelPastTheBound() {
    // 50,000 levels used to overflow the stack; the error names the first level past the bound.
    let text = String(repeating: "[", count: 50_000)
    #expect(
      throws: YAMLError(
        mark: Mark(file: "t.yaml", line: 1, column: 257),
        message: "nesting deeper than 256 levels; a manifest needs four")
    ) {
      try parse(text)
    }
  }

  @Test func aMillionLevelsAreRefusedWithoutReadingThemAll() {
    // Refused as the 257th level opens, so the time does not depend on the levels after it.
    let text = String(repeating: "- ", count: 1_000_000) + "x\n"
    let clock = ContinuousClock()
    let elapsed = clock.measure { #expect(throws: YAMLError.self) { try parse(text) } }
    #expect(elapsed < .seconds(10), "refusing took \(elapsed)")
  }

  @Test func nestingAtTheBoundIsAccepted() async throws {
    let text = String(repeating: "[", count: 256) + String(repeating: "]", count: 256)
    #expect(try parse(text)?.depth == 256)
  }

  @Test func aliasesCannotStackNestingPastTheBound() {
    // Each anchor is 200 levels deep and holds the previous one: written out, no line nests past 201.
    let deep = { (inner: String) in String(repeating: "[", count: 200) + inner + String(repeating: "]", count: 200) }
    let text = "a: &a \(deep("x"))\nb: &b \(deep("*a"))\n"
    #expect(throws: YAMLError.self) { try parse(text) }
  }

  @Test func aLargeDocumentWithoutAliasesIsNotAnAliasBomb() async throws {
    // 400,000 scalars and 100,000 mappings: more than the old whole-document bound of 1,000,000 nodes.
    var text = "users:\n"
    for i in 0..<100_000 { text += "  - {username: u\(i), email: u\(i)@example.com}\n" }
    guard case .mapping(let pairs) = try #require(try parse(text)).kind, case .sequence(let users) = pairs[0].value.kind
    else {
      Issue.record("unexpected shape")
      return
    }
    #expect(users.count == 100_000)
  }

  @Test func aliasesMayAddTenTimesTheWrittenNodes() async throws {
    // About 100,030 written nodes: the budget is ten times that, just above the 1,000,000 floor, and each
    // alias of the base adds 100,000.
    var text = "base: &b [" + Array(repeating: "x", count: 100_000).joined(separator: ", ") + "]\n"
    text += "copies: [" + Array(repeating: "*b", count: 9).joined(separator: ", ") + "]\n"
    #expect(try parse(text) != nil)
    text += "more: [*b, *b]\n"
    #expect(throws: YAMLError.self) { try parse(text) }
  }

  /// The check reads eight ASCII bytes at a time: a bad byte is found at its own column wherever it
  /// falls against those words, and a good multi-byte character anywhere passes.
  @Test func aBadByteIsFoundWhereverItFalls() {
    for offset in 0..<20 {
      var bytes = Array("a: \(String(repeating: "x", count: 20))\n".utf8)
      bytes[3 + offset] = 0xFF
      do throws(YAMLError) {
        _ = try YAMLReader.parse(bytes, file: "t.yaml")
        Issue.record("0xFF at \(offset) passed")
      } catch {
        #expect(error.mark == Mark(file: "t.yaml", line: 1, column: 4 + offset))
        #expect(error.message.hasPrefix("invalid UTF-8 byte 0xFF"))
      }
      let good = "a: " + String(repeating: "x", count: offset) + "é€😀" + "\n"
      #expect(throws: Never.self) { try YAMLReader.parse(Array(good.utf8), file: "t.yaml") }
    }
  }
}
