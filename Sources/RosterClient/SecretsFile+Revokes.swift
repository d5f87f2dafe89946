#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

extension SecretsFile {
  /// A rotation with a grace (`rotation_grace_hours`) leaves the old token working: this line says which
  /// one and from when the next apply revokes it. No `token_id` key, so no reader mistakes it for a token.
  public func notePendingRevoke(username: String, description: String, tokenID: String, at: Int64) throws {
    try append(
      APIJSON.body([
        "pending_revoke": tokenID, "username": username, "description": description,
        "revoke_at": Timestamp.iso8601(Date(timeIntervalSince1970: Double(at) / 1000)),
      ]))
  }

  /// When each token a graceful rotation replaced may be revoked, by token id (milliseconds since 1970);
  /// the last line for a token wins.
  static func pendingRevokes(in data: Data) -> [String: Int64] {
    var due: [String: Int64] = [:]
    for line in data.split(separator: 0x0A) {
      guard let entry = try? APIJSON.decode(PendingRevokeLine.self, from: Data(line)),
        let at = Timestamp.parseISO8601(entry.revoke_at)
      else { continue }
      due[entry.pending_revoke] = Int64(at.timeIntervalSince1970 * 1000)
    }
    return due
  }
}

/// A bookkeeping line: a replaced token, still working, to be revoked from `revoke_at` on.
struct PendingRevokeLine: Decodable {
  var pending_revoke: String
  var revoke_at: String
}
