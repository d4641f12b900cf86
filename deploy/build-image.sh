#!/usr/bin/env bash
# Build the Baken image (baken:latest) with podman.
#
# Where no image registry can be reached, the debian:bookworm-slim base is made locally first:
# debootstrap --variant=minbase from the machine's Debian mirror, imported under the same name.
# The tarball is kept in $BAKEN_BASE_CACHE (default /var/cache/baken) when that is writable, so
# a second build on the same machine skips debootstrap; without it the script still works.
#
# Package registries from inside the build: the machine's CA bundle and pip configuration
# (index, extra local indexes under /opt/pypi*, find-links /opt/wheels) are mounted read-only
# for the build only (see Containerfile); nothing of them ends up in the image.
#
# Usage: deploy/build-image.sh [extra podman build arguments]
# Environment: IMAGE (default baken:latest), BASE_IMAGE (default
# docker.io/library/debian:bookworm-slim), CONTAINERS_CONF (a containers.conf; one with
# `default_ulimits = []` is written when unset).
set -euo pipefail
cd "$(dirname "$0")/.."

IMAGE="${IMAGE:-baken:latest}"
BASE_IMAGE="${BASE_IMAGE:-docker.io/library/debian:bookworm-slim}"
CACHE_DIR="${BAKEN_BASE_CACHE:-/var/cache/baken}"
TARBALL="${CACHE_DIR}/debian-bookworm-minbase.tar"

if [ -z "${CONTAINERS_CONF:-}" ]; then
  export CONTAINERS_CONF="${TMPDIR:-/tmp}/baken-containers.conf"
  printf '[containers]\ndefault_ulimits = []\n' >"$CONTAINERS_CONF"
fi

log() { echo "build-image: $*" >&2; }

debian_mirror() {
  # The mirror this machine's apt uses (deb822 or one-line format), else Debian's own.
  local uri
  uri="$(grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' \
    | grep -v security | head -n1 || true)"
  if [ -z "$uri" ]; then
    uri="$(grep -hs '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
      | awk '{for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) {print $i; exit}}' \
      | grep -v security | head -n1 || true)"
  fi
  echo "${uri:-http://deb.debian.org/debian}"
}

make_base() {
  if podman image exists "$BASE_IMAGE"; then
    log "base image $BASE_IMAGE present"
    return
  fi
  if podman pull --quiet "$BASE_IMAGE" >/dev/null 2>&1; then
    log "base image $BASE_IMAGE pulled"
    return
  fi
  if [ ! -s "$TARBALL" ]; then
    command -v debootstrap >/dev/null || {
      log "debootstrap is missing (apt-get install -y debootstrap)"
      exit 1
    }
    local root
    root="$(mktemp -d "${TMPDIR:-/tmp}/baken-rootfs.XXXXXX")"
    local mirror
    mirror="$(debian_mirror)"
    log "debootstrap --variant=minbase bookworm from $mirror"
    debootstrap --variant=minbase bookworm "$root" "$mirror" >"${root}.log" 2>&1 || {
      tail -n 20 "${root}.log" >&2
      exit 1
    }
    # As in the official slim image: bookworm, its updates and security sources (deb822), and
    # no apt lists or caches in the layer.
    rm -f "$root/etc/apt/sources.list"
    cat >"$root/etc/apt/sources.list.d/debian.sources" <<SOURCES
Types: deb
URIs: ${mirror}
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${mirror%/debian}/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
    rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb
    local out="$TARBALL"
    if ! mkdir -p "$CACHE_DIR" 2>/dev/null || [ ! -w "$CACHE_DIR" ]; then
      out="${root}.tar"
    fi
    tar -C "$root" -c . >"${out}.part"
    mv "${out}.part" "$out"
    rm -rf "$root" "${root}.log"
    TARBALL="$out"
  else
    log "using cached $TARBALL"
  fi
  podman import --quiet --change 'CMD ["bash"]' "$TARBALL" "$BASE_IMAGE" >/dev/null
  log "base image $BASE_IMAGE imported"
  case "$TARBALL" in "$CACHE_DIR"/*) ;; *) rm -f "$TARBALL" ;; esac
}

build_args=()
# The machine's CA bundle for TLS to package registries (build secret, never in a layer).
if [ -s /etc/ssl/certs/ca-certificates.crt ]; then
  build_args+=(--secret id=ca,src=/etc/ssl/certs/ca-certificates.crt)
fi
# The machine's pip configuration and the local indexes / wheel directories it names.
pip_conf="$(mktemp "${TMPDIR:-/tmp}/baken-pip.XXXXXX.conf")"
trap 'rm -f "$pip_conf"' EXIT
# `pip config list` prints key='value' lines (global.x, install.x, :env:.x); the build sees them
# as one [global] section, with the CA bundle at the secret's path. Constraints stay outside.
{ (python3 -m pip config list 2>/dev/null || pip config list 2>/dev/null || true) \
  | sed -nE "s/^(global|install|:env:)\.([a-z-]+)='(.*)'$/\2 = \3/p" \
  | grep -Ev '^(constraint|cert|disable-pip-version-check) ' | sort -u
  [ -s /etc/ssl/certs/ca-certificates.crt ] && echo "cert = /run/secrets/ca"; } \
  | { echo "[global]"; cat; } >"$pip_conf"
build_args+=(--secret "id=pipconf,src=$pip_conf")
for dir in /opt/pypi /opt/pypi-more /opt/wheels; do
  [ -d "$dir" ] && build_args+=(--volume "$dir:$dir:ro")
done

make_base
log "podman build -t $IMAGE"
start=$(date +%s)
podman build --runtime runc --network host --pull=never \
  "${build_args[@]}" -f Containerfile -t "$IMAGE" "$@" .
log "built $IMAGE in $(($(date +%s) - start))s"
