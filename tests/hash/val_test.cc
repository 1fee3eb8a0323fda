// What the verifier holds of padded messages: arithmetic on expressions over
// pads, products up to degree two, and checks that become constraints.
#include "hash/val.h"

#include <gtest/gtest.h>

#include "hash/channel.h"

namespace zk {
namespace {

Fp2 f(int64_t x) { return Fp2::from_int(x); }

// Substitutes pad values into an expression.
Fp2 eval(const Val& v, const std::vector<Fp2>& pads) {
  Fp2 acc = v.constant();
  for (const auto& [i, a] : v.lin()) acc += a * pads[i];
  for (const auto& [i, j, a] : v.quad()) acc += a * pads[i] * pads[j];
  return acc;
}

TEST(Val, KnownValuesBehaveLikeFieldElements) {
  Val a = f(3), b = f(5);
  EXPECT_TRUE((a * b + a - b).known());
  EXPECT_EQ((a * b + a - b).value(), f(13));
  EXPECT_EQ(-a, Val(f(-3)));
}

TEST(Val, PaddedMessagesAreSentMinusPad) {
  // m0 = 7 sent under pad 11, m1 = 4 under pad 2.
  std::vector<Fp2> pads{f(11), f(2)};
  Val m0 = Val::padded(f(7) + pads[0], 0), m1 = Val::padded(f(4) + pads[1], 1);
  EXPECT_FALSE(m0.known());
  EXPECT_THROW((void)m0.value(), std::logic_error);
  EXPECT_EQ(eval(m0, pads), f(7));
  EXPECT_EQ(eval(f(3) * m0 - m1 + f(1), pads), f(18));
  // A product of two padded values is quadratic in the pads.
  Val p = m0 * m1;
  EXPECT_EQ(p.quad().size(), 1u);
  EXPECT_EQ(eval(p, pads), f(28));
  EXPECT_EQ(eval(f(2) * (m0 * m1) + m0, pads), f(63));
  // Degree three is refused.
  EXPECT_THROW((void)(p * m0), std::logic_error);
  // Multiplying by a known value keeps the degree.
  EXPECT_NO_THROW((void)(p * Val(f(9))));
}

TEST(Val, ChecksOnPaddedValuesBecomeConstraints) {
  VerifierChannel ch(Transcript("val-test"), {});
  ch.expect_eq(f(2), f(2), "known and equal");
  EXPECT_TRUE(ch.constraints().empty());
  EXPECT_THROW(ch.expect_eq(f(2), f(3), "known and different"), VerifyError);
  Val m = Val::padded(f(10), 0);
  ch.expect_eq(m, f(4), "on a hidden value");
  ASSERT_EQ(ch.constraints().size(), 1u);
  EXPECT_NE(ch.constraints()[0].what.find("on a hidden value"), std::string::npos);
  // The constraint is m - 4 = 0: it holds exactly when the pad was 6.
  EXPECT_EQ(eval(ch.constraints()[0].diff, {f(6)}), Fp2::zero());
  EXPECT_NE(eval(ch.constraints()[0].diff, {f(5)}), Fp2::zero());
}

}  // namespace
}  // namespace zk
