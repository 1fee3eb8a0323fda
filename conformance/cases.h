// The conformance runner's cases (one model each, with its input and where
// its reference comes from) and the run of one case. Internal to
// conformance/.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace zk::conformance {

struct Case {
  std::string suite;  // "ezkl", "pytorch-converted", "pytorch-operator", "light", "examples"
  std::string name;
  std::string model;  // the .onnx file
  // ezkl: input.json (inputs; the reference is onnxruntime on it).
  std::string input_json;
  // ONNX backend tests: test_data_set_0/input_N.pb and output_N.pb.
  std::vector<std::string> input_pbs, output_pbs;
  // light: a random input (seeded), the reference onnxruntime on it.
  bool random_input = false;
  // examples: a calibration set (input_data JSON) to compile with instead of
  // the input itself.
  std::string calibration_json;
};

// Every case under `models` (../shared/models), in a stable order, then the
// project's own examples (examples/gpt: suite "examples").
std::vector<Case> discover(const std::string& models);

// Runs one case: reference, import, float and quantized inference, and, for a
// circuit of at most `prove_limit` padded values, setup, prove and verify.
// Returns the row: status (PASS, FAIL, UNSUPPORTED, TOO LARGE, NO REFERENCE),
// cause, ops, params, float_err, quant_err, argmax, prove_s, verify_ms,
// proof_kb.
nlohmann::json run_case(const Case& c, double prove_limit);

}  // namespace zk::conformance
