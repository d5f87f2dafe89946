import Synchronization

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// The server's time as its answers state it (the HTTP `Date` header), kept as an offset from this
/// machine's clock. Token expiry is checked by the server against its own clock and its maximum
/// lifetime, so a runner whose clock is ahead must not compute `expires_at` from its own.
public final class ServerClock: Sendable {
  private let offset = Mutex<TimeInterval?>(nil)

  public init() {}

  /// The server's time now; this machine's when no answer carried a usable `Date`. The header has
  /// whole seconds, so the estimate runs up to a second behind the server, which keeps an expiry of
  /// the maximum lifetime within it.
  public func now() -> Date {
    Date().addingTimeInterval(offset.withLock { $0 } ?? 0)
  }

  /// Notes an answer's `Date` header, received at `received` by this machine's clock.
  func observe(_ header: String?, received: Date = Date()) {
    guard let header, let date = Self.parse(header) else { return }
    offset.withLock { $0 = date.timeIntervalSince(received) }
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
    // A day past the month's end rolls over, as a Gregorian `Calendar` in UTC computes it.
    let days = Timestamp.days(year: year, month: month, day: 1) + Int64(day - 1)
    return Date(timeIntervalSince1970: Double(days * 86_400 + Int64(time[0] * 3600 + time[1] * 60 + time[2])))
  }

  private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
}
