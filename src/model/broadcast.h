// NumPy broadcasting of elementwise ops between two tensors (right-aligned
// dimensions, each equal or 1), shared by the float executor and the
// lowering. Logical shapes (the batch axis dropped) broadcast exactly as the
// full ONNX shapes do, since dropping leading 1s does not change the result.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "model/graph.h"

namespace zk::model {

// The broadcast shape of a and b, or nothing when they do not broadcast.
std::optional<std::vector<int64_t>> broadcast_shape(const std::vector<int64_t>& a,
                                                    const std::vector<int64_t>& b);
// For each row-major element of `out`, the row-major index of the element of
// a tensor of shape `in` that broadcasts to it (`in` must broadcast to `out`).
std::vector<int64_t> broadcast_index(const std::vector<int64_t>& in,
                                     const std::vector<int64_t>& out);

// Add, Sub, Mul, Max, Min, Less, LessEq, Equal of two values.
bool is_binary(OpKind k);
// Runs one of them, broadcasting its operands to the output's shape.
void run_binary(const FloatGraph& g, const FNode& n, const std::vector<std::vector<float>>& vals,
                std::vector<float>& y);

}  // namespace zk::model
