/// A problem with a YAML file, with the place libyaml (or the reader) found it.
public struct YAMLError: Error, Sendable, Equatable, CustomStringConvertible {
  public var mark: Mark
  public var message: String

  public init(mark: Mark, message: String) {
    self.mark = mark
    self.message = message
  }

  /// The compiler-style line editors and CI annotate: `file:line:col: error: message`.
  public var description: String { "\(mark): error: \(message)" }
}
