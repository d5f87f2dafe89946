/// HTML a server-supplied value cannot break out of. One escape serves both places the audit page puts
/// such values: element text and double-quoted attribute values. Unsafe characters (controls and
/// bidirectional overrides) are first shown as escapes, as in every other format, so a name cannot
/// reorder what is drawn around it.
public enum HTMLText {
  static let entities: [Unicode.Scalar: String] = [
    "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;",
  ]

  public static func escape(_ value: String) -> String {
    let shown = Display.safe(value)
    guard shown.unicodeScalars.contains(where: { entities[$0] != nil }) else { return shown }
    var out = ""
    out.reserveCapacity(shown.utf8.count + 16)
    for scalar in shown.unicodeScalars {
      if let entity = entities[scalar] { out += entity } else { out.unicodeScalars.append(scalar) }
    }
    return out
  }

}
