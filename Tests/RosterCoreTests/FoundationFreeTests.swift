import Foundation
import RosterCore
import RosterFiles
import RosterYAML
import Testing

/// The string edits, number format, error sentences and directory walk that replace Foundation in the
/// shipped binary, held to what Foundation returns for the same input.
@Suite struct FoundationFreeTests {
  @Test func whitespaceClassesAreFoundations() {
    for value in UInt32(0)...0x10FFFF {
      guard let scalar = Unicode.Scalar(value) else { continue }
      #expect(TextEdits.isWhitespace(scalar) == CharacterSet.whitespaces.contains(scalar), "U+\(value)")
      #expect(TextEdits.isNewline(scalar) == CharacterSet.newlines.contains(scalar), "U+\(value)")
    }
  }

  static let samples = [
    "", " ", " \t a b \t ", "\u{85} \t a \u{2028}\u{3000}\r\n", "\u{85} \t a \u{A0}\u{3000}\r\n", " \u{301}a ",
    "//a//", "a_\u{301}b", "x|\u{301}y|z", "a\r\nb\rc\nd", "e\u{301}x", "$${\u{301}", "a\u{301}${b", "${a}$${b}",
    "100% sure: a,b", "\u{200B} x\u{200B}", "%\u{301}:\u{301},", "\u{1F600} | \u{1F1FA}\u{1F1F8}_x", "no_match_here",
  ]

  @Test func trimmingAsFoundation() {
    for text in Self.samples {
      #expect(text.trimmingBlanks() == text.trimmingCharacters(in: .whitespaces))
      #expect(text.trimmingBlanksAndNewlines() == text.trimmingCharacters(in: .whitespacesAndNewlines))
      #expect(text.trimming { $0 == "/" } == text.trimmingCharacters(in: CharacterSet(charactersIn: "/")))
    }
  }

  @Test func replacingAsFoundation() {
    let pairs = [
      ("_", "-"), ("|", "\\|"), ("${", "$${"), ("$${", "${"), ("%", "%25"), ("\r", "%0D"), ("\n", "%0A"),
      (":", "%3A"), (",", "%2C"), ("e", "E"),
    ]
    for text in Self.samples {
      for (target, replacement) in pairs {
        #expect(
          text.replacingEvery(target, with: replacement)
            == text.replacingOccurrences(of: target, with: replacement), "\(text.debugDescription) \(target)")
      }
    }
  }

  @Test func mebibytesAsPrintf() {
    var sizes = [0, 1, 52_428, 52_429, 104_857, 104_858, 157_286, 1_048_575, 1_048_576, 16 * 1_048_576 + 1]
    for tenth in 0..<400 {
      sizes += [tenth * 104_857, tenth * 104_858, (2 * tenth + 1) * 52_428, (2 * tenth + 1) * 52_429]
    }
    for _ in 0..<5_000 { sizes.append(Int.random(in: 0...(1 << 40))) }
    for size in sizes {
      #expect(Mebibytes.oneDecimal(size) == String(format: "%.1f", Double(size) / 1_048_576), "\(size)")
    }
  }

  @Test func errorSentencesAsLocalizedDescription() throws {
    for code in 0..<5_000 {
      let error = CocoaError(CocoaError.Code(rawValue: code))
      #expect(ErrorText.describe(error) == error.localizedDescription, "\(code)")
    }
    let base = FileManager.default.temporaryDirectory.appendingPathComponent("roster-errors-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: base) }
    let attempts: [() throws -> Void] = [
      { _ = try Data(contentsOf: base.appendingPathComponent("absent.json")) },
      { _ = try Data(contentsOf: base) },
      { try Data("x".utf8).write(to: base.appendingPathComponent("no/such/dir.json"), options: .atomic) },
      { try Data("x".utf8).write(to: base, options: .atomic) },
      { _ = try FileManager.default.contentsOfDirectory(atPath: base.appendingPathComponent("absent").path) },
    ]
    for attempt in attempts {
      do {
        try attempt()
        Issue.record("expected a failure")
      } catch {
        #expect(ErrorText.describe(error) == error.localizedDescription)
      }
    }
    struct Other: Error {}
    #expect(ErrorText.describe(Other()) == Other().localizedDescription)
  }

  @Test func joinsPathsAsNSString() {
    for (directory, name) in [("", "x"), ("/", "x"), ("a/", "x"), ("a//", "x"), ("a", "x/"), (".", "x"), ("a", "/x")] {
      #expect(POSIXFile.join(directory, name) == (directory as NSString).appendingPathComponent(name))
    }
  }

  /// Links (to files, to directories, in loops, dangling), hidden entries, a directory named like a
  /// manifest, and roots given in several spellings: the list FileManager's enumerator gave.
  @Test func manifestDirectoriesAsFileManager() throws {
    let fm = FileManager.default
    let base = fm.temporaryDirectory.appendingPathComponent("roster-walk-\(UUID().uuidString)").path
    defer { try? fm.removeItem(atPath: base) }
    for directory in ["root/sub/deeper", "root/.hidden", "root/d.yaml", "other"] {
      try fm.createDirectory(atPath: base + "/" + directory, withIntermediateDirectories: true)
    }
    for file in [
      "other/real.yaml", "root/a.yaml", "root/b.yml", "root/c.YAML", "root/sub/deeper/e.yaml",
      "root/.hidden/h.yaml", "root/.h.yaml", "root/d.yaml/in.yaml", "root/notes.txt", "root/x.yaml.bak",
    ] {
      #expect(fm.createFile(atPath: base + "/" + file, contents: Data("version: 1\n".utf8)))
    }
    try fm.createSymbolicLink(atPath: base + "/root/link.yaml", withDestinationPath: base + "/other/real.yaml")
    try fm.createSymbolicLink(atPath: base + "/root/dirlink", withDestinationPath: base + "/other")
    try fm.createSymbolicLink(atPath: base + "/root/loop.yaml", withDestinationPath: base + "/root/loop.yaml")
    try fm.createSymbolicLink(atPath: base + "/root/dangling.yaml", withDestinationPath: base + "/nowhere")
    try fm.createSymbolicLink(atPath: base + "/rootlink", withDestinationPath: base + "/root")
    for root in ["root", "root/", "root//", "root/sub/..", "rootlink", "rootlink/", "absent"] {
      let path = base + "/" + root
      #expect(ManifestSources.manifestFiles(under: path) == Self.enumerated(path), "\(root)")
    }
  }

  /// The listing as it was written with Foundation.
  static func enumerated(_ directory: String) -> [String] {
    let root = URL(fileURLWithPath: directory)
    guard
      let walker = FileManager.default.enumerator(
        at: root, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles])
    else { return [] }
    var found: [String] = []
    for case let url as URL in walker where ["yaml", "yml"].contains(url.pathExtension) {
      guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { continue }
      let relative =
        url.path.hasPrefix(root.path + "/") ? String(url.path.dropFirst(root.path.count + 1)) : url.lastPathComponent
      found.append((directory as NSString).appendingPathComponent(relative))
    }
    return found.sorted()
  }
}
