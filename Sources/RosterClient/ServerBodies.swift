#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
import RosterCore

/// An object read with `JSONReader`: the user and token objects, read by the hundred thousand.
protocol JSONRecord {
  init(reading reader: inout JSONReader) throws(JSONReader.Failure)
}

/// The keys of one kind of object, found by their raw bytes without making a `String` of every key.
struct JSONKeys {
  private let keys: [[UInt8]]
  /// The indices of the keys of each length.
  private let byLength: [[Int]]

  init(_ names: [String]) {
    keys = names.map { Array($0.utf8) }
    var byLength = [[Int]](repeating: [], count: (keys.map(\.count).max() ?? 0) + 1)
    for (index, key) in keys.enumerated() { byLength[key.count].append(index) }
    self.byLength = byLength
  }

  func index(of raw: UnsafeRawBufferPointer) -> Int? {
    guard raw.count < byLength.count else { return nil }
    // Byte by byte, leaving at the first difference (the generic `elementsEqual` cost 1.5% of a plan).
    candidates: for index in byLength[raw.count] {
      let key = keys[index]
      for i in 0..<raw.count where key[i] != raw[i] { continue candidates }
      return index
    }
    return nil
  }
}

extension JSONReader {
  /// An object whose fields in `keys` go to `field` by index, each at most once; the others are skipped.
  mutating func record(
    _ keys: JSONKeys, _ field: (Int, inout JSONReader) throws(Failure) -> Void
  ) throws(Failure) {
    var seen: UInt64 = 0
    try object { (raw, reader) throws(Failure) in
      guard let index = keys.index(of: raw) else { return try reader.skip(depth: 1) }
      let bit = UInt64(1) << UInt64(index)
      if seen & bit != 0 {
        throw reader.fail("\"\(String(decoding: raw, as: UTF8.self))\" appears twice in one object")
      }
      seen |= bit
      try field(index, &reader)
    }
  }
}

extension JSONReader {
  /// An object of strings (a user's `props`), or nil for `null`. A key written twice is refused, as a
  /// field roster reads is.
  mutating func optionalStringMap(_ name: String) throws(Failure) -> [String: String]? {
    if try null() { return nil }
    var map: [String: String] = [:]
    try object { (raw, reader) throws(Failure) in
      let key = String(decoding: raw, as: UTF8.self)
      let value = try reader.string("\(name).\(key)")
      guard map.updateValue(value, forKey: key) == nil else { throw reader.fail("\(name).\(key) appears twice") }
    }
    return map
  }
}

/// The server's user JSON, as far as roster reads it. The profile fields come from `ProfileField`, so a
/// new field is read without touching this type.
struct UserBody: JSONRecord {
  let live: LiveUser

  private static let fixed = [
    "id", "username", "roles", "auth_service", "delete_at", "update_at", "is_bot", "remote_id", "auth_data",
    "mfa_active", "props",
  ]
  private static let keys = JSONKeys(fixed + ProfileField.allCases.map(\.key))

  init(reading reader: inout JSONReader) throws(JSONReader.Failure) {
    var id: String?
    var username: String?
    var user = LiveUser(id: "", username: "", locale: "", roles: "")
    user.authData = ""
    try reader.record(Self.keys) { (index, reader) throws(JSONReader.Failure) in
      switch index {
      case 0: id = try reader.string("id")
      case 1: username = try reader.string("username")
      case 2: user.roles = try reader.optionalString("roles") ?? ""
      case 3: user.authService = try reader.optionalString("auth_service") ?? ""
      case 4: user.deleteAt = try reader.optionalInt64("delete_at") ?? 0
      case 5: user.updateAt = try reader.optionalInt64("update_at") ?? 0
      case 6: user.isBot = try reader.optionalBool("is_bot") ?? false
      case 7: user.isRemote = !(try reader.optionalString("remote_id") ?? "").isEmpty
      case 8: user.authData = try reader.optionalString("auth_data") ?? ""
      case 9: user.mfaActive = try reader.optionalBool("mfa_active") ?? false
      case 10: user.props = try reader.optionalStringMap("props")
      default:
        let field = ProfileField.allCases[index - Self.fixed.count]
        field.set(try reader.optionalString(field.key) ?? "", in: &user)
      }
    }
    guard let id, let username else { throw reader.fail("a user without \(id == nil ? "id" : "username")") }
    user.id = id
    user.username = username
    live = user
  }
}

struct TokenBody: JSONRecord {
  let live: LiveToken

  private static let keys = JSONKeys(["id", "user_id", "description", "is_active", "expires_at"])

  init(reading reader: inout JSONReader) throws(JSONReader.Failure) {
    var id: String?
    var userID: String?
    var description: String?
    var active: Bool?
    // Absent on servers older than token expiry.
    var expiresAt: Int64 = 0
    try reader.record(Self.keys) { (index, reader) throws(JSONReader.Failure) in
      switch index {
      case 0: id = try reader.string("id")
      case 1: userID = try reader.string("user_id")
      case 2: description = try reader.string("description")
      case 3: active = try reader.bool("is_active")
      default: expiresAt = try reader.optionalInt64("expires_at") ?? 0
      }
    }
    guard let id, let userID, let description, let active else {
      throw reader.fail("a token without id, user_id, description or is_active")
    }
    live = LiveToken(id: id, userID: userID, description: description, isActive: active, expiresAt: expiresAt)
  }
}

extension APIConnection {
  /// A page of at most `limit` records (none when the server answered `null`), checked as `PageGuard`
  /// checks one, in the same pass: the reader stops at the first record past the limit, before building
  /// it. A body the reader refuses goes through `PageGuard` before the refusal is reported, so an
  /// overlong page is named as such wherever its first fault lies, as when the guard ran first (a
  /// separate pass over every page, 2% of a 100,000-user plan).
  func page<T: JSONRecord>(
    _ type: T.Type, _ response: HTTPResponse, limit: Int, path: String
  ) throws(APIFailure) -> [T] {
    let result: Result<[T]?, JSONReader.Failure> = response.body.withUnsafeBytes { raw in
      var reader = JSONReader(raw)
      do throws(JSONReader.Failure) {
        return .success(
          try reader.array(limit: limit) { (reader) throws(JSONReader.Failure) in try T(reading: &reader) })
      } catch { return .failure(error) }
    }
    switch result {
    case .success(let records): return records ?? []
    case .failure(let error) where error.pastLimit: throw PageGuard.failure(limit: limit, path: path)
    case .failure(let error):
      try PageGuard.check(response.body, limit: limit, path: path)
      throw Self.bodyFailure(error, response, path: path)
    }
  }

  func record<T: JSONRecord>(_ type: T.Type, _ response: HTTPResponse, path: String) throws(APIFailure) -> T {
    try read(response, path: path) { (reader) throws(JSONReader.Failure) in
      let value = try T(reading: &reader)
      try reader.end()
      return value
    }
  }

  private func read<R>(
    _ response: HTTPResponse, path: String, _ body: (inout JSONReader) throws(JSONReader.Failure) -> R
  ) throws(APIFailure) -> R {
    let result: Result<R, JSONReader.Failure> = response.body.withUnsafeBytes { raw in
      var reader = JSONReader(raw)
      do throws(JSONReader.Failure) { return .success(try body(&reader)) } catch { return .failure(error) }
    }
    switch result {
    case .success(let value): return value
    case .failure(let error): throw Self.bodyFailure(error, response, path: path)
    }
  }

  private static func bodyFailure(_ error: JSONReader.Failure, _ response: HTTPResponse, path: String) -> APIFailure {
    APIFailure(method: "GET", path: path, status: response.status, message: "unexpected response body (\(error))")
  }
}
