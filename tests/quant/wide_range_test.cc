// Calibration and scales for models whose values leave the usual ranges (the
// light model-zoo architectures of ../shared/models/onnx/light, whose weights
// are constant fills): activations growing past 2^29 layer after layer, small
// weights that are all alike (their rounding error compounds), and a final
// Softmax over many classes (probabilities near 1/count). Each tiny model is
// calibrated on its own input, proven, verified, and its proven output
// compared with the float executor; every proof section tampered is rejected.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "../support/onnx_builder.h"
#include "proof/api.h"

namespace zk::proof {
namespace {

using zk::testing::Builder;

// A chain of Gemms [1,k] x [k,k], layer i with every weight w[i] (no
// bias), optionally ending in a Gemm with varied weights and a Softmax.
Builder gemm_chain(int64_t k, const std::vector<float>& w, bool softmax) {
  Builder bl(13);
  bl.input("x", {1, k});
  std::string prev = "x";
  for (size_t i = 0; i < w.size(); ++i) {
    const std::string id = std::to_string(i);
    bl.init("w" + id, {k, k}, std::vector<float>(static_cast<size_t>(k * k), w[i]));
    bl.node("Gemm", {prev, "w" + id}, {"h" + id});
    prev = "h" + id;
  }
  if (softmax) {
    bl.init("wl", {k, k}, zk::testing::iota_data(static_cast<size_t>(k * k), 1.0f, 0.0f));
    bl.node("Gemm", {prev, "wl"}, {"logits"});
    Builder::integer(bl.node("Softmax", {"logits"}, {"y"}), "axis", 1);
    prev = "y";
  }
  bl.output(prev, 2);
  return bl;
}

// x [1,n] * k -> Softmax: probabilities near 1/n.
Builder wide_softmax(int64_t n, float k) {
  Builder b(13);
  b.input("x", {1, n}).init("k", {}, {k});
  b.node("Mul", {"x", "k"}, {"s"});
  Builder::integer(b.node("Softmax", {"s"}, {"y"}), "axis", 1);
  b.output("y", 2);
  return b;
}

std::vector<std::vector<float>> uniform(int64_t n, float lo) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> u(lo, 1.f);
  std::vector<std::vector<float>> in(1);
  for (int64_t i = 0; i < n; ++i) in[0].push_back(u(rng));
  return in;
}

// Compiles `b` calibrated on `cal`, proves and verifies on `in` (by default
// `cal`); returns max |proven - float| / max |float|.
double proven_error(Builder b, const std::string& name, const std::vector<std::vector<float>>& cal,
                    std::vector<std::vector<float>> in = {}) {
  auto g = b.import(name + ".onnx");
  if (in.empty()) in = cal;
  auto m = quant::quantize(g, cal);
  auto keys = setup(m);
  auto res = prove(keys.pk, in);
  auto vr = verify(keys.vk, res.proof, &in);
  EXPECT_TRUE(vr.ok) << vr.reason;
  for (const auto& sec : res.sections) {
    if (sec.end <= sec.begin) continue;
    Proof t = res.proof;
    t.stream[sec.begin] ^= 1;
    EXPECT_FALSE(verify(keys.vk, t).ok) << "tampered section '" << sec.label << "' accepted";
  }
  const auto f = model::run_float(g, in)[g.outputs[0]];  // a copy: the vector is a temporary
  EXPECT_EQ(res.outputs[0].size(), f.size());
  double ref = 0, err = 0;
  for (size_t i = 0; i < f.size() && i < res.outputs[0].size(); ++i) {
    ref = std::max(ref, std::fabs(static_cast<double>(f[i])));
    err = std::max(err, std::fabs(static_cast<double>(res.outputs[0][i]) - f[i]));
  }
  std::printf("[ wide ] %s: max |float| %.4g, relative error %.2e\n", name.c_str(), ref, err / ref);
  return err / ref;
}

// Activations multiply by 400 per layer, to about 1e13: their scales must go
// well below 2^-16 (the former limit, which left them outside the range).
TEST(WideRange, ActivationsFarPast2To29ProveWithinOnePercent) {
  EXPECT_LT(
      proven_error(gemm_chain(4, std::vector<float>(5, 100.f), false), "huge", uniform(4, 0.f)),
      0.01);
}

// The same, ending in a Softmax over logits that span far more than the exp
// table: the centered logits are clamped before log(sum) is subtracted.
TEST(WideRange, SoftmaxOverLogitsSpanningFarMoreThanTheTable) {
  EXPECT_LT(proven_error(gemm_chain(4, std::vector<float>(4, 100.f), true), "huge_softmax",
                         uniform(4, 0.f)),
            0.01);
}

// Five layers of identical weights 0.0028 (11.6 units at 2^-12, rounded to
// 12: +3.6% a layer when the weight scale stopped at --max-scale), each
// after one of weights 22 so that the values keep their size.
TEST(WideRange, SmallIdenticalWeightsDoNotCompoundTheirRoundingError) {
  std::vector<float> w;
  for (int i = 0; i < 5; ++i) w.insert(w.end(), {22.1f, 0.00282772f});
  EXPECT_LT(proven_error(gemm_chain(4, w, false), "small_w", uniform(4, 0.f)), 0.01);
}

// 1000 classes at about 1e-3 each: 4 units at 2^-12, a 2.3% error, before
// the final Softmax read small probabilities from a finer table.
TEST(WideRange, FinalSoftmaxOverAThousandClassesWithinOnePercent) {
  EXPECT_LT(proven_error(wide_softmax(1000, 0.01f), "softmax1000", uniform(1000, -1.f)), 0.01);
}

// Calibrated on a flat input (largest probability 0.016: split), run on a
// peaked one (0.9999), whose large probability comes from the coarse table.
TEST(WideRange, FinalSoftmaxSplitKeepsLargeProbabilities) {
  std::vector<std::vector<float>> peaked(1, std::vector<float>(1000, -1.f));
  peaked[0][3] = 1.f;
  EXPECT_LT(
      proven_error(wide_softmax(1000, 8.f), "softmax1000_peaked", uniform(1000, -1.f), peaked),
      0.01);
}

}  // namespace
}  // namespace zk::proof
