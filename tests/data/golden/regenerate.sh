#!/usr/bin/env bash
# Regenerates every golden proof fixture in one run: the breast-cancer example
# in each visibility set below. Run only for an intended change of the proof
# format, transcript or quantization, and say so in the commit.
#
#   breast_cancer            input=public,    weights=public,    output=public
#   breast_cancer_default    input=private,   weights=committed, output=public   (the CLI default)
#   breast_cancer_committed  input=committed, weights=public,    output=committed
#   breast_cancer_private    input=public,    weights=private,   output=private
#
# Each has a verifying key (.vk) and a proof (.proof); a public or committed
# output also its .output.json, a committed input or output the .opening.json
# that opens it, and committed weights the proving key's secret seed
# (.weight_seed, hex: the key itself is megabytes), so the test can check that
# the model still compiles to the same key.
set -euo pipefail
cd "$(dirname "$0")"
BUILD=${BUILD:-../../../build}
Z=$BUILD/zkinfer
EX=../../../examples/breast_cancer
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

fixture() {
  local name=$1 vis=$2
  $Z compile "$EX/model.onnx" -o "$TMP/$name.zkc" --calibration "$EX/calibration.json" \
    --visibility "$vis"
  $Z setup "$TMP/$name.zkc" --pk "$TMP/$name.pk" --vk "$name.vk"
  local extra=()
  if [[ $vis == *input=committed* || $vis == *output=committed* ]]; then
    extra=(--opening "$name.opening.json")
  fi
  if [[ $vis != *output=private* ]]; then
    extra+=(--output "$name.output.json")
  fi
  $Z prove --pk "$TMP/$name.pk" --input "$EX/input.json" --proof "$name.proof" "${extra[@]}"
  if [[ $vis == *weights=committed* ]]; then
    ZK_GOLDEN_PK="$TMP/$name.pk" ZK_GOLDEN_SEED_OUT="$name.weight_seed" \
      "$BUILD/golden_test" --gtest_filter=GoldenRegenerate.WeightSeed >/dev/null
  fi
}

rm -f breast_cancer*.{vk,proof,output.json,opening.json,weight_seed}
fixture breast_cancer input=public,weights=public,output=public
fixture breast_cancer_default input=private,weights=committed,output=public
fixture breast_cancer_committed input=committed,weights=public,output=committed
fixture breast_cancer_private input=public,weights=private,output=private
ls -l breast_cancer*
