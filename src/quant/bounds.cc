// Interval bounds on every requantized value, from the weights, the
// public-input limit and the ranges the lookups enforce.
#include <algorithm>
#include <cmath>

#include "quant/lowering.h"

namespace zk::quant {

using circuit::Circuit;
using circuit::NodeType;
using circuit::Tensor;
using circuit::TensorKind;

// Soundness of the rescaling argument needs every requantized value z to
// stay far from the field size: |z| + 2^(shift + T) < 2^62
// (docs/SECURITY.md). Bounds are propagated through the
// circuit from the weights and the value ranges the lookups enforce.
void check_accumulator_bounds(const Circuit& c, const circuit::Values& weights) {
  const int T = static_cast<int>(c.table_bits);
  std::vector<double> bound(c.tensors.size(), 0);
  auto wabs = [&](int t, size_t i) { return std::fabs(static_cast<double>(weights[t][i])); };
  for (size_t t = 0; t < c.tensors.size(); ++t) {
    if (c.tensors[t].kind == TensorKind::kInput)
      bound[t] = static_cast<double>(circuit::max_input_magnitude(c.input_vis, c.table_bits));
    // Committed tensors get their bound from the node that produces them.
  }
  for (const auto& n : c.nodes) {
    const int o = n.out[0];
    switch (n.type) {
      case NodeType::kGemm:
      case NodeType::kConv: {
        const Tensor& w = c.tensors[n.in[1]];
        size_t rows = size_t{1} << w.log_dims[0], per = w.padded_size() / rows;
        double worst = 0;
        for (size_t r = 0; r < rows; ++r) {
          double sum = wabs(n.in[2], r);
          for (size_t k = 0; k < per; ++k) sum += wabs(n.in[1], r * per + k) * bound[n.in[0]];
          worst = std::max(worst, sum);
        }
        bound[o] = worst;
        break;
      }
      case NodeType::kWindowSum:
        bound[o] = static_cast<double>(n.kernel_h * n.kernel_w) * bound[n.in[0]];
        break;
      case NodeType::kChannelAffine: {
        double worst = 0;
        for (size_t i = 0; i < weights[n.in[1]].size(); ++i)
          worst = std::max(worst, wabs(n.in[1], i) * bound[n.in[0]] + wabs(n.in[2], i));
        bound[o] = worst;
        break;
      }
      case NodeType::kGather:
        bound[o] = bound[n.in[0]];
        break;
      case NodeType::kLinComb: {
        double sum = std::fabs(static_cast<double>(n.expr.constant));
        for (const auto& t : n.expr.terms)
          sum += std::fabs(static_cast<double>(t.coeff)) * bound[t.tensor];
        bound[o] = sum;
        break;
      }
      case NodeType::kRequant: {
        double z = bound[n.in[0]] * std::fabs(static_cast<double>(n.mult)) +
                   std::ldexp(1.0, std::max(0, n.shift - 1));
        if (z + std::ldexp(1.0, n.shift + T) >= std::ldexp(1.0, 62))
          throw ModelError("layer '" + n.layer + "': its accumulator may reach about 2^" +
                           std::to_string(static_cast<int>(std::log2(z))) +
                           ", too large to rescale soundly in the field; lower the weight "
                           "precision or the input range");
        // The lookups bound the outputs on the valid positions (padding
        // positions only ever meet zero weights or are never read).
        bound[n.out[0]] = std::ldexp(1.0, T - 1);
        if (n.out[1] >= 0) bound[n.out[1]] = std::ldexp(1.0, T - 1);
        for (int k : {2, 3})
          if (n.out[k] >= 0) bound[n.out[k]] = std::ldexp(1.0, T);
        break;
      }
      case NodeType::kMaxDiff:
        bound[o] = std::ldexp(1.0, T - 1);  // a ReLU table output
        break;
      case NodeType::kMaxStep:
        // m is prev or cand on every valid position.
        bound[o] = std::max(bound[n.in[0]], bound[n.in[1]]);
        break;
      case NodeType::kSplit:
        bound[n.out[0]] = bound[n.out[1]] = std::ldexp(1.0, T);
        break;
    }
  }
}

}  // namespace zk::quant
