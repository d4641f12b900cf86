#!/usr/bin/env bash
# A web scan (wapiti) of a running Baken with the demo region, its findings checked against
# scripts/web-scan-allowlist.toml by scripts/web_scan_check.py (security issue 13).
#
#   scripts/web-scan.sh            exit 0: every finding is on the allow-list (stale entries are
#                                  a warning); exit 1: a new finding, listed; exit 2: no scan
#
# Baken runs as `make run` runs it (migrate, collectstatic, demo region, `baken serve`: uvicorn),
# on a free port of 127.0.0.1, with a fresh BAKEN_VAR_DIR (SQLite, keys, uploads) that is
# removed afterwards. The wapiti modules are the ones that need no outside endpoint (no ssrf,
# no xxe). `-x` (exclude a URL) is not used: it crashes wapiti 3.0.4 on Python 3.11.
#
#   BAKEN_PYTHON         the Python with Baken installed (default .venv/bin/python)
#   BAKEN_WEB_SCAN_TIME         wapiti's --max-scan-time (the crawl) in seconds (default 480)
#   BAKEN_WEB_SCAN_ATTACK_TIME  wapiti's --max-attack-time (each module) in seconds (default 60)
#   BAKEN_WEB_SCAN_OUT          keep the JSON report there, and wapiti's log as ….log
#                               (default: both removed with the temp dir)
set -euo pipefail
cd "$(dirname "$0")/.."
python=${BAKEN_PYTHON:-.venv/bin/python}
scan_time=${BAKEN_WEB_SCAN_TIME:-480}
attack_time=${BAKEN_WEB_SCAN_ATTACK_TIME:-60}
modules=backup,blindsql,cookieflags,crlf,csp,csrf,exec,file,htaccess,http_headers,methods
modules=$modules,permanentxss,redirect,shellshock,sql,xss
command -v wapiti >/dev/null || { echo "web-scan: wapiti is not installed" >&2; exit 2; }
[ -x "$python" ] || { echo "web-scan: $python not found; run \`make install\`" >&2; exit 2; }

tmp=$(mktemp -d -t baken-web-scan.XXXXXX)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export BAKEN_VAR_DIR="$tmp/var" BAKEN_DEMO_MODE=true
# The scan's thousands of form posts would otherwise meet the rate limits and the login lockout
# (429) after a few tries, and the attacks would test the limit instead of the form behind it.
export LOGIN_FAILURE_LIMIT=100000 ANONYMOUS_REPORTS_PER_HOUR=100000
export RECEIPT_LOOKUPS_PER_HOUR=100000 CHAT_STARTS_PER_HOUR=100000
unset DATABASE_URL DATABASE_URL_FILE REDIS_URL REDIS_URL_FILE BAKEN_PRODUCTION DEBUG || true
mkdir -p "$BAKEN_VAR_DIR"
baken() { "$python" -m baken "$@"; }

started=$(date +%s)
baken migrate --no-input >"$tmp/setup.log" 2>&1 \
  && baken collectstatic --no-input --verbosity 0 >>"$tmp/setup.log" 2>&1 \
  && baken demo >>"$tmp/setup.log" 2>&1 \
  || { cat "$tmp/setup.log" >&2; echo "web-scan: setting up Baken failed" >&2; exit 2; }

port=$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port/"
# Python itself in the background, not through the function: $! must be the server's pid.
"$python" -m baken serve --host 127.0.0.1 --port "$port" >"$tmp/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 60); do
  if "$python" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' \
    "${base}health/live" 2>/dev/null; then
    break
  fi
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.5
done
if ! "$python" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' \
  "${base}health/live" 2>/dev/null; then
  tail -n 40 "$tmp/server.log" >&2
  echo "web-scan: Baken did not become ready on $base" >&2
  exit 2
fi
echo "web-scan: Baken (demo region) on $base, set up in $(($(date +%s) - started)) s"

report=${BAKEN_WEB_SCAN_OUT:-$tmp/report.json}
scan_started=$(date +%s)
# wapiti keeps its session and configuration under $HOME; both go to the temp dir.
# Depth 5: every page is within 3 links of the home page. Deeper, the crawler only posts the
# same forms again (the answer to a receipt look-up or a failed login carries the form anew,
# with a fresh masked CSRF token, so wapiti takes it for a new form), down to depth 40: without
# the limit those copies fill 150 of 250 slots and the attack modules spend their time on them.
# The CSRF token itself is not attacked: any other value is refused with 403 before a view
# runs (tests/test_scanner_findings.py), so those requests would only use up the time limit.
wapiti -u "$base" --scope folder -d 5 --skip csrfmiddlewaretoken -m "$modules" \
  --max-scan-time "$scan_time" --max-attack-time "$attack_time" --flush-session \
  --store-session "$tmp/wapiti-session" --store-config "$tmp/wapiti-config" \
  --no-bugreport -v 1 -f json -o "$report" >"$tmp/wapiti.log" 2>&1 || {
  tail -n 40 "$tmp/wapiti.log" >&2
  echo "web-scan: wapiti failed" >&2
  exit 2
}
echo "web-scan: wapiti ran $(($(date +%s) - scan_started)) s"
[ -z "${BAKEN_WEB_SCAN_OUT:-}" ] || cp "$tmp/wapiti.log" "$report.log"
# What wapiti crawled, where its time limits cut an attack short, and any module that failed.
grep -E "Wapiti found [0-9]+ URLs|time was reached|^\[!\]|Traceback" "$tmp/wapiti.log" \
  | sed 's/^/  wapiti: /' | head -n 30 || true
# Server errors under the scan (wapiti reports those of its attacks as anomalies; these also
# count the crawl's): a warning with the paths, for a look at the traceback in the server log.
errors=$(grep -cE "baken\.requests [A-Z]+ [^ ]+ 5[0-9][0-9] " "$tmp/server.log" || true)
if [ "${errors:-0}" -gt 0 ]; then
  echo "WARNING: web-scan: $errors responses with status 5xx during the scan:"
  grep -oE "baken\.requests [A-Z]+ [^ ?]+[^ ]* 5[0-9][0-9]" "$tmp/server.log" | sort | uniq -c \
    | head -n 20
  [ -z "${BAKEN_WEB_SCAN_OUT:-}" ] || cp "$tmp/server.log" "$report.server.log"
fi
"$python" scripts/web_scan_check.py "$report" --allowlist scripts/web-scan-allowlist.toml
