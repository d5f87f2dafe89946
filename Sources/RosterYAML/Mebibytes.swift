/// A byte count in MiB with one decimal, as `String(format: "%.1f", Double(bytes) / 1_048_576)` writes it
/// (that call needs Foundation): the quotient is exact in binary, and printf rounds it to nearest, a tie
/// to the even digit.
public enum Mebibytes {
  public static func oneDecimal(_ bytes: Int) -> String {
    let unit = 1 << 20
    let whole = bytes / unit
    let tenths = (bytes % unit) * 10
    var digits = whole * 10 + tenths / unit
    let rest = tenths % unit
    if rest > unit / 2 || (rest == unit / 2 && digits % 2 == 1) { digits += 1 }
    return "\(digits / 10).\(digits % 10)"
  }
}
