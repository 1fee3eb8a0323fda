// Radix-2 number-theoretic transform over Goldilocks (two-adicity 32).
#pragma once

#include <cstddef>
#include <vector>

#include "field/goldilocks.h"

namespace zk {

// Generator of the multiplicative group, and a primitive 2^k-th root of unity.
inline constexpr Fp kMultiplicativeGenerator = Fp(7);
Fp root_of_unity(unsigned log_n);

// In place: coefficients -> evaluations at w^0..w^(n-1), w = root_of_unity(log2 n).
// n must be a power of two, at most 2^32.
void ntt(Fp* data, size_t n);
inline void ntt(std::vector<Fp>& v) { ntt(v.data(), v.size()); }

// Reed-Solomon encoding: treats msg as coefficients of a polynomial of degree
// < msg.size() and returns its evaluations on the subgroup of size
// msg.size() * blowup.
std::vector<Fp> rs_encode(const Fp* msg, size_t len, size_t blowup);

}  // namespace zk
