import Foundation
import RosterTestSupport
import Testing

/// benchmarks/RESULTS.md holds one section per benchmark script; a rerun of one script must replace its
/// own section and keep the others (benchmarks/results_file.py, used by plan_scale.py and
/// membership_scale.py).
@Suite struct BenchmarkResultsTests {
  /// Runs results_file.replace_section(path, title, body) with python3.
  func replace(_ path: String, _ title: String, _ body: [String]) throws {
    let directory = repositoryRoot.appendingPathComponent("benchmarks").path
    let lines = body.map { "'" + $0.replacingOccurrences(of: "'", with: "\\'") + "'" }.joined(separator: ", ")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [
      "python3", "-c",
      "import sys; sys.path.insert(0, '\(directory)'); import results_file; "
        + "results_file.replace_section('\(path)', '\(title)', [\(lines)])",
    ]
    try process.run()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
  }

  @Test func eachScriptReplacesOnlyItsOwnSection() throws {
    let path = try temporaryFile(
      "RESULTS.md",
      "# Scale figures\n\nold plan table\n\n# Memberships\n\nmembership table\n\n```\n# not a heading\n```\n")
    try replace(path, "Scale figures", ["", "new plan table"])
    let once = try String(contentsOfFile: path, encoding: .utf8)
    #expect(
      once == "# Scale figures\n\nnew plan table\n\n# Memberships\n\nmembership table\n\n```\n# not a heading\n```\n",
      "\(once)")
    try replace(path, "Memberships", ["", "new membership table"])
    try replace(path, "Memberships", ["", "newer membership table"])
    let twice = try String(contentsOfFile: path, encoding: .utf8)
    #expect(twice == "# Scale figures\n\nnew plan table\n\n# Memberships\n\nnewer membership table\n", "\(twice)")
    try replace(path, "Sandbox listing", ["", "listing"])
    #expect(try String(contentsOfFile: path, encoding: .utf8).hasSuffix("table\n\n# Sandbox listing\n\nlisting\n"))
  }

  /// The committed file has both sections, each named by the script that owns it.
  @Test func theCommittedResultsKeepBothSections() throws {
    let text = try String(
      contentsOf: repositoryRoot.appendingPathComponent("benchmarks/RESULTS.md"), encoding: .utf8)
    #expect(text.contains("# Scale figures\n\nProduced by `benchmarks/plan_scale.py`"))
    #expect(text.contains("# Memberships\n\nProduced by `benchmarks/membership_scale.py`"))
  }
}
