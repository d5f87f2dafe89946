import Dispatch
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Ends the process now with `status`, without returning through the command: the system takes back
/// its memory at once (C exit(3), which flushes standard output; inside a command `exit` names
/// ArgumentParser's).
func exitAtOnce(_ status: Int32) -> Never { exit(status) }

/// SIGINT and SIGTERM for the whole run, watched from the start so none is lost: while some work has
/// said how to stop (cancel a read, stop starting apply steps), a signal does that; otherwise (reading
/// files, printing) the process exits at once with 130, as an unhandled interrupt would, having written
/// nothing to any server.
final class Interrupts: Sendable {
  static let shared = Interrupts()
  private static let signals = [SIGINT, SIGTERM]
  private struct State {
    var action: (@Sendable () -> Void)?
    var sources: [any DispatchSourceSignal] = []
    var armed = false
  }
  private let state = Mutex(State())

  /// Takes over SIGINT and SIGTERM; call once, first thing.
  func install() {
    state.withLock { state in
      state.sources = Self.signals.map { number in
        signal(number, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
        source.setEventHandler { [self] in fire() }
        source.resume()
        return source
      }
    }
  }

  private func fire() {
    guard let action = state.withLock({ $0.action }) else { exit(ExitStatus.interrupted.rawValue) }
    action()
  }

  /// After `seconds`, stops the run as an interrupt would (reads are cancelled, apply starts no further
  /// step and reports), then exits 1 if it has not ended `grace` seconds later: in-flight requests end
  /// within their own timeout. Armed once per run.
  func arm(deadline seconds: Double, grace: Double) {
    let first = state.withLock { state in
      defer { state.armed = true }
      return !state.armed
    }
    guard first else { return }
    DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { [self] in
      StandardError().write("roster: stopped: the --deadline of \(Int(seconds)) seconds passed\n")
      guard let action = state.withLock({ $0.action }) else { exit(1) }
      action()
      DispatchQueue.global().asyncAfter(deadline: .now() + grace) { exit(1) }
    }
  }

  /// Runs `body` with `action` as what an interrupt does.
  func during<T>(_ action: @escaping @Sendable () -> Void, _ body: () async throws -> T) async rethrows -> T {
    state.withLock { $0.action = action }
    defer { state.withLock { $0.action = nil } }
    return try await body()
  }
}
