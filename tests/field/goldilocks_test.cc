// Unit tests for src/field/goldilocks.h and src/field/ntt.h.
//
// Known-answer values were computed independently with Python's big integers
// (p = 2^64 - 2^32 + 1); the property tests compare against a plain
// `unsigned __int128 % p` reference or a naive O(n^2) evaluation.
#include "field/goldilocks.h"

#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "../support/random_field.h"
#include "field/ntt.h"

namespace zk {
namespace {

using zk::testing::RandomFp;
using zk::testing::RandomFp2;
using zk::testing::RandomPoint;

constexpr uint64_t kP = Fp::kModulus;
using u128 = unsigned __int128;

u128 Make128(uint64_t hi, uint64_t lo) { return (static_cast<u128>(hi) << 64) | lo; }

// Reference reduction through the compiler's 128-bit division.
uint64_t RefMod(u128 x) { return static_cast<uint64_t>(x % kP); }

// ---------------------------------------------------------------------------
// Fp known answers.

TEST(FpTest, ModulusAndEpsilon) {
  EXPECT_EQ(kP, 0xFFFFFFFF00000001ull);
  EXPECT_EQ(Fp::kEpsilon, RefMod(Make128(1, 0)));  // 2^64 mod p
}

TEST(FpTest, ConstructorReducesOnce) {
  EXPECT_EQ(Fp(kP).v, 0u);
  EXPECT_EQ(Fp(kP + 1).v, 1u);
  EXPECT_EQ(Fp(~uint64_t{0}).v, 0xFFFFFFFEull);  // 2^64 - 1 - p
  EXPECT_EQ(Fp(kP - 1).v, kP - 1);
}

TEST(FpTest, MinusOneSquaredIsOne) {
  Fp m1(kP - 1);
  EXPECT_EQ((m1 * m1).v, 1u);
  EXPECT_EQ(-Fp::one(), m1);
}

TEST(FpTest, PowersOfTwo) {
  const Fp two(2);
  EXPECT_EQ(two.pow(64).v, 0xFFFFFFFFull);           // 2^64 = 2^32 - 1
  EXPECT_EQ(two.pow(96).v, 0xFFFFFFFF00000000ull);   // 2^96 = -1
  EXPECT_EQ(two.pow(128).v, 0xFFFFFFFE00000001ull);  // 2^128
  EXPECT_EQ(two.pow(192).v, 1u);                     // 2^192 = 1
  EXPECT_EQ(two.pow(0).v, 1u);
}

TEST(FpTest, AdditionWrapsAroundTwoToThe64) {
  // (p-1) + (p-1) overflows uint64 and must come back as p - 2.
  Fp m1(kP - 1);
  EXPECT_EQ((m1 + m1).v, kP - 2);
  EXPECT_EQ((m1 + Fp(1)).v, 0u);
  EXPECT_EQ((Fp(0x8000000000000000ull) + Fp(0x8000000000000000ull)).v, 0xFFFFFFFFull);
  EXPECT_EQ((Fp(0) - Fp(1)).v, kP - 1);
  EXPECT_EQ((Fp(3) - Fp(5)).v, kP - 2);
  EXPECT_EQ((-Fp(0)).v, 0u);
}

struct MulCase {
  uint64_t a, b, product, a_inverse;
};

TEST(FpTest, RandomProductsAndInversesKnownAnswer) {
  // Generated with Python: random.seed(12345); a, b = randrange(p), randrange(p).
  const MulCase cases[] = {
      {0xbb91433a6aa79987ull, 0xd1f6f86c029a7245ull, 0x65c0b834096362e8ull, 0x17c10715bea97b3eull},
      {0xcd8778e7d340bbcdull, 0xdaea58ba4c73a942ull, 0x98bd14c9aad5680bull, 0xbb43da0d14aa99dfull},
      {0xee8971105e503a67ull, 0x452ec40a3193ca54ull, 0x989c3426cb9947deull, 0x409a9152e8416b28ull},
      {0x6facaa5090e5e945ull, 0x5f811cb929645f8bull, 0x87e4946f9fdc33d6ull, 0xc85a59cedf002241ull},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.a);
    EXPECT_EQ((Fp(c.a) * Fp(c.b)).v, c.product);
    EXPECT_EQ((Fp(c.b) * Fp(c.a)).v, c.product);
    EXPECT_EQ(Fp(c.a).inverse().v, c.a_inverse);
    EXPECT_EQ((Fp(c.a) * Fp(c.a_inverse)).v, 1u);
  }
}

TEST(FpTest, SmallInverses) {
  // 2^-1 = (p+1)/2.
  EXPECT_EQ(Fp(2).inverse().v, (kP + 1) / 2);
  EXPECT_EQ(Fp(kP - 1).inverse().v, kP - 1);
  EXPECT_EQ(Fp(1).inverse().v, 1u);
  EXPECT_TRUE(Fp(0).inverse().is_zero());  // 0^(p-2) = 0 by convention
}

TEST(FpTest, FromIntToIntRoundTrip) {
  const int64_t half = static_cast<int64_t>((kP - 1) / 2);  // largest representable magnitude
  const int64_t values[] = {0,
                            1,
                            -1,
                            2,
                            -2,
                            127,
                            -128,
                            1 << 20,
                            -(1 << 20),
                            123456789012345,
                            -123456789012345,
                            half,
                            -half,
                            half - 1,
                            -(half - 1)};
  for (int64_t x : values) {
    SCOPED_TRACE(x);
    EXPECT_EQ(Fp::from_int(x).to_int(), x);
  }
  EXPECT_EQ(Fp::from_int(-1).v, kP - 1);
  EXPECT_EQ(Fp::from_int(-5).v, kP - 5);
  EXPECT_EQ(Fp::from_int(-half).v, (kP + 1) / 2);
  EXPECT_EQ(Fp((kP - 1) / 2).to_int(), half);
  EXPECT_EQ(Fp((kP + 1) / 2).to_int(), -half);
  // Values beyond p/2 in magnitude cannot round trip; they still embed mod p.
  EXPECT_EQ(Fp::from_int(std::numeric_limits<int64_t>::max()).v, 0x7FFFFFFFFFFFFFFFull);
  EXPECT_EQ(Fp::from_int(std::numeric_limits<int64_t>::min()).v, kP - 0x8000000000000000ull);
}

TEST(FpTest, FromIntIsAdditiveHomomorphism) {
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int64_t> dist(-(int64_t{1} << 61), int64_t{1} << 61);
  for (int i = 0; i < 1000; ++i) {
    int64_t a = dist(rng), b = dist(rng);
    EXPECT_EQ(Fp::from_int(a) + Fp::from_int(b), Fp::from_int(a + b));
    EXPECT_EQ(Fp::from_int(a) - Fp::from_int(b), Fp::from_int(a - b));
    EXPECT_EQ((Fp::from_int(a) + Fp::from_int(b)).to_int(), a + b);
  }
  std::uniform_int_distribution<int64_t> small(-(int64_t{1} << 30), int64_t{1} << 30);
  for (int i = 0; i < 1000; ++i) {
    int64_t a = small(rng), b = small(rng);
    EXPECT_EQ((Fp::from_int(a) * Fp::from_int(b)).to_int(), a * b);
  }
}

TEST(FpTest, Reduce128EdgeCases) {
  // {hi, lo, (hi * 2^64 + lo) mod p}, computed with Python.
  struct Case {
    uint64_t hi, lo, expected;
  };
  const Case cases[] = {
      {0x0000000000000000ull, 0x0000000000000000ull, 0x0000000000000000ull},
      {0x0000000000000000ull, 0x0000000000000001ull, 0x0000000000000001ull},
      {0x0000000000000000ull, 0xffffffff00000000ull, 0xffffffff00000000ull},  // p - 1
      {0x0000000000000000ull, 0xffffffff00000001ull, 0x0000000000000000ull},  // p
      {0x0000000000000000ull, 0xffffffff00000002ull, 0x0000000000000001ull},  // p + 1
      {0x0000000000000000ull, 0xffffffffffffffffull, 0x00000000fffffffeull},  // 2^64 - 1
      {0x0000000000000001ull, 0x0000000000000000ull, 0x00000000ffffffffull},  // 2^64
      {0x00000000ffffffffull, 0xffffffffffffffffull, 0xfffffffeffffffffull},  // 2^96 - 1
      {0x0000000100000000ull, 0x0000000000000000ull, 0xffffffff00000000ull},  // 2^96
      {0x8000000000000000ull, 0x0000000000000000ull, 0xfffffffe80000001ull},  // 2^127
      {0xffffffffffffffffull, 0xffffffffffffffffull, 0xfffffffe00000000ull},  // 2^128 - 1
      {0xfffffffe00000002ull, 0xfffffffe00000000ull, 0xffffffff00000000ull},  // p^2 - 1
      {0xfffffffe00000001ull, 0x0000000000000000ull, 0x0000000000000001ull},  // (p-1)^2
      {0xffffffff00000000ull, 0x0000000000000000ull, 0xfffffffe00000002ull},  // borrow path
      {0xffffffff00000000ull, 0x00000000ffffffffull, 0x0000000000000000ull},
      {0x00000000ffffffffull, 0x0000000000000000ull, 0xfffffffe00000001ull},
      {0xffffffff00000000ull, 0xffffffffffffffffull, 0xffffffff00000000ull},  // (p-1)2^64 + 2^64-1
      {0x0123456789abcdefull, 0xfedcba9876543210ull, 0x88888887eb851eb9ull},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(::testing::Message() << std::hex << c.hi << ":" << c.lo);
    u128 x = Make128(c.hi, c.lo);
    EXPECT_EQ(Fp::reduce128(x), c.expected);
    EXPECT_EQ(RefMod(x), c.expected);  // sanity check of the table itself
  }
}

TEST(FpTest, Reduce128MatchesReferenceOnStructuredInputs) {
  // Limbs drawn from values near the carry/borrow boundaries of the reduction.
  const uint64_t limbs[] = {0,
                            1,
                            2,
                            0xFFFFFFFFull,
                            0x100000000ull,
                            0xFFFFFFFEull,
                            kP - 1,
                            kP,
                            kP + 1,
                            0xFFFFFFFF00000000ull,
                            0xFFFFFFFEFFFFFFFFull,
                            0x7FFFFFFFFFFFFFFFull,
                            0x8000000000000000ull,
                            ~uint64_t{0},
                            ~uint64_t{0} - 1};
  for (uint64_t hi : limbs)
    for (uint64_t lo : limbs) {
      u128 x = Make128(hi, lo);
      ASSERT_EQ(Fp::reduce128(x), RefMod(x)) << std::hex << hi << ":" << lo;
    }
}

TEST(FpTest, MultiplicationMatchesReferenceOnRandomInputs) {
  std::mt19937_64 rng(42);
  for (int i = 0; i < 20000; ++i) {
    uint64_t hi = rng(), lo = rng();
    u128 x = Make128(hi, lo);
    ASSERT_EQ(Fp::reduce128(x), RefMod(x)) << std::hex << hi << ":" << lo;
    Fp a = RandomFp(rng), b = RandomFp(rng);
    ASSERT_EQ((a * b).v, RefMod(static_cast<u128>(a.v) * b.v));
    ASSERT_EQ((a + b).v, RefMod(static_cast<u128>(a.v) + b.v));
  }
}

TEST(FpTest, ResultsAreAlwaysCanonical) {
  std::mt19937_64 rng(3);
  const Fp edge[] = {Fp(0), Fp(1), Fp(kP - 1), Fp(kP - 2), Fp(0xFFFFFFFFull), Fp(0x100000000ull)};
  for (Fp a : edge)
    for (Fp b : edge) {
      EXPECT_LT((a + b).v, kP);
      EXPECT_LT((a - b).v, kP);
      EXPECT_LT((a * b).v, kP);
    }
  for (int i = 0; i < 1000; ++i) {
    Fp a = RandomFp(rng), b = RandomFp(rng);
    EXPECT_LT((a * b).v, kP);
    EXPECT_LT((a + b).v, kP);
  }
}

// ---------------------------------------------------------------------------
// Fp2 = F_p[u]/(u^2 - 7).

TEST(Fp2Test, SevenIsAQuadraticNonResidue) {
  // Euler's criterion: 7^((p-1)/2) = -1.
  EXPECT_EQ(Fp(Fp2::kNonResidue).pow((kP - 1) / 2).v, kP - 1);
}

TEST(Fp2Test, USquaredIsSeven) {
  Fp2 u(Fp(0), Fp(1));
  EXPECT_EQ(u * u, Fp2(Fp(7)));
  EXPECT_EQ(u.pow(4), Fp2(Fp(49)));
}

TEST(Fp2Test, MultiplicationKnownAnswer) {
  // (a0 + a1 u)(b0 + b1 u) = (a0 b0 + 7 a1 b1) + (a0 b1 + a1 b0) u, via Python.
  Fp2 x(Fp(0x0123456789abcdefull), Fp(0xfedcba9876543210ull));
  Fp2 y(Fp(0xdeadbeefcafebabeull), Fp(0x1122334455667788ull));
  Fp2 z = x * y;
  EXPECT_EQ(z.a.v, 0xfd6c175bf547fb52ull);
  EXPECT_EQ(z.b.v, 0xf7bdf4168c6e5f96ull);
  EXPECT_EQ(y * x, z);
  // Inverse known answer: conj(x) / N(x).
  Fp2 xi = x.inverse();
  EXPECT_EQ(xi.a.v, 0x68350c67255346e2ull);
  EXPECT_EQ(xi.b.v, 0x6b20a96dad90b4c8ull);
}

TEST(Fp2Test, MultiplicationMatchesSchoolbook) {
  std::mt19937_64 rng(11);
  for (int i = 0; i < 2000; ++i) {
    Fp2 x = RandomFp2(rng), y = RandomFp2(rng);
    Fp2 z = x * y;
    ASSERT_EQ(z.a, x.a * y.a + Fp(7) * x.b * y.b);
    ASSERT_EQ(z.b, x.a * y.b + x.b * y.a);
  }
}

TEST(Fp2Test, BaseFieldEmbeddingAndScalarMultiplication) {
  std::mt19937_64 rng(12);
  for (int i = 0; i < 200; ++i) {
    Fp a = RandomFp(rng), b = RandomFp(rng);
    Fp2 x = RandomFp2(rng);
    EXPECT_EQ(Fp2(a) * Fp2(b), Fp2(a * b));
    EXPECT_EQ(Fp2(a) + Fp2(b), Fp2(a + b));
    EXPECT_EQ(x * a, x * Fp2(a));
    EXPECT_EQ(a * x, x * Fp2(a));
  }
  EXPECT_EQ(Fp2::from_int(-3), Fp2(Fp(kP - 3)));
}

TEST(Fp2Test, InverseOverManyRandomElements) {
  std::mt19937_64 rng(13);
  for (int i = 0; i < 5000; ++i) {
    Fp2 x = RandomFp2(rng);
    if (x.is_zero()) continue;
    ASSERT_EQ(x * x.inverse(), Fp2::one());
  }
  // Pure base-field and pure "imaginary" elements.
  for (int i = 0; i < 100; ++i) {
    Fp a = RandomFp(rng);
    if (a.is_zero()) continue;
    EXPECT_EQ(Fp2(a) * Fp2(a).inverse(), Fp2::one());
    EXPECT_EQ(Fp2(Fp(0), a) * Fp2(Fp(0), a).inverse(), Fp2::one());
  }
}

TEST(Fp2Test, FrobeniusIsConjugation) {
  // x^p = a - b u because u^p = 7^((p-1)/2) u = -u.
  std::mt19937_64 rng(14);
  for (int i = 0; i < 20; ++i) {
    Fp2 x = RandomFp2(rng);
    EXPECT_EQ(x.pow(kP), Fp2(x.a, -x.b));
  }
}

TEST(Fp2Test, ToHexPrintsImaginaryThenReal) {
  Fp2 x(Fp(0x0123456789abcdefull), Fp(0x1122334455667788ull));
  EXPECT_EQ(to_hex(x), "11223344556677880123456789abcdef");
  EXPECT_EQ(to_hex(Fp2::zero()), std::string(32, '0'));
}

// ---------------------------------------------------------------------------
// Field axioms over both fields.

template <typename F>
F RandomElement(std::mt19937_64& rng);
template <>
Fp RandomElement<Fp>(std::mt19937_64& rng) {
  return RandomFp(rng);
}
template <>
Fp2 RandomElement<Fp2>(std::mt19937_64& rng) {
  return RandomFp2(rng);
}

template <typename F>
class FieldAxiomsTest : public ::testing::Test {
 protected:
  std::mt19937_64 rng_{2024};
  F Random() { return RandomElement<F>(rng_); }
};

using FieldTypes = ::testing::Types<Fp, Fp2>;
TYPED_TEST_SUITE(FieldAxiomsTest, FieldTypes);

TYPED_TEST(FieldAxiomsTest, Identities) {
  using F = TypeParam;
  for (int i = 0; i < 500; ++i) {
    F a = this->Random();
    EXPECT_EQ(a + F::zero(), a);
    EXPECT_EQ(a * F::one(), a);
    EXPECT_EQ(a * F::zero(), F::zero());
    EXPECT_EQ(a - a, F::zero());
    EXPECT_EQ(a + (-a), F::zero());
    EXPECT_EQ(-(-a), a);
  }
}

TYPED_TEST(FieldAxiomsTest, Commutativity) {
  for (int i = 0; i < 500; ++i) {
    auto a = this->Random(), b = this->Random();
    EXPECT_EQ(a + b, b + a);
    EXPECT_EQ(a * b, b * a);
  }
}

TYPED_TEST(FieldAxiomsTest, Associativity) {
  for (int i = 0; i < 500; ++i) {
    auto a = this->Random(), b = this->Random(), c = this->Random();
    EXPECT_EQ((a + b) + c, a + (b + c));
    EXPECT_EQ((a * b) * c, a * (b * c));
  }
}

TYPED_TEST(FieldAxiomsTest, Distributivity) {
  for (int i = 0; i < 500; ++i) {
    auto a = this->Random(), b = this->Random(), c = this->Random();
    EXPECT_EQ(a * (b + c), a * b + a * c);
    EXPECT_EQ(a * (b - c), a * b - a * c);
    EXPECT_EQ((a + b) * (a - b), a * a - b * b);
  }
}

TYPED_TEST(FieldAxiomsTest, MultiplicativeInverse) {
  using F = TypeParam;
  for (int i = 0; i < 500; ++i) {
    auto a = this->Random(), b = this->Random();
    if (a.is_zero() || b.is_zero()) continue;
    EXPECT_EQ(a * a.inverse(), F::one());
    EXPECT_EQ((a * b).inverse(), a.inverse() * b.inverse());
    EXPECT_EQ(a.inverse().inverse(), a);
  }
}

TYPED_TEST(FieldAxiomsTest, CompoundAssignmentMatchesBinaryOperators) {
  for (int i = 0; i < 100; ++i) {
    auto a = this->Random(), b = this->Random();
    auto x = a;
    x += b;
    EXPECT_EQ(x, a + b);
    x = a;
    x -= b;
    EXPECT_EQ(x, a - b);
    x = a;
    x *= b;
    EXPECT_EQ(x, a * b);
  }
}

TYPED_TEST(FieldAxiomsTest, PowMatchesRepeatedMultiplication) {
  using F = TypeParam;
  for (int i = 0; i < 20; ++i) {
    auto a = this->Random();
    F acc = F::one();
    for (uint64_t e = 0; e < 40; ++e) {
      ASSERT_EQ(a.pow(e), acc) << "e=" << e;
      acc *= a;
    }
    EXPECT_EQ(a.pow(10) * a.pow(7), a.pow(17));
  }
}

// ---------------------------------------------------------------------------
// Roots of unity and the NTT.

TEST(NttTest, MultiplicativeGeneratorHasFullOrder) {
  // p - 1 = 2^32 * 3 * 5 * 17 * 257 * 65537: g^((p-1)/q) != 1 for every prime q.
  const uint64_t primes[] = {2, 3, 5, 17, 257, 65537};
  uint64_t prod = uint64_t{1} << 32;
  for (uint64_t q : primes)
    if (q != 2) prod *= q;
  ASSERT_EQ(prod, kP - 1);
  for (uint64_t q : primes) EXPECT_NE(kMultiplicativeGenerator.pow((kP - 1) / q), Fp::one()) << q;
}

TEST(NttTest, RootOfUnityHasExactOrder) {
  EXPECT_EQ(root_of_unity(0), Fp::one());
  EXPECT_EQ(root_of_unity(1).v, kP - 1);
  for (unsigned k = 1; k <= 32; ++k) {
    SCOPED_TRACE(k);
    Fp w = root_of_unity(k);
    EXPECT_EQ(w.pow(uint64_t{1} << k), Fp::one());
    EXPECT_NE(w.pow(uint64_t{1} << (k - 1)), Fp::one());
    EXPECT_EQ(w.pow(uint64_t{1} << (k - 1)).v, kP - 1);
    if (k > 1) {
      EXPECT_EQ(w * w, root_of_unity(k - 1));  // consistent tower
    }
  }
  // Known value: the primitive 4th root of unity is 2^48 (2^96 = -1).
  EXPECT_TRUE(root_of_unity(2).v == (uint64_t{1} << 48) ||
              root_of_unity(2).v == kP - (uint64_t{1} << 48));
}

std::vector<Fp> NaiveEvaluate(const std::vector<Fp>& coeffs, size_t n) {
  Fp w = root_of_unity(static_cast<unsigned>(std::countr_zero(n)));
  std::vector<Fp> out(n);
  Fp x = Fp::one();
  for (size_t i = 0; i < n; ++i) {
    Fp acc = Fp::zero();  // Horner
    for (size_t j = coeffs.size(); j-- > 0;) acc = acc * x + coeffs[j];
    out[i] = acc;
    x *= w;
  }
  return out;
}

TEST(NttTest, MatchesNaiveEvaluationForAllSmallSizes) {
  std::mt19937_64 rng(99);
  for (size_t n = 1; n <= 64; n *= 2) {
    SCOPED_TRACE(n);
    for (int rep = 0; rep < 3; ++rep) {
      std::vector<Fp> c(n);
      for (auto& x : c) x = RandomFp(rng);
      auto expected = NaiveEvaluate(c, n);
      ntt(c);
      EXPECT_EQ(c, expected);
    }
  }
}

TEST(NttTest, KnownSmallTransforms) {
  // Constant polynomial -> constant vector; X -> the powers of w.
  std::vector<Fp> c(8, Fp::zero());
  c[0] = Fp(5);
  ntt(c);
  EXPECT_EQ(c, std::vector<Fp>(8, Fp(5)));
  std::vector<Fp> x(8, Fp::zero());
  x[1] = Fp::one();
  ntt(x);
  Fp w = root_of_unity(3);
  for (size_t i = 0; i < 8; ++i) EXPECT_EQ(x[i], w.pow(i)) << i;
  // n = 2: (a, b) -> (a + b, a - b).
  std::vector<Fp> two = {Fp(10), Fp(3)};
  ntt(two);
  EXPECT_EQ(two[0].v, 13u);
  EXPECT_EQ(two[1].v, 7u);
}

TEST(NttTest, InverseViaReversal) {
  // ntt(ntt(c)) = n * c[-i mod n]: a structural check on a larger size.
  std::mt19937_64 rng(5);
  const size_t n = 1024;
  std::vector<Fp> c(n);
  for (auto& x : c) x = RandomFp(rng);
  auto t = c;
  ntt(t);
  ntt(t);
  Fp nn(n);
  for (size_t i = 0; i < n; ++i) ASSERT_EQ(t[i], nn * c[(n - i) % n]) << i;
}

TEST(RsEncodeTest, IsLinear) {
  std::mt19937_64 rng(77);
  for (size_t len : {1u, 2u, 8u, 32u}) {
    for (size_t blowup : {2u, 4u}) {
      std::vector<Fp> a(len), b(len), comb(len);
      for (auto& x : a) x = RandomFp(rng);
      for (auto& x : b) x = RandomFp(rng);
      Fp alpha = RandomFp(rng), beta = RandomFp(rng);
      for (size_t i = 0; i < len; ++i) comb[i] = alpha * a[i] + beta * b[i];
      auto ea = rs_encode(a.data(), len, blowup);
      auto eb = rs_encode(b.data(), len, blowup);
      auto ec = rs_encode(comb.data(), len, blowup);
      ASSERT_EQ(ec.size(), len * blowup);
      for (size_t i = 0; i < ec.size(); ++i) ASSERT_EQ(ec[i], alpha * ea[i] + beta * eb[i]);
    }
  }
}

TEST(RsEncodeTest, EvaluatesMessagePolynomialOnLargerDomain) {
  std::mt19937_64 rng(78);
  const size_t len = 16, blowup = 4;
  std::vector<Fp> msg(len);
  for (auto& x : msg) x = RandomFp(rng);
  auto enc = rs_encode(msg.data(), len, blowup);
  EXPECT_EQ(enc, NaiveEvaluate(msg, len * blowup));
  // Every blowup-th point lies on the smaller subgroup: the plain NTT of the message.
  auto small = msg;
  ntt(small);
  for (size_t i = 0; i < len; ++i) EXPECT_EQ(enc[i * blowup], small[i]) << i;
}

TEST(RsEncodeTest, LowDegreeCodewordsHaveLargeDistance) {
  // A nonzero message of length len agrees with zero in fewer than len places.
  const size_t len = 8, blowup = 4;
  std::vector<Fp> msg(len, Fp::zero());
  msg[len - 1] = Fp(1);  // X^7: zero only at X = 0, which is not in the domain
  auto enc = rs_encode(msg.data(), len, blowup);
  for (auto x : enc) EXPECT_FALSE(x.is_zero());
}

}  // namespace
}  // namespace zk
