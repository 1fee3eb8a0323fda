// Building blocks over size ranges: field multiplication, NTT, Ligero
// commitment, sumcheck, LogUp-GKR fractional sums.
#include <benchmark/benchmark.h>

#include <random>

#include "field/ntt.h"
#include "lookup/logup.h"
#include "pcs/ligero/ligero.h"
#include "sumcheck/sumcheck.h"

namespace {

using namespace zk;

std::vector<Fp> random_fp(size_t n) {
  std::mt19937_64 rng(1);
  std::vector<Fp> v(n);
  for (auto& x : v) x = Fp(rng());
  return v;
}

std::vector<Fp2> random_fp2(size_t n) {
  std::mt19937_64 rng(2);
  std::vector<Fp2> v(n);
  for (auto& x : v) x = Fp2(Fp(rng()), Fp(rng()));
  return v;
}

void BM_FpMul(benchmark::State& st) {
  Fp a(123456789), b(987654321);
  for (auto _ : st) {
    a = a * b;
    benchmark::DoNotOptimize(a);
  }
}
BENCHMARK(BM_FpMul);

void BM_Fp2Mul(benchmark::State& st) {
  Fp2 a(Fp(3), Fp(5)), b(Fp(7), Fp(11));
  for (auto _ : st) {
    a = a * b;
    benchmark::DoNotOptimize(a);
  }
}
BENCHMARK(BM_Fp2Mul);

void BM_Ntt(benchmark::State& st) {
  auto v = random_fp(size_t{1} << st.range(0));
  for (auto _ : st) {
    ntt(v);
    benchmark::DoNotOptimize(v.data());
  }
  st.SetItemsProcessed(st.iterations() * v.size());
}
BENCHMARK(BM_Ntt)->DenseRange(10, 20, 5)->Unit(benchmark::kMicrosecond);

void BM_LigeroCommit(benchmark::State& st) {
  unsigned n = static_cast<unsigned>(st.range(0));
  auto v = random_fp(size_t{1} << n);
  auto p = pcs::choose_params(n);
  for (auto _ : st) benchmark::DoNotOptimize(pcs::ligero_commit(v, p));
  st.SetItemsProcessed(st.iterations() * v.size());
}
BENCHMARK(BM_LigeroCommit)->DenseRange(12, 20, 4)->Unit(benchmark::kMillisecond);

void BM_SumcheckProduct(benchmark::State& st) {
  size_t n = size_t{1} << st.range(0);
  auto a = random_fp2(n), b = random_fp2(n);
  for (auto _ : st) {
    ProverChannel ch(Transcript("bench"));
    std::vector<std::vector<Fp2>> t{a, b};
    benchmark::DoNotOptimize(sumcheck_prove(ch, t, {{Fp2::one(), {0, 1}}}, 2));
  }
  st.SetItemsProcessed(st.iterations() * n);
}
BENCHMARK(BM_SumcheckProduct)->DenseRange(12, 20, 4)->Unit(benchmark::kMillisecond);

void BM_FractionSum(benchmark::State& st) {
  size_t n = size_t{1} << st.range(0);
  auto p = random_fp2(n), q = random_fp2(n);
  for (auto _ : st) {
    ProverChannel ch(Transcript("bench"));
    benchmark::DoNotOptimize(lookup::fraction_sum_prove(ch, p, q));
  }
  st.SetItemsProcessed(st.iterations() * n);
}
BENCHMARK(BM_FractionSum)->DenseRange(10, 18, 4)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
