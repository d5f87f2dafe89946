import RosterCore
import Testing

/// One address for two users fails an apply halfway (app.user.save.email_exists.app_error), so the
/// loader refuses it; the check finds the first user of each address by position, and with `--only`
/// it is an error only when a targeted user is involved.
@Suite struct DuplicateEmailTests {
  let text = """
    version: 1
    users:
      - username: ann
        email: Same@example.com
      - username: ben
        email: other@example.com
      - username: cat
        email: same@EXAMPLE.com
      - username: dan
        email: same@example.com

    """

  func diagnostics(only: Set<String>?) -> [String] {
    ManifestLoader.load([ManifestFile(name: "m.yaml", bytes: Array(text.utf8))], env: [:], only: only)
      .diagnostics.map(\.description)
  }

  @Test func everyRepeatNamesTheFirstUser() {
    #expect(
      diagnostics(only: nil) == [
        "m.yaml:8:12: error: email same@example.com is declared twice (emails are case-insensitive); the first is at m.yaml:4:12",
        "m.yaml:10:12: error: email same@example.com is declared twice (emails are case-insensitive); the first is at m.yaml:4:12",
      ])
  }

  @Test func withOnlyARepeatIsAnErrorWhenEitherUserIsTargeted() {
    let warning = " (not targeted by --only, so only a warning)"
    let repeated = "email same@example.com is declared twice (emails are case-insensitive); the first is at m.yaml:4:12"
    #expect(
      diagnostics(only: ["ben"]) == [
        "m.yaml:8:12: warning: \(repeated)\(warning)", "m.yaml:10:12: warning: \(repeated)\(warning)",
      ])
    #expect(diagnostics(only: ["ann"]) == ["m.yaml:8:12: error: \(repeated)", "m.yaml:10:12: error: \(repeated)"])
    #expect(
      diagnostics(only: ["dan"]) == ["m.yaml:8:12: warning: \(repeated)\(warning)", "m.yaml:10:12: error: \(repeated)"])
  }
}
