// The float reference nobody on the project wrote: onnxruntime (npm
// onnxruntime-node, installed into scripts/reference by
// scripts/install-deps.sh) run on a model and an input JSON file by
// scripts/reference/ort_run.js.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace zk::testing {

struct OrtResult {
  bool ok = false;
  std::string error;                         // why not, when !ok
  std::vector<std::vector<double>> outputs;  // flat, one per model output
};

inline bool ort_available() {
  return std::filesystem::is_directory(std::string(ZK_SOURCE_DIR) +
                                       "/scripts/reference/node_modules/onnxruntime-node");
}

// Runs onnxruntime on `model` with the inputs of `input_json`; `scratch` is a
// file path it may write.
inline OrtResult ort_reference(const std::string& model, const std::string& input_json,
                               const std::string& scratch) {
  OrtResult r;
  const std::string script = std::string(ZK_SOURCE_DIR) + "/scripts/reference/ort_run.js";
  const std::string err = scratch + ".err";
  const std::string cmd = "node '" + script + "' '" + model + "' '" + input_json + "' '" + scratch +
                          "' 2> '" + err + "'";
  const int rc = std::system(cmd.c_str());
  if (rc != 0) {
    std::ifstream e(err);
    std::getline(e, r.error);
    if (r.error.empty()) r.error = "node exited with status " + std::to_string(rc);
    return r;
  }
  std::ifstream f(scratch);
  const auto j = nlohmann::json::parse(f);
  for (const auto& row : j["output_data"]) r.outputs.push_back(row.get<std::vector<double>>());
  r.ok = true;
  return r;
}

// onnxruntime on `model` with `input` (one flat list per model input),
// written beside the model as MODEL.in.json.
inline OrtResult ort_on(const std::string& model, const std::vector<std::vector<float>>& input) {
  const std::string in_json = model + ".in.json";
  std::ofstream(in_json) << nlohmann::json{{"input_data", input}}.dump();
  return ort_reference(model, in_json, in_json + ".ort");
}

}  // namespace zk::testing
