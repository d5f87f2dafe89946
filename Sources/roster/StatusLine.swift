#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
import RosterFiles

/// A status line on a terminal while slow work runs (reading a large server), cleared when done;
/// nothing at all when stderr is not a terminal, so logs and pipes stay clean. SIGINT or SIGTERM
/// cancels the work: transfers in flight are aborted and no further request starts.
func withStatus<T: Sendable>(_ message: String, _ work: @escaping @Sendable () async throws -> T) async throws -> T {
  let live = POSIXFile.isTerminal(POSIXFile.standardError)
  if live { StandardError().write("\(message)…") }
  defer { if live { StandardError().write("\r\u{1B}[K") } }
  let task = Task { try await work() }
  return try await Interrupts.shared.during({ task.cancel() }) { try await task.value }
}
