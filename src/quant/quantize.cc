#include "quant/quantize.h"

#include <algorithm>
#include <cmath>
#include <random>

#include "model/activations.h"
#include "quant/lowering.h"
#include "quant/scales.h"

namespace zk::quant {

unsigned table_bits_for(const FloatGraph& g, unsigned table_bits) {
  unsigned t = table_bits;
  for (const auto& n : g.nodes) {
    if (n.kind != OpKind::kActivation || n.activation != model::kIsZeroActivation ||
        n.attrs.empty())
      continue;
    // The ids at scale 0 within the activation range (1.25 rows, with the
    // calibration headroom), and id - row, in (-2 rows, rows), within the
    // table's input range.
    const double rows = n.attrs[0];
    while (t < kMaxAutoTableBits && (1.25 * rows > std::ldexp(1.0, int(t) - 2) - 1 ||
                                     2 * rows > std::ldexp(1.0, int(t) - 1) - 1))
      ++t;
  }
  return t;
}

CompiledModel quantize(const FloatGraph& g, const std::vector<std::vector<float>>& samples,
                       const QuantOptions& opt_in) {
  // An embedding of more rows than the tables hold raises the circuit's
  // table size rather than being refused (up to kMaxAutoTableBits).
  QuantOptions opt = opt_in;
  opt.table_bits = table_bits_for(g, opt_in.table_bits);
  std::vector<double> amax(g.values.size(), 0.0);
  // Split each input's concatenated samples and run the float model on each.
  std::vector<std::vector<std::vector<float>>> per_input(g.inputs.size());
  size_t count = 0;
  if (!samples.empty() &&
      std::all_of(samples.begin(), samples.end(), [](const auto& v) { return v.empty(); }))
    throw ModelError("calibration data holds no samples");
  if (!samples.empty()) {
    if (samples.size() != g.inputs.size())
      throw ModelError("calibration data has " + std::to_string(samples.size()) +
                       " inputs but the model has " + std::to_string(g.inputs.size()));
    for (size_t i = 0; i < g.inputs.size(); ++i) {
      int64_t n = 1;
      for (auto d : g.values[g.inputs[i]].shape) n *= d;
      if (samples[i].empty() || samples[i].size() % n != 0)
        throw ModelError("calibration data for input '" + g.values[g.inputs[i]].name + "' has " +
                         std::to_string(samples[i].size()) +
                         " values, not a multiple of the input size " + std::to_string(n));
      size_t k = samples[i].size() / n;
      if (i == 0) count = k;
      if (k != count) throw ModelError("calibration inputs hold different numbers of samples");
      for (size_t s = 0; s < k; ++s)
        per_input[i].emplace_back(samples[i].begin() + s * n, samples[i].begin() + (s + 1) * n);
    }
  } else {
    std::mt19937 rng(12345);
    std::uniform_real_distribution<float> u(-1.f, 1.f);
    count = 8;
    for (size_t i = 0; i < g.inputs.size(); ++i) {
      int64_t n = 1;
      for (auto d : g.values[g.inputs[i]].shape) n *= d;
      for (size_t s = 0; s < count; ++s) {
        std::vector<float> v(n);
        for (auto& x : v) x = u(rng);
        per_input[i].push_back(std::move(v));
      }
    }
  }
  for (size_t s = 0; s < count; ++s) {
    std::vector<std::vector<float>> ins;
    for (size_t i = 0; i < g.inputs.size(); ++i) ins.push_back(per_input[i][s]);
    auto vals = run_float(g, ins);
    for (size_t v = 0; v < vals.size(); ++v)
      for (float x : vals[v])  // -inf of an attention mask never reaches the circuit
        if (std::isfinite(x)) amax[v] = std::max(amax[v], static_cast<double>(std::fabs(x)));
  }
  // Headroom for inputs the calibration set did not cover.
  for (auto& a : amax) a *= 1.25;
  // A guard (an out-of-range index: onnx/ops_index.cc) is 0 on valid inputs,
  // whatever invalid ones the calibration held.
  for (const auto& n : g.nodes)
    if (n.zero_guard) amax[n.output] = 0;
  return lower(g, amax, opt, samples);
}

std::vector<int64_t> quantize_tensor(const circuit::Tensor& t, const std::vector<float>& x,
                                     int64_t lim) {
  if (static_cast<int64_t>(x.size()) != t.numel())
    throw ModelError("'" + t.name + "' expects " + std::to_string(t.numel()) + " values but " +
                     std::to_string(x.size()) + " were given");
  std::vector<int64_t> q(x.size());
  for (size_t j = 0; j < q.size(); ++j) {
    if (!std::isfinite(x[j]))
      throw ModelError("'" + t.name + "' has a non-finite value at index " + std::to_string(j));
    double scaled = std::ldexp(static_cast<double>(x[j]), t.scale);
    if (std::fabs(scaled) >= static_cast<double>(lim))
      throw ModelError("'" + t.name + "' value " + std::to_string(x[j]) + " at index " +
                       std::to_string(j) +
                       " is outside the range the model was compiled for (|x| < " +
                       std::to_string(std::ldexp(static_cast<double>(lim), -t.scale)) +
                       "); recompile with calibration data that covers it");
    q[j] = std::llround(scaled);
  }
  return circuit::to_padded(t, q);
}

std::vector<std::vector<int64_t>> quantize_inputs(const circuit::Circuit& c,
                                                  const std::vector<std::vector<float>>& inputs) {
  if (inputs.size() != c.inputs.size())
    throw ModelError("the model has " + std::to_string(c.inputs.size()) + " input(s) but " +
                     std::to_string(inputs.size()) + " were given");
  std::vector<std::vector<int64_t>> out;
  for (size_t i = 0; i < inputs.size(); ++i)
    out.push_back(quantize_tensor(c.tensors[c.inputs[i]], inputs[i],  // enforced by the verifier
                                  circuit::max_input_magnitude(c.input_vis, c.table_bits)));
  return out;
}

circuit::Values run_quantized(const CompiledModel& m,
                              const std::vector<std::vector<int64_t>>& inputs) {
  circuit::Values v = m.weights;
  v.resize(m.circuit.tensors.size());
  for (size_t i = 0; i < inputs.size(); ++i) v[m.circuit.inputs[i]] = inputs[i];
  circuit::execute(m.circuit, v);
  return v;
}

std::vector<float> dequantize(const circuit::Tensor& t, const std::vector<int64_t>& padded) {
  std::vector<float> out;
  for (int64_t x : circuit::from_padded(t, padded))
    out.push_back(static_cast<float>(std::ldexp(static_cast<double>(x), -t.scale)));
  return out;
}

}  // namespace zk::quant
