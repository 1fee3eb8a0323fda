// Opset-18 models (which Debian's libonnx cannot check or shape-infer, so the
// importer reads them on its own): the forms that opset 18 added or changed
// (Mish, GroupNormalization, ReduceMean and Pad with an `axes` input, Split's
// num_outputs with an uneven last part, Resize with `axes`). Each is compared
// with onnxruntime (float executor within 1e-4, the proven output within 1% of
// the largest magnitude), proven and verified, and a proof checked against a
// changed input is rejected.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <nlohmann/json.hpp>

#include "../support/onnx_builder.h"
#include "../support/ort_reference.h"
#include "onnx/import.h"
#include "proof/api.h"

namespace zk::proof {
namespace {

using zk::testing::Builder;
using zk::testing::iota_data;

struct Case {
  std::string name;
  std::vector<int64_t> shape;       // the input's
  std::function<void(Builder&)> g;  // adds the nodes and outputs after input "x"
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

class Opset18 : public ::testing::TestWithParam<Case> {};

TEST_P(Opset18, MatchesOnnxruntimeAndProves) {
  const Case& c = GetParam();
  Builder b(18);
  b.input("x", c.shape);
  c.g(b);
  const std::string file = b.write("opset18_" + c.name + ".onnx");
  const auto g = onnx::import_model(file);
  size_t n = 1;
  for (auto d : c.shape) n *= static_cast<size_t>(d);
  const std::vector<std::vector<float>> input = {iota_data(n, 2.0f, 0.3f)};
  ASSERT_TRUE(zk::testing::ort_available()) << "run scripts/install-deps.sh";
  const auto ort = zk::testing::ort_on(file, input);
  ASSERT_TRUE(ort.ok) << ort.error;
  ASSERT_EQ(ort.outputs.size(), g.outputs.size());
  auto m = quant::quantize(g, input);
  auto keys = setup(m);
  auto res = prove(keys.pk, input);
  ASSERT_TRUE(verify(keys.vk, res.proof, &input).ok);
  const auto fv = model::run_float(g, input);
  for (size_t o = 0; o < g.outputs.size(); ++o) {
    const auto& want = ort.outputs[o];
    const auto& f = fv[g.outputs[o]];
    ASSERT_EQ(f.size(), want.size()) << "output " << o;
    ASSERT_EQ(res.outputs[o].size(), want.size()) << "output " << o;
    double amax = 0;
    for (double w : want) amax = std::max(amax, std::fabs(w));
    for (size_t i = 0; i < want.size(); ++i) {
      EXPECT_NEAR(f[i], want[i], 1e-4 * std::max(1.0, amax)) << "output " << o << " at " << i;
      EXPECT_NEAR(res.outputs[o][i], want[i], 0.01 * amax) << "output " << o << " at " << i;
    }
  }
  auto other = input;
  other[0][1] += 0.5f;
  EXPECT_FALSE(verify(keys.vk, res.proof, &other).ok);
}

const Case kCases[] = {
    {"mish",
     {1, 24},
     [](Builder& b) {
       b.node("Mish", {"x"}, {"y"});
       b.output("y", 2);
     }},
    {"group_norm_batch2",
     {2, 4, 3, 3},
     [](Builder& b) {
       b.init("s", {2}, {1.5f, -0.5f}).init("bias", {2}, {0.25f, 0.0f});
       Builder::integer(b.node("GroupNormalization", {"x", "s", "bias"}, {"y"}), "num_groups", 2);
       b.output("y", 4);
     }},
    {"reduce_mean_axes_input",
     {2, 3, 4},
     [](Builder& b) {
       b.init_ints("axes", {-1});
       Builder::integer(b.node("ReduceMean", {"x", "axes"}, {"y"}), "keepdims", 0);
       b.output("y", 2);
     }},
    {"pad_axes_input",
     {1, 2, 3, 3},
     [](Builder& b) {
       b.init_ints("pads", {1, 0, 2, 1}).init_ints("axes", {2, 3}).init("v", {}, {0.5f});
       b.node("Pad", {"x", "pads", "v", "axes"}, {"y"});
       b.output("y", 4);
     }},
    {"split_num_outputs",
     {1, 8, 2},
     [](Builder& b) {
       auto* s = b.node("Split", {"x"}, {"a", "c", "d"});
       Builder::integer(s, "axis", 1);
       Builder::integer(s, "num_outputs", 3);
       b.output("a", 3).output("c", 3).output("d", 3);
     }},
    {"resize_axes",
     {1, 2, 2, 3},
     [](Builder& b) {
       b.init("scales", {2}, {2.0f, 2.0f});
       Builder::ints(b.node("Resize", {"x", "", "scales"}, {"y"}), "axes", {2, 3});
       b.output("y", 4);
     }},
};

INSTANTIATE_TEST_SUITE_P(Opset18, Opset18, ::testing::ValuesIn(kCases),
                         [](const auto& info) { return info.param.name; });

// What opset 18 added and zkinfer does not prove is refused by name.
TEST(Opset18Refusals, NameTheOpAndTheForm) {
  {
    Builder b(18);
    b.input("x", {1, 4});
    b.node("BitwiseNot", {"x"}, {"y"});
    b.output("y", 2);
    const std::string e = b.error("opset18_bitwise.onnx");
    EXPECT_NE(e.find("BitwiseNot"), std::string::npos) << e;
  }
  {
    Builder b(18);
    b.input("x", {1, 2, 4, 4});
    b.init("scales", {2}, {0.5f, 0.5f});
    auto* r = b.node("Resize", {"x", "", "scales"}, {"y"});
    Builder::ints(r, "axes", {2, 3});
    Builder::integer(r, "antialias", 1);
    auto* a = r->add_attribute();
    a->set_name("mode");
    a->set_type(::onnx::AttributeProto::STRING);
    a->set_s("linear");
    b.output("y", 4);
    const std::string e = b.error("opset18_antialias.onnx");
    EXPECT_NE(e.find("antialias"), std::string::npos) << e;
  }
  {
    Builder b(19);
    b.input("x", {1, 4});
    b.node("Relu", {"x"}, {"y"});
    b.output("y", 2);
    const std::string e = b.error("opset19.onnx");
    EXPECT_NE(e.find("opset 19 is not supported"), std::string::npos) << e;
  }
}

}  // namespace
}  // namespace zk::proof
