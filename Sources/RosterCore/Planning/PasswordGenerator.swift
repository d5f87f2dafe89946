/// Makes `initial_password: generate` passwords: one that meets any policy the server can publish, so
/// onboarding never fails on the password and nobody has to invent one.
public enum PasswordGenerator {
  /// Long enough to be strong, short enough for every server (72 bytes at most, older ones 64).
  public static let defaultLength = 24
  /// Symbols from the server's model.SYMBOLS that need no quoting in a shell or a YAML scalar.
  static let symbols = Array("!#%+-.:=?@_".utf8)
  static let classes: [[UInt8]] = [Array(0x61...0x7A), Array(0x41...0x5A), Array(0x30...0x39), symbols]

  /// Why no password can meet the policy (a minimum past the server's maximum), or nil.
  public static func problem(_ policy: PasswordPolicy) -> String? {
    guard policy.minimumLength > ServerRules.passwordMaxBytes else { return nil }
    return
      "cannot meet the server's minimum length of \(policy.minimumLength) bytes, above its maximum of \(ServerRules.passwordMaxBytes)"
  }

  /// A password with every character class (whatever the policy asks), at least the policy's length.
  public static func generate(for policy: PasswordPolicy, using rng: inout some RandomNumberGenerator) -> String {
    let length = min(max(defaultLength, policy.minimumLength), ServerRules.passwordMaxBytes)
    let all = classes.flatMap { $0 }
    // Index draws rather than randomElement: every class is non-empty, so no optional to unwrap.
    var bytes = classes.map { $0[Int.random(in: 0..<$0.count, using: &rng)] }
    while bytes.count < length { bytes.append(all[Int.random(in: 0..<all.count, using: &rng)]) }
    bytes.shuffle(using: &rng)
    return String(decoding: bytes, as: UTF8.self)
  }
}
