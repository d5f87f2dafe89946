#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
import ArgumentParser
import RosterCore
import RosterFiles

/// Where apply's words go: standard output, or standard error when standard output carries the token
/// secrets (`--secrets-file -`), so that a pipe receives secrets and nothing else. Written unbuffered,
/// so lines keep their order with progress and prompts.
struct Output: Sendable {
  let toStandardError: Bool
  var colorChoice: ColorChoice = .auto

  var fd: Int32 { toStandardError ? POSIXFile.standardError : POSIXFile.standardOutput }
  var color: Bool { useColor(fd, colorChoice) }

  func print(_ text: String, terminator: String = "\n") {
    POSIXFile.write(fd: fd, text + terminator)
  }
}

/// Writes to standard error, for diagnostics that must not mix with a command's output.
struct StandardError: Sendable {
  /// Raw bytes, for roster's own terminal control (the status line, live progress).
  func write(_ text: String) {
    POSIXFile.write(fd: POSIXFile.standardError, text)
  }

  /// A message line; control characters and bidi overrides in it (from a manifest or a server) are
  /// shown as escapes, never acted on by the terminal.
  func line(_ text: String) {
    write(Display.safe(text) + "\n")
  }
}

/// `--color`: auto is colour only on a terminal and never with NO_COLOR set (https://no-color.org).
enum ColorChoice: String, ExpressibleByArgument, CaseIterable, Sendable {
  case auto, always, never
}

func useColor(_ fd: Int32 = POSIXFile.standardOutput, _ choice: ColorChoice = .auto) -> Bool {
  switch choice {
  case .always: return true
  case .never: return false
  case .auto:
    return ProcessInfo.processInfo.environment["NO_COLOR"].map(\.isEmpty) ?? true && POSIXFile.isTerminal(fd)
  }
}
