#!/usr/bin/env python3
"""Sandbox listing benchmark: 100,000 users and 20,000 tokens, every page of GET /users at per_page=200.

Prints the wall time of the full listing against its 3 s target and the sandbox's resident memory
against its 500 MB target. Figures only: no assertion, since machines are noisy.
Usage: benchmarks/sandbox_list.py [--users N] [--tokens N] [--binary PATH]
"""
import argparse
import http.client
import json
import os
import subprocess
import sys
import tempfile
import time

parser = argparse.ArgumentParser()
parser.add_argument("--users", type=int, default=100_000)
parser.add_argument("--tokens", type=int, default=20_000)
parser.add_argument("--binary", default=".build/release/roster-sandbox")
args = parser.parse_args()

users = [{"username": "admin", "email": "admin@example.com", "roles": "system_admin system_user"}]
for i in range(args.users - 1):
    users.append({"username": f"user{i:06d}", "email": f"user{i:06d}@example.com",
                  "first_name": "First", "last_name": f"Last{i}", "position": "Engineer"})
for t in range(args.tokens):
    users[1 + t % (len(users) - 1)].setdefault("tokens", []).append({"description": f"token-{t}"})

with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as seed:
    json.dump({"users": users}, seed)

started = time.time()
proc = subprocess.Popen([args.binary, "--port", "0", "--seed", seed.name],
                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
port = None
for line in proc.stdout:
    if "listening on" in line:
        port = int(line.rsplit(":", 1)[1])
        break
if port is None:
    sys.exit("roster-sandbox did not start")
print(f"sandbox loaded {args.users} users and {args.tokens} tokens in {time.time() - started:.2f} s")

conn = http.client.HTTPConnection("127.0.0.1", port)
headers = {"Authorization": "Bearer rostersandboxadmintoken000"}
start = time.time()
page, seen, requests = 0, 0, 0
while True:
    conn.request("GET", f"/api/v4/users?page={page}&per_page=200", headers=headers)
    body = conn.getresponse().read()
    requests += 1
    count = body.count(b'"username"')
    seen += count
    if count < 200:
        break
    page += 1
elapsed = time.time() - start

rss_kb = 0
with open(f"/proc/{proc.pid}/status") as status:
    for line in status:
        if line.startswith("VmRSS:"):
            rss_kb = int(line.split()[1])
proc.terminate()
proc.wait()
os.unlink(seed.name)

print(f"listed {seen} users in {requests} requests: {elapsed:.2f} s (target < 3 s: {elapsed / 3:.2f}x of budget)")
print(f"sandbox resident memory: {rss_kb / 1024:.0f} MB (target < 500 MB: {rss_kb / 1024 / 500:.2f}x of budget)")
