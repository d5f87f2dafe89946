"""The HTML audit report in a real browser. Starts roster-sandbox with the audit end-to-end seed, runs
`roster audit -f MANIFEST --format json --format html --out-dir`, serves the directory from a fixture HTTP
server on loopback, and loads the page in headless Chromium:

- with scripts blocked (as with JavaScript off), the findings, privileged accounts and users/tokens/bots tables hold exactly the
  JSON's rows, in its order, and the filter controls stay hidden (they need the script);
- with JavaScript on, `?severity=`, `?filter=` and `?sort=` (read by the page on load) leave the rows
  the JSON says they should, in the order they should, so sorting and filtering work;
- the page asks the fixture server for nothing but itself;
- a screenshot is taken (and kept with --screenshot PATH: docs/images/audit-report.png is made so).

Without Chromium it says so and exits 0, unless CI is set: in CI a missing browser fails the check.
Usage: python3 scripts/audit_browser_check.py [--screenshot PATH] [--keep]   (ROSTER_PRODUCTS picks the build)
"""

import argparse
import functools
import http.server
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
from html.parser import HTMLParser

import roster_harness as h

FIXTURES = os.path.join(h.ROOT, "Tests", "EndToEndTests", "AuditFixtures")
BOT_TOKEN = "bottokenid0000000000000000"
SHOT = (1200, 1000)  # the window, and so the screenshot, in pixels
PRIVILEGE_RULES = {"system_admin", "delegated_admin", "bot_with_admin_role", "admin_without_mfa"}


class Tables(HTMLParser):
    """The body rows of every `<table id=...>` in a DOM dump: each row's attributes and cells' text."""

    def __init__(self):
        super().__init__()
        self.tables, self.table, self.row, self.cell, self.in_body = {}, None, None, None, False
        self.controls_hidden = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "div" and attrs.get("id") == "controls":
            self.controls_hidden = "hidden" in attrs
        elif tag == "table":
            self.table = self.tables.setdefault(attrs.get("id"), [])
        elif tag == "tbody":
            self.in_body = True
        elif tag == "tr" and self.in_body:
            self.row = {"attrs": attrs, "cells": []}
        elif tag == "td" and self.row is not None:
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "td" and self.cell is not None:
            self.row["cells"].append("".join(self.cell).strip())
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.table.append(self.row)
            self.row = None
        elif tag == "tbody":
            self.in_body = False
        elif tag == "table":
            self.table = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)

    def shown(self, table):
        """The rows of a table the page shows (not hidden by a filter), as lists of cell text."""
        return [r["cells"] for r in self.tables.get(table, []) if "hidden" not in r["attrs"]]


def parse(dom):
    parser = Tables()
    parser.feed(dom)
    return parser


def detail_text(detail):
    """A finding's detail as the page writes it (AuditCSV.detailText): `key=value; ...` in key order."""

    def text(v):
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, list):
            return " ".join(v)
        return "" if v is None else str(v)

    return "; ".join(f"{k}={text(v)}" for k, v in sorted(detail.items()))


def finding_row(f):
    return [f["severity"], f["rule"], f["username"], f["message"], detail_text(f["detail"])]


class Fixture(http.server.SimpleHTTPRequestHandler):
    """Serves the report directory and records every path asked for. `?noscript` adds a header policy
    that blocks every script: the page as a browser with JavaScript off shows it (Chromium's
    --blink-settings=scriptEnabled=false also stops --dump-dom, which runs a script to read the DOM)."""

    requested = []

    def end_headers(self):
        if "noscript" in self.path.partition("?")[2]:
            self.send_header("Content-Security-Policy", "script-src 'none'")
        super().end_headers()

    def log_message(self, *args):
        Fixture.requested.append(self.path)


def chromium_binary():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def chromium(binary, profile, url, *flags):
    args = [binary, "--headless", "--disable-gpu", "--no-sandbox", "--user-data-dir=" + profile]
    args += ["--no-first-run", "--disable-extensions", "--hide-scrollbars", *flags, url]
    p = subprocess.run(args, capture_output=True, text=True, timeout=120)
    if p.returncode != 0:
        raise RuntimeError(f"chromium exited {p.returncode}: {p.stderr[-2000:]}")
    return p.stdout


def run_audit(tmp, out):
    """The audit of the seeded sandbox, as JSON and HTML in `out`; the JSON parsed."""
    secrets = os.path.join(tmp, "secrets.jsonl")
    with open(secrets, "w") as f:
        line = {"username": "adminbot", "description": "deploy", "token_id": BOT_TOKEN, "token": "x"}
        f.write(json.dumps(dict(line, created_at="2020-01-01T00:00:00Z")) + "\n")
    os.chmod(secrets, 0o600)
    sandbox = h.Sandbox(tmp, os.path.join(FIXTURES, "seed.json"))
    try:
        env = dict(os.environ, MM_TOKEN=h.ADMIN_TOKEN, NO_COLOR="1")
        env.pop("MM_URL", None)
        args = ["audit", "-f", os.path.join(FIXTURES, "manifest.yaml"), "--secrets-file", secrets]
        args += ["--format", "json", "--format", "html", "--out-dir", out, "--url", sandbox.url]
        status, _, err, _ = h.run_roster(args, env)
        if status != 0:
            raise RuntimeError(f"roster audit exited {status}: {err}")
    finally:
        sandbox.stop()
    with open(os.path.join(out, "audit.json")) as f:
        return json.load(f)


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    return struct.unpack(">II", head[16:24])


def checks(report, load):
    """Each check as (name, problem or None). `load(query, *flags)` is the page's DOM after Chromium ran it."""
    findings = report["findings"]
    rows = [finding_row(f) for f in findings]
    privileged = [finding_row(f) for f in findings if f["rule"] in PRIVILEGE_RULES]
    inventory = report["inventory"]
    out = []

    def expect(name, got, want):
        out.append((name, None if got == want else f"got {got!r}\n    want {want!r}"))

    static = load("?noscript")
    expect("no script: filter controls stay hidden", static.controls_hidden, True)
    expect("no script: findings table = JSON findings, in order", static.shown("findings"), rows)
    expect("no script: privileged accounts = JSON privilege findings", static.shown("privileged"), privileged)
    expect("no script: users", [r[0] for r in static.shown("users")], [u["username"] for u in inventory["users"]])
    tokens = [(r[0], r[2]) for r in static.shown("tokens")]
    expect("no script: tokens", tokens, [(t["username"], t["id"]) for t in inventory["tokens"]])
    expect("no script: bots", [r[0] for r in static.shown("bots")], [b["username"] for b in inventory["bots"]])

    live = load("")
    expect("script: filter controls shown", live.controls_hidden, False)
    expect("script: nothing filtered by default", live.shown("findings"), rows)

    high = load("?severity=high")
    want = [r for r in rows if r[0] == "high"]
    expect("?severity=high: only high findings", high.shown("findings"), want)
    expect("?severity=high: users untouched", len(high.shown("users")), len(inventory["users"]))

    needle = "orphanbot"
    matched = load("?filter=" + needle)
    want = [r for r in rows if needle in "".join(r).lower()]
    expect("?filter=orphanbot: rows whose text has it", matched.shown("findings"), want)
    out.append(("?filter=orphanbot: a real cut", None if 0 < len(want) < len(rows) else f"{len(want)} rows"))
    want = [r for r in static.shown("users") if needle in "".join(r).lower()]
    expect("?filter=orphanbot: users cut too (the bot)", matched.shown("users"), want)

    by_user = load("?sort=findings:user")
    expect("?sort=findings:user", [r[2] for r in by_user.shown("findings")], sorted((r[2] for r in rows), key=str.lower))
    both = load("?sort=findings:user:desc&severity=medium")
    want = sorted((r for r in rows if r[0] in ("medium", "high")), key=lambda r: r[2].lower(), reverse=True)
    expect("?sort=findings:user:desc&severity=medium", both.shown("findings"), want)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--screenshot", help="keep the screenshot here (a PNG)")
    parser.add_argument("--keep", action="store_true", help="keep the working directory")
    args = parser.parse_args()
    binary = chromium_binary()
    if binary is None:
        if os.environ.get("CI"):
            sys.exit("audit-browser: chromium is missing, and CI requires it (apt-get install -y chromium)")
        print("audit-browser: skipped, chromium is not installed (apt-get install -y chromium)")
        return 0
    h.require_binaries("audit-browser")
    tmp = tempfile.mkdtemp(prefix="roster-audit-browser-")
    out = os.path.join(tmp, "out")
    report = run_audit(tmp, out)
    handler = functools.partial(Fixture, directory=out)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/audit.html"
    profile = os.path.join(tmp, "profile")
    try:
        results = checks(report, lambda query, *flags: parse(chromium(binary, profile, base + query, "--dump-dom", *flags)))
        png = args.screenshot or os.path.join(tmp, "audit-report.png")
        chromium(binary, profile, base, "--screenshot=" + os.path.abspath(png), "--window-size=%d,%d" % SHOT)
        size = png_size(png)
        results.append((f"screenshot is a {SHOT[0]}x{SHOT[1]} PNG", None if size == SHOT else f"{png}: {size}"))
    finally:
        server.shutdown()
    strays = [p for p in Fixture.requested if not p.startswith("/audit.html") and p != "/favicon.ico"]
    results.append(("the page asked for nothing but itself", "; ".join(strays) or None))
    problems = [(name, p) for name, p in results if p]
    h.table(f"audit HTML in {os.path.basename(binary)}", [(name, p or "ok") for name, p in results])
    return h.finish(tmp, args.keep or bool(problems), problems)


if __name__ == "__main__":
    sys.exit(main())
