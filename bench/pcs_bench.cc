// The two multilinear commitments side by side at equal sizes: Ligero
// (O(sqrt N) openings) and Basefold (O(log^2 N)). Each run commits to 2^n
// random values, opens one evaluation claim and verifies it; the counters
// give each phase's milliseconds and the opening's bytes.
//   build/pcs_bench --benchmark_filter='/20'   (one size)
#include <benchmark/benchmark.h>

#include <chrono>
#include <random>
#include <stdexcept>

#include "pcs/basefold/basefold_pcs.h"
#include "pcs/ligero/ligero_pcs.h"

namespace {

using namespace zk;
using Clock = std::chrono::steady_clock;

Transcript bound(const Digest& root) {
  Transcript t("pcs-bench");
  t.absorb("root", root);
  return t;
}

double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

// The scheme for 2^n values: the smallest openings (plain), or Basefold at
// rate 1/2 (a quarter of the codeword at rate 1/8, twice the queries).
template <typename S>
S make(unsigned n, bool half_rate) {
  if constexpr (std::is_same_v<S, pcs::BasefoldPcs>)
    if (half_rate) return S(pcs::basefold_params(n, 1));
  return S::plain(n);
}

template <typename S, bool kHalfRate = false>
void BM_Pcs(benchmark::State& st) {
  const unsigned n = static_cast<unsigned>(st.range(0));
  std::mt19937_64 rng(1);
  std::vector<Fp> v(size_t{1} << n);
  for (auto& x : v) x = Fp(rng() % Fp::kModulus);
  Point z(n);
  for (auto& x : z) x = Fp2(Fp(rng() % Fp::kModulus), Fp(rng() % Fp::kModulus));
  const Fp2 value = mle_eval(std::span<const Fp>(v), z);
  const S scheme = make<S>(n, kHalfRate);
  double commit_ms = 0, open_ms = 0, verify_ms = 0, bytes = 0;
  for (auto _ : st) {
    auto t0 = Clock::now();
    auto data = scheme.commit(v, nullptr);
    commit_ms = ms_since(t0);
    std::vector<pcs::BlockClaim> claims{{0, z, value}};
    ProverChannel pc(bound(S::root(data)));
    t0 = Clock::now();
    scheme.open(pc, data, claims);
    open_ms = ms_since(t0);
    auto proof = pc.take_bytes();
    bytes = static_cast<double>(proof.size());
    VerifierChannel vc(bound(S::root(data)), proof);
    t0 = Clock::now();
    scheme.verify(vc, S::root(data), claims);
    vc.finish();
    verify_ms = ms_since(t0);
  }
  st.counters["commit_ms"] = commit_ms;
  st.counters["open_ms"] = open_ms;
  st.counters["verify_ms"] = verify_ms;
  st.counters["proof_KB"] = bytes / 1024;
}

BENCHMARK(BM_Pcs<pcs::LigeroPcs>)
    ->Name("Ligero")
    ->DenseRange(16, 24, 4)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Pcs<pcs::BasefoldPcs>)
    ->Name("Basefold")
    ->DenseRange(16, 24, 4)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Pcs<pcs::BasefoldPcs, true>)
    ->Name("Basefold_rate_1/2")
    ->DenseRange(16, 24, 4)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
