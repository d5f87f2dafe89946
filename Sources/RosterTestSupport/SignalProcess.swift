import Foundation

/// Sends `signal` to a running process as soon as `condition` holds (checked every 10 ms for up to
/// `timeout` seconds), or at the timeout; true when the condition was seen. The checks and the signal
/// happen on a Dispatch thread: the test's own tasks share Swift's cooperative pool (two threads on two
/// cores) with tests that compute for seconds without yielding, and a signal aimed at a moment of the
/// run, such as "apply has begun writing", must not wait for one of them to finish.
public func signalProcess(
  _ process: Process, _ signal: Int32, when condition: @escaping @Sendable () -> Bool, timeout: Double = 30
) async -> Bool {
  let pid = process.processIdentifier
  return await withCheckedContinuation { continuation in
    DispatchQueue.global().async {
      let deadline = Date().addingTimeInterval(timeout)
      var seen = condition()
      while !seen && Date() < deadline {
        usleep(10_000)
        seen = condition()
      }
      kill(pid, signal)
      continuation.resume(returning: seen)
    }
  }
}
