/// A table of the audit page. Cells hold HTML already escaped by whoever built them (`HTMLTable.text`
/// for every string from the server), so escaping happens in one place per value.
struct HTMLTable {
  struct Column {
    var key: String
    var label: String
    var numeric = false

    /// A column headed by its key unless a label is given.
    init(_ key: String, _ label: String? = nil, numeric: Bool = false) {
      self.key = key
      self.label = label ?? key
      self.numeric = numeric
    }
  }

  struct Cell {
    var html: String
    /// What the script sorts by instead of the text: severity ranks, timestamps, counts.
    var sortValue: Int64?
    /// A `title` attribute (a tooltip): the user id behind a name, the full time behind a date.
    var title: String?

    init(html: String, sortValue: Int64? = nil, title: String? = nil) {
      self.html = html
      self.sortValue = sortValue
      self.title = title
    }

    static func text(_ value: String, title: String? = nil) -> Cell { Cell(html: HTMLText.escape(value), title: title) }
    static func code(_ value: String) -> Cell { Cell(html: "<code>\(HTMLText.escape(value))</code>") }
    static func number(_ value: Int) -> Cell { Cell(html: String(value), sortValue: Int64(value)) }
    static func yes(_ value: Bool) -> Cell { Cell(html: value ? "yes" : "no", sortValue: value ? 1 : 0) }

    static func severity(_ severity: AuditSeverity) -> Cell {
      Cell(
        html: "<span class=\"sev sev-\(severity.rawValue)\">\(severity.rawValue)</span>",
        sortValue: Int64(AuditSeverity.allCases.firstIndex(of: severity) ?? 0))
    }

    /// A date shown as the day, sorted by the instant, the full time on hover; `zero` when unset.
    static func date(_ milliseconds: Int64, zero: String = "") -> Cell {
      guard milliseconds != 0 else { return Cell(html: HTMLText.escape(zero), sortValue: 0) }
      let full = AuditDate.iso8601(milliseconds)
      return Cell(html: String(full.prefix(10)), sortValue: milliseconds, title: full)
    }
  }

  struct Row {
    var severity: AuditSeverity?
    var cells: [Cell]
  }

  var id: String
  var columns: [Column]
  var rows: [Row]
  /// `data` tables take part in sorting and filtering; the summary's table of rules does not filter.
  var interactive = true

  func render() -> String {
    var out = "<table\(interactive ? " class=\"data\"" : "") id=\"\(id)\"><thead><tr>"
    for column in columns {
      let numeric = column.numeric ? " class=\"n\"" : ""
      out += "<th\(numeric)\(interactive ? " data-key=\"\(column.key)\"" : "") scope=\"col\">\(column.label)</th>"
    }
    out += "</tr></thead>\n<tbody>\n"
    for row in rows {
      out += row.severity.map { "<tr data-severity=\"\($0.rawValue)\">" } ?? "<tr>"
      for (cell, column) in zip(row.cells, columns) {
        out += "<td"
        if column.numeric { out += " class=\"n\"" }
        if let value = cell.sortValue { out += " data-v=\"\(value)\"" }
        if let title = cell.title { out += " title=\"\(HTMLText.escape(title))\"" }
        out += ">" + cell.html + "</td>"
      }
      out += "</tr>\n"
    }
    out += "</tbody></table>\n"
    if interactive {
      out += "<p class=\"count\" id=\"\(id)-count\">\(rows.count) row\(rows.count == 1 ? "" : "s")</p>\n"
    }
    return out
  }
}

/// The page's tables, each from the same report the JSON writes.
extension HTMLTable {
  static func findings(_ id: String, _ findings: [AuditFinding]) -> HTMLTable {
    HTMLTable(
      id: id,
      columns: [
        Column("severity"), Column("rule"),
        Column("user"), Column("finding"),
        Column("detail"),
      ],
      rows: findings.map { f in
        Row(
          severity: f.severity,
          cells: [
            .severity(f.severity), .code(f.rule.rawValue), .text(f.username, title: f.userID), .text(f.message),
            .text(AuditCSV.detailText(f.detail)),
          ])
      })
  }

  static func users(_ report: AuditReport) -> HTMLTable {
    var columns = [
      Column("user"), Column("kind"), Column("active"),
      Column("auth", "sign-in"), Column("roles"), Column("mfa", "MFA"),
      Column("tokens", "tokens (active/all)", numeric: true), Column("owner", "bot owner"),
      Column("updated"),
    ]
    if report.withManifest { columns.append(Column("managed", "in manifest")) }
    return HTMLTable(
      id: "users", columns: columns,
      rows: report.users.map { u in
        let kind = u.isBot ? "bot" : u.isRemote ? "remote" : u.isGuest ? "guest" : "human"
        var cells: [Cell] = [
          .text(u.username, title: u.id), .text(kind), .yes(u.active),
          .text(u.isBot ? "tokens only" : u.authService.isEmpty ? "password" : u.authService),
          .code(u.roles.joined(separator: " ")), .yes(u.mfaActive),
          Cell(html: "\(u.tokensActive)/\(u.tokensTotal)", sortValue: Int64(u.tokensActive)), .text(u.owner ?? ""),
          .date(u.updateAt),
        ]
        if report.withManifest { cells.append(.yes(u.inManifest ?? false)) }
        return Row(cells: cells)
      })
  }

  static func tokens(_ report: AuditReport) -> HTMLTable {
    HTMLTable(
      id: "tokens",
      columns: [
        Column("user"), Column("description"),
        Column("id", "token id"), Column("active"),
        Column("expires"), Column("created", "created (roster's record)"),
        Column("age", "age (days)", numeric: true),
      ],
      rows: report.tokens.map { t in
        Row(cells: [
          .text(t.username, title: t.userID), .text(t.description), .code(t.id), .yes(t.isActive),
          .date(t.expiresAt, zero: "never"), .date(t.createdAt ?? 0, zero: "unknown"),
          t.ageDays.map { .number($0) } ?? Cell(html: "unknown", sortValue: -1),
        ])
      })
  }

  static func bots(_ report: AuditReport) -> HTMLTable {
    HTMLTable(
      id: "bots",
      columns: [
        Column("bot"), Column("description"),
        Column("owner"), Column("owner_state", "owner state"),
        Column("active"),
      ],
      rows: report.bots.map { b in
        Row(cells: [
          .text(b.username, title: b.userID), .text(b.description),
          .text(b.ownerUsername ?? b.ownerID, title: b.ownerID),
          .text(b.ownerState.rawValue), .yes(b.active),
        ])
      })
  }
}
