// Statistical helpers for the zero-knowledge tests: chi-square statistics on
// the low 4 bits of field words (16 bins, 15 degrees of freedom).
#pragma once

#include <array>
#include <cstdint>
#include <vector>

namespace zk::testing {

// The 0.1% critical value of chi-square with 15 degrees of freedom.
inline constexpr double kChiSquare15Critical = 37.7;

// Goodness of fit of the low 4 bits to the uniform distribution.
inline double chi_square_uniform(const std::vector<uint64_t>& xs) {
  std::array<double, 16> bins{};
  for (auto x : xs) bins[x & 15] += 1;
  double expect = xs.size() / 16.0, chi = 0;
  for (double b : bins) chi += (b - expect) * (b - expect) / expect;
  return chi;
}

// Two-sample chi-square between the low-4-bit histograms of a and b.
inline double chi_square_two_sample(const std::vector<uint64_t>& a,
                                    const std::vector<uint64_t>& b) {
  std::array<double, 16> ha{}, hb{};
  for (auto x : a) ha[x & 15] += 1;
  for (auto x : b) hb[x & 15] += 1;
  double chi = 0, na = a.size(), nb = b.size();
  for (int i = 0; i < 16; ++i) {
    double tot = ha[i] + hb[i];
    if (tot == 0) continue;
    double ea = tot * na / (na + nb), eb = tot * nb / (na + nb);
    chi += (ha[i] - ea) * (ha[i] - ea) / ea + (hb[i] - eb) * (hb[i] - eb) / eb;
  }
  return chi;
}

}  // namespace zk::testing
