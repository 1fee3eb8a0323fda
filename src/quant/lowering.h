// Lowering the calibrated float graph to a circuit: every linear op becomes a
// derived tensor followed by a requantization (with a fused ReLU/Clip), max
// pooling a chain of pairwise maxima, layout ops free views or gathers.
#pragma once

#include <vector>

#include "quant/quantize.h"

namespace zk::quant {

// amax[v]: calibrated magnitude of each float value (with headroom);
// input_samples: the calibration inputs (for input precision).
CompiledModel lower(const FloatGraph& g, const std::vector<double>& amax, const QuantOptions& opt,
                    const std::vector<std::vector<float>>& input_samples);

// Refuses circuits whose requantized values could come near the field size
// (the soundness condition of docs/SECURITY.md). Throws ModelError.
void check_accumulator_bounds(const circuit::Circuit& c, const circuit::Values& weights);

}  // namespace zk::quant
