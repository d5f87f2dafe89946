import Foundation

/// The runnable examples of the documentation: a ```console block right after a line starting with
/// `<!-- runnable`. In such a block, `$ ` lines are commands and the lines after one, up to the next, are
/// what it prints (a subset, in order; `…` stands for lines left out). Only three kinds of command may
/// appear, so a runnable block is always something the test can run for real:
/// `roster-sandbox ARGS &`, `export NAME=VALUE ...` and `roster ARGS`.
struct RunnableDocs {
  enum Command: Equatable {
    case sandbox([String])
    case export([String: String])
    case roster([String])
  }

  struct Step: Equatable {
    var line: Int
    var command: Command
    /// The output shown under the command, without `…` lines.
    var shown: [String]
  }

  /// The files whose blocks the test runs: the README and every page under docs/.
  static func files(root: URL) throws -> [URL] {
    let docs = root.appendingPathComponent("docs")
    let pages = try FileManager.default.contentsOfDirectory(atPath: docs.path).filter { $0.hasSuffix(".md") }.sorted()
    return [root.appendingPathComponent("README.md")] + pages.map { docs.appendingPathComponent($0) }
  }

  /// The steps of every runnable block of one page, in order; a problem names its line.
  static func steps(_ text: String) throws -> [Step] {
    let lines = text.components(separatedBy: "\n")
    var steps: [Step] = []
    var index = 0
    while index < lines.count {
      defer { index += 1 }
      guard lines[index].hasPrefix("<!-- runnable") else { continue }
      guard index + 1 < lines.count, lines[index + 1] == "```console" else {
        throw DocsError(line: index + 1, message: "a runnable marker must be followed by a ```console block")
      }
      index += 2
      while index < lines.count, lines[index] != "```" {
        let line = lines[index]
        if line.hasPrefix("$ ") {
          steps.append(
            Step(line: index + 1, command: try command(String(line.dropFirst(2)), line: index + 1), shown: []))
        } else if !line.isEmpty, line != "…", !steps.isEmpty {
          steps[steps.count - 1].shown.append(line)
        }
        index += 1
      }
    }
    return steps
  }

  /// One command line: words split on spaces (no quoting), a trailing `# comment` dropped.
  static func command(_ text: String, line: Int) throws -> Command {
    let code = text.range(of: " #").map { String(text[..<$0.lowerBound]) } ?? text
    guard !code.contains("\""), !code.contains("'"), !code.contains("|"), !code.contains(">") else {
      throw DocsError(line: line, message: "runnable commands take plain words: \(text)")
    }
    var words = code.split(separator: " ").map(String.init)
    switch words.first {
    case "roster-sandbox" where words.last == "&":
      words.removeLast()
      return .sandbox(Array(words.dropFirst()))
    case "export":
      var values: [String: String] = [:]
      for word in words.dropFirst() {
        let parts = word.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { throw DocsError(line: line, message: "export NAME=VALUE: \(text)") }
        values[parts[0]] = parts[1]
      }
      return .export(values)
    case "roster":
      return .roster(Array(words.dropFirst()))
    default:
      throw DocsError(line: line, message: "not a command the docs test can run: \(text)")
    }
  }

  /// Whether `shown` appears in `actual` as whole lines, in order (trailing spaces ignored).
  static func shows(_ shown: [String], in actual: String) -> Bool {
    var rest = actual.components(separatedBy: "\n").map { $0.replacing(/\s+$/, with: "") }[...]
    for line in shown {
      let wanted = line.replacing(/\s+$/, with: "")
      guard let found = rest.firstIndex(of: wanted) else { return false }
      rest = rest[(found + 1)...]
    }
    return true
  }
}

struct DocsError: Error, CustomStringConvertible {
  var line: Int
  var message: String
  var description: String { "line \(line): \(message)" }
}
