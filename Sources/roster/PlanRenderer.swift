import ArgumentParser
import RosterCore

/// `--format` of `plan` and `show`. Both print through `PlanRenderer`, so a format either works the
/// same in both or is refused by both when the arguments are parsed.
enum PlanFormat: String, ExpressibleByArgument, CaseIterable {
  /// The plan as a person reads it in a terminal or a CI log.
  case text
  /// The plan document, for scripts (the same shape a saved plan has).
  case json
  /// A pull-request comment.
  case markdown
  /// text, then the plan's errors and warnings as GitHub Actions annotations.
  case github

  static let help = ArgumentHelp("text, json, markdown or github (text plus GitHub Actions annotations).")
}

/// The one place a format becomes the printed plan (as terraform's renderPlan): plan and show differ
/// only in where the document comes from, a fresh read of the server or a saved file.
struct PlanRenderer {
  var format: PlanFormat
  var color: Bool
  /// `plan --quiet`: only errors, gates and the summary, for text and github.
  var quiet = false

  /// The rendering of `document`, ending with a line break as it is written out.
  func render(_ document: PlanDocument) -> String {
    let plan = document.plan
    switch format {
    case .text:
      return text(plan, requests: document.requestCount)
    case .github:
      return text(plan, requests: document.requestCount)
        + plan.notes.map { GitHubAnnotation.line($0) + "\n" }.joined()
    case .json:
      return document.json()
    case .markdown:
      return PlanMarkdownRenderer.render(
        plan, requests: document.requestCount, server: document.server, acting: document.acting?.username)
    }
  }

  private func text(_ plan: Plan, requests: Int?) -> String {
    let renderer = PlanTextRenderer(color: color)
    return quiet ? renderer.renderQuiet(plan) : renderer.render(plan, requests: requests)
  }
}
