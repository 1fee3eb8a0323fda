// The whole proof's soundness (prover::soundness, issue 8 finding 8): at
// least 100 bits for every example in every visibility, a union bound over
// terms whose commitment parameters are the prover's own; and inspect (as
// data) reports those same parameters (finding 7).
#include <gtest/gtest.h>

#include <cmath>

#include "api/api.h"
#include "prover/soundness.h"

namespace zk::api {
namespace {

using circuit::Visibility;

const std::string kEx = std::string(ZK_SOURCE_DIR) + "/examples/";

struct Example {
  std::string onnx, calibration;
};
const Example kExamples[] = {
    {"lenet/lenet.onnx", "lenet/calibration.json"},
    {"breast_cancer/model.onnx", "breast_cancer/calibration.json"},
    {"mlp/mlp.onnx", "mlp/calibration.json"},
};

CompileResult compile_example(const Example& e, const GroupVisibility& v) {
  CompileOptions o;
  o.visibility = v;
  o.calibration = proof::read_inputs(kEx + e.calibration);
  return compile(kEx + e.onnx, o);
}

TEST(Soundness, EveryExampleInEveryVisibilityHasAtLeast100Bits) {
  const Visibility all[] = {Visibility::kPublic, Visibility::kPrivate, Visibility::kCommitted};
  for (const auto& e : kExamples)
    for (auto in : all)
      for (auto w : all)
        for (auto out : all) {
          GroupVisibility v{in, w, out};
          SCOPED_TRACE(e.onnx + " " + proof::format_visibility(v));
          auto s = prover::soundness(compile_example(e, v).model.circuit);
          EXPECT_GE(s.bits, 100.0);
          double sum = 0;
          for (const auto& t : s.terms) {
            EXPECT_GT(t.error, 0.0) << t.name;
            sum += t.error;
          }
          EXPECT_DOUBLE_EQ(sum, s.error);
          EXPECT_DOUBLE_EQ(s.bits, -std::log2(s.error));
        }
}

// The commitments the soundness counts are the ones the prover makes: the
// witness's as sized by a real proof's statement, the weights' as committed
// in the proving key, the per-proof masks' and each committed tensor's.
TEST(Soundness, CountsTheCommitmentsTheProverMakes) {
  const Example& bc = kExamples[1];
  auto m = compile_example(bc, proof::parse_visibility("input=committed,output=committed"));
  const auto& c = m.model.circuit;
  auto keys = proof::setup(m.model);
  auto p = proof::prove(keys.pk, proof::read_inputs(kEx + "breast_cancer/input.json"));
  auto pcs = prover::proof_commitments(c, &p.proof.statement);
  auto tensors = prover::committed_tensors(c);
  ASSERT_EQ(pcs.size(), 3 + tensors.size());
  EXPECT_EQ(pcs[0].params, prover::witness_params(c, &p.proof.statement));
  EXPECT_TRUE(pcs[0].params.hiding());
  EXPECT_EQ(pcs[1].params, keys.pk.commitment.params);
  EXPECT_TRUE(pcs[1].params.external_masks);
  EXPECT_EQ(pcs[2].params, pcs::mask_params(keys.pk.commitment.params));
  for (size_t k = 0; k < tensors.size(); ++k)
    EXPECT_EQ(pcs[3 + k].params, prover::tensor_pcs(c.tensors[tensors[k]]).params());
  // The statement's shape is fixed by the circuit: the key's plan agrees.
  EXPECT_EQ(prover::proof_commitments(c)[0].params, pcs[0].params);
  // Every opening with its own queries is counted, at >= 105 bits each.
  auto s = prover::soundness(c);
  size_t query_terms = 0;
  for (const auto& t : s.terms)
    if (t.name.rfind("Ligero queries", 0) == 0) {
      ++query_terms;
      EXPECT_LE(t.error, std::exp2(-105.0)) << t.name;
    }
  EXPECT_EQ(query_terms, pcs.size() - 1);  // the masks share the weights' queries
}

// inspect reports every commitment with the prover's parameters, the code
// rate (message / code length, not the blowup), and the soundness.
TEST(Soundness, InspectReportsTheProversParameters) {
  for (const char* vis : {"", "input=public,weights=public,output=public"}) {
    SCOPED_TRACE(vis);
    auto m = compile_example(kExamples[1], proof::parse_visibility(vis));
    const auto& c = m.model.circuit;
    auto keys = proof::setup(m.model);
    auto p = proof::prove(keys.pk, proof::read_inputs(kEx + "breast_cancer/input.json"));
    auto s = proof::summarize(c);
    auto in = proof::inspect(proof::save_proof(p.proof), "proof", &keys.vk);
    ASSERT_TRUE(in.proof);
    auto expected = prover::proof_commitments(c, &p.proof.statement);
    for (const auto* got : {&s.commitments, &in.proof->parameters}) {
      ASSERT_EQ(got->size(), expected.size());
      for (size_t i = 0; i < expected.size(); ++i) {
        const auto& e = expected[i].params;
        const auto& g = (*got)[i];
        EXPECT_EQ(g.name, expected[i].name);
        EXPECT_EQ(g.rows, e.rows());
        EXPECT_EQ(g.cols, e.cols());
        EXPECT_EQ(g.queries, e.queries);
        EXPECT_EQ(g.code_len, e.code_len());
        EXPECT_DOUBLE_EQ(g.rate, double(e.message_len()) / double(e.code_len()));
        EXPECT_EQ(g.hiding, e.hiding());
        EXPECT_DOUBLE_EQ(g.security_bits, pcs::security_bits(e));
      }
    }
    EXPECT_EQ(s.commitments[0].hiding, prover::zero_knowledge(c));
    EXPECT_GE(s.soundness.bits, 100.0);
    EXPECT_DOUBLE_EQ(in.proof->soundness.bits, s.soundness.bits);
  }
}

}  // namespace
}  // namespace zk::api
