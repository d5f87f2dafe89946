import Foundation
import RosterTestSupport
import Testing

/// The hostile-input corpus (`HostileCorpus/`, made by its `generate.py`) and hostile file-system shapes:
/// each must end in exit 1 with a positioned `file:line:col: error:`, no request to the running sandbox,
/// in bounded time and (outside the sanitizers, whose shadow memory needs the address space) under a
/// 3 GiB address-space limit, so an unbounded allocation fails the test instead of the machine.
@Suite struct HostileInputTests {
  static let corpus = repositoryRoot.appendingPathComponent("Tests/EndToEndTests/HostileCorpus")
  /// Whether some line reads `NAME:LINE:COL: error: ...`.
  static func positioned(_ text: String) -> Bool {
    text.split(separator: "\n").contains { line in
      guard let range = line.range(of: ": error: ") else { return false }
      let place = line[..<range.lowerBound].split(separator: ":", omittingEmptySubsequences: false)
      return place.count >= 3 && place.suffix(2).allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isNumber) }
    }
  }

  static func corpusFiles() throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: corpus.path)
      .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { corpus.appendingPathComponent($0).path }
  }

  /// Shapes that cannot live in Git: a FIFO, a device, link loops, a file past the size limit, and
  /// directories whose only YAML is hidden, not a regular file, or beside files of other kinds.
  static func fileSystemCases() throws -> [(String, [String])] {
    let base = (try temporaryFile("x", "") as NSString).deletingLastPathComponent
    let fm = FileManager.default
    func dir(_ name: String) throws -> String {
      let path = base + "/" + name
      try fm.createDirectory(atPath: path, withIntermediateDirectories: true)
      return path
    }
    let bad = "version: 1\nusers:\n  - username: \"bad name\"\n"
    var cases: [(String, [String])] = []
    let fifo = base + "/fifo.yaml"
    #expect(mkfifo(fifo, 0o600) == 0)
    cases.append(("fifo", [fifo]))
    cases.append(("device", ["/dev/zero"]))
    let loop = base + "/loop.yaml"
    try fm.createSymbolicLink(atPath: loop, withDestinationPath: loop)
    cases.append(("link loop", [loop]))
    let big = base + "/big.yaml"
    #expect(fm.createFile(atPath: big, contents: Data("version: 1\n".utf8)))
    let handle = try #require(FileHandle(forWritingAtPath: big))
    try handle.truncate(atOffset: 17 * 1_048_576)
    try handle.close()
    cases.append(("17 MiB", [big]))
    let other = try dir("only-other-kinds")
    try "# roster\n".write(toFile: other + "/README.md", atomically: true, encoding: .utf8)
    try "{}".write(toFile: other + "/users.json", atomically: true, encoding: .utf8)
    try bad.write(toFile: other + "/.hidden.yaml", atomically: true, encoding: .utf8)
    cases.append(("no manifest in the directory", [other]))
    let mixed = try dir("mixed")
    try bad.write(toFile: mixed + "/team.yaml", atomically: true, encoding: .utf8)
    try fm.createSymbolicLink(atPath: mixed + "/loop.yaml", withDestinationPath: mixed + "/loop.yaml")
    try fm.createSymbolicLink(atPath: mixed + "/sub", withDestinationPath: mixed)
    try fm.createDirectory(atPath: mixed + "/dir.yaml", withIntermediateDirectories: true)
    #expect(mkfifo(mixed + "/pipe.yaml", 0o600) == 0)
    try Data([0xFF, 0xFE, 0x00]).write(to: URL(fileURLWithPath: mixed + "/binary.yml"))
    cases.append(("directory with loops, a FIFO, a directory named .yaml and binary", [mixed]))
    let twice = try dir("settings-twice")
    for name in ["a.yaml", "b.yaml"] {
      try "version: 1\nsettings:\n  unmanaged_users: ignore\n".write(
        toFile: twice + "/" + name, atomically: true, encoding: .utf8)
    }
    cases.append(("settings in two files", [twice]))
    cases.append(("missing file", [base + "/absent.yaml"]))
    return cases
  }

  /// Runs `roster plan` on the input against the sandbox, with an address-space limit outside the
  /// sanitizers; returns the result and the wall time.
  static func plan(_ paths: [String], _ sandbox: SandboxProcess) async throws -> (RunResult, Double) {
    let arguments = ["plan"] + paths.flatMap { ["-f", $0] } + sandbox.connection
    let started = Date()
    let result: RunResult
    if ProcessInfo.processInfo.environment["ROSTER_SANITIZER"] == nil {
      result = try await RosterCLI.run(
        ["--as=3221225472", "--", RosterCLI.executable] + arguments,
        timeout: 60, program: "/usr/bin/prlimit")
    } else {
      result = try await RosterCLI.run(arguments, timeout: 60)
    }
    return (result, Date().timeIntervalSince(started))
  }

  @Test func everyHostileInputFailsWithAPositionAndNoRequest() async throws {
    let files = try Self.corpusFiles()
    #expect(files.count >= 120, "the corpus holds \(files.count) files")
    let cases = files.map { (($0 as NSString).lastPathComponent, [$0]) } + (try Self.fileSystemCases())
    let sandbox = try await SandboxProcess()
    var slowest: (String, Double) = ("", 0)
    // Two at a time: the machine has two cores, and each case is one short process.
    var queue = cases[...]
    try await withThrowingTaskGroup(of: (String, RunResult, Double).self) { group in
      func next() {
        guard let (name, paths) = queue.popFirst() else { return }
        group.addTask {
          let (result, seconds) = try await Self.plan(paths, sandbox)
          return (name, result, seconds)
        }
      }
      next()
      next()
      while let (name, result, seconds) = try await group.next() {
        #expect(result.status == 1, "\(name): exit \(result.status)\n\(result.stderr.prefix(600))")
        #expect(Self.positioned(result.stderr), "\(name): no positioned error\n\(result.stderr.prefix(600))")
        #expect(seconds < 30, "\(name) took \(seconds) s")
        if seconds > slowest.1 { slowest = (name, seconds) }
        next()
      }
    }
    let log = try await sandbox.requestLog()
    #expect(log.total == 0, "hostile input reached the server: \(log.byRoute)")
    print("hostile inputs: \(cases.count) cases, slowest \(slowest.0) in \(String(format: "%.2f", slowest.1)) s")
  }
}
