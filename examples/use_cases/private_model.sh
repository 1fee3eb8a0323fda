#!/usr/bin/env bash
# Use case (b): a private model known by its commitment, scored on public
# data. The owner publishes the verifying key — its weight commitment is the
# model's identity — and proves what the model outputs on public test inputs;
# the verifier learns the inputs and outputs and nothing about the weights
# (for up to --max-proofs proofs per setup). Later the owner can reveal the
# model and show it is the committed one.
# Usage: examples/use_cases/private_model.sh [path/to/zkinfer]
source "$(dirname "$0")/common.sh"

echo "== the owner compiles the model with its weights committed, and publishes model.vk"
"$Z" compile "$EX/model.onnx" -o model.zkc --calibration "$EX/calibration.json" \
  --visibility input=public,weights=committed,output=public --max-proofs 16
"$Z" setup model.zkc --pk model.pk --vk model.vk
"$Z" inspect model.vk | grep "weight commitment:" | head -1

echo "== the owner proves the outputs on two public test inputs"
for x in input input_benign; do
  "$Z" prove --pk model.pk --input "$EX/$x.json" --proof "$x.proof"
done

echo "== the scorer checks each proof against the public input it chose"
for x in input input_benign; do
  "$Z" verify --vk model.vk --proof "$x.proof" --input "$EX/$x.json" | tee "$x.txt"
done

echo "== later, the owner reveals the model; anyone checks it is the committed one"
"$Z" open-commitment --vk model.vk --model model.zkc --pk model.pk
