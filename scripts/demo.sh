#!/usr/bin/env bash
# The demo: a LeNet-5 trained on Fashion-MNIST, compiled, set up, proven and
# verified on one test image, which stays private (the default visibility:
# input private, weights committed, output public). Usage:
# scripts/demo.sh path/to/zkinfer
set -euo pipefail
Z=${1:-build/zkinfer}
EX=examples/lenet
OUT="$(dirname "$Z")/demo"
mkdir -p "$OUT"
classes=("T-shirt/top" "Trouser" "Pullover" "Dress" "Coat" "Sandal" "Shirt" "Sneaker" "Bag" "Ankle boot")
now() { date +%s%N; }
ms() { echo $(( ($2 - $1) / 1000000 )); }

echo "== compile: $EX/lenet.onnx (calibrated on 32 training images)"
"$Z" compile "$EX/lenet.onnx" -o "$OUT/lenet.zkc" --calibration "$EX/calibration.json"
echo
echo "== setup: commit to the weights"
"$Z" setup "$OUT/lenet.zkc" --pk "$OUT/lenet.pk" --vk "$OUT/lenet.vk"
echo
echo "== prove: classify Fashion-MNIST test image 0"
t0=$(now)
"$Z" prove --pk "$OUT/lenet.pk" --input "$EX/input.json" --proof "$OUT/proof.bin" --output "$OUT/output.json"
t1=$(now)
echo
echo "== verify (the verifier holds only lenet.vk and the proof: the image stays private)"
"$Z" verify --vk "$OUT/lenet.vk" --proof "$OUT/proof.bin" | tee "$OUT/verify.txt"
t2=$(now)
pred=$(sed -n 's/.*proven output 0: .*(argmax \([0-9]*\)).*/\1/p' "$OUT/verify.txt")
label=$(tr -d ' \n' < "$EX/input.json" | sed -n 's/.*"label":\([0-9]*\).*/\1/p')
size=$(stat -c %s "$OUT/proof.bin")
echo
echo "== result"
echo "prediction: $pred (${classes[$pred]})   true label: $label (${classes[$label]})"
echo "prove (whole command, incl. loading the key): $(ms "$t0" "$t1") ms"
echo "verify (whole command): $(ms "$t1" "$t2") ms"
echo "proof size: $size bytes ($(( size / 1024 )) KB)"
