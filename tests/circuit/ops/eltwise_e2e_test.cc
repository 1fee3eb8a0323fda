// Elementwise ops between two activations, end to end: the Hadamard product
// (circuit op Mul), NumPy broadcasting of Add/Sub/Mul, Max/Min/Sum/Mean, Div
// through a reciprocal table, PRelu, comparisons, logic on 0/1 tensors, Where. Small in-memory ONNX
// models are compiled, proven, verified (every section tampered is rejected) and compared with the
// float executor; the Mul reduction's own check is reached by tampering and by a prover that claims
// a wrong product.
#include <gtest/gtest.h>

#include <random>
#include <set>

#include "../../support/cheating_prover.h"
#include "../../support/onnx_builder.h"
#include "circuit/executor.h"
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

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

int64_t numel(const std::vector<int64_t>& s) {
  int64_t n = 1;
  for (auto d : s) n *= d;
  return n;
}

// Uniform [-1, 1] calibration (16 samples) and input data.
void make_data(const std::vector<std::vector<int64_t>>& shapes,
               std::vector<std::vector<float>>& cal, std::vector<std::vector<float>>& input) {
  std::mt19937 rng(11);
  std::uniform_real_distribution<float> u(-1.f, 1.f);
  cal.assign(shapes.size(), {});
  input.assign(shapes.size(), {});
  for (size_t i = 0; i < shapes.size(); ++i) {
    int64_t n = numel(shapes[i]);
    for (int64_t s = 0; s < 16 * n; ++s) cal[i].push_back(u(rng));
    for (int64_t k = 0; k < n; ++k) input[i].push_back(u(rng));
  }
}

class EltwiseE2E : public ::testing::TestWithParam<Case> {};

TEST_P(EltwiseE2E, ProvesVerifiesAndMatchesFloat) {
  const Case& c = GetParam();
  auto g = c.build().import(c.name + ".onnx");
  std::vector<std::vector<float>> cal, input;
  make_data(c.input_shapes, cal, input);
  auto m = quant::quantize(g, cal);
  auto keys = setup(m);
  auto res = prove(keys.pk, input);
  auto parsed = load_proof(save_proof(res.proof), keys.vk.circuit, "proof");
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
    std::printf("[ eltwise ] %s output %zu: %zu values, max abs error %.5f\n", c.name.c_str(), o,
                f.size(), err);
  }
  for (const auto& sec : res.sections) {
    if (sec.end <= sec.begin) continue;
    Proof t = parsed;
    t.stream[sec.begin] ^= 1;
    EXPECT_FALSE(verify(keys.vk, t).ok) << "tampered section '" << sec.label << "' accepted";
  }
}

Builder mul_same() {
  // x * y and x * x (the same tensor twice), each followed by a fused Relu.
  Builder b(13);
  b.input("x", {1, 3, 5}).input("y", {1, 3, 5});
  b.node("Mul", {"x", "y"}, {"p"});
  b.node("Relu", {"p"}, {"rp"});
  b.node("Mul", {"x", "x"}, {"sq"});
  b.output("rp", 3).output("sq", 3);
  return b;
}

Builder broadcasts() {
  // [C,H,W] * [C,1,1], [T,D] + [D], [T,1] - [T,D].
  Builder b(13);
  b.input("img", {1, 3, 4, 5}).input("gate", {1, 3, 1, 1});
  b.input("td", {1, 4, 6}).input("d", {1, 6}).input("t1", {1, 4, 1});
  b.node("Mul", {"img", "gate"}, {"gated"});
  b.node("Add", {"td", "d"}, {"sum"});
  b.node("Sub", {"t1", "td"}, {"diff"});
  b.output("gated", 4).output("sum", 3).output("diff", 3);
  return b;
}

Builder max_min() {
  // Pairwise and n-ary, broadcast: max(a, b, c), min(a, c).
  Builder b(13);
  b.input("a", {1, 4, 6}).input("b", {1, 4, 6}).input("c", {1, 6});
  b.node("Max", {"a", "b", "c"}, {"mx"});
  b.node("Min", {"a", "c"}, {"mn"});
  b.output("mx", 3).output("mn", 3);
  return b;
}

Builder sum_mean() {
  Builder b(13);
  b.input("a", {1, 2, 8}).input("b", {1, 2, 8}).input("c", {1, 8});
  b.node("Sum", {"a", "b", "c"}, {"s"});
  b.node("Mean", {"a", "b"}, {"m"});
  b.output("s", 3).output("m", 3);
  return b;
}

Builder divs() {
  // x / sigmoid(y) (a divisor in [0.27, 0.74]), x / 4, and 0.5 / sigmoid(y).
  Builder b(13);
  b.input("x", {1, 2, 6}).input("y", {1, 2, 6});
  b.init("four", {}, {4.0f}).init("half", {}, {0.5f});
  b.node("Sigmoid", {"y"}, {"s"});
  b.node("Div", {"x", "s"}, {"q"});
  b.node("Div", {"x", "four"}, {"q4"});
  b.node("Div", {"half", "s"}, {"inv"});
  b.output("q", 3).output("q4", 3).output("inv", 3);
  return b;
}

Builder prelu() {
  // Per-channel slopes [C,1,1] and a scalar slope.
  Builder b(13);
  b.input("x", {1, 3, 4, 4});
  b.init("slope", {3, 1, 1}, {0.25f, -0.5f, 1.5f}).init("s1", {1}, {0.1f});
  b.node("PRelu", {"x", "slope"}, {"y"});
  b.node("PRelu", {"x", "s1"}, {"z"});
  b.output("y", 4).output("z", 4);
  return b;
}

Builder compare_logic() {
  // Comparisons (one broadcast), Not/And/Or/Xor on their 0/1 results, Where
  // between two tensors and between two constants, Equal of two 0/1 tensors
  // computed differently. (Equality of real values holds on the quantized
  // values only: two paths to one real value may round differently.)
  Builder b(13);
  b.input("x", {1, 2, 6}).input("y", {1, 2, 6}).input("z", {1, 6});
  b.init("two", {}, {2.0f}).init("minus", {}, {-1.0f});
  b.node("Less", {"x", "y"}, {"lt"});
  b.node("GreaterOrEqual", {"x", "z"}, {"ge"});
  b.node("Not", {"lt"}, {"nlt"});
  b.node("And", {"nlt", "ge"}, {"and"});
  b.node("Or", {"lt", "ge"}, {"or"});
  b.node("Xor", {"lt", "ge"}, {"xor"});
  b.node("Where", {"lt", "x", "y"}, {"w"});
  b.node("Where", {"ge", "two", "minus"}, {"wc"});
  b.node("Equal", {"or", "xor"}, {"eq"});  // 0 where lt and ge
  b.node("Greater", {"y", "z"}, {"gt"});
  b.node("LessOrEqual", {"y", "z"}, {"le"});
  // The boolean results as float outputs.
  for (std::string o : {"lt", "and", "or", "xor", "eq", "gt", "le"}) {
    Builder::integer(b.node("Cast", {o}, {o + "_f"}), "to", 1);
    b.output(o + "_f", 3);
  }
  b.output("w", 3).output("wc", 3);
  return b;
}

Builder general_constants() {
  // Constants that broadcast along other axes than the channel: one value
  // per element of the activation (a per-element affine map).
  Builder b(13);
  b.input("x", {1, 4, 6}).input("y", {1, 4, 6});
  b.init("row", {6}, iota_data(6, 1.5f, 0.2f)).init("mat", {4, 6}, iota_data(24, 0.8f, -0.1f));
  b.init("pos", {1, 6}, {1.5f, 2.0f, 2.5f, 3.0f, 3.5f, 4.0f}).init("k", {}, {0.5f});
  b.node("Mul", {"x", "row"}, {"m"});
  b.node("Add", {"mat", "x"}, {"a"});
  b.node("Sub", {"pos", "x"}, {"s"});
  b.node("Div", {"x", "pos"}, {"d"});
  b.node("PRelu", {"x", "row"}, {"p"});
  b.node("Less", {"x", "y"}, {"lt"});
  b.node("Where", {"lt", "row", "k"}, {"w"});
  for (const char* o : {"m", "a", "s", "d", "p", "w"}) b.output(o, 3);
  return b;
}

INSTANTIATE_TEST_SUITE_P(
    Ops, EltwiseE2E,
    ::testing::Values(
        Case{"mul_same", mul_same, {{3, 5}, {3, 5}}, 0.02},
        Case{"broadcasts", broadcasts, {{3, 4, 5}, {3, 1, 1}, {4, 6}, {6}, {4, 1}}, 0.02},
        Case{"max_min", max_min, {{4, 6}, {4, 6}, {6}}, 0.02},
        Case{"sum_mean", sum_mean, {{2, 8}, {2, 8}, {8}}, 0.02},
        Case{"divs", divs, {{2, 6}, {2, 6}}, 0.02}, Case{"prelu", prelu, {{3, 4, 4}}, 0.02},
        Case{"compare_logic", compare_logic, {{2, 6}, {2, 6}, {6}}, 0.02},
        Case{"general_constants", general_constants, {{4, 6}, {4, 6}}, 0.02}),
    [](const ::testing::TestParamInfo<Case>& i) { return i.param.name; });

// --- The Mul op's own check.
struct MulProof {
  quant::CompiledModel model;
  Keys keys;
  std::vector<std::vector<float>> input;
  ProveResult honest;
  circuit::Values values;
};

MulProof& mul_proof() {
  static MulProof* p = [] {
    auto* p = new MulProof;
    auto g = mul_same().import("mul_tamper.onnx");
    std::vector<std::vector<float>> cal;
    make_data({{3, 5}, {3, 5}}, cal, p->input);
    p->model = quant::quantize(g, cal);
    p->keys = setup(p->model);
    p->honest = prove(p->keys.pk, p->input);
    const auto& c = p->model.circuit;
    p->values = p->model.weights;
    auto q = quant::quantize_inputs(c, p->input);
    for (size_t i = 0; i < c.inputs.size(); ++i) p->values[c.inputs[i]] = q[i];
    circuit::execute(c, p->values);
    return p;
  }();
  return *p;
}

TEST(MulOp, TamperedProductSumcheckIsRejectedNamingIt) {
  auto& p = mul_proof();
  std::set<std::string> reasons;
  size_t sections = 0;
  for (const auto& s : p.honest.sections) {
    if (s.label.find("(Mul)") == std::string::npos || s.end <= s.begin) continue;
    ++sections;
    for (size_t w = 0; w < (s.end - s.begin) / 8; ++w) {
      Proof t = p.honest.proof;
      uint64_t v = 0;
      for (int b = 0; b < 8; ++b) v |= uint64_t{t.stream[s.begin + 8 * w + b]} << (8 * b);
      v = v + 1 < Fp::kModulus ? v + 1 : 0;
      for (int b = 0; b < 8; ++b)
        t.stream[s.begin + 8 * w + b] = static_cast<uint8_t>(v >> (8 * b));
      auto r = verify(p.keys.vk, t);
      EXPECT_FALSE(r.ok) << "tampered word " << w << " of '" << s.label << "' accepted";
      reasons.insert(r.reason);
    }
  }
  EXPECT_EQ(sections, 2u);  // one per Mul node
  bool named = false;
  for (const auto& r : reasons)
    named |= r.find("product sumcheck final check failed") != std::string::npos;
  EXPECT_TRUE(named) << "no tampering was rejected by the product check";
}

TEST(MulOp, WrongProductIsRejectedAtTheMulReduction) {
  // The prover claims x*y one unit of the output larger at one position:
  // product, requantized value and output all move consistently, so the
  // requantization identity and lookups hold and only the Mul reduction can
  // catch it.
  auto& p = mul_proof();
  const auto& c = p.model.circuit;
  auto v = p.values;
  const circuit::Node* mul = nullptr;
  for (const auto& n : c.nodes)
    if (n.type == circuit::NodeType::kMul) mul = mul ? mul : &n;
  ASSERT_NE(mul, nullptr);
  const circuit::Node* rq = &c.nodes[c.tensors[mul->out[0]].producer + 1];
  ASSERT_EQ(rq->type, circuit::NodeType::kRequant);
  ASSERT_EQ(rq->in[0], mul->out[0]);
  const auto& rp = rq->p<circuit::RequantParams>();
  int y = rq->out[0], q = rq->out[1];
  ASSERT_GE(q, 0);
  size_t i = 0;
  while (!(v[q][i] > 2 && v[y][i] == v[q][i] && v[q][i] < 100)) ++i;
  ASSERT_EQ(rp.mult, 1);
  v[mul->out[0]][i] += int64_t{1} << rp.shift;
  v[q][i] += 1;
  v[y][i] += 1;
  testing::Cheat cheat;
  cheat.any = true;
  prover::Statement st = p.honest.proof.statement;
  auto ps = testing::prove_cheating(c, p.keys.pk.commitment, v, st, cheat);
  Proof t = p.honest.proof;
  t.stream = ps.bytes;
  auto r = verify(p.keys.vk, t);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.reason.find("(Mul)"), std::string::npos) << r.reason;
}

TEST(MulOp, KeyWithMismatchedShapesIsRejected) {
  // img [3,4,5] * gate [3,1,1]: the gate is gathered to img's shape first;
  // a key whose Mul reads the ungathered gate must not load.
  auto g = broadcasts().import("mul_shapes.onnx");
  std::vector<std::vector<float>> cal, input;
  make_data({{3, 4, 5}, {3, 1, 1}, {4, 6}, {6}, {4, 1}}, cal, input);
  auto c = quant::quantize(g, cal).circuit;
  circuit::Node* mul = nullptr;
  for (auto& n : c.nodes)
    if (n.type == circuit::NodeType::kMul) mul = &n;
  ASSERT_NE(mul, nullptr);
  c.validate();
  mul->in[1] = c.inputs[1];
  try {
    c.validate();
    ADD_FAILURE() << "a Mul of mismatched shapes was accepted";
  } catch (const FormatError& e) {
    EXPECT_NE(std::string(e.what()).find("shapes do not match"), std::string::npos) << e.what();
  }
}

TEST(EltwiseImport, UnsupportedFormsAreRefusedNamingTheProblem) {
  {
    Builder b(13);
    b.input("x", {1, 3, 4}).input("y", {1, 5});
    b.node("Mul", {"x", "y"}, {"z"});
    b.output("z", 2);
    const std::string m = b.error("nobcast.onnx");
    // (ONNX shape inference refuses it before the converter does.)
    EXPECT_NE(m.find("Incompatible dimensions"), std::string::npos) << m;
  }
  {
    Builder b(13);
    b.input("x", {1, 4}).input("y", {1, 4}).init("c", {}, {1.0f});
    b.node("Less", {"x", "y"}, {"l"});
    b.node("Where", {"l", "x", "c"}, {"z"});
    b.output("z", 2);
    EXPECT_NE(b.error("where.onnx").find("one constant and one tensor branch"), std::string::npos);
  }
  {
    Builder b(13);
    b.input("x", {1, 4}).init("zero", {}, {0.0f});
    b.node("Div", {"x", "zero"}, {"z"});
    b.output("z", 2);
    EXPECT_NE(b.error("divzero.onnx").find("division by a zero constant"), std::string::npos);
  }
}

// Every visibility hides something: the product's claims are then sent as
// expressions over pads (zero knowledge), and the proof must still verify.
TEST(MulOp, ZeroKnowledgeProofsVerify) {
  for (auto build : {mul_same, compare_logic}) {
    auto g = build().import("zk_eltwise.onnx");
    std::vector<std::vector<int64_t>> shapes;
    for (int in : g.inputs) shapes.push_back(g.values[in].shape);
    std::vector<std::vector<float>> cal, input;
    make_data(shapes, cal, input);
    quant::QuantOptions o;
    o.input_vis = circuit::Visibility::kPrivate;
    o.weight_vis = circuit::Visibility::kCommitted;
    o.output_vis = circuit::Visibility::kPrivate;
    auto keys = setup(quant::quantize(g, cal, o));
    auto res = prove(keys.pk, input);
    auto r = verify(keys.vk, res.proof, nullptr);
    EXPECT_TRUE(r.ok) << r.reason;
    Proof t = res.proof;
    for (const auto& sec : res.sections)
      if (sec.label.find("(Mul)") != std::string::npos && sec.end > sec.begin) {
        t.stream[sec.begin] ^= 1;
        break;
      }
    EXPECT_FALSE(verify(keys.vk, t, nullptr).ok);
  }
}

// A comparison with a constant operand (a tree's thresholds): the constant
// becomes a tensor of the other operand's shape; proven exactly, and the
// Cast of the 0/1 result to int64 (a truncation table) keeps it.
TEST(EltwiseConstants, ComparisonWithAConstantIsProven) {
  Builder b(13);
  b.input("x", {1, 4}).init("c", {4}, {0.5f, -0.25f, 0.0f, 0.75f});
  b.node("Less", {"x", "c"}, {"l"});
  Builder::integer(b.node("Cast", {"l"}, {"i"}), "to", 7);
  Builder::integer(b.node("Cast", {"i"}, {"z"}), "to", 1);
  b.output("z", 2);
  auto g = b.import("cmpconst.onnx");
  const std::vector<std::vector<float>> cal = {{-1, 1, 0.3f, -0.7f, 0.9f, -0.1f, 0.6f, 0.2f}};
  const std::vector<std::vector<float>> in = {{0.25f, -0.5f, 0.125f, 0.875f}};
  auto keys = setup(quant::quantize(g, cal));
  auto res = prove(keys.pk, in);
  ASSERT_TRUE(verify(keys.vk, res.proof).ok);
  const std::vector<float> want = {1, 1, 0, 0};
  ASSERT_EQ(res.outputs[0].size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) EXPECT_EQ(res.outputs[0][i], want[i]) << i;
  Proof t = res.proof;
  t.stream[t.stream.size() / 2] ^= 1;
  EXPECT_FALSE(verify(keys.vk, t).ok);
}

}  // namespace
}  // namespace zk::proof
