#!/usr/bin/env python3
"""Membership scale benchmark: roster plan and apply of team and channel memberships on a large server.

The server: 100,000 users, 500 teams of 40 channels each (plus each team's town-square and off-topic). The
manifest declares 20,000 users and manages 50 of the teams and their 2,000 channels: each declared user is in
2 or 3 of them with 2 to 4 channels in each (2% of the memberships as admin). The seed holds all of that but
some drift: 400 of the declared team memberships (with their channels) and enough scattered channel
memberships to make `--drift` (default 5,000) memberships to add. The other 80,000 users are each in one of
the 450 unmanaged teams and one of its channels.

Measured, with the release binaries: `roster plan` (requests from the sandbox's request log against the
bound ServerReader+Memberships.swift states, computed from this seed by membership_bound.py, wall time,
peak RSS, CPU), `roster apply` of the drift (write
calls against the one call per membership a per-pair tool makes), and `roster plan` again, which should be
converged (exit 0 with --detailed-exitcode). Figures only, no assertion; targets are printed as ratios. The
table replaces the "Memberships" section of benchmarks/RESULTS.md (the other sections are kept).

Usage: benchmarks/membership_scale.py [--users 100000] [--declared 20000] [--teams 500] [--managed-teams 50]
       [--channels-per-team 40] [--drift 5000] [--bin DIR] [--results FILE] [--keep]
The binaries default to .build-dist/release (what scripts/release ships), then .build/release.
"""

import argparse
import json
import math
import os
import platform
import random
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import roster_harness as harness  # noqa: E402

sys.path.insert(0, os.path.join(ROOT, "benchmarks"))
import results_file  # noqa: E402
from membership_bound import describe, membership_bound, membership_requests, seed_shape  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--users", type=int, default=100_000)
parser.add_argument("--declared", type=int, default=20_000)
parser.add_argument("--teams", type=int, default=500)
parser.add_argument("--managed-teams", type=int, default=50)
parser.add_argument("--channels-per-team", type=int, default=40)
parser.add_argument("--drift", type=int, default=5_000)
parser.add_argument("--bin", default=None)
parser.add_argument("--results", default=os.path.join(ROOT, "benchmarks", "RESULTS.md"))
parser.add_argument("--keep", action="store_true", help="keep the seed, manifest and logs")
args = parser.parse_args()
bin_dir = args.bin or next(
    (os.path.join(ROOT, d) for d in (".build-dist/release", ".build/release") if os.path.exists(os.path.join(ROOT, d, "roster"))),
    None,
)
if bin_dir is None:
    sys.exit("no release binaries: run scripts/release (or swift build -c release) first")
harness.ROSTER, harness.SANDBOX = os.path.join(bin_dir, "roster"), os.path.join(bin_dir, "roster-sandbox")
# No membership target is written down: the wall and memory ratios are against plan_scale.py's targets for a
# plan of 100,000 users. REAL_LATENCY is memberships-server.md's "~30 ms per request" for a real server, to
# project the sequential reads onto one.
TARGET_WALL, TARGET_RSS_MB, REAL_LATENCY, PARALLELISM = 5.0, 250.0, 0.030, 4  # roster's default --parallelism
ADMIN_SHARE, MISSING_TEAMS = 0.02, 400


def team_name(t):
    return f"team-{t + 1:04d}"


def channel_name(t, c):
    return f"{team_name(t)}-ch-{c + 1:04d}"


def user_name(i):
    return f"user{i:06d}"


def declare(rng):
    """Each declared user's teams: {user: {team: (admin, {channel: admin})}}."""
    declared = {}
    for i in range(1, args.declared + 1):
        teams = {}
        for t in sorted(rng.sample(range(args.managed_teams), rng.choice((2, 3)))):
            channels = rng.sample(range(args.channels_per_team), rng.randint(2, 4))
            teams[t] = (rng.random() < ADMIN_SHARE, {c: rng.random() < ADMIN_SHARE for c in sorted(channels)})
        declared[i] = teams
    return declared


def choose_drift(rng, declared):
    """The declared memberships the seed leaves out: whole team memberships (with their channels), then
    scattered channel memberships until `--drift` in all. Returns (missing (user, team), missing (user,
    team, channel), team adds, channel adds)."""
    pairs = [(i, t) for i, teams in declared.items() for t in teams]
    missing_teams = set(rng.sample(pairs, min(MISSING_TEAMS, len(pairs))))
    channel_adds = sum(len(declared[i][t][1]) for i, t in missing_teams)
    room = max(args.drift - len(missing_teams) - channel_adds, 0)
    candidates = [(i, t, c) for i, t in pairs if (i, t) not in missing_teams for c in declared[i][t][1]]
    missing_channels = set(rng.sample(candidates, min(room, len(candidates))))
    return missing_teams, missing_channels, len(missing_teams), channel_adds + len(missing_channels)


def write_inputs(work, rng):
    declared = declare(rng)
    missing_teams, missing_channels, team_adds, channel_adds = choose_drift(rng, declared)
    team_members = {t: [] for t in range(args.teams)}
    channel_members = {}
    for i, teams in declared.items():
        for t, (admin, channels) in teams.items():
            if (i, t) in missing_teams:
                continue
            team_members[t].append({"user": user_name(i), "scheme_admin": admin})
            for c, channel_admin in channels.items():
                if (i, t, c) not in missing_channels:
                    channel_members.setdefault((t, c), []).append({"user": user_name(i), "scheme_admin": channel_admin})
    unmanaged = range(args.managed_teams, args.teams)
    for i in range(args.declared + 1, args.users):
        t = rng.choice(unmanaged)
        team_members[t].append({"user": user_name(i)})
        channel_members.setdefault((t, rng.randrange(args.channels_per_team)), []).append({"user": user_name(i)})
    users = [{"username": "admin", "email": "admin@example.com", "roles": "system_admin system_user"}]
    users += [{"username": user_name(i), "email": f"{user_name(i)}@example.com"} for i in range(1, args.users)]
    seed = {
        "users": users,
        "settings": {"max_users_per_team": args.users, "max_channels_per_team": args.channels_per_team + 10},
        "teams": [{"name": team_name(t), "type": "O", "members": team_members[t]} for t in range(args.teams)],
        "channels": [
            {"team": team_name(t), "name": channel_name(t, c), "members": channel_members.get((t, c), [])}
            for t in range(args.teams)
            for c in range(args.channels_per_team)
        ],
    }
    paths = {"seed": os.path.join(work, "seed.json"), "manifest": os.path.join(work, "roster.yaml")}
    with open(paths["seed"], "w") as f:
        json.dump(seed, f, separators=(",", ":"))
    lines = ["version: 1", "settings:", "  unmanaged_users: ignore", "users:"]
    for i, teams in declared.items():
        lines += [f"  - username: {user_name(i)}", f"    email: {user_name(i)}@example.com", "    teams:"]
        for t, (admin, channels) in teams.items():
            listed = ", ".join(f"{channel_name(t, c)}: [{'admin' if a else ''}]" for c, a in channels.items())
            lines.append(f"      {team_name(t)}: {{roles: [{'admin' if admin else ''}], channels: {{{listed}}}}}")
    with open(paths["manifest"], "w") as f:
        f.write("\n".join(lines) + "\n")
    stats = {
        "shape": seed_shape(declared, team_members, missing_teams, missing_channels, args.managed_teams),
        "team pairs": sum(len(teams) for teams in declared.values()),
        "channel pairs": sum(len(ch) for teams in declared.values() for _, ch in teams.values()),
        "team adds": team_adds,
        "channel adds": channel_adds,
        "live team rows of declared users": sum(len(teams) for teams in declared.values()) - team_adds,
        "admin adds": sum(declared[i][t][0] + sum(declared[i][t][1].values()) for i, t in missing_teams)
        + sum(declared[i][t][1][c] for i, t, c in missing_channels),
    }
    return paths, stats


def run_roster(arguments):
    """Runs roster with the sandbox's admin token; (exit status, wall s, peak RSS MB, CPU s, stderr tail)."""
    env = dict(os.environ, NO_COLOR="1", MM_TOKEN=harness.ADMIN_TOKEN)
    env.pop("MM_URL", None)
    started = time.monotonic()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([harness.ROSTER] + arguments, stdout=subprocess.DEVNULL, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.monotonic() - started
        err.seek(0)
        tail = err.read().decode(errors="replace").strip()[-600:]
    return os.waitstatus_to_exitcode(status), wall, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime, tail


def peak_rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        return next(int(line.split()[1]) / 1024 for line in f if line.startswith("VmHWM:"))


def ratio(value, target):
    return f"{value / target:.2f}x of {target:g}"


rng = random.Random(20261201)
work = tempfile.mkdtemp(prefix="membership-scale-")
started = time.monotonic()
paths, stats = write_inputs(work, rng)
generated = time.monotonic() - started
n_channels = args.teams * (args.channels_per_team + 2)  # with each team's town-square and off-topic
print(
    f"== {args.users:,} users, {args.teams} teams, {n_channels:,} channels; manifest: {args.declared:,} users in "
    f"{args.managed_teams} teams ({args.managed_teams * args.channels_per_team:,} channels), {stats['team pairs']:,} "
    f"team and {stats['channel pairs']:,} channel memberships; drift {stats['team adds']} team + "
    f"{stats['channel adds']:,} channel adds ({stats['admin adds']} as admin); inputs written in {generated:.1f} s, "
    f"seed {os.path.getsize(paths['seed']) / 2**20:.0f} MB, manifest {os.path.getsize(paths['manifest']) / 2**20:.0f} MB; "
    f"binaries from {bin_dir}"
)
started = time.monotonic()
sandbox = harness.Sandbox(work, paths["seed"], http_timeout=300)
seed_time = time.monotonic() - started
print(f"  sandbox: seeded and listening in {seed_time:.1f} s, peak RSS {peak_rss_mb(sandbox.proc.pid):.0f} MB")

# The bound ServerReader+Memberships.swift states, from this seed (membership_bound.py): a plan reads the
# memberships of all U declared users (more than the teams: whole listings), each managed team's R_t = its
# members; an apply reads so once, then re-reads after its writes for the users its steps name. The user
# read is plan_scale.py's bound: ceil(N/200) + 3, no tokens here.
T, C, U, shape = args.teams, n_channels, args.declared, stats["shape"]
user_bound = math.ceil(args.users / 200) + 3
K = {t: args.channels_per_team + 2 for t in range(T)}
after = {t: m + shape["added"][t] for t, m in shape["members"].items()}
managed_before = {t: shape["members"][t] for t in range(args.managed_teams)}
managed_after = {t: after[t] for t in range(args.managed_teams)}
plan_before = membership_bound(T, C, U, shape["members"], managed_before, K)
plan_after = membership_bound(T, C, U, after, managed_after, K)
verify = membership_bound(T, C, shape["step users"], after, shape["step readers"], K)
for when, (n, terms) in (("plan before the apply", plan_before), ("apply's re-read", verify), ("plan after", plan_after)):
    print(f"  membership read bound, {when}: {describe(terms)} = {n:,}")
member_bounds = {
    "plan with drift": plan_before[0],
    "apply the drift": plan_before[0] + verify[0],
    "plan after apply": plan_after[0],
}
bounds = {label: n + user_bound * (2 if label.startswith("apply") else 1) for label, n in member_bounds.items()}

connection = ["--url", sandbox.url, "--max-membership-removals", "100%"]
rows, failed = [], False
for label, command, want in (
    ("plan with drift", ["plan", "-f", paths["manifest"], "--detailed-exitcode"], 2),
    ("apply the drift", ["apply", "-f", paths["manifest"], "--auto-approve"], 0),
    ("plan after apply", ["plan", "-f", paths["manifest"], "--detailed-exitcode"], 0),
):
    sandbox.clear_log()
    code, wall, rss, cpu, err = run_roster(command + connection)
    log = sandbox.log()
    requests, writes, by_route = log["total"], log["writes"], log["by_route"]
    failed |= code != want
    reads, bound = requests - writes, bounds[label]
    member, member_bound = membership_requests(by_route), member_bounds[label]
    rows.append((label, code, reads, bound, member, member_bound, writes, wall, rss, cpu))
    print(
        f"  {label}: exit {code} (want {want}), {reads:,} reads (bound {bound:,}), of them {member:,} for memberships "
        f"(bound {member_bound:,}), {writes:,} writes, {wall:.1f} s ({ratio(wall, TARGET_WALL)} s), "
        f"{rss:.0f} MB ({ratio(rss, TARGET_RSS_MB)} MB), cpu {cpu:.1f} s"
    )
    if code != want:
        print(f"    stderr: {err}")
    if label == "plan with drift":
        listings = {route: by_route.get(f"GET /api/v4/{route}", 0) for route in ("teams", "channels", "config")}
        print(f"    listings: {listings} (stated: {T // 200 + 1}, {C // 200 + 1}, 1)")
        projected = reads * REAL_LATENCY / PARALLELISM / 60
        print(f"    at {REAL_LATENCY * 1000:.0f} ms a request, {PARALLELISM} at a time: {projected:.0f} min")
    if label == "apply the drift":
        for route, n in sorted(by_route.items()):
            if not route.startswith("GET"):
                print(f"    {route}: {n:,}")
        adds = stats["team adds"] + stats["channel adds"]
        apply_writes, apply_adds = writes, adds
        print(f"    writes {writes:,} against {adds:,} for one call per membership: {adds / max(writes, 1):.1f}x fewer")
sandbox_rss = peak_rss_mb(sandbox.proc.pid)
sandbox.stop()
print(f"  sandbox peak RSS over the run: {sandbox_rss:.0f} MB")

lines = [
    "",
    f"Produced by `benchmarks/membership_scale.py` on {time.strftime('%Y-%m-%d')}, {platform.machine()}, "
    f"{os.cpu_count()} cores, binaries from `{os.path.relpath(bin_dir, ROOT)}`, roster-sandbox on the same machine "
    f"(seeded in {seed_time:.0f} s, peak RSS {sandbox_rss:.0f} MB). Server: {args.users:,} users, {args.teams} teams, "
    f"{n_channels:,} channels ({args.channels_per_team} per team plus town-square and off-topic). Manifest: "
    f"{args.declared:,} users in {args.managed_teams} teams and {args.managed_teams * args.channels_per_team:,} of "
    f"their channels, {stats['team pairs']:,} team and {stats['channel pairs']:,} channel memberships. Drift: "
    f"{stats['team adds']} team and {stats['channel adds']:,} channel memberships to add, scattered.",
    "",
    "Read bound: the one ServerReader+Memberships.swift states, computed from the seed by membership_bound.py "
    f"(T={T}, C={C:,}, U={U:,}): {describe(plan_before[1])} = {plan_before[0]:,} membership requests for the plan "
    f"with drift, plus ceil(N/200) + 3 = {user_bound} for the users; the apply reads so, then re-reads the "
    f"{shape['step users']:,} users its steps name ({verify[0]:,}). Before, with one read per user and per user "
    "and team (binaries from 3457284, this script's default scale and seed): plan with drift 70,339 reads, apply 141,078 reads "
    "and 1,974 writes, plan after apply 70,739 reads; the plan took 53.0 s. Writes: one call per membership would be "
    f"{apply_adds:,}; roster made {apply_writes:,} ({apply_adds / max(apply_writes, 1):.1f}x fewer). The apply "
    "re-reads everything after its writes to verify (--no-verify skips it). "
    f"The reads go --parallelism ({PARALLELISM} by default) at a time: "
    f"at {REAL_LATENCY * 1000:.0f} ms a request (memberships-server.md's figure for a real server) the plan would "
    f"take about {projected:.0f} min. No membership target is written down; against plan_scale.py's for 100,000 "
    f"users ({TARGET_WALL:.0f} s, {TARGET_RSS_MB:.0f} MB) the plan is at {rows[0][7] / TARGET_WALL:.1f}x and "
    f"{rows[0][8] / TARGET_RSS_MB:.2f}x.",
    "",
    "| run | exit | reads | read bound | of them memberships | membership bound | writes | wall s | peak RSS MB | CPU s |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
]
for label, code, reads, bound, member, m_bound, writes, wall, rss, cpu in rows:
    lines.append(
        f"| {label} | {code} | {reads:,} | {bound:,} | {member:,} | {m_bound:,} | {writes:,} | {wall:.1f} | {rss:.0f} "
        f"| {cpu:.1f} |"
    )
results_file.replace_section(args.results, "Memberships", lines)
print(f"wrote the Memberships section of {args.results}")
if args.keep:
    print(f"kept: {work}")
else:
    harness.shutil.rmtree(work, ignore_errors=True)
sys.exit(1 if failed else 0)
