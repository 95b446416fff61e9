#!/usr/bin/env bash
# scripts/setup names the Debian package it could not install and exits non-zero.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
list=$(mktemp)
echo "stempdf-no-such-package-xyz" > "$list"
output=$(STEMPDF_PACKAGES="$list" "$root/scripts/setup" --packages-only 2>&1); code=$?
rm -f "$list"
echo "$output"
if [ $code -ne 0 ] && grep -q "could not install Debian package(s): stempdf-no-such-package-xyz" <<<"$output"; then
  echo "ok: setup names the package that failed"
  exit 0
fi
echo "FAILED: expected a non-zero exit naming stempdf-no-such-package-xyz (exit $code)"
exit 1
