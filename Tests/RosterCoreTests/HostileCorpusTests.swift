import Foundation
import RosterCore
import RosterFiles
import RosterTestSupport
import Testing

/// Every hostile input (the corpus and the file-system shapes) through the manifest loader in this
/// process, as `roster plan` reads its `-f` paths: refused, with a positioned error, in bounded time.
/// The end-to-end suite runs a fixed sample through the binary and checks it prints these very lines.
@Suite struct HostileCorpusTests {
  /// What the CLI prints to standard error for a load's diagnostics.
  static func rendered(_ paths: [String]) -> (refused: Bool, text: String) {
    let result = ManifestSources.load(paths, env: HostileCorpus.environment)
    let text = result.diagnostics.map { Display.safe($0.description) + "\n" }.joined()
    return (result.manifest == nil && result.diagnostics.contains { $0.severity == .error }, text)
  }

  /// One load per case, timed. On a Dispatch thread: the loads are synchronous and some take seconds,
  /// and a test holding one of the cooperative pool's threads (two on two cores) stalls the others.
  static func loadAll(_ inputs: [HostileCorpus.Case]) async -> [(HostileCorpus.Case, Bool, String, Double)] {
    await withCheckedContinuation { continuation in
      DispatchQueue.global().async {
        continuation.resume(
          returning: inputs.map { input in
            let started = Date()
            let (refused, text) = rendered(input.paths)
            return (input, refused, text, Date().timeIntervalSince(started))
          })
      }
    }
  }

  @Test func everyHostileInputIsRefusedWithAPosition() async throws {
    let files = try HostileCorpus.files()
    #expect(files.count >= 120, "the corpus holds \(files.count) files")
    var slowest: (String, Double) = ("", 0)
    for (input, refused, text, seconds) in await Self.loadAll(files + (try HostileCorpus.fileSystemCases())) {
      #expect(refused, "\(input.name): not refused\n\(text.prefix(600))")
      #expect(HostileCorpus.positioned(text), "\(input.name): no positioned error\n\(text.prefix(600))")
      #expect(seconds < 30, "\(input.name) took \(seconds) s")
      if seconds > slowest.1 { slowest = (input.name, seconds) }
    }
    print("hostile inputs in process: slowest \(slowest.0) in \(String(format: "%.2f", slowest.1)) s")
  }
}
