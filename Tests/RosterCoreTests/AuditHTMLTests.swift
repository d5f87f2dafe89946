import RosterCore
import Testing

/// The HTML audit page: nothing a server sends can become markup or script, it loads nothing from
/// anywhere, and it holds the sections a reader needs without JavaScript.
@Suite struct AuditHTMLTests {
  static let now: Int64 = 1_750_000_000_000
  static let hostileName = "<script>alert(1)</script>"
  static let quoteID = "q\"><img src=x onerror=alert(2)>"

  /// A server whose strings all try to break out: a username with a script, a user id with a quote
  /// for the attribute it is written into, a bot description closing the script block, a token
  /// description with both kinds of quote.
  func document(server: String = "https://chat.example.com") -> AuditDocument {
    var hostile = P.user("x", roles: "system_admin system_user")
    hostile.username = Self.hostileName
    hostile.id = Self.quoteID
    var bot = P.user("deploybot", roles: "system_user system_admin", bot: true)
    bot.updateAt = 5
    let live = LiveState(
      users: [P.admin, hostile, bot],
      tokens: [
        LiveToken(id: "tok\"en", userID: hostile.id, description: "it's \"quoted\" & <b>bold</b>", isActive: true)
      ],
      acting: P.admin, readAt: Self.now)
    let report = AuditReport.build(
      AuditInput(
        live: live,
        bots: [
          LiveBot(
            userID: bot.id, username: bot.username, description: "</script><script>alert(3)</script>",
            ownerID: hostile.id)
        ],
        posture: ServerPosture(), tokenCreatedAt: [:], manifest: nil, options: AuditOptions(now: Self.now)))
    return AuditDocument(
      report: report, server: server, acting: P.admin, generatedAt: Self.now, requests: 7,
      coverage: AuditCoverage(read: ["users", "tokens"]))
  }

  func page(server: String = "https://chat.example.com") -> String {
    AuditHTMLRenderer.render(document(server: server))
  }

  /// Every tag of the page outside its style and script: escaped text holds no `<`, so this is exact.
  func tags(_ html: String) -> [Substring] {
    var rest = html
    if let style = rest.firstRange(of: "<style>"), let end = rest.firstRange(of: "</style>") {
      rest = String(rest[..<style.upperBound]) + String(rest[end.lowerBound...])
    }
    if let script = rest.firstRange(of: "<script>"), let end = rest.firstRange(of: "</script>") {
      rest = String(rest[..<script.upperBound]) + String(rest[end.lowerBound...])
    }
    return rest.split(separator: "<").dropFirst().map { $0.prefix { $0 != ">" } }
  }

  func occurrences(_ needle: String, in text: String) -> Int {
    text.ranges(of: needle).count
  }

  @Test func serverStringsAreEscapedInTextAndAttributes() {
    let html = page(server: "https://x.example/\"><script>alert(4)</script>")
    #expect(occurrences("<script", in: html) == 1, "only the page's own script element")
    #expect(occurrences("</script>", in: html) == 1, "no server string closes the script block")
    #expect(!html.contains("<img"), "an attribute value cannot open a tag")
    #expect(!html.contains("<b>bold"))
    #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the hostile username is shown, as text")
    #expect(html.contains("title=\"q&quot;&gt;&lt;img src=x onerror=alert(2)&gt;\""), "the id escaped as an attribute")
    #expect(html.contains("it&#39;s &quot;quoted&quot; &amp; &lt;b&gt;bold&lt;/b&gt;"))
    #expect(html.contains("&lt;/script&gt;&lt;script&gt;alert(3)&lt;/script&gt;"), "the bot description")
    #expect(html.contains("<title>Roster audit of https://x.example/&quot;&gt;&lt;script&gt;"))
  }

  @Test func controlAndBidiCharactersAreShownAsEscapes() {
    #expect(HTMLText.escape("a\u{202E}b\u{0}c") == "a\\u{202E}b\\u{0000}c")
    #expect(HTMLText.escape("plain") == "plain")
  }

  @Test func thePageLoadsNothingFromAnywhere() throws {
    let html = page()
    let withoutServer = html.replacing("https://chat.example.com", with: "")
    #expect(!withoutServer.contains("http://") && !withoutServer.contains("https://"), "no URL but the server's name")
    for tag in tags(html) {
      // Attribute names only: quoted values hold no quote (escaped), so every other piece is outside one.
      let tag = tag.split(separator: "\"", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 0 }
        .map(\.element).joined(separator: "\"\"")
      #expect(!tag.contains("src=") && !tag.contains("href=") && !tag.contains("style="), "\(tag)")
      let name = tag.prefix { $0.isLetter }
      #expect(!["img", "link", "iframe", "object", "embed", "base", "form"].contains(name.lowercased()), "\(tag)")
    }
    #expect(!html.contains("@import") && !html.contains("url("))
    let csp = try #require(html.firstRange(of: "Content-Security-Policy\" content=\""))
    let policy = html[csp.upperBound...].prefix { $0 != "\"" }
    #expect(policy.hasPrefix("default-src 'none'; style-src 'sha256-"))
    #expect(policy.contains("script-src 'sha256-") && !policy.contains("unsafe"))
  }

  @Test func structureReadsWithoutJavaScript() throws {
    let document = document()
    let html = AuditHTMLRenderer.render(document)
    #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
    for id in ["s-summary", "s-privileged", "s-findings", "s-inventory", "s-notes"] {
      #expect(html.contains("<section id=\"\(id)\">"), "\(id)")
    }
    for table in ["privileged", "findings", "users", "tokens", "bots"] {
      #expect(html.contains("<table class=\"data\" id=\"\(table)\">"), "\(table)")
    }
    #expect(html.contains("<div id=\"controls\" hidden>"), "the filter only appears once the script runs")
    let findings = try #require(html.firstRange(of: "<table class=\"data\" id=\"findings\">"))
    let body = html[findings.upperBound...].prefix { _ in true }
    let table = try #require(body.firstRange(of: "</table>").map { body[..<$0.lowerBound] })
    #expect(
      occurrences("<tr data-severity=", in: String(table)) == document.report.findings.count, "one row per finding")
    #expect(table.contains("<tr data-severity=\"high\"><td data-v=\"3\"><span class=\"sev sev-high\">high</span>"))
    #expect(table.contains("<code>bot_with_admin_role</code>"))
    #expect(document.report.count(.high) == 3, "the bot admin, two admins without MFA")
    #expect(html.contains("<b>3</b><span class=\"sev\">high</span>"), "the tally")
  }

  @Test func theStyleAndScriptHashesAreSHA256() {
    #expect(SHA256.base64("") == "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=")
    #expect(SHA256.base64("abc") == "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=")
    // Padding at the block edges (55, 56, 64 bytes) and across several blocks.
    let vectors = [
      (55, "n0OQ+NMMLdkuyfCVtl4rmumwqSWlJY4kHJ8ekQ9zQxg="), (56, "s1Q5pKxvCUi21vnjxq8PX1kM4g8b3nCQ73lwaG7Gc4o="),
      (64, "/+BU/nrgy23GXDr5th1SCfQ5hR20PQulmXM33xVGaOs="), (1000, "Qe3s5C1j6Nm/UVqbppMuHCDLyfWl0TRkWttdsblzfqM="),
    ]
    for (length, digest) in vectors {
      #expect(SHA256.base64(String(repeating: "a", count: length)) == digest, "\(length) bytes")
    }
  }
}
