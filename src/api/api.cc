#include "api/api.h"

#include <chrono>
#include <cmath>
#include <filesystem>

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

}  // namespace

CompileResult compile(const std::string& onnx_path, const CompileOptions& opt) {
  check_range("table bits", opt.table_bits, kMinTableBits, kMaxTableBits);
  check_range("weight bits", opt.weight_bits, kMinWeightBits, kMaxWeightBits);
  check_range("max scale", opt.max_scale, kMinMaxScale, kMaxMaxScale);
  check_range("max proofs", opt.max_proofs, 1, circuit::kMaxWeightProofs);
  if (opt.name.size() > kMaxModelName)
    throw proof::ArgumentError("model name is " + std::to_string(opt.name.size()) +
                               " bytes long; at most " + std::to_string(kMaxModelName));
  for (unsigned char ch : opt.name)
    if (ch < 0x20 || ch == 0x7f) throw proof::ArgumentError("model name holds a control character");
  quant::QuantOptions q;
  q.table_bits = opt.table_bits;
  q.weight_bits = opt.weight_bits;
  q.max_scale = opt.max_scale;
  q.weight_proofs = opt.max_proofs;
  q.input_vis = opt.visibility.input;
  q.weight_vis = opt.visibility.weights;
  q.output_vis = opt.visibility.output;
  auto g = onnx::import_model(onnx_path);
  CompileResult r;
  r.model = quant::quantize(g, opt.calibration, q);
  r.model.circuit.model_name = opt.name;
  r.onnx_ops = g.nodes.size();
  for (const auto& t : r.model.circuit.tensors)
    if (t.kind == circuit::TensorKind::kWeight) r.weights += t.numel();
  return r;
}

RunReport run_model(const std::string& onnx_path, const std::vector<std::vector<float>>& inputs,
                    const std::vector<std::vector<float>>& calibration) {
  auto g = onnx::import_model(onnx_path);
  auto m = quant::quantize(g, calibration, {});
  check_inputs(g, inputs);
  RunReport r;
  auto t0 = Clock::now();
  auto fv = model::run_float(g, inputs);
  r.float_ms = ms_since(t0);
  for (int o : g.outputs) r.outputs.push_back({g.values[o].name, fv[o], {}, 0});
  circuit::Values qv;
  try {
    auto qin = quant::quantize_inputs(m.circuit, inputs);
    t0 = Clock::now();
    qv = quant::run_quantized(m, qin);
    r.int_ms = ms_since(t0);
  } catch (const std::exception&) {
    r.quantized_failure = std::current_exception();
    return r;
  }
  for (size_t i = 0; i < r.outputs.size(); ++i) {
    auto& out = r.outputs[i];
    int t = m.circuit.outputs[i];
    out.quantized = quant::dequantize(m.circuit.tensors[t], qv[t]);
    for (size_t j = 0; j < out.float_values.size() && j < out.quantized.size(); ++j)
      out.max_abs_error =
          std::max(out.max_abs_error, std::fabs(double(out.float_values[j]) - out.quantized[j]));
  }
  return r;
}

}  // namespace zk::api
