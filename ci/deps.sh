#!/usr/bin/env bash
# Install the Debian 12 packages srctl needs to build (and, with --test,
# to run its whole test suite). Installs only what is missing.
set -euo pipefail

pkgs=(cmake make gcc pkg-config libyaml-dev libcurl4-openssl-dev libpcre2-dev
      libgit2-dev libexpat1-dev)
if [ "${1:-}" = "--test" ]; then
  pkgs+=(clang libclang-rt-14-dev valgrind git pre-commit python3-yaml
    libxml2-utils caddy openssl python3 etcd-server etcd-client prometheus
    prometheus-pushgateway hyperfine)
fi

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "ci/deps.sh: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "ci/deps.sh: installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
