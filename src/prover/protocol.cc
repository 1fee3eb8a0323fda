#include "prover/protocol.h"

#include "circuit/layout.h"
#include "prover/engine.h"
#include "prover/soundness.h"

namespace zk::prover {

namespace {

Transcript statement_transcript(const Circuit& c, const Digest& weight_root, const Statement& st) {
  Transcript t("zkinfer-proof-v1");
  t.absorb("circuit", c.digest());
  t.absorb("weights", weight_root);
  auto absorb_ints = [&](const char* tag, const std::vector<int64_t>& v) {
    std::vector<Fp> f(v.size());
    for (size_t i = 0; i < v.size(); ++i) f[i] = Fp::from_int(v[i]);
    t.absorb_fp(tag, f);
  };
  for (const auto& v : st.inputs) absorb_ints("input", v);
  for (const auto& v : st.outputs) absorb_ints("output", v);
  for (const auto& d : st.commitments) t.absorb("tensor commitment", d);
  return t;
}

// A public input is stated as its padded vector, and nothing in the
// protocol constrains the padded positions (ops read valid positions only,
// Gemm multiplies them by zero weights). Accepting values there would state
// one input under many padded vectors: the digest callers print would
// differ, and a check against the honest (zero-padded) quantization would
// falsely reject. So they must be 0. (A public output's padding is not zero
// in general, e.g. sigmoid(0) or a channel's bias, and is bound to the
// circuit's output tensor; callers report its valid positions only.)
void expect_zero_padding(const Circuit& c, int tensor, const std::vector<int64_t>& v,
                         const char* what) {
  const auto& t = c.tensors[tensor];
  for (size_t i = 0; i < v.size(); ++i)
    if (v[i] != 0 && !circuit::is_valid_index(t, i))
      throw VerifyError(std::string("statement: ") + what + " '" + t.name +
                        "' is non-zero at padded position " + std::to_string(i) +
                        " (outside its shape)");
}

}  // namespace

ProofStream prove_stream(const Circuit& c, const Pcs::ProverData& weights, const Values& values,
                         const Statement& st,
                         const std::vector<Pcs::ProverData>* tensor_commitments,
                         ProverHooks* hooks) {
  if (committed_tensors(c).size() != st.commitments.size() ||
      (!st.commitments.empty() &&
       (!tensor_commitments || tensor_commitments->size() != st.commitments.size())))
    throw std::logic_error("prove: the committed tensors' commitments are missing");
  const Digest root = weights.tree.root();
  Transcript t0 = statement_transcript(c, root, st);
  ProverHooks no_hooks;
  ProverSetup setup{&values, &weights, tensor_commitments, {}, {}, &t0, hooks ? hooks : &no_hooks};
  if (zero_knowledge(c)) {
    // Plan: run the verifier on an empty proof to count the messages (one
    // pad each) and the products of padded values its checks take.
    VerifierChannel plan(t0.clone(), {});
    plan.set_plan_mode();
    Engine<false> e(plan, c, st, root);
    e.run(Engine<false>::Stop::kPlan);
    setup.pairs = product_pairs(plan.constraints());
    setup.shape = {plan.pads_used(), setup.pairs.size()};
  }
  ProverChannel ch(t0.clone());
  auto programmed = setup.hooks->programmed_challenges();
  if (!programmed.empty()) ch.program_challenges(std::move(programmed));
  Engine<true> e(ch, c, st, root, &setup);
  e.run();
  ProofStream out;
  out.sections = ch.sections();
  out.bytes = ch.take_bytes();
  out.sections = ch.sections();
  return out;
}

void verify_stream(const Circuit& c, const Digest& weight_root, const Statement& st,
                   std::span<const uint8_t> bytes, std::map<std::string, size_t>* breakdown) {
  if (c.output_vis == Visibility::kPublic) {
    if (st.outputs.size() != c.outputs.size())
      throw VerifyError("statement: wrong number of outputs");
    for (size_t i = 0; i < c.outputs.size(); ++i)
      if (st.outputs[i].size() != c.tensors[c.outputs[i]].padded_size())
        throw VerifyError("statement: output has the wrong size");
  }
  if (c.input_vis == Visibility::kPublic) {
    if (st.inputs.size() != c.inputs.size()) throw VerifyError("statement: wrong number of inputs");
    for (size_t i = 0; i < c.inputs.size(); ++i) {
      if (st.inputs[i].size() != c.tensors[c.inputs[i]].padded_size())
        throw VerifyError("statement: input has the wrong size");
      expect_zero_padding(c, c.inputs[i], st.inputs[i], "public input");
    }
  }
  if (st.commitments.size() != committed_tensors(c).size())
    throw VerifyError("statement: wrong number of commitments");
  VerifierChannel ch(statement_transcript(c, weight_root, st), bytes);
  Engine<false> e(ch, c, st, weight_root);
  e.run();
  ch.finish();
  if (breakdown) *breakdown = ch.bytes_by_kind();
}

PlanCounts plan_counts(const Circuit& c, const Statement* real) {
  // The plan counts messages and products, which depend on the statement's
  // shape only: zeros of the right sizes stand in for the real values.
  Statement st;
  if (c.input_vis == Visibility::kPublic)
    for (int t : c.inputs) st.inputs.emplace_back(c.tensors[t].padded_size(), 0);
  if (c.output_vis == Visibility::kPublic)
    for (int t : c.outputs) st.outputs.emplace_back(c.tensors[t].padded_size(), 0);
  st.commitments.resize(committed_tensors(c).size());
  if (real) st = *real;
  const Digest root{};
  VerifierChannel plan(statement_transcript(c, root, st), {});
  plan.set_plan_mode();
  Engine<false> e(plan, c, st, root);
  e.run(Engine<false>::Stop::kPlan);
  PlanCounts out;
  out.shape = {plan.pads_used(), product_pairs(plan.constraints()).size()};
  out.constraints = plan.constraints().size();
  out.claims = e.num_claims();
  out.challenges = plan.challenges();
  out.sumcheck_rounds = plan.sumcheck_rounds();
  out.sumcheck_degree = plan.sumcheck_degree();
  out.lookup_trees = e.lookup_trees();
  return out;
}

pcs::LigeroParams witness_params(const Circuit& c, const Statement* real) {
  if (!zero_knowledge(c)) return witness_pcs(c).params();
  Pcs pcs = witness_pcs(c);
  (void)zk_witness_layout(c, plan_counts(c, real).shape, pcs);
  return pcs.params();
}

}  // namespace zk::prover
