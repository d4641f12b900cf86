#!/usr/bin/env bash
# Make the secret files compose.yaml reads, in ./secrets (or $1): Baken's three keys, the
# passwords of PostgreSQL's superuser and of the application's role, and the two URLs that
# carry them (DATABASE_MIGRATE_URL for migrations, DATABASE_URL for the running application).
# Existing files are kept: running it again never replaces a key (a new FIELD_ENCRYPTION_KEY or PSEUDONYM_KEY would make the stored
# data unreadable or unlinkable; rotation is in docs/security.md).
#
# The files are readable by everyone on purpose (0444: the containers run as uid 10001 and
# compose mounts the files as they are); the directory is 0700, so only root on the host can
# reach them. Keep a copy of this directory somewhere safe and apart from the backups.
set -euo pipefail
dir="${1:-secrets}"
umask 077
mkdir -p "$dir"
chmod 0700 "$dir"

random() { python3 -c 'import secrets; print(secrets.token_urlsafe(48))'; }

make() {
  local name="$1" value="$2"
  if [ -s "$dir/$name" ]; then
    echo "kept    $dir/$name"
  else
    printf '%s\n' "$value" >"$dir/$name"
    chmod 0444 "$dir/$name"
    echo "created $dir/$name"
  fi
}

make secret_key "$(random)"
make field_encryption_key "$(random)"
make pseudonym_key "$(random)"
make postgres_password "$(random)"
make postgres_app_password "$(random)"
superuser_url="postgres://baken:$(tr -d '\n' <"$dir/postgres_password")@postgres:5432/baken"
# Migrations and `baken audit secure-database` log in as PostgreSQL's superuser `baken`; the running
# application as `baken_app`, which may append to the audit trail but never change it
# (docs/deploy.md, "Database roles"). Older versions of this script gave database_url the
# superuser's URL: that one (a derived value, no key) is replaced.
make database_migrate_url "$superuser_url"
if [ -s "$dir/database_url" ] && [ "$(tr -d '\n' <"$dir/database_url")" = "$superuser_url" ]; then
  rm -f "$dir/database_url"
  echo "replacing $dir/database_url: it was the superuser's URL; the application logs in as baken_app"
fi
make database_url "postgres://baken_app:$(tr -d '\n' <"$dir/postgres_app_password")@postgres:5432/baken"
