#include "lookup/logup.h"

#include <cassert>

#include "field/parallel.h"
#include "sumcheck/sumcheck.h"

namespace zk::lookup {

LeafClaim fraction_sum_prove(ProverChannel& ch, std::vector<Fp2> p, std::vector<Fp2> q) {
  unsigned n = log2_exact(p.size());
  assert(p.size() == q.size() && p.size() == (size_t{1} << n));
  // levels[k] holds the 2^k fractions of level k; level n is the leaves.
  std::vector<std::vector<Fp2>> lp(n + 1), lq(n + 1);
  lp[n] = std::move(p);
  lq[n] = std::move(q);
  for (unsigned k = n; k-- > 0;) {
    size_t len = size_t{1} << k;
    lp[k].resize(len);
    lq[k].resize(len);
    const Fp2 *P = lp[k + 1].data(), *Q = lq[k + 1].data();
    Fp2 *OP = lp[k].data(), *OQ = lq[k].data();
    parallel_chunks(len, size_t{1} << 12, [=](size_t b, size_t e, unsigned) {
      for (size_t x = b; x < e; ++x) {
        Fp2 p0 = P[2 * x], p1 = P[2 * x + 1], q0 = Q[2 * x], q1 = Q[2 * x + 1];
        OP[x] = p0 * q1 + p1 * q0;
        OQ[x] = q0 * q1;
      }
    });
  }
  LeafClaim out;
  out.root = {lp[0][0], lq[0][0]};
  ch.send_vals(std::vector<Fp2>{lp[0][0], lq[0][0]});
  out.p = out.root.p;  // a single leaf is its own root
  out.q = out.root.q;
  Point r;  // claim point at level k
  for (unsigned k = 0; k < n; ++k) {
    Fp2 lambda = ch.challenge("gkr-lambda");
    size_t len = size_t{1} << k;
    std::vector<std::vector<Fp2>> t(5);  // allocated (and zeroed) on the pool
    parallel_chunks(5, len >= 4096 ? 1 : 5, [&](size_t b, size_t e, unsigned) {
      for (size_t j = b; j < e; ++j) t[j] = j == 0 ? eq_table(r) : std::vector<Fp2>(len);
    });
    const Fp2 *P = lp[k + 1].data(), *Q = lq[k + 1].data();
    parallel_chunks(len, size_t{1} << 13, [&](size_t b, size_t e, unsigned) {
      for (size_t x = b; x < e; ++x) {
        t[1][x] = P[2 * x];
        t[2][x] = P[2 * x + 1];
        t[3][x] = Q[2 * x];
        t[4][x] = Q[2 * x + 1];
      }
    });
    // eq * (p0 q1 + p1 q0 + lambda q0 q1)
    // eq * (p0 q1 + p1 q0 + lambda q0 q1), evaluated directly at X = 0, 2, 3.
    auto round = [lambda](const std::vector<std::vector<Fp2>>& tb, size_t b, size_t e,
                          std::vector<Fp2>& ev) {
      const auto &E = tb[0], &P0 = tb[1], &P1 = tb[2], &Q0 = tb[3], &Q1 = tb[4];
      auto term = [&](Fp2 e_, Fp2 p0, Fp2 p1, Fp2 q0, Fp2 q1) {
        return e_ * (p0 * q1 + p1 * q0 + lambda * (q0 * q1));
      };
      Fp2 s0, s2, s3;
      for (size_t i = b; i < e; ++i) {
        size_t lo = 2 * i, hi = lo + 1;
        Fp2 e0 = E[lo], de = E[hi] - e0, a0 = P0[lo], da = P0[hi] - a0, b0 = P1[lo],
            db = P1[hi] - b0, c0 = Q0[lo], dc = Q0[hi] - c0, d0 = Q1[lo], dd = Q1[hi] - d0;
        s0 += term(e0, a0, b0, c0, d0);
        Fp2 e2 = e0 + de + de, a2 = a0 + da + da, b2 = b0 + db + db, c2 = c0 + dc + dc,
            d2 = d0 + dd + dd;
        s2 += term(e2, a2, b2, c2, d2);
        s3 += term(e2 + de, a2 + da, b2 + db, c2 + dc, d2 + dd);
      }
      ev[0] += s0;
      ev[2] += s2;
      ev[3] += s3;
    };
    Point s = sumcheck_prove(ch, t, round, 3);
    ch.send_vals(std::vector<Fp2>{t[1][0], t[2][0], t[3][0], t[4][0]});
    Fp2 mu = ch.challenge("gkr-mu");
    r.clear();
    r.push_back(mu);
    r.insert(r.end(), s.begin(), s.end());
    if (k + 1 == n) {
      out.point = r;
      out.p = t[1][0] + mu * (t[2][0] - t[1][0]);
      out.q = t[3][0] + mu * (t[4][0] - t[3][0]);
    }
  }
  return out;
}

LeafClaim fraction_sum_verify(VerifierChannel& ch, unsigned n) {
  LeafClaim out;
  auto root = ch.recv_vals(2);
  out.root = {root[0], root[1]};
  Val cp = root[0], cq = root[1];
  Point r;
  for (unsigned k = 0; k < n; ++k) {
    Fp2 lambda = ch.challenge("gkr-lambda");
    auto sc = sumcheck_verify(ch, cp + lambda * cq, k, 3);
    auto v = ch.recv_vals(4);
    const Val &p0 = v[0], &p1 = v[1], &q0 = v[2], &q1 = v[3];
    Val expect = eq_eval(r, sc.point) * (p0 * q1 + p1 * q0 + lambda * (q0 * q1));
    ch.expect_eq(
        expect, sc.value,
        "lookup fractional-sum layer " + std::to_string(k) + ": sumcheck final check failed");
    Fp2 mu = ch.challenge("gkr-mu");
    r.clear();
    r.push_back(mu);
    r.insert(r.end(), sc.point.begin(), sc.point.end());
    cp = p0 + mu * (p1 - p0);
    cq = q0 + mu * (q1 - q0);
  }
  out.point = r;
  out.p = cp;
  out.q = cq;
  return out;
}

}  // namespace zk::lookup
