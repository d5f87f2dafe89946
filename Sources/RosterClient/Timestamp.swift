#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
import RosterCore

/// UTC calendar arithmetic and the secrets file's ISO 8601 timestamps (`2024-01-02T03:04:05Z`), written out:
/// Foundation's `ISO8601DateFormatter` and a Gregorian `Calendar` in a named time zone need ICU, which
/// the shipped binary leaves out. The tests hold both functions to `ISO8601DateFormatter` and `Calendar`.
public enum Timestamp {
  /// Seconds between 1970 and 2001, the epoch `Date` counts from.
  private static let referenceOffset = 978_307_200.0

  /// The form `ISO8601DateFormatter().string(from:)` writes: UTC, whole seconds. Like it, the time is
  /// first rounded to the nearest millisecond, then the seconds are cut.
  public static func iso8601(_ date: Date) -> String {
    let milliseconds = ((date.timeIntervalSinceReferenceDate + referenceOffset) * 1000 + 0.5).rounded(.down)
    let seconds = Int64((milliseconds / 1000).rounded(.down))
    let days = seconds >= 0 ? seconds / 86_400 : -((-seconds + 86_399) / 86_400)
    let inDay = seconds - days * 86_400
    let (year, month, day) = civil(days: days)
    return "\(digits(year, 4))-\(digits(month, 2))-\(digits(day, 2))T"
      + "\(digits(inDay / 3600, 2)):\(digits(inDay / 60 % 60, 2)):\(digits(inDay % 60, 2))Z"
  }

  /// A timestamp as `ISO8601DateFormatter().date(from:)` reads the forms of RFC 3339 and what roster
  /// writes: date, `T`, time to the second (one or two digits a field, a four-digit year), then a zone:
  /// `Z`, `GMT`/`UTC`, or an offset (`±h`, `±hh`, `±hhmm`, `±hh:mm`), after which nothing is read.
  /// Surrounding white space is ignored, fractions of a second are refused, and a day past the month's end
  /// rolls into the next month, all as there. ICU's further leniency (hour 24, five-digit years, odd-length
  /// offsets) is not copied: roster never writes such a time, and a line whose time is unreadable is
  /// skipped. Nil for anything else.
  static func parseISO8601(_ text: String) -> Date? {
    var scanner = Scanner(text.trimmingBlanksAndNewlines())
    guard let year = scanner.number(digits: 4...4), scanner.take("-"), let month = scanner.number(digits: 1...2),
      scanner.take("-"), let day = scanner.number(digits: 1...2), scanner.take("T"),
      let hour = scanner.number(digits: 1...2), scanner.take(":"), let minute = scanner.number(digits: 1...2),
      scanner.take(":"), let second = scanner.number(digits: 1...2), let offset = scanner.zone(),
      (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 60
    else { return nil }
    let days = self.days(year: year, month: month, day: 1) + Int64(day - 1)
    let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offset)
    return Date(timeIntervalSince1970: Double(seconds))
  }

  /// Days from 1970-01-01 to the given day of the proleptic Gregorian calendar.
  static func days(year: Int, month: Int, day: Int) -> Int64 {
    let y = Int64(month <= 2 ? year - 1 : year)
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let m = Int64(month)
    let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }

  /// The proleptic Gregorian date `days` after 1970-01-01.
  static func civil(days: Int64) -> (year: Int, month: Int, day: Int) { CalendarDays.civil(days: days) }

  private static func digits(_ value: some BinaryInteger, _ width: Int) -> String {
    let text = String(value)
    return String(repeating: "0", count: max(0, width - text.count)) + text
  }

  /// Reads the timestamp left to right over its ASCII scalars.
  private struct Scanner {
    let scalars: [Unicode.Scalar]
    var position = 0

    init(_ text: String) { scalars = Array(text.unicodeScalars) }

    mutating func take(_ literal: Unicode.Scalar) -> Bool {
      guard position < scalars.count, scalars[position] == literal else { return false }
      position += 1
      return true
    }

    mutating func number(digits allowed: ClosedRange<Int>) -> Int? {
      var value = 0
      var count = 0
      while position < scalars.count, count < allowed.upperBound, let digit = Self.asciiDigit(scalars[position]) {
        value = value * 10 + digit
        count += 1
        position += 1
      }
      return allowed.contains(count) ? value : nil
    }

    private static func asciiDigit(_ scalar: Unicode.Scalar) -> Int? {
      scalar.value >= 0x30 && scalar.value <= 0x39 ? Int(scalar.value - 0x30) : nil
    }

    /// The zone's offset east of UTC in seconds; what follows it is not read.
    mutating func zone() -> Int? {
      while take(" ") {}
      if take("Z") || take("z") { return 0 }
      if (take("G") && take("M") && take("T")) || (take("U") && take("T") && take("C")) {
        return position < scalars.count && (scalars[position] == "+" || scalars[position] == "-") ? offset() : 0
      }
      return offset()
    }

    private mutating func offset() -> Int? {
      let sign: Int
      if take("+") { sign = 1 } else if take("-") { sign = -1 } else { return nil }
      let start = position
      guard let run = number(digits: 1...4) else { return nil }
      let hours: Int
      var minutes = 0
      switch position - start {
      case 4: (hours, minutes) = (run / 100, run % 100)
      case 3: return nil
      default:
        hours = run
        let colon = position
        if take(":"), let after = number(digits: 2...2), after < 60 { minutes = after } else { position = colon }
      }
      guard hours < 24, minutes < 60 else { return nil }
      return sign * (hours * 3600 + minutes * 60)
    }
  }
}
