#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
import ArgumentParser
import RosterCore
import RosterFiles

/// `audit --format`: each names the files it writes into `--out-dir`.
enum AuditFormat: String, ExpressibleByArgument, CaseIterable {
  case text, json, markdown, csv, html

  static let help = ArgumentHelp(
    "text, json, markdown, csv or html; repeatable with --out-dir (audit.txt, audit.json, audit.md, findings.csv and users.csv, audit.html). csv without --out-dir writes findings.csv only. (default: text)",
    valueName: "format")

  /// The files this format writes, by name, and their contents.
  func files(_ document: AuditDocument) -> [(name: String, text: String)] {
    switch self {
    case .text: [("audit.txt", AuditTextRenderer(color: false).render(document))]
    case .json: [("audit.json", document.json())]
    case .markdown: [("audit.md", AuditMarkdownRenderer.render(document))]
    case .csv: [("findings.csv", AuditCSV.findings(document.report)), ("users.csv", AuditCSV.users(document.report))]
    case .html: [("audit.html", AuditHTMLRenderer.render(document))]
    }
  }
}

extension AuditSeverity: ExpressibleByArgument {}

/// Where the rendered audit goes: one format to standard output or `--out FILE`, or each chosen format
/// into `--out-dir DIR` under its own names.
struct AuditOutput {
  var formats: [AuditFormat]
  var out: String?
  var outDir: String?
  var color: ColorChoice

  func validate() throws {
    if out != nil && outDir != nil { throw ValidationError("Give --out or --out-dir, not both.") }
    if Set(formats).count > 1 && outDir == nil {
      throw ValidationError("Several --format values need --out-dir DIR: each format writes its own files there.")
    }
  }

  func write(_ document: AuditDocument, stderr: StandardError) throws(ConfigurationError) {
    do {
      if let outDir {
        try FileManager.default.createDirectory(atPath: outDir, withIntermediateDirectories: true)
        var names: [String] = []
        for format in uniqueFormats {
          for file in format.files(document) {
            try Data(file.text.utf8).write(
              to: URL(fileURLWithPath: POSIXFile.join(outDir, file.name)), options: .atomic)
            names.append(file.name)
          }
        }
        stderr.line("Wrote \(outDir): \(names.joined(separator: ", ")).")
        return
      }
      let format = formats.first ?? .text
      let text: String
      if format == .text {
        // Colour only on a terminal (and never in a file), as the plan.
        text = AuditTextRenderer(color: out == nil && useColor(POSIXFile.standardOutput, color)).render(document)
      } else {
        text = format.files(document)[0].text
      }
      if let out {
        try Data(text.utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
      } else {
        POSIXFile.write(fd: POSIXFile.standardOutput, text)
      }
    } catch {
      throw ConfigurationError("cannot write the audit: \(ErrorText.describe(error))")
    }
  }

  var uniqueFormats: [AuditFormat] {
    var seen = Set<AuditFormat>()
    return (formats.isEmpty ? [.text] : formats).filter { seen.insert($0).inserted }
  }
}
