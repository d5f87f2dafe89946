/// The audit page's only style and script, inline: the page loads nothing else (no font, image, style
/// or script from anywhere), and its Content-Security-Policy allows these two by hash and nothing more.
/// The script only improves a page that is complete without it: it sorts tables on a header click and
/// filters rows by text and by severity, reading `?filter=`, `?severity=` and `?sort=table:column[:desc]`
/// on load so a link can carry a view (and the browser test can check one).
enum AuditHTMLAssets {
  static let style = """
    :root{color-scheme:light dark;--fg:#1b1f24;--muted:#5b6470;--bg:#fff;--line:#d5dae0;--head:#f3f5f7;\
    --high:#b42318;--medium:#9a6700;--low:#0b6e99;--info:#5b6470}
    @media (prefers-color-scheme:dark){:root{--fg:#e6e8eb;--muted:#9aa4af;--bg:#14171a;--line:#333a42;\
    --head:#1d2227;--high:#ff7b72;--medium:#e3b341;--low:#58a6ff;--info:#9aa4af}}
    body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg);\
    margin:0 auto;padding:1.5rem;max-width:80rem}
    h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.15rem;margin:2rem 0 .5rem;border-bottom:1px solid \
    var(--line);padding-bottom:.25rem}h3{font-size:1rem;margin:1.25rem 0 .4rem}
    .meta,.count,.note{color:var(--muted)}.meta code{color:var(--fg)}
    .tally{display:flex;gap:.75rem;list-style:none;padding:0;margin:.75rem 0;flex-wrap:wrap}
    .tally li{border:1px solid var(--line);border-radius:6px;padding:.4rem .8rem;min-width:5rem}
    .tally b{display:block;font-size:1.4rem}
    table{border-collapse:collapse;width:100%;margin:.25rem 0 .5rem;font-size:13px}
    th,td{border:1px solid var(--line);padding:.3rem .5rem;text-align:left;vertical-align:top}
    th{background:var(--head);white-space:nowrap}td.n,th.n{text-align:right}
    th[data-key]{cursor:pointer}th[aria-sort=ascending]::after{content:" \\25B2"}\
    th[aria-sort=descending]::after{content:" \\25BC"}
    td{overflow-wrap:break-word}td code{white-space:nowrap}#rules{width:auto}code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12px}
    .sev{font-weight:600;text-transform:uppercase;font-size:11px;letter-spacing:.03em}
    .sev-high{color:var(--high)}.sev-medium{color:var(--medium)}.sev-low{color:var(--low)}.sev-info{color:var(--info)}
    #controls{position:sticky;top:0;background:var(--bg);padding:.5rem 0;display:flex;gap:.75rem;\
    align-items:center;border-bottom:1px solid var(--line);z-index:1}
    #controls input{flex:1;max-width:28rem;padding:.3rem .5rem;font:inherit}
    #controls select{padding:.3rem;font:inherit}
    #controls[hidden]{display:none}@media print{#controls{display:none}}
    """

  static let script = """
    (function () {
      "use strict";
      var rank = { info: 0, low: 1, medium: 2, high: 3 };
      var params = new URLSearchParams(location.search);
      var box = document.getElementById("filter");
      var least = document.getElementById("severity");
      var tables = Array.prototype.slice.call(document.querySelectorAll("table.data"));
      document.getElementById("controls").hidden = false;
      box.value = params.get("filter") || "";
      if (rank.hasOwnProperty(params.get("severity"))) least.value = params.get("severity");
      function key(cell) {
        var v = cell.getAttribute("data-v");
        return v === null ? cell.textContent.trim().toLowerCase() : Number(v);
      }
      function sortBy(table, th, descending) {
        var column = th.cellIndex;
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = key(a.cells[column]), y = key(b.cells[column]);
          var order = x < y ? -1 : x > y ? 1 : 0;
          return descending ? -order : order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
        Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) { cell.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", descending ? "descending" : "ascending");
      }
      function apply() {
        var needle = box.value.trim().toLowerCase();
        var floor = rank[least.value] || 0;
        tables.forEach(function (table) {
          var rows = table.tBodies[0].rows, shown = 0;
          for (var i = 0; i < rows.length; i++) {
            var severity = rows[i].getAttribute("data-severity");
            var keep = (!needle || rows[i].textContent.toLowerCase().indexOf(needle) >= 0) &&
              (severity === null || rank[severity] >= floor);
            rows[i].hidden = !keep;
            if (keep) shown++;
          }
          var count = document.getElementById(table.id + "-count");
          if (count) {
            count.textContent = shown === rows.length ? rows.length + " rows" : shown + " of " + rows.length + " rows shown";
          }
        });
        var query = new URLSearchParams(location.search);
        if (needle) query.set("filter", box.value.trim()); else query.delete("filter");
        if (floor) query.set("severity", least.value); else query.delete("severity");
        try { history.replaceState(null, "", "?" + query.toString() + location.hash); } catch (e) {}
      }
      tables.forEach(function (table) {
        Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
          if (!th.hasAttribute("data-key")) return;
          th.tabIndex = 0;
          function toggle() { sortBy(table, th, th.getAttribute("aria-sort") === "ascending"); }
          th.addEventListener("click", toggle);
          th.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); toggle(); } });
        });
      });
      var sort = (params.get("sort") || "").split(":");
      var table = tables.filter(function (t) { return t.id === sort[0]; })[0];
      var th = table && table.tHead.querySelector('th[data-key="' + (sort[1] || "").replace(/[^a-z_]/g, "") + '"]');
      if (th) sortBy(table, th, sort[2] === "desc");
      box.addEventListener("input", apply);
      least.addEventListener("change", apply);
      apply();
    })();
    """
}
