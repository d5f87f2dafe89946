import Foundation
import RosterTestSupport
import Testing

/// The real `roster` against roster-sandbox or a hostile stand-in: credentials in a URL are never shown,
/// and a hostile server can neither exhaust memory nor stall a run.
@Suite struct HardeningTests {
  @Test func credentialsInTheServerURLAreRefusedAndNeverShown() async throws {
    let sandbox = try await SandboxProcess()
    let manifest = try temporaryFile("m.yaml", SecurityTests.adminManifest)
    let withCredentials = sandbox.url.replacingOccurrences(of: "://", with: "://ops:hunter2secret@")
    for url in [withCredentials, "ftp://ops:hunter2secret@example.com", withCredentials + "/api/v4"] {
      for command in [["plan", "-f", manifest, "--format", "markdown"], ["export"]] {
        let result = try await RosterCLI.run(
          command + ["--url", url, "--verbose"], environment: ["MM_TOKEN": sandbox.adminToken])
        #expect(result.status == 1, "\(url): \(result.stdout)\(result.stderr)")
        #expect(!(result.stdout + result.stderr).contains("hunter2secret"), "\(result.stderr)")
        #expect(result.stderr.contains("***@"), "\(result.stderr)")
      }
      let viaEnvironment = try await RosterCLI.run(
        ["plan", "-f", manifest], environment: ["MM_URL": url, "MM_TOKEN": sandbox.adminToken])
      #expect(viaEnvironment.status == 1 && !viaEnvironment.stderr.contains("hunter2secret"))
    }
    #expect(try await sandbox.requestLog().total == 0, "refused before any request")
  }

  @Test func aLongPageIsRefusedBeforeItIsRead() async throws {
    let server = try await SecurityTests().hostile("long-page")
    defer { server.process.terminate() }
    let manifest = try temporaryFile("m.yaml", SecurityTests.adminManifest)
    let result = try await RosterCLI.run(["plan", "-f", manifest, "--url", server.url, "--token", "t"], timeout: 60)
    #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
    #expect(result.stderr.contains("more than the 200 objects a page holds"), "\(result.stderr)")
  }

  /// Each request stays within `--timeout` by dripping a byte at a time; only the overall deadline
  /// stops it.
  @Test func aServerThatDripsForeverMeetsTheDeadline() async throws {
    let server = try await SecurityTests().hostile("slow-drip")
    defer { server.process.terminate() }
    let manifest = try temporaryFile("m.yaml", SecurityTests.adminManifest)
    let clock = ContinuousClock()
    let started = clock.now
    let result = try await RosterCLI.run(
      ["plan", "-f", manifest, "--url", server.url, "--token", "t", "--timeout", "600", "--deadline", "2"],
      timeout: 60)
    // A bound on a hang, not a timing: without the deadline the run lasts until the 60 s kill.
    #expect(clock.now - started < .seconds(50), "bounded by the deadline")
    #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
    #expect(result.stderr.contains("the --deadline of 2 seconds passed"), "\(result.stderr)")
  }
}
