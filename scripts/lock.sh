#!/usr/bin/env bash
# The lock files, generated from pyproject.toml by pip-tools (pip-compile), with hashes:
#   requirements/runtime.txt  the [project] dependencies and everything they pull in
#   requirements/dev.txt      the same plus the dev extra, constrained by runtime.txt
#
#   scripts/lock.sh            regenerate both (`make lock`); keeps every pin that still fits
#   scripts/lock.sh --upgrade  regenerate both with the newest versions allowed by pyproject.toml
#   scripts/lock.sh --check    fail when the lock files are not what pyproject.toml gives (CI)
#
# Existing pins and their hashes are reused, so a regeneration with an unchanged
# pyproject.toml gives the same files byte for byte, whatever the index has published since.
# pip-compile reads pip's configuration (index, find-links), like `pip install` does.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
pip_compile=${BAKEN_PIP_COMPILE:-$root/.venv/bin/pip-compile}
[ -x "$pip_compile" ] || pip_compile=$(command -v pip-compile) \
  || { echo "lock: pip-compile not found; run \`make install\` (pip-tools is in the dev extra)" >&2; exit 2; }
mode=${1:-}

# The header of the generated files names the command that regenerates them.
export CUSTOM_COMPILE_COMMAND="make lock"

compile() {
  # $1: the directory holding pyproject.toml and requirements/; further arguments go to pip-compile.
  local dir=$1
  shift
  local common=(--quiet --generate-hashes --reuse-hashes --allow-unsafe --strip-extras
    --no-emit-index-url --no-emit-find-links --no-emit-trusted-host --newline lf "$@")
  (
    cd "$dir"
    mkdir -p requirements
    "$pip_compile" "${common[@]}" --output-file requirements/runtime.txt pyproject.toml
    "$pip_compile" "${common[@]}" --extra dev --constraint requirements/runtime.txt \
      --output-file requirements/dev.txt pyproject.toml
  )
}

case "$mode" in
  "")
    compile "$root"
    ;;
  --upgrade)
    compile "$root" --upgrade
    ;;
  --check)
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    # What setuptools reads to give the project's metadata, and the current lock files.
    cp pyproject.toml README.md "$tmp/"
    cp -r requirements "$tmp/requirements"
    compile "$tmp"
    if ! diff -u requirements "$tmp/requirements"; then
      echo "lock: requirements/*.txt are out of date with pyproject.toml; run \`make lock\`" >&2
      exit 1
    fi
    echo "lock: requirements/*.txt match pyproject.toml"
    ;;
  *)
    echo "usage: scripts/lock.sh [--check | --upgrade]" >&2
    exit 2
    ;;
esac
