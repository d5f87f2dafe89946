import Foundation
import RosterCore
import Testing

/// A saved plan is read strictly: apply acts on it, so an edited or damaged file must fail to load, with
/// the JSON path of the problem, rather than run with a guessed default.
@Suite struct PlanFileTests {
  /// The renderer's plan (every step kind) as a JSON object to edit.
  static func document() throws -> [String: Any] {
    let text = PlanDocument(plan: RendererTests.plan, server: "http://s", acting: P.admin, requests: 1).json()
    return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
  }

  static func steps(_ document: [String: Any]) -> [[String: Any]] { document["steps"] as? [[String: Any]] ?? [] }

  /// Decodes the document after `edit`; the error's text, or nil when it loaded.
  static func problem(_ edit: (inout [String: Any], inout [[String: Any]]) -> Void) throws -> String? {
    var document = try Self.document()
    var steps = Self.steps(document)
    edit(&document, &steps)
    document["steps"] = steps
    let data = try JSONSerialization.data(withJSONObject: document)
    do {
      _ = try PlanDocument.decode(data)
      return nil
    } catch {
      return error.description
    }
  }

  /// Sets (or, with nil, removes) a key of a step's `change` object.
  static func setChange(_ step: inout [String: Any], _ key: String, _ value: Any?) {
    var change = step["change"] as? [String: Any] ?? [:]
    change[key] = value
    step["change"] = change
  }

  static func position(of kind: String, in steps: [[String: Any]]) -> Int {
    steps.firstIndex { $0["kind"] as? String == kind } ?? -1
  }

  @Test func theUnchangedDocumentLoadsAndEveryKindIsInIt() async throws {
    #expect(try Self.problem { _, _ in } == nil)
    let kinds = Set(Self.steps(try Self.document()).compactMap { $0["kind"] as? String })
    #expect(kinds == Set(StepKind.allCases.map(\.rawValue)))
  }

  /// Version 1 files put a change's keys beside the step's own, with `changes` on every step; they are
  /// still read, to the same steps, and just as strictly.
  @Test func aVersion1FileIsStillRead() throws {
    // Version 1 had the user and token kinds only.
    let v1Plan = RendererTests.usersAndTokens
    let text = PlanDocument(plan: v1Plan, server: "http://s", acting: P.admin, requests: 1).json()
    var document = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    let flat = Self.steps(document).map { step -> [String: Any] in
      var out = step
      out["change"] = nil
      for (key, value) in step["change"] as? [String: Any] ?? [:] { out[key] = value }
      if out["changes"] == nil { out["changes"] = [[String: Any]]() }
      return out
    }
    document["steps"] = flat
    document["format_version"] = "1"
    let old = try PlanDocument.decode(try JSONSerialization.data(withJSONObject: document))
    #expect(old.steps == v1Plan.steps)
    var smuggled = flat
    smuggled[Self.position(of: "deactivate_user", in: flat)]["roles_after"] = ["system_user"]
    document["steps"] = smuggled
    do {
      _ = try PlanDocument.decode(try JSONSerialization.data(withJSONObject: document))
      Issue.record("a version 1 step with another kind's key loaded")
    } catch {
      #expect("\(error)".contains("deactivate_user does not take roles_after"), "\(error)")
    }
    document["format_version"] = "9"
    document["steps"] = flat
    #expect(throws: PlanFileError.self) {
      try PlanDocument.decode(try JSONSerialization.data(withJSONObject: document))
    }
  }

  @Test func aStepWithoutItsPayloadIsRefused() async throws {
    // Once read as `rolesAfter ?? ["system_user"]`: a demotion nobody planned.
    let problem = try Self.problem { _, steps in
      PlanFileTests.setChange(&steps[Self.position(of: "set_roles", in: steps)], "roles_after", nil)
    }
    #expect(problem?.hasSuffix("roles_after: missing") == true, "\(problem ?? "loaded")")
  }

  @Test func aDuplicatedFieldIsRefusedInsteadOfTrapping() async throws {
    let problem = try Self.problem { _, steps in
      let i = Self.position(of: "patch_profile", in: steps)
      var changes = (steps[i]["change"] as? [String: Any])?["changes"] as? [[String: Any]] ?? []
      changes.append(changes[0])
      PlanFileTests.setChange(&steps[i], "changes", changes)
    }
    #expect(problem?.contains("appears twice") == true, "\(problem ?? "loaded")")
  }

  @Test func unknownKeysAreRefusedAtEveryLevel() async throws {
    #expect(try Self.problem { document, _ in document["note"] = "x" }?.contains("unknown key \"note\"") == true)
    #expect(try Self.problem { _, steps in steps[0]["admin"] = true }?.contains("unknown key \"admin\"") == true)
  }

  @Test func aFieldAnotherKindUsesIsRefused() async throws {
    let problem = try Self.problem { _, steps in
      PlanFileTests.setChange(&steps[Self.position(of: "deactivate_user", in: steps)], "roles_after", ["system_user"])
    }
    #expect(problem?.contains("deactivate_user does not take roles_after") == true, "\(problem ?? "loaded")")
  }

  @Test func aPatchCannotSetWhatRosterNeverPatches() async throws {
    let problem = try Self.problem { _, steps in
      let i = Self.position(of: "patch_profile", in: steps)
      PlanFileTests.setChange(&steps[i], "changes", [["field": "password", "new": "x"]])
    }
    #expect(problem?.contains("patch_profile cannot set password") == true, "\(problem ?? "loaded")")
  }

  @Test func indicesAndDependenciesMustLineUp() async throws {
    #expect(try Self.problem { _, steps in steps[1]["index"] = 7 }?.contains("index is 7") == true)
    #expect(try Self.problem { _, steps in steps[0]["depends_on"] = [3] }?.contains("not an earlier step") == true)
  }

  @Test func aStepWithoutAnIDMustFollowItsCreate() async throws {
    let problem = try Self.problem { _, steps in
      let i = Self.position(of: "set_roles", in: steps)
      steps[i]["depends_on"] = []
    }
    #expect(problem?.contains("no user_id and does not depend on creating") == true, "\(problem ?? "loaded")")
    let revoke = try Self.problem { _, steps in
      PlanFileTests.setChange(&steps[Self.position(of: "revoke_token", in: steps)], "token_id", nil)
    }
    #expect(revoke?.hasSuffix("token_id: missing") == true, "\(revoke ?? "loaded")")
  }

  @Test func anUnknownKindIsRefused() async throws {
    let problem = try Self.problem { _, steps in steps[0]["kind"] = "drop_database" }
    #expect(problem?.contains("unknown step kind \"drop_database\"") == true, "\(problem ?? "loaded")")
  }

  @Test func notJSONIsSaidPlainly() {
    do {
      _ = try PlanDocument.decode(Data("{".utf8))
      Issue.record("loaded")
    } catch {
      #expect(error.description.contains("not valid JSON"), "\(error)")
    }
  }

  @Test func aTokenLifetimeOutsideItsRangeIsRefused() throws {
    // Once it overflowed the milliseconds arithmetic at apply time, after other steps had run.
    let problem = try Self.problem { _, steps in
      PlanFileTests.setChange(
        &steps[Self.position(of: "create_token", in: steps)], "expires_in_days", 9_223_372_036_854_775_807)
    }
    #expect(problem?.contains("expires_in_days: must be between 1 and 36500") == true, "\(problem ?? "loaded")")
  }

  @Test func aBacktickWithACombiningMarkCannotCloseACodeSpan() {
    let hostile = "`\u{301} [x](https://evil.example) `\u{301}"
    let span = MarkdownText.code(hostile)
    #expect(span.hasPrefix("``") && span.hasSuffix("``"), "the fence outruns every backtick scalar: \(span)")
    #expect(
      MarkdownText.text(hostile).replacingOccurrences(of: "\u{301}", with: "").contains("\\`"),
      "prose escapes the backtick scalar too")
  }
}

/// A repeated key is read first-wins by Foundation and last-wins by `jq`: a reviewer would see another
/// value than apply runs.
@Suite struct PlanFileDuplicateKeyTests {
  func problem(_ text: String) -> String? {
    do {
      _ = try PlanDocument.decode(Data(text.utf8))
      return nil
    } catch {
      return error.description
    }
  }

  @Test func aRepeatedKeyIsRefusedWithItsPath() throws {
    let document = try PlanFileTests.document()
    let text = String(decoding: try JSONSerialization.data(withJSONObject: document), as: UTF8.self)
    let first = try #require(text.range(of: #""kind":""#))
    let edited = text.replacingCharacters(in: first, with: #""kind":"deactivate_user","kind":""#)
    let found = problem(edited)
    #expect(found?.contains("steps[0].kind: the key appears twice") == true, "\(found ?? "loaded")")
  }

  @Test func aKeyWrittenWithEscapesIsTheSameKey() {
    let found = problem(#"{"format_version":"1","\u0066ormat_version":"2"}"#)
    #expect(found?.hasPrefix("format_version: the key appears twice") == true, "\(found ?? "loaded")")
    #expect(problem(#"{"a":[{"x":1},{"x":2}],"b":{"x":{"x":1}}}"#)?.contains("twice") != true, "siblings differ")
  }

  @Test func theScanIsLinear() {
    let keys = (0..<200_000).map { #""k\#($0)":[1,{"v":"\"}"}]"# }.joined(separator: ",")
    let clock = ContinuousClock()
    let started = clock.now
    let found = problem("{" + keys + #","k7":0}"#)
    #expect(found?.hasPrefix("k7: the key appears twice") == true, "\(found ?? "loaded")")
    // A bound on a hang, not a timing: a quadratic scan took minutes on this input, a linear one well
    // under a second, so a busy CI machine stays far from the bound.
    #expect(clock.now - started < .seconds(60))
  }
}
