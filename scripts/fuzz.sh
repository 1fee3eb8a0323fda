#!/usr/bin/env bash
# Fuzzes with libFuzzer (clang) for SECONDS (default 60) each: the proof
# parser and verifier, seeded with a real demo proof and a truncation of it;
# then ONNX import and compile, seeded with the example models.
set -euo pipefail
SECONDS_TO_RUN=${1:-60}
cd "$(dirname "$0")/.."
scripts/install-deps.sh
command -v clang++ >/dev/null || { sudo=; [ "$(id -u)" -ne 0 ] && sudo=sudo; $sudo apt-get install -y -qq clang libclang-rt-14-dev; }
make build >/dev/null
scripts/demo.sh build/zkinfer >/dev/null  # a fresh proof from this build seeds the corpus
cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=clang++ \
  -DZK_FUZZ=ON >/dev/null
ninja -C build-fuzz proof_fuzz onnx_fuzz
mkdir -p build-fuzz/corpus
cp build/demo/proof.bin build-fuzz/corpus/full
head -c 200 build/demo/proof.bin > build-fuzz/corpus/head
export ZK_FUZZ_VK=build/demo/lenet.vk
build-fuzz/proof_fuzz -max_total_time="$SECONDS_TO_RUN" -max_len=600000 -timeout=10 build-fuzz/corpus
mkdir -p build-fuzz/onnx-corpus
find examples -name "*.onnx" | while read -r m; do
  cp "$m" "build-fuzz/onnx-corpus/$(echo "$m" | tr / _)"
done
build-fuzz/onnx_fuzz -max_total_time="$SECONDS_TO_RUN" -max_len=5000000 -timeout=20 \
  -rss_limit_mb=4096 build-fuzz/onnx-corpus
