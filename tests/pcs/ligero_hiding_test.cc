// Hiding mode of the Ligero commitment: openings still verify, commitments to
// the same data differ, and what an opening reveals of the rows (the opened
// column symbols and the proximity combination) is uniformly distributed and
// independent of the committed data.
#include <gtest/gtest.h>

#include <cmath>

#include "../support/stats.h"
#include "pcs/ligero/ligero.h"

namespace zk::pcs {
namespace {

Digest seed(uint8_t k) {
  Digest d{};
  d[0] = k;
  return d;
}

std::vector<Fp> data(unsigned n, int kind) {
  std::vector<Fp> v(size_t{1} << n);
  for (size_t i = 0; i < v.size(); ++i) v[i] = kind == 0 ? Fp(0) : Fp(i * i + 7);
  return v;
}

struct Opened {
  std::vector<Fp2> w, u;
  std::vector<std::vector<Fp>> cols;
};

// Runs commit + open and parses the opening back out of the stream.
Opened open_once(const std::vector<Fp>& v, const LigeroParams& p, Prng& rng, bool* verified) {
  auto d = ligero_commit(v, p, &rng);
  Point z(p.num_vars());
  for (size_t i = 0; i < z.size(); ++i) z[i] = Fp2(Fp(3 + i), Fp(5));
  ProverChannel pc(Transcript("hiding-test"));
  ligero_open(pc, d, z);
  auto bytes = pc.take_bytes();
  VerifierChannel vc(Transcript("hiding-test"), bytes);
  bool ok = true;
  try {
    ligero_verify(vc, p, d.commitment(), z, mle_eval(std::span<const Fp>(d.values), z));
    vc.finish();
  } catch (const VerifyError&) {
    ok = false;
  }
  *verified = ok;
  Opened o;
  VerifierChannel rd(Transcript("hiding-test"), bytes);
  (void)rd.challenge("ligero-proximity");
  o.w = rd.recv(p.message_len());
  o.u = rd.recv(p.message_len());
  std::vector<size_t> sampled(p.queries);
  for (auto& idx : sampled) idx = rd.challenge_index("ligero-query", p.code_len());
  for (size_t k = 0; k < query_columns(sampled).size(); ++k) {
    o.cols.push_back(rd.recv_base(p.stored_rows()));
    if (p.hiding()) (void)rd.recv_digest();  // salt
  }
  return o;  // (the Merkle multi-proof follows)
}

TEST(LigeroHiding, ParametersKeepAtLeast100Bits) {
  for (unsigned n = 10; n <= 22; n += 3) {
    auto p = choose_params(n, true);
    EXPECT_TRUE(p.hiding());
    EXPECT_GE(p.mask_coeffs, p.queries);
    EXPECT_LE(p.message_len(), p.code_len());
    EXPECT_GE(security_bits(p), 105.0) << n;
  }
  EXPECT_FALSE(choose_params(12, false).hiding());
}

TEST(LigeroHiding, OpeningsVerifyAndCommitmentsAreFresh) {
  auto p = choose_params(12, true);
  auto v = data(12, 1);
  Prng a(seed(1)), b(seed(2)), a2(seed(1));
  auto ca = ligero_commit(v, p, &a), cb = ligero_commit(v, p, &b), ca2 = ligero_commit(v, p, &a2);
  EXPECT_NE(ca.tree.root(), cb.tree.root());   // same data, fresh randomness
  EXPECT_EQ(ca.tree.root(), ca2.tree.root());  // deterministic given the seed
  bool ok = false;
  Prng r(seed(3));
  open_once(v, p, r, &ok);
  EXPECT_TRUE(ok);
}

TEST(LigeroHiding, WrongValueAndTamperedSaltAreRejected) {
  auto p = choose_params(11, true);
  auto v = data(11, 1);
  Prng rng(seed(4));
  auto d = ligero_commit(v, p, &rng);
  Point z(p.num_vars(), Fp2(Fp(9)));
  ProverChannel pc(Transcript("t"));
  ligero_open(pc, d, z);
  auto bytes = pc.take_bytes();
  Fp2 value = mle_eval(std::span<const Fp>(d.values), z);
  {
    VerifierChannel vc(Transcript("t"), bytes);
    EXPECT_THROW(ligero_verify(vc, p, d.commitment(), z, value + Fp2::one()), VerifyError);
  }
  // The first salt sits right after the first opened column.
  size_t salt_pos = 2 * p.message_len() * 16 + p.stored_rows() * 8;
  bytes[salt_pos] ^= 1;
  VerifierChannel vc(Transcript("t"), bytes);
  try {
    ligero_verify(vc, p, d.commitment(), z, value);
    FAIL() << "tampered salt accepted";
  } catch (const VerifyError& e) {
    EXPECT_NE(std::string(e.what()).find("Merkle path"), std::string::npos) << e.what();
  }
}

TEST(LigeroHiding, OpenedSymbolsAreUniformAndIndependentOfTheData) {
  auto p = choose_params(10, true);
  Prng rng(seed(5));
  std::vector<uint64_t> sym[2], prox[2];
  for (int kind = 0; kind < 2; ++kind) {
    auto v = data(10, kind);
    for (int t = 0; t < 100; ++t) {
      bool ok = false;
      auto o = open_once(v, p, rng, &ok);
      ASSERT_TRUE(ok);
      for (const auto& col : o.cols)
        for (size_t i = 0; i < p.rows(); ++i) sym[kind].push_back(col[i].v);
      for (const auto& x : o.w) prox[kind].push_back(x.a.v);
    }
  }
  // 16 bins of the low 4 bits; threshold at the 0.1% level.
  for (int kind = 0; kind < 2; ++kind) {
    EXPECT_LT(zk::testing::chi_square_uniform(sym[kind]), zk::testing::kChiSquare15Critical)
        << "column symbols, data kind " << kind;
    EXPECT_LT(zk::testing::chi_square_uniform(prox[kind]), zk::testing::kChiSquare15Critical)
        << "proximity vector, data kind " << kind;
  }
  EXPECT_LT(zk::testing::chi_square_two_sample(sym[0], sym[1]), zk::testing::kChiSquare15Critical);
  EXPECT_LT(zk::testing::chi_square_two_sample(prox[0], prox[1]),
            zk::testing::kChiSquare15Critical);
  // Without hiding, the all-zero data opens to all-zero symbols: the test can fail.
  auto plain = choose_params(10, false);
  bool ok = false;
  auto o = open_once(data(10, 0), plain, rng, &ok);
  std::vector<uint64_t> zeros;
  for (const auto& col : o.cols)
    for (auto x : col) zeros.push_back(x.v);
  EXPECT_GT(zk::testing::chi_square_uniform(zeros), zk::testing::kChiSquare15Critical);
}

}  // namespace
}  // namespace zk::pcs
