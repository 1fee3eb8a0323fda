// zkinfer's library API, shared by the command line and language bindings:
// compile an ONNX model, then setup, prove, verify, inspect and open
// commitments (declared in proof/api.h, proof/inspect.h, proof/opening.h and
// included here). Every error a caller's files or arguments can cause derives
// from zk::Error; anything else is a bug.
#pragma once

#include <exception>
#include <string>
#include <vector>

#include "model/graph.h"
#include "proof/api.h"
#include "proof/inspect.h"
#include "proof/opening.h"
#include "proof/tensor_io.h"

namespace zk::api {

// The whole API in one namespace for callers (bindings use zk::api::*).
using proof::format_visibility;
using proof::GroupVisibility;
using proof::inspect;
using proof::Inspection;
using proof::Keys;
using proof::open_model_commitment;
using proof::open_tensor_commitment;
using proof::OpenResult;
using proof::parse_opening;
using proof::parse_visibility;
using proof::prove;
using proof::ProveResult;
using proof::setup;
using proof::verify;
using proof::VerifyResult;
using proof::write_opening;

// Precision limits compile() accepts.
inline constexpr unsigned kMinTableBits = 8, kMaxTableBits = 18;
inline constexpr int kMinMaxScale = 8, kMaxMaxScale = 20;
inline constexpr int kMinWeightBits = 4, kMaxWeightBits = 24;

struct CompileOptions {
  GroupVisibility visibility;  // default: private input, committed weights, public output
  unsigned table_bits = 14;    // lookup tables of 2^table_bits rows (activation precision)
  int weight_bits = 12;        // signed bits per weight
  // At most this many fractional bits for any tensor: raise it for a model
  // whose activations are tiny (an untrained model's LayerNorm variances).
  int max_scale = 20;
  uint32_t max_proofs = 16;  // weights=committed: proofs they stay hidden for per setup
  // Per model input, several samples concatenated; empty: scales are
  // calibrated on random inputs in [-1, 1].
  std::vector<std::vector<float>> calibration;
  // A name for the model, bound into the circuit (so its digest and the
  // verifying key) and shown by inspect. Empty by default: the key then
  // depends on the model alone, not on the ONNX file's name.
  std::string name;
};
inline constexpr size_t kMaxModelName = 200;

// The float model against the quantized circuit on the calibration samples
// (up to kAccuracySamples of them, fewer for a model whose samples take
// longer than kAccuracyBudgetMs together, at least one; without
// calibration, on random inputs in [-1, 1]): what precision the chosen bits
// keep.
struct Accuracy {
  size_t samples = 0;
  double max_abs_error = 0;     // over every output value of every sample
  double max_abs_output = 0;    // the float outputs' largest magnitude (for scale)
  double argmax_agreement = 1;  // samples whose first output has the same argmax
  std::string warning;          // set when the quantized model loses accuracy
};
inline constexpr size_t kAccuracySamples = 8;
inline constexpr double kAccuracyBudgetMs = 3000;

struct CompileResult {
  quant::CompiledModel model;
  size_t onnx_ops = 0;  // nodes of the normalized float graph
  size_t weights = 0;   // weight values, padded
  Accuracy accuracy;
};
// Imports, calibrates and quantizes `onnx_path`. Nothing of the path enters
// the circuit: the same model under another file name compiles to the same
// circuit (only opt.name does). Throws ArgumentError on options out of range
// (a name longer than kMaxModelName or with control characters),
// ModelError on an unsupported or malformed model.
CompileResult compile(const std::string& onnx_path, const CompileOptions& opt = {});

// The float model beside its quantized circuit (at the default precision, as
// compile without overrides), on one input.
struct RunOutput {
  std::string name;
  std::vector<float> float_values;
  std::vector<float> quantized;  // empty when the quantized model failed
  double max_abs_error = 0;
};
struct RunReport {
  std::vector<RunOutput> outputs;
  double float_ms = 0, int_ms = 0;
  // Set when the quantized model could not run (e.g. a value left the
  // calibrated range): the float outputs stand; rethrow to report it.
  std::exception_ptr quantized_failure;
};
RunReport run_model(const std::string& onnx_path, const std::vector<std::vector<float>>& inputs,
                    const std::vector<std::vector<float>>& calibration = {});

// The same for many inputs: the model is imported and calibrated once.
class Comparator {
 public:
  Comparator(const std::string& onnx_path, const std::vector<std::vector<float>>& calibration = {},
             const CompileOptions& opt = {});
  RunReport run(const std::vector<std::vector<float>>& inputs) const;
  const quant::CompiledModel& model() const { return model_; }

 private:
  model::FloatGraph graph_;
  quant::CompiledModel model_;
};

}  // namespace zk::api
