#include "poly/mle.h"

#include <cassert>

#include "field/backend.h"

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

template <typename T>
static Fp2 mle_eval_impl(std::span<const T> v, std::span<const Fp2> r) {
  assert(v.size() == (size_t{1} << r.size()));
  if (r.empty()) return Fp2(v[0]);
  // First fold from base values, then in the extension.
  size_t half = v.size() / 2;
  std::vector<Fp2> cur(half);
  for (size_t j = 0; j < half; ++j) {
    Fp2 lo(v[2 * j]), hi(v[2 * j + 1]);
    cur[j] = lo + r[0] * (hi - lo);
  }
  for (size_t i = 1; i < r.size(); ++i) {
    half /= 2;
    for (size_t j = 0; j < half; ++j) cur[j] = cur[2 * j] + r[i] * (cur[2 * j + 1] - cur[2 * j]);
  }
  return cur[0];
}

Fp2 mle_eval(std::span<const Fp> v, std::span<const Fp2> r) { return mle_eval_impl(v, r); }
Fp2 mle_eval(std::span<const Fp2> v, std::span<const Fp2> r) { return mle_eval_impl(v, r); }

Fp2 mle_eval_int(std::span<const int64_t> v, std::span<const Fp2> r) {
  std::vector<Fp> f(v.size());
  for (size_t i = 0; i < v.size(); ++i) f[i] = Fp::from_int(v[i]);
  return mle_eval(std::span<const Fp>(f), r);
}

std::vector<Fp2> fold_high(std::span<const Fp2> v, std::span<const Fp2> r) {
  size_t stride = v.size() >> r.size();
  auto e = eq_table(r);
  std::vector<Fp2> out(stride);
  for (size_t h = 0; h < e.size(); ++h)
    for (size_t j = 0; j < stride; ++j) out[j] += e[h] * v[h * stride + j];
  return out;
}

std::vector<Fp2> fold_high_int(std::span<const int64_t> v, std::span<const Fp2> r) {
  size_t stride = v.size() >> r.size();
  auto e = eq_table(r);
  std::vector<Fp2> out(stride);
  for (size_t h = 0; h < e.size(); ++h) {
    const int64_t* row = v.data() + h * stride;
    Fp2 eh = e[h];
    for (size_t j = 0; j < stride; ++j)
      if (row[j]) out[j] += eh * Fp::from_int(row[j]);
  }
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
