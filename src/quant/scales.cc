#include "quant/scales.h"

#include <algorithm>
#include <cmath>

#include "poly/mle.h"

namespace zk::quant {

std::vector<uint32_t> log_dims_of(const std::vector<int64_t>& dims) {
  std::vector<uint32_t> l;
  for (auto d : dims) l.push_back(log2_exact(static_cast<size_t>(d)));
  return l;
}

int64_t round_scaled(double x, int scale) { return std::llround(std::ldexp(x, scale)); }

int precise_scale(const std::vector<float>& v, int base, int cap, int bits) {
  std::vector<double> mags;
  for (float x : v)
    if (x != 0 && std::isfinite(x)) mags.push_back(std::fabs(static_cast<double>(x)));
  if (mags.empty()) return base;
  size_t k = mags.size() / 100;
  std::nth_element(mags.begin(), mags.begin() + k, mags.end());
  // Clamped as a double: a denormal magnitude makes the log infinite, and
  // casting that to int is undefined.
  const double want = std::ceil(std::log2(std::ldexp(1.0, bits) / mags[k]));
  const int need = static_cast<int>(std::clamp(want, -1024.0, 1024.0));
  return std::min(std::max(base, need), std::max(base, cap));
}

int choose_scale(double amax, double bound, int max_scale) {
  // A tensor that was zero throughout calibration says nothing of its
  // range: give it a moderate scale (range +-2 at 13 bits), not the finest.
  if (!(amax > 0)) return std::min(max_scale, kUncalibratedScale);
  // Clamped before the cast: an infinite amax makes the log -inf (found by
  // fuzz/onnx_fuzz.cc), and casting that to int is undefined. The floor
  // covers every finite float: networks with constant weights (the light
  // model zoo) reach 1e19, far past the 2^29 a floor of -16 allowed.
  const double s = std::floor(std::log2(bound / amax));
  return static_cast<int>(std::clamp(s, -126.0, static_cast<double>(max_scale)));
}

}  // namespace zk::quant
