#include "api/api.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>

#include "field/progress.h"
#include "onnx/import.h"

namespace zk::api {

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

void check_range(const char* what, long v, long lo, long hi) {
  if (v < lo || v > hi)
    throw proof::ArgumentError(std::string(what) + " must be from " + std::to_string(lo) + " to " +
                               std::to_string(hi) + ", got " + std::to_string(v));
}

// The inputs' sizes against the model's, before anything runs.
void check_inputs(const model::FloatGraph& g, const std::vector<std::vector<float>>& inputs) {
  if (inputs.size() != g.inputs.size())
    throw model::ModelError("the model has " + std::to_string(g.inputs.size()) + " input(s) but " +
                            std::to_string(inputs.size()) + " were given");
  for (size_t i = 0; i < inputs.size(); ++i) {
    int64_t n = 1;
    for (auto d : g.values[g.inputs[i]].shape) n *= d;
    if (static_cast<int64_t>(inputs[i].size()) != n)
      throw model::ModelError("input '" + g.values[g.inputs[i]].name + "' expects " +
                              std::to_string(n) + " values but " +
                              std::to_string(inputs[i].size()) + " were given");
  }
}

quant::QuantOptions quant_options(const CompileOptions& opt) {
  check_range("table bits", opt.table_bits, kMinTableBits, kMaxTableBits);
  check_range("weight bits", opt.weight_bits, kMinWeightBits, kMaxWeightBits);
  check_range("max scale", opt.max_scale, kMinMaxScale, kMaxMaxScale);
  check_range("max proofs", opt.max_proofs, 1, circuit::kMaxWeightProofs);
  quant::QuantOptions q;
  q.table_bits = opt.table_bits;
  q.weight_bits = opt.weight_bits;
  q.max_scale = opt.max_scale;
  q.weight_proofs = opt.max_proofs;
  q.input_vis = opt.visibility.input;
  q.weight_vis = opt.visibility.weights;
  q.output_vis = opt.visibility.output;
  return q;
}
// Sample k of the calibration set (every input's k-th slice), or a random
// input in [-1, 1] when there is none.
std::vector<std::vector<float>> sample(const model::FloatGraph& g,
                                       const std::vector<std::vector<float>>& cal, size_t k) {
  std::vector<std::vector<float>> in;
  uint64_t state = 0x9e3779b97f4a7c15ull * (k + 1);
  for (size_t i = 0; i < g.inputs.size(); ++i) {
    size_t n = 1;
    for (auto d : g.values[g.inputs[i]].shape) n *= static_cast<size_t>(d);
    if (!cal.empty()) {
      in.emplace_back(cal[i].begin() + k * n, cal[i].begin() + (k + 1) * n);
      continue;
    }
    in.emplace_back(n);
    for (auto& x : in.back()) {
      state = state * 6364136223846793005ull + 1442695040888963407ull;
      x = static_cast<float>(static_cast<double>(state >> 11) / 9007199254740992.0 * 2.0 - 1.0);
    }
  }
  return in;
}

// Whether the quantized output picks the float output's class: every index
// at the quantized maximum is at the float maximum. A quantized tie between
// classes the float model tells apart is a disagreement (the circuit cannot
// tell them apart); a float output whose top is itself tied agrees with any
// of its top classes.
bool same_top(const std::vector<float>& f, const std::vector<float>& q) {
  if (f.empty() || f.size() != q.size()) return false;
  const float fmax = *std::max_element(f.begin(), f.end());
  const float qmax = *std::max_element(q.begin(), q.end());
  for (size_t j = 0; j < q.size(); ++j)
    if (q[j] == qmax && f[j] != fmax) return false;
  return true;
}

Accuracy accuracy(const model::FloatGraph& g, const quant::CompiledModel& m,
                  const std::vector<std::vector<float>>& cal) {
  Accuracy a;
  size_t available = kAccuracySamples;
  if (!cal.empty())
    for (size_t i = 0; i < g.inputs.size() && i < cal.size(); ++i) {
      size_t n = 1;
      for (auto d : g.values[g.inputs[i]].shape) n *= static_cast<size_t>(d);
      available = std::min(available, n ? cal[i].size() / n : 0);
    }
  if (!cal.empty() && cal.size() < g.inputs.size()) available = 0;
  size_t agree = 0;
  // A time budget: a large model (the float reference runs on one thread)
  // checks fewer samples: another starts only within the first 3 s.
  const auto start = Clock::now();
  for (size_t k = 0; k < std::min(available, kAccuracySamples); ++k) {
    if (k >= 1 && ms_since(start) > kAccuracyBudgetMs) break;
    auto in = sample(g, cal, k);
    auto fv = model::run_float(g, in);
    circuit::Values qv;
    try {
      qv = quant::run_quantized(m, quant::quantize_inputs(m.circuit, in));
    } catch (const Error& e) {
      a.warning =
          "calibration sample " + std::to_string(k) + " does not run quantized: " + e.what();
      return a;
    }
    ++a.samples;
    for (size_t o = 0; o < g.outputs.size(); ++o) {
      const auto& f = fv[g.outputs[o]];
      int t = m.circuit.outputs[o];
      auto q = quant::dequantize(m.circuit.tensors[t], qv[t]);
      for (size_t j = 0; j < f.size() && j < q.size(); ++j) {
        a.max_abs_error = std::max(a.max_abs_error, std::fabs(double(f[j]) - q[j]));
        a.max_abs_output = std::max(a.max_abs_output, std::fabs(double(f[j])));
      }
      if (o == 0) agree += same_top(f, q);
    }
  }
  if (a.samples == 0) return a;
  a.argmax_agreement = static_cast<double>(agree) / static_cast<double>(a.samples);
  if (a.argmax_agreement < 0.95 || a.max_abs_error > 0.1 * std::max(a.max_abs_output, 1e-9))
    a.warning =
        "the quantized model differs from the float model on the calibration samples "
        "(argmax agreement " +
        std::to_string(static_cast<int>(a.argmax_agreement * 100 + 0.5)) + "%, max error " +
        std::to_string(a.max_abs_error) + " on outputs up to " + std::to_string(a.max_abs_output) +
        "): raise --weight-bits or --table-bits for more precision";
  return a;
}

}  // namespace

CompileResult compile(const std::string& onnx_path, const CompileOptions& opt) {
  auto q = quant_options(opt);
  if (opt.name.size() > kMaxModelName)
    throw proof::ArgumentError("model name is " + std::to_string(opt.name.size()) +
                               " bytes long; at most " + std::to_string(kMaxModelName));
  for (unsigned char ch : opt.name)
    if (ch < 0x20 || ch == 0x7f) throw proof::ArgumentError("model name holds a control character");
  report_progress("importing the model", 0.0);
  auto g = onnx::import_model(onnx_path);
  report_progress("calibrating and quantizing", 0.05);
  CompileResult r;
  r.model = quant::quantize(g, opt.calibration, q);
  r.model.circuit.model_name = opt.name;
  r.onnx_ops = g.nodes.size();
  for (const auto& t : r.model.circuit.tensors)
    if (t.kind == circuit::TensorKind::kWeight) r.weights += t.numel();
  report_progress("float against quantized on the calibration samples", 0.6);
  r.accuracy = accuracy(g, r.model, opt.calibration);
  report_progress("done", 1.0);
  return r;
}

Comparator::Comparator(const std::string& onnx_path,
                       const std::vector<std::vector<float>>& calibration,
                       const CompileOptions& opt)
    : graph_(onnx::import_model(onnx_path)),
      model_(quant::quantize(graph_, calibration, quant_options(opt))) {}

RunReport Comparator::run(const std::vector<std::vector<float>>& inputs) const {
  check_inputs(graph_, inputs);
  RunReport r;
  auto t0 = Clock::now();
  auto fv = model::run_float(graph_, inputs);
  r.float_ms = ms_since(t0);
  for (int o : graph_.outputs) r.outputs.push_back({graph_.values[o].name, fv[o], {}, 0});
  circuit::Values qv;
  try {
    auto qin = quant::quantize_inputs(model_.circuit, inputs);
    t0 = Clock::now();
    qv = quant::run_quantized(model_, qin);
    r.int_ms = ms_since(t0);
  } catch (const std::exception&) {
    r.quantized_failure = std::current_exception();
    return r;
  }
  for (size_t i = 0; i < r.outputs.size(); ++i) {
    auto& out = r.outputs[i];
    int t = model_.circuit.outputs[i];
    out.quantized = quant::dequantize(model_.circuit.tensors[t], qv[t]);
    for (size_t j = 0; j < out.float_values.size() && j < out.quantized.size(); ++j)
      out.max_abs_error =
          std::max(out.max_abs_error, std::fabs(double(out.float_values[j]) - out.quantized[j]));
  }
  return r;
}

RunReport run_model(const std::string& onnx_path, const std::vector<std::vector<float>>& inputs,
                    const std::vector<std::vector<float>>& calibration) {
  return Comparator(onnx_path, calibration).run(inputs);
}

}  // namespace zk::api
