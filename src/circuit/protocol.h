// The proof protocol for a circuit (DESIGN.md section 4):
//   1. the prover commits to every witness tensor and the lookup multiplicities;
//   2. lookups (LogUp-GKR) tie each witness tensor to its inputs;
//   3. each public output is bound at a random point;
//   4. each requantization identity is checked at a random point;
//   claims on derived tensors are reduced by per-layer sumchecks on the way,
//   claims on weights and witness tensors are collected, and
//   5. each commitment is opened once at a single batched point.
// One role-generic engine runs both sides so the transcripts cannot drift.
#pragma once

#include <map>
#include <span>
#include <vector>

#include "circuit/circuit.h"
#include "circuit/executor.h"
#include "hash/channel.h"
#include "pcs/ligero.h"

namespace zk::circuit {

// Where each tensor lives inside one committed vector (aligned power-of-two
// blocks). offset[t] is -1 for tensors outside this commitment.
struct Layout {
  std::vector<int64_t> offset;        // per tensor
  std::vector<int64_t> table_offset;  // witness only: multiplicities per table
  std::vector<int64_t> extra_offset;  // zero-knowledge blocks (pads, masks)
  size_t used = 0;                    // entries up to the end of the last block
  unsigned num_vars = 1;
};

// Zero-knowledge mode: some tensor is hidden (input or output not public,
// or private weights). Every prover message is then sent under a one-time pad
// and the verifier's checks are proven inside the commitment
// (docs/ZERO_KNOWLEDGE.md). Otherwise the proof carries no hiding overhead.
bool zero_knowledge(const Circuit& c);
Layout weight_layout(const Circuit& c);
Layout witness_layout(const Circuit& c);

// The public part of the statement: padded public inputs and outputs.
struct Statement {
  std::vector<std::vector<int64_t>> inputs;   // per circuit input (empty if not public)
  std::vector<std::vector<int64_t>> outputs;  // per circuit output (empty if not public)
  // Hiding commitments to the committed tensors (committed_tensors order).
  std::vector<Digest> commitments;
};

// The tensors the statement commits to: the inputs when input=committed,
// then the outputs when output=committed.
std::vector<int> committed_tensors(const Circuit& c);

// The hiding commitment to one committed tensor: its padded values and a few
// random entries, with every random choice drawn from `seed`, so the tensor
// and the seed open it (zkinfer open-commitment).
pcs::LigeroProverData commit_tensor(const Tensor& t, const std::vector<int64_t>& padded,
                                    const Digest& seed);

// The weight commitment. With weights=committed it is hiding and reusable:
// random entries and every random choice of the commitment come from `seed`
// (kept in the proving key), so the weights and the seed open it.
std::vector<Fp> pack_weights(const Circuit& c, const Values& values, const Digest& seed = {});
pcs::LigeroProverData commit_weights(const Circuit& c, const Values& values,
                                     const Digest& seed = {});
pcs::LigeroParams weight_params(const Circuit& c);
// The witness commitment's parameters as the prover uses them. In
// zero-knowledge mode they depend on the pads and pad products the proof
// announces, which follow from the circuit alone (the prover's plan is run on
// a placeholder statement unless `st` is given), so a model or key can report
// them.
pcs::LigeroParams witness_params(const Circuit& c, const Statement* st = nullptr);

struct ProofStream {
  std::vector<uint8_t> bytes;
  std::vector<ProofSection> sections;  // labelled byte ranges, for diagnostics and tests
};

// How a deliberately cheating prover deviates (tests only). With any of these
// set, the prover skips its self-checks and the verifier must reject.
struct Cheat {
  bool any = false;                 // prove the given values even if inconsistent
  bool select_padding = false;      // look up padded rows too (wrong selector leaves)
  bool shift_table = false;         // use a table with every row shifted by one
  bool zero_leaf = false;           // a lookup leaf with denominator zero
  bool zero_table_leaf = false;     // a table leaf with denominator zero
  bool extra_multiplicity = false;  // one table row counted once more than it is looked up
  bool zero_pads = false;           // zero knowledge with all pads zero (messages in the clear)
  // Statistical tests: the prover's field challenges, in order, instead of
  // the transcript's (a programmed random oracle; the proof will not verify).
  std::vector<Fp2> challenges;
  // Witness tensors committed as these field elements instead of their
  // integer values (e.g. non-integer "remainders" such as 2^-k).
  std::map<int, std::vector<Fp>> field_values;
};

// `values` is the executed circuit (execute()); `weights` the setup commitment.
// `tensor_commitments` holds commit_tensor() of each committed tensor (the
// roots are st.commitments).
ProofStream prove_stream(const Circuit& c, const pcs::LigeroProverData& weights,
                         const Values& values, const Statement& st, Cheat cheat = {},
                         const std::vector<pcs::LigeroProverData>* tensor_commitments = nullptr);

// Throws VerifyError naming the failed check.
// `breakdown`, when given, receives the bytes of each kind of proof section.
void verify_stream(const Circuit& c, const Digest& weight_root, const Statement& st,
                   std::span<const uint8_t> bytes,
                   std::map<std::string, size_t>* breakdown = nullptr);

}  // namespace zk::circuit
