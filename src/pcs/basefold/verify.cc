// The Basefold verifier (pcs/basefold/basefold.h).
#include <algorithm>
#include <string>

#include "field/ntt.h"
#include "pcs/basefold/basefold.h"

namespace zk::pcs {

using basefold_detail::fold_pair;
using basefold_detail::leaf_digest;

namespace {

void check_claims(VerifierChannel& ch, unsigned num_vars, const std::vector<BlockClaim>& claims,
                  const std::vector<Fp2>& weights) {
  if (weights.size() != claims.size()) ch.fail("basefold: one weight per claim expected");
  size_t n = size_t{1} << num_vars;
  for (const auto& cl : claims) {
    if (cl.point.size() > num_vars) ch.fail("claim lies outside the committed vector");
    size_t len = size_t{1} << cl.point.size();
    if (cl.offset % len != 0 || cl.offset > n || len > n - cl.offset)
      ch.fail("claim lies outside the committed vector");
  }
}

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

// One oracle's opened pairs, by sorted leaf index.
struct Opened {
  std::vector<size_t> leaves;
  std::vector<std::array<Fp2, 2>> pairs;
  const std::array<Fp2, 2>& at(size_t leaf) const {
    auto it = std::lower_bound(leaves.begin(), leaves.end(), leaf);
    return pairs[static_cast<size_t>(it - leaves.begin())];
  }
};

Opened recv_oracle(VerifierChannel& ch, unsigned i, size_t half, const Digest& root,
                   const std::vector<size_t>& queries) {
  Opened o;
  for (size_t q : queries) o.leaves.push_back(q & (half - 1));
  std::sort(o.leaves.begin(), o.leaves.end());
  o.leaves.erase(std::unique(o.leaves.begin(), o.leaves.end()), o.leaves.end());
  std::vector<std::pair<size_t, Digest>> known;
  for (size_t t : o.leaves) {
    if (i == 0) {
      auto v = ch.recv_base(2);
      o.pairs.push_back({Fp2(v[0]), Fp2(v[1])});
      known.emplace_back(t, leaf_digest(v[0], v[1]));
    } else {
      auto v = ch.recv(2);
      o.pairs.push_back({v[0], v[1]});
      known.emplace_back(t, leaf_digest(v[0], v[1]));
    }
  }
  Digest got =
      merkle_root_from_multi_path(std::move(known), half, [&] { return ch.recv_digest(); });
  ch.expect(got == root, i == 0 ? "basefold: Merkle paths of the opened codeword do not match "
                                  "the commitment root"
                                : "basefold: Merkle paths of folded oracle " + std::to_string(i) +
                                      " do not match its root");
  return o;
}

// Follows each query down the folds: every opened pair agrees with the fold
// of the one above, and the last fold with the final message's encoding.
void check_queries(VerifierChannel& ch, const BasefoldParams& p, const std::vector<Opened>& opened,
                   const std::vector<size_t>& queries, const Point& r,
                   const std::vector<Fp2>& final_coeffs) {
  const unsigned R = p.folds(), log_m = p.num_vars + p.log_blowup;
  for (size_t q : queries) {
    std::string where = "basefold: query at leaf " + std::to_string(q) + ": ";
    if (R == 0) {
      const auto& pair = opened[0].at(q);
      Fp x = root_of_unity(log_m).pow(q);
      ch.expect(pair[0] == horner(final_coeffs, x) && pair[1] == horner(final_coeffs, -x),
                where + "codeword does not match the final message");
      continue;
    }
    Fp2 folded;
    size_t pos = q;  // position in oracle i
    for (unsigned i = 0; i < R; ++i) {
      size_t half = p.code_len() >> (i + 1);
      size_t leaf = pos & (half - 1);
      const auto& pair = opened[i].at(leaf);
      if (i > 0)
        ch.expect(
            pair[pos >= half ? 1 : 0] == folded,
            where + "folded oracle " + std::to_string(i) + " is not the fold of the one above");
      Fp inv_x = root_of_unity(log_m - i).pow(leaf).inverse();
      folded = fold_pair(pair[0], pair[1], r[i], inv_x);
      pos = leaf;
    }
    Fp x = root_of_unity(log_m - R).pow(pos);
    ch.expect(folded == horner(final_coeffs, x),
              where + "last fold does not match the final message");
  }
}

}  // namespace

void basefold_verify(VerifierChannel& ch, const BasefoldParams& p, const Digest& root,
                     const std::vector<BlockClaim>& claims, const std::vector<Fp2>& weights,
                     Fp2 sum) {
  check_claims(ch, p.num_vars, claims, weights);
  const unsigned n = p.num_vars, R = p.folds();
  const size_t final_len = size_t{1} << p.final_vars;
  std::vector<Fp2> final_values;
  if (R == 0) final_values = ch.recv(final_len);
  std::vector<Digest> roots(std::max(R, 1u));
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
    else if (i + 1 < R)
      roots[i + 1] = ch.recv_digest();
  }
  ch.note_sumcheck(n, 2);
  std::vector<size_t> queries(p.queries);
  for (auto& q : queries) q = ch.challenge_index("basefold-query", p.code_len() / 2);
  std::vector<Opened> opened;
  for (unsigned i = 0; i < std::max(R, 1u); ++i)
    opened.push_back(recv_oracle(ch, i, p.code_len() >> (i + 1), roots[i], queries));
  auto coeffs = final_values;
  basefold_detail::to_coefficients(coeffs);
  check_queries(ch, p, opened, queries, r, coeffs);
  Fp2 f_r = mle_eval(std::span<const Fp2>(final_values), std::span<const Fp2>(r.data() + R, n - R));
  ch.expect(claim == f_r * weight_at(claims, weights, r),
            "basefold: final sumcheck value does not match the final message's evaluation");
}

}  // namespace zk::pcs
