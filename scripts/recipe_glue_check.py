#!/usr/bin/env python3
"""Runs the CI recipes' comment glue (examples/ci) as the CI runner would: bash, curl, jq, and for GitHub
a `gh api` stand-in that sends the same requests with curl. They talk to a loopback stand-in for the
forge's comment API (GitHub issue comments, GitLab merge-request notes) that already holds a comment of
another workflow, a person's comment that starts with roster's marker, and another bot's.

Checked, for each recipe: the first run posts one comment that starts with the marker and holds the plan;
the second run edits that comment in place (no second one); nothing else is touched. `RecipeTests` runs
the recipes' roster commands; this runs the shell around them.

Usage: scripts/recipe_glue_check.py   (no binaries needed; exit 1 on any failure)
"""
import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_block(recipe, anchor, backwards):
    """The `run: |` (GitHub) or `- |` (GitLab) script block after (or around) the line holding `anchor`."""
    lines = open(os.path.join(ROOT, "examples/ci", recipe), encoding="utf-8").read().split("\n")
    start = next(i for i, line in enumerate(lines) if anchor in line)
    for i in (range(start, -1, -1) if backwards else range(start, len(lines))):
        if lines[i].rstrip().endswith("|"):
            indent = len(lines[i + 1]) - len(lines[i + 1].lstrip())
            block = []
            for line in lines[i + 1:]:
                if line.strip() and len(line) - len(line.lstrip()) < indent:
                    break
                block.append(line[indent:])
            return "\n".join(block)
    raise SystemExit(f"{recipe}: no script block after {anchor!r}")


class Forge(http.server.BaseHTTPRequestHandler):
    """Comments by id; GET lists them, POST adds one as the job's bot, PATCH/PUT edits one."""
    comments = {}
    author = {}
    requests = []

    def log_message(self, *args):
        pass

    def reply(self, status, value):
        data = json.dumps(value).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def body(self):
        return json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")

    def listing(self):
        kind = self.server.kind
        out = []
        for cid, text in sorted(self.comments.items()):
            who = {"login": self.author[cid]} if kind == "github" else {"username": self.author[cid]}
            out.append({"id": cid, "body": text, ("user" if kind == "github" else "author"): who})
        return out

    def do_GET(self):
        self.requests.append(("GET", self.path))
        self.reply(200, self.listing())

    def do_POST(self):
        self.requests.append(("POST", self.path))
        cid = max(self.comments) + 1
        self.comments[cid] = self.body()["body"]
        self.author[cid] = self.server.bot
        self.reply(201, {"id": cid})

    def do_PATCH(self):
        self.requests.append((self.command, self.path))
        cid = int(self.path.rstrip("/").split("/")[-1].split("?")[0])
        self.comments[cid] = self.body()["body"]
        self.reply(200, {"id": cid})

    do_PUT = do_PATCH


GH_STUB = r"""#!/usr/bin/env bash
# `gh api [-X METHOD] PATH [--paginate] [--jq EXPR] [-F body=@FILE]`, sent with curl to $FORGE.
set -euo pipefail
[ "$1" = api ] || { echo "gh stand-in: only 'api'" >&2; exit 2; }
shift
method=GET jq_expr= body_file= path=
while [ $# -gt 0 ]; do
  case "$1" in
    -X) method=$2; shift 2 ;;
    --paginate) shift ;;
    --jq) jq_expr=$2; shift 2 ;;
    -F) body_file=${2#body=@}; shift 2 ;;
    *) path=$1; shift ;;
  esac
done
if [ -n "$body_file" ]; then
  [ "$method" = GET ] && method=POST
  jq -Rs '{body: .}' "$body_file" | curl -fsS -X "$method" -H "Content-Type: application/json" --data-binary @- "$FORGE/$path"
else
  out=$(curl -fsS -X "$method" "$FORGE/$path")
  if [ -n "$jq_expr" ]; then printf '%s' "$out" | jq -r "$jq_expr"; else printf '%s' "$out"; fi
fi
"""


def check(kind, recipe, anchor, bot, marker, expressions, variables):
    Forge.comments = {
        1: marker.replace(" -->", "-staging -->") + "\nanother workflow's plan",
        2: marker + "\na person quoting the marker",
        3: marker + "\nanother bot's copy",
    }
    Forge.author = {1: bot, 2: "alice", 3: "some-other-bot"}
    Forge.requests = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Forge)
    server.kind, server.bot = kind, bot
    threading.Thread(target=server.serve_forever, daemon=True).start()
    before = dict(Forge.comments)
    failures = []
    with tempfile.TemporaryDirectory() as work:
        stub_dir = os.path.join(work, "bin")
        os.mkdir(stub_dir)
        with open(os.path.join(stub_dir, "gh"), "w") as f:
            f.write(GH_STUB)
        os.chmod(os.path.join(stub_dir, "gh"), 0o755)
        url = f"http://127.0.0.1:{server.server_address[1]}"
        script = run_block(recipe, anchor, backwards=kind == "gitlab")
        for name, value in expressions.items():
            script = script.replace(name, value)
        environment = dict(os.environ, PATH=stub_dir + ":" + os.environ["PATH"], FORGE=url, **variables(url))
        for attempt, plan in enumerate(["first plan", "second plan"]):
            with open(os.path.join(work, "plan.md"), "w") as f:
                f.write(f"### Roster plan\n\n{plan}\n")
            done = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=work, env=environment,
                                  capture_output=True, text=True)
            if done.returncode != 0:
                failures.append(f"run {attempt + 1} exited {done.returncode}: {done.stderr.strip()[:300]}")
                break
            ours = [c for c, text in Forge.comments.items() if c not in before]
            if len(ours) != 1 or not Forge.comments[ours[0]].startswith(marker) or plan not in Forge.comments[ours[0]]:
                failures.append(f"after run {attempt + 1}: new comments {[Forge.comments[c] for c in ours]}")
        for cid, text in before.items():
            if Forge.comments.get(cid) != text:
                failures.append(f"comment {cid} by {Forge.author[cid]} was changed")
        writes = [r for r in Forge.requests if r[0] != "GET"]
        if [m for m, _ in writes] != ["POST", "PATCH" if kind == "github" else "PUT"]:
            failures.append(f"writes {writes}, expected one create then one edit")
    server.shutdown()
    status = "ok" if not failures else "FAIL"
    print(f"{recipe}: comment glue {status} ({len(Forge.requests)} requests)")
    for failure in failures:
        print(f"  {failure}")
    return not failures


def main():
    # GitHub: the ${{ }} expressions are filled in before the script runs; MARKER is its step's env.
    marker = "<!-- roster-plan: roster -->"
    ok = check(
        "github", "github-actions.yml", "name: sticky comment", "github-actions[bot]", marker,
        {"${{ github.workflow }}": "roster", "${{ github.event.pull_request.number }}": "7"},
        lambda url: {"GITHUB_REPOSITORY": "acme/roster", "GH_TOKEN": "x", "MARKER": marker})
    ok &= check(
        "gitlab", "gitlab-ci.yml", 'marker="<!-- roster-plan:', "roster-bot", "<!-- roster-plan: acme/roster -->", {},
        lambda url: {
            "CI_PROJECT_PATH": "acme/roster", "CI_API_V4_URL": url + "/api/v4", "CI_PROJECT_ID": "42",
            "CI_MERGE_REQUEST_IID": "7", "ROSTER_NOTE_TOKEN": "x", "ROSTER_NOTE_USER": "roster-bot"})
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
