// Trilu with a constant k (src/onnx/ops_trilu.cc, a masked move) on a batch of
// non-square matrices, upper and lower, k negative, zero and positive: the
// float executor equals onnxruntime exactly, the proven output is within 1%
// of it, and a proof checked against a changed input is rejected.
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
  int64_t upper, k;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

class TriluTest : public ::testing::TestWithParam<Case> {};

TEST_P(TriluTest, MatchesOnnxruntimeAndProves) {
  const Case& c = GetParam();
  Builder b(14);
  b.input("x", {2, 3, 4}).init_ints("k", {c.k});
  Builder::integer(b.node("Trilu", {"x", "k"}, {"y"}), "upper", c.upper);
  b.output("y", 3);
  const std::string file = b.write(c.name + ".onnx");
  const auto g = onnx::import_model(file);
  const std::vector<std::vector<float>> input = {iota_data(24, 1.0f, 0.2f)};
  ASSERT_TRUE(zk::testing::ort_available()) << "run scripts/install-deps.sh";
  const auto ort = zk::testing::ort_on(file, input);
  ASSERT_TRUE(ort.ok) << ort.error;
  const auto& want = ort.outputs.at(0);
  auto m = quant::quantize(g, input);
  auto keys = setup(m);
  auto res = prove(keys.pk, input);
  ASSERT_TRUE(verify(keys.vk, res.proof, &input).ok);
  const auto fv = model::run_float(g, input);
  const auto& f = fv[g.outputs[0]];
  ASSERT_EQ(f.size(), want.size());
  ASSERT_EQ(res.outputs[0].size(), want.size());
  int zeros = 0;
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(f[i], static_cast<float>(want[i])) << i;
    EXPECT_NEAR(res.outputs[0][i], want[i], 0.01) << i;
    zeros += want[i] == 0.0;
  }
  EXPECT_GT(zeros, 0);
  auto other = input;
  other[0][3] += 0.5f;
  EXPECT_FALSE(verify(keys.vk, res.proof, &other).ok);
}

INSTANTIATE_TEST_SUITE_P(Trilu, TriluTest,
                         ::testing::Values(Case{"upper_k0", 1, 0}, Case{"upper_k1", 1, 1},
                                           Case{"lower_k0", 0, 0}, Case{"lower_k_minus1", 0, -1},
                                           Case{"upper_k_minus1", 1, -1}),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace zk::proof
