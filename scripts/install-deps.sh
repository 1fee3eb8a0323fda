#!/usr/bin/env bash
# Installs the Debian 12 packages zkinfer needs to build, test and run its demo.
# Idempotent: does nothing when everything is already there.
# Set ZKINFER_WITH_TORCH=1 to also install what the training scripts need, and
# ZKINFER_WITH_WASM=1 what the WebAssembly verifier and its browser test need
# (emscripten, chromium, and the test's npm packages in web/).
set -euo pipefail
pkgs=(build-essential cmake ninja-build pkg-config libssl-dev libonnx-dev libprotobuf-dev
      protobuf-compiler nlohmann-json3-dev zlib1g-dev libgtest-dev libgmock-dev libbenchmark-dev
      dataset-fashion-mnist python3 nodejs
      python3-dev python3-numpy python3-pytest pybind11-dev)
if [ "${ZKINFER_WITH_TORCH:-0}" = 1 ]; then
  pkgs+=(python3-torch python3-onnx python3-numpy python3-sklearn)
fi
if [ "${ZKINFER_WITH_WASM:-0}" = 1 ]; then
  pkgs+=(emscripten chromium)
fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Debian's nodejs needs its npm package; a nodejs that brings its own npm must not get it.
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -ne 0 ]; then
  echo "installing: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# The browser test's driver (playwright-core from npm; it drives Debian's
# chromium and never downloads a browser).
web_tests="$(dirname "$0")/../web/tests"
if [ "${ZKINFER_WITH_WASM:-0}" = 1 ] && [ ! -d "$web_tests/node_modules/playwright-core" ]; then
  echo "installing: playwright-core (npm, into web/tests)"
  (cd "$web_tests" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --ignore-scripts --no-audit \
    --no-fund --loglevel=error)
fi
# The float reference the tests and the conformance runner compare with:
# onnxruntime from npm (its CPU library ships inside the package; the
# optional CUDA download of its install script is not run).
ref="$(dirname "$0")/reference"
if [ ! -d "$ref/node_modules/onnxruntime-node" ]; then
  echo "installing: onnxruntime-node (npm, into scripts/reference)"
  (cd "$ref" && ONNXRUNTIME_NODE_INSTALL_CUDA=skip npm ci --ignore-scripts --no-audit --no-fund \
    --loglevel=error)
fi
