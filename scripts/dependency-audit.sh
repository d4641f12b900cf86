#!/usr/bin/env bash
# Known vulnerabilities of the locked runtime dependencies (requirements/runtime.txt), by
# pip-audit (dev extra) against the PyPI/OSV vulnerability service.
#
#   scripts/dependency-audit.sh    exit 0: no known vulnerability, or the service unreachable
#                                  (a WARNING line says the audit was SKIPPED); exit 1: found
#
# pip-audit has no offline database: its services (pypi, osv) are web APIs only. So
# BAKEN_VULN_DB (a local OSV dump) cannot be used by it; when set, this script says so and
# audits online as usual.
set -uo pipefail
cd "$(dirname "$0")/.."
pip_audit=${BAKEN_PIP_AUDIT:-.venv/bin/pip-audit}
[ -x "$pip_audit" ] || pip_audit=$(command -v pip-audit) \
  || { echo "dependency-audit: pip-audit not found; run \`make install\`" >&2; exit 2; }
if [ -n "${BAKEN_VULN_DB:-}" ]; then
  echo "dependency-audit: BAKEN_VULN_DB is set, but pip-audit cannot read a local OSV dump; ignored"
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
timeout 120 "$pip_audit" -r requirements/runtime.txt --require-hashes --disable-pip \
  --progress-spinner off --timeout 15 >"$out" 2>&1
rc=$?
cat "$out"
# Offline, pip-audit exits 0 with "Dependency not found on PyPI and could not be audited" for
# every package: that is no audit at all.
if [ $rc -eq 124 ] || grep -q "could not be audited" "$out" \
  || grep -qiE "connection|timed out|max retries" "$out"; then
  echo "WARNING: dependency audit SKIPPED: no vulnerability database was reachable"
  exit 0
fi
if [ $rc -eq 0 ]; then
  echo "dependency-audit: no known vulnerabilities in requirements/runtime.txt"
  exit 0
fi
echo "dependency-audit: pip-audit failed (exit $rc): known vulnerabilities or an error above" >&2
exit 1
