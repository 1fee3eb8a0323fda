#include "pcs/basefold/basefold.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>

#include "field/ntt.h"
#include "field/parallel.h"

namespace zk::pcs {

namespace {

// Per opening, as for Ligero (pcs/ligero/ligero.cc): room for up to 16
// openings in a proof of at least 100 bits.
constexpr double kTargetBits = 105;
// The whole opening, with the proximity-gap terms that grow with the code.
constexpr double kMinBits = 100;
// |F| of the challenges: Fp2 over Goldilocks, p^2.
const double kField = 18446744069414584321.0 * 18446744069414584321.0;

double per_query_bits(unsigned log_blowup) {
  double rho = std::exp2(-static_cast<double>(log_blowup));
  return -std::log2(1.0 - (1.0 - rho) / 2.0);
}

}  // namespace

double basefold_query_bits(const BasefoldParams& p) {
  return p.queries * per_query_bits(p.log_blowup);
}

double basefold_security_bits(const BasefoldParams& p) {
  double err = std::exp2(-basefold_query_bits(p));
  for (unsigned i = 0; i < p.folds(); ++i) err += static_cast<double>(p.code_len() >> i) / kField;
  err += 2.0 * p.num_vars / kField;
  return -std::log2(err);
}

double basefold_estimated_bytes(const BasefoldParams& p) {
  // Sumcheck rounds (3 values each), the oracles' roots, the final message.
  double bytes =
      p.num_vars * 3 * 16.0 + (p.num_oracles() - 1) * 32.0 + (size_t{1} << p.final_vars) * 16.0;
  double shared = std::log2(static_cast<double>(p.queries));
  for (unsigned j = 0; j < p.num_oracles(); ++j) {
    double depth = std::log2(static_cast<double>(p.oracle_leaves(j)));
    double leaf = (size_t{1} << p.oracle_folds(j)) * (j == 0 ? 8.0 : 16.0);
    bytes += p.queries * (leaf + 32.0 * std::max(0.0, depth - shared));
  }
  return bytes;
}

BasefoldParams basefold_params(unsigned num_vars, unsigned log_blowup) {
  if (log_blowup < 1 || log_blowup > 4 || num_vars + log_blowup > 32)
    throw std::invalid_argument("basefold: no parameters for 2^" + std::to_string(num_vars) +
                                " values at blowup 2^" + std::to_string(log_blowup));
  BasefoldParams best;
  double best_bytes = 1e300;
  for (unsigned k = 1; k <= 6; ++k)
    for (unsigned d = 0; d <= std::min(num_vars, 10u); ++d) {
      BasefoldParams p;
      p.num_vars = num_vars;
      p.log_blowup = log_blowup;
      p.final_vars = d;
      p.log_arity = k;
      p.queries = static_cast<unsigned>(std::ceil(kTargetBits / per_query_bits(log_blowup)));
      double b = basefold_estimated_bytes(p);
      if (b < best_bytes) {
        best_bytes = b;
        best = p;
      }
    }
  return best;
}

BasefoldParams basefold_params(unsigned num_vars) {
  // Rates 1/2 to 1/8: a larger blowup shrinks the opening a little more but
  // multiplies the codeword kept by the prover, and its longer code weakens
  // the folds' proximity gaps (code_len / |F| each), so it is taken only
  // while the whole opening keeps kMinBits.
  BasefoldParams best;
  double best_bytes = 1e300;
  for (unsigned lb = 1; lb <= 3 && num_vars + lb <= 32; ++lb) {
    BasefoldParams p = basefold_params(num_vars, lb);
    if (lb > 1 && basefold_security_bits(p) < kMinBits) continue;
    double b = basefold_estimated_bytes(p);
    if (b < best_bytes) {
      best_bytes = b;
      best = p;
    }
  }
  if (best_bytes >= 1e300) throw std::invalid_argument("basefold: too many variables");
  return best;
}

namespace basefold_detail {

Digest leaf_digest(std::span<const Fp2> leaf, bool base) {
  // The entries' words in order (base-field leaves: one word each).
  uint64_t stack[128];
  std::vector<uint64_t> heap;
  uint64_t* buf = stack;
  if (leaf.size() > 64) {
    heap.resize(2 * leaf.size());
    buf = heap.data();
  }
  size_t k = 0;
  for (const auto& x : leaf) {
    buf[k++] = x.a.v;
    if (!base) buf[k++] = x.b.v;
  }
  return sha256(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(buf), k * 8));
}

std::vector<Fp> encode(const std::vector<Fp>& coeffs, unsigned log_len) {
  // Position s + B m (B cosets, s < B) is w^s nu^m, nu = w^B of order |coeffs|:
  // p(w^s nu^m) = sum_i (c_i w^(s i)) nu^(m i), the NTT of the shifted coefficients.
  const size_t len = size_t{1} << log_len, k = coeffs.size(), cosets = len / k;
  const Fp w = root_of_unity(log_len);
  std::vector<Fp> out(len);
  parallel_chunks(cosets, 1, [&](size_t b, size_t e, unsigned) {
    std::vector<Fp> local(k);
    for (size_t s = b; s < e; ++s) {
      Fp shift = w.pow(s), x = Fp::one();
      for (size_t i = 0; i < k; ++i) {
        local[i] = coeffs[i] * x;
        x *= shift;
      }
      ntt(local);
      for (size_t m = 0; m < k; ++m) out[s + cosets * m] = local[m];
    }
  });
  return out;
}

namespace {
template <typename F>
std::vector<Digest> leaves_of(const std::vector<F>& cw, unsigned log_arity) {
  const size_t arity = size_t{1} << log_arity, num = cw.size() >> log_arity;
  std::vector<Digest> out(num);
  parallel_chunks(num, 1024, [&](size_t b, size_t e, unsigned) {
    std::vector<Fp2> leaf(arity);
    for (size_t t = b; t < e; ++t) {
      for (size_t i = 0; i < arity; ++i) leaf[i] = Fp2(cw[t + i * num]);
      out[t] = leaf_digest(leaf, std::is_same_v<F, Fp>);
    }
  });
  return out;
}
}  // namespace

std::vector<Digest> leaf_digests(const std::vector<Fp>& cw, unsigned log_arity) {
  return leaves_of(cw, log_arity);
}
std::vector<Digest> leaf_digests(const std::vector<Fp2>& cw, unsigned log_arity) {
  return leaves_of(cw, log_arity);
}

}  // namespace basefold_detail
BasefoldProverData basefold_commit(std::vector<Fp> values, const BasefoldParams& p) {
  if (values.size() != p.size())
    throw std::invalid_argument("basefold: committed vector has " + std::to_string(values.size()) +
                                " values, the scheme 2^" + std::to_string(p.num_vars));
  BasefoldProverData d;
  d.params = p;
  std::vector<Fp> coeffs = values;
  basefold_detail::to_coefficients(coeffs);
  d.codeword = basefold_detail::encode(coeffs, p.num_vars + p.log_blowup);
  d.tree = MerkleTree(basefold_detail::leaf_digests(d.codeword, p.oracle_folds(0)));
  d.values = std::move(values);
  return d;
}

void basefold_save(ByteWriter& w, const BasefoldProverData& d) {
  w.u64(d.tree.nodes().size());
  for (const auto& x : d.tree.nodes()) w.digest(x);
}

BasefoldProverData basefold_load(ByteReader& r, const BasefoldParams& p, std::vector<Fp> values,
                                 const FpStore& codeword) {
  BasefoldProverData d;
  d.params = p;
  if (values.size() != p.size()) r.fail("committed vector has the wrong size");
  if (codeword.size() != p.code_len()) r.fail("codeword has the wrong size");
  d.codeword.assign(codeword.data(), codeword.data() + codeword.size());
  for (auto x : d.codeword)
    if (x.v >= Fp::kModulus) r.fail("non-canonical field element");
  uint64_t nn = r.count(uint64_t{1} << 34, 32, "Merkle node");
  if (nn != 2 * p.oracle_leaves(0)) r.fail("Merkle tree has the wrong size");
  std::vector<Digest> nodes(nn);
  for (auto& x : nodes) x = r.digest();
  d.tree = MerkleTree::from_nodes(std::move(nodes));
  d.values = std::move(values);
  return d;
}

}  // namespace zk::pcs
