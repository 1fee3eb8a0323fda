// LpPool (src/onnx/ops_lppool.cc) in its attribute forms (p = 1, 2, 3; 1-D):
// each model is run by the float executor and compared with onnxruntime,
// then quantized, proven and verified, its proven output within 1% of
// onnxruntime's largest magnitude; a proof checked against a changed input is
// rejected.
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
  std::string name, op;
  std::vector<int64_t> x;
  std::function<void(::onnx::NodeProto*)> attrs;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

int64_t numel(const std::vector<int64_t>& s) {
  int64_t n = 1;
  for (auto d : s) n *= d;
  return n;
}

class LpPoolTest : public ::testing::TestWithParam<Case> {};

TEST_P(LpPoolTest, MatchesOnnxruntimeAndProves) {
  const Case& c = GetParam();
  Builder b(13);
  b.input("x", c.x);
  c.attrs(b.node(c.op, {"x"}, {"y"}));
  b.output("y", static_cast<int>(c.x.size()));
  const std::string file = b.write(c.name + ".onnx");
  const auto g = onnx::import_model(file);
  const std::vector<std::vector<float>> input = {iota_data(numel(c.x), 2.0f, 0.1f)};
  ASSERT_TRUE(zk::testing::ort_available()) << "run scripts/install-deps.sh";
  const auto ort = zk::testing::ort_on(file, input);
  ASSERT_TRUE(ort.ok) << ort.error;
  const auto& want = ort.outputs.at(0);
  std::vector<std::vector<float>> cal = input;
  for (int s = 1; s < 4; ++s)
    for (float v : iota_data(numel(c.x), 2.0f, 0.2f * s - 0.4f)) cal[0].push_back(v);
  const auto fv = model::run_float(g, input);
  auto m = quant::quantize(g, cal);
  auto keys = setup(m);
  auto res = prove(keys.pk, input);
  ASSERT_TRUE(verify(keys.vk, res.proof, &input).ok);
  const auto& f = fv[g.outputs[0]];
  ASSERT_EQ(f.size(), want.size());
  ASSERT_EQ(res.outputs[0].size(), want.size());
  double amax = 0, ferr = 0, qerr = 0;
  for (double v : want) amax = std::max(amax, std::fabs(v));
  for (size_t i = 0; i < want.size(); ++i) {
    ferr = std::max(ferr, std::fabs(f[i] - want[i]));
    qerr = std::max(qerr, std::fabs(res.outputs[0][i] - want[i]));
  }
  EXPECT_LE(ferr, 1e-5 * std::max(1.0, amax));
  EXPECT_LE(qerr, 0.01 * std::max(1.0, amax));
  std::printf("[ lppool ] %s: %zu values, max |ort| %.3f, float err %.2g, proven err %.5f\n",
              c.name.c_str(), want.size(), amax, ferr, qerr);
  auto other = input;
  other[0][0] += 0.5f;
  EXPECT_FALSE(verify(keys.vk, res.proof, &other).ok);
}

INSTANTIATE_TEST_SUITE_P(Ops, LpPoolTest,
                         ::testing::Values(Case{"lppool_p2_stride_pads",
                                                "LpPool",
                                                {1, 2, 5, 5},
                                                [](::onnx::NodeProto* n) {
                                                  Builder::ints(n, "kernel_shape", {3, 2});
                                                  Builder::ints(n, "strides", {2, 1});
                                                  Builder::ints(n, "pads", {1, 0, 1, 1});
                                                }},
                                           Case{"lppool_p1",
                                                "LpPool",
                                                {1, 3, 4, 4},
                                                [](::onnx::NodeProto* n) {
                                                  Builder::ints(n, "kernel_shape", {2, 2});
                                                  Builder::ints(n, "strides", {2, 2});
                                                  Builder::integer(n, "p", 1);
                                                }},
                                           Case{"lppool_p3_one_d",
                                                "LpPool",
                                                {1, 2, 7},
                                                [](::onnx::NodeProto* n) {
                                                  Builder::ints(n, "kernel_shape", {3});
                                                  Builder::integer(n, "p", 3);
                                                }}),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace zk::proof
