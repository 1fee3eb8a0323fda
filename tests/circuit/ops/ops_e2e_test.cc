// Every supported op proven end to end: small ONNX models built in memory are
// compiled, set up, proven and verified, and the proven output is compared
// with zkinfer's float executor. Each layer kind and layout path (folds,
// gathers for reshapes that do not feed a Gemm, window sums, residual adds,
// two-limb remainders) appears in at least one model.
#include <gtest/gtest.h>

#include <random>

#include "../../support/onnx_builder.h"
#include "proof/api.h"

namespace zk::proof {
namespace {

using zk::testing::Builder;
using zk::testing::iota_data;

struct Case {
  std::string name;
  std::function<Builder()> build;
  std::vector<std::vector<int64_t>> input_shapes;  // without batch
  double tolerance;  // on |proven - float|, relative to max(1, max |float|)
};

int64_t numel(const std::vector<int64_t>& s) {
  int64_t n = 1;
  for (auto d : s) n *= d;
  return n;
}

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

class OpsE2E : public ::testing::TestWithParam<Case> {};

TEST_P(OpsE2E, ProvesVerifiesAndMatchesFloat) {
  const Case& c = GetParam();
  auto g = c.build().import(c.name + ".onnx");
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> u(-1.f, 1.f);
  std::vector<std::vector<float>> cal(c.input_shapes.size()), input(c.input_shapes.size());
  for (size_t i = 0; i < c.input_shapes.size(); ++i) {
    int64_t n = numel(c.input_shapes[i]);
    for (int s = 0; s < 16 * n; ++s) cal[i].push_back(u(rng));
    for (int64_t k = 0; k < n; ++k) input[i].push_back(u(rng));
  }
  auto m = quant::quantize(g, cal);
  auto keys = setup(m);
  auto res = prove(keys.pk, input);
  auto bytes = save_proof(res.proof);
  auto parsed = load_proof(bytes, keys.vk.circuit, "proof");
  auto r = verify(keys.vk, parsed, &input);
  ASSERT_TRUE(r.ok) << r.reason;
  auto fv = model::run_float(g, input);
  ASSERT_EQ(res.outputs.size(), g.outputs.size());
  for (size_t o = 0; o < g.outputs.size(); ++o) {
    const auto& f = fv[g.outputs[o]];
    ASSERT_EQ(res.outputs[o].size(), f.size());
    double amax = 1, err = 0;
    for (float x : f) amax = std::max(amax, static_cast<double>(std::fabs(x)));
    for (size_t i = 0; i < f.size(); ++i)
      err = std::max(err, std::fabs(static_cast<double>(res.outputs[o][i]) - f[i]));
    EXPECT_LE(err, c.tolerance * amax) << "output " << o;
    std::printf("[ ops ] %s output %zu: %zu values, max abs error %.5f\n", c.name.c_str(), o,
                f.size(), err);
  }
  // Every part of the proof is checked: changing the first word of any
  // section is rejected (gathers, window sums, affine maps, max steps...).
  for (size_t i = 0; i < res.sections.size(); ++i) {
    const auto& sec = res.sections[i];
    if (sec.end <= sec.begin) continue;
    Proof t = parsed;
    uint64_t w = 0;
    for (int b = 0; b < 8; ++b) w |= uint64_t{t.stream[sec.begin + b]} << (8 * b);
    w = w + 1 < Fp::kModulus ? w + 1 : 0;
    for (int b = 0; b < 8; ++b) t.stream[sec.begin + b] = static_cast<uint8_t>(w >> (8 * b));
    EXPECT_FALSE(verify(keys.vk, t).ok) << "tampered section '" << sec.label << "' accepted";
  }
  // A proof of this model never verifies for another input.
  auto other = input;
  other[0][0] += 0.5f;
  EXPECT_FALSE(verify(keys.vk, parsed, &other).ok);
}

Builder conv_block() { return zk::testing::conv_block(false); }

Builder unfused_block() { return zk::testing::conv_block(true); }

Builder affine_clip() {
  Builder b(13);
  b.input("x", {1, 4})
      .init("w", {4, 3}, iota_data(12, 1.0f, 0.0f))
      .init("bias", {3}, {0.5f, -0.5f, 0.25f});
  b.init("two", {}, {2.0f}).init("one", {1}, {1.0f}).init("lo", {}, {-1.0f}).init("hi", {}, {1.5f});
  b.node("MatMul", {"x", "w"}, {"m"});
  b.node("Add", {"bias", "m"}, {"a"});
  b.node("Mul", {"a", "two"}, {"s"});
  b.node("Sub", {"one", "s"}, {"d"});
  b.node("Clip", {"d", "lo", "hi"}, {"y"});
  b.output("y", 2);
  return b;
}

Builder transpose_means() {
  Builder b(11);
  b.input("x", {1, 2, 3}).init("w", {6, 2}, iota_data(12, 1.0f, 0.0f)).input("z", {1, 2, 4, 3});
  Builder::ints(b.node("Transpose", {"x"}, {"t"}), "perm", {0, 2, 1});
  b.node("Flatten", {"t"}, {"f"});
  b.node("Gemm", {"f", "w"}, {"y"});
  Builder::ints(b.node("ReduceMean", {"z"}, {"r"}), "axes", {2, 3});
  b.node("GlobalAveragePool", {"z"}, {"gap"});
  b.node("Add", {"r", "gap"}, {"y2"});
  b.output("y", 2).output("y2", 4);
  return b;
}

Builder pools() {
  // AvgPool 2x2 and MaxPool 2x2 (odd height: floor mode), then a Conv.
  Builder b(13);
  b.input("x", {1, 2, 7, 8}).init("w", {2, 2, 1, 1}, {1.0f, -0.5f, 0.25f, 0.75f});
  auto* ap = b.node("AveragePool", {"x"}, {"a"});
  Builder::ints(ap, "kernel_shape", {2, 2});
  Builder::ints(ap, "strides", {2, 2});
  auto* mp = b.node("MaxPool", {"x"}, {"mx"});
  Builder::ints(mp, "kernel_shape", {2, 2});
  Builder::ints(mp, "strides", {2, 2});
  b.node("Conv", {"mx", "w"}, {"c"});
  b.output("a", 4).output("c", 4);
  return b;
}

Builder residual() {
  // Conv -> Relu -> Conv -> Add(residual) -> Relu, then Reshape to a
  // non-Gemm consumer (a gather) and Transpose as a model output.
  Builder b(13);
  b.input("x", {1, 2, 4, 4})
      .init("w1", {2, 2, 3, 3}, iota_data(36, 0.3f, 0.0f))
      .init("w2", {2, 2, 3, 3}, iota_data(36, 0.2f, 0.05f))
      .init_ints("shape", {1, 4, 8});
  auto* c1 = b.node("Conv", {"x", "w1"}, {"c1"});
  Builder::ints(c1, "pads", {1, 1, 1, 1});
  b.node("Relu", {"c1"}, {"r1"});
  auto* c2 = b.node("Conv", {"r1", "w2"}, {"c2"});
  Builder::ints(c2, "pads", {1, 1, 1, 1});
  b.node("Add", {"c2", "r1"}, {"s"});
  b.node("Relu", {"s"}, {"y"});
  b.node("Reshape", {"y", "shape"}, {"rs"});
  b.node("Relu", {"rs"}, {"out"});
  Builder::ints(b.node("Transpose", {"y"}, {"tr"}), "perm", {0, 1, 3, 2});
  b.output("out", 3).output("tr", 4);
  return b;
}

Builder padded_pools() {
  // The usual CNN stem pooling: MaxPool 3x3 stride 2 with padding, straight on
  // an input that can be negative (padding must never win), and average pools
  // with padding, with and without the padded positions in the count.
  Builder b(13);
  b.input("x", {1, 2, 9, 7});
  auto* mp = b.node("MaxPool", {"x"}, {"mx"});
  Builder::ints(mp, "kernel_shape", {3, 3});
  Builder::ints(mp, "strides", {2, 2});
  Builder::ints(mp, "pads", {1, 1, 1, 1});
  auto* ap = b.node("AveragePool", {"x"}, {"av"});
  Builder::ints(ap, "kernel_shape", {3, 3});
  Builder::ints(ap, "strides", {1, 1});
  Builder::ints(ap, "pads", {1, 1, 1, 1});
  auto* ai = b.node("AveragePool", {"x"}, {"ai"});
  Builder::ints(ai, "kernel_shape", {2, 3});
  Builder::ints(ai, "strides", {2, 2});
  Builder::ints(ai, "pads", {1, 0, 0, 1});
  Builder::integer(ai, "count_include_pad", 1);
  b.output("mx", 4).output("av", 4).output("ai", 4);
  return b;
}

Builder mean_of_many() {
  // Means over 100 values: the fixed-point reciprocal uses the two-limb remainder.
  Builder b(13);
  b.input("x", {1, 3, 10, 10});
  b.node("GlobalAveragePool", {"x"}, {"y"});
  b.output("y", 4);
  return b;
}

INSTANTIATE_TEST_SUITE_P(
    Ops, OpsE2E,
    ::testing::Values(Case{"conv_block", conv_block, {{2, 5, 5}}, 0.02},
                      Case{"unfused_block", unfused_block, {{2, 5, 5}}, 0.02},
                      Case{"affine_clip", affine_clip, {{4}}, 0.02},
                      Case{"transpose_means", transpose_means, {{2, 3}, {2, 4, 3}}, 0.02},
                      Case{"pools", pools, {{2, 7, 8}}, 0.02},
                      Case{"residual", residual, {{2, 4, 4}}, 0.02},
                      Case{"padded_pools", padded_pools, {{2, 9, 7}}, 0.02},
                      Case{"mean_of_many", mean_of_many, {{3, 10, 10}}, 0.02}),
    [](const ::testing::TestParamInfo<Case>& i) { return i.param.name; });

}  // namespace
}  // namespace zk::proof
