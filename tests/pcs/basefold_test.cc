// Unit tests for src/pcs/basefold: honest openings of several sizes and
// shapes verify, batched block claims through the MultilinearPcs interface,
// and every part of an opening altered (each round polynomial, folded root,
// folded oracle, final message, opened pair and Merkle node) is rejected by
// the check that names it.
#include "pcs/basefold/basefold.h"

#include <gtest/gtest.h>

#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "../support/random_field.h"
#include "pcs/basefold/basefold_pcs.h"

namespace zk::pcs {
namespace {

using zk::testing::RandomFp;
using zk::testing::RandomFp2;
using zk::testing::RandomPoint;
using zk::testing::RandomValues;

Transcript Bound(const Digest& root) {
  Transcript t("basefold-test");
  t.absorb("root", root);
  return t;
}

BasefoldParams Params(unsigned n, unsigned log_blowup, unsigned final_vars, unsigned log_arity) {
  BasefoldParams p = basefold_params(n, log_blowup);
  p.final_vars = final_vars;
  p.log_arity = log_arity;
  return p;
}

// One evaluation claim at a random full point, with weight 1.
struct Case {
  BasefoldProverData data;
  std::vector<BlockClaim> claims;
  std::vector<Fp2> weights{Fp2::one()};
  Fp2 sum;
};

Case MakeCase(const BasefoldParams& p, uint64_t seed) {
  std::mt19937_64 rng(seed);
  Case c;
  auto values = RandomValues(rng, p.size());
  Point z = RandomPoint(rng, p.num_vars);
  c.sum = mle_eval(std::span<const Fp>(values), z);
  c.claims.push_back({0, z, c.sum});
  c.data = basefold_commit(std::move(values), p);
  return c;
}

std::vector<uint8_t> Open(const Case& c, const BasefoldHooks* hooks = nullptr) {
  ProverChannel pc(Bound(c.data.tree.root()));
  basefold_open(pc, c.data, c.claims, c.weights, hooks);
  return pc.take_bytes();
}

// "" when the opening verifies, else the reason.
std::string Verdict(const Case& c, const std::vector<uint8_t>& proof, Fp2 sum) {
  const Digest root = c.data.tree.root();
  VerifierChannel vc(Bound(root), proof);
  try {
    basefold_verify(vc, c.data.params, root, c.claims, c.weights, sum);
    vc.finish();
    return "";
  } catch (const VerifyError& e) {
    return e.what();
  }
}

std::string TamperedVerdict(const Case& c, const BasefoldHooks& hooks) {
  return Verdict(c, Open(c, &hooks), c.sum);
}

#define EXPECT_REASON(verdict, reason) \
  EXPECT_NE((verdict).find(reason), std::string::npos) << (verdict)

// ---------------------------------------------------------------------------
// Parameters.

TEST(BasefoldParamsTest, EnoughSecurityForEverySize) {
  for (unsigned n = 0; n <= 28; ++n) {
    SCOPED_TRACE(n);
    BasefoldParams p = basefold_params(n);
    EXPECT_EQ(p.num_vars, n);
    EXPECT_LE(p.final_vars, n);
    EXPECT_GE(basefold_query_bits(p), 105.0);
    if (n <= 25) {  // beyond, the folds' proximity gaps alone pass 2^-100
      EXPECT_GE(basefold_security_bits(p), 100.0);
    }
  }
}

TEST(BasefoldParamsTest, QueryBitsKnownAnswer) {
  // Rate 1/4: a far word passes a query with probability at most 5/8.
  BasefoldParams p = basefold_params(10, 2);
  EXPECT_EQ(p.queries, 155u);
  EXPECT_NEAR(basefold_query_bits(p), 155 * -std::log2(0.625), 1e-9);
  EXPECT_EQ(basefold_params(10, 1).queries, 253u);  // 105 / -log2(3/4)
  EXPECT_EQ(basefold_params(10, 3).queries, 127u);  // 105 / -log2(9/16)
}

// ---------------------------------------------------------------------------
// Honest openings.

TEST(BasefoldTest, HonestOpeningsVerifyAtSeveralSizes) {
  for (unsigned n : {0u, 1u, 4u, 8u, 12u, 16u}) {
    SCOPED_TRACE(n);
    Case c = MakeCase(basefold_params(n), n);
    auto proof = Open(c);
    EXPECT_EQ(Verdict(c, proof, c.sum), "");
    EXPECT_REASON(Verdict(c, proof, c.sum + Fp2::one()),
                  n == 0 ? "final sumcheck value" : "sumcheck round 0 does not sum");
    if (n >= 12)
      std::cout << "basefold 2^" << n << ": " << proof.size() << " bytes (estimate "
                << basefold_estimated_bytes(c.data.params) << ")\n";
  }
}

TEST(BasefoldTest, EveryRateArityAndFinalMessageSize) {
  for (unsigned lb = 1; lb <= 4; ++lb)
    for (unsigned k = 1; k <= 4; ++k)
      for (unsigned d : {0u, 1u, 3u, 7u}) {  // d = 7 = n: no folds at all
        SCOPED_TRACE(std::to_string(lb) + "/" + std::to_string(k) + "/" + std::to_string(d));
        Case c = MakeCase(Params(7, lb, d, k), 100 * lb + 10 * k + d);
        EXPECT_EQ(Verdict(c, Open(c), c.sum), "");
        EXPECT_NE(Verdict(c, Open(c), c.sum - Fp2::one()), "");
      }
}

TEST(BasefoldTest, SaveAndLoadGiveTheSameOpening) {
  Case c = MakeCase(basefold_params(9), 3);
  ByteWriter w;
  basefold_save(w, c.data);
  ByteReader r(w.buf().data(), w.buf().size(), "key");
  Case loaded = c;
  const FpStore codeword(c.data.codeword);
  loaded.data = basefold_load(r, c.data.params, c.data.values, codeword);
  EXPECT_EQ(loaded.data.codeword, c.data.codeword);
  EXPECT_EQ(Open(loaded), Open(c));
  ByteReader bad(w.buf().data(), w.buf().size(), "key");
  EXPECT_THROW(basefold_load(bad, basefold_params(10), c.data.values, codeword), Error);
  // A non-canonical codeword entry is refused.
  auto cw = c.data.codeword;
  cw[5].v = Fp::kModulus;  // not reduced
  ByteReader again(w.buf().data(), w.buf().size(), "key");
  EXPECT_THROW(basefold_load(again, c.data.params, c.data.values, FpStore(cw)), Error);
}

// Claims on blocks of the vector (one overlapping another), through the
// interface alone; a wrong value is rejected.
TEST(BasefoldTest, BatchedBlockClaimsThroughTheInterface) {
  std::mt19937_64 rng(5);
  const unsigned n = 11;
  BasefoldPcs scheme = BasefoldPcs::plain(n);
  auto values = RandomValues(rng, size_t{1} << n);
  auto data = scheme.commit(values, nullptr);
  const Digest root = BasefoldPcs::root(data);
  std::vector<BlockClaim> claims;
  for (auto [k, block] : {std::pair{n, 0}, {n - 2, 1}, {n - 3, 2}, {4u, 7}}) {
    size_t offset = (size_t{1} << k) * block;
    Point p = RandomPoint(rng, k);
    claims.push_back(
        {offset, p, mle_eval(std::span<const Fp>(values.data() + offset, size_t{1} << k), p)});
  }
  auto verdict = [&](const std::vector<uint8_t>& proof, auto&& verify) {
    VerifierChannel vc(Bound(root), proof);
    try {
      verify(vc);
      vc.finish();
      return std::string();
    } catch (const VerifyError& e) {
      return std::string(e.what());
    }
  };
  ProverChannel pc(Bound(root));
  scheme.open(pc, data, claims);
  auto proof = pc.take_bytes();
  EXPECT_EQ(verdict(proof, [&](VerifierChannel& vc) { scheme.verify(vc, root, claims); }), "");
  for (size_t i = 0; i < claims.size(); ++i) {
    auto wrong = claims;
    wrong[i].value += Fp2::one();
    EXPECT_REASON(verdict(proof, [&](VerifierChannel& vc) { scheme.verify(vc, root, wrong); }),
                  "sumcheck round 0");
  }
  // Weighted: the sum of weighted claims, claim values unused.
  std::vector<Fp2> weights;
  Fp2 sum = Fp2::zero();
  for (const auto& cl : claims) {
    weights.push_back(RandomFp2(rng));
    sum += weights.back() * cl.value;
  }
  ProverChannel pw(Bound(root));
  scheme.open_weighted(pw, data, claims, weights);
  auto wproof = pw.take_bytes();
  EXPECT_EQ(
      verdict(wproof,
              [&](VerifierChannel& vc) { scheme.verify_weighted(vc, root, claims, weights, sum); }),
      "");
  EXPECT_NE(verdict(wproof,
                    [&](VerifierChannel& vc) {
                      scheme.verify_weighted(vc, root, claims, weights, sum + Fp2::one());
                    }),
            "");
  // Claims outside the committed vector (misaligned, beyond its end) and a
  // weight list of the wrong length are refused before any sumcheck.
  for (auto [offset, k] : {std::pair<size_t, unsigned>{8, 4}, {size_t{1} << n, 4}, {0, n + 1}}) {
    auto bad = claims;
    bad[3].offset = offset;
    bad[3].point = RandomPoint(rng, k);
    EXPECT_REASON(verdict(proof, [&](VerifierChannel& vc) { scheme.verify(vc, root, bad); }),
                  "outside the committed vector");
  }
  EXPECT_REASON(verdict(wproof,
                        [&](VerifierChannel& vc) {
                          std::vector<Fp2> short_w(weights.begin(), weights.end() - 1);
                          scheme.verify_weighted(vc, root, claims, short_w, sum);
                        }),
                "one weight per claim");
  // Another commitment's root is refused.
  auto other = scheme.commit(RandomValues(rng, size_t{1} << n), nullptr);
  VerifierChannel vc(Bound(root), proof);
  EXPECT_THROW(scheme.verify(vc, BasefoldPcs::root(other), claims), VerifyError);
  EXPECT_FALSE(scheme.hiding());
  ProverChannel pz(Bound(root));
  EXPECT_THROW(scheme.open_zk(pz, data, claims[0].point), std::logic_error);
}

// ---------------------------------------------------------------------------
// Tampering: n = 8, six folds in three oracles (the commitment and two
// folded ones, two folds each), a final message of 2^2 values.

const BasefoldParams kTamper = Params(8, 2, 2, 2);

TEST(BasefoldTamperTest, HooksThatChangeNothingVerify) {
  Case c = MakeCase(kTamper, 7);
  BasefoldHooks h;
  h.round = [](unsigned, std::vector<Fp2>&) {};
  h.path = [](unsigned, std::vector<Digest>&) {};
  EXPECT_EQ(TamperedVerdict(c, h), "");
}

TEST(BasefoldTamperTest, EachRoundPolynomial) {
  Case c = MakeCase(kTamper, 8);
  for (unsigned round = 0; round < kTamper.num_vars; ++round)
    for (unsigned k = 0; k < 3; ++k) {
      SCOPED_TRACE(std::to_string(round) + "/" + std::to_string(k));
      BasefoldHooks h;
      h.round = [&](unsigned i, std::vector<Fp2>& ev) {
        if (i == round) ev[k] += Fp2::one();
      };
      std::string v = TamperedVerdict(c, h);
      if (k < 2)
        EXPECT_REASON(v, "sumcheck round " + std::to_string(round) + " does not sum");
      else if (round + 1 < kTamper.num_vars)  // h(2) moves the next round's claim
        EXPECT_REASON(v, "sumcheck round " + std::to_string(round + 1) + " does not sum");
      else
        EXPECT_REASON(v, "final sumcheck value does not match");
    }
}

TEST(BasefoldTamperTest, EachFoldedRootAndOracle) {
  Case c = MakeCase(kTamper, 9);
  for (unsigned oracle = 1; oracle < kTamper.num_oracles(); ++oracle) {
    SCOPED_TRACE(oracle);
    BasefoldHooks h;
    h.root = [&](unsigned i, Digest& root) {
      if (i == oracle) root[5] ^= 1;
    };
    EXPECT_REASON(TamperedVerdict(c, h),
                  "Merkle paths of folded oracle " + std::to_string(oracle) + " do not match");
    // A prover committing to a wrong fold (consistent Merkle tree).
    BasefoldHooks w;
    w.oracle = [&](unsigned i, std::vector<Fp2>& cw) {
      if (i == oracle)
        for (auto& x : cw) x += Fp2::one();
    };
    EXPECT_REASON(TamperedVerdict(c, w),
                  "folded oracle " + std::to_string(oracle) + " is not the fold of the one above");
  }
}

TEST(BasefoldTamperTest, FinalMessage) {
  for (unsigned d : {2u, 8u}) {  // 8: no folds, the whole polynomial in the clear
    SCOPED_TRACE(d);
    Case c = MakeCase(Params(8, 2, d, 2), 10 + d);
    for (size_t j = 0; j < (size_t{1} << d); j += 3) {
      BasefoldHooks h;
      h.final = [&](std::vector<Fp2>& msg) { msg[j] += Fp2::one(); };
      EXPECT_REASON(TamperedVerdict(c, h), d == 8 ? "codeword does not match the final message"
                                                  : "last fold does not match the final message");
    }
  }
}

std::string RootReason(unsigned oracle) {
  return oracle == 0 ? "Merkle paths of the opened codeword do not match the commitment root"
                     : "Merkle paths of folded oracle " + std::to_string(oracle) + " do not match";
}

TEST(BasefoldTamperTest, EachOpenedPairAndMerkleNode) {
  Case c = MakeCase(kTamper, 11);
  for (unsigned oracle = 0; oracle < kTamper.num_oracles(); ++oracle) {
    SCOPED_TRACE(oracle);
    for (unsigned side = 0; side < 4; ++side) {
      bool done = false;
      BasefoldHooks h;
      h.opened = [&](unsigned i, size_t, std::vector<Fp2>& leaf) {
        if (i == oracle && !done) leaf[side] += Fp2::one();
        done |= i == oracle;
      };
      EXPECT_REASON(TamperedVerdict(c, h), RootReason(oracle));
    }
    size_t nodes = 0;
    BasefoldHooks count;
    count.path = [&](unsigned i, std::vector<Digest>& p) {
      if (i == oracle) nodes = p.size();
    };
    Open(c, &count);
    // The last oracle is small enough that the queries open every leaf.
    if (oracle < 2) {
      EXPECT_GT(nodes, 0u);
    }
    for (size_t k = 0; k < nodes; ++k) {
      BasefoldHooks h;
      h.path = [&](unsigned i, std::vector<Digest>& p) {
        if (i == oracle) p[k][0] ^= 0x80;
      };
      EXPECT_REASON(TamperedVerdict(c, h), RootReason(oracle));
    }
  }
}

TEST(BasefoldTamperTest, AnyAlteredOrMissingByte) {
  Case c = MakeCase(kTamper, 12);
  auto proof = Open(c);
  for (size_t i = 0; i < proof.size(); i += 97) {
    auto bad = proof;
    bad[i] ^= 0x10;
    EXPECT_NE(Verdict(c, bad, c.sum), "") << "byte " << i;
  }
  auto cut = proof;
  cut.pop_back();
  EXPECT_NE(Verdict(c, cut, c.sum), "");
  auto longer = proof;
  longer.push_back(0);
  EXPECT_NE(Verdict(c, longer, c.sum), "");
}

}  // namespace
}  // namespace zk::pcs
