#!/usr/bin/env bash
# Runs the benchmarks and prints their figures. Usage: scripts/bench.sh BUILD_DIR
set -euo pipefail
B=${1:-build}
echo "== end to end (2 threads on this machine: $(nproc) cores)"
"$B/pipeline_bench"
echo
echo "== building blocks"
"$B/micro_bench" --benchmark_min_time=0.2
