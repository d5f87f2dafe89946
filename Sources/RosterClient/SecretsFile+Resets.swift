#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

extension SecretsFile {
  /// A reset the server did not send stays open until a later one is sent: the account was created,
  /// so the create that planned it will not come again, and without this line the person would never
  /// get the link.
  public func noteReset(username: String, sent: Bool) throws {
    let at = Timestamp.iso8601(Date())
    try append(APIJSON.body(["password_reset": sent ? "sent" : "failed", "username": username, "at": at]))
  }

  /// Users whose last reset line says it was not sent.
  static func pendingResets(in data: Data) -> Set<String> {
    var pending = Set<String>()
    for line in data.split(separator: 0x0A) {
      guard let entry = try? APIJSON.decode(ResetLine.self, from: Data(line)) else { continue }
      if entry.password_reset == "failed" { pending.insert(entry.username) } else { pending.remove(entry.username) }
    }
    return pending
  }
}

/// A bookkeeping line: whether a password reset went out (no address, no secret).
struct ResetLine: Decodable {
  var password_reset: String
  var username: String
}
