import RosterYAML
import Testing

/// The streamed entries' own path (`TreeBuilder+Entry.swift`): what each kind of value comes out as,
/// and that an entry keeps a built mapping's rules (unique keys, scalar keys) without being built.
@Suite struct StreamedEntryTests {
  static let keys = ["username", "email", "roles"]

  /// The parts of the `users:` sequence, each as a short text, and the tree left.
  func stream(_ text: String) throws(YAMLError) -> (parts: [String], root: Node?) {
    var parts: [String] = []
    let root = try YAMLReader.parse(Array(text.utf8), file: "s.yaml", streaming: "users", keys: Self.keys) { part in
      switch part {
      case .item(let node): parts.append("item \(node.kindName) @\(node.mark.line):\(node.mark.column)")
      case .start(let mark): parts.append("start @\(mark.line):\(mark.column)")
      case .scalar(let key, let value):
        parts.append("\(Self.keys[key])=\(value.text) @\(value.mark.line):\(value.mark.column)")
      case .node(let key, let node):
        let text = node.scalar.map { "scalar \($0.text)" } ?? node.kindName
        parts.append("\(Self.keys[key]) node \(text) @\(node.mark.line):\(node.mark.column)")
      case .unknownKey(let key, let mark): parts.append("unknown \(key) @\(mark.line):\(mark.column)")
      case .end(let mark): parts.append("end @\(mark.line):\(mark.column)")
      }
    }
    return (parts, root)
  }

  @Test func plainValuesComeAsScalarsAndTheRestAsNodes() throws {
    let text = """
      version: 1
      users:
        - username: alice
          roles: [system_user]
          colour: blue
          email: 'a@example.com'
        - bob
      """
    let (parts, root) = try stream(text)
    #expect(
      parts == [
        "start @3:5", "username=alice @3:15", "roles node a sequence @4:12", "unknown colour @5:5",
        "email=a@example.com @6:12", "end @3:5", "item a scalar @7:5",
      ])
    // The streamed sequence is left out of the tree; the rest of the document stays.
    guard case .mapping(let pairs) = root?.kind else {
      Issue.record("no top-level mapping")
      return
    }
    #expect(pairs.map(\.keyText) == ["version", "users"])
    guard case .sequence(let items) = pairs[1].value.kind else {
      Issue.record("users is not a sequence")
      return
    }
    #expect(items.isEmpty)
  }

  @Test func anchorsAndAliasesInsideAnEntryComeAsNodes() throws {
    let text = """
      users:
        - username: &name alice
          email: *name
          *name : x
      """
    let (parts, _) = try stream(text)
    #expect(
      parts == [
        "start @2:5", "username node scalar alice @2:15", "email node scalar alice @3:12", "unknown alice @4:5",
        "end @2:5",
      ])
  }

  @Test func anEntryWithAnAnchorIsBuiltWhole() throws {
    let (parts, _) = try stream("users:\n  - &a {username: alice}\n")
    #expect(parts == ["item a mapping @2:5"])
  }

  // An anchored key's place is its anchor's, as libyaml marks the node.
  @Test(arguments: [
    (
      "users:\n  - username: a\n    username: b\n", 3,
      "duplicate key \"username\"; it is already set at line 2, column 5"
    ),
    ("users:\n  - colour: a\n    colour: b\n", 3, "duplicate key \"colour\"; it is already set at line 2, column 5"),
    ("users:\n  - &k email: a\n    *k : b\n", 3, "duplicate key \"email\"; it is already set at line 2, column 5"),
    ("users:\n  - [a]: b\n", 2, "mapping keys must be plain scalars, found a sequence"),
  ])
  func anEntryKeepsAMappingsRules(text: String, line: Int, message: String) {
    do throws(YAMLError) {
      _ = try stream(text)
      Issue.record("accepted: \(text)")
    } catch {
      #expect(error.mark.line == line)
      #expect(error.message == message)
    }
  }

  @Test func keysRepeatedAcrossEntriesAreNotDuplicates() throws {
    let (parts, _) = try stream("users:\n  - username: a\n    colour: x\n  - username: b\n    colour: y\n")
    #expect(parts.filter { $0.hasPrefix("username=") }.count == 2)
    #expect(parts.filter { $0.hasPrefix("unknown colour") }.count == 2)
  }
}
