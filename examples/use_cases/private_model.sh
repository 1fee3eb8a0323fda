#!/usr/bin/env bash
# Use case (b): a private model scored on public data. The model owner proves
# what the model outputs on a public test input; the verifier learns the
# input and the output and nothing about the weights.
# (weights=private: the weights are hidden inside each proof. A model
# identity that is both hidden and reusable across proofs, weights=committed
# with hiding, is not built yet: docs/SECURITY.md, "Committed weights".)
# Usage: examples/use_cases/private_model.sh [path/to/zkinfer]
set -euo pipefail
Z=$(realpath "${1:-build/zkinfer}")
EX=$(cd "$(dirname "$0")/../breast_cancer" && pwd)
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
cd "$OUT"

echo "== the owner compiles the model with its weights private"
"$Z" compile "$EX/model.onnx" -o model.zkc --calibration "$EX/calibration.json" \
  --visibility input=public,weights=private,output=public
"$Z" setup model.zkc --pk model.pk --vk model.vk

echo "== the owner proves the outputs on two public test inputs"
for x in input input_benign; do
  "$Z" prove --pk model.pk --input "$EX/$x.json" --proof "$x.proof"
done

echo "== the scorer checks each proof against the public input it chose"
for x in input input_benign; do
  "$Z" verify --vk model.vk --proof "$x.proof" --input "$EX/$x.json" | tee "$x.txt"
done
echo "== the verifying key holds no weights: $(stat -c %s model.vk) bytes for the circuit alone"
