#!/usr/bin/env python3
"""Scale benchmark: roster validate, plan and audit at 10,000 and 100,000 users, 20% of them holding a token.

For each size it seeds a roster-sandbox, writes a matching manifest and one with 5% drift (changed first
names), and measures `roster validate`, `roster plan` converged, `roster plan` with drift and `roster audit -f`
(JSON and HTML from one read, the page's size noted): requests (from
the sandbox's request log), wall time, peak resident memory and CPU time of the roster process. Each figure
is printed next to its target, as a ratio of the budget; the table replaces the "Scale figures" section of
benchmarks/RESULTS.md (the other sections are kept).
Figures only, no assertion: machines are noisy. Exit status is 1 only if a run fails outright.

Usage: benchmarks/plan_scale.py [--sizes 10000,100000] [--bin DIR] [--results FILE] [--section TITLE]
The binaries default to .build-dist/release (what scripts/release ships), then .build/release. A run that is
not the reference one (other binaries, fewer sizes) should name its own --section, so the reference stays.
"""
import argparse
import http.client
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import results_file  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--sizes", default="10000,100000")
parser.add_argument("--bin", default=None)
parser.add_argument("--results", default="benchmarks/RESULTS.md")
parser.add_argument("--section", default="Scale figures", help="the RESULTS.md section this run replaces")
args = parser.parse_args()
sizes = [int(s) for s in args.sizes.split(",")]
bin_dir = args.bin or next(
    (d for d in (".build-dist/release", ".build/release") if os.path.exists(f"{d}/roster")), None)
if bin_dir is None:
    sys.exit("no release binaries: run scripts/release (or swift build -c release) first")
ADMIN_TOKEN = "rostersandboxadmintoken000"
TARGET_WALL, TARGET_RSS_MB, TARGET_RATIO, TARGET_VALIDATE = 5.0, 250.0, 12.0, 2.0


def write_inputs(n, work):
    """A seed of n users (admin first), every fifth with one token, and two manifests for it."""
    seed, declared, drifted = [], [], []
    seed.append({"username": "admin", "email": "admin@example.com", "roles": "system_admin system_user"})
    tokens = 0
    for i in range(1, n):
        name = f"user{i:06d}"
        user = {"username": name, "email": f"{name}@example.com", "first_name": f"First{i}",
                "last_name": "Last", "position": "Engineer"}
        entry = [f"  - username: {name}", f"    email: {name}@example.com", f"    first_name: First{i}",
                 "    last_name: Last", "    position: Engineer"]
        if i % 5 == 0:
            user["tokens"] = [{"description": "ci"}]
            entry += ["    tokens:", "      - description: ci"]
            tokens += 1
        seed.append(user)
        declared.append("\n".join(entry))
        if i % 20 == 0:  # 5% drift: the manifest wants another first name
            entry = [line.replace(f"first_name: First{i}", f"first_name: Renamed{i}") for line in entry]
        drifted.append("\n".join(entry))
    head = "version: 1\nsettings:\n  unmanaged_users: ignore\nusers:\n"
    paths = {k: os.path.join(work, f"{k}.{'json' if k == 'seed' else 'yaml'}") for k in ("seed", "same", "drift")}
    with open(paths["seed"], "w") as f:
        json.dump({"users": seed}, f)
    for key, entries in (("same", declared), ("drift", drifted)):
        with open(paths[key], "w") as f:
            f.write(head + "\n".join(entries) + "\n")
    return paths, tokens


def start_sandbox(seed):
    proc = subprocess.Popen([f"{bin_dir}/roster-sandbox", "--port", "0", "--seed", seed],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    for line in proc.stdout:
        if "listening on" in line:
            return proc, int(line.rsplit(":", 1)[1])
    sys.exit("roster-sandbox did not start")


def inspect(port, method, path):
    conn = http.client.HTTPConnection("127.0.0.1", port)
    conn.request(method, "/sandbox" + path)
    body = conn.getresponse().read()
    conn.close()
    return json.loads(body) if body else {}


def run_roster(arguments, env_extra=None):
    """Runs roster; returns (exit status, wall s, peak RSS MB, CPU s)."""
    env = dict(os.environ, NO_COLOR="1", **(env_extra or {}))
    started = time.monotonic()
    proc = subprocess.Popen([f"{bin_dir}/roster"] + arguments, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - started
    err = proc.stderr.read().decode(errors="replace")
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 2):
        print(f"  roster {' '.join(arguments[:2])} exited {code}: {err.strip()[:500]}")
    return code, wall, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def ratio(value, target):
    return f"{value / target:.2f}x of target"


rows, walls, pages, failed = [], {}, {}, False
for n in sizes:
    with tempfile.TemporaryDirectory() as work:
        paths, t = write_inputs(n, work)
        sandbox, port = start_sandbox(paths["seed"])
        connection = ["--url", f"http://127.0.0.1:{port}", "--token", ADMIN_TOKEN]
        bound = math.ceil(n / 200) + math.ceil(t / 200) + 3
        print(f"== {n} users, {t} tokens (read bound {bound} requests), binaries from {bin_dir}")

        code, wall, rss, cpu = run_roster(["validate", "-f", paths["same"]])
        failed |= code != 0
        rows.append((n, "validate", code, "-", wall, rss, cpu))
        print(f"  validate: exit {code}, {wall:.2f} s ({ratio(wall, TARGET_VALIDATE)} {TARGET_VALIDATE:.0f} s), "
              f"{rss:.0f} MB, cpu {cpu:.2f} s")

        for label, manifest, want in (("plan converged", "same", 0), ("plan 5% drift", "drift", 2)):
            inspect(port, "POST", "/requests/clear")
            code, wall, rss, cpu = run_roster(["plan", "-f", paths[manifest], "--detailed-exitcode"] + connection)
            failed |= code != want
            requests = inspect(port, "GET", "/requests").get("total", -1)
            rows.append((n, label, code, requests, wall, rss, cpu))
            walls[(n, label)] = wall
            print(f"  {label}: exit {code} (want {want}), {requests} requests ({ratio(requests, bound)} bound {bound}), "
                  f"{wall:.2f} s ({ratio(wall, TARGET_WALL)} {TARGET_WALL:.0f} s), "
                  f"{rss:.0f} MB ({ratio(rss, TARGET_RSS_MB)} {TARGET_RSS_MB:.0f} MB), cpu {cpu:.2f} s")
        # The audit: plan's reads (every token, whatever the manifest), plus GET /config and the bot list.
        inspect(port, "POST", "/requests/clear")
        out = os.path.join(work, "audit")
        audit = ["audit", "-f", paths["same"], "--format", "json", "--format", "html", "--out-dir", out]
        code, wall, rss, cpu = run_roster(audit + connection)
        failed |= code != 0
        requests = inspect(port, "GET", "/requests").get("total", -1)
        html_mb = os.path.getsize(os.path.join(out, "audit.html")) / 1e6 if code == 0 else 0.0
        rows.append((n, "audit -f, json + html", code, requests, wall, rss, cpu))
        walls[(n, "audit")] = wall
        pages[n] = html_mb
        print(f"  audit: exit {code}, {requests} requests (plan's bound {bound} + config + bots), {wall:.2f} s "
              f"({wall / walls[(n, 'plan converged')]:.2f}x plan converged), {rss:.0f} MB, cpu {cpu:.2f} s, "
              f"audit.html {html_mb:.1f} MB")
        sandbox.terminate()
        sandbox.wait()

scaling = []
if len(sizes) >= 2:
    small, large = min(sizes), max(sizes)
    for label in ("plan converged", "plan 5% drift"):
        r = walls[(large, label)] / walls[(small, label)]
        scaling.append((label, r))
        print(f"t({large})/t({small}) for {label}: {r:.1f} (target <= {TARGET_RATIO:.0f}: {ratio(r, TARGET_RATIO)})")

lines = [
    "",
    f"Produced by `benchmarks/plan_scale.py` on {time.strftime('%Y-%m-%d')}, {platform.machine()}, "
    f"{os.cpu_count()} cores, binaries from `{bin_dir}`, roster-sandbox on the same machine. 20% of the users "
    "hold one token; the drifted manifest changes the first name of 5% of them.",
    "",
    f"Targets: plan at 100,000 users within ceil(N/200)+ceil(T/200)+3 requests, under {TARGET_WALL:.0f} s "
    f"wall and {TARGET_RSS_MB:.0f} MB peak RSS; t(100k)/t(10k) at most {TARGET_RATIO:.0f}; validate of "
    f"100,000 users under {TARGET_VALIDATE:.0f} s. The audit: plan's requests plus `GET /config` and the bot "
    "list (ceil(bots/200)+1; no bots here), in a wall time to compare with plan's.",
    "",
    "| users | run | exit | requests | wall s | peak RSS MB | CPU s |",
    "| ---: | --- | ---: | ---: | ---: | ---: | ---: |",
]
for n, label, code, requests, wall, rss, cpu in rows:
    lines.append(f"| {n:,} | {label} | {code} | {requests} | {wall:.2f} | {rss:.0f} | {cpu:.2f} |")
if scaling:
    lines += ["", *[f"- t({max(sizes):,})/t({min(sizes):,}), {label}: {r:.1f}" for label, r in scaling]]
lines += [""] + [
    f"- {n:,} users: audit wall {walls[(n, 'audit')] / walls[(n, 'plan converged')]:.2f}x plan converged's; "
    f"audit.html {pages[n]:.1f} MB"
    for n in sizes
]
results_file.replace_section(args.results, args.section, lines)
print(f"wrote the {args.section} section of {args.results}")
sys.exit(1 if failed else 0)
