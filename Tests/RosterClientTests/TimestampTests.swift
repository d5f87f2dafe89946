import Foundation
import Testing

@testable import RosterClient

/// The sink's timestamps and the server's `Date` header are read and written by hand (the shipped binary
/// has no ICU); these hold them to Foundation's `ISO8601DateFormatter` and a UTC Gregorian `Calendar`.
@Suite struct TimestampTests {
  /// Times from 1600 to 2200, whole seconds and the awkward fractions around them.
  static let instants: [Double] = {
    var generator = SystemRandomNumberGenerator()
    var times: [Double] = [
      0, -0.5, 1.999, 1e9 + 0.9999, 1e9 + 0.9994, 1e9 + 0.9995, -86_400.25, 951_782_400, 4_107_542_399,
    ]
    for _ in 0..<20_000 {
      let second = Double(Int64.random(in: -11_676_096_000...7_258_118_400, using: &generator))
      times.append(second)
      times.append(second + Double.random(in: 0..<1, using: &generator))
      times.append(second + 0.9995)
    }
    return times
  }()

  @Test func formatsAsISO8601DateFormatter() {
    let foundation = ISO8601DateFormatter()
    for time in Self.instants {
      let date = Date(timeIntervalSince1970: time)
      #expect(Timestamp.iso8601(date) == foundation.string(from: date), "\(time)")
    }
  }

  @Test func parsesWhatItWrites() {
    for time in Self.instants {
      let text = Timestamp.iso8601(Date(timeIntervalSince1970: time))
      #expect(Timestamp.parseISO8601(text) == ISO8601DateFormatter().date(from: text), "\(text)")
    }
  }

  @Test func parsesAsISO8601DateFormatter() {
    let inputs = [
      "2024-01-02T03:04:05Z", "2024-01-02T03:04:05+01:00", "2024-01-02T03:04:05+0100", "2024-01-02T03:04:05+01",
      "2024-01-02T03:04:05-00:00", "2024-01-02T03:04:05-07:30", "2024-01-02T03:04:05GMT", "2024-01-02T03:04:05z",
      "2024-1-2T3:4:5Z", " 2024-01-02T03:04:05Z", "2024-01-02T03:04:05Z ", "2024-02-30T03:04:05Z",
      "2023-02-29T00:00:00Z", "2024-12-31T23:59:59Z", "2000-02-29T12:00:00Z", "1969-12-31T23:59:59Z",
      "2024-01-02T03:04:05.123Z", "2024-01-02 03:04:05Z", "2024-01-02T03:04:05", "2024-01-02T03:04Z",
      "2024-13-02T03:04:05Z", "2024-01-02T25:04:05Z", "2024-01-02T03:04:60Z", "2024-01-02T03:60:05Z",
      "20240102T030405Z", "+2024-01-02T03:04:05Z", "2024-01-02T03:04:05.Z", "2024-00-02T03:04:05Z",
      "2024-01-00T03:04:05Z", "", "garbage", "2024-01-02T03:04:05Zjunk", "2024-01-02T03:04:05+1",
      "2024-01-02T03:04:05 Z", "2024-01-02T03:04:05+01:30junk", "2024-01-02T03:04:05+01:", "2024-01-02T03:04:05UTC",
      "2024-01-02T03:04:05GMT+01:00", "2024-01-02T03:04:05-1", "\t2024-01-02T03:04:05Z\n", "2024-01-02t03:04:05Z",
      "2024-01-32T03:04:05Z", "2024-01-02T03:04:05+ 01", "x2024-01-02T03:04:05Z", "2024-01-02T03:04:05junk",
    ]
    let foundation = ISO8601DateFormatter()
    for input in inputs {
      #expect(Timestamp.parseISO8601(input) == foundation.date(from: input), "\(input.debugDescription)")
    }
  }

  @Test func civilDaysMatchTheGregorianCalendar() throws {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
    for days in stride(from: Int64(-200_000), through: 200_000, by: 7) {
      let date = Date(timeIntervalSince1970: Double(days * 86_400))
      let parts = calendar.dateComponents([.year, .month, .day], from: date)
      guard let year = parts.year, year >= 1600 else { continue }  // ICU is Julian before 1582
      let civil = Timestamp.civil(days: days)
      #expect(civil.year == year && civil.month == parts.month && civil.day == parts.day, "\(days)")
      #expect(Timestamp.days(year: civil.year, month: civil.month, day: civil.day) == days)
    }
  }

  @Test func serverDateHeaderAsCalendar() throws {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
    let headers = [
      "Sun, 06 Nov 1994 08:49:37 GMT", "Thu, 29 Feb 2024 23:59:59 GMT", "Mon, 31 Feb 2025 10:00:00 GMT",
      "Fri, 31 Dec 9999 23:59:60 GMT", "Thu, 01 Jan 1970 00:00:00 GMT", "Wed, 31 Apr 2024 00:00:00 GMT",
    ]
    for header in headers {
      let parts = header.split(separator: " ")
      let time = parts[4].split(separator: ":").compactMap { Int($0) }
      var components = DateComponents()
      (components.year, components.day) = (Int(parts[3]), Int(parts[1]))
      components.month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        .firstIndex(of: String(parts[2])).map { $0 + 1 }
      (components.hour, components.minute, components.second) = (time[0], time[1], time[2])
      #expect(ServerClock.parse(header) == calendar.date(from: components), "\(header)")
    }
  }
}
