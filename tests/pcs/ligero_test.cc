// Unit tests for src/pcs/ligero.h and src/pcs/batch.h: honest openings verify,
// and each kind of tampering is rejected by the check that names it.
#include "pcs/ligero/ligero.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "../support/random_field.h"
#include "field/ntt.h"
#include "pcs/ligero/batch.h"

namespace zk::pcs {
namespace {

using zk::testing::RandomFp;
using zk::testing::RandomFp2;
using zk::testing::RandomPoint;
using zk::testing::RandomValues;

LigeroParams Shape(unsigned log_rows, unsigned log_cols) {
  LigeroParams p;
  p.log_rows = log_rows;
  p.log_cols = log_cols;
  return p;
}

// Both sides bind the commitment root before the opening.
Transcript BoundTranscript(const LigeroCommitment& c) {
  Transcript t("ligero-test");
  t.absorb("root", c.root);
  return t;
}

std::vector<uint8_t> Open(const LigeroProverData& d, const Point& z) {
  ProverChannel pc(BoundTranscript(d.commitment()));
  ligero_open(pc, d, z);
  return pc.take_bytes();
}

// Verifies and returns the VerifyError message ("" on success).
std::string VerifyMessage(const std::vector<uint8_t>& proof, const LigeroParams& params,
                          const LigeroCommitment& c, const Point& z, Fp2 value,
                          const LigeroCommitment* transcript_commitment = nullptr) {
  VerifierChannel vc(BoundTranscript(transcript_commitment ? *transcript_commitment : c), proof);
  try {
    ligero_verify(vc, params, c, z, value);
    vc.finish();
  } catch (const VerifyError& e) {
    return e.what();
  }
  return "";
}

// A re-implementation of ligero_open that lets the test alter w (the
// proximity combination) and u (the evaluation combination) before they are
// sent, while following the protocol honestly otherwise (same transcript
// flow, honest columns and Merkle paths).
using Tamper = std::function<void(std::vector<Fp2>& w, std::vector<Fp2>& u)>;
std::vector<uint8_t> OpenWith(const LigeroProverData& d, const Point& z, const Tamper& tamper) {
  const auto& p = d.params;
  ProverChannel pc(BoundTranscript(d.commitment()));
  Point z_row(z.begin() + p.log_cols, z.end());
  Fp2 gamma = pc.challenge("ligero-proximity");
  auto e = eq_table(z_row);
  std::vector<Fp2> w(p.cols()), u(p.cols());
  Fp2 g = Fp2::one();
  for (size_t i = 0; i < p.rows(); ++i) {
    for (size_t j = 0; j < p.cols(); ++j) {
      Fp x = d.values[i * p.cols() + j];
      w[j] += g * x;
      u[j] += e[i] * x;
    }
    g *= gamma;
  }
  tamper(w, u);
  pc.send(w);
  pc.send(u);
  ligero_send_columns(pc, d);
  return pc.take_bytes();
}

// Without the multi-proof's sharing and with every query distinct: an upper
// bound on the opening's size; the vectors alone are a lower bound.
size_t MaxProofSize(const LigeroParams& p) {
  return 2 * p.cols() * 16 + p.queries * (p.rows() * 8 + 32 * (p.log_cols + p.log_blowup));
}

// ---------------------------------------------------------------------------
// Parameters.

TEST(LigeroParamsTest, ChooseParamsCoversAllVariablesWithEnoughSecurity) {
  for (unsigned n = 0; n <= 26; ++n) {
    SCOPED_TRACE(n);
    LigeroParams p = choose_params(n);
    EXPECT_EQ(p.num_vars(), n);
    EXPECT_GE(security_bits(p), 105.0);
    EXPECT_EQ(p.code_len(), p.cols() * 4);
  }
}

TEST(LigeroParamsTest, SecurityBitsKnownAnswer) {
  // -155 * log2(1 - 3/8) = 105.1 for rate 1/4.
  LigeroParams p;
  EXPECT_NEAR(security_bits(p), 155 * -std::log2(0.625), 1e-9);
  p.queries = 74;
  EXPECT_NEAR(security_bits(p), 50.177, 0.01);
  p.queries = 100;
  p.log_blowup = 1;  // rate 1/2: delta = 1/4
  EXPECT_NEAR(security_bits(p), 100 * -std::log2(0.75), 1e-9);
}

TEST(LigeroParamsTest, ChooseParamsBalancesTheMatrix) {
  // For a large vector neither extreme shape is optimal.
  LigeroParams p = choose_params(20);
  EXPECT_GT(p.log_rows, 0u);
  EXPECT_GT(p.log_cols, 0u);
}

// ---------------------------------------------------------------------------
// Commit / open / verify.

class LigeroShapeTest : public ::testing::TestWithParam<std::pair<unsigned, unsigned>> {};

TEST_P(LigeroShapeTest, HonestOpeningVerifies) {
  auto [log_rows, log_cols] = GetParam();
  LigeroParams params = Shape(log_rows, log_cols);
  std::mt19937_64 rng(log_rows * 100 + log_cols);
  auto values = RandomValues(rng, size_t{1} << params.num_vars());
  auto data = ligero_commit(values, params);
  EXPECT_EQ(data.values, values);
  EXPECT_EQ(data.encoded_cols.size(), params.code_len() * params.rows());
  for (int rep = 0; rep < 2; ++rep) {
    Point z = RandomPoint(rng, params.num_vars());
    Fp2 value = mle_eval(std::span<const Fp>(values), z);
    auto proof = Open(data, z);
    EXPECT_LE(proof.size(), MaxProofSize(params));
    EXPECT_GT(proof.size(), 2 * params.cols() * 16);
    EXPECT_EQ(VerifyMessage(proof, params, data.commitment(), z, value), "");
  }
}

TEST_P(LigeroShapeTest, WrongClaimedValueRejected) {
  auto [log_rows, log_cols] = GetParam();
  LigeroParams params = Shape(log_rows, log_cols);
  std::mt19937_64 rng(7 + log_rows * 100 + log_cols);
  auto values = RandomValues(rng, size_t{1} << params.num_vars());
  auto data = ligero_commit(values, params);
  Point z = RandomPoint(rng, params.num_vars());
  Fp2 value = mle_eval(std::span<const Fp>(values), z);
  auto proof = Open(data, z);
  std::string msg = VerifyMessage(proof, params, data.commitment(), z, value + Fp2::one());
  EXPECT_NE(msg.find("evaluation does not match"), std::string::npos) << msg;
}

INSTANTIATE_TEST_SUITE_P(Shapes, LigeroShapeTest,
                         ::testing::Values(std::pair{0u, 0u}, std::pair{0u, 3u}, std::pair{3u, 0u},
                                           std::pair{2u, 3u}, std::pair{4u, 4u}, std::pair{5u, 2u}),
                         [](const auto& info) {
                           return "rows" + std::to_string(info.param.first) + "_cols" +
                                  std::to_string(info.param.second);
                         });

TEST(LigeroTest, ChosenParamsRoundTrip) {
  std::mt19937_64 rng(11);
  for (unsigned n : {1u, 6u, 11u}) {
    SCOPED_TRACE(n);
    LigeroParams params = choose_params(n);
    auto values = RandomValues(rng, size_t{1} << n);
    auto data = ligero_commit(values, params);
    Point z = RandomPoint(rng, n);
    auto proof = Open(data, z);
    EXPECT_EQ(VerifyMessage(proof, params, data.commitment(), z,
                            mle_eval(std::span<const Fp>(values), z)),
              "");
  }
}

TEST(LigeroTest, CommitmentIsDeterministicAndBindsValues) {
  std::mt19937_64 rng(12);
  LigeroParams params = Shape(3, 3);
  auto values = RandomValues(rng, 64);
  auto a = ligero_commit(values, params), b = ligero_commit(values, params);
  EXPECT_EQ(a.commitment().root, b.commitment().root);
  values[17] += Fp::one();
  EXPECT_NE(ligero_commit(values, params).commitment().root, a.commitment().root);
}

TEST(LigeroTest, EncodedMatrixHoldsReedSolomonEncodedRowsColumnMajor) {
  std::mt19937_64 rng(13);
  LigeroParams params = Shape(2, 3);
  auto values = RandomValues(rng, 32);
  auto d = ligero_commit(values, params);
  for (size_t i = 0; i < params.rows(); ++i) {
    auto row = rs_encode(values.data() + i * params.cols(), params.cols(), 4);
    ASSERT_EQ(row.size(), params.code_len());
    for (size_t j = 0; j < params.code_len(); ++j)
      ASSERT_EQ(d.encoded_cols[j * params.rows() + i], row[j]) << "row " << i << " col " << j;
    // Column 0 is the evaluation at 1: the sum of the row's coefficients.
    Fp at_one = Fp::zero();
    for (size_t j = 0; j < params.cols(); ++j) at_one += values[i * params.cols() + j];
    EXPECT_EQ(d.encoded_cols[i], at_one) << "row " << i;
  }
  EXPECT_EQ(d.tree.num_leaves(), params.code_len());
}

TEST(LigeroTest, EvaluationVectorIsFoldOverRows) {
  // The u vector sent (after w) is the row combination eq(z_row, i): the low
  // log_cols variables of the committed vector select the column.
  std::mt19937_64 rng(14);
  LigeroParams params = Shape(3, 2);
  auto values = RandomValues(rng, 32);
  auto data = ligero_commit(values, params);
  Point z = RandomPoint(rng, 5);
  auto proof = Open(data, z);
  VerifierChannel vc(BoundTranscript(data.commitment()), proof);
  (void)vc.challenge("ligero-proximity");
  (void)vc.recv(params.cols());  // w
  auto u = vc.recv(params.cols());
  std::vector<Fp2> ext(values.begin(), values.end());
  EXPECT_EQ(u, fold_high(ext, Point(z.begin() + 2, z.end())));
}

TEST(LigeroTest, ReimplementedOpeningMatchesLibrary) {
  // Guards the tamper helper below: with no tampering it must be byte-identical.
  std::mt19937_64 rng(15);
  LigeroParams params = Shape(3, 3);
  auto data = ligero_commit(RandomValues(rng, 64), params);
  Point z = RandomPoint(rng, 6);
  EXPECT_EQ(OpenWith(data, z, [](auto&, auto&) {}), Open(data, z));
}

TEST(LigeroTest, TamperedColumnValueRejectedByMerkleCheck) {
  std::mt19937_64 rng(16);
  LigeroParams params = Shape(3, 3);
  auto values = RandomValues(rng, 64);
  auto data = ligero_commit(values, params);
  Point z = RandomPoint(rng, 6);
  Fp2 value = mle_eval(std::span<const Fp>(values), z);
  auto proof = Open(data, z);
  const size_t first_col = 2 * params.cols() * 16;
  // Opened columns come first, one after another: tamper the first two.
  for (size_t q : {size_t{0}, size_t{1}}) {
    for (size_t row : {size_t{0}, params.rows() - 1}) {
      auto bad = proof;
      bad[first_col + q * params.rows() * 8 + row * 8] ^= 1;  // stays canonical (low bit)
      std::string msg = VerifyMessage(bad, params, data.commitment(), z, value);
      EXPECT_NE(msg.find("Merkle paths"), std::string::npos)
          << "column " << q << " row " << row << ": " << msg;
    }
  }
  // A tampered sibling digest of the multi-proof (the last bytes) too.
  auto bad = proof;
  bad[bad.size() - 5] ^= 0x10;
  std::string msg = VerifyMessage(bad, params, data.commitment(), z, value);
  EXPECT_NE(msg.find("Merkle paths"), std::string::npos) << msg;
}

TEST(LigeroTest, TamperedProximityVectorRejected) {
  std::mt19937_64 rng(17);
  LigeroParams params = Shape(3, 3);
  auto values = RandomValues(rng, 64);
  auto data = ligero_commit(values, params);
  Point z = RandomPoint(rng, 6);
  Fp2 value = mle_eval(std::span<const Fp>(values), z);
  auto proof = OpenWith(data, z, [](auto& w, auto&) { w[2] += Fp2::one(); });
  std::string msg = VerifyMessage(proof, params, data.commitment(), z, value);
  EXPECT_NE(msg.find("proximity test failed"), std::string::npos) << msg;
  // Plain byte tampering of w (which also reshuffles the queries) is rejected too.
  auto raw = Open(data, z);
  raw[0] ^= 1;
  EXPECT_NE(VerifyMessage(raw, params, data.commitment(), z, value), "");
}

TEST(LigeroTest, TamperedEvaluationVectorRejected) {
  std::mt19937_64 rng(18);
  LigeroParams params = Shape(3, 3);
  auto values = RandomValues(rng, 64);
  auto data = ligero_commit(values, params);
  Point z = RandomPoint(rng, 6);
  Fp2 value = mle_eval(std::span<const Fp>(values), z);
  Point z_col(z.begin(), z.begin() + params.log_cols);
  // A change to u invisible to <u, eq(z_col)>: only the column checks can catch it.
  auto proof = OpenWith(data, z, [&](auto&, auto& u) {
    u[0] += eq_at_index(z_col, 1);
    u[1] -= eq_at_index(z_col, 0);
  });
  std::string msg = VerifyMessage(proof, params, data.commitment(), z, value);
  EXPECT_NE(msg.find("evaluation row inconsistent with column"), std::string::npos) << msg;
  // A change that moves the evaluation is caught by the evaluation check.
  auto moved = OpenWith(data, z, [](auto&, auto& u) { u[4] += Fp2::one(); });
  msg = VerifyMessage(moved, params, data.commitment(), z, value);
  EXPECT_NE(msg.find("evaluation does not match"), std::string::npos) << msg;
}

TEST(LigeroTest, WrongRootRejected) {
  std::mt19937_64 rng(19);
  LigeroParams params = Shape(2, 3);
  auto values = RandomValues(rng, 32);
  auto data = ligero_commit(values, params);
  Point z = RandomPoint(rng, 5);
  Fp2 value = mle_eval(std::span<const Fp>(values), z);
  auto proof = Open(data, z);
  LigeroCommitment wrong = data.commitment();
  wrong.root[0] ^= 1;
  // Same transcript as the prover, only the root checked against differs.
  LigeroCommitment honest = data.commitment();
  std::string msg = VerifyMessage(proof, params, wrong, z, value, &honest);
  EXPECT_NE(msg.find("do not match the commitment root"), std::string::npos) << msg;
  // The commitment to different values does not accept this proof either.
  auto other = ligero_commit(RandomValues(rng, 32), params);
  msg = VerifyMessage(proof, params, other.commitment(), z, value, &honest);
  EXPECT_NE(msg.find("do not match the commitment root"), std::string::npos) << msg;
}

TEST(LigeroTest, MalformedProofsRejected) {
  std::mt19937_64 rng(20);
  LigeroParams params = Shape(2, 2);
  auto values = RandomValues(rng, 16);
  auto data = ligero_commit(values, params);
  Point z = RandomPoint(rng, 4);
  Fp2 value = mle_eval(std::span<const Fp>(values), z);
  auto proof = Open(data, z);
  // Wrong point length.
  Point shorter(z.begin(), z.end() - 1);
  EXPECT_NE(VerifyMessage(proof, params, data.commitment(), shorter, value)
                .find("opening point has the wrong length"),
            std::string::npos);
  // Truncated and extended streams.
  auto truncated = proof;
  truncated.resize(proof.size() - 1);
  EXPECT_NE(VerifyMessage(truncated, params, data.commitment(), z, value).find("truncated"),
            std::string::npos);
  auto extended = proof;
  extended.push_back(0);
  EXPECT_NE(VerifyMessage(extended, params, data.commitment(), z, value).find("trailing"),
            std::string::npos);
  // Opening at a different point with the old value.
  Point other = z;
  other[0] += Fp2::one();
  EXPECT_NE(VerifyMessage(proof, params, data.commitment(), other, value), "");
}

// ---------------------------------------------------------------------------
// Batched openings.

struct BatchSetup {
  LigeroParams params;
  std::vector<Fp> values;
  LigeroProverData data;
  std::vector<BlockClaim> claims;
};

BatchSetup MakeBatch(unsigned num_vars, std::mt19937_64& rng) {
  BatchSetup s;
  s.params = choose_params(num_vars);
  s.values = RandomValues(rng, size_t{1} << num_vars);
  s.data = ligero_commit(s.values, s.params);
  // {offset, block log-size}: blocks of several sizes, including the whole
  // vector, single elements and overlapping blocks.
  const std::pair<size_t, unsigned> blocks[] = {
      {0, 4}, {48, 4}, {512, 9}, {0, num_vars}, {1020, 2}, {7, 0}, {256, 8}, {64, 6}, {64, 6}};
  for (auto [offset, k] : blocks) {
    BlockClaim c;
    c.offset = offset;
    c.point = RandomPoint(rng, k);
    c.value = mle_eval(std::span<const Fp>(s.values.data() + offset, size_t{1} << k), c.point);
    s.claims.push_back(c);
  }
  return s;
}

std::string BatchVerifyMessage(const std::vector<uint8_t>& proof, const BatchSetup& s,
                               const std::vector<BlockClaim>& claims) {
  VerifierChannel vc(BoundTranscript(s.data.commitment()), proof);
  try {
    batch_open_verify(vc, s.params, s.data.commitment(), claims);
    vc.finish();
  } catch (const VerifyError& e) {
    return e.what();
  }
  return "";
}

std::vector<uint8_t> BatchProve(const BatchSetup& s) {
  ProverChannel pc(BoundTranscript(s.data.commitment()));
  batch_open_prove(pc, s.data, s.claims);
  return pc.take_bytes();
}

TEST(BatchOpenTest, ManyBlockClaimsVerify) {
  std::mt19937_64 rng(30);
  BatchSetup s = MakeBatch(10, rng);
  auto proof = BatchProve(s);
  EXPECT_EQ(BatchVerifyMessage(proof, s, s.claims), "");
}

TEST(BatchOpenTest, SingleClaimVerifies) {
  std::mt19937_64 rng(31);
  BatchSetup s = MakeBatch(10, rng);
  s.claims.resize(1);
  EXPECT_EQ(BatchVerifyMessage(BatchProve(s), s, s.claims), "");
}

TEST(BatchOpenTest, TinyVectors) {
  std::mt19937_64 rng(37);
  for (unsigned n : {0u, 1u, 2u}) {
    SCOPED_TRACE(n);
    BatchSetup s;
    s.params = choose_params(n);
    s.values = RandomValues(rng, size_t{1} << n);
    s.data = ligero_commit(s.values, s.params);
    for (size_t i = 0; i < s.values.size(); ++i)
      s.claims.push_back({i, {}, Fp2(s.values[i])});  // every single element
    BlockClaim whole{0, RandomPoint(rng, n), Fp2::zero()};
    whole.value = mle_eval(std::span<const Fp>(s.values), whole.point);
    s.claims.push_back(whole);
    auto proof = BatchProve(s);
    EXPECT_EQ(BatchVerifyMessage(proof, s, s.claims), "");
    auto bad = s.claims;
    bad[0].value += Fp2::one();
    EXPECT_NE(BatchVerifyMessage(proof, s, bad).find("batched opening"), std::string::npos);
  }
}

TEST(BatchOpenTest, OneWrongClaimValueRejected) {
  std::mt19937_64 rng(32);
  BatchSetup s = MakeBatch(10, rng);
  auto proof = BatchProve(s);
  for (size_t i = 0; i < s.claims.size(); ++i) {
    auto claims = s.claims;
    claims[i].value += Fp2::one();
    std::string msg = BatchVerifyMessage(proof, s, claims);
    EXPECT_NE(msg.find("batched opening"), std::string::npos) << "claim " << i << ": " << msg;
  }
}

TEST(BatchOpenTest, ProverWithWrongClaimIsRejected) {
  // A prover that believes a false claim (and batches it) cannot convince a
  // verifier holding the same false claim: the final opening disagrees.
  std::mt19937_64 rng(33);
  BatchSetup s = MakeBatch(10, rng);
  s.claims[2].value += Fp2::one();
  auto proof = BatchProve(s);
  EXPECT_NE(BatchVerifyMessage(proof, s, s.claims), "");
}

TEST(BatchOpenTest, WrongOffsetOrPointRejected) {
  std::mt19937_64 rng(34);
  BatchSetup s = MakeBatch(10, rng);
  auto proof = BatchProve(s);
  auto shifted = s.claims;
  shifted[1].offset += 16;  // a different block of the same size
  EXPECT_NE(BatchVerifyMessage(proof, s, shifted).find("batched opening"), std::string::npos);
  auto moved = s.claims;
  moved[0].point[0] += Fp2::one();
  EXPECT_NE(BatchVerifyMessage(proof, s, moved).find("batched opening"), std::string::npos);
}

TEST(BatchOpenTest, ClaimsOutsideTheVectorRejected) {
  std::mt19937_64 rng(35);
  BatchSetup s = MakeBatch(10, rng);
  auto proof = BatchProve(s);
  auto misaligned = s.claims;
  misaligned[0].offset = 3;  // not a multiple of 2^4
  EXPECT_NE(BatchVerifyMessage(proof, s, misaligned).find("outside the committed vector"),
            std::string::npos);
  auto beyond = s.claims;
  beyond[0].offset = 1024;
  EXPECT_NE(BatchVerifyMessage(proof, s, beyond).find("outside the committed vector"),
            std::string::npos);
  auto too_long = s.claims;
  too_long[0].point = Point(11, Fp2::one());
  too_long[0].offset = 0;
  EXPECT_NE(BatchVerifyMessage(proof, s, too_long).find("outside the committed vector"),
            std::string::npos);
}

TEST(BatchOpenTest, OffsetNearSizeMaxRejected) {
  // offset + 2^k must not wrap around: an aligned offset of 2^64 - 16 is far
  // outside a 1024-element vector and must be rejected, not aliased to a block
  // inside it.
  std::mt19937_64 rng(36);
  BatchSetup s = MakeBatch(10, rng);
  s.claims.resize(1);
  s.claims[0].offset = 1008;  // the last 16-element block
  s.claims[0].point = RandomPoint(rng, 4);
  s.claims[0].value = mle_eval(std::span<const Fp>(s.values.data() + 1008, 16), s.claims[0].point);
  auto proof = BatchProve(s);
  ASSERT_EQ(BatchVerifyMessage(proof, s, s.claims), "");
  auto wrapped = s.claims;
  wrapped[0].offset = SIZE_MAX - 15;  // 2^64 - 16, a multiple of 16
  std::string msg = BatchVerifyMessage(proof, s, wrapped);
  EXPECT_NE(msg.find("outside the committed vector"), std::string::npos)
      << "an offset that wraps around size_t was not rejected by the range check; "
      << "verifier said: \"" << msg << "\" (empty = accepted)";
}

}  // namespace
}  // namespace zk::pcs
