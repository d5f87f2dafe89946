import Foundation

/// The server's time as its answers state it (the HTTP `Date` header), kept as an offset from this
/// machine's clock. Token expiry is checked by the server against its own clock and its maximum
/// lifetime, so a runner whose clock is ahead must not compute `expires_at` from its own.
public final class ServerClock: @unchecked Sendable {
  private let lock = NSLock()
  private var offset: TimeInterval?

  public init() {}

  /// The server's time now; this machine's when no answer carried a usable `Date`. The header has
  /// whole seconds, so the estimate runs up to a second behind the server, which keeps an expiry of
  /// the maximum lifetime within it.
  public func now() -> Date {
    Date().addingTimeInterval(lock.withLock { offset } ?? 0)
  }

  /// Notes an answer's `Date` header, received at `received` by this machine's clock.
  func observe(_ header: String?, received: Date = Date()) {
    guard let header, let date = Self.parse(header) else { return }
    lock.withLock { offset = date.timeIntervalSince(received) }
  }

  /// An IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`, RFC 9110 section 5.6.7), the form Go's net/http
  /// writes; nil for anything else, so a garbled header never moves the clock.
  static func parse(_ text: String) -> Date? {
    let parts = text.split(separator: " ")
    guard parts.count == 6, parts[5] == "GMT", let day = Int(parts[1]), let year = Int(parts[3]),
      let month = months.firstIndex(of: String(parts[2])).map({ $0 + 1 })
    else { return nil }
    let time = parts[4].split(separator: ":").compactMap { Int($0) }
    guard time.count == 3, (1...31).contains(day), (1970...9999).contains(year), (0...23).contains(time[0]),
      (0...59).contains(time[1]), (0...60).contains(time[2])
    else { return nil }
    var components = DateComponents()
    (components.year, components.month, components.day) = (year, month, day)
    (components.hour, components.minute, components.second) = (time[0], time[1], time[2])
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
    return calendar.date(from: components)
  }

  private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
}
