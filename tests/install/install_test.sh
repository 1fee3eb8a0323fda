#!/usr/bin/env bash
# make install into a temporary prefix, then: the installed CLI runs, the
# installed Python package imports from that prefix, and a program outside
# the tree builds against the CMake package and proves a model.
# Usage: tests/install/install_test.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
src=$1 build=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" > "$tmp/install.log"
"$tmp/prefix/bin/zkinfer" run "$src/examples/breast_cancer/model.onnx" \
  --input "$src/examples/breast_cancer/input.json" > "$tmp/run.txt"
grep -q "max" "$tmp/run.txt" || { cat "$tmp/run.txt"; exit 1; }
py=$(ls -d "$tmp"/prefix/lib/python3*/dist-packages)
(cd "$tmp" && PYTHONPATH="$py" /usr/bin/python3 -c \
  "import zkinfer, os; assert zkinfer.__file__.startswith('$py'), zkinfer.__file__; print('python ok')")
cmake -S "$src/tests/install" -B "$tmp/consumer" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$tmp/prefix" > "$tmp/configure.log"
cmake --build "$tmp/consumer" > "$tmp/build.log" || { cat "$tmp/build.log"; exit 1; }
out=$("$tmp/consumer/consumer" "$src/examples/breast_cancer/model.onnx" \
  "$src/examples/breast_cancer/input.json")
echo "$out"
[ "$out" = "verified: malignant" ]
echo "1 passed, 0 failed"
