import RosterYAML
import Testing

/// A document handed to libyaml piece by piece (`YAMLChunks`): libyaml asks for up to 16 KiB at a time,
/// so a character may be cut by a piece's end, and an error's place must still be exact.
@Suite struct YAMLFeedTests {
  /// Hands out at most `piece` bytes a call, however much room libyaml offers: every character is
  /// cut somewhere for some piece length.
  final class Trickle: YAMLChunks {
    let bytes: [UInt8]
    let piece: Int
    var offset = 0
    init(_ bytes: [UInt8], piece: Int) {
      self.bytes = bytes
      self.piece = piece
    }
    func read(into buffer: UnsafeMutableRawBufferPointer) -> Int? {
      let count = min(piece, buffer.count, bytes.count - offset)
      for i in 0..<count { buffer[i] = bytes[offset + i] }
      offset += count
      return count
    }
    func prefix(_ count: Int) -> [UInt8] { Array(bytes.prefix(count)) }
  }

  /// Never ends: one comment line after another.
  final class Endless: YAMLChunks {
    func read(into buffer: UnsafeMutableRawBufferPointer) -> Int? {
      let line = Array("# more\n".utf8)
      for i in 0..<buffer.count { buffer[i] = line[i % line.count] }
      return buffer.count
    }
    func prefix(_ count: Int) -> [UInt8] { [] }
  }

  final class Broken: YAMLChunks {
    func read(into buffer: UnsafeMutableRawBufferPointer) -> Int? { nil }
    func prefix(_ count: Int) -> [UInt8] { [] }
  }

  func parse(_ chunks: any YAMLChunks) throws(YAMLError) -> Node? {
    try YAMLReader.parse(chunks, file: "t.yaml", streaming: nil) { _ in }
  }

  /// What parsing `chunks` throws; nil when it reads without an error.
  func failure(_ chunks: any YAMLChunks) -> YAMLError? {
    do throws(YAMLError) {
      _ = try parse(chunks)
      return nil
    } catch {
      return error
    }
  }

  @Test func charactersCutBetweenPiecesAreReadWhole() throws {
    let text = "\u{FEFF}a: é€😀x\nb: [\"😀😀\", ü]\n"
    for piece in 1...9 {
      let root = try #require(try parse(Trickle(Array(text.utf8), piece: piece)))
      guard case .mapping(let pairs) = root.kind, case .scalar(let value, _) = pairs[0].value.kind else {
        Issue.record("not a mapping at piece length \(piece)")
        continue
      }
      #expect(value == "é€😀x")
      #expect(pairs[1].key.mark == Mark(file: "t.yaml", line: 2, column: 1))
    }
  }

  @Test func aBadByteIsPlacedTheSameWhateverThePieces() {
    let bytes = Array("a: ok\nb: é€".utf8) + [0xE2, 0x28] + Array("\n".utf8)
    for piece in 1...9 {
      let error = failure(Trickle(bytes, piece: piece))
      #expect(error?.mark == Mark(file: "t.yaml", line: 2, column: 6), "piece length \(piece)")
      #expect(error?.message.hasPrefix("invalid UTF-8 byte 0xE2") == true)
    }
  }

  @Test func aCharacterCutByTheEndOfTheDocumentIsInvalidWhereItStarts() {
    let error = failure(ByteChunks(Array("a: bc".utf8) + [0xF0, 0x9F, 0x98]))
    #expect(error?.mark == Mark(file: "t.yaml", line: 1, column: 6))
    #expect(error?.message.hasPrefix("invalid UTF-8 byte 0xF0") == true)
  }

  /// Past libyaml's first 16 KiB piece: the place comes from the text read again.
  @Test func aBadByteFarIntoALongDocumentIsPlaced() {
    let lines = (0..<2000).map { "k\($0): é value\n" }.joined()
    let bytes = Array(lines.utf8) + Array("last: x".utf8) + [0xFF] + Array("\n".utf8)
    #expect(failure(ByteChunks(bytes))?.mark == Mark(file: "t.yaml", line: 2001, column: 8))
  }

  /// libyaml reads the text before a bad byte first, so the error written first in the file is the one
  /// reported, whichever of the two it is, as when the whole file was checked before it was parsed.
  @Test func theFirstProblemInTheTextIsTheOneReported() throws {
    let syntaxFirst = Array("a: [1, 2\nb: ok\n".utf8) + [0xFF] + Array("\n".utf8)
    let early = try #require(failure(ByteChunks(syntaxFirst)))
    #expect(!early.message.hasPrefix("invalid UTF-8"), "\(early.message)")
    let byteFirst = Array("a: ok".utf8) + [0xFF] + Array("\nb: [1, 2\n".utf8)
    let bad = try #require(failure(ByteChunks(byteFirst)))
    #expect(bad.message.hasPrefix("invalid UTF-8 byte 0xFF"))
    #expect(bad.mark == Mark(file: "t.yaml", line: 1, column: 6))
  }

  /// The limit counts the bytes as stored, a byte order mark included, as a file's size does.
  @Test func theLimitCountsTheByteOrderMark() {
    let bytes = [0xEF, 0xBB, 0xBF] + [UInt8](repeating: UInt8(ascii: "#"), count: YAMLReader.maxBytes - 2)
    #expect(YAMLReader.sizeError(bytes.count, file: "t.yaml") != nil)
    #expect(failure(ByteChunks(bytes))?.message == "file grew past the 16 MiB limit while read")
    #expect(failure(ByteChunks(Array(bytes.dropLast()))) == nil)
  }

  @Test func aDocumentThatGrowsPastTheLimitIsRefused() throws {
    let error = try #require(failure(Endless()))
    #expect(error.message == "file grew past the 16 MiB limit while read")
  }

  @Test func aFailedReadIsAnError() throws {
    let error = try #require(failure(Broken()))
    #expect(error.message == "cannot read the file")
    #expect(error.mark == Mark(file: "t.yaml", line: 1, column: 1))
  }
}
