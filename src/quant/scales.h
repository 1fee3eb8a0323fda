// Choosing power-of-two scales, shared by calibration and lowering.
#pragma once

#include <cstdint>
#include <vector>

namespace zk::quant {

std::vector<uint32_t> log_dims_of(const std::vector<int64_t>& dims);
int64_t round_scaled(double x, int scale);
// Smallest scale >= base (and <= cap) at which 99% of the nonzero values keep
// at least `bits` significant bits.
int precise_scale(const std::vector<float>& v, int base, int cap, int bits);
// The scale of a tensor never nonzero in calibration.
inline constexpr int kUncalibratedScale = 12;
// Largest scale s (within limits) such that amax * 2^s <= bound.
int choose_scale(double amax, double bound, int max_scale);

}  // namespace zk::quant
