/// One entry of `privilege_changes`: output for readers of the JSON, derived from the steps.
struct PrivilegeRow: Codable {
  var step: Int
  var username: String
  var what: String
}

/// One entry of `pending_revokes`: a token a rotation replaced that keeps working until `revoke_at`
/// (`rotation_grace_hours`). Not a step; the first apply from that time on revokes it.
struct PendingRevokeRow: Encodable {
  var username: String
  var description: String
  var tokenID: String
  var revokeAt: String

  init(_ pending: PendingRevoke) {
    username = pending.username
    description = pending.description
    tokenID = pending.tokenID
    revokeAt = AuditDate.iso8601(pending.at)
  }

  enum CodingKeys: String, CodingKey {
    case username, description
    case tokenID = "token_id"
    case revokeAt = "revoke_at"
  }
}
