// The integer executor: computes every tensor of the circuit, in its padded
// layout, exactly as the proof constrains it. This is the proven semantics Q;
// each op's arithmetic lives with its proof in src/circuit/ops/.
#pragma once

#include "circuit/layout.h"

namespace zk::circuit {

// `values` must hold every weight and input tensor (padded); fills the rest.
void execute(const Circuit& c, Values& values);

}  // namespace zk::circuit
