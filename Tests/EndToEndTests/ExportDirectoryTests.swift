import Foundation
import RosterTestSupport
import Testing

@Suite struct ExportDirectoryTests {
  /// `export --out-dir` removes an earlier export's per-initial file that this export does not write,
  /// and nothing else under such a name: not a directory, not a link to one, not a file it did not write.
  @Test func exportToADirectoryRemovesOnlyItsOwnFiles() async throws {
    let sandbox = try await SandboxProcess(["--seed", try seedWithUsers(2)])
    let dir = URL(fileURLWithPath: try temporaryFile("x", "")).deletingLastPathComponent()
      .appendingPathComponent("export-\(UUID().uuidString)")
    let out = dir.path
    let manager = FileManager.default
    try manager.createDirectory(atPath: out + "/users-q.yaml/keep", withIntermediateDirectories: true)
    try "precious\n".write(toFile: out + "/users-q.yaml/keep/data", atomically: true, encoding: .utf8)
    let elsewhere = dir.path + "-target"
    try manager.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
    try "precious\n".write(toFile: elsewhere + "/data", atomically: true, encoding: .utf8)
    try manager.createSymbolicLink(atPath: out + "/users-r.yaml", withDestinationPath: elsewhere)
    try "version: 1\nusers: []\n".write(toFile: out + "/users-s.yaml", atomically: true, encoding: .utf8)
    try "# Exported by roster from the live server.\nversion: 1\nusers: []\n".write(
      toFile: out + "/users-z.yaml", atomically: true, encoding: .utf8)
    let result = try await RosterCLI.run(["export", "--out-dir", out] + sandbox.connection)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(manager.fileExists(atPath: out + "/users-q.yaml/keep/data"), "a directory is never removed")
    #expect(manager.fileExists(atPath: elsewhere + "/data"), "nor a link's target")
    #expect((try? manager.destinationOfSymbolicLink(atPath: out + "/users-r.yaml")) == elsewhere, "nor the link")
    #expect(manager.fileExists(atPath: out + "/users-s.yaml"), "nor a file roster did not write")
    #expect(!manager.fileExists(atPath: out + "/users-z.yaml"), "an earlier export's stale file is removed")
    #expect(manager.fileExists(atPath: out + "/users-u.yaml"))
  }
}
