/// The server's rules for team and channel names (the URL slug, never the display name), so a name no
/// team or channel can have is refused offline instead of matching nothing at plan time.
/// Reserved team names (IsReservedTeamName) are not checked: the list changed between releases, a team so
/// named can exist from an older one, and roster names teams that exist, it never creates one.
/// Source: server/public/model/team.go (IsValidTeamName, TeamNameMinLength/MaxLength),
/// server/public/model/channel.go (IsValid, ChannelNameMaxLength, gmNameRegex) and
/// server/public/model/utils.go (validAlphaNum, validSimpleAlphaNum, IsValidChannelIdentifier).
extension ServerRules {
  public static let teamNameMinLength = 2
  public static let teamNameMaxLength = 64
  public static let channelNameMaxLength = 64
  /// The channels every non-guest joins with the team (app/teams/utils.go DefaultChannelNames; the server
  /// may replace off-topic through TeamSettings.ExperimentalDefaultChannels).
  public static let defaultChannels: [String] = ["town-square", "off-topic"]
  /// Why a team name is refused, or nil. validAlphaNum is `^[a-z0-9]+([a-z\-0-9]+|(__)?)[a-z0-9]+$`:
  /// lowercase letters, digits and hyphens, starting and ending with a letter or digit, or two such runs
  /// joined by one "__".
  public static func teamNameProblem(_ name: String) -> String? {
    let bytes = Array(name.utf8)
    if let problem = slugCaseProblem(name, kind: "team") { return problem }
    guard (teamNameMinLength...teamNameMaxLength).contains(bytes.count) else {
      return
        "team name \"\(name)\" is \(bytes.count) characters; the server needs \(teamNameMinLength) to \(teamNameMaxLength)"
    }
    guard matchesAlphaNum(bytes, middle: { isAlnum($0) || $0 == UInt8(ascii: "-") }, endsMayBeEmpty: false) else {
      return
        "team name \"\(name)\" may only contain a-z, 0-9 and '-', and must start and end with a letter or digit (model.IsValidTeamName)"
    }
    return nil
  }

  /// Why a channel name is refused, or nil. validSimpleAlphaNum is
  /// `^[a-z0-9]+([a-z\-\_0-9]+|(__)?)[a-z0-9]*$`, 1 to 64 characters; names shaped like a direct or
  /// group message channel's are refused for team channels.
  public static func channelNameProblem(_ name: String) -> String? {
    let bytes = Array(name.utf8)
    if let problem = slugCaseProblem(name, kind: "channel") { return problem }
    guard (1...channelNameMaxLength).contains(bytes.count) else {
      return "channel name \"\(name)\" is \(bytes.count) characters; the server needs 1 to \(channelNameMaxLength)"
    }
    let middle: (UInt8) -> Bool = { isAlnum($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }
    guard matchesAlphaNum(bytes, middle: middle, endsMayBeEmpty: true) else {
      return
        "channel name \"\(name)\" may only contain a-z, 0-9, '-' and '_', and must start with a letter or digit (model.IsValidChannelIdentifier)"
    }
    if isDirectMessageName(bytes) {
      return "channel name \"\(name)\" is the shape of a direct or group message channel's; those are out of bounds"
    }
    return nil
  }

  /// Names are lowercase slugs; an uppercase letter or a space usually means a display name was written.
  private static func slugCaseProblem(_ name: String, kind: String) -> String? {
    guard name.unicodeScalars.contains(where: { ("A"..."Z").contains($0) || $0 == " " }) else { return nil }
    let slug = goLowercased(name).replacingEvery(" ", with: "-")
    return
      "\(kind) name \"\(name)\" is not a URL name: names are lowercase and never the display name (did you mean \"\(slug)\"?)"
  }

  private static func isAlnum(_ b: UInt8) -> Bool {
    (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(b) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b)
  }

  /// `^[a-z0-9]+(middle+|(__)?)[a-z0-9]+$` (the last run `*` when `endsMayBeEmpty`), by hand over bytes
  /// like the other rules here: two alternatives do not need a regex engine.
  private static func matchesAlphaNum(_ s: [UInt8], middle: (UInt8) -> Bool, endsMayBeEmpty: Bool) -> Bool {
    guard let first = s.first, isAlnum(first) else { return false }
    // Alternative 1: alnum+ middle+ alnum(+ or *). With `middle` a superset of alnum this is: first and
    // (when required) last alnum, everything between in `middle`, and at least the required length.
    if s.allSatisfy(middle) {
      if endsMayBeEmpty { return true }
      if let last = s.last, isAlnum(last), s.count >= 2 { return true }
    }
    // Alternative 2: alnum+ "__" alnum(+ or *), one double underscore and nothing else outside a-z0-9.
    let underscore = UInt8(ascii: "_")
    guard let at = s.firstIndex(of: underscore), at + 1 < s.count, s[at + 1] == underscore else { return false }
    let head = s[..<at]
    let tail = s[(at + 2)...]
    return !head.isEmpty && head.allSatisfy(isAlnum) && tail.allSatisfy(isAlnum) && (endsMayBeEmpty || !tail.isEmpty)
  }

  /// channel.go IsValid: a 40-hex-digit name (gmNameRegex) or two 26-character ids joined by "__".
  private static func isDirectMessageName(_ s: [UInt8]) -> Bool {
    let hex: (UInt8) -> Bool = {
      (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0)
    }
    if s.count == 40 && s.allSatisfy(hex) { return true }
    return s.count == 54 && s[26] == UInt8(ascii: "_") && s[27] == UInt8(ascii: "_")
      && s[..<26].allSatisfy(isAlnum) && s[28...].allSatisfy(isAlnum)
  }
}
