// Reductions and softmax checked against references nobody here wrote: the
// ONNX backend test cases in ../shared/models/onnx (model.onnx with
// test_data_set_0's input and output) and the ezkl examples with outputs
// computed by onnxruntime (tests/data/ort/ezkl_reduce.json, made by
// tests/data/ort/ort_reference.js). Each model is compiled (calibrated on its
// own input), proven and verified; the proven output must be within 1% of
// max |reference|. Skips when ../shared is absent.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "../support/onnx_builder.h"
#include "onnx/importer.h"
#include "proof/api.h"

namespace zk::proof {
namespace {

namespace fs = std::filesystem;
namespace ox = ::onnx;
using zk::testing::read_bytes;
using zk::testing::write_bytes;

const fs::path kModels = fs::path(ZK_SOURCE_DIR) / ".." / "shared" / "models";

#define REQUIRE_SHARED() \
  if (!fs::is_directory(kModels)) GTEST_SKIP() << "../shared/models not present (CI has it)"

std::vector<float> tensor_file(const fs::path& p) {
  ox::TensorProto t;
  EXPECT_TRUE(t.ParseFromString(read_bytes(p))) << p;
  auto c = zk::onnx::const_from_tensor(t, p.string());
  return c.f;
}

// Compiles, proves and verifies; returns the error relative to max |want|.
double prove_and_compare(const model::FloatGraph& g, const std::vector<std::vector<float>>& input,
                         const std::vector<float>& want, const std::string& name) {
  auto m = quant::quantize(g, input);
  auto keys = setup(m);
  auto res = prove(keys.pk, input);
  auto r = verify(keys.vk, res.proof, &input);
  EXPECT_TRUE(r.ok) << name << ": " << r.reason;
  EXPECT_EQ(res.outputs.at(0).size(), want.size()) << name;
  double amax = 0, err = 0;
  for (float x : want) amax = std::max(amax, static_cast<double>(std::fabs(x)));
  for (size_t i = 0; i < want.size() && i < res.outputs[0].size(); ++i)
    err = std::max(err, std::fabs(static_cast<double>(res.outputs[0][i]) - want[i]));
  std::printf("[ reference ] %s: %zu values, max |ref| %.4f, max abs error %.5f (%.3f%%)\n",
              name.c_str(), want.size(), amax, err, amax > 0 ? 100 * err / amax : 0.0);
  return amax > 0 ? err / amax : err;
}

class OnnxBackendCase : public ::testing::TestWithParam<std::string> {};

// The ONNX backend cases. Opset 6 files are relabelled to opset 11 where the
// op's semantics did not change between them (ReduceSum/Mean with attribute
// axes; Softmax and LogSoftmax flatten at `axis` until opset 13).
TEST_P(OnnxBackendCase, ProvenOutputMatchesTheRecordedOutput) {
  REQUIRE_SHARED();
  const std::string name = GetParam();
  fs::path dir = kModels / "onnx" / "pytorch-operator" / name;
  if (!fs::exists(dir)) dir = kModels / "onnx" / "pytorch-converted" / name;
  ASSERT_TRUE(fs::exists(dir / "model.onnx")) << dir;
  ox::ModelProto mp;
  ASSERT_TRUE(mp.ParseFromString(read_bytes(dir / "model.onnx")));
  for (auto& o : *mp.mutable_opset_import())
    if ((o.domain().empty() || o.domain() == "ai.onnx") && o.version() < 11) o.set_version(11);
  auto g = zk::onnx::import_model(write_bytes(name + ".onnx", mp.SerializeAsString()).string());
  std::vector<std::vector<float>> input = {tensor_file(dir / "test_data_set_0" / "input_0.pb")};
  auto want = tensor_file(dir / "test_data_set_0" / "output_0.pb");
  EXPECT_LE(prove_and_compare(g, input, want, name), 0.01);
}

INSTANTIATE_TEST_SUITE_P(Reduce, OnnxBackendCase,
                         ::testing::Values("test_operator_reduced_mean",
                                           "test_operator_reduced_mean_keepdim",
                                           "test_operator_reduced_sum",
                                           "test_operator_reduced_sum_keepdim"));

class EzklCase : public ::testing::TestWithParam<std::string> {};

TEST_P(EzklCase, ProvenOutputMatchesOnnxruntime) {
  REQUIRE_SHARED();
  const std::string name = GetParam();
  const fs::path dir = kModels / "ezkl" / name;
  auto refs = nlohmann::json::parse(
      read_bytes(fs::path(ZK_SOURCE_DIR) / "tests" / "data" / "ort" / "ezkl_reduce.json"));
  auto want = refs.at("outputs").at(name).at(0).get<std::vector<float>>();
  auto in = nlohmann::json::parse(read_bytes(dir / "input.json"));
  auto input = in.at("input_data").get<std::vector<std::vector<float>>>();
  auto g = zk::onnx::import_model((dir / "network.onnx").string());
  EXPECT_LE(prove_and_compare(g, input, want, name), 0.01);
}

INSTANTIATE_TEST_SUITE_P(Reduce, EzklCase, ::testing::Values("reducel1", "1l_mean", "max", "min"));

}  // namespace
}  // namespace zk::proof
