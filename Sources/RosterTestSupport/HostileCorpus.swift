import Foundation

/// The hostile-input corpus (`Tests/EndToEndTests/HostileCorpus`, made by its `generate.py`) and the
/// hostile file-system shapes that cannot live in Git. Every case must be refused with a positioned
/// `file:line:col: error:`. The manifest loader is checked on every case in process; the binary on a
/// fixed sample, under an address-space limit, to show that it says the same.
public enum HostileCorpus {
  public static let directory = repositoryRoot.appendingPathComponent("Tests/EndToEndTests/HostileCorpus")

  /// One input: a name for messages and the `-f` paths.
  public struct Case: Sendable {
    public var name: String
    public var paths: [String]
  }

  /// The corpus files, sorted by name so that a sample by position is the same on every machine.
  public static func files() throws -> [Case] {
    try FileManager.default.contentsOfDirectory(atPath: directory.path)
      .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
      .map { Case(name: $0, paths: [directory.appendingPathComponent($0).path]) }
  }

  /// The environment roster runs with in the tests (`RosterCLI.run`): the process's, minus the server.
  public static var environment: [String: String] {
    var env = ProcessInfo.processInfo.environment
    env["NO_COLOR"] = "1"
    env["MM_URL"] = nil
    env["MM_TOKEN"] = nil
    return env
  }

  /// Whether some line reads `NAME:LINE:COL: error: ...`.
  public static func positioned(_ text: String) -> Bool {
    text.split(separator: "\n").contains { line in
      guard let range = line.range(of: ": error: ") else { return false }
      let place = line[..<range.lowerBound].split(separator: ":", omittingEmptySubsequences: false)
      return place.count >= 3 && place.suffix(2).allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isNumber) }
    }
  }

  struct SetupFailed: Error, CustomStringConvertible {
    var description: String
  }

  /// A FIFO, a device, link loops, a file past the size limit, and directories whose only YAML is
  /// hidden, not a regular file, or beside files of other kinds; made fresh in a temporary directory.
  public static func fileSystemCases() throws -> [Case] {
    let base = (try temporaryFile("x", "") as NSString).deletingLastPathComponent
    let fm = FileManager.default
    func dir(_ name: String) throws -> String {
      let path = base + "/" + name
      try fm.createDirectory(atPath: path, withIntermediateDirectories: true)
      return path
    }
    func fifo(_ path: String) throws {
      guard mkfifo(path, 0o600) == 0 else { throw SetupFailed(description: "mkfifo \(path): errno \(errno)") }
    }
    let bad = "version: 1\nusers:\n  - username: \"bad name\"\n"
    var cases: [Case] = []
    try fifo(base + "/fifo.yaml")
    cases.append(Case(name: "fifo", paths: [base + "/fifo.yaml"]))
    cases.append(Case(name: "device", paths: ["/dev/zero"]))
    let loop = base + "/loop.yaml"
    try fm.createSymbolicLink(atPath: loop, withDestinationPath: loop)
    cases.append(Case(name: "link loop", paths: [loop]))
    let big = base + "/big.yaml"
    guard fm.createFile(atPath: big, contents: Data("version: 1\n".utf8)),
      let handle = FileHandle(forWritingAtPath: big)
    else { throw SetupFailed(description: "cannot create \(big)") }
    try handle.truncate(atOffset: 17 * 1_048_576)
    try handle.close()
    cases.append(Case(name: "17 MiB", paths: [big]))
    let other = try dir("only-other-kinds")
    try "# roster\n".write(toFile: other + "/README.md", atomically: true, encoding: .utf8)
    try "{}".write(toFile: other + "/users.json", atomically: true, encoding: .utf8)
    try bad.write(toFile: other + "/.hidden.yaml", atomically: true, encoding: .utf8)
    cases.append(Case(name: "no manifest in the directory", paths: [other]))
    let mixed = try dir("mixed")
    try bad.write(toFile: mixed + "/team.yaml", atomically: true, encoding: .utf8)
    try fm.createSymbolicLink(atPath: mixed + "/loop.yaml", withDestinationPath: mixed + "/loop.yaml")
    try fm.createSymbolicLink(atPath: mixed + "/sub", withDestinationPath: mixed)
    try fm.createDirectory(atPath: mixed + "/dir.yaml", withIntermediateDirectories: true)
    try fifo(mixed + "/pipe.yaml")
    try Data([0xFF, 0xFE, 0x00]).write(to: URL(fileURLWithPath: mixed + "/binary.yml"))
    cases.append(Case(name: "directory with loops, a FIFO, a directory named .yaml and binary", paths: [mixed]))
    let twice = try dir("settings-twice")
    for name in ["a.yaml", "b.yaml"] {
      try "version: 1\nsettings:\n  unmanaged_users: ignore\n".write(
        toFile: twice + "/" + name, atomically: true, encoding: .utf8)
    }
    cases.append(Case(name: "settings in two files", paths: [twice]))
    cases.append(Case(name: "missing file", paths: [base + "/absent.yaml"]))
    return cases
  }
}
