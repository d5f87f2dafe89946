#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
import RosterCore

/// The URL given with --url or MM_URL, made into the server's root and kept out of messages' secrets.
extension ServerOptions {
  /// The server's root: without trailing slashes or the `/api/v4` people copy from API docs.
  static func baseURL(_ given: String) -> String {
    var base = given
    while base.hasSuffix("/") { base.removeLast() }
    if base.hasSuffix("/api/v4") { base.removeLast("/api/v4".count) }
    while base.hasSuffix("/") { base.removeLast() }
    return base
  }

  /// Whether the authority part (between `//` and the next `/`, `?` or `#`) has a `user[:password]@`.
  static func hasUserInfo(_ url: String) -> Bool { authority(url)?.contains("@") == true }

  /// The URL with any user name and password replaced by `***`, for messages.
  static func redacted(_ url: String) -> String {
    guard let authority = authority(url), let at = authority.lastIndex(of: "@") else { return url }
    return url.replacingEvery(String(authority), with: "***" + authority[at...])
  }

  private static func authority(_ url: String) -> Substring? {
    guard let start = url.firstRange(of: "//")?.upperBound else { return nil }
    let rest = url[start...]
    return rest.prefix { !"/?#".contains($0) }
  }
}
