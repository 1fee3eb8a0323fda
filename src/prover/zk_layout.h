// Zero-knowledge mode's extra structure (docs/ZERO_KNOWLEDGE.md): the blocks
// the witness commitment carries for pads, pad products, hiding entries and
// the final sumcheck's mask; the claims and constraints the final argument
// proves; and the virtual vector its masked sumcheck runs over.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "hash/val.h"
#include "prover/commitments.h"

namespace zk::prover {

// The zero-knowledge blocks of the witness commitment (Layout::extra_offset).
enum ZkBlock : int {
  kPadRe,
  kPadIm,  // one-time pads of the prover's messages (real, u parts)
  kARe,
  kAIm,
  kBRe,
  kBIm,
  kCRe,
  kCIm,   // product slots: C = A * B, A and B copies of pads
  kRand,  // random entries that hide the commitment's evaluation
  kMask,  // the final sumcheck's masking polynomial: real part, then u part a row below
  kNumZkBlocks
};

// The sizes a zero-knowledge proof announces: pads used and pad products.
struct ZkShape {
  uint64_t pads = 0, products = 0;
  size_t pad_block() const { return std::max<size_t>(2, next_pow2(pads + product_pads())); }
  size_t slot_block() const { return std::max<size_t>(2, next_pow2(products + 1)); }
  unsigned slot_vars() const { return log2_exact(slot_block()); }
  // Pads the product argument itself uses: its sumcheck rounds and C(rho).
  uint64_t product_pads() const { return 3 * uint64_t{slot_vars()} + 1; }
};
// Announced counts beyond this are rejected before they size anything.
constexpr uint64_t kMaxZkCount = uint64_t{1} << 26;

// The witness layout and commitment parameters of a zero-knowledge proof:
// the mask block must be two whole rows, so the row width and the layout are
// found together.
Layout zk_witness_layout(const circuit::Circuit& c, const ZkShape& z, Pcs& pcs);

// A claim that sum_k coef_k * block_k(point_k) = value, each block a region
// of commitment `commit` (0: witness, 1: weights, 2 + k: committed tensor k);
// point_k is the claim's point less its `skip` lowest coordinates (a weight
// tensor in pieces, commitments.h), the block 2^|point_k| entries.
struct BlockTerm {
  int commit = 0;
  size_t offset = 0;
  Fp2 coef = Fp2::one();
  unsigned skip = 0;
  Point point_of(const Point& p) const { return Point(p.begin() + skip, p.end()); }
};
struct ZkClaim {
  std::vector<BlockTerm> terms;
  Point point;
  Val value;
};

// Everything the final zero-knowledge argument proves: claims on committed
// blocks and the verifier's checks, as constraints over the pads.
struct ZkSystem {
  std::vector<ZkClaim> claims;
  std::vector<Constraint> constraints;
  std::vector<std::pair<uint32_t, uint32_t>> pairs;  // pad products, in slot order
};

// The slot of each pad product, in order of first appearance.
std::vector<std::pair<uint32_t, uint32_t>> product_pairs(const std::vector<Constraint>& cs);

// The hidden commitments the final masked sumcheck runs over, as one
// virtual vector: the witness (commit 0), committed weights (commit 1) and
// each committed tensor (commit 2 + k), aligned blocks, the larger first.
struct VirtualLayout {
  unsigned num_vars = 0;
  std::vector<size_t> offset;  // per commit id (1: hidden weights, if has_weights)
  std::vector<unsigned> vars;
  bool has_weights = false;
};
VirtualLayout virtual_layout(unsigned witness_vars, const std::vector<unsigned>& tensor_vars,
                             unsigned weight_vars, size_t weight_used);

// The weight at z of an aligned block of 2^s entries at `offset`: its MLE at
// z is this times the block's own MLE at z's low s coordinates.
Fp2 block_weight(size_t offset, unsigned s, const Point& z);
// eq(z, .) restricted to the aligned block [offset, offset + 2^|p|), at the
// block's point p: the value at z of the MLE that is eq(p, .) on the block.
Fp2 eq_block_at(size_t offset, const Point& p, const Point& z);

}  // namespace zk::prover
