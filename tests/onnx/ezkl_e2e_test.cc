// The ezkl example models from ../shared/models/ezkl end to end through the
// CLI: compile (calibrated on the model's own input.json), setup, prove,
// verify, and the proven (quantized) output compared with onnxruntime's
// float output on the same input. Models with ops zkinfer does not support,
// and a Git LFS pointer posing as a model, must be refused with a clear error.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "../support/cli_runner.h"
#include "../support/onnx_builder.h"
#include "../support/ort_reference.h"
#include "cli/cli.h"

namespace fs = std::filesystem;

namespace {

const std::string kEzklDir = std::string(ZK_SOURCE_DIR) + "/../shared/models/ezkl";

#define REQUIRE_EZKL() \
  if (!fs::is_directory(kEzklDir)) GTEST_SKIP() << "../shared/models not present (CI has it)"

using zk::testing::has;
using zk::testing::Result;
using zk::testing::zk;

nlohmann::json read_json(const std::string& path) {
  std::ifstream f(path);
  return nlohmann::json::parse(f);
}

// All outputs flattened and concatenated, in model-output order.
std::vector<double> flatten(const nlohmann::json& lists) {
  std::vector<double> v;
  for (const auto& row : lists)
    for (const auto& x : row) v.push_back(x.get<double>());
  return v;
}

using zk::testing::ScratchDir;

class EzklModel : public ::testing::TestWithParam<std::string> {
 protected:
  static void SetUpTestSuite() { tmp_ = new ScratchDir; }
  static void TearDownTestSuite() {
    delete tmp_;
    tmp_ = nullptr;
  }
  static std::string path(const std::string& name) { return tmp_->path(name); }

 private:
  static ScratchDir* tmp_;
};
ScratchDir* EzklModel::tmp_ = nullptr;

// Quantization error budget, relative to the output's magnitude (at least 1).
// The bar: 1% (observed errors are far below; see the lines printed).
constexpr double kRelTolerance = 0.01;

TEST_P(EzklModel, ProvesVerifiesAndMatchesFloatOutput) {
  REQUIRE_EZKL();
  const std::string name = GetParam();
  const std::string dir = kEzklDir + "/" + name + "/";
  const std::string onnx = dir + "network.onnx", input = dir + "input.json";
  const std::string zkc = path(name + ".zkc"), pk = path(name + ".pk"), vk = path(name + ".vk"),
                    proof = path(name + ".proof"), out = path(name + ".out.json");

  Result c =
      zk({"compile", onnx, "-o", zkc, "--calibration", input, "--visibility", "input=public"});
  ASSERT_EQ(c.code, 0) << c.all();
  Result s = zk({"setup", zkc, "--pk", pk, "--vk", vk});
  ASSERT_EQ(s.code, 0) << s.all();
  Result p = zk({"prove", "--pk", pk, "--input", input, "--proof", proof, "--output", out});
  ASSERT_EQ(p.code, 0) << p.all();
  Result v = zk({"verify", "--vk", vk, "--proof", proof, "--input", input});
  ASSERT_EQ(v.code, 0) << v.all();
  EXPECT_TRUE(has(v.out, "ACCEPTED")) << v.all();
  EXPECT_TRUE(has(v.out, "proven output 0: ")) << v.all();

  const auto got = flatten(read_json(out)["output_data"]);
  // The reference: onnxruntime on the same input (input.json's output_data
  // is, for many of these models, ezkl's own quantized output).
  ASSERT_TRUE(zk::testing::ort_available())
      << "onnxruntime-node is not installed: run scripts/install-deps.sh";
  const auto ort = zk::testing::ort_reference(onnx, input, path(name + ".ort.json"));
  ASSERT_TRUE(ort.ok) << ort.error;
  std::vector<double> want;
  for (const auto& o : ort.outputs) want.insert(want.end(), o.begin(), o.end());
  const std::string source = "onnxruntime";
  ASSERT_EQ(got.size(), want.size())
      << "proven output has " << got.size() << " values, reference " << want.size();
  ASSERT_FALSE(want.empty());
  double max_err = 0, max_ref = 0;
  for (size_t i = 0; i < want.size(); ++i) {
    max_err = std::max(max_err, std::fabs(got[i] - want[i]));
    max_ref = std::max(max_ref, std::fabs(want[i]));
  }
  const double budget = kRelTolerance * std::max(1.0, max_ref);
  std::cout << "[ ezkl     ] " << name << ": " << want.size() << " outputs, max |expected| "
            << max_ref << ", max abs error " << max_err << " (budget " << budget << ", vs "
            << source << ")\n";
  RecordProperty("max_abs_error", std::to_string(max_err));
  EXPECT_LE(max_err, budget);
}

INSTANTIATE_TEST_SUITE_P(
    Ezkl, EzklModel,
    ::testing::Values(
        "1l_conv", "1l_linear", "1l_mlp", "1l_relu", "1l_flatten", "1l_reshape", "1l_identity",
        "1l_batch_norm", "1l_pad", "1l_downsample", "1l_mean", "2l_relu_fc", "2l_relu_small",
        "3l_relu_conv_fc", "sklearn_mlp", "linear_regression", "accuracy", "blackman_window", "eye",
        "quantize_dequantize", "1l_sigmoid", "2l_relu_sigmoid", "2l_sigmoid_small", "1l_erf",
        "1l_tanh", "1l_elu", "1l_leakyrelu", "1l_sqrt", "celu", "exp", "log", "selu", "softplus",
        "hard_sigmoid", "trig", "rsqrt", "rounding_ops", "1l_powf", "1l_concat", "1l_slice",
        "1l_eltwise_div", "prelu_gmm", "less", "reducel1", "max", "min", "reducel2", "logsumexp",
        "1l_softmax", "1l_where", "general_exp", "oh_decision_tree", "multihead_attention", "lstm",
        "lstm_large", "gru", "rnn", "hard_max", "1l_topk", "tril", "triu", "gather_elements",
        "gather_nd", "scatter_elements", "scatter_nd", "xgboost_reg", "hierarchical_risk"),
    [](const auto& info) { return info.param; });

// Unsupported models: exit 1 and an error naming what is unsupported.
struct Unsupported {
  std::string model, phrase;
};

class EzklUnsupported : public ::testing::TestWithParam<Unsupported> {};

TEST_P(EzklUnsupported, CompileFailsNamingTheProblem) {
  REQUIRE_EZKL();
  const auto& u = GetParam();
  const std::string dir = kEzklDir + "/" + u.model + "/";
  char tmpl[] = "/tmp/zk_ezkl_test_XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  const std::string zkc = std::string(tmpl) + "/x.zkc";
  Result r = zk({"compile", dir + "network.onnx", "-o", zkc, "--calibration", dir + "input.json"});
  EXPECT_EQ(r.code, 1) << r.all();
  EXPECT_TRUE(has(r.err, "error: ")) << r.all();
  EXPECT_TRUE(has(r.err, u.phrase)) << "expected '" << u.phrase << "' in\n" << r.all();
  EXPECT_TRUE(has(r.err, "network.onnx")) << "the error should name the file\n" << r.all();
  EXPECT_FALSE(fs::exists(zkc));
  fs::remove_all(tmpl);
}

INSTANTIATE_TEST_SUITE_P(Ezkl, EzklUnsupported,
                         ::testing::Values(Unsupported{"arange", "the graph has no inputs"},
                                           Unsupported{"smallworm", "Git LFS pointer"}),
                         [](const auto& info) { return info.param.model; });

// Every ezkl example's op is supported now: an unsupported op (Det) in a
// model built in memory.
TEST(EzklUnsupportedOps, NamesNodeAndOpset) {
  zk::testing::Builder b(15);
  b.input("x", {3, 3});
  b.node("Det", {"x"}, {"y"});
  b.output("y", 0);
  Result r = zk({"compile", b.write("unsupported_det.onnx"), "-o", "/nonexistent/x.zkc"});
  EXPECT_EQ(r.code, 1) << r.all();
  EXPECT_TRUE(has(r.err, "node '")) << r.all();
  EXPECT_TRUE(has(r.err, "opset ")) << r.all();
  EXPECT_TRUE(has(r.err, "zkinfer supports")) << r.all();
}

}  // namespace
