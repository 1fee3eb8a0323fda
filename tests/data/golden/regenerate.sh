#!/usr/bin/env bash
# Regenerates the golden proof fixtures. Run only for an intended change of the
# proof format, transcript or quantization, and say so in the commit.
set -euo pipefail
cd "$(dirname "$0")"
Z=../../../build/zkinfer
EX=../../../examples/breast_cancer
$Z compile "$EX/model.onnx" -o /tmp/golden.zkc --calibration "$EX/calibration.json" \
  --visibility input=public,weights=public,output=public
$Z setup /tmp/golden.zkc --pk /tmp/golden.pk --vk breast_cancer.vk
$Z prove --pk /tmp/golden.pk --input "$EX/input.json" --proof breast_cancer.proof --output breast_cancer.output.json
