#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import RosterCore

/// Reading back what a secrets file or a state file remembers, for the next plan.
extension SecretsFile {
  /// What the secrets file at `path` remembers for the next plan, read once: a plan reads all of it.
  public struct Memory: Sendable {
    /// Token creates begun without their secret recorded (an interrupted apply).
    public var openIntents: Set<TokenKey> = []
    /// Email changes the server holds for verification, by username (the last 24 hours).
    public var pendingEmails: [String: String] = [:]
    /// When roster created each token, by id (milliseconds since 1970).
    public var tokenCreatedAt: [String: Int64] = [:]
    /// Tokens a rotation replaced whose revoke may not have run.
    public var supersededTokens: Set<String> = []
    /// Users whose password reset the server did not send, by username.
    public var pendingResets: Set<String> = []

    public init() {}

    init(
      openIntents: Set<TokenKey>, pendingEmails: [String: String], tokenCreatedAt: [String: Int64],
      supersededTokens: Set<String>
    ) {
      self.openIntents = openIntents
      self.pendingEmails = pendingEmails
      self.tokenCreatedAt = tokenCreatedAt
      self.supersededTokens = supersededTokens
    }
  }

  /// Empty when the file does not exist. A file that exists but is not one apply would write to (a
  /// link, another owner's, a mode other than 600 as a cache or secret store may restore it) is an
  /// error that says why: believing it could suppress an orphan's replacement, and ignoring it would
  /// forget a secret lost mid-create. `role` names the file in the message ("state file").
  public static func memory(at path: String, role: String = "secrets file", now: Date = Date()) throws(FileError)
    -> Memory
  {
    guard let data = try trustedContents(path, role: role) else { return Memory() }
    return memory(of: data, now: now)
  }

  /// What a state file and a secrets file remember together: the secrets file's lines first, since a
  /// secrets file from before `--state` holds the older bookkeeping; either may be nil or missing.
  /// `inputs`: files apply reads (manifests, a saved plan), which neither may be.
  public static func memory(state: String?, secrets: String?, inputs: [String] = [], now: Date = Date())
    throws(FileError) -> Memory
  {
    var data = Data()
    if let secrets, let lines = try trustedContents(secrets, role: "secrets file", inputs: inputs) {
      data.append(lines)
    }
    if let state, let lines = try trustedContents(state, role: "state file", inputs: inputs) {
      if !data.isEmpty && data.last != 0x0A { data.append(0x0A) }
      data.append(lines)
    }
    return memory(of: data, now: now)
  }

  static func memory(of data: Data, now: Date) -> Memory {
    var memory = Memory(
      openIntents: openIntents(in: data), pendingEmails: pendingEmails(in: data, now: now),
      tokenCreatedAt: tokenCreationTimes(in: data), supersededTokens: supersededTokens(in: data))
    memory.pendingResets = pendingResets(in: data)
    return memory
  }

  /// Tokens a rotation replaced whose revoke may not have run: the ids an intent said it replaces,
  /// once the new token's record followed it. Two live tokens with one description, one of them in
  /// here, are an interrupted rotation; the other one is the one whose secret the secrets file holds.
  static func supersededTokens(in data: Data) -> Set<String> {
    var pending: [TokenKey: [String]] = [:]
    var superseded = Set<String>()
    for line in data.split(separator: 0x0A) {
      guard let entry = try? APIJSON.decode(IntentLine.self, from: Data(line)) else { continue }
      let key = TokenKey(username: entry.username, description: entry.description)
      if entry.intent == "create_token" {
        pending[key] = entry.replaces ?? []
      } else if entry.token != nil || entry.token_id != nil, let replaced = pending.removeValue(forKey: key) {
        superseded.formUnion(replaced)
      } else {
        pending[key] = nil
      }
    }
    return superseded
  }

  /// Email changes noted in the secrets file within the last 24 hours (the server's verify-email token
  /// lifetime, PasswordRecoverExpiryTime), by username; the newest per user.
  static func pendingEmails(in data: Data, now: Date) -> [String: String] {
    var pending: [String: String] = [:]
    for line in data.split(separator: 0x0A) {
      guard let entry = try? APIJSON.decode(PendingEmailLine.self, from: Data(line)),
        let at = Timestamp.parseISO8601(entry.requested_at), (0..<86_400).contains(now.timeIntervalSince(at))
      else { continue }
      pending[entry.username] = entry.pending_email
    }
    return pending
  }

  /// The file's bytes; nil when it does not exist (or is standard output). Throws, naming the reason,
  /// for anything apply would refuse to write to.
  static func trustedContents(_ path: String, role: String, inputs: [String] = []) throws(FileError) -> Data? {
    guard path != "-" else { return nil }
    var info = stat()
    guard lstat(path, &info) == 0 else {
      if errno == ENOENT { return nil }
      throw FileError("cannot read the \(role) \(path): \(String(cString: strerror(errno)))")
    }
    var other = stat()
    let input = inputs.first { stat($0, &other) == 0 && other.st_dev == info.st_dev && other.st_ino == info.st_ino }
    let problem: String? =
      if let input {
        "it is \(input), a file apply reads"
      } else if info.st_mode & S_IFMT == S_IFLNK {
        "it is a symbolic link"
      } else if info.st_mode & S_IFMT != S_IFREG {
        "it is not a regular file"
      } else if info.st_uid != geteuid() {
        "it belongs to another user (uid \(info.st_uid))"
      } else if info.st_nlink > 1 {
        "it has \(info.st_nlink) hard links"
      } else if info.st_mode & 0o7777 != 0o600 {
        "its mode is \(String(info.st_mode & 0o7777, radix: 8)), not 600 (chmod 600 it)"
      } else {
        nil
      }
    if let problem { throw FileError("refusing the \(role) \(path): \(problem)") }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw FileError("cannot read the \(role) \(path)")
    }
    return data
  }

  /// When roster created each token in the secrets file, by token id (milliseconds since 1970): the
  /// server keeps no creation time for tokens, so this is the age `rotate_after_days` counts.
  static func tokenCreationTimes(in data: Data) -> [String: Int64] {
    var times: [String: Int64] = [:]
    for line in data.split(separator: 0x0A) {
      guard let entry = try? APIJSON.decode(CreatedTokenLine.self, from: Data(line)),
        let at = entry.created_at.flatMap(Timestamp.parseISO8601)
      else { continue }
      times[entry.token_id] = Int64(at.timeIntervalSince1970 * 1000)
    }
    return times
  }

  /// The intents in the secrets file that no token record followed: tokens the server may have
  /// created whose secrets never arrived.
  static func openIntents(in data: Data) -> Set<TokenKey> {
    var open = Set<TokenKey>()
    for line in data.split(separator: 0x0A) {
      guard let entry = try? APIJSON.decode(IntentLine.self, from: Data(line)) else { continue }
      let key = TokenKey(username: entry.username, description: entry.description)
      if entry.intent == "create_token" { open.insert(key) } else { open.remove(key) }
    }
    return open
  }

}
