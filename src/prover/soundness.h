// The whole proof's soundness error, from the circuit alone (the verifying
// key): a union bound over every commitment opening, every sumcheck, the
// LogUp-GKR lookups, the random-point checks and, in zero-knowledge mode, the
// pad-product zero-check and the random combination of all constraints.
// docs/SECURITY.md derives each term; `zkinfer inspect` prints them.
#pragma once

#include <string>
#include <vector>

#include "circuit/circuit.h"
#include "pcs/ligero/ligero.h"
#include "prover/protocol.h"
#include "prover/zk_layout.h"

namespace zk::prover {

// What a planning run (the verifier on an empty proof, up to the final
// argument) counts; it depends on the circuit and the statement's shape only.
struct PlanCounts {
  ZkShape shape;                                      // zero knowledge: pads and pad products
  size_t constraints = 0;                             // checks on padded values (zero knowledge)
  size_t claims = 0;                                  // claims on committed blocks
  uint64_t challenges = 0;                            // field challenges drawn
  uint64_t sumcheck_rounds = 0, sumcheck_degree = 0;  // sum of rounds, of their degrees
  std::vector<unsigned> lookup_trees;                 // per table: fraction-tree variables
};
PlanCounts plan_counts(const circuit::Circuit& c, const Statement* st = nullptr);

// How an opening tests the proximity of a commitment's rows to the code.
enum class Proximity {
  kPowers,  // rows combined with powers of one challenge (plain opening)
  kTensor,  // rows weighted by eq(z_row), z drawn after the commitment (zero knowledge)
  kShared,  // mask rows opened at another commitment's columns, on a random line
};

// One commitment a proof uses, with the parameters the prover uses for it.
struct ProofCommitment {
  std::string name;
  pcs::LigeroParams params;
  Proximity proximity = Proximity::kPowers;
};
// Every commitment a proof of this circuit opens: the witness, the weights
// (unless private: they are in the witness), the per-proof weight masks
// (weights=committed) and each committed tensor's own. The witness's
// parameters follow the statement's shape (witness_params), which the circuit
// fixes: `st` gives a real proof's.
std::vector<ProofCommitment> proof_commitments(const circuit::Circuit& c,
                                               const Statement* st = nullptr);

struct SoundnessTerm {
  std::string name;
  std::string formula;  // the bound, in the counts below
  uint64_t count = 0;   // the quantity the formula counts
  double error = 0;     // probability bound
};
struct Soundness {
  std::vector<SoundnessTerm> terms;
  double error = 0;  // the sum of the terms
  double bits = 0;   // -log2(error)
};
Soundness soundness(const circuit::Circuit& c);

}  // namespace zk::prover
