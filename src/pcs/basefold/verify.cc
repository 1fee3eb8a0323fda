// The Basefold verifier (pcs/basefold/basefold.h).
#include <algorithm>
#include <string>

#include "field/ntt.h"
#include "pcs/basefold/basefold.h"
#include "pcs/batch.h"

namespace zk::pcs {

using basefold_detail::fold_pair;
using basefold_detail::leaf_digest;

namespace {

// sum_c weights[c] * eq(claim c's full point, r): the claim's local point in
// the low variables, its block index in the high ones.
Fp2 weight_at(const std::vector<BlockClaim>& claims, const std::vector<Fp2>& weights,
              const Point& r) {
  Fp2 out = Fp2::zero();
  for (size_t c = 0; c < claims.size(); ++c) {
    size_t k = claims[c].point.size();
    Fp2 e = eq_eval(claims[c].point, std::span<const Fp2>(r.data(), k));
    e *= eq_at_index(std::span<const Fp2>(r.data() + k, r.size() - k), claims[c].offset >> k);
    out += weights[c] * e;
  }
  return out;
}

// The degree-2 round polynomial from its values at 0, 1, 2, at r.
Fp2 interpolate2(const std::vector<Fp2>& h, Fp2 r) {
  static const Fp kInv2 = Fp(2).inverse();
  Fp2 one = Fp2::one(), two = Fp2(Fp(2));
  return h[0] * ((r - one) * (r - two) * kInv2) - h[1] * (r * (r - two)) +
         h[2] * (r * (r - one) * kInv2);
}

// sum_j c_j x^j.
Fp2 horner(const std::vector<Fp2>& c, Fp x) {
  Fp2 acc = Fp2::zero();
  for (size_t j = c.size(); j-- > 0;) acc = acc * x + c[j];
  return acc;
}

// One oracle's opened leaves, by sorted leaf index.
struct Opened {
  std::vector<size_t> leaves;
  std::vector<std::vector<Fp2>> values;
  const std::vector<Fp2>& at(size_t leaf) const {
    auto it = std::lower_bound(leaves.begin(), leaves.end(), leaf);
    return values[static_cast<size_t>(it - leaves.begin())];
  }
};

Opened recv_oracle(VerifierChannel& ch, const BasefoldParams& p, unsigned j, const Digest& root,
                   const std::vector<size_t>& queries) {
  const size_t num = p.oracle_leaves(j), arity = size_t{1} << p.oracle_folds(j);
  Opened o;
  for (size_t q : queries) o.leaves.push_back(q & (num - 1));
  std::sort(o.leaves.begin(), o.leaves.end());
  o.leaves.erase(std::unique(o.leaves.begin(), o.leaves.end()), o.leaves.end());
  std::vector<std::pair<size_t, Digest>> known;
  for (size_t t : o.leaves) {
    if (j == 0) {
      auto v = ch.recv_base(arity);
      o.values.emplace_back(v.begin(), v.end());
    } else {
      o.values.push_back(ch.recv(arity));
    }
    known.emplace_back(t, leaf_digest(o.values.back(), j == 0));
  }
  Digest got = merkle_root_from_multi_path(std::move(known), num, [&] { return ch.recv_digest(); });
  ch.expect(got == root, j == 0 ? "basefold: Merkle paths of the opened codeword do not match "
                                  "the commitment root"
                                : "basefold: Merkle paths of folded oracle " + std::to_string(j) +
                                      " do not match its root");
  return o;
}

// Folds leaf t of oracle j (entries at t + i num, in a codeword of 2^log_m
// entries) through its folds: the entry at t of the next codeword.
Fp2 fold_leaf(std::vector<Fp2> u, size_t t, size_t num, unsigned log_m, const Fp2* r) {
  const Fp w = root_of_unity(log_m);
  // 1/(2x) for x = w^(t + i num), i < |u|/2: 1/(2 w^t) times powers of
  // 1/w^num; each fold squares the domain: 1/(2x^2) = 2 (1/(2x))^2.
  std::vector<Fp> inv(u.size() / 2);
  Fp step = w.pow(num).inverse(), x = w.pow(t).inverse() * basefold_detail::kInv2;
  for (auto& v : inv) {
    v = x;
    x *= step;
  }
  for (size_t half = u.size() / 2; half >= 1; half /= 2) {
    for (size_t i = 0; i < half; ++i) u[i] = fold_pair(u[i], u[i + half], *r, inv[i]);
    for (auto& v : inv) v = v * v * Fp(2);  // 1/(2x) -> 1/(2x^2)
    ++r;
  }
  return u[0];
}

// Follows each query down the oracles: every opened leaf holds the fold of
// the leaf above, and the last fold matches the final message's encoding.
void check_queries(VerifierChannel& ch, const BasefoldParams& p, const std::vector<Opened>& opened,
                   const std::vector<size_t>& queries, const Point& r,
                   const std::vector<Fp2>& final_coeffs) {
  const unsigned log_code = p.num_vars + p.log_blowup;
  for (size_t q : queries) {
    std::string where = "basefold: query at leaf " + std::to_string(q) + ": ";
    Fp2 folded;
    size_t pos = q;  // the previous fold's position in oracle j
    for (unsigned j = 0; j < p.num_oracles(); ++j) {
      const size_t num = p.oracle_leaves(j);
      const size_t t = pos & (num - 1);
      const auto& leaf = opened[j].at(t);
      if (j > 0)
        ch.expect(leaf[pos / num] == folded, where + "folded oracle " + std::to_string(j) +
                                                 " is not the fold of the one above");
      folded = fold_leaf(leaf, t, num, log_code - p.first_fold(j), r.data() + p.first_fold(j));
      pos = t;
    }
    Fp x = root_of_unity(log_code - p.folds()).pow(pos);
    ch.expect(folded == horner(final_coeffs, x),
              where + (p.folds() == 0 ? "codeword does not match the final message"
                                      : "last fold does not match the final message"));
  }
}

}  // namespace

void basefold_verify(VerifierChannel& ch, const BasefoldParams& p, const Digest& root,
                     const std::vector<BlockClaim>& claims, const std::vector<Fp2>& weights,
                     Fp2 sum) {
  if (weights.size() != claims.size()) ch.fail("basefold: one weight per claim expected");
  check_claims(ch, p.num_vars, claims);
  const unsigned n = p.num_vars, R = p.folds();
  const size_t final_len = size_t{1} << p.final_vars;
  std::vector<Fp2> final_values;
  if (R == 0) final_values = ch.recv(final_len);
  std::vector<Digest> roots(p.num_oracles());
  roots[0] = root;
  Point r(n);
  Fp2 claim = sum;
  for (unsigned i = 0; i < n; ++i) {
    auto h = ch.recv(3);
    ch.expect(h[0] + h[1] == claim,
              "basefold: sumcheck round " + std::to_string(i) + " does not sum to the claim");
    r[i] = ch.challenge("basefold-fold");
    claim = interpolate2(h, r[i]);
    if (i + 1 == R)
      final_values = ch.recv(final_len);
    else if (i + 1 < R && (i + 1) % p.log_arity == 0)
      roots[(i + 1) / p.log_arity] = ch.recv_digest();
  }
  ch.note_sumcheck(n, 2);
  std::vector<size_t> queries(p.queries);
  for (auto& q : queries) q = ch.challenge_index("basefold-query", p.oracle_leaves(0));
  std::vector<Opened> opened;
  for (unsigned j = 0; j < p.num_oracles(); ++j)
    opened.push_back(recv_oracle(ch, p, j, roots[j], queries));
  auto coeffs = final_values;
  basefold_detail::to_coefficients(coeffs);
  check_queries(ch, p, opened, queries, r, coeffs);
  Fp2 f_r = mle_eval(std::span<const Fp2>(final_values), std::span<const Fp2>(r.data() + R, n - R));
  ch.expect(claim == f_r * weight_at(claims, weights, r),
            "basefold: final sumcheck value does not match the final message's evaluation");
}

}  // namespace zk::pcs
