#include "hash/val.h"

namespace zk {

Val& Val::operator+=(const Val& o) {
  c_ += o.c_;
  lin_.insert(lin_.end(), o.lin_.begin(), o.lin_.end());
  quad_.insert(quad_.end(), o.quad_.begin(), o.quad_.end());
  return *this;
}

Val& Val::operator-=(const Val& o) { return *this += -o; }

Val& Val::operator*=(Fp2 k) {
  c_ *= k;
  for (auto& [i, a] : lin_) a *= k;
  for (auto& [i, j, a] : quad_) a *= k;
  return *this;
}

Val Val::operator-() const {
  Val v = *this;
  return v *= -Fp2::one();
}

Val operator*(const Val& a, const Val& b) {
  if (a.known()) return b * a.c_;
  if (b.known()) return a * b.c_;
  if (!a.quad_.empty() || !b.quad_.empty())
    throw std::logic_error("Val: product of degree higher than two");
  Val out(a.c_ * b.c_);
  for (const auto& [i, x] : a.lin_) out.lin_.push_back({i, x * b.c_});
  for (const auto& [j, y] : b.lin_) out.lin_.push_back({j, y * a.c_});
  for (const auto& [i, x] : a.lin_)
    for (const auto& [j, y] : b.lin_) out.quad_.push_back({std::min(i, j), std::max(i, j), x * y});
  return out;
}

}  // namespace zk
