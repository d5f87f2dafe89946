#!/usr/bin/env python3
"""Runs the CI recipes' comment glue (examples/ci) as the CI runner would: bash, curl, jq, and for GitHub
a `gh api` stand-in that sends the same requests with curl. They talk to a loopback stand-in for the
forge's comment API (GitHub issue comments, GitLab merge-request notes) that already holds a comment of
another workflow, a person's comment that starts with roster's marker, and another bot's.

Checked, for each recipe: the first run posts one comment that starts with the marker and holds the plan;
the second run edits that comment in place (no second one); nothing else is touched. Then the merge job's
compare (commit to pull request, the reviewed plan's artifact, jq and cmp of the steps), run with the
reviewed plan fresh (goes on), moved (stops) and missing (stops). `RecipeTests` runs the recipes' roster
commands; this runs the shell around them.

Usage: [ROSTER_BIN=path/to/roster] scripts/recipe_glue_check.py   (exit 1 on any failure; without
ROSTER_BIN the compare's `roster show` on the stop path is stood in for)
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
    # Other GET answers, by path prefix (the compare check's commit, run and artifact lookups).
    files = {}

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
        for prefix, data in self.files.items():
            if self.path.startswith(prefix):
                self.send_response(200)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                return
        if self.server.kind == "compare":  # no such commit, run or artifact: the forge's 404
            self.reply(404, {"message": "404 Not Found"})
            return
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
# `gh api [-X METHOD] PATH [--paginate] [--jq EXPR] [-F body=@FILE]`, sent with curl to $FORGE;
# `gh run list ... --jq EXPR` answers $FORGE/runs through jq; `gh run download RUN --name N --dir D` copies
# $ARTIFACTS/RUN/N/* into D, failing as gh does when there is no such artifact.
set -euo pipefail
if [ "$1 $2" = "run list" ]; then
  expr=; while [ $# -gt 0 ]; do [ "$1" = --jq ] && expr=$2; shift; done
  curl -fsS "$FORGE/runs" | jq -r "$expr"; exit
fi
if [ "$1 $2" = "run download" ]; then
  run=$3 name= dir=; shift 3
  while [ $# -gt 0 ]; do case "$1" in --name) name=$2; shift 2 ;; --dir) dir=$2; shift 2 ;; *) shift ;; esac; done
  [ -d "$ARTIFACTS/$run/$name" ] || { echo "no artifact $name in run $run" >&2; exit 1; }
  mkdir -p "$dir" && cp "$ARTIFACTS/$run/$name"/* "$dir"/; exit
fi
[ "$1" = api ] || { echo "gh stand-in: only 'api' and 'run list|download'" >&2; exit 2; }
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


def compare(recipe, anchor, backwards, expressions, variables, reviewed_name, stage):
    """The merge job's compare: run with the reviewed plan equal to the new one (it must pass), with one
    whose steps differ (it must stop, exit 1), and with no reviewed plan at all (it must stop)."""
    plan = os.path.join(ROOT, "Tests/RosterCoreTests/Snapshots/plan.json")
    current = open(plan, encoding="utf-8").read()
    edited = json.loads(current)
    edited["steps"][0]["username"] = "someone-else"
    failures = []
    for case, reviewed, want in [("fresh", current, 0), ("moved", json.dumps(edited), 1), ("missing", None, 1)]:
        Forge.requests = []
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Forge)
        server.kind, server.bot = "compare", "-"
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}"
        with tempfile.TemporaryDirectory() as work:
            Forge.files = stage(work, url, reviewed)
            stub_dir = os.path.join(work, "bin")
            os.mkdir(stub_dir)
            for name, text in [("gh", GH_STUB), ("roster", ROSTER_STUB)]:
                with open(os.path.join(stub_dir, name), "w") as f:
                    f.write(text)
                os.chmod(os.path.join(stub_dir, name), 0o755)
            with open(os.path.join(work, "plan.json"), "w") as f:
                f.write(current)
            script = run_block(recipe, anchor, backwards)
            for name, value in expressions.items():
                script = script.replace(name, value)
            environment = dict(os.environ, PATH=stub_dir + ":" + os.environ["PATH"], FORGE=url,
                               ARTIFACTS=os.path.join(work, "artifacts"), **variables(url))
            done = subprocess.run(["bash", "-eo", "pipefail", "-c", script], cwd=work, env=environment,
                                  capture_output=True, text=True)
            if done.returncode != want:
                failures.append(f"{case}: exit {done.returncode}, expected {want}: {(done.stdout + done.stderr)[-300:]}")
        server.shutdown()
    print(f"{recipe}: reviewed-plan compare {'ok' if not failures else 'FAIL'} (fresh, moved, missing)")
    for failure in failures:
        print(f"  {failure}")
    return not failures


# roster's own commands in the compare scripts: `plan` is stood in for (plan.json is already there: the
# recipes' roster commands run for real in RecipeTests), `show` runs the real binary when there is one.
ROSTER_STUB = r"""#!/usr/bin/env bash
case "$1" in
  plan) exit 0 ;;
  show) if [ -n "${ROSTER_BIN:-}" ]; then exec "$ROSTER_BIN" "$@"; fi; echo "(plan shown)"; exit 0 ;;
  *) echo "roster stand-in: unexpected $*" >&2; exit 2 ;;
esac
"""


def stage_github(work, url, reviewed):
    if reviewed is not None:
        os.makedirs(os.path.join(work, "artifacts/99/roster-plan-abc123"))
        with open(os.path.join(work, "artifacts/99/roster-plan-abc123/reviewed-plan.json"), "w") as f:
            f.write(reviewed)
    return {"/repos/acme/roster/commits/": b'[{"head":{"sha":"abc123"}}]', "/runs": b'[{"databaseId":99}]'}


def stage_gitlab(work, url, reviewed):
    files = {"/api/v4/projects/42/repository/commits/": b'[{"iid":7}]'}
    if reviewed is not None:
        archive = os.path.join(work, "reviewed-upload.zip")
        with open(os.path.join(work, "reviewed-plan.json"), "w") as f:
            f.write(reviewed)
        subprocess.run(["zip", "-q", "-j", archive, os.path.join(work, "reviewed-plan.json")], check=True)
        os.remove(os.path.join(work, "reviewed-plan.json"))
        files["/api/v4/projects/42/jobs/artifacts/"] = open(archive, "rb").read()
    else:
        files["/api/v4/projects/42/jobs/artifacts/"] = None
    return {k: v for k, v in files.items() if v is not None}


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
    ok &= compare(
        "github-actions.yml", "name: plan again, and compare", False,
        {"${{ github.workflow }}": "roster"},
        lambda url: {"GITHUB_REPOSITORY": "acme/roster", "GITHUB_SHA": "f00", "GH_TOKEN": "x",
                     "ROSTER_STATE": ".roster-state/state.jsonl", "GITHUB_STEP_SUMMARY": "/dev/null"},
        "reviewed-plan.json", stage_github)
    ok &= compare(
        "gitlab-ci.yml", "# The merge request's reviewed plan", True, {},
        lambda url: {"CI_API_V4_URL": url + "/api/v4", "CI_PROJECT_ID": "42", "CI_COMMIT_SHA": "f00",
                     "ROSTER_NOTE_TOKEN": "x"},
        "reviewed-plan.json", stage_gitlab)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
