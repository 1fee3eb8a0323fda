// Quantization: calibrates power-of-two scales on sample inputs and lowers the
// float graph to a circuit whose integer semantics is the proven computation.
#pragma once

#include <vector>

#include "circuit/circuit.h"
#include "circuit/executor.h"
#include "model/graph.h"

namespace zk::quant {

// Quantization consumes the model graph (src/model/).
using model::FloatGraph;
using model::FNode;
using model::FTensor;
using model::ModelError;
using model::OpKind;

struct QuantOptions {
  unsigned table_bits = 14;  // lookup tables of 2^14 rows; activations use 13 bits
  int weight_bits = 12;      // signed bits per weight (before the scale cap)
  int max_scale = 20;        // at most 20 fractional bits for any tensor
  circuit::Visibility input_vis = circuit::Visibility::kPublic;
  circuit::Visibility weight_vis = circuit::Visibility::kPublic;
  uint32_t weight_proofs = 16;  // weights=committed: proofs the commitment hides them for
  circuit::Visibility output_vis = circuit::Visibility::kPublic;
};

// The table size the model's embedding lookups need (each of R rows: ids
// exact in the activation range, id - row in the table's), at least
// `table_bits` and at most kMaxAutoTableBits; quantize() uses it.
inline constexpr unsigned kMaxAutoTableBits = 18;
unsigned table_bits_for(const FloatGraph& g, unsigned table_bits);

struct CompiledModel {
  circuit::Circuit circuit;
  circuit::Values weights;  // per circuit tensor: padded weights (empty for others)
};

// samples[i] is the concatenation of calibration samples for graph input i.
// With no samples, ranges come from inputs drawn uniformly from [-1, 1].
CompiledModel quantize(const FloatGraph& g, const std::vector<std::vector<float>>& samples,
                       const QuantOptions& opt = {});

// Quantizes float inputs at the circuit's input scales, padded. Throws
// ModelError naming expected and given sizes on a wrong-length input.
// One tensor's float values as its padded integers; ModelError on the wrong
// count, a non-finite value or one with |x * 2^scale| >= lim.
std::vector<int64_t> quantize_tensor(const circuit::Tensor& t, const std::vector<float>& x,
                                     int64_t lim = int64_t{1} << 62);
std::vector<std::vector<int64_t>> quantize_inputs(const circuit::Circuit& c,
                                                  const std::vector<std::vector<float>>& inputs);
// Builds the full value table (weights + inputs) and runs the integer executor.
circuit::Values run_quantized(const CompiledModel& m,
                              const std::vector<std::vector<int64_t>>& inputs);
// Logical float outputs from padded integer outputs.
std::vector<float> dequantize(const circuit::Tensor& t, const std::vector<int64_t>& padded);

}  // namespace zk::quant
