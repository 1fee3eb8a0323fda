// Soundness: every check the verifier makes rejects a proof tampered at that
// point, naming the check; cheating provers that prove values other than the
// executor's are rejected; corrupted proofs never verify.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "../support/cheating_prover.h"
#include "circuit/executor.h"
#include "onnx/import.h"
#include "proof/api.h"

namespace zk::proof {
namespace {

std::vector<std::vector<float>> read_inputs(const std::string& path) {
  std::ifstream f(path);
  auto j = nlohmann::json::parse(f);
  return j["input_data"].get<std::vector<std::vector<float>>>();
}

struct Demo {
  quant::CompiledModel model;
  Keys keys;
  std::vector<std::vector<float>> input;
  ProveResult honest;
  circuit::Values values;
};

Demo& demo() {
  static Demo* d = [] {
    auto* d = new Demo;
    std::string ex = std::string(ZK_SOURCE_DIR) + "/examples/lenet/";
    auto g = onnx::import_model(ex + "lenet.onnx");
    d->model = quant::quantize(g, read_inputs(ex + "calibration.json"));
    d->keys = setup(d->model);
    d->input = read_inputs(ex + "input.json");
    d->honest = prove(d->keys.pk, d->input);
    const auto& c = d->model.circuit;
    d->values = d->model.weights;
    d->values[c.inputs[0]] = quant::quantize_inputs(c, d->input)[0];
    circuit::execute(c, d->values);
    return d;
  }();
  return *d;
}

// Padded index of pixel (row 14, column 14) of the 1x28x28 input.
size_t padded_pixel() {
  const auto& t = demo().model.circuit.tensors[demo().model.circuit.inputs[0]];
  return circuit::padded_index(t, {0, 14, 14});
}

VerifyResult verify_stream_bytes(const std::vector<uint8_t>& stream) {
  Proof p = demo().honest.proof;
  p.stream = stream;
  return verify(demo().keys.vk, p);
}

testing::Cheat any_cheat() {
  testing::Cheat c;
  c.any = true;
  return c;
}

// Adds one to the 8-byte word at `pos` (kept canonical), changing whatever
// field element or digest word is there.
void bump_word(std::vector<uint8_t>& b, size_t pos) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= uint64_t{b[pos + i]} << (8 * i);
  v = v + 1 < Fp::kModulus ? v + 1 : 0;
  for (int i = 0; i < 8; ++i) b[pos + i] = static_cast<uint8_t>(v >> (8 * i));
}

TEST(Soundness, HonestProofVerifies) {
  auto r = verify(demo().keys.vk, demo().honest.proof, &demo().input);
  EXPECT_TRUE(r.ok) << r.reason;
}

TEST(Soundness, EverySectionTamperedIsRejectedNamingTheCheck) {
  const auto& sections = demo().honest.sections;
  const auto& stream = demo().honest.proof.stream;
  std::set<std::string> kinds;
  size_t tested = 0;
  for (size_t i = 0; i < sections.size(); ++i) {
    const auto& s = sections[i];
    if (s.end <= s.begin) continue;
    // A value sent in this section may be checked by a reduction nested in
    // it (a claim on a derived tensor): those sections follow until this
    // section's label resumes.
    std::set<std::string> allowed{s.label};
    for (size_t j = i + 1; j < sections.size() && sections[j].label != s.label; ++j)
      allowed.insert(sections[j].label);
    size_t words = (s.end - s.begin) / 8;
    for (size_t w : {size_t{0}, words / 2, words - 1}) {
      auto b = stream;
      bump_word(b, s.begin + 8 * w);
      auto r = verify_stream_bytes(b);
      ASSERT_FALSE(r.ok) << "tampered section '" << s.label << "' word " << w << " was accepted";
      if (s.label != "witness commitment") {
        // Everything after the commitment root changes only that section's
        // messages: the check that fails must be in the same section.
        std::string failed = r.reason.substr(0, r.reason.find(": "));
        EXPECT_TRUE(allowed.count(failed))
            << "section '" << s.label << "' tampered, but rejected with: " << r.reason;
      }
      ++tested;
    }
    kinds.insert(s.label.substr(0, s.label.find(' ')));
  }
  EXPECT_GT(tested, 60u);
  // Every kind of section was exercised.
  for (const char* k : {"witness", "lookup", "layer", "weight"}) EXPECT_TRUE(kinds.count(k)) << k;
}

TEST(Soundness, EverySingleByteCorruptionOfTheProofFileIsRejected) {
  auto bytes = save_proof(demo().honest.proof);
  const auto& vk = demo().keys.vk;
  const size_t kPositions = 2000;
  size_t rejected = 0;
  for (size_t k = 0; k < kPositions; ++k) {
    size_t pos = k * (bytes.size() - 1) / (kPositions - 1);
    auto b = bytes;
    b[pos] ^= static_cast<uint8_t>(1u << (k % 8));
    bool ok = false;
    try {
      auto p = load_proof(b, vk.circuit, "proof");
      ok = verify(vk, p).ok;
    } catch (const FormatError&) {
      ok = false;
    }
    EXPECT_FALSE(ok) << "corruption at byte " << pos << " of " << bytes.size() << " was accepted";
    rejected += !ok;
  }
  EXPECT_EQ(rejected, kPositions);
}

TEST(Soundness, TruncatedAndExtendedProofsAreRejected) {
  const auto& stream = demo().honest.proof.stream;
  for (size_t cut : {size_t{0}, size_t{1}, stream.size() / 3, stream.size() - 1}) {
    std::vector<uint8_t> b(stream.begin(), stream.begin() + cut);
    auto r = verify_stream_bytes(b);
    EXPECT_FALSE(r.ok);
  }
  auto b = stream;
  b.push_back(0);
  auto r = verify_stream_bytes(b);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.reason.find("trailing"), std::string::npos) << r.reason;
}

// Proves honest values for a different public statement: the transcript is
// consistent, so the check that binds the statement must catch it.
VerifyResult prove_statement(const prover::Statement& st) {
  const auto& c = demo().model.circuit;
  auto ps = testing::prove_cheating(c, demo().keys.pk.commitment, demo().values, st, any_cheat());
  Proof p = demo().honest.proof;
  p.statement = st;
  p.stream = ps.bytes;
  return verify(demo().keys.vk, p);
}

TEST(Soundness, WrongPublicInputIsRejected) {
  auto other = demo().input;
  other[0][300] += 0.5f;
  auto r = verify(demo().keys.vk, demo().honest.proof, &other);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.reason.find("public input does not match"), std::string::npos) << r.reason;
  // The embedded input edited in the proof file: the transcript no longer matches.
  Proof p = demo().honest.proof;
  p.statement.inputs[0][40] += 1;
  EXPECT_FALSE(verify(demo().keys.vk, p).ok);
  // A transcript-consistent proof for another input: the input claim fails.
  prover::Statement st = demo().honest.proof.statement;
  st.inputs[0][padded_pixel()] += 1;
  r = prove_statement(st);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.reason.find("claim on the public input"), std::string::npos) << r.reason;
}

TEST(Soundness, OutOfRangeStatementValuesAreRejected) {
  // A public input beyond the limit every accumulator bound assumes.
  Proof p = demo().honest.proof;
  p.statement.inputs[0][padded_pixel()] = circuit::kMaxInputMagnitude + 1;
  auto r = verify(demo().keys.vk, p);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.reason.find("out of the provable range"), std::string::npos) << r.reason;
  // Values that would alias another integer modulo p never parse.
  p = demo().honest.proof;
  p.statement.outputs[0][0] = INT64_MAX;
  EXPECT_THROW(load_proof(save_proof(p), demo().keys.vk.circuit, "proof"), FormatError);
}

TEST(Soundness, ChangedClaimedOutputIsRejected) {
  prover::Statement st = demo().honest.proof.statement;
  auto& out = st.outputs[0];
  size_t best = std::max_element(out.begin(), out.begin() + 10) - out.begin();
  out[best == 0 ? 1 : 0] = out[best] + 1;  // another class now wins
  Proof p = demo().honest.proof;
  p.statement = st;
  EXPECT_FALSE(verify(demo().keys.vk, p).ok);
  // Transcript-consistent: the output claim is discharged by the witness opening.
  auto r = prove_statement(st);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.reason.rfind("witness opening", 0), 0u) << r.reason;
}

TEST(Soundness, ProofForAnotherModelIsRejected) {
  // Same architecture, different weights: another model identity.
  quant::CompiledModel other = demo().model;
  for (auto& w : other.weights)
    if (!w.empty()) w[0] += 1;
  Keys other_keys = setup(other);
  auto r = verify(other_keys.vk, demo().honest.proof);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.reason.find("different weights"), std::string::npos) << r.reason;
  // Relabelling the proof with the other model's commitment does not help.
  Proof p = demo().honest.proof;
  p.weight_root = other_keys.vk.weight_root;
  r = verify(other_keys.vk, p);
  EXPECT_FALSE(r.ok);
  // Another circuit altogether (different scales).
  quant::QuantOptions opt;
  opt.table_bits = 15;
  std::string ex = std::string(ZK_SOURCE_DIR) + "/examples/lenet/";
  auto m3 = quant::quantize(onnx::import_model(ex + "lenet.onnx"),
                            read_inputs(ex + "calibration.json"), opt);
  auto k3 = setup(m3);
  r = verify(k3.vk, demo().honest.proof);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.reason.find("different model"), std::string::npos) << r.reason;
}

// --- Each named check of the verifier, reached by tampering the part of the
// proof it guards. A check counts as covered when some tampered word of a
// section of that kind makes the verifier reject with the check's message.

std::set<std::string> reasons_for(const std::string& label_part, size_t spread = 48) {
  const auto& stream = demo().honest.proof.stream;
  std::set<std::string> out;
  for (const auto& s : demo().honest.sections) {
    if (s.label.find(label_part) == std::string::npos || s.end <= s.begin) continue;
    size_t words = (s.end - s.begin) / 8;
    std::set<size_t> picks;
    for (size_t w = 0; w < std::min<size_t>(words, 200); ++w) picks.insert(w);
    for (size_t k = 0; k < spread; ++k)
      picks.insert(k * (words - 1) / std::max<size_t>(1, spread - 1));
    picks.insert(words - 1);
    picks.insert(words - 2 < words ? words - 2 : 0);
    for (size_t w : picks) {
      auto b = stream;
      bump_word(b, s.begin + 8 * w);
      auto r = verify_stream_bytes(b);
      if (!r.ok) out.insert(r.reason);
    }
  }
  return out;
}

bool any_contains(const std::set<std::string>& reasons, const std::string& msg) {
  for (const auto& r : reasons)
    if (r.find(msg) != std::string::npos) return true;
  return false;
}

TEST(VerifierChecks, EachNamedCheckRejectsATamperedProof) {
  struct Expect {
    const char* section;
    std::vector<const char*> messages;
  };
  const std::vector<Expect> expectations = {
      {"(Conv)", {"sumcheck final check failed (kernel phase)", "sumcheck final check failed"}},
      {"(Gemm)", {"sumcheck final check failed"}},
      {"(LinComb)", {"linear combination check failed"}},
      {"(requantize)", {"requantization identity failed"}},
      {"lookup table", {"lookup fractional-sum layer", "lookup leaf check failed"}},
      // (The proximity and row-consistency checks need a committed matrix
      // that is not a codeword; tests/pcs/ligero_test.cc reaches them.)
      {"weight opening",
       {"batched opening: sumcheck final check failed", "evaluation does not match the claim",
        "Merkle path"}},
      {"witness opening",
       {"batched opening: sumcheck final check failed", "evaluation does not match the claim",
        "Merkle path"}},
  };
  for (const auto& e : expectations) {
    auto reasons = reasons_for(e.section);
    for (const char* m : e.messages)
      EXPECT_TRUE(any_contains(reasons, m))
          << "no tampering of '" << e.section << "' sections was rejected with '" << m << "'";
  }
}

TEST(VerifierChecks, MalformedStatementsAreRejected) {
  Proof p = demo().honest.proof;
  p.statement.outputs.clear();
  auto r = verify(demo().keys.vk, p);
  EXPECT_NE(r.reason.find("statement: wrong number of outputs"), std::string::npos) << r.reason;
  p = demo().honest.proof;
  p.statement.outputs[0].pop_back();
  r = verify(demo().keys.vk, p);
  EXPECT_NE(r.reason.find("statement: output has the wrong size"), std::string::npos) << r.reason;
  p = demo().honest.proof;
  p.statement.inputs[0].pop_back();
  r = verify(demo().keys.vk, p);
  EXPECT_NE(r.reason.find("statement: input has the wrong size"), std::string::npos) << r.reason;
  p = demo().honest.proof;
  p.statement.inputs.clear();
  r = verify(demo().keys.vk, p);
  EXPECT_NE(r.reason.find("statement: wrong number of inputs"), std::string::npos) << r.reason;
}

// Garbage at padded positions of the public input changes nothing the
// circuit reads, so a prover can make such a proof consistent; it would state
// the same input under another digest and fail `verify --input` (review
// issue 8). Rejected, naming the check.
TEST(VerifierChecks, NonZeroPaddingOfThePublicInputIsRejected) {
  const auto& c = demo().model.circuit;
  const int t = c.inputs[0];
  size_t pad = 0;
  while (circuit::is_valid_index(c.tensors[t], pad)) ++pad;
  circuit::Values v = demo().values;
  v[t][pad] = 5;
  prover::Statement st = demo().honest.proof.statement;
  st.inputs[0][pad] = 5;
  auto ps = testing::prove_cheating(c, demo().keys.pk.commitment, v, st, any_cheat());
  Proof p = demo().honest.proof;
  p.statement = st;
  p.stream = ps.bytes;
  auto r = verify(demo().keys.vk, p);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.reason.find("statement: public input '" + c.tensors[t].name +
                          "' is non-zero at padded position " + std::to_string(pad)),
            std::string::npos)
      << r.reason;
}

// --- Cheating provers: the honest protocol code run on values that the
// executor would not produce. Each must be caught by the named check.

VerifyResult prove_values(const circuit::Values& v) {
  const auto& c = demo().model.circuit;
  prover::Statement st = demo().honest.proof.statement;
  for (size_t i = 0; i < c.outputs.size(); ++i) st.outputs[i] = v[c.outputs[i]];
  auto ps = testing::prove_cheating(c, demo().keys.pk.commitment, v, st, any_cheat());
  Proof p = demo().honest.proof;
  p.statement = st;
  p.stream = ps.bytes;
  return verify(demo().keys.vk, p);
}

const circuit::Node& find_node(circuit::NodeType t, int nth = 0) {
  for (const auto& n : demo().model.circuit.nodes)
    if (n.type == t && nth-- == 0) return n;
  throw std::runtime_error("node not found");
}

TEST(CheatingProver, HonestValuesThroughTheCheatingPathVerify) {
  auto r = prove_values(demo().values);
  EXPECT_TRUE(r.ok) << r.reason;
}

TEST(CheatingProver, WrongActivationOutputFailsTheLookup) {
  auto v = demo().values;
  const auto& n = find_node(circuit::NodeType::kRequant, 1);  // second conv's ReLU
  v[n.out[0]][3] += 5;                                        // y != relu(q) at a valid position
  auto r = prove_values(v);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.reason.find("lookup sums differ"), std::string::npos) << r.reason;
}

TEST(CheatingProver, RemainderOutOfRangeFailsTheRangeLookup) {
  auto v = demo().values;
  const auto& n = find_node(circuit::NodeType::kRequant, 0);
  ASSERT_GT(n.p<circuit::RequantParams>().shift, 0);
  // Keep x*mult + h = 2^k q + rem but move rem out of [0, 2^k).
  v[n.out[2]][5] += int64_t{1} << n.p<circuit::RequantParams>().shift;
  v[n.out[1]][5] -= 1;
  auto r = prove_values(v);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.reason.find("lookup sums differ"), std::string::npos) << r.reason;
}

TEST(CheatingProver, InconsistentRequantizationFailsTheIdentity) {
  auto v = demo().values;
  const auto& n = find_node(circuit::NodeType::kRequant, 4);  // the logits
  ASSERT_EQ(n.p<circuit::RequantParams>().table, -1);
  v[n.out[0]][2] += 3;  // claim a larger logit (still in range)
  auto r = prove_values(v);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.reason.find("requantization identity failed"), std::string::npos) << r.reason;
}

TEST(CheatingProver, WrongMaxPoolDifferenceFailsTheLookup) {
  auto v = demo().values;
  const auto& c = demo().model.circuit;
  const auto& n = find_node(circuit::NodeType::kMaxDiff, 0);
  v[n.out[0]][7] += 1;
  // Recompute the pooled value it feeds, as a consistent cheater would.
  for (const auto& m : c.nodes) {
    if (m.type != circuit::NodeType::kLinComb) continue;
    const auto& expr = m.p<circuit::LinCombParams>().expr;
    if (expr.terms.size() != 2 || expr.terms[1].tensor != n.out[0]) continue;
    auto& out = v[m.out[0]];
    for (size_t i = 0; i < out.size(); ++i) {
      out[i] = expr.constant;
      for (const auto& t : expr.terms) out[i] += t.coeff * v[t.tensor][circuit::view_index(t, i)];
    }
  }
  auto r = prove_values(v);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.reason.find("lookup"), std::string::npos) << r.reason;
}

TEST(CheatingProver, WeightsOtherThanTheCommittedOnesFailTheOpening) {
  auto v = demo().values;
  const auto& n = find_node(circuit::NodeType::kGemm, 2);
  v[n.in[1]][0] += 1;                         // use a different weight than was committed
  circuit::execute(demo().model.circuit, v);  // recompute everything downstream
  auto r = prove_values(v);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.reason.rfind("weight opening", 0), 0u) << r.reason;
}

VerifyResult prove_cheat(testing::Cheat cheat) {
  const auto& c = demo().model.circuit;
  auto ps = testing::prove_cheating(c, demo().keys.pk.commitment, demo().values,
                                    demo().honest.proof.statement, cheat);
  Proof p = demo().honest.proof;
  p.stream = ps.bytes;
  return verify(demo().keys.vk, p);
}

TEST(CheatingProver, LookingUpPaddedRowsFailsTheSelectorCheck) {
  testing::Cheat cheat;
  cheat.select_padding = true;
  auto r = prove_cheat(cheat);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.reason.find("lookup selector check failed"), std::string::npos) << r.reason;
}

TEST(CheatingProver, AnotherTableFailsTheLeafCheck) {
  testing::Cheat cheat;
  cheat.shift_table = true;
  auto r = prove_cheat(cheat);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.reason.find("lookup leaf check failed"), std::string::npos) << r.reason;
}

// A zero denominator cannot hide in the fraction tree: its leaves are checked
// against the committed tensors (and the table) at a random point.
TEST(CheatingProver, ZeroDenominatorsFailTheLeafCheck) {
  testing::Cheat a;
  a.zero_leaf = true;
  auto r = prove_cheat(a);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.reason.find("lookup leaf check failed"), std::string::npos) << r.reason;
  testing::Cheat b;
  b.zero_table_leaf = true;
  r = prove_cheat(b);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.reason.find("lookup leaf check failed"), std::string::npos) << r.reason;
}

// Multiplicities that do not balance the looked-up values leave a nonzero sum.
TEST(CheatingProver, UnbalancedLookupFailsTheSumCheck) {
  testing::Cheat cheat;
  cheat.extra_multiplicity = true;
  auto r = prove_cheat(cheat);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.reason.find("lookup sums differ"), std::string::npos) << r.reason;
}

TEST(CheatingProver, WrongLinearLayerOutputFailsItsSumcheck) {
  // Change the first conv's accumulator-derived witness consistently so every
  // lookup still holds: q and y both move by one where y = q > 0.
  auto v = demo().values;
  const auto& n = find_node(circuit::NodeType::kRequant, 0);
  size_t pos = 0;
  while (!(v[n.out[0]][pos] > 2 && v[n.out[1]][pos] == v[n.out[0]][pos])) ++pos;
  v[n.out[0]][pos] += 1;
  v[n.out[1]][pos] += 1;
  auto r = prove_values(v);
  EXPECT_FALSE(r.ok);
  // q no longer matches the convolution: the requantization identity, which
  // feeds the Conv sumcheck, cannot hold for the true accumulator.
  EXPECT_TRUE(r.reason.find("requantization identity") != std::string::npos ||
              r.reason.find("(Conv)") != std::string::npos)
      << r.reason;
}

}  // namespace
}  // namespace zk::proof

// --- Two-limb rounding remainders (shift between T and 2T bits). A prover
// may commit any field elements; the range checks must still pin the
// remainder to [0, 2^shift). These forgeries lower a requantized value by one
// and rebalance the limbs with field elements that satisfy the identity.
namespace zk::proof {
namespace {

struct TwoLimb {
  quant::CompiledModel model;
  Keys keys;
  std::vector<std::vector<float>> input;
  circuit::Values values;
  ProveResult honest;
  const circuit::Node* node = nullptr;
};

TwoLimb& two_limb() {
  static TwoLimb* t = [] {
    auto* t = new TwoLimb;
    std::string ex = std::string(ZK_SOURCE_DIR) + "/examples/breast_cancer/";
    t->model = quant::quantize(onnx::import_model(ex + "model.onnx"),
                               read_inputs(ex + "calibration.json"));
    t->keys = setup(t->model);
    t->input = read_inputs(ex + "input.json");
    t->honest = prove(t->keys.pk, t->input);
    const auto& c = t->model.circuit;
    t->values = t->model.weights;
    t->values[c.inputs[0]] = quant::quantize_inputs(c, t->input)[0];
    circuit::execute(c, t->values);
    for (const auto& n : c.nodes)
      if (n.type == circuit::NodeType::kRequant && n.out[3] >= 0 &&
          n.p<circuit::RequantParams>().shift < 2 * static_cast<int>(c.table_bits))
        t->node = &n;
    return t;
  }();
  return *t;
}

// Lowers q (and y) by one at valid position i and commits the limbs as the
// given field elements; returns the verifier's verdict.
VerifyResult forge_limbs(size_t i, Fp rem, Fp rem_hi) {
  auto& t = two_limb();
  const auto& c = t.model.circuit;
  const auto& n = *t.node;
  auto v = t.values;
  v[n.out[1]][i] -= 1;
  v[n.out[0]][i] = c.tables[n.p<circuit::RequantParams>().table].out_value(
      v[n.out[1]][i] + (int64_t{1} << (c.table_bits - 1)), c.table_bits);
  testing::Cheat cheat;
  for (int k : {2, 3}) {
    std::vector<Fp> f;
    for (auto x : v[n.out[k]]) f.push_back(Fp::from_int(x));
    f[i] = k == 2 ? rem : rem_hi;
    cheat.field_values[n.out[k]] = std::move(f);
  }
  prover::Statement st = t.honest.proof.statement;
  auto ps = testing::prove_cheating(c, t.keys.pk.commitment, v, st, cheat);
  Proof p = t.honest.proof;
  p.stream = ps.bytes;
  return verify(t.keys.vk, p);
}

TEST(TwoLimbRemainder, ModelHasSuchALayerAndItsHonestProofVerifies) {
  auto& t = two_limb();
  ASSERT_NE(t.node, nullptr) << "the breast-cancer model should need a two-limb remainder";
  EXPECT_GT(t.node->p<circuit::RequantParams>().shift,
            static_cast<int>(t.model.circuit.table_bits));
  EXPECT_TRUE(verify(t.keys.vk, t.honest.proof, &t.input).ok);
}

TEST(TwoLimbRemainder, FieldElementLimbsCannotLowerTheQuotient) {
  auto& t = two_limb();
  ASSERT_NE(t.node, nullptr);
  const auto& n = *t.node;
  const int T = static_cast<int>(t.model.circuit.table_bits),
            k = n.p<circuit::RequantParams>().shift;
  const circuit::Tensor& y = t.model.circuit.tensors[n.out[0]];
  size_t i = 0;
  while (!circuit::is_valid_index(y, i)) ++i;
  // Honest remainder R = rem + 2^(k-T) rem_hi; the forgery needs R + 2^k.
  Fp R = Fp::from_int(t.values[n.out[2]][i]) +
         Fp::from_int(int64_t{1} << (k - T)) * Fp::from_int(t.values[n.out[3]][i]);
  Fp target = R + Fp::from_int(int64_t{1} << k);
  Fp w = Fp::from_int(int64_t{1} << (k - T));
  // (a) the high limb at its maximum, the low limb a field element.
  Fp hi = Fp::from_int((int64_t{1} << T) - 1);
  auto r = forge_limbs(i, target - w * hi, hi);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.reason.find("lookup sums differ"), std::string::npos) << r.reason;
  // (b) the low limb a table value scaled down (what the scaled check
  // admits), the high limb whatever field element balances the identity.
  Fp lo = Fp::from_int((int64_t{1} << T) - 1) * Fp::from_int(int64_t{1} << (2 * T - k)).inverse();
  r = forge_limbs(i, lo, (target - lo) * w.inverse());
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.reason.find("lookup sums differ"), std::string::npos) << r.reason;
}

}  // namespace
}  // namespace zk::proof
