// Conv and pooling in the forms the ONNX backend cases do not cover:
// auto_pad SAME_UPPER/SAME_LOWER/VALID, a dilated grouped Conv with stride,
// a depthwise Conv1d, ceil_mode max and average pooling and dilated max
// pooling (2-D and 1-D).
// Each model is compiled, proven and verified; the proven outputs are
// compared with onnxruntime's on the same model and input
// (tests/data/onnxruntime/conv/, written by scripts/ort_reference.js from the
// files this test writes when ZK_ORT_DUMP=DIR is set), and a tampered proof
// section is rejected.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>

#include "../../support/cheating_prover.h"
#include "../../support/onnx_builder.h"
#include "circuit/executor.h"
#include "circuit/ops/op.h"
#include "onnx/import.h"
#include "proof/api.h"

namespace zk::proof {
namespace {

using zk::testing::Builder;
using zk::testing::iota_data;

struct Case {
  std::string name;
  std::function<Builder()> build;
  std::vector<int64_t> input_shape;  // full shape
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

class ConvPoolE2E : public ::testing::TestWithParam<Case> {};

TEST_P(ConvPoolE2E, ProvesVerifiesAndMatchesOnnxruntime) {
  const Case& c = GetParam();
  const std::string file = c.build().write(c.name + ".onnx");
  auto g = onnx::import_model(file);
  int64_t n = 1;
  for (auto d : c.input_shape) n *= d;
  std::vector<std::vector<float>> input(1);
  for (int64_t k = 0; k < n; ++k)
    input[0].push_back(static_cast<float>(std::sin(0.37 * k + 0.5) + 0.3 * std::cos(1.9 * k)));
  if (const char* dump = std::getenv("ZK_ORT_DUMP")) {
    std::ofstream(std::string(dump) + "/" + c.name + ".onnx", std::ios::binary)
        << zk::testing::read_bytes(file);
    nlohmann::json j{{"input_data", input}, {"input_shapes", {c.input_shape}}};
    std::ofstream(std::string(dump) + "/" + c.name + ".json") << j.dump();
  }
  auto m = quant::quantize(g, input);
  auto keys = setup(m);
  auto res = prove(keys.pk, input);
  auto r = verify(keys.vk, res.proof, &input);
  ASSERT_TRUE(r.ok) << r.reason;
  std::ifstream ref_file(std::string(ZK_SOURCE_DIR) + "/tests/data/onnxruntime/conv/" + c.name +
                         ".json");
  ASSERT_TRUE(ref_file.good()) << "no onnxruntime reference (scripts/ort_reference.js)";
  const auto ref = nlohmann::json::parse(ref_file)["outputs"];
  ASSERT_EQ(ref.size(), res.outputs.size());
  for (size_t o = 0; o < ref.size(); ++o) {
    const auto want = ref[o].get<std::vector<double>>();
    ASSERT_EQ(want.size(), res.outputs[o].size()) << "output " << o;
    double amax = 0, err = 0;
    for (double x : want) amax = std::max(amax, std::fabs(x));
    for (size_t i = 0; i < want.size(); ++i)
      err = std::max(err, std::fabs(res.outputs[o][i] - want[i]));
    EXPECT_LE(err, 0.01 * amax) << "output " << o << " against onnxruntime";
    std::printf("[ conv ] %s output %zu: %zu values vs onnxruntime, max abs error %.5f (%.3f%%)\n",
                c.name.c_str(), o, want.size(), err, 100 * err / amax);
  }
  for (const auto& sec : res.sections) {
    if (sec.end <= sec.begin) continue;
    Proof t = res.proof;
    t.stream[sec.begin] ^= 1;
    const auto tr = verify(keys.vk, t);
    EXPECT_FALSE(tr.ok) << "tampered section '" << sec.label << "' accepted";
    if (sec.label.find("(DepthwiseConv)") != std::string::npos) {
      EXPECT_NE(tr.reason.find("(DepthwiseConv): sumcheck"), std::string::npos) << tr.reason;
    }
  }
}

void str(::onnx::NodeProto* n, const char* name, const char* v) {
  auto* a = n->add_attribute();
  a->set_name(name);
  a->set_type(::onnx::AttributeProto::STRING);
  a->set_s(v);
}

Builder conv_same_dilated_grouped() {  // 4 -> 6 channels, group 2: dilated; SAME padding
  Builder b(13);
  b.input("x", {1, 4, 9, 8}).init("w", {6, 2, 3, 3}, iota_data(108, 0.6f, -0.1f));
  b.init("bias", {6}, {0.1f, -0.2f, 0.3f, 0.0f, 0.05f, -0.1f});
  auto* c = b.node("Conv", {"x", "w", "bias"}, {"y"});
  Builder::ints(c, "dilations", {2, 2});
  Builder::ints(c, "strides", {2, 2});
  Builder::ints(c, "pads", {2, 1, 1, 2});
  Builder::integer(c, "group", 2);
  auto* c1 = b.node("Conv", {"x", "w"}, {"y1"});
  Builder::integer(c1, "group", 2);
  str(c1, "auto_pad", "SAME_UPPER");
  auto* c2 = b.node("Conv", {"x", "w"}, {"y2"});
  Builder::integer(c2, "group", 2);
  str(c2, "auto_pad", "SAME_LOWER");
  Builder::ints(c2, "strides", {2, 3});
  b.output("y", 4).output("y1", 4).output("y2", 4);
  return b;
}

Builder depthwise_conv1d() {  // [1,3,10] depthwise (group 3), VALID, then ReLU
  Builder b(13);
  b.input("x", {1, 3, 10}).init("w", {3, 1, 3}, iota_data(9, 0.8f, 0.0f));
  auto* c = b.node("Conv", {"x", "w"}, {"c"});
  Builder::integer(c, "group", 3);
  str(c, "auto_pad", "VALID");
  Builder::ints(c, "dilations", {2});
  b.node("Relu", {"c"}, {"y"});
  b.output("y", 3);
  return b;
}

Builder ceil_pools() {  // 3x3 stride 2 on 8x7, ceil_mode: windows past the end
  Builder b(13);
  b.input("x", {1, 2, 8, 7});
  auto* m = b.node("MaxPool", {"x"}, {"m"});
  Builder::ints(m, "kernel_shape", {3, 3});
  Builder::ints(m, "strides", {2, 2});
  Builder::integer(m, "ceil_mode", 1);
  auto* a = b.node("AveragePool", {"x"}, {"a"});
  Builder::ints(a, "kernel_shape", {3, 2});
  Builder::ints(a, "strides", {2, 2});
  Builder::ints(a, "pads", {1, 0, 1, 1});
  Builder::integer(a, "ceil_mode", 1);
  auto* s = b.node("MaxPool", {"x"}, {"s"});
  Builder::ints(s, "kernel_shape", {2, 3});
  str(s, "auto_pad", "SAME_UPPER");
  auto* d = b.node("MaxPool", {"x"}, {"d"});  // dilated 2x3, ceil_mode
  Builder::ints(d, "kernel_shape", {2, 2});
  Builder::ints(d, "dilations", {2, 3});
  Builder::ints(d, "pads", {1, 1, 0, 1});
  Builder::ints(d, "strides", {2, 1});
  Builder::integer(d, "ceil_mode", 1);
  b.output("m", 4).output("a", 4).output("s", 4).output("d", 4);
  return b;
}

Builder pools_1d() {  // MaxPool1d and AvgPool1d with ceil_mode on [1,3,9]
  Builder b(13);
  b.input("x", {1, 3, 9});
  auto* m = b.node("MaxPool", {"x"}, {"m"});
  Builder::ints(m, "kernel_shape", {2});
  Builder::ints(m, "strides", {2});
  Builder::integer(m, "ceil_mode", 1);
  auto* a = b.node("AveragePool", {"x"}, {"a"});
  Builder::ints(a, "kernel_shape", {4});
  Builder::ints(a, "strides", {3});
  Builder::integer(a, "ceil_mode", 1);
  auto* d = b.node("MaxPool", {"x"}, {"d"});  // dilated, padded, strided
  Builder::ints(d, "kernel_shape", {3});
  Builder::ints(d, "dilations", {2});
  Builder::ints(d, "strides", {2});
  Builder::ints(d, "pads", {2, 1});
  b.output("m", 3).output("a", 3).output("d", 3);
  return b;
}

// A prover that proves another depthwise convolution: its accumulator
// changed at one valid position, the requantization redone so that every
// lookup and identity still holds. Only the DepthwiseConv reduction can
// notice, and it must.
TEST(DepthwiseCheating, WrongConvolutionFailsItsSumcheck) {
  auto g = depthwise_conv1d().import("dw_cheat.onnx");
  std::vector<std::vector<float>> input(1);
  for (int64_t k = 0; k < 30; ++k) input[0].push_back(static_cast<float>(std::sin(0.3 * k)));
  quant::QuantOptions opt;
  opt.input_vis = circuit::Visibility::kPublic;
  auto m = quant::quantize(g, input, opt);
  auto keys = setup(m);
  auto honest = prove(keys.pk, input);
  ASSERT_TRUE(verify(keys.vk, honest.proof, &input).ok);
  const auto& c = m.circuit;
  circuit::Values v = m.weights;
  v[c.inputs[0]] = quant::quantize_inputs(c, input)[0];
  circuit::execute(c, v);
  const circuit::Node* dw = nullptr;
  const circuit::Node* rq = nullptr;
  for (const auto& n : c.nodes) {
    if (n.type == circuit::NodeType::kDepthwiseConv) dw = &n;
    if (dw && n.type == circuit::NodeType::kRequant && n.in[0] == dw->out[0]) rq = &n;
  }
  ASSERT_TRUE(dw && rq) << "the depthwise Conv should lower to DepthwiseConv";
  const size_t pos = circuit::padded_index(c.tensors[dw->out[0]], {1, 0, 4});
  auto run = [&](int64_t delta) {
    circuit::Values w = v;
    w[dw->out[0]][pos] += delta;
    circuit::op_def(rq->type).execute(c, *rq, w);
    prover::Statement st = honest.proof.statement;
    for (size_t i = 0; i < c.outputs.size(); ++i) st.outputs[i] = w[c.outputs[i]];
    testing::Cheat cheat;
    cheat.any = true;
    auto ps = testing::prove_cheating(c, keys.pk.commitment, w, st, cheat);
    Proof p = honest.proof;
    p.statement = st;
    p.stream = ps.bytes;
    return verify(keys.vk, p);
  };
  EXPECT_TRUE(run(0).ok) << "the honest values through the cheating path must verify";
  for (int64_t delta : {int64_t{1}, int64_t{1} << rq->p<circuit::RequantParams>().shift}) {
    auto r = run(delta);
    EXPECT_FALSE(r.ok);
    EXPECT_NE(r.reason.find("(DepthwiseConv)"), std::string::npos) << r.reason;
    EXPECT_NE(r.reason.find("sumcheck"), std::string::npos) << r.reason;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Models, ConvPoolE2E,
    ::testing::Values(Case{"conv_same_dilated_grouped", conv_same_dilated_grouped, {1, 4, 9, 8}},
                      Case{"depthwise_conv1d", depthwise_conv1d, {1, 3, 10}},
                      Case{"ceil_pools", ceil_pools, {1, 2, 8, 7}},
                      Case{"pools_1d", pools_1d, {1, 3, 9}}),
    [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace zk::proof
