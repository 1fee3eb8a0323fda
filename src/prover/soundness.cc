#include "prover/soundness.h"

#include <cmath>

#include "pcs/ligero/ligero_pcs.h"

namespace zk::prover {

using circuit::Circuit;
using circuit::Visibility;

namespace {

// |F| for the challenges: Fp2 over Goldilocks, p^2 (slightly below 2^128).
const double kField = 18446744069414584321.0 * 18446744069414584321.0;

double log2_size(size_t n) { return std::log2(static_cast<double>(n)); }

// The two terms of one opening: the query test and the proximity gap of the
// random row combination it checks (docs/SECURITY.md, "Ligero commitment").
void opening_terms(const ProofCommitment& pc, std::vector<SoundnessTerm>& out) {
  const auto& p = pc.params;
  const double n = static_cast<double>(p.code_len());
  if (pc.proximity != Proximity::kShared)
    out.push_back({"Ligero queries, " + pc.name,
                   "(1 - (1 - rate)/2)^queries, rate = message/code length", p.queries,
                   std::exp2(-pcs::security_bits(p))});
  switch (pc.proximity) {
    case Proximity::kPowers:
      // Powers of one challenge (Ben-Sasson et al. 2020, unique decoding):
      // a curve of degree rows - 1.
      out.push_back({"proximity gap (powers), " + pc.name, "(rows - 1) * code_len / |F|", p.rows(),
                     (static_cast<double>(p.rows()) - 1) * n / kField});
      break;
    case Proximity::kTensor:
      // eq(z_row) over log2(rows) challenges (Diamond-Posen 2023), plus the
      // random line that adds the mask rows.
      out.push_back({"proximity gap (tensor), " + pc.name, "(2 log2(rows) + 1) * code_len / |F|",
                     p.rows(), (2 * log2_size(p.rows()) + 1) * n / kField});
      break;
    case Proximity::kShared:
      out.push_back({"proximity gap (mask line), " + pc.name, "code_len / |F|", 1, n / kField});
      break;
  }
  // The verifier's two column checks (proximity, evaluation) combined with
  // one challenge drawn after the columns: a false column survives with
  // probability 1/|F|.
  if (pc.proximity != Proximity::kShared)
    out.push_back(
        {"column-check combination, " + pc.name, "queries / |F|", p.queries, p.queries / kField});
}

}  // namespace

std::vector<ProofCommitment> proof_commitments(const Circuit& c, const Statement* st) {
  const bool zk = zero_knowledge(c);
  std::vector<ProofCommitment> out;
  out.push_back({zk ? "witness (hiding)" : "witness", witness_params(c, st),
                 zk ? Proximity::kTensor : Proximity::kPowers});
  const auto wp = weight_params(c);
  if (c.weight_vis == Visibility::kPublic) {
    out.push_back({"weights", wp, Proximity::kPowers});
  } else if (c.weight_vis == Visibility::kCommitted) {
    out.push_back({"weights (hiding, reusable)", wp, Proximity::kTensor});
    out.push_back({"weight masks (per proof)", pcs::mask_params(wp), Proximity::kShared});
  }
  for (int t : committed_tensors(c))
    out.push_back({"committed tensor '" + c.tensors[t].name + "'",
                   tensor_pcs(c.tensors[t]).params(), Proximity::kTensor});
  return out;
}

Soundness soundness(const Circuit& c) {
  const bool zk = zero_knowledge(c);
  const PlanCounts plan = plan_counts(c);
  const auto commits = proof_commitments(c);
  Soundness s;
  auto& t = s.terms;
  // Up to the final argument, every sumcheck (layers, requantizations,
  // LogUp-GKR layers) as the planning run counted it.
  t.push_back({"sumchecks (layers, lookups' GKR layers)", "degrees summed over rounds / |F|",
               plan.sumcheck_degree, static_cast<double>(plan.sumcheck_degree) / kField});
  // Every other challenge: random points (a multilinear identity in n
  // variables errs with n/|F|, one per coordinate), GKR layer combiners.
  const uint64_t other = plan.challenges - plan.sumcheck_rounds;
  t.push_back({"random points and combiners", "challenges / |F|", other, other / kField});
  uint64_t leaves = 0;
  for (unsigned v : plan.lookup_trees) leaves += uint64_t{1} << v;
  // LogUp with pairs in + beta * out: the cleared identity has degree at most
  // the leaves in (alpha, beta); and a leaf denominator must not vanish.
  t.push_back({"LogUp alpha, beta (lookups + table rows)", "2 * leaves / |F|", leaves,
               2.0 * leaves / kField});
  if (zk) {
    const unsigned sv = plan.shape.slot_vars();
    t.push_back({"pad-product zero-check", "(3 + 1) * log2(slots) / |F|", sv, 4.0 * sv / kField});
    // Beyond the planned ones: two copy constraints per product, the
    // zero-check's final check and its rounds.
    const uint64_t cons =
        plan.claims + plan.constraints + 2 * plan.shape.products + 3 * uint64_t{sv} + 4;
    t.push_back({"constraint combination (powers of gamma)", "(claims + constraints) / |F|", cons,
                 cons / kField});
    std::vector<unsigned> tv;
    for (int k : committed_tensors(c)) tv.push_back(tensor_commit_vars(c.tensors[k]));
    const auto wl = weight_layout(c);
    const bool hw = c.weight_vis == Visibility::kCommitted;
    const auto vl = virtual_layout(commits[0].params.num_vars(), tv, hw ? wl.num_vars : 0, wl.used);
    t.push_back({"masked final sumcheck", "(2 * variables + 1) / |F|", vl.num_vars,
                 (2.0 * vl.num_vars + 1) / kField});
    // Public weights: their part of the relation is proven by a plain
    // batched opening (claims on weight blocks, at most all claims).
    if (c.weight_vis == Visibility::kPublic)
      t.push_back({"batched weight opening (claims, sumcheck)", "(claims + 2 * variables) / |F|",
                   plan.claims + 2 * wl.num_vars, (plan.claims + 2.0 * wl.num_vars) / kField});
  } else {
    // Each batched opening: claims combined at random, then a degree-2 sumcheck.
    uint64_t vars = 0;
    for (const auto& pc : commits) vars += pc.params.num_vars();
    t.push_back({"batched openings (claims, sumchecks)", "(claims + 2 * variables) / |F|",
                 plan.claims + 2 * vars, (plan.claims + 2.0 * vars) / kField});
  }
  for (const auto& pc : commits) opening_terms(pc, t);
  for (const auto& term : t) s.error += term.error;
  s.bits = -std::log2(s.error);
  return s;
}

}  // namespace zk::prover
