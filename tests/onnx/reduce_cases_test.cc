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

// Compiles (calibrated on `cal`), then proves and verifies each sample of
// `inputs`; returns the largest error relative to max |want| (all samples).
double prove_and_compare(const model::FloatGraph& g, const std::vector<std::vector<float>>& cal,
                         const std::vector<std::vector<float>>& inputs,
                         const std::vector<float>& want, const std::string& name) {
  auto m = quant::quantize(g, cal);
  auto keys = setup(m);
  std::vector<float> got;
  for (const auto& in : inputs) {
    std::vector<std::vector<float>> input = {in};
    auto res = prove(keys.pk, input);
    auto r = verify(keys.vk, res.proof, &input);
    EXPECT_TRUE(r.ok) << name << ": " << r.reason;
    got.insert(got.end(), res.outputs.at(0).begin(), res.outputs.at(0).end());
  }
  EXPECT_EQ(got.size(), want.size()) << name;
  double amax = 0, err = 0;
  for (float x : want) amax = std::max(amax, static_cast<double>(std::fabs(x)));
  for (size_t i = 0; i < want.size() && i < got.size(); ++i)
    err = std::max(err, std::fabs(static_cast<double>(got[i]) - want[i]));
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
  // A batch of N samples (the op acts on each alone): batch 1, one proof each.
  auto* shape =
      mp.mutable_graph()->mutable_input(0)->mutable_type()->mutable_tensor_type()->mutable_shape();
  const int64_t N = shape->dim(0).dim_value();
  shape->mutable_dim(0)->set_dim_value(1);
  auto* oshape =
      mp.mutable_graph()->mutable_output(0)->mutable_type()->mutable_tensor_type()->mutable_shape();
  if (oshape->dim_size() > 0 && oshape->dim(0).dim_value() == N)
    oshape->mutable_dim(0)->set_dim_value(1);
  mp.mutable_graph()->clear_value_info();
  auto g = zk::onnx::import_model(write_bytes(name + ".onnx", mp.SerializeAsString()).string());
  auto cal = tensor_file(dir / "test_data_set_0" / "input_0.pb");
  auto want = tensor_file(dir / "test_data_set_0" / "output_0.pb");
  std::vector<std::vector<float>> rows;
  const size_t per = cal.size() / static_cast<size_t>(std::max<int64_t>(N, 1));
  // At most 4 samples proven (calibration sees them all), to stay fast.
  for (size_t i = 0; i + per <= cal.size() && rows.size() < 4; i += per)
    rows.emplace_back(cal.begin() + i, cal.begin() + i + per);
  want.resize(std::min(want.size(), want.size() / std::max<int64_t>(N, 1) * rows.size()));
  EXPECT_LE(prove_and_compare(g, {cal}, rows, want, name), 0.01);
}

INSTANTIATE_TEST_SUITE_P(Reduce, OnnxBackendCase,
                         ::testing::Values("test_operator_reduced_mean",
                                           "test_operator_reduced_mean_keepdim",
                                           "test_operator_reduced_sum",
                                           "test_operator_reduced_sum_keepdim", "test_Softmax",
                                           "test_LogSoftmax", "test_softmax_lastdim",
                                           "test_softmax_functional_dim3", "test_log_softmax_dim3",
                                           "test_log_softmax_lastdim", "test_Softmin",
                                           "test_operator_symbolic_override"));

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
  EXPECT_LE(prove_and_compare(g, input, input, want, name), 0.01);
}

INSTANTIATE_TEST_SUITE_P(Reduce, EzklCase,
                         ::testing::Values("reducel1", "1l_mean", "max", "min", "reducel2",
                                           "logsumexp", "1l_softmax"));

}  // namespace
}  // namespace zk::proof
