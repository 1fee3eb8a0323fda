// MatMul in the shapes models use, proven end to end: a linear layer on
// transformer tokens ([1,T,D] x [D,N] + bias), a batch > 1 Gemm with
// transA/transB/alpha/beta, attention's two products of activations
// (Q K^T and weights x V, with a head batch dimension and with one operand
// broadcast), and Einsum in its matrix-product forms. Each model is compiled,
// proven, verified and compared with the float executor; every proof section
// tampered is rejected, and the MatMul sections with the reason their check
// gives. The proven outputs are also compared with onnxruntime's on the
// same models and inputs (tests/data/onnxruntime/matmul/, written by
// scripts/ort_reference.js from the files this test writes when
// ZK_ORT_DUMP=DIR is set).
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <set>

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
  std::vector<std::vector<int64_t>> input_shapes;  // full shapes
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

int64_t numel(const std::vector<int64_t>& s) {
  int64_t n = 1;
  for (auto d : s) n *= d;
  return n;
}

void bump(std::vector<uint8_t>& s, size_t pos) {
  uint64_t w = 0;
  for (int b = 0; b < 8; ++b) w |= uint64_t{s[pos + b]} << (8 * b);
  w = w + 1 < Fp::kModulus ? w + 1 : 0;
  for (int b = 0; b < 8; ++b) s[pos + b] = static_cast<uint8_t>(w >> (8 * b));
}

class MatMulE2E : public ::testing::TestWithParam<Case> {};

TEST_P(MatMulE2E, ProvesVerifiesAndMatchesFloat) {
  const Case& c = GetParam();
  const std::string file = c.build().write(c.name + ".onnx");
  auto g = onnx::import_model(file);
  std::mt19937 rng(11);
  std::uniform_real_distribution<float> u(-1.f, 1.f);
  std::vector<std::vector<float>> cal(c.input_shapes.size()), input(c.input_shapes.size());
  for (size_t i = 0; i < c.input_shapes.size(); ++i) {
    const int64_t n = numel(c.input_shapes[i]);
    for (int64_t k = 0; k < n; ++k)
      input[i].push_back(static_cast<float>(std::sin(0.37 * k + 1.3 * i + 0.5)));
    cal[i] = input[i];
    for (int s = 0; s < 8 * n; ++s) cal[i].push_back(u(rng));
  }
  if (const char* dump = std::getenv("ZK_ORT_DUMP")) {
    std::ofstream(std::string(dump) + "/" + c.name + ".onnx", std::ios::binary)
        << zk::testing::read_bytes(file);
    nlohmann::json j{{"input_data", input}, {"input_shapes", c.input_shapes}};
    std::ofstream(std::string(dump) + "/" + c.name + ".json") << j.dump();
  }
  auto m = quant::quantize(g, cal);
  bool has_matmul = false;
  for (const auto& n : m.circuit.nodes) has_matmul |= n.type == circuit::NodeType::kMatMul;
  EXPECT_TRUE(has_matmul) << "the model should use the MatMul circuit op";
  auto keys = setup(m);
  auto res = prove(keys.pk, input);
  auto r = verify(keys.vk, res.proof, &input);
  ASSERT_TRUE(r.ok) << r.reason;
  auto fv = model::run_float(g, input);
  for (size_t o = 0; o < g.outputs.size(); ++o) {
    const auto& f = fv[g.outputs[o]];
    ASSERT_EQ(res.outputs[o].size(), f.size());
    double amax = 0, err = 0;
    for (float x : f) amax = std::max(amax, static_cast<double>(std::fabs(x)));
    for (size_t i = 0; i < f.size(); ++i)
      err = std::max(err, std::fabs(static_cast<double>(res.outputs[o][i]) - f[i]));
    EXPECT_LE(err, 0.02 * std::max(amax, 0.5)) << "output " << o;
    std::printf("[ matmul ] %s output %zu: %zu values, max |float| %.3f, max abs error %.5f\n",
                c.name.c_str(), o, f.size(), amax, err);
  }
  // onnxruntime's outputs: within 1% of their largest magnitude.
  std::ifstream ref_file(std::string(ZK_SOURCE_DIR) + "/tests/data/onnxruntime/matmul/" + c.name +
                         ".json");
  ASSERT_TRUE(ref_file.good()) << "no onnxruntime reference (scripts/ort_reference.js)";
  const auto ref = nlohmann::json::parse(ref_file)["outputs"];
  ASSERT_EQ(ref.size(), res.outputs.size());
  for (size_t o = 0; o < ref.size(); ++o) {
    const auto want = ref[o].get<std::vector<double>>();
    ASSERT_EQ(want.size(), res.outputs[o].size());
    double amax = 0, err = 0;
    for (double x : want) amax = std::max(amax, std::fabs(x));
    for (size_t i = 0; i < want.size(); ++i)
      err = std::max(err, std::fabs(res.outputs[o][i] - want[i]));
    EXPECT_LE(err, 0.01 * amax) << "output " << o << " against onnxruntime";
    std::printf("[ matmul ] %s output %zu vs onnxruntime: max abs error %.5f (%.3f%%)\n",
                c.name.c_str(), o, err, 100 * err / amax);
  }
  // Every section tampered is rejected; MatMul sections by their sumcheck.
  std::set<std::string> matmul_reasons;
  for (const auto& sec : res.sections) {
    if (sec.end <= sec.begin) continue;
    const bool mm = sec.label.find("(MatMul)") != std::string::npos;
    const size_t words = (sec.end - sec.begin) / 8;
    for (size_t w : std::set<size_t>{0, words / 2, words - 1}) {
      Proof t = res.proof;
      bump(t.stream, sec.begin + 8 * w);
      auto tr = verify(keys.vk, t);
      EXPECT_FALSE(tr.ok) << "tampered section '" << sec.label << "' accepted";
      if (mm) matmul_reasons.insert(tr.reason);
      if (!mm) break;
    }
  }
  ASSERT_FALSE(matmul_reasons.empty()) << "no MatMul section in the proof";
  bool named = false;
  for (const auto& reason : matmul_reasons)
    named |= reason.find("(MatMul)") != std::string::npos &&
             reason.find("sumcheck") != std::string::npos;
  EXPECT_TRUE(named) << *matmul_reasons.begin();
  auto other = input;
  other[0][0] += 0.5f;
  EXPECT_FALSE(verify(keys.vk, res.proof, &other).ok);
}

Builder token_linear() {  // [1,T,D] x [D,N] + b, ReLU: a linear layer on 5 tokens
  Builder b(13);
  b.input("x", {1, 5, 6})
      .init("w", {6, 3}, iota_data(18, 0.7f, -0.2f))
      .init("bias", {3}, {0.25f, -0.5f, 0.1f});
  b.node("MatMul", {"x", "w"}, {"m"});
  b.node("Add", {"m", "bias"}, {"a"});
  b.node("Relu", {"a"}, {"y"});
  b.output("y", 3);
  return b;
}

Builder batch_gemm() {  // [3,6] rows of a batch; transB, alpha, beta; then transA
  Builder b(13);
  b.input("x", {3, 6})
      .init("w", {4, 6}, iota_data(24, 0.8f, 0.1f))
      .init("c", {4}, {1, -1, 0.5f, 0});
  auto* g = b.node("Gemm", {"x", "w", "c"}, {"y"});
  Builder::integer(g, "transB", 1);
  auto* a = g->add_attribute();
  a->set_name("alpha");
  a->set_type(::onnx::AttributeProto::FLOAT);
  a->set_f(0.5f);
  b.init("w2", {3, 2}, iota_data(6, 1.0f, 0.0f));
  Builder::integer(b.node("Gemm", {"y", "w2"}, {"z"}), "transA", 1);  // y^T [4,3] x [3,2]
  b.output("y", 2).output("z", 2);
  return b;
}

Builder attention() {  // softmax-free attention: (Q K^T) V over 2 heads of 4 tokens
  Builder b(13);
  b.input("q", {1, 2, 4, 3}).input("k", {1, 2, 4, 3}).input("v", {1, 2, 4, 3});
  Builder::ints(b.node("Transpose", {"k"}, {"kt"}), "perm", {0, 1, 3, 2});
  b.node("MatMul", {"q", "kt"}, {"s"});
  b.node("MatMul", {"s", "v"}, {"y"});
  b.output("s", 4).output("y", 4);
  return b;
}

Builder broadcast_right() {  // [1,2,4,3] x [3,5]-shaped activation (no batch)
  Builder b(13);
  b.input("a", {1, 2, 4, 3}).input("b", {1, 3, 5});
  b.node("MatMul", {"a", "b"}, {"y"});
  b.output("y", 4);
  return b;
}

Builder einsums() {
  Builder b(13);
  b.input("a", {1, 4, 3}).input("c", {1, 3, 2}).input("q", {1, 2, 4, 3});
  b.init("w", {3, 2}, iota_data(6, 0.9f, -0.3f));
  auto eq = [&](::onnx::NodeProto* n, const char* e) {
    auto* a = n->add_attribute();
    a->set_name("equation");
    a->set_type(::onnx::AttributeProto::STRING);
    a->set_s(e);
  };
  eq(b.node("Einsum", {"a", "c"}, {"y1"}), "bij,bjk->bik");
  eq(b.node("Einsum", {"q", "q"}, {"y2"}), "bhid,bhjd->bhij");
  eq(b.node("Einsum", {"a", "w"}, {"y3"}), "bij,jk->bki");
  b.output("y1", 3).output("y2", 4).output("y3", 3);
  return b;
}

// A prover that proves another product: the MatMul accumulator changed at
// one valid position, its requantization redone so that every lookup and
// the requantization identity still hold. Only the MatMul reduction can
// notice, and it must.
TEST(MatMulCheating, WrongProductFailsTheMatMulSumcheck) {
  auto g = broadcast_right().import("cheat.onnx");
  std::vector<std::vector<float>> input(2);
  for (int64_t k = 0; k < 24; ++k) input[0].push_back(static_cast<float>(std::sin(0.3 * k)));
  for (int64_t k = 0; k < 15; ++k) input[1].push_back(static_cast<float>(std::cos(0.7 * k)));
  quant::QuantOptions opt;
  opt.input_vis = circuit::Visibility::kPublic;
  auto m = quant::quantize(g, input, opt);
  auto keys = setup(m);
  auto honest = prove(keys.pk, input);
  ASSERT_TRUE(verify(keys.vk, honest.proof, &input).ok);
  const auto& c = m.circuit;
  circuit::Values v = m.weights;
  const auto q = quant::quantize_inputs(c, input);
  for (size_t i = 0; i < c.inputs.size(); ++i) v[c.inputs[i]] = q[i];
  circuit::execute(c, v);
  const circuit::Node* mm = nullptr;
  const circuit::Node* rq = nullptr;
  for (const auto& n : c.nodes) {
    if (n.type == circuit::NodeType::kMatMul) mm = &n;
    if (mm && n.type == circuit::NodeType::kRequant && n.in[0] == mm->out[0]) rq = &n;
  }
  ASSERT_TRUE(mm && rq);
  const auto& acc = c.tensors[mm->out[0]];
  const size_t pos = circuit::padded_index(acc, {1, 2, 3});
  auto run = [&](int64_t delta) {
    circuit::Values w = v;
    w[mm->out[0]][pos] += delta;
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
    EXPECT_NE(r.reason.find("(MatMul)"), std::string::npos) << r.reason;
    EXPECT_NE(r.reason.find("sumcheck"), std::string::npos) << r.reason;
  }
}

// Forms outside what is supported are refused naming the node and what is.
TEST(MatMulImport, UnsupportedFormsAreRefusedClearly) {
  auto einsum = [](const char* e, std::vector<int64_t> a, std::vector<int64_t> b) {
    Builder bl(13);
    bl.input("a", a).input("b", b);
    auto* n = bl.node("Einsum", {"a", "b"}, {"y"});
    auto* at = n->add_attribute();
    at->set_name("equation");
    at->set_type(::onnx::AttributeProto::STRING);
    at->set_s(e);
    bl.output("y", 2);
    return bl.error("einsum.onnx");
  };
  std::string msg = einsum("ij,jk", {3, 4}, {4, 2});
  EXPECT_NE(msg.find("attribute 'equation'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("bij,bjk->bik"), std::string::npos) << msg;
  msg = einsum("ij,kl->ik", {3, 4}, {4, 2});
  EXPECT_NE(msg.find("summed over one operand only"), std::string::npos) << msg;
  msg = einsum("ii,ij->ij", {3, 3}, {3, 2});
  EXPECT_NE(msg.find("repeated or invalid letter"), std::string::npos) << msg;
  // Batch dimensions that neither match nor are absent on one side.
  Builder b(13);
  b.input("a", {1, 2, 1, 4, 3}).input("c", {1, 1, 3, 3, 5});
  b.node("MatMul", {"a", "c"}, {"y"});
  b.output("y", 5);
  msg = b.error("batch.onnx");
  EXPECT_NE(msg.find("'MatMul_1'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("must be equal, or absent on one side"), std::string::npos) << msg;
}

INSTANTIATE_TEST_SUITE_P(
    Models, MatMulE2E,
    ::testing::Values(Case{"token_linear", token_linear, {{1, 5, 6}}},
                      Case{"batch_gemm", batch_gemm, {{3, 6}}},
                      Case{"attention", attention, {{1, 2, 4, 3}, {1, 2, 4, 3}, {1, 2, 4, 3}}},
                      Case{"broadcast_right", broadcast_right, {{1, 2, 4, 3}, {1, 3, 5}}},
                      Case{"einsums", einsums, {{1, 4, 3}, {1, 3, 2}, {1, 2, 4, 3}}}),
    [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace zk::proof
