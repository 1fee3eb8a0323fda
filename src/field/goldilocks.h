// The Goldilocks field p = 2^64 - 2^32 + 1 (the circuit field) and its quadratic
// extension F_p[u]/(u^2 - 7) (the challenge field). Values are always kept
// canonical (< p), so equality is bitwise and serialization is unique.
#pragma once

#include <concepts>
#include <cstdint>
#include <string>

namespace zk {

struct Fp {
  static constexpr uint64_t kModulus = 0xFFFFFFFF00000001ull;
  static constexpr uint64_t kEpsilon = 0xFFFFFFFFull;  // 2^64 mod p
  uint64_t v = 0;

  constexpr Fp() = default;
  constexpr explicit Fp(uint64_t x) : v(x >= kModulus ? x - kModulus : x) {}
  // Signed integers embed as x mod p.
  static constexpr Fp from_int(int64_t x) {
    return x >= 0 ? Fp(static_cast<uint64_t>(x)) : Fp(kModulus - (0 - static_cast<uint64_t>(x)));
  }
  static constexpr Fp zero() { return Fp(); }
  static constexpr Fp one() { return Fp(1); }

  // Integer in (-p/2, p/2] that this element represents.
  constexpr int64_t to_int() const {
    return v > kModulus / 2 ? -static_cast<int64_t>(kModulus - v) : static_cast<int64_t>(v);
  }

  // Branch-free (the conditions depend on the data, so branches would be
  // mispredicted about half the time): each correction is a mask.
  [[gnu::always_inline]] static constexpr uint64_t mask(bool c) { return 0 - uint64_t{c}; }
  [[gnu::always_inline]] static constexpr uint64_t canonical(uint64_t x) {
    uint64_t y = 0;
    bool below = __builtin_sub_overflow(x, kModulus, &y);  // x < p: keep x
    return (x & mask(below)) | (y & ~mask(below));
  }
  [[gnu::always_inline]] static constexpr uint64_t reduce128(unsigned __int128 x) {
    uint64_t lo = static_cast<uint64_t>(x), hi = static_cast<uint64_t>(x >> 64);
    uint64_t hi_hi = hi >> 32, hi_lo = hi & kEpsilon;
    uint64_t t0 = 0;
    bool borrow = __builtin_sub_overflow(lo, hi_hi, &t0);
    t0 -= kEpsilon & mask(borrow);  // borrow: add p
    uint64_t t1 = hi_lo * kEpsilon;
    uint64_t t2 = 0;
    bool carry = __builtin_add_overflow(t0, t1, &t2);
    t2 += kEpsilon & mask(carry);  // carry: subtract p
    return canonical(t2);
  }

  [[gnu::always_inline]] constexpr Fp operator+(Fp o) const {
    uint64_t s = 0, t = 0;
    bool carry = __builtin_add_overflow(v, o.v, &s);
    bool below = __builtin_sub_overflow(s, kModulus, &t);
    // The sum less p (t, also right when the sum carried) unless it is below p.
    uint64_t keep = mask(below && !carry);
    Fp r;
    r.v = (s & keep) | (t & ~keep);
    return r;
  }
  [[gnu::always_inline]] constexpr Fp operator-(Fp o) const {
    uint64_t d = 0;
    bool borrow = __builtin_sub_overflow(v, o.v, &d);
    Fp r;
    r.v = d + (kModulus & mask(borrow));
    return r;
  }
  constexpr Fp operator-() const { return Fp() - *this; }
  [[gnu::always_inline]] constexpr Fp operator*(Fp o) const {
    Fp r;
    r.v = reduce128(static_cast<unsigned __int128>(v) * o.v);
    return r;
  }
  constexpr Fp& operator+=(Fp o) { return *this = *this + o; }
  constexpr Fp& operator-=(Fp o) { return *this = *this - o; }
  constexpr Fp& operator*=(Fp o) { return *this = *this * o; }
  constexpr bool operator==(const Fp&) const = default;

  constexpr Fp pow(uint64_t e) const {
    Fp r = one(), b = *this;
    while (e) {
      if (e & 1) r *= b;
      b *= b;
      e >>= 1;
    }
    return r;
  }
  constexpr Fp inverse() const { return pow(kModulus - 2); }
  constexpr bool is_zero() const { return v == 0; }
};

// F_p[u]/(u^2 - 7): 7 is a quadratic non-residue mod p.
struct Fp2 {
  static constexpr uint64_t kNonResidue = 7;
  Fp a, b;  // a + b*u

  constexpr Fp2() = default;
  constexpr Fp2(Fp x) : a(x) {}  // NOLINT: base field embeds implicitly
  constexpr Fp2(Fp x, Fp y) : a(x), b(y) {}
  static constexpr Fp2 zero() { return Fp2(); }
  static constexpr Fp2 one() { return Fp2(Fp::one()); }
  static constexpr Fp2 from_int(int64_t x) { return Fp2(Fp::from_int(x)); }

  constexpr Fp2 operator+(Fp2 o) const { return {a + o.a, b + o.b}; }
  constexpr Fp2 operator-(Fp2 o) const { return {a - o.a, b - o.b}; }
  constexpr Fp2 operator-() const { return {-a, -b}; }
  [[gnu::always_inline]] constexpr Fp2 operator*(Fp2 o) const {
    Fp aa = a * o.a, bb = b * o.b;
    Fp cross = (a + b) * (o.a + o.b) - aa - bb;
    return {aa + bb * Fp(kNonResidue), cross};
  }
  [[gnu::always_inline]] constexpr Fp2 operator*(Fp o) const { return {a * o, b * o}; }
  constexpr Fp2& operator+=(Fp2 o) { return *this = *this + o; }
  constexpr Fp2& operator-=(Fp2 o) { return *this = *this - o; }
  constexpr Fp2& operator*=(Fp2 o) { return *this = *this * o; }
  constexpr Fp2& operator*=(Fp o) { return *this = *this * o; }
  constexpr bool operator==(const Fp2&) const = default;
  constexpr bool is_zero() const { return a.is_zero() && b.is_zero(); }

  constexpr Fp2 inverse() const {
    Fp norm = a * a - b * b * Fp(kNonResidue);
    Fp ni = norm.inverse();
    return {a * ni, -(b * ni)};
  }
  constexpr Fp2 pow(uint64_t e) const {
    Fp2 r = one(), x = *this;
    while (e) {
      if (e & 1) r *= x;
      x *= x;
      e >>= 1;
    }
    return r;
  }
};

inline Fp2 operator*(Fp x, Fp2 y) { return y * x; }

// The circuit field and the challenge field are kept distinct in the types.
template <typename F>
concept FieldElement = requires(F x, F y) {
  { x + y } -> std::same_as<F>;
  { x* y } -> std::same_as<F>;
  { x - y } -> std::same_as<F>;
  { F::zero() } -> std::same_as<F>;
  { F::one() } -> std::same_as<F>;
  { x.inverse() } -> std::same_as<F>;
};
static_assert(FieldElement<Fp>);
static_assert(FieldElement<Fp2>);

std::string to_hex(const Fp2& x);

}  // namespace zk
