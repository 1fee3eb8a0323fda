#include "poly/mle.h"

#include <algorithm>
#include <cassert>

#include "field/backend.h"
#include "field/parallel.h"

namespace zk {

std::vector<Fp2> eq_table(std::span<const Fp2> r) {
  std::vector<Fp2> out(size_t{1} << r.size());
  eq_table_into(out, r, Fp2::one());
  return out;
}

void eq_table_into(std::span<Fp2> out, std::span<const Fp2> r, Fp2 scale) {
  backend::eq_table(out, r, scale);
}

Fp2 eq_at_index(std::span<const Fp2> r, size_t x) {
  Fp2 acc = Fp2::one();
  for (size_t i = 0; i < r.size(); ++i) acc *= ((x >> i) & 1) ? r[i] : Fp2::one() - r[i];
  return acc;
}

Fp2 eq_eval(std::span<const Fp2> r, std::span<const Fp2> s) {
  assert(r.size() == s.size());
  Fp2 acc = Fp2::one();
  for (size_t i = 0; i < r.size(); ++i) {
    Fp2 rs = r[i] * s[i];
    acc *= rs + rs + Fp2::one() - r[i] - s[i];
  }
  return acc;
}

namespace {

inline Fp2 lift_value(Fp x) { return Fp2(x); }
inline Fp2 lift_value(const Fp2& x) { return x; }
inline Fp2 lift_value(int64_t x) { return Fp2(Fp::from_int(x)); }

// Folds the lowest log2(len) variables of v[0..len) at r (len >= 2), the
// first fold from the raw values into buf (len / 2 long).
template <typename T>
Fp2 fold_block(const T* v, size_t len, const Fp2* r, Fp2* buf) {
  size_t half = len / 2;
  for (size_t j = 0; j < half; ++j) {
    Fp2 lo = lift_value(v[2 * j]), hi = lift_value(v[2 * j + 1]);
    buf[j] = lo + r[0] * (hi - lo);
  }
  for (size_t i = 1; half > 1; ++i) {
    half /= 2;
    for (size_t j = 0; j < half; ++j) buf[j] = buf[2 * j] + r[i] * (buf[2 * j + 1] - buf[2 * j]);
  }
  return buf[0];
}

// Blocks of 2^12 entries fold their low variables independently (on the
// pool); the blocks' values then fold the high variables.
template <typename T>
Fp2 mle_eval_impl(std::span<const T> v, std::span<const Fp2> r) {
  assert(v.size() == (size_t{1} << r.size()));
  if (r.empty()) return lift_value(v[0]);
  const size_t low = std::min<size_t>(r.size(), 12), block = size_t{1} << low;
  std::vector<Fp2> top(v.size() >> low);
  parallel_chunks(top.size(), 2, [&](size_t b, size_t e, unsigned) {
    std::vector<Fp2> buf(block / 2);
    for (size_t k = b; k < e; ++k)
      top[k] = fold_block(v.data() + k * block, block, r.data(), buf.data());
  });
  if (top.size() == 1) return top[0];
  std::vector<Fp2> buf(top.size() / 2);
  return fold_block(top.data(), top.size(), r.data() + low, buf.data());
}

}  // namespace

Fp2 mle_eval(std::span<const Fp> v, std::span<const Fp2> r) { return mle_eval_impl(v, r); }
Fp2 mle_eval(std::span<const Fp2> v, std::span<const Fp2> r) { return mle_eval_impl(v, r); }

Fp2 mle_eval_int(std::span<const int64_t> v, std::span<const Fp2> r) { return mle_eval_impl(v, r); }

// out[j] = sum_h e[h] v[h * stride + j], in chunks of j.
std::vector<Fp2> fold_high(std::span<const Fp2> v, std::span<const Fp2> r) {
  size_t stride = v.size() >> r.size();
  auto e = eq_table(r);
  std::vector<Fp2> out(stride);
  parallel_chunks(stride, 1024, [&](size_t b, size_t end, unsigned) {
    for (size_t h = 0; h < e.size(); ++h)
      for (size_t j = b; j < end; ++j) out[j] += e[h] * v[h * stride + j];
  });
  return out;
}

std::vector<Fp2> fold_high_int(std::span<const int64_t> v, std::span<const Fp2> r) {
  size_t stride = v.size() >> r.size();
  auto e = eq_table(r);
  std::vector<Fp2> out(stride);
  parallel_chunks(stride, 1024, [&](size_t b, size_t end, unsigned) {
    for (size_t h = 0; h < e.size(); ++h) {
      const int64_t* row = v.data() + h * stride;
      Fp2 eh = e[h];
      for (size_t j = b; j < end; ++j)
        if (row[j]) out[j] += eh * Fp::from_int(row[j]);
    }
  });
  return out;
}

Fp2 prefix_indicator(std::span<const Fp2> r, size_t n) {
  // Sum of eq(r, x) over x < n, walking the bits of n from the top.
  size_t m = r.size();
  if (n >= (size_t{1} << m)) return Fp2::one();
  Fp2 acc = Fp2::zero(), prefix = Fp2::one();
  for (size_t i = m; i-- > 0;) {
    if ((n >> i) & 1) {
      // x agrees with n above bit i and has 0 at bit i: all lower bits free.
      acc += prefix * (Fp2::one() - r[i]);
      prefix *= r[i];
    } else {
      prefix *= Fp2::one() - r[i];
    }
  }
  return acc;
}

std::vector<Fp2> to_ext(std::span<const int64_t> v) {
  std::vector<Fp2> out(v.size());
  for (size_t i = 0; i < v.size(); ++i) out[i] = Fp2(Fp::from_int(v[i]));
  return out;
}

}  // namespace zk
