#include "prover/commitments.h"

#include <algorithm>
#include <stdexcept>

#include "field/parallel.h"
#include "hash/random.h"

namespace zk::prover {

using circuit::Circuit;
using circuit::TensorKind;
using circuit::Visibility;

// Pieces only where they save at least an eighth of the padded tensor, and
// at most this many per tensor (each is a term of every claim on it).
constexpr size_t kMaxPieces = 64;

Pieces split_of(const circuit::Tensor& t) {
  Pieces best;
  const size_t k = t.dims.size(), padded = t.padded_size();
  size_t best_stored = padded;
  size_t valid = 1;
  unsigned low = 0;
  for (size_t s = k; s-- > 0;) {  // dims s.. are the low ones
    if (t.dims[s] <= 0) break;
    valid *= static_cast<size_t>(std::max<int64_t>(t.dims[s], 1));
    low += t.log_dims[s];
    if (valid > kMaxPieces) break;
    size_t stored = valid << (t.num_vars() - low);
    if (stored * 8 <= padded * 7 && stored < best_stored) {
      best_stored = stored;
      best.low_vars = low;
      best.low_index.clear();
      // Every valid index of dims s.. (row-major), in the low variables.
      best.low_index.push_back(0);
      unsigned shift = 0;
      for (size_t d = k; d-- > s;) {
        std::vector<size_t> next;
        for (size_t j = 0; j < static_cast<size_t>(t.dims[d]); ++j)
          for (size_t base : best.low_index) next.push_back(base | (j << shift));
        best.low_index = std::move(next);
        shift += t.log_dims[d];
      }
      std::sort(best.low_index.begin(), best.low_index.end());
    }
  }
  best.offset.assign(best.low_index.size(), 0);
  return best;
}

Layout make_layout(const Circuit& c, TensorKind kind, bool with_tables,
                   const std::vector<size_t>& extra) {
  Layout l;
  l.offset.assign(c.tensors.size(), -1);
  l.pieces.assign(c.tensors.size(), {});
  struct Block {
    size_t size;
    int id;  // tensor id, -(table + 1), kExtra + index, or kPiece + index
  };
  constexpr int kExtra = 1 << 30, kPiece = 1 << 29;
  std::vector<std::pair<int, size_t>> piece_of;  // (tensor, piece)
  std::vector<Block> blocks;
  for (size_t t = 0; t < c.tensors.size(); ++t) {
    const auto& tt = c.tensors[t];
    bool in = tt.kind == kind;
    if (kind == TensorKind::kWitness) {
      in |= tt.kind == TensorKind::kInput && c.input_vis != Visibility::kPublic;
      in |= tt.kind == TensorKind::kWeight && c.weight_vis == Visibility::kPrivate;
    } else if (kind == TensorKind::kWeight && c.weight_vis == Visibility::kPrivate) {
      in = false;
    }
    if (!in) continue;
    Pieces p = kind == TensorKind::kWeight ? split_of(tt) : Pieces{};
    if (p.low_vars == 0) {
      blocks.push_back({tt.padded_size(), static_cast<int>(t)});
      continue;
    }
    for (size_t j = 0; j < p.low_index.size(); ++j) {
      blocks.push_back(
          {tt.padded_size() >> p.low_vars, kPiece + static_cast<int>(piece_of.size())});
      piece_of.emplace_back(static_cast<int>(t), j);
    }
    l.pieces[t] = std::move(p);
  }
  if (with_tables)
    for (size_t i = 0; i < c.tables.size(); ++i)
      blocks.push_back({size_t{1} << c.table_bits, -static_cast<int>(i) - 1});
  for (size_t i = 0; i < extra.size(); ++i)
    blocks.push_back({extra[i], kExtra + static_cast<int>(i)});
  l.table_offset.assign(c.tables.size(), -1);
  l.extra_offset.assign(extra.size(), -1);
  std::stable_sort(blocks.begin(), blocks.end(),
                   [](const Block& a, const Block& b) { return a.size > b.size; });
  size_t off = 0;
  for (const auto& b : blocks) {
    if (b.id >= kExtra) {
      l.extra_offset[b.id - kExtra] = static_cast<int64_t>(off);
    } else if (b.id >= kPiece) {
      auto [t, j] = piece_of[b.id - kPiece];
      l.pieces[t].offset[j] = off;
    } else if (b.id >= 0)
      l.offset[b.id] = static_cast<int64_t>(off);
    else
      l.table_offset[-b.id - 1] = static_cast<int64_t>(off);
    off += b.size;
  }
  l.used = off;
  l.num_vars = std::max(1u, log2_exact(std::max<size_t>(off, 2)));
  return l;
}

std::vector<Fp> pack(const Layout& l, const circuit::Values& values,
                     const std::vector<std::vector<int64_t>>* mults) {
  std::vector<Fp> out(size_t{1} << l.num_vars);
  for (size_t t = 0; t < l.offset.size(); ++t) {
    if (l.offset[t] < 0) continue;
    const auto& v = values[t];
    Fp* to = out.data() + l.offset[t];
    parallel_chunks(v.size(), size_t{1} << 16, [&](size_t b, size_t e, unsigned) {
      for (size_t i = b; i < e; ++i) to[i] = Fp::from_int(v[i]);
    });
  }
  for (size_t t = 0; t < l.pieces.size(); ++t) {
    const Pieces& p = l.pieces[t];
    if (p.low_vars == 0) continue;
    const auto& v = values[t];
    const size_t low_size = size_t{1} << p.low_vars, n = v.size() >> p.low_vars;
    std::vector<bool> kept(low_size, false);
    for (size_t j = 0; j < p.low_index.size(); ++j) {
      kept[p.low_index[j]] = true;
      Fp* to = out.data() + p.offset[j];
      const size_t lo = p.low_index[j];
      parallel_chunks(n, size_t{1} << 14, [&](size_t b, size_t e, unsigned) {
        for (size_t h = b; h < e; ++h) to[h] = Fp::from_int(v[(h << p.low_vars) | lo]);
      });
    }
    // The pieces leave the padding out: it must be zero.
    for (size_t i = 0; i < v.size(); ++i)
      if (v[i] != 0 && !kept[i & (low_size - 1)])
        throw std::logic_error("weight tensor has a value in its padding");
  }
  if (mults)
    for (size_t i = 0; i < mults->size(); ++i)
      for (size_t j = 0; j < (*mults)[i].size(); ++j)
        out[l.table_offset[i] + j] = Fp::from_int((*mults)[i][j]);
  return out;
}

size_t next_pow2(size_t n) {
  size_t p = 1;
  while (p < n) p <<= 1;
  return p;
}

unsigned tensor_commit_vars(const circuit::Tensor& t) { return std::max(t.num_vars() + 1, 10u); }
Pcs tensor_pcs(const circuit::Tensor& t) { return Pcs::hiding(tensor_commit_vars(t), 1, 9); }

// Random entries in a hiding weight commitment: they make each proof's
// evaluation of it uniform, for up to this many proofs.
static size_t weight_rand_block(const Circuit& c) {
  return next_pow2(std::max<size_t>(64, 4 * size_t{c.weight_proofs}));
}

Layout weight_layout(const Circuit& c) {
  std::vector<size_t> extra;
  if (c.weight_vis == Visibility::kCommitted) extra.push_back(weight_rand_block(c));
  Layout l = make_layout(c, TensorKind::kWeight, false, extra);
  // A reusable hiding commitment needs rows wide enough for the random
  // coefficients of all its openings: small models are padded up (to at
  // most 2^40 entries; weight_pcs rejects a count that needs more).
  if (c.weight_vis == Visibility::kCommitted) {
    unsigned min_vars = Pcs::min_vars_reusable(c.weight_proofs);
    l.num_vars = std::max(l.num_vars, min_vars == 0 ? 40u : std::min(min_vars, 40u));
  }
  return l;
}
Layout witness_layout(const Circuit& c) { return make_layout(c, TensorKind::kWitness, true); }

Pcs weight_pcs(const Circuit& c) { return weight_pcs(c, weight_layout(c)); }
Pcs weight_pcs(const Circuit& c, const Layout& weight_layout) {
  unsigned nv = weight_layout.num_vars;
  // Rows past the last block are zero: not stored (Pcs::for_used).
  if (c.weight_vis == Visibility::kCommitted)
    return Pcs::reusable(nv, c.weight_proofs).for_used(weight_layout.used);
  return Pcs::plain(nv).for_used(weight_layout.used);
}
pcs::LigeroParams weight_params(const Circuit& c) { return weight_pcs(c).params(); }
Pcs witness_pcs(const Circuit& c) {
  Layout l = witness_layout(c);
  return Pcs::plain(l.num_vars).for_used(l.used);
}

std::vector<Fp> pack_weights(const Circuit& c, const circuit::Values& values, const Digest& seed) {
  Layout l = weight_layout(c);
  auto v = pack(l, values);
  if (c.weight_vis == Visibility::kCommitted) {
    Prng rng(seed);
    for (size_t i = 0; i < weight_rand_block(c); ++i) v[l.extra_offset[0] + i] = rng.next_fp();
  }
  return v;
}

Pcs::ProverData commit_weights(const Circuit& c, const circuit::Values& values,
                               const Digest& seed) {
  auto v = pack_weights(c, values, seed);
  if (c.weight_vis != Visibility::kCommitted) return weight_pcs(c).commit(std::move(v));
  // The commitment's own randomness continues from the random entries'.
  Prng rng(seed);
  for (size_t i = 0; i < weight_rand_block(c); ++i) (void)rng.next_fp();
  return weight_pcs(c).commit(std::move(v), &rng);
}

bool zero_knowledge(const Circuit& c) {
  return c.input_vis != Visibility::kPublic || c.output_vis != Visibility::kPublic ||
         c.weight_vis != Visibility::kPublic;
}

std::vector<int> committed_tensors(const Circuit& c) {
  std::vector<int> out;
  if (c.input_vis == Visibility::kCommitted)
    out.insert(out.end(), c.inputs.begin(), c.inputs.end());
  if (c.output_vis == Visibility::kCommitted)
    out.insert(out.end(), c.outputs.begin(), c.outputs.end());
  return out;
}

Pcs::ProverData commit_tensor(const circuit::Tensor& t, const std::vector<int64_t>& padded,
                              const Digest& seed) {
  Prng rng(seed);
  std::vector<Fp> v(size_t{1} << tensor_commit_vars(t));
  for (size_t i = 0; i < padded.size() && i < v.size(); ++i) v[i] = Fp::from_int(padded[i]);
  for (size_t i = 0; i < kRandBlock; ++i) v[t.padded_size() + i] = rng.next_fp();
  return tensor_pcs(t).commit(std::move(v), &rng);
}

}  // namespace zk::prover
