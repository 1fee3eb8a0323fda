// GatherElements, GatherND, ScatterElements and ScatterND (src/onnx/ops_index.cc)
// on small in-memory models: computed indices (a Cast of a model input, with
// negative indices and repeated write targets) and constant ones, each held
// against onnxruntime, proven and verified; an out-of-range constant index
// is refused naming the node, an out-of-range computed one selects nothing
// (the behaviour the proof fixes), and a proof whose one-hot selects another
// element is rejected.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "../support/cheating_prover.h"
#include "../support/onnx_builder.h"
#include "../support/ort_reference.h"
#include "circuit/executor.h"
#include "circuit/layout.h"
#include "circuit/ops/op.h"
#include "model/activations.h"
#include "onnx/import.h"
#include "proof/api.h"

namespace zk::proof {
namespace {

using zk::testing::Builder;
using zk::testing::iota_data;

struct Case {
  std::string name;
  std::function<void(Builder&)> build;  // inputs, nodes and output "y"
  std::vector<std::vector<float>> input;
  int rank = 2;  // of the output
  int opset = 13;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

// "i" = Cast(input "fi", INT64): computed indices.
void cast_indices(Builder& b, const std::string& from = "fi", const std::string& to = "i") {
  Builder::integer(b.node("Cast", {from}, {to}), "to", 7);
}

Case gather_elements() {
  return {"gather_elements",
          [](Builder& b) {
            b.input("x", {3, 5}).input("fi", {3, 4});
            cast_indices(b);
            Builder::integer(b.node("GatherElements", {"x", "i"}, {"y"}), "axis", 1);
          },
          {iota_data(15, 1.0f, 0.1f), {0, 4, -1, 2, -5, 3, 1, -2, 2, 2, 0, -3}}};
}

Case gather_elements_const_data() {
  return {"gather_elements_const_data",
          [](Builder& b) {
            b.input("fi", {4, 2}).init("x", {3, 2}, iota_data(6, 2.0f, 0.5f));
            cast_indices(b);
            Builder::integer(b.node("GatherElements", {"x", "i"}, {"y"}), "axis", 0);
          },
          {{0, 2, -1, 1, -3, 0, 1, -2}}};
}

Case gather_nd() {
  return {"gather_nd",
          [](Builder& b) {
            b.input("x", {4, 3, 2}).input("fi", {3, 2});
            cast_indices(b);
            b.node("GatherND", {"x", "i"}, {"y"});
          },
          {iota_data(24, 1.5f, -0.2f), {0, 2, -1, 1, 2, -3}}};
}

Case scatter_elements() {  // position (0, 1) is written twice: the last write wins
  return {"scatter_elements",
          [](Builder& b) {
            b.input("x", {4, 3}).input("fi", {2, 3}).input("u", {2, 3});
            cast_indices(b);
            Builder::integer(b.node("ScatterElements", {"x", "i", "u"}, {"y"}), "axis", 0);
          },
          {iota_data(12, 1.0f, 0.0f), {3, 0, -1, 1, 0, 2}, {0.5f, -0.7f, 0.9f, 0.3f, 0.8f, -0.4f}}};
}

Case scatter_nd() {  // slice 4 is written twice (as 4 and -1)
  return {"scatter_nd",
          [](Builder& b) {
            b.input("x", {5, 2}).input("fi", {3, 1}).input("u", {3, 2});
            cast_indices(b);
            b.node("ScatterND", {"x", "i", "u"}, {"y"});
          },
          {iota_data(10, 1.0f, 0.2f), {4, 1, -1}, {0.5f, -0.7f, 0.9f, 0.3f, -0.8f, 0.6f}}};
}

Case scatter_nd_const_indices() {  // a Move
  return {"scatter_nd_const_indices",
          [](Builder& b) {
            b.input("x", {5, 2}).input("u", {2, 2}).init_ints("i1", {3, -1}).init_ints("s", {2, 1});
            b.node("Reshape", {"i1", "s"}, {"i"});
            b.node("ScatterND", {"x", "i", "u"}, {"y"});
          },
          {iota_data(10, 1.0f, 0.2f), {0.5f, -0.7f, 0.9f, 0.3f}}};
}

Case gather_nd_const_indices() {  // a Move
  return {"gather_nd_const_indices",
          [](Builder& b) {
            b.input("x", {4, 3}).init_ints("i1", {2, -1, 0, 1}).init_ints("s", {2, 2});
            b.node("Reshape", {"i1", "s"}, {"i"});
            b.node("GatherND", {"x", "i"}, {"y"});
          },
          {iota_data(12, 1.0f, 0.2f)},
          1};
}

Case scatter_nd_pairs() {  // index tuples of two components, one negative
  return {"scatter_nd_pairs",
          [](Builder& b) {
            b.input("x", {3, 4}).input("fi", {3, 2}).input("u", {3});
            cast_indices(b);
            b.node("ScatterND", {"x", "i", "u"}, {"y"});
          },
          {iota_data(12, 1.0f, 0.2f), {0, 3, -1, 1, 2, -4}, {0.5f, -0.7f, 0.9f}}};
}

Case scatter_elements_const_data() {  // data * (1 - hit) as a per-element affine
  return {"scatter_elements_const_data",
          [](Builder& b) {
            b.init("x", {3, 4}, iota_data(12, 1.0f, 0.3f)).input("fi", {3, 2}).input("u", {3, 2});
            cast_indices(b);
            Builder::integer(b.node("ScatterElements", {"x", "i", "u"}, {"y"}), "axis", 1);
          },
          {{3, 0, -1, 1, 2, 2}, {0.5f, -0.7f, 0.9f, 0.3f, 0.8f, -0.4f}}};
}

Case scatter_opset10() {  // the old name of ScatterElements
  Case c = scatter_elements();
  c.name = "scatter_opset10";
  c.build = [](Builder& b) {
    b.input("x", {4, 3}).input("fi", {2, 3}).input("u", {2, 3});
    cast_indices(b);
    Builder::integer(b.node("Scatter", {"x", "i", "u"}, {"y"}), "axis", 0);
  };
  c.opset = 10;
  return c;
}

Case gather_elements_const_indices() {  // a Move
  return {"gather_elements_const_indices",
          [](Builder& b) {
            b.input("x", {3, 4}).init_ints("i1", {3, -1, 0, 2, 1, -4}).init_ints("s", {3, 2});
            b.node("Reshape", {"i1", "s"}, {"i"});
            Builder::integer(b.node("GatherElements", {"x", "i"}, {"y"}), "axis", 1);
          },
          {iota_data(12, 1.0f, 0.2f)}};
}

class IndexOpsTest : public ::testing::TestWithParam<Case> {};

TEST_P(IndexOpsTest, MatchesOnnxruntimeAndProves) {
  const Case& c = GetParam();
  Builder b(c.opset);
  c.build(b);
  b.output("y", c.rank);
  const std::string file = b.write("index_" + c.name + ".onnx");
  const auto g = onnx::import_model(file);
  ASSERT_TRUE(zk::testing::ort_available()) << "run scripts/install-deps.sh";
  const auto ort = zk::testing::ort_on(file, c.input);
  ASSERT_TRUE(ort.ok) << ort.error;
  const auto& want = ort.outputs.at(0);
  const auto fv = model::run_float(g, c.input);
  const auto& f = fv[g.outputs[0]];
  ASSERT_EQ(f.size(), want.size());
  double amax = 0;
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_NEAR(f[i], want[i], 1e-6) << i;
    amax = std::max(amax, std::fabs(want[i]));
  }
  auto m = quant::quantize(g, c.input);
  auto keys = setup(m);
  auto res = prove(keys.pk, c.input);
  ASSERT_TRUE(verify(keys.vk, res.proof, &c.input).ok);
  ASSERT_EQ(res.outputs[0].size(), want.size());
  for (size_t i = 0; i < want.size(); ++i)
    EXPECT_NEAR(res.outputs[0][i], want[i], 0.01 * amax) << i;
}

INSTANTIATE_TEST_SUITE_P(Index, IndexOpsTest,
                         ::testing::Values(gather_elements(), gather_elements_const_data(),
                                           gather_nd(), scatter_elements(), scatter_nd(),
                                           scatter_nd_const_indices(), gather_nd_const_indices(),
                                           scatter_nd_pairs(), scatter_opset10(),
                                           scatter_elements_const_data(),
                                           gather_elements_const_indices()),
                         [](const auto& info) { return info.param.name; });

TEST(IndexOps, ConstantIndexOutOfRangeIsRefusedNamingTheNode) {
  Builder b(13);
  b.input("x", {4, 3}).init_ints("i1", {4, 0}).init_ints("s", {1, 2});
  b.node("Reshape", {"i1", "s"}, {"i"});
  b.node("GatherND", {"x", "i"}, {"y"});
  b.output("y", 1);
  const std::string msg = b.error("index_oor.onnx");
  EXPECT_NE(msg.find("GatherND_2"), std::string::npos) << msg;
  EXPECT_NE(msg.find("index 4 out of range for an axis of length 4"), std::string::npos) << msg;
}

// An index outside [-len, len) computed from the input: the one-hot selects
// nothing (the float model reads 0), and the integer executor, so `prove`,
// refuses it naming the node, through the guard whose value is outside the
// provable range.
TEST(IndexOps, ComputedIndexOutOfRangeIsRefusedByTheExecutor) {
  for (const Case& c : {gather_elements(), gather_nd(), scatter_elements(), scatter_nd()}) {
    SCOPED_TRACE(c.name);
    Builder b(13);
    c.build(b);
    b.output("y", 2);
    const auto g = b.import("index_oor_" + c.name + ".onnx");
    auto m = quant::quantize(g, c.input);
    auto keys = setup(m);
    for (float bad : {5.0f, -6.0f}) {  // further out, the Cast layer is out of range first
      auto input = c.input;
      input[1][1] = bad;
      if (c.name == "gather_elements") {  // y[0, 1] reads nothing
        EXPECT_EQ(model::run_float(g, input)[g.outputs[0]][1], 0.0f);
      }
      try {
        prove(keys.pk, input);
        ADD_FAILURE() << "index " << bad << " was proven";
      } catch (const circuit::RangeError& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find("_2/index_out_of_range'"), std::string::npos) << bad << ": " << msg;
      }
    }
  }
}

// Calibrated on an out-of-range index, the guard still gets the scale of a
// tensor never calibrated (its values are 0 on valid inputs), where an
// out-of-range index is far outside the tables: proving still refuses.
TEST(IndexOps, OutOfRangeIndexInTheCalibrationIsStillRefused) {
  const Case c = gather_elements();
  Builder b(13);
  c.build(b);
  b.output("y", 2);
  const auto g = b.import("index_oor_cal.onnx");
  auto input = c.input;
  input[1][1] = 5.0f;
  auto keys = setup(quant::quantize(g, input));
  try {
    prove(keys.pk, input);
    ADD_FAILURE() << "an out-of-range index was proven";
  } catch (const circuit::RangeError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("'GatherElements_2/index_out_of_range'"), std::string::npos) << msg;
  }
}

struct IndexProof {
  quant::CompiledModel model;
  Keys keys;
  std::vector<std::vector<float>> input;
  ProveResult honest;
  circuit::Values values;
};

IndexProof& index_proof() {
  static IndexProof* p = [] {
    auto* p = new IndexProof;
    const Case c = gather_elements();
    Builder b(13);
    c.build(b);
    b.output("y", 2);
    p->input = c.input;
    p->model = quant::quantize(b.import("index_tamper.onnx"), p->input);
    p->keys = setup(p->model);
    p->honest = prove(p->keys.pk, p->input);
    const auto& cc = p->model.circuit;
    p->values = p->model.weights;
    auto q = quant::quantize_inputs(cc, p->input);
    for (size_t i = 0; i < cc.inputs.size(); ++i) p->values[cc.inputs[i]] = q[i];
    circuit::execute(cc, p->values);
    return p;
  }();
  return *p;
}

TEST(IndexOps, TamperedSectionsAreRejected) {
  auto& p = index_proof();
  size_t sections = 0;
  for (const auto& s : p.honest.sections) {
    if (s.label.find("GatherElements_2") == std::string::npos || s.end < s.begin + 8) continue;
    ++sections;
    Proof t = p.honest.proof;
    t.stream[s.begin] ^= 1;
    EXPECT_FALSE(verify(p.keys.vk, t).ok) << "tampered '" << s.label << "' accepted";
  }
  EXPECT_GT(sections, 3u);
}

// The prover makes the one-hot of y[0, 0] select another element of its row
// and recomputes everything after it, so every op downstream is consistent:
// only the IsZero table (q = idx - j, one-hot) can catch it.
TEST(IndexOps, OneHotSelectingAnotherElementIsRejected) {
  auto& p = index_proof();
  const auto& c = p.model.circuit;
  auto v = p.values;
  size_t k = 0;
  for (; k < c.nodes.size(); ++k) {
    const auto& n = c.nodes[k];
    if (n.type != circuit::NodeType::kRequant) continue;
    const int t = n.p<circuit::RequantParams>().table;
    if (t >= 0 && c.tables[t].name.rfind(model::kIsZeroActivation, 0) == 0) break;
  }
  ASSERT_LT(k, c.nodes.size());
  const circuit::Tensor& e = c.tensors[c.nodes[k].out[0]];
  auto& ev = v[c.nodes[k].out[0]];
  const size_t row = size_t{1} << e.log_dims.back();
  size_t on = 0;
  while (ev[on] == 0) ++on;
  ASSERT_LT(on, row);  // row 0 selects one element
  const size_t off = on == 0 ? 1 : 0;
  ASSERT_TRUE(circuit::is_valid_index(e, off));
  std::swap(ev[on], ev[off]);
  for (size_t i = k + 1; i < c.nodes.size(); ++i)
    circuit::op_def(c.nodes[i].type).execute(c, c.nodes[i], v);
  prover::Statement st = p.honest.proof.statement;
  for (size_t o = 0; o < st.outputs.size(); ++o)
    if (!st.outputs[o].empty()) st.outputs[o] = v[c.outputs[o]];
  ASSERT_NE(st.outputs, p.honest.proof.statement.outputs);  // y[0, 0] changed
  testing::Cheat cheat;
  cheat.any = true;
  auto ps = testing::prove_cheating(c, p.keys.pk.commitment, v, st, cheat);
  Proof t = p.honest.proof;
  t.statement = st;
  t.stream = ps.bytes;
  const auto r = verify(p.keys.vk, t);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.reason.find("diff0 activation"), std::string::npos) << r.reason;
  EXPECT_NE(r.reason.find("not in the table"), std::string::npos) << r.reason;
}

TEST(IndexOps, TooManyPairsAreRefusedNamingTheSizes) {
  Builder b(13);
  b.input("x", {2, 4096}).input("fi", {2, 1025});
  cast_indices(b);
  Builder::integer(b.node("GatherElements", {"x", "i"}, {"y"}), "axis", 1);
  b.output("y", 2);
  const std::string msg = b.error("index_large.onnx");
  EXPECT_NE(msg.find("GatherElements_2"), std::string::npos) << msg;
  EXPECT_NE(msg.find("2050 positions with 4096 candidates"), std::string::npos) << msg;
  EXPECT_NE(msg.find("more than 2^22"), std::string::npos) << msg;
}

TEST(IndexOps, UnsupportedFormsAreRefused) {
  Builder b(16);
  b.input("x", {4, 3}).input("fi", {2, 3}).input("u", {2, 3});
  cast_indices(b);
  auto* n = b.node("ScatterElements", {"x", "i", "u"}, {"y"});
  auto* a = n->add_attribute();
  a->set_name("reduction");
  a->set_type(::onnx::AttributeProto::STRING);
  a->set_s("add");
  b.output("y", 2);
  const std::string msg = b.error("index_reduction.onnx");
  EXPECT_NE(msg.find("reduction"), std::string::npos) << msg;
  EXPECT_NE(msg.find("only none"), std::string::npos) << msg;
}

}  // namespace
}  // namespace zk::proof
