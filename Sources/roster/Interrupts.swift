import Foundation

/// SIGINT and SIGTERM for the whole run, watched from the start so none is lost: while some work has
/// said how to stop (cancel a read, stop starting apply steps), a signal does that; otherwise (reading
/// files, printing) the process exits at once with 130, as an unhandled interrupt would, having written
/// nothing to any server.
final class Interrupts: @unchecked Sendable {
  static let shared = Interrupts()
  private static let signals = [SIGINT, SIGTERM]
  private let lock = NSLock()
  private var action: (@Sendable () -> Void)?
  private var sources: [any DispatchSourceSignal] = []

  /// Takes over SIGINT and SIGTERM; call once, first thing.
  func install() {
    lock.withLock {
      sources = Self.signals.map { number in
        signal(number, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
        source.setEventHandler { [self] in fire() }
        source.resume()
        return source
      }
    }
  }

  private func fire() {
    guard let action = lock.withLock({ action }) else { exit(ExitStatus.interrupted.rawValue) }
    action()
  }

  private var armed = false

  /// After `seconds`, stops the run as an interrupt would (reads are cancelled, apply starts no further
  /// step and reports), then exits 1 if it has not ended `grace` seconds later: in-flight requests end
  /// within their own timeout. Armed once per run.
  func arm(deadline seconds: Double, grace: Double) {
    let first = lock.withLock { () -> Bool in
      defer { armed = true }
      return !armed
    }
    guard first else { return }
    DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { [self] in
      StandardError().write("roster: stopped: the --deadline of \(Int(seconds)) seconds passed\n")
      guard let action = lock.withLock({ action }) else { exit(ExitStatus.error.rawValue) }
      action()
      DispatchQueue.global().asyncAfter(deadline: .now() + grace) { exit(ExitStatus.error.rawValue) }
    }
  }

  /// Runs `body` with `action` as what an interrupt does.
  func during<T>(_ action: @escaping @Sendable () -> Void, _ body: () async throws -> T) async rethrows -> T {
    lock.withLock { self.action = action }
    defer { lock.withLock { self.action = nil } }
    return try await body()
  }
}
