#!/usr/bin/env python3
"""A deliberately broken or hostile Mattermost stand-in for roster's security tests, on loopback.

Usage: hostile_server.py MODE   (prints "listening on http://127.0.0.1:PORT", then serves)
Modes:
  endless-pages  GET /users ignores ?page= and always answers the same full page; no count
  huge-count     /users/stats/filtered answers a count of 10**15
  huge-body      GET /users/me streams a body far larger than roster's cap
  bad-ids        users whose ids are path tricks ("../../config/patch"); a write to one would show up
  long-page      GET /users answers 50,000 users to a request for 200
  slow-drip      GET /users/me sends headers, then one byte of body every half second, forever
Every request is logged to stderr as "METHOD PATH", so a test can see that nothing was written.
"""
import http.server
import json
import signal
import sys
import time

# The test process starts this with most signals blocked (a mask inherited from its threads), so the
# SIGTERM that stops it would never arrive and the server would outlive the test run.
signal.pthread_sigmask(signal.SIG_UNBLOCK, signal.valid_signals())

MODE = sys.argv[1]
ME = {"id": "admin0000000000000000000000", "username": "admin", "roles": "system_admin system_user", "delete_at": 0}


def user(i, uid=None):
    return {"id": uid or f"u{i:025d}", "username": f"user{i:05d}", "email": f"user{i}@example.com", "delete_at": 0}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send_json(self, body, status=200):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def handle_any(self):
        sys.stderr.write(f"{self.command} {self.path}\n")
        sys.stderr.flush()
        path = self.path.split("?")[0]
        if self.command != "GET":
            return self.send_json({"status": "OK"})
        if path == "/api/v4/users/me":
            if MODE == "slow-drip":
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(10**9))
                self.end_headers()
                try:
                    while True:
                        self.wfile.write(b" ")
                        self.wfile.flush()
                        time.sleep(0.5)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                return
            if MODE == "huge-body":
                chunk = b"x" * (1 << 20)
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(chunk) * 200))
                self.end_headers()
                try:
                    for _ in range(200):
                        self.wfile.write(chunk)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                return
            return self.send_json(ME)
        if path == "/api/v4/users/stats/filtered":
            if MODE == "huge-count":
                return self.send_json({"total_users_count": 10**15})
            return self.send_json({"message": "not here"}, 404)
        if path == "/api/v4/users":
            if MODE == "bad-ids":
                return self.send_json([ME, user(1, "../../config/patch")])
            if MODE == "long-page":
                return self.send_json([ME] + [user(i) for i in range(1, 50_000)])
            return self.send_json([ME] + [user(i) for i in range(1, 200)])
        if path.startswith("/api/v4/users/tokens"):
            return self.send_json([])
        return self.send_json({"id": "api.context.404.app_error", "message": "not found"}, 404)

    do_GET = do_POST = do_PUT = do_DELETE = handle_any


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(f"listening on http://127.0.0.1:{server.server_address[1]}", flush=True)
server.serve_forever()
