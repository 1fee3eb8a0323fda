// Golden fixtures: a proof made by an earlier build must keep verifying, and
// the same model must keep compiling to the same verifying key. A change of
// the proof format, the transcript or the quantization fails here loudly; if
// it is intended, run tests/data/golden/regenerate.sh and say so.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "onnx/import.h"
#include "proof/api.h"

namespace zk::proof {
namespace {

const std::string kDir = std::string(ZK_SOURCE_DIR) + "/tests/data/golden/";
const std::string kEx = std::string(ZK_SOURCE_DIR) + "/examples/breast_cancer/";

std::vector<std::vector<float>> json_data(const std::string& path, const char* key) {
  std::ifstream f(path);
  return nlohmann::json::parse(f)[key].get<std::vector<std::vector<float>>>();
}

TEST(Golden, CommittedProofStillVerifies) {
  auto vk = load_vk(read_file(kDir + "breast_cancer.vk"), "golden vk");
  auto proof = load_proof(read_file(kDir + "breast_cancer.proof"), vk.circuit, "golden proof");
  auto input = json_data(kEx + "input.json", "input_data");
  auto r = verify(vk, proof, &input);
  ASSERT_TRUE(r.ok) << r.reason << " — the proof format or transcript changed";
  auto expected = json_data(kDir + "breast_cancer.output.json", "output_data");
  const auto& c = vk.circuit;
  EXPECT_EQ(quant::dequantize(c.tensors[c.outputs[0]], proof.statement.outputs[0]), expected[0]);
}

TEST(Golden, SameModelCompilesToTheSameVerifyingKey) {
  auto g = onnx::import_model(kEx + "model.onnx");
  auto m = quant::quantize(g, json_data(kEx + "calibration.json", "input_data"));
  m.circuit.model_name = "model.onnx";
  auto keys = setup(m);
  EXPECT_EQ(save_vk(keys.vk), read_file(kDir + "breast_cancer.vk"))
      << "compile or setup output changed; if intended, run tests/data/golden/regenerate.sh";
}

}  // namespace
}  // namespace zk::proof
