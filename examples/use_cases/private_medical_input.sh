#!/usr/bin/env bash
# Use case (a): a patient's data through a public diagnostic model.
# The hospital publishes the model (weights public); the patient proves the
# diagnosis the model gives on their features without revealing the features.
# Usage: examples/use_cases/private_medical_input.sh [path/to/zkinfer]
source "$(dirname "$0")/common.sh"

echo "== the hospital compiles and publishes its classifier (scikit-learn breast-cancer data)"
"$Z" compile "$EX/model.onnx" -o model.zkc --calibration "$EX/calibration.json" \
  --visibility input=private,weights=public,output=public
"$Z" setup model.zkc --pk model.pk --vk model.vk

echo "== the patient proves the diagnosis on their own features"
"$Z" prove --pk model.pk --input "$EX/input.json" --proof diagnosis.proof

echo "== anyone checks it with the public key and the proof alone"
"$Z" verify --vk model.vk --proof diagnosis.proof | tee verify.txt
grep -q "input: private" verify.txt
cls=$(sed -n 's/.*proven output 0: .*(argmax \([0-9]*\)).*/\1/p' verify.txt)
echo "diagnosis: $([ "$cls" = 0 ] && echo malignant || echo benign) (class $cls); the features stayed with the patient"
