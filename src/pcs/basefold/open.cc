// Basefold openings (pcs/basefold/basefold.h): the prover's interleaved
// sumcheck and folding, then the query phase.
#include <algorithm>
#include <stdexcept>

#include "field/backend.h"
#include "field/ntt.h"
#include "field/parallel.h"
#include "pcs/basefold/basefold.h"

namespace zk::pcs {

using basefold_detail::fold_pair;

namespace {

// E = sum_c weights[c] eq(point_c, .) on each claim's block.
std::vector<Fp2> weight_table(size_t n, const std::vector<BlockClaim>& claims,
                              const std::vector<Fp2>& weights) {
  std::vector<Fp2> e(n, Fp2::zero());
  for (size_t c = 0; c < claims.size(); ++c) {
    size_t len = size_t{1} << claims[c].point.size();
    if (claims[c].offset % len != 0 || claims[c].offset > n || len > n - claims[c].offset)
      throw std::logic_error("basefold: claim outside the committed vector");
    std::vector<Fp2> t(len);
    eq_table_into(t, claims[c].point, weights[c]);
    backend::add(std::span<Fp2>(e.data() + claims[c].offset, len), t);
  }
  return e;
}

// 1/(2 w^t) for t < count, w a primitive 2^log_n-th root of unity.
std::vector<Fp> inverse_powers(unsigned log_n, size_t count) {
  Fp winv = root_of_unity(log_n).inverse();
  std::vector<Fp> out(count);
  Fp x = basefold_detail::kInv2;
  for (auto& v : out) {
    v = x;
    x *= winv;
  }
  return out;
}

// One sumcheck round over f * e (both folded in place afterwards): the
// round polynomial's values at 0, 1, 2.
std::vector<Fp2> round_values(const std::vector<Fp2>& f, const std::vector<Fp2>& e) {
  Fp2 h0, h1, h2;
  for (size_t j = 0; j < f.size() / 2; ++j) {
    Fp2 f0 = f[2 * j], f1 = f[2 * j + 1], e0 = e[2 * j], e1 = e[2 * j + 1];
    h0 += f0 * e0;
    h1 += f1 * e1;
    h2 += (f1 + f1 - f0) * (e1 + e1 - e0);
  }
  return {h0, h1, h2};
}

void fold_low(std::vector<Fp2>& v, Fp2 r) {
  for (size_t j = 0; j < v.size() / 2; ++j) v[j] = v[2 * j] + r * (v[2 * j + 1] - v[2 * j]);
  v.resize(v.size() / 2);
}

// The codeword folded with r: entry t from the pair (t, t + len/2); oracle
// i's point t is w_0^(t 2^i), whose inverse is inv_x[t << i].
template <typename F>
std::vector<Fp2> fold_codeword(const std::vector<F>& cw, Fp2 r, const std::vector<Fp>& inv_x,
                               unsigned i) {
  size_t half = cw.size() / 2;
  std::vector<Fp2> out(half);
  parallel_chunks(half, 4096, [&](size_t b, size_t e, unsigned) {
    for (size_t t = b; t < e; ++t) out[t] = fold_pair(cw[t], cw[t + half], r, inv_x[t << i]);
  });
  return out;
}

struct Oracle {
  std::vector<Fp2> codeword;
  MerkleTree tree;
};

// The distinct leaves the queries open in an oracle of num_leaves leaves.
std::vector<size_t> leaves_at(const std::vector<size_t>& queries, size_t num_leaves) {
  std::vector<size_t> out;
  for (size_t q : queries) out.push_back(q & (num_leaves - 1));
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// Each opened leaf's entries t + i num_leaves, then one Merkle multi-proof.
template <typename F>
void send_oracle_queries(ProverChannel& ch, unsigned j, const std::vector<F>& cw,
                         const MerkleTree& tree, const std::vector<size_t>& queries,
                         const BasefoldHooks* hooks) {
  const size_t num = tree.num_leaves(), arity = cw.size() / num;
  auto leaves = leaves_at(queries, num);
  for (size_t t : leaves) {
    std::vector<Fp2> leaf(arity);
    for (size_t i = 0; i < arity; ++i) leaf[i] = Fp2(cw[t + i * num]);
    if (hooks && hooks->opened) hooks->opened(j, t, leaf);
    if constexpr (std::is_same_v<F, Fp>) {
      std::vector<Fp> base(arity);
      for (size_t i = 0; i < arity; ++i) base[i] = leaf[i].a;
      ch.send_base(base);
    } else {
      ch.send(leaf);
    }
  }
  auto path = tree.multi_path(leaves);
  if (hooks && hooks->path) hooks->path(j, path);
  for (const auto& sib : path) ch.send(sib);
}

}  // namespace

void basefold_open(ProverChannel& ch, const BasefoldProverData& d,
                   const std::vector<BlockClaim>& claims, const std::vector<Fp2>& weights,
                   const BasefoldHooks* hooks) {
  const auto& p = d.params;
  const unsigned n = p.num_vars, R = p.folds();
  if (weights.size() != claims.size()) throw std::logic_error("basefold: one weight per claim");
  std::vector<Fp2> f(d.values.size());
  backend::lift(d.values, f);
  auto e = weight_table(f.size(), claims, weights);
  auto inv_x = inverse_powers(n + p.log_blowup, p.code_len() / 2);
  auto send_final = [&] {
    std::vector<Fp2> msg = f;
    if (hooks && hooks->final) hooks->final(msg);
    ch.send(msg);
  };
  if (R == 0) send_final();
  std::vector<Oracle> oracles(p.num_oracles());  // oracles[0]: the commitment (in d)
  std::vector<Fp2> cw;                           // the codeword folded so far
  for (unsigned i = 0; i < n; ++i) {
    auto h = round_values(f, e);
    if (hooks && hooks->round) hooks->round(i, h);
    ch.send(h);
    Fp2 r = ch.challenge("basefold-fold");
    fold_low(f, r);
    fold_low(e, r);
    if (i >= R) continue;
    cw = i == 0 ? fold_codeword(d.codeword, r, inv_x, 0) : fold_codeword(cw, r, inv_x, i);
    const unsigned done = i + 1;
    if (done == R) {
      send_final();
    } else if (done % p.log_arity == 0) {
      const unsigned j = done / p.log_arity;
      if (hooks && hooks->oracle) hooks->oracle(j, cw);
      oracles[j].codeword = cw;
      oracles[j].tree = MerkleTree(basefold_detail::leaf_digests(cw, p.oracle_folds(j)));
      Digest root = oracles[j].tree.root();
      if (hooks && hooks->root) hooks->root(j, root);
      ch.send(root);
    }
  }
  std::vector<size_t> queries(p.queries);
  for (auto& q : queries) q = ch.challenge_index("basefold-query", p.oracle_leaves(0));
  send_oracle_queries(ch, 0, d.codeword, d.tree, queries, hooks);
  for (unsigned j = 1; j < p.num_oracles(); ++j)
    send_oracle_queries(ch, j, oracles[j].codeword, oracles[j].tree, queries, hooks);
}

}  // namespace zk::pcs
