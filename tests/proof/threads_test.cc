// Proofs do not depend on the thread count: the parallel loops (eq tables,
// sumcheck rounds and folds, multilinear evaluations, LogUp fraction trees,
// Ligero row combinations and commitments, the integer executor) give
// byte-identical results with 1, 2 and 3 threads from the same randomness; a
// model with no prover randomness (everything public) proves to the same
// bytes; a zero-knowledge proof made with each thread count verifies.
#include <gtest/gtest.h>

#include <random>

#include "../support/onnx_builder.h"
#include "../support/random_field.h"
#include "field/parallel.h"
#include "hash/channel.h"
#include "hash/random.h"
#include "hash/transcript.h"
#include "lookup/logup.h"
#include "pcs/ligero/ligero.h"
#include "poly/mle.h"
#include "proof/api.h"
#include "sumcheck/sumcheck.h"

namespace zk {
namespace {

using testing::RandomFp;
using testing::RandomFp2;
using testing::RandomPoint;

// Runs f with n threads (restoring the default) and returns what it returns.
template <typename F>
auto with_threads(unsigned n, F&& f) {
  set_num_threads(n);
  struct Restore {
    ~Restore() { set_num_threads(0); }
  } restore;
  return f();
}

// f's result with 1, 2 and 3 threads must be equal.
template <typename F>
void expect_same_for_thread_counts(F&& f, const char* what) {
  auto one = with_threads(1, f);
  EXPECT_EQ(one, with_threads(2, f)) << what << ": 2 threads differ from 1";
  EXPECT_EQ(one, with_threads(3, f)) << what << ": 3 threads differ from 1";
}

TEST(Threads, TheCountCanBeSetAndRestored) {
  set_num_threads(3);
  EXPECT_EQ(num_threads(), 3u);
  set_num_threads(1);
  EXPECT_EQ(num_threads(), 1u);
  set_num_threads(0);
  EXPECT_EQ(num_threads(), default_num_threads());
  EXPECT_THROW(set_num_threads(kMaxThreads + 1), std::invalid_argument);
}

TEST(Threads, EqTablesAndEvaluationsAreIdentical) {
  std::mt19937_64 rng(1);
  Point r = RandomPoint(rng, 18);
  std::vector<Fp> v(size_t{1} << 18);
  for (auto& x : v) x = RandomFp(rng);
  std::vector<int64_t> ints(size_t{1} << 18);
  for (auto& x : ints) x = static_cast<int64_t>(rng() % 2001) - 1000;
  auto eq = eq_table(r);
  for (size_t x : {size_t{0}, size_t{12345}, eq.size() - 1}) EXPECT_EQ(eq[x], eq_at_index(r, x));
  expect_same_for_thread_counts([&] { return eq_table(r); }, "eq table");
  expect_same_for_thread_counts([&] { return mle_eval(std::span<const Fp>(v), r); }, "mle_eval");
  expect_same_for_thread_counts([&] { return mle_eval_int(ints, r); }, "mle_eval_int");
  expect_same_for_thread_counts(
      [&] { return fold_high_int(ints, Point(r.begin(), r.begin() + 5)); }, "fold_high_int");
  // The blocked evaluation agrees with the eq-weighted sum.
  Fp2 direct;
  for (size_t x = 0; x < v.size(); ++x) direct += eq[x] * Fp2(v[x]);
  EXPECT_EQ(mle_eval(std::span<const Fp>(v), r), direct);
}

TEST(Threads, SumchecksAndFractionTreesSendTheSameBytes) {
  std::mt19937_64 rng(2);
  std::vector<std::vector<Fp2>> tables(3, std::vector<Fp2>(size_t{1} << 16));
  for (auto& t : tables)
    for (auto& x : t) x = RandomFp2(rng);
  std::vector<Fp2> p(size_t{1} << 16), q(p.size());
  for (size_t i = 0; i < p.size(); ++i) p[i] = RandomFp2(rng), q[i] = RandomFp2(rng);
  expect_same_for_thread_counts(
      [&] {
        ProverChannel ch{Transcript("threads-test")};
        auto t = tables;
        sumcheck_prove(ch, t, {{Fp2::one(), {0, 1, 2}}, {Fp2(Fp(5)), {1}}}, 3);
        return ch.bytes();
      },
      "sumcheck");
  expect_same_for_thread_counts(
      [&] {
        ProverChannel ch{Transcript("threads-test")};
        lookup::fraction_sum_prove(ch, p, q);
        return ch.bytes();
      },
      "fraction tree");
}

TEST(Threads, LigeroCommitmentsAndOpeningsWithFixedRandomnessAreIdentical) {
  std::mt19937_64 rng(3);
  std::vector<Fp> v(size_t{1} << 16);
  for (auto& x : v) x = RandomFp(rng);
  Point z = RandomPoint(rng, 16);
  for (bool hiding : {false, true}) {
    auto params = pcs::choose_params(16, hiding, 0);
    expect_same_for_thread_counts(
        [&] {
          Prng prng(Digest{7});
          auto d = pcs::ligero_commit(v, params, &prng);
          ProverChannel ch{Transcript("threads-test")};
          pcs::ligero_open(ch, d, z);
          auto bytes = ch.bytes();
          bytes.insert(bytes.end(), d.tree.root().begin(), d.tree.root().end());
          return bytes;
        },
        hiding ? "hiding Ligero" : "Ligero");
  }
}

// Conv (8 output channels) -> Relu -> Gemm: the executor's conv and matrix
// loops, lookups and the Ligero commitment all run in chunks.
zk::testing::Builder small_cnn() {
  using zk::testing::Builder;
  using zk::testing::iota_data;
  Builder b(13);
  b.input("x", {1, 2, 16, 16})
      .init("w", {8, 2, 3, 3}, iota_data(144, 0.4f, 0.0f))
      .init("b", {8}, iota_data(8, 0.1f, 0.0f))
      .init("fw", {10, 8 * 16 * 16}, iota_data(10 * 8 * 16 * 16, 0.05f, 0.0f))
      .init("fb", {10}, iota_data(10, 0.1f, 0.0f));
  Builder::ints(b.node("Conv", {"x", "w", "b"}, {"c"}), "pads", {1, 1, 1, 1});
  b.node("Relu", {"c"}, {"r"});
  b.node("Flatten", {"r"}, {"f"});
  Builder::integer(b.node("Gemm", {"f", "fw", "fb"}, {"y"}), "transB", 1);
  b.output("y", 2);
  return b;
}

TEST(Threads, ProofsDoNotDependOnTheThreadCount) {
  auto g = small_cnn().import("threads_cnn.onnx");
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> u(-1.f, 1.f);
  std::vector<std::vector<float>> cal(1), input(1);
  for (int i = 0; i < 8 * 512; ++i) cal[0].push_back(u(rng));
  for (int i = 0; i < 512; ++i) input[0].push_back(u(rng));
  // All public: the prover draws no randomness, so the bytes must agree.
  auto keys = proof::setup(quant::quantize(g, cal));
  expect_same_for_thread_counts(
      [&] { return proof::save_proof(proof::prove(keys.pk, input).proof); }, "public proof");
  // Zero knowledge (private input, committed weights): fresh randomness per
  // proof; each verifies and states the same output.
  quant::QuantOptions opt;
  opt.input_vis = circuit::Visibility::kPrivate;
  opt.weight_vis = circuit::Visibility::kCommitted;
  auto zk_keys = proof::setup(quant::quantize(g, cal, opt));
  std::vector<std::vector<float>> outputs;
  for (unsigned t : {1u, 2u, 3u}) {
    auto res = with_threads(t, [&] { return proof::prove(zk_keys.pk, input); });
    auto r = with_threads(t, [&] { return proof::verify(zk_keys.vk, res.proof); });
    ASSERT_TRUE(r.ok) << t << " threads: " << r.reason;
    outputs.push_back(r.outputs[0]);
  }
  EXPECT_EQ(outputs[0], outputs[1]);
  EXPECT_EQ(outputs[0], outputs[2]);
}

}  // namespace
}  // namespace zk
