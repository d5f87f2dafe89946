/// Live users by a key, holding positions rather than copies: with 100,000 users two dictionaries of
/// whole `LiveUser` values cost about 100 MB. The first user with a key wins.
struct UserIndex {
  private let users: [LiveUser]
  /// Compact rather than a `Dictionary`: the planner builds two of these over every account, and a
  /// dictionary's buckets were touched at random three times per account (`FirstSeen`).
  private let positions: FirstSeen<Int>

  /// The two keys the planner indexes every account by.
  enum Key {
    /// The normalised username.
    case username
    /// The normalised address; accounts without one are left out.
    case email
  }

  /// By one of the usual keys, reading only that field: a closure taking the account copied each one out
  /// to hand it over (a retain and release of each of its strings, 2 to 3% of a 100,000-user plan).
  init(_ users: [LiveUser], _ key: Key) {
    self.users = users
    var positions = FirstSeen<Int>()
    positions.reserveCapacity(users.count)
    // The first user wins a repeated key.
    positions.prefetching(users.indices) { position in
      switch key {
      case .username: return ServerRules.normalizeUsername(users[position].username)
      case .email: return users[position].email.isEmpty ? nil : ServerRules.normalizeEmail(users[position].email)
      }
    } _: { table, position, key, hash in
      _ = table.recordFirst(position, for: key, hash: hash)
    }
    self.positions = positions
  }

  subscript(key: String) -> LiveUser? { positions[key].map { users[$0] } }

  /// Whether an account has that key, without copying the account out.
  func contains(_ key: String) -> Bool { positions[key] != nil }
}
