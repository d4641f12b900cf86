#!/usr/bin/env bash
# Wait until Baken's /health/ready answers 200 (at most $2 seconds, default 120), then print its
# body; otherwise print the last body and fail. Usage: deploy/wait-ready.sh URL [SECONDS]
set -euo pipefail
exec python3 - "$1" "${2:-120}" <<'PY'
import sys, time, urllib.error, urllib.request

url, limit = sys.argv[1], float(sys.argv[2])
deadline, body = time.monotonic() + limit, "no answer"
while time.monotonic() < deadline:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            print(response.read().decode())
            sys.exit(0)
    except urllib.error.HTTPError as error:
        body = error.read().decode()
    except OSError as error:
        body = str(error)
    time.sleep(2)
print(body, file=sys.stderr)
sys.exit(1)
PY
