// Adversarial ONNX models: each must be refused with a ModelError that names
// the problem, never a crash, a hang or an attempt to allocate the tensor.
#include <gtest/gtest.h>

#include <string>

#include "../support/onnx_builder.h"
#include "quant/quantize.h"

namespace {

using zk::testing::Builder;
using zk::testing::iota_data;

// The message of the ModelError that importing and quantizing b throws.
std::string error_of(Builder& b, const std::string& file) {
  try {
    auto g = b.import(file);
    zk::quant::QuantOptions opt;
    opt.table_bits = 8;
    (void)zk::quant::quantize(g, {}, opt);
  } catch (const zk::Error& e) {
    return e.what();
  }
  ADD_FAILURE() << file << ": accepted";
  return "";
}

constexpr int64_t kHuge = int64_t{1} << 40;

TEST(Adversarial, HugeInputDims) {
  Builder b(13);
  b.input("x", {1, kHuge});
  b.node("Relu", {"x"}, {"y"});
  b.output("y", 2);
  const std::string msg = error_of(b, "huge_input.onnx");
  EXPECT_NE(msg.find("elements; zkinfer supports at most 2^28"), std::string::npos) << msg;
}

TEST(Adversarial, HugeInitializerDims) {
  Builder b(13);
  b.input("x", {1, 4}).init("w", {4, kHuge}, iota_data(4, 1.0f, 0.0f));
  b.node("MatMul", {"x", "w"}, {"y"});
  b.output("y", 2);
  const std::string msg = error_of(b, "huge_init.onnx");
  EXPECT_NE(msg.find("initializer 'w' has shape [4,1099511627776]"), std::string::npos) << msg;
}

TEST(Adversarial, DimsWhoseProductOverflows) {
  const int64_t big = int64_t{1} << 32;
  Builder b(13);
  b.input("x", {1, big, big, big});
  b.node("Relu", {"x"}, {"y"});
  b.output("y", 4);
  const std::string msg = error_of(b, "overflow_input.onnx");
  EXPECT_NE(msg.find("more than 2^63 elements"), std::string::npos) << msg;

  Builder c(13);
  c.input("x", {1, 4}).init("w", {big, big, big}, iota_data(4, 1.0f, 0.0f));
  c.node("Add", {"x", "w"}, {"y"});
  c.output("y", 3);
  const std::string msg2 = error_of(c, "overflow_init.onnx");
  // ONNX's checker counts the elements first (wrapping to 0) and refuses.
  EXPECT_NE(msg2.find("tensor name: w"), std::string::npos) << msg2;
}

TEST(Adversarial, NegativePads) {
  Builder b(13);
  b.input("x", {1, 1, 6, 6}).init("w", {1, 1, 3, 3}, iota_data(9, 1.0f, 0.0f));
  Builder::ints(b.node("Conv", {"x", "w"}, {"y"}), "pads", {-1, -1, -1, -1});
  b.output("y", 4);
  const std::string msg = error_of(b, "neg_conv_pads.onnx");
  EXPECT_NE(msg.find("pads"), std::string::npos) << msg;

  Builder p(13);
  // Negative pads crop (ONNX allows it); cropping away a whole axis is refused.
  p.input("x", {1, 1, 6, 6}).init_ints("pads", {0, 0, -3, -3, 0, 0, -3, -3});
  p.node("Pad", {"x", "pads"}, {"y"});
  p.output("y", 4);
  const std::string msg2 = error_of(p, "neg_pad.onnx");
  EXPECT_NE(msg2.find("pad"), std::string::npos) << msg2;

  Builder h(13);
  h.input("x", {1, 1, 6, 6}).init("w", {1, 1, 3, 3}, iota_data(9, 1.0f, 0.0f));
  Builder::ints(h.node("Conv", {"x", "w"}, {"y"}), "pads", {kHuge, kHuge, kHuge, kHuge});
  h.output("y", 4);
  const std::string msg3 = error_of(h, "huge_conv_pads.onnx");
  EXPECT_NE(msg3.find("attribute 'pads' must be four values in [0, 2^28]"), std::string::npos)
      << msg3;

  // Pads near 2^62 would overflow the padded size.
  const int64_t near = int64_t{1} << 62;
  Builder o(13);
  o.input("x", {1, 1, 6, 6}).init("w", {1, 1, 3, 3}, iota_data(9, 1.0f, 0.0f));
  Builder::ints(o.node("Conv", {"x", "w"}, {"y"}), "pads", {near, near, near, near});
  o.output("y", 4);
  const std::string msg4 = error_of(o, "overflow_conv_pads.onnx");
  EXPECT_NE(msg4.find("attribute 'pads' must be four values in [0, 2^28]"), std::string::npos)
      << msg4;

  Builder q(13);
  q.input("x", {1, 1, 6, 6}).init_ints("pads", {0, 0, near, near, 0, 0, near, near});
  q.node("Pad", {"x", "pads"}, {"y"});
  q.output("y", 4);
  const std::string msg5 = error_of(q, "overflow_pad.onnx");
  EXPECT_NE(msg5.find("exceed 2^28"), std::string::npos) << msg5;
}

TEST(Adversarial, CyclicGraph) {
  Builder b(13);
  b.input("x", {1, 4});
  b.node("Add", {"x", "y"}, {"y"});  // consumes its own output
  b.output("y", 2);
  const std::string msg = error_of(b, "cycle.onnx");
  EXPECT_FALSE(msg.empty());

  Builder c(13);
  c.input("x", {1, 4});
  c.node("Add", {"x", "b"}, {"a"});
  c.node("Relu", {"a"}, {"b"});  // a two-node cycle
  c.output("b", 2);
  const std::string msg2 = error_of(c, "cycle2.onnx");
  EXPECT_FALSE(msg2.empty());
}

}  // namespace
