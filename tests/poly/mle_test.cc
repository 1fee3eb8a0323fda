// Unit tests for src/poly/mle.h: eq tables, multilinear evaluation, folding
// and the prefix indicator, each checked against a brute-force definition.
#include "poly/mle.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <span>
#include <vector>

#include "../support/random_field.h"

namespace zk {
namespace {

using zk::testing::RandomFp;
using zk::testing::RandomFp2;
using zk::testing::RandomPoint;

// eq(r, x) straight from the definition, variable i = bit i of x.
Fp2 EqDefinition(const Point& r, size_t x) {
  Fp2 acc = Fp2::one();
  for (size_t i = 0; i < r.size(); ++i) {
    Fp2 xi = Fp2(Fp((x >> i) & 1));
    acc *= r[i] * xi + (Fp2::one() - r[i]) * (Fp2::one() - xi);
  }
  return acc;
}

// sum_x eq(r, x) v[x].
template <typename T>
Fp2 NaiveMle(const std::vector<T>& v, const Point& r) {
  Fp2 acc = Fp2::zero();
  for (size_t x = 0; x < v.size(); ++x) acc += EqDefinition(r, x) * Fp2(v[x]);
  return acc;
}

Point BooleanPoint(size_t x, size_t m) {
  Point r(m);
  for (size_t i = 0; i < m; ++i) r[i] = Fp2(Fp((x >> i) & 1));
  return r;
}

TEST(EqTest, TableIndexAndEvalAgree) {
  std::mt19937_64 rng(1);
  for (size_t m = 0; m <= 7; ++m) {
    SCOPED_TRACE(m);
    Point r = RandomPoint(rng, m);
    auto table = eq_table(r);
    ASSERT_EQ(table.size(), size_t{1} << m);
    Fp2 sum = Fp2::zero();
    for (size_t x = 0; x < table.size(); ++x) {
      ASSERT_EQ(table[x], EqDefinition(r, x)) << "x=" << x;
      ASSERT_EQ(eq_at_index(r, x), table[x]) << "x=" << x;
      ASSERT_EQ(eq_eval(r, BooleanPoint(x, m)), table[x]) << "x=" << x;
      sum += table[x];
    }
    EXPECT_EQ(sum, Fp2::one());  // eq(r, .) sums to 1 over the hypercube
  }
}

TEST(EqTest, KnownSmallTable) {
  // r = (2, 3): eq = (1-2)(1-3), 2(1-3), (1-2)3, 2*3 at x = 0, 1, 2, 3.
  Point r = {Fp2(Fp(2)), Fp2(Fp(3))};
  auto t = eq_table(r);
  ASSERT_EQ(t.size(), 4u);
  EXPECT_EQ(t[0], Fp2::from_int(2));
  EXPECT_EQ(t[1], Fp2::from_int(-4));
  EXPECT_EQ(t[2], Fp2::from_int(-3));
  EXPECT_EQ(t[3], Fp2::from_int(6));
}

TEST(EqTest, EqEvalIsSymmetricAndMatchesProductFormula) {
  std::mt19937_64 rng(2);
  for (size_t m = 0; m <= 6; ++m) {
    Point r = RandomPoint(rng, m), s = RandomPoint(rng, m);
    Fp2 expected = Fp2::one();
    for (size_t i = 0; i < m; ++i)
      expected *= r[i] * s[i] + (Fp2::one() - r[i]) * (Fp2::one() - s[i]);
    EXPECT_EQ(eq_eval(r, s), expected);
    EXPECT_EQ(eq_eval(s, r), expected);
    // eq(r, s) is the MLE of eq(r, .) evaluated at s.
    auto t = eq_table(r);
    EXPECT_EQ(mle_eval(std::span<const Fp2>(t), s), expected);
  }
}

TEST(EqTest, EmptyPoint) {
  Point r;
  auto t = eq_table(r);
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0], Fp2::one());
  EXPECT_EQ(eq_at_index(r, 0), Fp2::one());
  EXPECT_EQ(eq_eval(r, r), Fp2::one());
}

TEST(MleEvalTest, BooleanPointReturnsEntry) {
  std::mt19937_64 rng(3);
  for (size_t m = 0; m <= 6; ++m) {
    size_t n = size_t{1} << m;
    std::vector<Fp> base(n);
    std::vector<Fp2> ext(n);
    std::vector<int64_t> ints(n);
    for (size_t i = 0; i < n; ++i) {
      base[i] = RandomFp(rng);
      ext[i] = RandomFp2(rng);
      ints[i] = static_cast<int64_t>(rng() % 2001) - 1000;
    }
    for (size_t x = 0; x < n; ++x) {
      Point b = BooleanPoint(x, m);
      ASSERT_EQ(mle_eval(std::span<const Fp>(base), b), Fp2(base[x]));
      ASSERT_EQ(mle_eval(std::span<const Fp2>(ext), b), ext[x]);
      ASSERT_EQ(mle_eval_int(ints, b), Fp2::from_int(ints[x]));
    }
  }
}

TEST(MleEvalTest, MatchesNaiveSumOverEq) {
  std::mt19937_64 rng(4);
  for (size_t m = 0; m <= 8; ++m) {
    SCOPED_TRACE(m);
    size_t n = size_t{1} << m;
    std::vector<Fp> base(n);
    std::vector<Fp2> ext(n);
    std::vector<int64_t> ints(n);
    for (size_t i = 0; i < n; ++i) {
      base[i] = RandomFp(rng);
      ext[i] = RandomFp2(rng);
      ints[i] = static_cast<int64_t>(rng() >> 2) - (int64_t{1} << 61);
    }
    Point r = RandomPoint(rng, m);
    EXPECT_EQ(mle_eval(std::span<const Fp>(base), r), NaiveMle(base, r));
    EXPECT_EQ(mle_eval(std::span<const Fp2>(ext), r), NaiveMle(ext, r));
    std::vector<Fp> ints_fp(n);
    for (size_t i = 0; i < n; ++i) ints_fp[i] = Fp::from_int(ints[i]);
    EXPECT_EQ(mle_eval_int(ints, r), NaiveMle(ints_fp, r));
  }
}

TEST(MleEvalTest, KnownValueTwoVariables) {
  // v = [1, 2, 3, 4] (little-endian): f(x0, x1) = 1 + x0 + 2 x1.
  std::vector<Fp> v = {Fp(1), Fp(2), Fp(3), Fp(4)};
  Point r = {Fp2(Fp(5)), Fp2(Fp(7))};  // 1 + 5 + 14 = 20
  EXPECT_EQ(mle_eval(std::span<const Fp>(v), r), Fp2(Fp(20)));
  // Swapping the variables must change the answer: 1 + 7 + 10 = 18.
  Point swapped = {Fp2(Fp(7)), Fp2(Fp(5))};
  EXPECT_EQ(mle_eval(std::span<const Fp>(v), swapped), Fp2(Fp(18)));
}

TEST(MleEvalTest, IsLinearInTheTable) {
  std::mt19937_64 rng(5);
  const size_t m = 5, n = 32;
  std::vector<Fp2> a(n), b(n), c(n);
  Fp2 alpha = RandomFp2(rng);
  for (size_t i = 0; i < n; ++i) {
    a[i] = RandomFp2(rng);
    b[i] = RandomFp2(rng);
    c[i] = a[i] + alpha * b[i];
  }
  Point r = RandomPoint(rng, m);
  EXPECT_EQ(mle_eval(std::span<const Fp2>(c), r),
            mle_eval(std::span<const Fp2>(a), r) + alpha * mle_eval(std::span<const Fp2>(b), r));
}

TEST(FoldHighTest, EqualsEvaluatingTheTopVariables) {
  std::mt19937_64 rng(6);
  for (size_t m = 0; m <= 6; ++m) {
    for (size_t k = 0; k <= m; ++k) {
      SCOPED_TRACE(::testing::Message() << "m=" << m << " k=" << k);
      size_t n = size_t{1} << m;
      std::vector<Fp2> v(n);
      std::vector<int64_t> ints(n);
      for (size_t i = 0; i < n; ++i) {
        v[i] = RandomFp2(rng);
        ints[i] = static_cast<int64_t>(rng() % 201) - 100;
      }
      Point high = RandomPoint(rng, k);
      auto folded = fold_high(v, high);
      auto folded_int = fold_high_int(ints, high);
      size_t stride = n >> k;
      ASSERT_EQ(folded.size(), stride);
      ASSERT_EQ(folded_int.size(), stride);
      // folded[j] = f(j, high) for boolean j, so its MLE at low = f(low, high).
      auto ext_ints = to_ext(ints);
      for (size_t j = 0; j < stride; ++j) {
        Point full = BooleanPoint(j, m - k);
        full.insert(full.end(), high.begin(), high.end());
        ASSERT_EQ(folded[j], mle_eval(std::span<const Fp2>(v), full)) << j;
        ASSERT_EQ(folded_int[j], mle_eval(std::span<const Fp2>(ext_ints), full)) << j;
      }
      Point low = RandomPoint(rng, m - k);
      Point full = low;
      full.insert(full.end(), high.begin(), high.end());
      EXPECT_EQ(mle_eval(std::span<const Fp2>(folded), low),
                mle_eval(std::span<const Fp2>(v), full));
    }
  }
}

TEST(FoldHighTest, BooleanHighSelectsBlock) {
  // Fixing the top variable to 1 selects the upper half.
  std::vector<Fp2> v = {Fp2(Fp(1)), Fp2(Fp(2)), Fp2(Fp(3)), Fp2(Fp(4))};
  Point one = {Fp2::one()};
  auto f = fold_high(v, one);
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0], Fp2(Fp(3)));
  EXPECT_EQ(f[1], Fp2(Fp(4)));
  Point zero = {Fp2::zero()};
  f = fold_high(v, zero);
  EXPECT_EQ(f[0], Fp2(Fp(1)));
  EXPECT_EQ(f[1], Fp2(Fp(2)));
}

TEST(PrefixIndicatorTest, EqualsBruteForceSumForAllN) {
  std::mt19937_64 rng(7);
  for (size_t m = 0; m <= 5; ++m) {
    Point r = RandomPoint(rng, m);
    auto table = eq_table(r);
    Fp2 running = Fp2::zero();  // sum_{x < n} eq(r, x)
    for (size_t n = 0; n <= (size_t{1} << m); ++n) {
      ASSERT_EQ(prefix_indicator(r, n), running) << "m=" << m << " n=" << n;
      if (n < table.size()) running += EqDefinition(r, n);
    }
    EXPECT_EQ(running, Fp2::one());
    // n beyond the hypercube still means "all ones".
    EXPECT_EQ(prefix_indicator(r, (size_t{1} << m) + 3), Fp2::one());
  }
}

TEST(PrefixIndicatorTest, BooleanPointIsIndicator) {
  const size_t m = 4;
  for (size_t x = 0; x < 16; ++x) {
    Point b = BooleanPoint(x, m);
    for (size_t n = 0; n <= 16; ++n)
      ASSERT_EQ(prefix_indicator(b, n), x < n ? Fp2::one() : Fp2::zero()) << x << " " << n;
  }
}

TEST(ToExtTest, EmbedsSignedIntegers) {
  std::vector<int64_t> v = {0, 1, -1, 1000000, -7};
  auto e = to_ext(v);
  ASSERT_EQ(e.size(), v.size());
  for (size_t i = 0; i < v.size(); ++i) {
    EXPECT_EQ(e[i].a.to_int(), v[i]);
    EXPECT_TRUE(e[i].b.is_zero());
  }
}

TEST(Log2ExactTest, RoundsUp) {
  EXPECT_EQ(log2_exact(1), 0u);
  EXPECT_EQ(log2_exact(2), 1u);
  EXPECT_EQ(log2_exact(3), 2u);
  EXPECT_EQ(log2_exact(4), 2u);
  EXPECT_EQ(log2_exact(1024), 10u);
  EXPECT_EQ(log2_exact(1025), 11u);
}

}  // namespace
}  // namespace zk
