// The proof protocol for a circuit (DESIGN.md section 4), one phase per file:
//   1. commitments (commit_phase.cc): the prover commits to every witness
//      tensor and the lookup multiplicities;
//   2. lookups (lookup_phase.cc, over lookup/tensor_lookup.h): LogUp-GKR ties
//      each witness tensor to its inputs;
//   3. outputs (output_phase.cc): each public output is bound at a random
//      point, each committed tensor to its own commitment;
//   4. identities (identity_phase.cc): each requantization identity is
//      checked at a random point;
//   claims on derived tensors are reduced by per-layer sumchecks on the way
//   (engine.cc), claims on weights and witness tensors are collected, and
//   5. the final argument: each commitment is opened once at a single batched
//      point (openings.cc), or in zero-knowledge mode the pad products and
//      one masked sumcheck over every claim and check (zk_argument.cc).
// One role-generic engine (engine.h) runs both sides so the transcripts
// cannot drift.
#pragma once

#include <map>
#include <span>
#include <vector>

#include "circuit/circuit.h"
#include "circuit/layout.h"
#include "hash/channel.h"
#include "prover/commitments.h"
#include "prover/hooks.h"

namespace zk::prover {

// The public part of the statement: padded public inputs and outputs.
struct Statement {
  std::vector<std::vector<int64_t>> inputs;   // per circuit input (empty if not public)
  std::vector<std::vector<int64_t>> outputs;  // per circuit output (empty if not public)
  // Hiding commitments to the committed tensors (committed_tensors order).
  std::vector<Digest> commitments;
};

struct ProofStream {
  std::vector<uint8_t> bytes;
  std::vector<ProofSection> sections;  // labelled byte ranges, for diagnostics and tests
};

// `values` is the executed circuit (execute()); `weights` the setup commitment.
// `tensor_commitments` holds commit_tensor() of each committed tensor (the
// roots are st.commitments). `hooks` (tests only) make the prover cheat.
ProofStream prove_stream(const circuit::Circuit& c, const Pcs::ProverData& weights,
                         const circuit::Values& values, const Statement& st,
                         const std::vector<Pcs::ProverData>* tensor_commitments = nullptr,
                         ProverHooks* hooks = nullptr);

// Throws VerifyError naming the failed check.
// `breakdown`, when given, receives the bytes of each kind of proof section.
// The witness commitment's parameters as the prover uses them. In
// zero-knowledge mode they depend on the pads and pad products the proof
// announces, which follow from the circuit alone (the prover's plan is run on
// a placeholder statement unless `st` is given), so a model or key can report
// them.
pcs::LigeroParams witness_params(const circuit::Circuit& c, const Statement* st = nullptr);

void verify_stream(const circuit::Circuit& c, const Digest& weight_root, const Statement& st,
                   std::span<const uint8_t> bytes,
                   std::map<std::string, size_t>* breakdown = nullptr);

}  // namespace zk::prover
