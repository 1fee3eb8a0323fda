#!/usr/bin/env bash
# Use case (c): a committed output, revealed later. The prover publishes a
# proof that commits to the model's output without revealing it (say, a
# sealed prediction); later it reveals the output and the opening secret, and
# anyone checks that this is the output the proof committed to.
# Usage: examples/use_cases/committed_output.sh [path/to/zkinfer]
source "$(dirname "$0")/common.sh"

"$Z" compile "$EX/model.onnx" -o model.zkc --calibration "$EX/calibration.json" \
  --visibility input=private,weights=public,output=committed
"$Z" setup model.zkc --pk model.pk --vk model.vk

echo "== today: prove and publish the proof; keep output.json and opening.json"
"$Z" prove --pk model.pk --input "$EX/input.json" --proof sealed.proof \
  --output output.json --opening opening.json
"$Z" verify --vk model.vk --proof sealed.proof

echo "== later: reveal the output and the opening; anyone checks them against the proof"
"$Z" open-commitment --vk model.vk --proof sealed.proof --opening opening.json --output output.json

echo "== a different output does not open the commitment"
echo '{"output_data": [[0.0, 0.0]]}' > forged.json
if "$Z" open-commitment --vk model.vk --proof sealed.proof --opening opening.json \
  --output forged.json; then
  echo "forged output accepted" >&2
  exit 1
fi
