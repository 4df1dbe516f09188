#!/usr/bin/env bash
# Side-by-side: `astroshield propagate --format null` vs satellite.js 7.1.0 (npm)
# doing the same work — every element set of a catalog at tsince 0:1440:10 min,
# summing |r| — in one run on one machine. Usage: bench/propagate.sh BIN CATALOG [RUNS]
set -euo pipefail
bin=${1:?astroshield binary}; cat=${2:?catalog file}; runs=${3:-3}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

echo "== installing satellite.js@7.1.0 into $work (npm registry)" >&2
(cd "$work" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund satellite.js@7.1.0 >/dev/null)
cat >"$work/prop.mjs" <<'JS'
import { readFileSync } from 'node:fs';
import * as satellite from 'satellite.js';
const lines = readFileSync(process.argv[2], 'utf8').split(/\r?\n/);
const sats = [];
for (let i = 0; i < lines.length; i++) {
  if (lines[i].startsWith('1 ') && i + 1 < lines.length && lines[i + 1].startsWith('2 ')) {
    sats.push(satellite.twoline2satrec(lines[i], lines[i + 1])); i++;
  }
}
let n = 0, e = 0, sum = 0;
for (const rec of sats) {
  for (let t = 0; t <= 1440; t += 10) {
    const pv = satellite.sgp4(rec, t);
    if (!pv || !pv.position || rec.error) { e++; break; }
    const p = pv.position; sum += Math.sqrt(p.x * p.x + p.y * p.y + p.z * p.z); n++;
  }
}
console.log(`propagated ${n} states, ${e} errors, sum_r_km ${sum.toFixed(6)}`);
JS

best() { # best wall seconds of $runs runs of "$@"; prints the command's last output line to stderr
  local b=999999 s e
  for ((i = 0; i < runs; i++)); do
    s=$(date +%s.%N); out=$("$@"); e=$(date +%s.%N)
    b=$(awk -v s="$s" -v e="$e" -v b="$b" 'BEGIN{t=e-s; print (t<b)?t:b}')
  done
  echo "$out" >&2; echo "$b"
}
echo "== $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)" >&2
echo "== node $(node --version), $($bin version)" >&2
js=$(best node "$work/prop.mjs" "$cat")
go_all=$(best "$bin" propagate --tle "$cat" --tsince-min 0:1440:10 --format null)
go_one=$(best "$bin" propagate --tle "$cat" --tsince-min 0:1440:10 --format null --workers 1)
states=$("$bin" propagate --tle "$cat" --tsince-min 0:1440:10 --format null | awk '{print $2}')
printf '%-36s %8s %10s\n' "run (best of $runs, wall incl. parsing)" seconds "ns/state"
for row in "satellite.js 7.1.0 (node, 1 thread):$js" "astroshield (all cores):$go_all" "astroshield (--workers 1):$go_one"; do
  name=${row%%:*}; t=${row##*:}
  printf '%-36s %8.3f %10.0f\n' "$name" "$t" "$(awk -v t="$t" -v n="$states" 'BEGIN{print t*1e9/n}')"
done
printf 'speed-up all cores vs satellite.js: %.2fx\n' "$(awk -v a="$js" -v b="$go_all" 'BEGIN{print a/b}')"
