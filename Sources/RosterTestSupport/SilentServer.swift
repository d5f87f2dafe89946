import Foundation

/// A loopback TCP listener that accepts connections and never answers: a request to it is in flight
/// for as long as the test likes, and the test knows the moment it arrived (`waitForConnection`), so
/// an interrupt can be aimed at a transfer without sleeping for a guessed start-up time.
public final class SilentServer: @unchecked Sendable {
  public let url: String
  private let listener: Int32
  private let lock = NSLock()
  private var accepted: [Int32] = []
  private var closed = false

  public init() throws {
    let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard listener >= 0 else { throw SandboxStartError(output: "socket: errno \(errno)") }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
      pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
        bind(listener, raw, length) == 0 && listen(listener, 16) == 0 && getsockname(listener, raw, &length) == 0
      }
    }
    guard bound else {
      close(listener)
      throw SandboxStartError(output: "bind/listen on loopback: errno \(errno)")
    }
    self.listener = listener
    url = "http://127.0.0.1:\(UInt16(bigEndian: address.sin_port))"
  }

  /// Waits (on a Dispatch thread, not the cooperative pool) until a client connects; false after
  /// `timeout` seconds without one. The connection is held open, unanswered, until `stop()`.
  public func waitForConnection(timeout: Double = 30) async -> Bool {
    await withCheckedContinuation { continuation in
      DispatchQueue.global().async { [self] in
        var entry = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
        // A signal (SIGCHLD from the processes other tests start) interrupts poll with EINTR: wait on
        // for what is left of the timeout instead of reporting no connection.
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(timeout * 1_000_000_000)
        var ready = Int32(-1)
        while ready < 0 {
          let now = DispatchTime.now().uptimeNanoseconds
          guard now < deadline else { break }
          ready = poll(&entry, 1, Int32((deadline - now) / 1_000_000))
          if ready < 0 && errno != EINTR { break }
        }
        guard ready == 1 else { return continuation.resume(returning: false) }
        let connection = accept(listener, nil, nil)
        guard connection >= 0 else { return continuation.resume(returning: false) }
        lock.withLock { accepted.append(connection) }
        continuation.resume(returning: true)
      }
    }
  }

  /// Closes the listener and every connection it accepted.
  public func stop() {
    let sockets: [Int32] = lock.withLock {
      if closed { return [] }
      closed = true
      return accepted + [listener]
    }
    for socket in sockets { close(socket) }
  }

  deinit { stop() }
}
