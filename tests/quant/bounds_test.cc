// The compile-time accumulator bounds that the soundness of requantization
// rests on (docs/SECURITY.md): a model whose accumulators could come near the
// field size must be refused, including through max pooling of a public input.
#include <gtest/gtest.h>

#include "../support/onnx_builder.h"
#include "quant/quantize.h"

namespace zk::quant {
namespace {

using zk::testing::Builder;

// x [1,1,6] -> MaxPool 1x3 stride 3 -> Flatten -> Gemm(+w, -w). Calibrated on
// rows where both windows agree, the output is always 0, so its scale is the
// largest allowed and the rescaling multiplier huge; the pooled values come
// straight from the public input, which may reach 2^30.
Builder pooled_difference() {
  Builder b(13);
  const float w = 1020.0f * 65536.0f;  // large weights: a tiny weight scale
  b.input("x", {1, 1, 1, 6}).init("w", {1, 2}, {w, -w});
  auto* mp = b.node("MaxPool", {"x"}, {"m"});
  Builder::ints(mp, "kernel_shape", {1, 3});
  Builder::ints(mp, "strides", {1, 3});
  b.node("Flatten", {"m"}, {"f"});
  Builder::integer(b.node("Gemm", {"f", "w"}, {"y"}), "transB", 1);
  b.output("y", 2);
  return b;
}

TEST(AccumulatorBounds, PooledPublicInputsCannotOverflowTheField) {
  auto g = pooled_difference().import("pooled_difference.onnx");
  std::vector<float> cal;
  for (int s = 0; s < 8; ++s)
    for (int i = 0; i < 6; ++i) cal.push_back(1e4f * (s % 2 ? 1.f : -1.f) * (s + 1) / 8);
  try {
    quantize(g, {cal});
    FAIL() << "a model whose accumulator can exceed the field was compiled";
  } catch (const ModelError& e) {
    EXPECT_NE(std::string(e.what()).find("too large to rescale soundly"), std::string::npos)
        << e.what();
  }
}

TEST(AccumulatorBounds, OrdinaryModelsPass) {
  // With calibration over a real range the large weights get a larger
  // output scale range; whether or not it compiles, nothing can overflow.
  auto g = pooled_difference().import("pooled_difference2.onnx");
  std::vector<float> cal;
  for (int s = 0; s < 8; ++s)
    for (int i = 0; i < 6; ++i) cal.push_back(static_cast<float>((s * 7 + i * 3) % 11) - 5.0f);
  try {
    quantize(g, {cal});
  } catch (const ModelError& e) {
    EXPECT_NE(std::string(e.what()).find("too large"), std::string::npos) << e.what();
  }
  // And a small model with small weights and inputs in [-1, 1] compiles.
  Builder b(13);
  b.input("x", {1, 1, 1, 6}).init("w", {1, 2}, {0.5f, -0.5f});
  auto* mp = b.node("MaxPool", {"x"}, {"m"});
  Builder::ints(mp, "kernel_shape", {1, 3});
  Builder::ints(mp, "strides", {1, 3});
  b.node("Flatten", {"m"}, {"f"});
  Builder::integer(b.node("Gemm", {"f", "w"}, {"y"}), "transB", 1);
  b.output("y", 2);
  EXPECT_NO_THROW(quantize(b.import("small.onnx"), {}));
}

// x -> x * 3 -> Sigmoid: the multiplication's output feeds the Sigmoid table
// through one requantization. Calibrated on [-1, 1], an input of 2000 puts the
// table's input far past its last row: the integer executor must say so (the
// range error names the layer), not read past the table (found with an int
// input model whose `run` used random calibration).
TEST(AccumulatorBounds, TableInputBeyondItsRangeIsAnError) {
  Builder b(13);
  b.input("x", {1, 4}).init("k", {1}, {3.0f});
  b.node("Mul", {"x", "k"}, {"m"});
  b.node("Sigmoid", {"m"}, {"y"});
  b.output("y", 2);
  auto m = quantize(b.import("table_range.onnx"), {{-1.f, -0.5f, 0.5f, 1.f}});
  try {
    run_quantized(m, quantize_inputs(m.circuit, {{0.f, 2000.f, -2000.f, 1.f}}));
    FAIL() << "a value outside the table's range was executed";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("outside the provable range"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace zk::quant
