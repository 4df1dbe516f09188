#!/usr/bin/env bash
# wrk-read.sh measures the authenticated JSON read (GET /api/v1/objects/25544)
# of a real `astroshield serve` with wrk over loopback, and a plain net/http
# hello-JSON peer in the same run on the same cores.
#
# Usage: bench/wrk-read.sh BINARY [PEER_BINARY]
#   BINARY       astroshield, e.g. built with `go build -o /tmp/as/astroshield .`
#   PEER_BINARY  optional; a program taking a listen address as its only
#                argument and answering every request with a small JSON object
# Environment: SERVER_CPU (default 0) and WRK_CPU (default 1) pin the server
# and wrk with taskset; THREADS (2), CONNS (64), DURATION (10s), RUNS (3);
# CATALOG (the shared 2022 3LE catalog); LOG (server log, default /dev/null).
set -euo pipefail

bin=${1:?usage: bench/wrk-read.sh BINARY [PEER_BINARY]}
peer=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
catalog=${CATALOG:-$here/../../shared/testdata/catalog/full_catalog_3le_2022-07-15.txt}
server_cpu=${SERVER_CPU:-0}
wrk_cpu=${WRK_CPU:-1}
threads=${THREADS:-2}
conns=${CONNS:-64}
duration=${DURATION:-10s}
runs=${RUNS:-3}
log=${LOG:-/dev/null}
addr=127.0.0.1:18080
peer_addr=127.0.0.1:18081
password=bench-password-not-secret

command -v wrk >/dev/null || { echo "wrk-read.sh: wrk not found (apt-get install -y wrk)" >&2; exit 1; }
[ -f "$catalog" ] || { echo "wrk-read.sh: catalog $catalog not found (set CATALOG)" >&2; exit 1; }

data=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$data"
}
trap cleanup EXIT

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); server on CPU $server_cpu, wrk on CPU $wrk_cpu"
echo "$password" | "$bin" users add --data "$data" --username bench --role admin --password-stdin >/dev/null
taskset -c "$server_cpu" "$bin" serve --addr "$addr" --data "$data" 2>"$log" &
server_pid=$!
pids+=($server_pid)
for _ in $(seq 100); do curl -sf "http://$addr/healthz" >/dev/null && break; sleep 0.1; done

token=$(curl -sf "http://$addr/api/v1/auth/login" -H 'Content-Type: application/json' \
	-d "{\"username\":\"bench\",\"password\":\"$password\"}" | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
[ -n "$token" ] || { echo "wrk-read.sh: login failed" >&2; exit 1; }
curl -sf "http://$addr/api/v1/elements" -H "Authorization: Bearer $token" -H 'Content-Type: text/plain' \
	--data-binary @"$catalog" | head -c 200; echo
# The import queues every object for CCDM analysis in the background (its
# writes share the cores); measure once that queue has drained.
t0=$(date +%s)
for _ in $(seq 600); do
	depth=$(curl -sf "http://$addr/metrics" | awk '$1 == "astroshield_ccdm_queue_depth" {print $2}')
	[ "${depth:-0}" = 0 ] && break
	sleep 1
done
echo "background CCDM analysis of the import finished after $(($(date +%s) - t0)) s (queue depth ${depth:-n/a})"
key=$(curl -sf "http://$addr/api/v1/apikeys" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
	-d '{"name":"bench","role":"viewer"}' | sed -n 's/.*"key":"\([^"]*\)".*/\1/p')
curl -sf "http://$addr/api/v1/objects/25544" -H "Authorization: Bearer $token"; echo

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; } # utime + stime

run() { # name pid runs url header...
	local name=$1 pid=$2 n=$3 url=$4; shift 4
	for i in $(seq "$n"); do
		echo "== $name, run $i: taskset -c $wrk_cpu wrk -t$threads -c$conns -d$duration $(echo "$*" | cut -c1-40)... $url"
		local t0 out
		t0=$(cpu_ticks "$pid")
		out=$(taskset -c "$wrk_cpu" wrk -t"$threads" -c"$conns" -d"$duration" "$@" "$url")
		echo "$out" | grep -E 'Requests/sec|Latency|Non-2xx|Socket errors'
		# The server's own CPU per request: robust when other work shares the cores.
		echo "$out" | awk -v ticks=$(($(cpu_ticks "$pid") - t0)) -v hz="$(getconf CLK_TCK)" \
			'/requests in/ {printf "  server CPU: %.1f us/request (%d requests, %.2f s CPU)\n", ticks / hz * 1e6 / $1, $1, ticks / hz}'
	done
}

run "astroshield Bearer JWT" "$server_pid" "$runs" "http://$addr/api/v1/objects/25544" -H "Authorization: Bearer $token"
if [ -n "$key" ]; then
	# API keys are rate-limited per key (50 req/s, burst 100): past the burst
	# this measures how fast the server refuses with 429.
	run "astroshield X-API-Key" "$server_pid" 1 "http://$addr/api/v1/objects/25544" -H "X-API-Key: $key"
fi
if [ -n "$peer" ]; then
	taskset -c "$server_cpu" "$peer" "$peer_addr" &
	peer_pid=$!
	pids+=($peer_pid)
	for _ in $(seq 100); do curl -sf "http://$peer_addr/" >/dev/null && break; sleep 0.1; done
	run "net/http hello-JSON peer" "$peer_pid" "$runs" "http://$peer_addr/"
fi
