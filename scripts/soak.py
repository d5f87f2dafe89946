#!/usr/bin/env python3
"""Soak test: roster apply against a faulty roster-sandbox, round after round of drift.

Each round applies random drift to the server through the Mattermost API (profile edits, role changes,
deactivations, token revocations and toggles, extra tokens, new unlisted users, logins, edits of the
protected user), restarts the sandbox on the same --state file with faults on (5xx, reset after commit,
429, latency; rates drawn per round), runs `roster apply --force --auto-approve --token-output SINK` up
to three times until it exits 0, then restarts it fault-free and checks:

  a) the server equals the manifest: `roster plan --detailed-exitcode` exits 0, and an independent
     comparison of /sandbox/state with the manifest (email, first_name, roles as a set, active, token
     descriptions and active flags; unlisted humans deactivated);
  b) no user created twice: every declared username and email once, ids stable across rounds, the
     expected user count;
  c) no user has two live tokens with one description;
  d) every token roster created has its secret in the sink, equal to the server's;
  e) the acting admin, the protected user and the bot are untouched by apply (all fields but update_at,
     tokens with secrets);
  f) no write outside the plan: before each apply attempt the plan (`roster plan --format json`, on a
     fault-free restart of the same state) is read, and every write in /sandbox/requests of the attempt
     must be a planned step kind for that user (retries allowed; committed creates, revokes, enables and
     disables no more than planned, plus one revoke per token create whose answer was lost).

Loopback only; bounded in rounds, requests per call and time. Prints a results table; exit 1 on any
violation. Binaries: $ROSTER_PRODUCTS (default: .build/debug of this checkout).

Usage: scripts/soak [--rounds 50] [--seed N] [--users 40] [--fault-scale 1] [--parallelism N] [--time-limit SECONDS] [--keep]
                    [--verbose]
"""
import argparse
import collections
import json
import os
import random
import re
import shutil
import sys
import tempfile
import time

import roster_harness as h
from roster_harness import committed, is_write, new_id, read_sink

RETRIED = re.compile(r"^roster: (GET|POST|PUT|DELETE) \S+ (429|5\d\d|no answer\b)")
PASSWORD_VAR = "ROSTER_SOAK_PASSWORD"
CREATED_PASSWORD = "soak-created-Password-1"
DESCRIPTIONS = ["ci", "deploy", "backup", "cli"]
HTTP_TIMEOUT = 30
# plan has no --force: lift its gates so that it shows the plan apply --force runs
GATES_OFF = ["--max-deactivations", "100%", "--max-admin-removals", "100%", "--max-token-revocations", "100%",
             "--max-profile-updates", "100%", "--max-admin-grants", "100%", "--max-privileged-identity-changes",
             "100%", "--max-creates", "100%"]
ROSTER_TIMEOUT = 180


def run_roster(timeout, args, env):
    return h.run_roster(args, env, timeout)


def start_sandbox(workdir, seed_path, state_path, faults=None, fault_seed=1, tag="sandbox"):
    """A sandbox on the shared --state file, with the round's faults."""
    extra = ["--fault-seed", fault_seed]
    for flag, value in (faults or {}).items():
        extra += [flag, value]
    return h.Sandbox(workdir, seed_path, state_path, extra, tag=tag, http_timeout=HTTP_TIMEOUT)


# ---------------------------------------------------------------- seed and manifest


def build_world(rng, n_users):
    """The seed (every id and secret explicit, so a restart from it is identical) and the manifest."""
    seed, declared = [], []
    passwords = {"admin": "soak-admin-password-1", "ops-oncall": "soak-ops-password-1"}
    seed.append({"id": new_id(rng), "username": "admin", "email": "admin@example.com",
                 "password": passwords["admin"], "roles": "system_admin system_user",
                 "first_name": "Acting", "last_name": "Admin",
                 "tokens": [{"id": new_id(rng), "token": new_id(rng), "description": "admin-cli"}]})
    seed.append({"id": new_id(rng), "username": "deploybot", "email": "deploybot@localhost", "is_bot": True,
                 "bot_description": "Deploys things", "roles": "system_user",
                 "tokens": [{"id": new_id(rng), "token": new_id(rng), "description": "bot-ci"}]})
    seed.append({"id": new_id(rng), "username": "ops-oncall", "email": "ops-oncall@example.com",
                 "password": passwords["ops-oncall"], "first_name": "Ops", "roles": "system_user",
                 "tokens": [{"id": new_id(rng), "token": new_id(rng), "description": "pager"}]})
    for i in range(3):  # unlisted humans: roster deactivates them
        seed.append({"id": new_id(rng), "username": f"legacy{i}", "email": f"legacy{i}@example.com",
                     "password": f"legacy-password-{i}", "active": i != 2,
                     "tokens": [{"id": new_id(rng), "token": new_id(rng), "description": "old"}] if i == 0 else []})
    n_admins = max(1, n_users // 15)
    for i in range(n_users):
        name = f"user{i:03d}"
        u = {"username": name, "email": f"{name}@example.com", "first_name": f"First{i}",
             "roles": ["system_user", "system_admin"] if i < n_admins else ["system_user"]}
        if i % 17 == 16:
            u["active"] = False
        if rng.random() < 0.7:
            descs = rng.sample(DESCRIPTIONS, rng.randint(0, 2))
            u["tokens"] = [{"description": d, **({"active": False} if rng.random() < 0.2 else {})} for d in descs]
        declared.append(u)
        if rng.random() < 0.2 and u.get("active", True):
            continue  # roster creates this one (a declared deactivated user is never created)
        s = {"id": new_id(rng), "username": name, "password": f"seed-password-{i}",
             "email": u["email"] if rng.random() < 0.9 else f"{name}.old@example.com",
             "first_name": u["first_name"] if rng.random() < 0.8 else f"Old{i}",
             "roles": " ".join(u["roles"]) if rng.random() < 0.85 else "system_user",
             "active": u.get("active", True) if rng.random() < 0.9 else not u.get("active", True)}
        passwords[name] = s["password"]
        toks = []
        for t in u.get("tokens", []):
            if rng.random() < 0.6:
                toks.append({"id": new_id(rng), "token": new_id(rng), "description": t["description"],
                             "is_active": t.get("active", True) if rng.random() < 0.8 else not t.get("active", True)})
        if rng.random() < 0.25:
            toks.append({"id": new_id(rng), "token": new_id(rng), "description": "stale-laptop"})
        s["tokens"] = toks
        seed.append(s)
    for u in declared:
        passwords.setdefault(u["username"], CREATED_PASSWORD)
    for s in seed:  # timestamps too: a state file that is still the seed must load identically every time
        s["create_at"] = s["update_at"] = 1700000000000
        s["delete_at"] = 0 if s.pop("active", True) else 1700000000000
    manifest = {"settings": {"unmanaged_users": "deactivate", "protected_users": ["ops-oncall"]},
                "users": declared}
    return {"users": seed}, manifest, passwords


def q(s):
    return json.dumps(s)  # a JSON string is a valid YAML double-quoted scalar


def manifest_yaml(manifest, existing=frozenset()):
    """The manifest as a team keeps it: a password only for users still to be created. Roster refuses to
    treat a declaration written to create an account as an update of an account found with another
    email (a squatted name), so create-only keys go once the account exists."""
    out = ["version: 1", "settings:", f"  unmanaged_users: {manifest['settings']['unmanaged_users']}",
           "  protected_users: [" + ", ".join(q(p) for p in manifest["settings"]["protected_users"]) + "]",
           "users:"]
    for u in manifest["users"]:
        out.append(f"  - username: {q(u['username'])}")
        out.append(f"    email: {q(u['email'])}")
        out.append(f"    first_name: {q(u['first_name'])}")
        out.append("    roles: [" + ", ".join(q(r) for r in u["roles"]) + "]")
        if u["username"] not in existing:
            out.append(f"    password: \"${{{PASSWORD_VAR}}}\"")
        if "active" in u:
            out.append(f"    active: {'true' if u['active'] else 'false'}")
        if "tokens" in u:
            if not u["tokens"]:
                out.append("    tokens: []")
            else:
                out.append("    tokens:")
                for t in u["tokens"]:
                    out.append(f"      - description: {q(t['description'])}")
                    if "active" in t:
                        out.append(f"        active: {'true' if t['active'] else 'false'}")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- drift


def drift(sb, rng, rnd, world, counters):
    """Random changes through the API, as people and other tools make them. Returns the action names."""
    state = sb.state()
    by_name = {u["username"]: u for u in state["users"]}
    declared = [u["username"] for u in world["manifest"]["users"] if u["username"] in by_name]
    actions = []
    for i in range(rng.randint(3, 9)):
        kind = rng.choice(["profile", "profile", "roles", "deactivate", "revoke", "toggle_token", "extra_token",
                           "new_user", "login", "login", "protected_edit", "reactivate_unlisted"])
        name = rng.choice(declared)
        u = by_name[name]
        uid = u["id"]
        if kind == "profile":
            if rng.random() < 0.5:
                st, _ = sb.call("PUT", f"/api/v4/users/{uid}/patch", {"first_name": f"Drift{rnd}x{i}"})
            else:
                st, _ = sb.call("PUT", f"/api/v4/users/{uid}/patch", {"email": f"{name}.r{rnd}x{i}@drift.example.org"})
        elif kind == "roles":
            roles = set(u["roles"].split())
            roles ^= {"system_admin"}
            st, _ = sb.call("PUT", f"/api/v4/users/{uid}/roles", {"roles": " ".join(sorted(roles))})
        elif kind == "deactivate":
            st, _ = sb.call("PUT", f"/api/v4/users/{uid}/active", {"active": u["delete_at"] != 0})
        elif kind == "revoke":
            if not u["tokens"]:
                continue
            t = rng.choice(u["tokens"])
            st, _ = sb.call("POST", "/api/v4/users/tokens/revoke", {"token_id": t["id"]})
        elif kind == "toggle_token":
            if not u["tokens"]:
                continue
            t = rng.choice(u["tokens"])
            verb = "disable" if t["is_active"] else "enable"
            st, _ = sb.call("POST", f"/api/v4/users/tokens/{verb}", {"token_id": t["id"]})
        elif kind == "extra_token":
            st, body = sb.call("POST", f"/api/v4/users/{uid}/tokens", {"description": f"drift-{rnd}-{i}"})
            if st == 200:
                world["drift_tokens"].add(body["id"])
        elif kind == "new_user":
            uname = f"zdrift{rnd}x{i}"
            st, body = sb.call("POST", "/api/v4/users", {"username": uname, "email": f"{uname}@drift.example.org",
                                                         "password": "drift-password-1"})
            if st in (200, 201):
                world["drift_users"].add(body["id"])
                world["passwords"][uname] = "drift-password-1"
                if rng.random() < 0.3:
                    sb.call("PUT", f"/api/v4/users/{body['id']}/roles", {"roles": "system_admin system_user"})
                if rng.random() < 0.3:
                    s2, b2 = sb.call("POST", f"/api/v4/users/{body['id']}/tokens", {"description": "personal"})
                    if s2 == 200:
                        world["drift_tokens"].add(b2["id"])
        elif kind == "login":
            active = [n for n in declared if by_name[n]["delete_at"] == 0]
            if not active:
                continue
            name = rng.choice(active)
            st, _ = sb.call("POST", "/api/v4/users/login",
                            {"login_id": name, "password": world["passwords"][name]}, token=None)
        elif kind == "protected_edit":
            pid = by_name["ops-oncall"]["id"]
            st, _ = sb.call("PUT", f"/api/v4/users/{pid}/patch", {"first_name": f"Ops{rnd}x{i}"})
        elif kind == "reactivate_unlisted":
            gone = [x for x in state["users"] if x["delete_at"] != 0 and x["username"].startswith(("zdrift", "legacy"))]
            if not gone:
                continue
            st, _ = sb.call("PUT", f"/api/v4/users/{rng.choice(gone)['id']}/active", {"active": True})
        if st >= 300:
            counters["drift_refused"] += 1
            continue
        actions.append(kind)
        state = sb.state()
        by_name = {x["username"]: x for x in state["users"]}
    return actions


# ---------------------------------------------------------------- invariants

ID = r"([a-z0-9]{26})"
WRITE_ROUTES = [  # (method, path regex, step kinds, has user id)
    ("POST", r"^/api/v4/users$", {"create_user"}, False),
    ("PUT", rf"^/api/v4/users/{ID}/patch$", {"patch_profile", "rename_user"}, True),
    ("PUT", rf"^/api/v4/users/{ID}/roles$", {"set_roles"}, True),
    ("PUT", rf"^/api/v4/users/{ID}/active$", {"reactivate_user", "deactivate_user"}, True),
    ("POST", rf"^/api/v4/users/{ID}/tokens$", {"create_token"}, True),
    ("POST", rf"^/api/v4/users/{ID}/promote$", {"promote_guest"}, True),
    ("POST", rf"^/api/v4/users/{ID}/demote$", {"demote_to_guest"}, True),
    ("POST", r"^/api/v4/users/tokens/revoke$", {"revoke_token"}, False),
    ("POST", r"^/api/v4/users/tokens/enable$", {"enable_token"}, False),
    ("POST", r"^/api/v4/users/tokens/disable$", {"disable_token"}, False),
    ("POST", r"^/api/v4/users/password/reset/send$", {"send_password_reset"}, False),
]


def check_writes_in_plan(plan, entries, before, after, problems, where):
    """(f): every write of one apply attempt is a planned step kind for its user."""
    names = {}
    for st in (before, after):
        for u in st["users"]:
            names[u["id"]] = u["username"]
    kinds_by_user = collections.defaultdict(set)
    kind_count = collections.Counter()
    for step in plan["steps"]:
        kinds_by_user[step["username"]].add(step["kind"])
        kind_count[step["kind"]] += 1
    used, dropped = collections.Counter(), collections.Counter()
    # roster replaces a token whose create was committed but unanswered (create again, revoke the one
    # without a secret in hand): such a revoke is part of the planned create_token
    lost_token_creates = sum(1 for e in entries if is_write(e) and e.get("dropped")
                             and re.match(rf"^/api/v4/users/{ID}/tokens$", e["path"]))
    for e in entries:
        if not is_write(e):
            continue
        for method, pattern, kinds, has_user in WRITE_ROUTES:  # noqa: B007 (used after the break)
            m = re.match(pattern, e["path"])
            if method == e["method"] and m:
                break
        else:
            problems.append(f"{where}: write outside every planned kind: {e['method']} {e['path']} ({e['status']})")
            continue
        if has_user:
            uname = names.get(m.group(1), m.group(1))
            if not kinds & kinds_by_user.get(uname, set()):
                problems.append(f"{where}: {e['method']} {e['path']} ({e['status']}) for {uname}, "
                                f"whose planned steps are {sorted(kinds_by_user.get(uname, set())) or 'none'}")
        elif not kinds & set(kind_count) and not ("revoke_token" in kinds and lost_token_creates):
            problems.append(f"{where}: {e['method']} {e['path']} ({e['status']}) but the plan has no {sorted(kinds)}")
        if not has_user and committed(e):
            kind = next(iter(kinds))
            used[kind] += 1
            dropped[kind] += bool(e.get("dropped"))
    # A committed write whose answer was lost may be sent again: an enable or disable then succeeds
    # twice; a create or a revoke sent again is refused by the server (it exists, it is gone).
    for kind in ("create_user", "enable_token", "disable_token", "send_password_reset"):
        allowed = kind_count[kind] + (dropped[kind] if kind in ("enable_token", "disable_token") else 0)
        if used[kind] > allowed:
            problems.append(f"{where}: {used[kind]} committed {kind} writes ({dropped[kind]} unanswered), "
                            f"{kind_count[kind]} planned")
    if used["revoke_token"] > kind_count["revoke_token"] + lost_token_creates:
        problems.append(f"{where}: {used['revoke_token']} committed revokes, {kind_count['revoke_token']} planned "
                        f"+ {lost_token_creates} token creates whose answer was lost")


def comparable(user):
    u = {k: v for k, v in user.items() if k not in ("update_at", "last_login", "last_activity_at")}
    u["tokens"] = sorted(json.dumps(t, sort_keys=True) for t in user.get("tokens", []))
    return u


def check_state(world, state, problems, where):
    """(a) independent part, (b), (c), (d)."""
    manifest = world["manifest"]
    users = state["users"]
    by_name = collections.defaultdict(list)
    by_email = collections.defaultdict(list)
    for u in users:
        by_name[u["username"]].append(u)
        by_email[u["email"]].append(u)
    declared = {u["username"]: u for u in manifest["users"]}
    protected = set(manifest["settings"]["protected_users"])
    # (b)
    for name, d in declared.items():
        if len(by_name[name]) != 1:
            problems.append(f"{where} (b): {len(by_name[name])} users named {name}")
        if len(by_email[d["email"]]) != 1:
            problems.append(f"{where} (b): {len(by_email[d['email']])} users with email {d['email']}")
        if len(by_name[name]) == 1:
            uid = by_name[name][0]["id"]
            if world["ids"].setdefault(name, uid) != uid:
                problems.append(f"{where} (b): {name} changed id {world['ids'][name]} -> {uid} (created again?)")
    expected = world["seed_user_count"] + world["created_by_roster"] + len(world["drift_users"])
    if len(users) != expected:
        problems.append(f"{where} (b): {len(users)} users on the server, {expected} expected")
    # (a) independent comparison
    for name, d in declared.items():
        if len(by_name[name]) != 1:
            continue
        u = by_name[name][0]
        if u["email"] != d["email"].lower():
            problems.append(f"{where} (a): {name} email {u['email']!r}, manifest {d['email']!r}")
        if u["first_name"] != d["first_name"]:
            problems.append(f"{where} (a): {name} first_name {u['first_name']!r}, manifest {d['first_name']!r}")
        if set(u["roles"].split()) != set(d["roles"]):
            problems.append(f"{where} (a): {name} roles {u['roles']!r}, manifest {d['roles']}")
        if (u["delete_at"] == 0) != d.get("active", True):
            problems.append(f"{where} (a): {name} active={u['delete_at'] == 0}, manifest {d.get('active', True)}")
        if not d.get("active", True):
            # settings.on_deactivate defaults to disable_tokens: an inactive account holds no live token,
            # and its declared tokens are not created until it is active again.
            live = sorted(t["description"] for t in u["tokens"] if t["is_active"])
            if live:
                problems.append(f"{where} (a): {name} is inactive but holds active tokens {live}")
        elif "tokens" in d:
            have = sorted((t["description"], t["is_active"]) for t in u["tokens"])
            want = sorted((t["description"], t.get("active", True)) for t in d["tokens"])
            if have != want:
                problems.append(f"{where} (a): {name} tokens {have}, manifest {want}")
    for u in users:
        if u["username"] in declared or u["username"] in protected or u.get("is_bot") or u["username"] == "admin":
            continue
        if u["delete_at"] == 0:
            problems.append(f"{where} (a): unlisted human {u['username']} is active")
    # (c)
    for u in users:
        counts = collections.Counter(t["description"] for t in u["tokens"])
        for desc, n in counts.items():
            if n > 1:
                problems.append(f"{where} (c): {u['username']} has {n} live tokens described {desc!r}")
    # (d)
    sink, _ = read_sink(world["sink"])
    for u in users:
        for t in u["tokens"]:
            if t["id"] in world["seed_tokens"] or t["id"] in world["drift_tokens"]:
                continue
            recs = sink.get(t["id"])
            if not recs:
                problems.append(f"{where} (d): token {t['id']} ({u['username']}/{t['description']}) "
                                f"created by roster has no secret in the sink")
                continue
            for r in recs:
                if r["token"] != t["token"] or r["username"] != u["username"] or r["description"] != t["description"]:
                    problems.append(f"{where} (d): sink record for {t['id']} differs from the server: "
                                    f"{r['username']}/{r['description']} vs {u['username']}/{t['description']}, "
                                    f"secret {'equal' if r['token'] == t['token'] else 'different'}")
    mode = h.sink_mode_problem(world["sink"], f"{where} (d)")
    if mode:
        problems.append(mode)


# ---------------------------------------------------------------- main


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=50)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--users", type=int, default=40)
    ap.add_argument("--time-limit", type=float, default=None, help="seconds (default 60 + 40 per round)")
    ap.add_argument("--parallelism", type=int, default=None,
                    help="passed to roster apply (1 makes a run's faults reproducible from --seed)")
    ap.add_argument("--fault-scale", type=float, default=1.0,
                    help="multiply the fault rates (capped at 0.9); at 2 some applies fail and need a re-run")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    if not (1 <= args.rounds <= 1000 and 4 <= args.users <= 500):
        ap.error("--rounds 1..1000, --users 4..500")
    time_limit = args.time_limit or 60 + 40 * args.rounds
    h.require_binaries("soak")

    rng = random.Random(args.seed)
    started = time.time()
    tmp = tempfile.mkdtemp(prefix="roster-soak-")
    h.snapshot_binaries(tmp)
    seed, manifest, passwords = build_world(rng, args.users)
    seed_path, state_path = os.path.join(tmp, "seed.json"), os.path.join(tmp, "state.json")
    manifest_path, sink_path = os.path.join(tmp, "roster.yaml"), os.path.join(tmp, "tokens.jsonl")
    with open(seed_path, "w") as f:
        json.dump(seed, f, indent=1)
    shutil.copy(seed_path, state_path)  # the state file starts as the seed: ids are stable from the start
    with open(manifest_path, "w") as f:
        f.write(manifest_yaml(manifest))
    seed_names = {u["username"] for u in seed["users"]}
    world = {
        "manifest": manifest, "passwords": passwords, "sink": sink_path, "ids": {},
        "seed_tokens": {t["id"] for u in seed["users"] for t in u.get("tokens", [])},
        "drift_tokens": set(), "drift_users": set(), "seed_user_count": len(seed["users"]),
        "created_by_roster": sum(1 for u in manifest["users"] if u["username"] not in seed_names),
    }
    special = ["admin", "ops-oncall", "deploybot"]

    stats = collections.Counter()
    drift_kinds = collections.Counter()
    applies_hist = collections.Counter()
    problems = []
    env = h.roster_env(PASSWORD_VAR, CREATED_PASSWORD)
    sb = None
    parallelism = ["--parallelism", str(args.parallelism)] if args.parallelism else []

    def note(msg):
        if args.verbose:
            print(f"[{time.time() - started:6.1f}s] {msg}", flush=True)

    def start(tag, faults=None, fault_seed=1):
        nonlocal sb
        if sb is not None:
            stats["requests"] += len(sb.log()["requests"])
            stats["script_requests"] += sb.requests_made
            sb.stop()
        sb = start_sandbox(tmp, seed_path, state_path, faults, fault_seed, tag)
        return sb

    try:
        start("clean")
        for rnd in range(1, args.rounds + 1):
            if time.time() - started > time_limit:
                problems.append(f"time limit of {time_limit:.0f} s reached before round {rnd}")
                break
            round_problems = []
            # 1. drift (not in round 1: the seed already differs from the manifest)
            if rnd > 1:
                acts = drift(sb, rng, rnd, world, stats)
                drift_kinds.update(acts)
                stats["drift_actions"] += len(acts)
            before = sb.state()
            with open(manifest_path, "w") as f:
                f.write(manifest_yaml(manifest, {u["username"] for u in before["users"]}))
            before_special = {u["username"]: comparable(u) for u in before["users"] if u["username"] in special}
            # 2. faulty applies, each after a plan read on a fault-free restart of the same state
            scale = args.fault_scale
            faults = {"--fail-rate": round(min(0.9, scale * rng.uniform(0.05, 0.2)), 3),
                      "--reset-after-commit-rate": round(min(0.9, scale * rng.uniform(0.05, 0.2)), 3),
                      "--throttle-rate": round(min(0.9, scale * rng.uniform(0.02, 0.1)), 3),
                      "--latency-ms": rng.randint(0, 10)}
            rcs = []
            for attempt in range(1, 4):
                start("clean")
                pre = sb.state()
                rc, out, err, _ = run_roster(ROSTER_TIMEOUT, ["plan", "-f", manifest_path, "--url", sb.url, "--format", "json",
                                              "--token-output", sink_path] + GATES_OFF, env)
                if rc != 0:
                    round_problems.append(f"round {rnd} attempt {attempt}: fault-free plan exited {rc}: {err.strip()[-400:]}")
                    break
                plan = json.loads(out)
                start("faulty", faults, fault_seed=rng.randrange(1, 2**31))
                rc, out, err, dur = run_roster(ROSTER_TIMEOUT, ["apply", "-f", manifest_path, "--url", sb.url, "--force",
                                                "--auto-approve", "--token-output", sink_path, "--color", "never",
                                                "--verbose"] + parallelism, env)
                # --verbose traces every attempt ("roster: PUT /api/v4/... 503 12ms"); an attempt that met a
                # transient answer (429, 5xx, no answer) is one roster retried or followed with a re-read.
                for line in err.splitlines():
                    m = RETRIED.match(line)
                    if m:
                        stats["retried"] += 1
                log = sb.log()
                entries = log["requests"]
                stats["faults_503"] += sum(1 for e in entries if e["status"] == 503)
                stats["faults_429"] += sum(1 for e in entries if e["status"] == 429)
                stats["faults_dropped"] += sum(1 for e in entries if e.get("dropped"))
                stats["apply_writes"] += log["writes"]
                post = sb.state()
                with open(os.path.join(tmp, f"round{rnd}-attempt{attempt}.json"), "w") as f:
                    json.dump({"plan": plan, "apply_exit": rc, "apply_stderr": err[-4000:], "requests": entries,
                               "faults": faults}, f, indent=1)
                check_writes_in_plan(plan, entries, pre, post, round_problems, f"round {rnd} attempt {attempt} (f)")
                stats["checks"] += 1
                rcs.append(rc)
                note(f"round {rnd} attempt {attempt}: apply exit {rc} in {dur:.1f}s, {len(entries)} requests, "
                     f"{len(plan['steps'])} planned steps")
                if rc not in (0, 4):
                    round_problems.append(f"round {rnd} attempt {attempt}: apply exited {rc}: {err.strip()[-600:]}")
                    break
                if rc == 0:
                    break
            stats["applies"] += len(rcs)
            if rcs and rcs[-1] == 0:
                applies_hist[len(rcs)] += 1
            else:
                applies_hist["no"] += 1
                round_problems.append(f"round {rnd}: apply did not converge within 3 runs (exits {rcs})")
            # 3. fault-free checks
            start("clean")
            rc, out, err, _ = run_roster(ROSTER_TIMEOUT, ["plan", "-f", manifest_path, "--url", sb.url, "--detailed-exitcode",
                                          "--token-output", sink_path, "--color", "never"] + GATES_OFF, env)
            stats["checks"] += 1
            if rc != 0:
                round_problems.append(f"round {rnd} (a): plan --detailed-exitcode exited {rc}:\n{out.strip()[:1500]}")
            after = sb.state()
            check_state(world, after, round_problems, f"round {rnd}")
            stats["checks"] += 4
            after_special = {u["username"]: comparable(u) for u in after["users"] if u["username"] in special}
            for name in special:
                stats["checks"] += 1
                if before_special.get(name) != after_special.get(name):
                    diff = {k for k in set(before_special[name]) | set(after_special[name])
                            if before_special[name].get(k) != after_special[name].get(k)}
                    round_problems.append(f"round {rnd} (e): {name} changed by apply: {sorted(diff)}")
            stats["rounds"] += 1
            if round_problems:
                problems += round_problems
                for p in round_problems:
                    print("VIOLATION " + p, flush=True)
                print(f"stopping after round {rnd}; state, seed, manifest and sink kept in {tmp}", flush=True)
                args.keep = True
                break
            note(f"round {rnd} ok ({len(rcs)} applies)")
    finally:
        if sb is not None:
            try:
                stats["requests"] += len(sb.log()["requests"])
                stats["script_requests"] += sb.requests_made
            except Exception:
                pass
            sb.stop()
    elapsed = time.time() - started

    rows = [
        ("rounds", f"{stats['rounds']} of {args.rounds} (seed {args.seed}, {args.users} users)"),
        ("drift actions", f"{stats['drift_actions']} (" + ", ".join(f"{k} {v}" for k, v in sorted(drift_kinds.items()))
         + f"; {stats['drift_refused']} refused by the server)"),
        ("faults injected", f"{stats['faults_503']} x 503, {stats['faults_429']} x 429, "
                            f"{stats['faults_dropped']} dropped after commit"),
        ("retries", f"{stats['retried']} of roster's attempts met a 429, a 5xx or no answer (each retried, "
                    f"re-read, or reported once its attempts ran out)"),
        ("requests", f"{stats['requests']} served ({stats['apply_writes']} writes by apply, "
                     f"{stats['script_requests']} by this script)"),
        ("applies needed", f"{stats['applies']} in all; 1: {applies_hist[1]}, 2: {applies_hist[2]}, "
                           f"3: {applies_hist[3]}, not converged: {applies_hist['no']}"),
        ("invariant checks", str(stats["checks"])),
        ("violations", str(len(problems))),
        ("time", f"{elapsed:.1f} s"),
    ]
    h.table("soak: roster apply under faults, round after round of drift", rows)
    return h.finish(tmp, args.keep, problems)


if __name__ == "__main__":
    sys.exit(main())
