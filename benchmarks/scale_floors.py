"""The floors plan_scale.py measures roster against, on the same files in the same run.

- YAML: benchmarks/yaml_event_walk.c, libyaml's event walk over the manifest (what `roster validate`
  cannot do without), built here with cc and the system libyaml.
- JSON: the server's user and token pages, fetched as roster reads them, saved to disk, then read back
  and parsed by orjson (the fastest JSON reader on this machine kind: a complete, validating parser in
  native code that builds every value, where roster's reader skips the fields it does not use), or by
  the standard library's C-accelerated json when orjson is missing. Only the read and parse loop is
  timed (process CPU time), not the interpreter's start.
"""
import http.client
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def build_yaml_walker(work):
    binary = os.path.join(work, "yaml_event_walk")
    subprocess.run(["cc", "-O2", "-o", binary, os.path.join(HERE, "yaml_event_walk.c"), "-lyaml"], check=True)
    return binary


def child_cpu(command):
    """Runs command; returns (exit status, CPU s, peak RSS MB) of that child alone."""
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    return os.waitstatus_to_exitcode(status), usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def yaml_floor(walker, manifest):
    code, cpu, rss = child_cpu([walker, manifest])
    if code != 0:
        sys.exit(f"the libyaml walker failed on {manifest}")
    return cpu, rss


def save_pages(port, token, work, users, tokens, page_size=200):
    """Fetches every user and token page as roster reads them; returns the saved files."""
    conn = http.client.HTTPConnection("127.0.0.1", port)
    paths = []
    for base, count in (("/api/v4/users", users), ("/api/v4/users/tokens", tokens)):
        for page in range(count // page_size + 1):
            conn.request("GET", f"{base}?page={page}&per_page={page_size}",
                         headers={"Authorization": f"Bearer {token}"})
            body = conn.getresponse().read()
            path = os.path.join(work, f"page-{len(paths):05d}.json")
            with open(path, "wb") as f:
                f.write(body)
            paths.append(path)
    conn.close()
    return paths


JSON_WALK = """
import sys, time
try:
    import orjson as reader
except ImportError:
    import json as reader
paths = sys.argv[1:]
started = time.process_time()
for path in paths:
    with open(path, "rb") as f:
        reader.loads(f.read())
print(reader.__name__, time.process_time() - started)
"""


def json_floor(paths):
    """(reader name, CPU s) of reading and parsing every saved page."""
    out = subprocess.run([sys.executable, "-c", JSON_WALK, *paths], check=True, capture_output=True, text=True)
    name, cpu = out.stdout.split()
    return name, float(cpu)


def best(runs, key=lambda r: r):
    """The least of several runs: the one least disturbed by the rest of the machine."""
    return min(runs, key=key)

