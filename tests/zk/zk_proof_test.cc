// Zero-knowledge proofs end to end: every visibility combination proves and
// verifies, hidden data never appears in the proof or key, what the verifier
// receives is uniform and independent of the hidden input, and tampering
// with any part of a zero-knowledge proof is caught.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>
#include <unordered_set>

#include "../support/cheating_prover.h"
#include "../support/stats.h"
#include "hash/random.h"
#include "onnx/import.h"
#include "proof/api.h"
#include "proof/files.h"

namespace zk::proof {
namespace {

using circuit::Visibility;
using zk::testing::chi_square_two_sample;
using zk::testing::chi_square_uniform;
using zk::testing::kChiSquare15Critical;

std::vector<std::vector<float>> read_inputs(const std::string& path) {
  std::ifstream f(path);
  auto j = nlohmann::json::parse(f);
  return j["input_data"].get<std::vector<std::vector<float>>>();
}

struct Model {
  model::FloatGraph graph;
  std::vector<std::vector<float>> calib, input;
};

const Model& example(const std::string& name) {
  static std::map<std::string, std::unique_ptr<Model>> cache;
  auto& m = cache[name];
  if (!m) {
    m = std::make_unique<Model>();
    std::string ex = std::string(ZK_SOURCE_DIR) + "/examples/" + name + "/";
    m->graph = onnx::import_model(ex + (name == "lenet" ? "lenet.onnx" : "model.onnx"));
    m->calib = read_inputs(ex + "calibration.json");
    m->input = read_inputs(ex + "input.json");
  }
  return *m;
}

quant::CompiledModel compile(const Model& m, Visibility in, Visibility w, Visibility out) {
  quant::QuantOptions o;
  o.input_vis = in;
  o.weight_vis = w;
  o.output_vis = out;
  return quant::quantize(m.graph, m.calib, o);
}

// The model run on one input, and the public statement of a proof of it
// (for tests that call the protocol directly).
struct Executed {
  circuit::Values values;
  prover::Statement st;
};
Executed execute_model(const quant::CompiledModel& cm, const std::vector<std::vector<float>>& in) {
  const auto& c = cm.circuit;
  Executed e;
  e.values = cm.weights;
  e.values[c.inputs[0]] = quant::quantize_inputs(c, in)[0];
  circuit::execute(c, e.values);
  if (c.output_vis == Visibility::kPublic)
    for (int t : c.outputs) e.st.outputs.push_back(e.values[t]);
  return e;
}

const char* name(Visibility v) {
  return v == Visibility::kPublic ? "public" : v == Visibility::kPrivate ? "private" : "committed";
}

const Visibility kAll[] = {Visibility::kPublic, Visibility::kPrivate, Visibility::kCommitted};

// All 27 visibility combinations.
void all_combinations(const std::string& model) {
  const auto& m = example(model);
  for (auto in : kAll)
    for (auto w : kAll)
      for (auto out : kAll) {
        std::string what =
            model + " input=" + name(in) + " weights=" + name(w) + " output=" + name(out);
        auto cm = compile(m, in, w, out);
        auto keys = setup(cm);
        auto a = prove(keys.pk, m.input);
        auto v = verify(keys.vk, a.proof, in == Visibility::kPublic ? &m.input : nullptr);
        EXPECT_TRUE(v.ok) << what << ": " << v.reason;
        // Committed tensors open with their secrets; the other tensor does not.
        auto ts = prover::committed_tensors(cm.circuit);
        ASSERT_EQ(a.proof.statement.commitments.size(), ts.size()) << what;
        for (size_t k = 0; k < ts.size(); ++k) {
          bool is_in = cm.circuit.tensors[ts[k]].kind == circuit::TensorKind::kInput;
          const auto& right = is_in ? m.input[0] : a.outputs[0];
          EXPECT_TRUE(opens_commitment(keys.vk, a.proof, k, right, a.openings[k])) << what;
          auto wrong = right;
          wrong[0] += 1.0f;
          EXPECT_FALSE(opens_commitment(keys.vk, a.proof, k, wrong, a.openings[k])) << what;
          Digest other = a.openings[k];
          other[0] ^= 1;
          EXPECT_FALSE(opens_commitment(keys.vk, a.proof, k, right, other)) << what;
          // A proof whose commitment is swapped for another is rejected.
          Proof p = a.proof;
          p.statement.commitments[k][5] ^= 1;
          EXPECT_FALSE(verify(keys.vk, p).ok) << what;
        }
        if (!prover::zero_knowledge(cm.circuit)) continue;
        // Fresh randomness: a second proof of the same statement differs and
        // verifies too.
        auto b = prove(keys.pk, m.input);
        EXPECT_NE(a.proof.stream, b.proof.stream) << what;
        EXPECT_TRUE(verify(keys.vk, b.proof).ok) << what;
        EXPECT_EQ(a.outputs, b.outputs) << what;
      }
}

TEST(ZkProof, AllTwentySevenVisibilitiesOnTheSmallModel) { all_combinations("breast_cancer"); }
TEST(ZkProof, AllTwentySevenVisibilitiesOnTheDemoModel) { all_combinations("lenet"); }

TEST(ZkProof, AllPublicCarriesNoHidingOverhead) {
  const auto& m = example("breast_cancer");
  auto cm = compile(m, Visibility::kPublic, Visibility::kPublic, Visibility::kPublic);
  EXPECT_FALSE(prover::zero_knowledge(cm.circuit));
  auto keys = setup(cm);
  auto a = prove(keys.pk, m.input), b = prove(keys.pk, m.input);
  EXPECT_EQ(a.proof.stream, b.proof.stream);  // deterministic: no pads, no masks
  for (const auto& s : a.sections) EXPECT_EQ(s.label.find("zero-knowledge"), std::string::npos);
}

// All runs of 4 consecutive values of t (8-byte little-endian field words).
// With `skip_small`, runs with a zero or with all values below 64 in
// magnitude are left out: the key file holds the circuit's shapes and index
// maps (small integers as 8-byte words), which such runs can match by
// coincidence.
std::unordered_set<std::string> runs_of_four(const std::vector<int64_t>& t,
                                             bool skip_small = false) {
  std::unordered_set<std::string> out;
  for (size_t i = 0; i + 4 <= t.size(); ++i) {
    if (skip_small && ((std::abs(t[i]) < 64 && std::abs(t[i + 1]) < 64 && std::abs(t[i + 2]) < 64 &&
                        std::abs(t[i + 3]) < 64) ||
                       !t[i] || !t[i + 1] || !t[i + 2] || !t[i + 3]))
      continue;
    std::string s;
    for (size_t k = 0; k < 4; ++k) {
      uint64_t w = Fp::from_int(t[i + k]).v;
      for (int b = 0; b < 8; ++b) s.push_back(static_cast<char>(w >> (8 * b)));
    }
    out.insert(s);
  }
  return out;
}

size_t occurrences(const std::vector<uint8_t>& bytes, const std::unordered_set<std::string>& runs) {
  size_t n = 0;
  for (size_t i = 0; i + 32 <= bytes.size(); ++i)
    n += runs.count(std::string(reinterpret_cast<const char*>(bytes.data() + i), 32));
  return n;
}

TEST(ZkProof, HiddenTensorsNeverAppearInTheProofOrKey) {
  for (const auto& [model, vis, wvis] :
       std::vector<std::tuple<std::string, Visibility, Visibility>>{
           {"breast_cancer", Visibility::kPrivate, Visibility::kPrivate},
           {"lenet", Visibility::kPrivate, Visibility::kPrivate},
           {"breast_cancer", Visibility::kCommitted, Visibility::kPrivate},
           {"breast_cancer", Visibility::kPrivate, Visibility::kCommitted},
           {"lenet", Visibility::kCommitted, Visibility::kCommitted}}) {
    const auto& m = example(model);
    auto cm = compile(m, vis, wvis, vis);
    auto keys = setup(cm);
    auto res = prove(keys.pk, m.input);
    auto proof = save_proof(res.proof), vk = save_vk(keys.vk);
    const auto& c = cm.circuit;
    const auto values = execute_model(cm, m.input).values;
    size_t checked = 0;
    for (size_t t = 0; t < c.tensors.size(); ++t) {
      if (values[t].size() < 4) continue;
      EXPECT_EQ(occurrences(proof, runs_of_four(values[t])), 0u)
          << model << ": tensor " << c.tensors[t].name;
      // The key is made at setup, before any input exists: of the hidden
      // tensors only the weights could reach it.
      if (c.tensors[t].kind == circuit::TensorKind::kWeight) {
        EXPECT_EQ(occurrences(vk, runs_of_four(values[t], true)), 0u)
            << model << ": tensor " << c.tensors[t].name;
      }
      ++checked;
    }
    EXPECT_GT(checked, 5u);
    // Stronger for the key: with private weights it does not depend on them.
    if (wvis == Visibility::kPrivate) {
      auto other = cm;
      for (auto& w : other.weights)
        for (auto& x : w) x = -x;
      EXPECT_EQ(save_vk(setup(other).vk), vk) << model;
    }
  }
  // The scan finds a tensor that is in the file: a public input is.
  const auto& m = example("breast_cancer");
  auto cm = compile(m, Visibility::kPublic, Visibility::kCommitted, Visibility::kPublic);
  auto res = prove(setup(cm).pk, m.input);
  EXPECT_GT(occurrences(save_proof(res.proof), runs_of_four(res.proof.statement.inputs[0])), 0u);
}

TEST(ZkProof, TamperingWithAnySectionIsRejected) {
  const auto& m = example("breast_cancer");
  auto cm = compile(m, Visibility::kPrivate, Visibility::kCommitted, Visibility::kCommitted);
  auto keys = setup(cm);
  auto res = prove(keys.pk, m.input);
  ASSERT_TRUE(verify(keys.vk, res.proof).ok);
  std::set<std::string> kinds;
  size_t tested = 0;
  for (const auto& s : res.sections) {
    if (s.end - s.begin < 8) continue;
    for (size_t off : {s.begin, s.begin + (s.end - s.begin) / 2 / 8 * 8, s.end - 8}) {
      Proof p = res.proof;
      p.stream[off] ^= 1;
      auto v = verify(keys.vk, p);
      EXPECT_FALSE(v.ok) << "section '" << s.label << "' tampered at " << off << " accepted";
      ++tested;
    }
    kinds.insert(s.label);
  }
  EXPECT_GT(tested, 20u);
  for (const char* k : {"zero-knowledge pad products", "zero-knowledge constraints",
                        "witness opening", "weight opening", "tensor commitment opening"})
    EXPECT_TRUE(kinds.count(k)) << k;
}

TEST(ZkProof, NamedZeroKnowledgeChecksRejectTamperedProofs) {
  const auto& m = example("breast_cancer");
  std::set<std::string> reasons;
  for (auto wvis : {Visibility::kPrivate, Visibility::kCommitted}) {
    auto cm = compile(m, Visibility::kPrivate, wvis, Visibility::kPublic);
    auto keys = setup(cm);
    auto res = prove(keys.pk, m.input);
    for (const auto& s : res.sections)
      for (size_t off = s.begin; off + 8 <= s.end;
           off += 8 * std::max<size_t>(1, (s.end - s.begin) / 8 / 40)) {
        Proof p = res.proof;
        p.stream[off] ^= 1;
        auto v = verify(keys.vk, p);
        EXPECT_FALSE(v.ok);
        reasons.insert(v.reason);
      }
  }
  auto has = [&](const std::string& what) {
    for (const auto& r : reasons)
      if (r.find(what) != std::string::npos) return true;
    return false;
  };
  for (const char* check :
       {"final check of the constraint sumcheck failed", "announces",
        "evaluation does not match the claim", "Merkle paths of the opened columns",
        "Merkle paths of the mask columns"})
    EXPECT_TRUE(has(check)) << check;
}

TEST(ZkProof, WrongPublicDataIsRejected) {
  const auto& m = example("breast_cancer");
  // Private input, public output: a changed output is rejected.
  auto cm = compile(m, Visibility::kPrivate, Visibility::kCommitted, Visibility::kPublic);
  auto keys = setup(cm);
  auto res = prove(keys.pk, m.input);
  Proof p = res.proof;
  p.statement.outputs[0][0] += 1;
  EXPECT_FALSE(verify(keys.vk, p).ok);
  // Public input, private weights: another input is rejected.
  auto cm2 = compile(m, Visibility::kPublic, Visibility::kPrivate, Visibility::kPublic);
  auto keys2 = setup(cm2);
  auto res2 = prove(keys2.pk, m.input);
  auto other = m.input;
  other[0][0] += 1.0f;
  EXPECT_TRUE(verify(keys2.vk, res2.proof, &m.input).ok);
  EXPECT_FALSE(verify(keys2.vk, res2.proof, &other).ok);
  Proof q = res2.proof;
  q.statement.inputs[0][0] += 1;
  EXPECT_FALSE(verify(keys2.vk, q).ok);
  // A statement that lacks the commitments of committed tensors, and an input
  // given for a committed one, are refused by name.
  auto cm4 = compile(m, Visibility::kCommitted, Visibility::kPublic, Visibility::kCommitted);
  auto keys4 = setup(cm4);
  auto res4 = prove(keys4.pk, m.input);
  ASSERT_TRUE(verify(keys4.vk, res4.proof).ok);
  Proof r = res4.proof;
  r.statement.commitments.pop_back();
  auto v4 = verify(keys4.vk, r);
  EXPECT_FALSE(v4.ok);
  EXPECT_NE(v4.reason.find("wrong number of commitments"), std::string::npos) << v4.reason;
  auto vi = verify(keys4.vk, res4.proof, &m.input);
  EXPECT_FALSE(vi.ok);
  EXPECT_NE(vi.reason.find("open-commitment"), std::string::npos) << vi.reason;
  // A proof against a different weight commitment is rejected.
  auto cm3 = compile(m, Visibility::kPrivate, Visibility::kCommitted, Visibility::kPublic);
  for (auto& w : cm3.weights)
    if (!w.empty()) {
      w[0] += 1;
      break;
    }
  auto keys3 = setup(cm3);
  EXPECT_FALSE(verify(keys3.vk, res.proof).ok);
}

// What the verifier receives as 8-byte words, outside the commitment root
// (the root itself and the announced counts are fixed by the circuit):
// `fixed` holds the sections whose layout is the same in every proof, word by
// word; `openings` the rest (their Merkle multi-proofs vary in length).
struct Received {
  std::vector<uint64_t> fixed, openings;
};
Received received_words(const ProveResult& r) {
  Received out;
  for (const auto& s : r.sections) {
    if (s.label == "witness commitment") continue;
    bool opening = s.label.find("opening") != std::string::npos;
    for (size_t off = s.begin; off + 8 <= s.end; off += 8) {
      uint64_t w = 0;
      for (int b = 0; b < 8; ++b) w |= uint64_t{r.proof.stream[off + b]} << (8 * b);
      (opening ? out.openings : out.fixed).push_back(w);
    }
  }
  return out;
}

// A model with hidden input and weights, and proofs made with the same
// programmed challenges, so that any randomness in what the verifier receives
// comes from the prover's pads and masks, not from the transcript.
struct StatsSetup {
  quant::CompiledModel cm;
  Keys keys;
  std::vector<Fp2> challenges;
  StatsSetup() {
    const auto& m = example("breast_cancer");
    cm = compile(m, Visibility::kPrivate, Visibility::kPrivate, Visibility::kPublic);
    keys = setup(cm);
    Prng rng(Digest{});
    challenges.resize(200000);
    for (auto& x : challenges) x = rng.next_fp2();
  }
  Received prove_with(const std::vector<std::vector<float>>& in, bool zero_pads) const {
    auto e = execute_model(cm, in);
    testing::Cheat cheat;
    cheat.zero_pads = zero_pads;
    cheat.challenges = challenges;
    auto ps = testing::prove_cheating(cm.circuit, keys.pk.commitment, e.values, e.st, cheat);
    ProveResult r;
    r.proof.stream = std::move(ps.bytes);
    r.sections = std::move(ps.sections);
    return received_words(r);
  }
};

struct PositionStats {
  size_t positions = 0, bad_x = 0, bad_y = 0, bad_xy = 0;
  std::vector<uint64_t> ox, oy;  // pooled opening words
};

PositionStats position_stats(const StatsSetup& s, int proofs, bool zero_pads) {
  const auto& m = example("breast_cancer");
  // Two inputs with the same diagnosis (the output is public).
  auto x = m.input, y = m.input;
  for (auto& v : y[0]) v *= 0.5f;
  std::vector<std::vector<uint64_t>> px, py;  // per position, the words over the proofs
  PositionStats out;
  for (int i = 0; i < proofs; ++i) {
    auto a = s.prove_with(x, zero_pads), b = s.prove_with(y, zero_pads);
    if (px.empty()) {
      px.resize(a.fixed.size());
      py.resize(a.fixed.size());
    }
    EXPECT_EQ(a.fixed.size(), px.size());
    EXPECT_EQ(b.fixed.size(), px.size());
    for (size_t k = 0; k < px.size() && k < a.fixed.size() && k < b.fixed.size(); ++k) {
      px[k].push_back(a.fixed[k]);
      py[k].push_back(b.fixed[k]);
    }
    out.ox.insert(out.ox.end(), a.openings.begin(), a.openings.end());
    out.oy.insert(out.oy.end(), b.openings.begin(), b.openings.end());
  }
  out.positions = px.size();
  for (size_t k = 0; k < px.size(); ++k) {
    out.bad_x += chi_square_uniform(px[k]) > kChiSquare15Critical;
    out.bad_y += chi_square_uniform(py[k]) > kChiSquare15Critical;
    out.bad_xy += chi_square_two_sample(px[k], py[k]) > kChiSquare15Critical;
  }
  return out;
}

// Every received word position, over 200 proofs with hidden input X and 200
// with hidden input Y (hidden weights too, the same programmed challenges):
// its low 4 bits are uniform (chi-square, 15 degrees of freedom, 0.1% level)
// and do not differ between X and Y (two-sample chi-square). With thousands
// of positions about 0.1% fail by chance, so the test allows the binomial
// expectation plus six standard deviations. The opening sections (variable
// length) are tested pooled.
TEST(ZkProof, ReceivedValuesAreUniformAndIndependentOfTheHiddenInput) {
  StatsSetup s;
  auto st = position_stats(s, 200, false);
  ASSERT_GT(st.positions, 1000u);
  const double mean = 0.001 * static_cast<double>(st.positions);
  const double allowed = mean + 6 * std::sqrt(mean) + 3;
  EXPECT_LE(st.bad_x, allowed) << "of " << st.positions << " positions";
  EXPECT_LE(st.bad_y, allowed) << "of " << st.positions << " positions";
  EXPECT_LE(st.bad_xy, allowed) << "of " << st.positions << " positions";
  EXPECT_LT(chi_square_uniform(st.ox), kChiSquare15Critical);
  EXPECT_LT(chi_square_uniform(st.oy), kChiSquare15Critical);
  EXPECT_LT(chi_square_two_sample(st.ox, st.oy), kChiSquare15Critical);
}

// The same test fails when the pads are all zero (the messages then go in
// the clear): it can fail.
TEST(ZkProof, UnpaddedMessagesFailTheUniformityTest) {
  StatsSetup s;
  auto st = position_stats(s, 40, true);
  EXPECT_GT(st.bad_x, st.positions / 4) << "of " << st.positions << " positions";
  EXPECT_GT(st.bad_xy, st.positions / 4) << "of " << st.positions << " positions";
}

// A hidden input the verifier cannot see is still range-checked: a prover
// that commits an input value far outside the range (with limbs that add up
// to it) is rejected, and an honest prover is told the input is out of range.
TEST(ZkProof, HiddenInputOutOfRangeIsRejected) {
  const auto& m = example("breast_cancer");
  auto cm = compile(m, Visibility::kPrivate, Visibility::kPublic, Visibility::kPublic);
  const auto& c = cm.circuit;
  auto keys = setup(cm);
  auto [values, st] = execute_model(cm, m.input);
  const circuit::Node* split = nullptr;
  for (const auto& n : c.nodes)
    if (n.type == circuit::NodeType::kSplit) split = &n;
  ASSERT_NE(split, nullptr);
  auto as_field = [](const std::vector<int64_t>& v) {
    std::vector<Fp> f(v.size());
    for (size_t i = 0; i < v.size(); ++i) f[i] = Fp::from_int(v[i]);
    return f;
  };
  // Honest run through the cheating path verifies (the test can pass).
  {
    testing::Cheat cheat;
    cheat.field_values[c.inputs[0]] = as_field(values[c.inputs[0]]);
    auto ps = testing::prove_cheating(c, keys.pk.commitment, values, st, cheat);
    EXPECT_NO_THROW(prover::verify_stream(c, keys.vk.weight_root, st, ps.bytes));
  }
  const unsigned T = c.table_bits;
  auto x = as_field(values[c.inputs[0]]), lo = as_field(values[split->out[0]]),
       hi = as_field(values[split->out[1]]);
  x[0] = Fp::from_int(int64_t{1} << 40);  // far beyond 2^(2T-1)
  lo[0] = Fp::zero();
  hi[0] = Fp::from_int(int64_t{1} << (40 - T));  // lo + 2^T hi = x, hi out of range
  testing::Cheat cheat;
  cheat.field_values = {{c.inputs[0], x}, {split->out[0], lo}, {split->out[1], hi}};
  auto ps = testing::prove_cheating(c, keys.pk.commitment, values, st, cheat);
  EXPECT_THROW(prover::verify_stream(c, keys.vk.weight_root, st, ps.bytes), VerifyError);
  // Limbs that still add up to the honest input but leave their range are
  // caught by the limbs' range lookups alone (nothing downstream changes).
  {
    auto lo2 = as_field(values[split->out[0]]), hi2 = as_field(values[split->out[1]]);
    lo2[0] += Fp::from_int(int64_t{1} << T);
    hi2[0] -= Fp::one();
    testing::Cheat limbs;
    limbs.field_values = {{split->out[0], lo2}, {split->out[1], hi2}};
    auto ps2 = testing::prove_cheating(c, keys.pk.commitment, values, st, limbs);
    EXPECT_THROW(prover::verify_stream(c, keys.vk.weight_root, st, ps2.bytes), VerifyError);
  }
  // The honest prover refuses such an input with a message naming it.
  auto big = m.input;
  big[0][0] = 1e9f;
  try {
    prove(keys.pk, big);
    ADD_FAILURE() << "an out-of-range private input was proven";
  } catch (const model::ModelError& e) {
    EXPECT_NE(std::string(e.what()).find("outside the range"), std::string::npos) << e.what();
  }
}

// The pad and product counts a proof announces size the verifier's layout;
// wrong or huge ones are rejected before anything is allocated by them.
TEST(ZkProof, AnnouncedCountsAreCheckedBeforeUse) {
  const auto& m = example("breast_cancer");
  auto cm = compile(m, Visibility::kPrivate, Visibility::kCommitted, Visibility::kPublic);
  auto keys = setup(cm);
  auto res = prove(keys.pk, m.input);
  auto with_counts = [&](uint64_t pads, uint64_t products) {
    Proof p = res.proof;
    for (int b = 0; b < 8; ++b) {
      p.stream[b] = static_cast<uint8_t>(pads >> (8 * b));
      p.stream[8 + b] = static_cast<uint8_t>(products >> (8 * b));
    }
    return verify(keys.vk, p);
  };
  uint64_t pads = 0, products = 0;
  for (int b = 0; b < 8; ++b) {
    pads |= uint64_t{res.proof.stream[b]} << (8 * b);
    products |= uint64_t{res.proof.stream[8 + b]} << (8 * b);
  }
  EXPECT_TRUE(with_counts(pads, products).ok);
  for (auto [p, j] : std::vector<std::pair<uint64_t, uint64_t>>{{pads + 1, products},
                                                                {pads, products + 1},
                                                                {uint64_t{1} << 25, products},
                                                                {pads, uint64_t{1} << 25},
                                                                {uint64_t{1} << 40, products},
                                                                {pads, ~uint64_t{0} >> 1}}) {
    auto r = with_counts(p, j);
    EXPECT_FALSE(r.ok) << p << " " << j;
  }
  EXPECT_NE(with_counts(pads + 1, products).reason.find("pads, the protocol used"),
            std::string::npos);
  EXPECT_NE(with_counts(pads, products + 1).reason.find("pad products, the checks need"),
            std::string::npos);
  auto huge = with_counts(uint64_t{1} << 40, products);
  EXPECT_NE(huge.reason.find("implausible"), std::string::npos) << huge.reason;
}

}  // namespace
}  // namespace zk::proof
