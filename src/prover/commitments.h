// What the proof commits to and where: the layouts of the weight and witness
// vectors (aligned power-of-two blocks, one per tensor), the weight
// commitment made at setup, and the hiding commitments of committed inputs
// and outputs. Prover, verifier, setup and the file formats share these.
#pragma once

#include <vector>

#include "circuit/circuit.h"
#include "circuit/layout.h"
#include "pcs/ligero/ligero_pcs.h"
#include "pcs/pcs.h"

namespace zk::prover {

// The polynomial commitment the proof uses, named here only: the prover and
// the zero-knowledge argument go through the interfaces of pcs/pcs.h (a
// masking polynomial inside the witness commitment, per-proof masks for the
// reusable weight commitment).
using Pcs = pcs::LigeroPcs;
static_assert(pcs::MaskedPcs<Pcs> && pcs::ReusablePcs<Pcs>);

// Where each tensor lives inside one committed vector (aligned power-of-two
// blocks). offset[t] is -1 for tensors outside this commitment.
// A weight tensor whose trailing dims pad far (a 3x3 kernel takes 4x4) is
// committed as pieces: for each valid index of those dims (its low
// `low_vars` variables), the tensor over its other variables, one block
// each. Its MLE is sum_j eq(r_low, low_index[j]) * piece_j(r_high); the
// padding is left out (it is zero).
struct Pieces {
  unsigned low_vars = 0;
  std::vector<size_t> low_index;  // per piece, in the tensor's low variables
  std::vector<size_t> offset;     // per piece, in the committed vector
};

struct Layout {
  std::vector<int64_t> offset;        // per tensor (-1: outside, or in pieces)
  std::vector<Pieces> pieces;         // per tensor; empty unless committed in pieces
  std::vector<int64_t> table_offset;  // witness only: multiplicities per table
  std::vector<int64_t> extra_offset;  // zero-knowledge blocks (pads, masks)
  size_t used = 0;                    // entries up to the end of the last block
  unsigned num_vars = 1;
};

// Zero-knowledge mode: some tensor is hidden (input or output not public,
// or private weights). Every prover message is then sent under a one-time pad
// and the verifier's checks are proven inside the commitment
// (docs/ZERO_KNOWLEDGE.md). Otherwise the proof carries no hiding overhead.
bool zero_knowledge(const circuit::Circuit& c);
Layout weight_layout(const circuit::Circuit& c);
Layout witness_layout(const circuit::Circuit& c);

// The tensors the statement commits to: the inputs when input=committed,
// then the outputs when output=committed.
std::vector<int> committed_tensors(const circuit::Circuit& c);

// The hiding commitment to one committed tensor: its padded values and a few
// random entries, with every random choice drawn from `seed`, so the tensor
// and the seed open it (zkinfer open-commitment).
Pcs::ProverData commit_tensor(const circuit::Tensor& t, const std::vector<int64_t>& padded,
                              const Digest& seed);

// The weight commitment. With weights=committed it is hiding and reusable:
// random entries and every random choice of the commitment come from `seed`
// (kept in the proving key), so the weights and the seed open it.
std::vector<Fp> pack_weights(const circuit::Circuit& c, const circuit::Values& values,
                             const Digest& seed = {});
Pcs::ProverData commit_weights(const circuit::Circuit& c, const circuit::Values& values,
                               const Digest& seed = {});
// The weight commitment's scheme and its parameters (stored in the keys).
Pcs weight_pcs(const circuit::Circuit& c);
Pcs weight_pcs(const circuit::Circuit& c, const Layout& weight_layout);
pcs::LigeroParams weight_params(const circuit::Circuit& c);
// The witness commitment's scheme without zero knowledge.
Pcs witness_pcs(const circuit::Circuit& c);

// --- For the prover's phases (src/prover/*.cc).

// Lays out the tensors of `kind` (and, for the witness, hidden inputs and
// private weights), the tables' multiplicities when with_tables, and the
// `extra` blocks, the larger first so each sits at a multiple of its size.
// The weight commitment keeps tensors in pieces where that saves (Pieces).
Layout make_layout(const circuit::Circuit& c, circuit::TensorKind kind, bool with_tables,
                   const std::vector<size_t>& extra = {});
// The committed vector: values (and multiplicities) at their offsets.
std::vector<Fp> pack(const Layout& l, const circuit::Values& values,
                     const std::vector<std::vector<int64_t>>* mults = nullptr);

size_t next_pow2(size_t n);

// How a weight tensor is split into pieces (low_vars 0: kept whole).
Pieces split_of(const circuit::Tensor& t);

// A committed tensor's own commitment: the tensor, then kRandBlock random
// entries that hide its evaluations; at least 2^10 entries so the hiding
// code has room.
constexpr size_t kRandBlock = 4;
unsigned tensor_commit_vars(const circuit::Tensor& t);
Pcs tensor_pcs(const circuit::Tensor& t);

}  // namespace zk::prover
