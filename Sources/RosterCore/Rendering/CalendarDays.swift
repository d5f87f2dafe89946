/// Dates without Foundation's formatters (the shipped binary links FoundationEssentials only): UTC, to
/// the second. The secrets file's timestamps and the audit's both come from here.
public enum CalendarDays {
  /// The proleptic Gregorian date `days` after 1970-01-01 (Howard Hinnant's civil_from_days).
  public static func civil(days: Int64) -> (year: Int, month: Int, day: Int) {
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let mp = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    return (Int(yearOfEra + era * 400 + (month <= 2 ? 1 : 0)), Int(month), Int(day))
  }
}

/// Report timestamps.
public enum AuditDate {
  /// `2025-03-01T12:00:00Z` for milliseconds since 1970.
  public static func iso8601(_ milliseconds: Int64) -> String {
    let seconds = milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000
    let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
    let rest = seconds - days * 86_400
    let (y, m, d) = CalendarDays.civil(days: days)
    func two(_ n: some BinaryInteger) -> String { n < 10 ? "0\(n)" : "\(n)" }
    let year = String(y)
    return String(repeating: "0", count: max(0, 4 - year.count)) + year + "-\(two(m))-\(two(d))T"
      + "\(two(rest / 3600)):\(two(rest % 3600 / 60)):\(two(rest % 60))Z"
  }
}
