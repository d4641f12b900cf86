#!/bin/sh
# The image's entrypoint: one image, three roles (docs/deploy.md).
#
#   web          [BAKEN_MIGRATE_ON_START=true: as setup-database] then baken serve on $PORT
#                with $WEB_WORKERS uvicorn workers and the proxy's X-Forwarded-* trusted
#                from FORWARDED_ALLOW_IPS
#   setup-database  baken migrate; with DATABASE_MIGRATE_URL(_FILE) set, as that (migration)
#                role, followed by `baken audit secure-database` for the application's role
#                $BAKEN_DATABASE_APP_ROLE (baken_app; password from
#                BAKEN_DATABASE_APP_PASSWORD_FILE when set) and the owner role
#                $BAKEN_DATABASE_AUDIT_OWNER_ROLE (baken_audit_owner): docs/deploy.md,
#                "Database roles"
#   restore DIR  baken restore; with DATABASE_MIGRATE_URL as above, then secure-database again
#   worker       baken db_worker: the background tasks (django-tasks' database backend)
#   scheduler    baken scheduler: the periodic jobs
#   healthcheck  exit 0 when this container's web role answers /health/live (or the path
#                given) with 200: for compose and other orchestrators
#   anything else is a baken command: `backup /backup`, `migrate`, `shell -c ...`
#
# Secrets come as files: SECRET_KEY_FILE, FIELD_ENCRYPTION_KEY_FILE, PSEUDONYM_KEY_FILE are
# read by Baken's settings, and so are DATABASE_URL_FILE and REDIS_URL_FILE; this script also
# reads those two into the environment of the role it starts (older images relied on that).
# DATABASE_MIGRATE_URL(_FILE) is read here only, and never reaches a serving process.
set -eu

for name in DATABASE_URL DATABASE_MIGRATE_URL REDIS_URL; do
  eval "file=\${${name}_FILE:-}"
  if [ -n "$file" ]; then
    eval "value=\${${name}:-}"
    if [ -n "$value" ]; then
      echo "baken-entrypoint: set $name or ${name}_FILE, not both" >&2
      exit 2
    fi
    if [ ! -r "$file" ]; then
      echo "baken-entrypoint: ${name}_FILE points to $file, which cannot be read" >&2
      exit 2
    fi
    value="$(cat "$file")"
    export "$name=$value"
    unset "${name}_FILE"
  fi
done

# Migrations (and the restore) as the migration role, which owns the schema; the running
# application logs in as a role that may append to the audit trail but never change it.
# Kept in a shell variable, not the environment: no process this script starts inherits it.
migrate_url="${DATABASE_MIGRATE_URL:-}"
unset DATABASE_MIGRATE_URL

as_migration_role() {
  DATABASE_URL="$migrate_url" "$@"
}

secure_database() {
  set -- --app-role "${BAKEN_DATABASE_APP_ROLE:-baken_app}" \
    --owner-role "${BAKEN_DATABASE_AUDIT_OWNER_ROLE:-baken_audit_owner}"
  if [ -n "${BAKEN_DATABASE_APP_PASSWORD_FILE:-}" ]; then
    set -- "$@" --app-password-file "$BAKEN_DATABASE_APP_PASSWORD_FILE"
  fi
  as_migration_role baken audit secure-database "$@"
}

setup_database() {
  if [ -z "$migrate_url" ]; then
    baken migrate --no-input
    return
  fi
  as_migration_role baken migrate --no-input
  secure_database
}

role="${1:-web}"
[ "$#" -gt 0 ] && shift

case "$role" in
  web)
    case "${BAKEN_MIGRATE_ON_START:-false}" in
      true | 1 | yes | on) setup_database ;;
    esac
    exec baken serve --host "${HOST:-0.0.0.0}" --port "${PORT:-8000}" \
      --workers "${WEB_WORKERS:-2}" --proxy-headers "$@"
    ;;
  setup-database)
    setup_database
    ;;
  restore)
    if [ -z "$migrate_url" ]; then
      exec baken restore "$@"
    fi
    as_migration_role baken restore "$@"
    secure_database
    ;;
  worker)
    exec baken db_worker "$@"
    ;;
  scheduler)
    exec baken scheduler "$@"
    ;;
  healthcheck)
    # As the proxy would ask: a host Baken serves, over HTTPS as far as Baken can tell.
    exec python3 - "$@" <<'PY'
import os
import sys
import urllib.error
import urllib.request

host = (os.environ.get("ALLOWED_HOSTS") or "localhost").split(",")[0].strip().lstrip(".")
path = sys.argv[1] if len(sys.argv) > 1 else "/health/live"
request = urllib.request.Request(
    f"http://127.0.0.1:{os.environ.get('PORT', '8000')}{path}",
    headers={"Host": host, "X-Forwarded-Proto": "https"},
)
try:
    with urllib.request.urlopen(request, timeout=4) as response:
        sys.exit(0 if response.status == 200 else 1)
except (urllib.error.URLError, OSError) as exc:
    print(f"healthcheck: {exc}", file=sys.stderr)
    sys.exit(1)
PY
    ;;
  baken)
    exec baken "$@"
    ;;
  *)
    exec baken "$role" "$@"
    ;;
esac
