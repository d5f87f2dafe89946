"""What the reliability scripts (scripts/soak, scripts/kill, scripts/client-compat) share: the binaries
under test, a roster-sandbox process on loopback and its test-only API, running roster, the request log
and the token sink. Standard library only: client_compat.py imports it from inside its own venv.
"""

import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PRODUCTS = os.environ.get("ROSTER_PRODUCTS", os.path.join(ROOT, ".build", "debug"))
ROSTER = os.path.join(PRODUCTS, "roster")
SANDBOX = os.path.join(PRODUCTS, "roster-sandbox")
ADMIN_TOKEN = "rostersandboxadmintoken000"
ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
# POSTs that read (a login, lookups by ids and names, a token search): not writes in a request log.
READ_POSTS = {"/api/v4/users/login", "/api/v4/users/ids", "/api/v4/users/usernames", "/api/v4/users/tokens/search"}


def require_binaries(script):
    """Exits with a hint when roster or roster-sandbox is missing."""
    for binary in (ROSTER, SANDBOX):
        if not os.access(binary, os.X_OK):
            sys.exit(f"{script}: {binary} not found (set ROSTER_PRODUCTS)")


def snapshot_binaries(tmp):
    """Copies roster and roster-sandbox into tmp and uses the copies from then on: a rebuild of
    ROSTER_PRODUCTS during a long run then changes nothing under it."""
    global ROSTER, SANDBOX
    os.makedirs(os.path.join(tmp, "bin"))
    for _ in range(10):
        copies = []
        for binary in (ROSTER, SANDBOX):
            dest = os.path.join(tmp, "bin", os.path.basename(binary))
            shutil.copy2(binary, dest)
            copies.append(dest)
        try:
            ok = all(subprocess.run([c, "--help"], capture_output=True, timeout=30).returncode == 0 for c in copies)
        except (OSError, subprocess.TimeoutExpired):
            ok = False
        if ok:
            ROSTER, SANDBOX = copies
            return
        time.sleep(3)  # a build was writing them: try again
    sys.exit("could not take a working copy of the binaries in " + PRODUCTS)


def new_id(rng):
    """A 26-character id in the server's alphabet."""
    return "".join(rng.choice(ALPHABET) for _ in range(26))


class Sandbox:
    """One roster-sandbox process on 127.0.0.1 (port 0), started from a seed, optionally with a --state
    file and further flags; its stdout banner gives the URL, its stderr goes to WORKDIR/TAG.stderr."""

    live = []  # every sandbox started and not yet stopped, so that an error never leaves one running

    def __init__(self, workdir, seed_path, state_path=None, extra=(), tag="sandbox", http_timeout=10):
        args = [SANDBOX, "--port", "0", "--seed", seed_path]
        if state_path:
            args += ["--state", state_path]
        args += [str(a) for a in extra]
        self.http_timeout = http_timeout
        self.requests_made = 0
        self.errlog = open(os.path.join(workdir, f"{tag}.stderr"), "ab")
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=self.errlog, text=True)
        Sandbox.live.append(self)
        self.url = None
        deadline = time.time() + 20
        while time.time() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            m = re.search(r"listening on (http://127\.0\.0\.1:(\d+))", line)
            if m:
                self.url, self.port = m.group(1), int(m.group(2))
            if line.startswith("admin token:"):
                break
        if self.url is None:
            self.stop()
            raise RuntimeError("roster-sandbox did not start: " + " ".join(args))

    def kill(self):
        """SIGKILL, as a crash would; stop() still has to close the pipes."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self.proc.stdout.close()
        self.errlog.close()
        if self in Sandbox.live:
            Sandbox.live.remove(self)

    def call(self, method, path, body=None, token=ADMIN_TOKEN, timeout=None):
        """One request on a fresh connection; (status, parsed JSON or text)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout or self.http_timeout)
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = "Bearer " + token
        try:
            conn.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
            resp = conn.getresponse()
            raw = resp.read()
        finally:
            conn.close()
        self.requests_made += 1
        try:
            return resp.status, json.loads(raw) if raw else None
        except ValueError:
            return resp.status, raw.decode("utf-8", "replace")

    def get(self, path):
        """A GET of the test-only API (no token), which must answer 200."""
        status, body = self.call("GET", path, token=None)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}")
        return body

    def state(self):
        return self.get("/sandbox/state")

    def log(self):
        return self.get("/sandbox/requests")

    def clear_log(self):
        self.call("POST", "/sandbox/requests/clear", token=None)


def stop_all():
    for sb in list(Sandbox.live):
        sb.stop()


def roster_env(password_var, password):
    """The environment roster runs with: the sandbox's admin token, no colour, no inherited server, and
    the password variable the scripts' manifests name."""
    env = dict(os.environ, MM_TOKEN=ADMIN_TOKEN, NO_COLOR="1")
    env[password_var] = password
    env.pop("MM_URL", None)
    return env


def run_roster(args, env, timeout=120):
    """Runs roster to the end; (exit status, stdout, stderr, seconds), status 124 on a timeout."""
    started = time.time()
    try:
        p = subprocess.run([ROSTER] + args, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as e:
        return 124, e.stdout or "", (e.stderr or "") + "\n(timed out)", time.time() - started
    return p.returncode, p.stdout, p.stderr, time.time() - started


def is_write(entry):
    """A request-log entry that asks the server to change something."""
    return entry["method"] != "GET" and entry["path"] not in READ_POSTS


def committed(entry):
    """A write the server applied: a dropped answer keeps its real status."""
    return entry["status"] < 400


def read_sink(path, problems=None, where=""):
    """The token sink: ({token_id: [records with a secret]}, every line in order). A line that is not
    JSON is reported into problems when given, else raises."""
    records, lines = {}, []
    if not os.path.exists(path):
        return records, lines
    with open(path) as f:
        for line in f:
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except ValueError:
                if problems is None:
                    raise
                problems.append(f"{where}: sink line is not JSON: {line[:80]!r}")
                continue
            lines.append(rec)
            if "token" in rec:
                records.setdefault(rec["token_id"], []).append(rec)
    return records, lines


def sink_mode_problem(path, where):
    """The sink holds secrets: it must be the owner's alone (0600)."""
    if os.path.exists(path) and os.stat(path).st_mode & 0o777 != 0o600:
        return f"{where}: sink mode {oct(os.stat(path).st_mode & 0o777)}"
    return None


def table(title, rows):
    """A two-column results table under a title."""
    width = max(len(r[0]) for r in rows)
    print(title)
    print("-" * width + "-+-" + "-" * 60)
    for k, v in rows:
        print(f"{k:<{width}} | {v}")


def finish(tmp, keep, problems):
    """Keeps the run's directory when asked (or after a violation), else removes it; the exit status."""
    if keep:
        print(f"kept: {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if problems else 0
