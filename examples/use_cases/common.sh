# Sourced by the use-case scripts: Z is the zkinfer binary (first argument,
# default build/zkinfer), EX the breast-cancer example, and the script runs in
# a scratch folder removed on exit.
set -euo pipefail
Z=$(realpath "${1:-build/zkinfer}")
EX=$(cd "$(dirname "${BASH_SOURCE[0]}")/../breast_cancer" && pwd)
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
cd "$OUT"
