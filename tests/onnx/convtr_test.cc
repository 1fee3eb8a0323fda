// ConvTranspose (src/onnx/ops_convtr.cc: a Conv over the zero-stuffed input
// with the flipped kernel) in the forms the backend cases do not cover:
// strides, asymmetric and negative-effect pads, output_padding, dilations,
// groups, 1-D, a batch of 2. Each model is run by the float executor and
// compared with onnxruntime, then quantized, proven and verified, its proven
// output within 1% of onnxruntime's; a proof checked against a changed input
// is rejected.
#include <gtest/gtest.h>

#include <cmath>
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
  std::vector<int64_t> x, w;  // input [N,C,...], weight [C, M/group, k...]
  int64_t group;
  std::vector<int64_t> strides, pads, output_padding, dilations;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

int64_t numel(const std::vector<int64_t>& s) {
  int64_t n = 1;
  for (auto d : s) n *= d;
  return n;
}

class ConvTransposeTest : public ::testing::TestWithParam<Case> {};

TEST_P(ConvTransposeTest, MatchesOnnxruntimeAndProves) {
  const Case& c = GetParam();
  Builder b(13);
  const int64_t M = c.w[1] * c.group;
  b.input("x", c.x)
      .init("w", c.w, iota_data(numel(c.w), 0.5f, 0.0f))
      .init("b", {M}, iota_data(M, 0.2f, 0.1f));
  auto* n = b.node("ConvTranspose", {"x", "w", "b"}, {"y"});
  Builder::integer(n, "group", c.group);
  if (!c.strides.empty()) Builder::ints(n, "strides", c.strides);
  if (!c.pads.empty()) Builder::ints(n, "pads", c.pads);
  if (!c.output_padding.empty()) Builder::ints(n, "output_padding", c.output_padding);
  if (!c.dilations.empty()) Builder::ints(n, "dilations", c.dilations);
  b.output("y", static_cast<int>(c.x.size()));
  const std::string file = b.write(c.name + ".onnx");
  const auto g = onnx::import_model(file);
  const std::vector<std::vector<float>> input = {iota_data(numel(c.x), 1.0f, 0.0f)};
  ASSERT_TRUE(zk::testing::ort_available()) << "run scripts/install-deps.sh";
  const auto ort = zk::testing::ort_on(file, input);
  ASSERT_TRUE(ort.ok) << ort.error;
  const auto& want = ort.outputs.at(0);
  std::vector<std::vector<float>> cal = input;
  for (int s = 1; s < 4; ++s)
    for (float v : iota_data(numel(c.x), 1.0f, 0.3f * s - 0.6f)) cal[0].push_back(v);
  const auto fv = model::run_float(g, input);
  auto m = quant::quantize(g, cal);
  auto keys = setup(m);
  auto res = prove(keys.pk, input);
  auto r = verify(keys.vk, res.proof, &input);
  ASSERT_TRUE(r.ok) << r.reason;
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
  std::printf("[ convtr ] %s: %zu values, max |ort| %.3f, float err %.2g, proven err %.5f\n",
              c.name.c_str(), want.size(), amax, ferr, qerr);
  auto other = input;
  other[0][0] += 0.5f;
  EXPECT_FALSE(verify(keys.vk, res.proof, &other).ok);
}

INSTANTIATE_TEST_SUITE_P(
    ConvTranspose, ConvTransposeTest,
    ::testing::Values(Case{"stride2_pads_output_padding",
                           {1, 2, 3, 4},
                           {2, 3, 3, 3},
                           1,
                           {2, 3},
                           {1, 0, 2, 1},
                           {1, 2},
                           {}},
                      Case{
                          "dilated_grouped", {1, 4, 3, 3}, {4, 1, 2, 2}, 2, {1, 2}, {}, {}, {2, 1}},
                      Case{"one_d_stride3", {1, 2, 5}, {2, 2, 3}, 1, {3}, {2, 1}, {}, {}},
                      Case{"batch2", {2, 2, 3, 3}, {2, 2, 2, 2}, 1, {2, 2}, {0, 1, 1, 0}, {}, {}}),
    [](const auto& info) { return info.param.name; });

TEST(ConvTransposeTest, RefusesOutputShape) {
  Builder b(13);
  b.input("x", {1, 1, 3, 3}).init("w", {1, 1, 2, 2}, {1, 2, 3, 4});
  Builder::ints(b.node("ConvTranspose", {"x", "w"}, {"y"}), "output_shape", {4, 4});
  b.output("y", 4);
  const std::string e = b.error("convtr_output_shape.onnx");
  EXPECT_NE(e.find("output_shape"), std::string::npos) << e;
}

}  // namespace
}  // namespace zk::proof
