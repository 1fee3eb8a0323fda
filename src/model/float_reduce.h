// Float semantics of the reductions (kReduce*) and of Softmax/LogSoftmax, internal to
// the float executor.
#pragma once

#include <cstdint>
#include <vector>

#include "model/graph.h"

namespace zk::model {

// y (the kept elements, row-major) from x of logical shape `is`, reducing n.axes.
void run_reduce(const FNode& n, const std::vector<int64_t>& is, const std::vector<float>& x,
                std::vector<float>& y);
// Softmax / LogSoftmax of x over n.axes jointly; y has x's size.
void run_softmax(const FNode& n, const std::vector<int64_t>& is, const std::vector<float>& x,
                 std::vector<float>& y);

}  // namespace zk::model
