// Internal to src/model: the float semantics of the linear-algebra ops that
// live outside float_exec.cc.
#pragma once

#include <vector>

#include "model/graph.h"

namespace zk::model {

// kMatMul: y = alpha * A B + bias with A of logical shape `is` ([..., I, K];
// [K] is one row) and B the node's weight [K, N] or the activation
// vals[n.inputs[1]] ([..., K, J], with the output's batch or without one).
void run_matmul(const FNode& n, const std::vector<int64_t>& is, const std::vector<int64_t>& os,
                const std::vector<std::vector<float>>& vals, std::vector<float>& y);

}  // namespace zk::model
