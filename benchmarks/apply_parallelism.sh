#!/usr/bin/env bash
# Apply parallelism benchmark: 500 user creates against roster-sandbox with 20 ms latency per call,
# at --parallelism 1 and 8. Prints both wall times and the speed-up against the 5x target.
# Figures only, no assertion: machines are noisy.
set -euo pipefail
cd "$(dirname "$0")/.."
users=${USERS:-500}
swift build -c release --product roster >/dev/null
swift build -c release --product roster-sandbox >/dev/null
bin=.build/release
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
{
  echo "version: 1"
  echo "users:"
  for i in $(seq 1 "$users"); do
    printf '  - username: bench%04d\n    email: bench%04d@example.com\n    password: ${BENCH_PASSWORD}\n' "$i" "$i"
  done
} > "$work/roster.yaml"
export BENCH_PASSWORD=bench-password-1

run() {
  local parallelism=$1
  "$bin/roster-sandbox" --port 0 --latency-ms 20 > "$work/sandbox.out" 2>/dev/null &
  local pid=$!
  local url=""
  for _ in $(seq 1 100); do
    url=$(grep -o 'http://[0-9.:]*' "$work/sandbox.out" || true)
    [ -n "$url" ] && break
    sleep 0.1
  done
  local start end
  start=$(date +%s.%N)
  "$bin/roster" apply -f "$work/roster.yaml" --url "$url" --token rostersandboxadmintoken000 \
    --auto-approve --no-verify --parallelism "$parallelism" > /dev/null
  end=$(date +%s.%N)
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  python3 -c "print(f'{$end - $start:.2f}')"
}

serial=$(run 1)
parallel=$(run 8)
python3 - "$users" "$serial" "$parallel" <<'PY'
import sys
users, serial, parallel = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
ratio = serial / parallel
print(f"{users} creates, 20 ms latency: --parallelism 1: {serial:.2f} s, --parallelism 8: {parallel:.2f} s")
print(f"speed-up: {ratio:.2f}x (target >= 5x: {ratio / 5:.2f} of target)")
PY
