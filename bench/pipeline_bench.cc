// End-to-end benchmarks: for the demo LeNet and the 1M-parameter MLP, prove
// and verify time, proof size, prover peak memory, and plain float inference
// on the same input with the prove/inference ratio. Prints a summary table
// after Google Benchmark's own report. Usage: pipeline_bench [gbench flags]
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "onnx/import.h"
#include "proof/api.h"

namespace {

using namespace zk;

std::vector<std::vector<float>> read_inputs(const std::string& path) {
  std::ifstream f(path);
  return nlohmann::json::parse(f)["input_data"].get<std::vector<std::vector<float>>>();
}

struct Model {
  std::string name;
  model::FloatGraph graph;
  proof::Keys keys;
  std::vector<std::vector<float>> input;
  proof::Proof proof;
  size_t params = 0;
  bool zk = false;
};

std::map<std::string, Model>& models() {
  static std::map<std::string, Model> m;
  return m;
}

// Visibility by name suffix: "_zk" private input, committed (hidden) weights,
// public output — the command line's default; "_zkp" private input, public
// weights; "_zkw" private input and weights; none: public input, output and
// weights (no hiding overhead).
Model& load(const std::string& name, const std::string& dir, const std::string& file) {
  auto& m = models()[name];
  if (!m.name.empty()) return m;
  m.name = name;
  std::string ex = std::string(ZK_SOURCE_DIR) + "/examples/" + dir + "/";
  m.graph = onnx::import_model(ex + file);
  quant::QuantOptions opt;
  auto ends = [&](const char* suf) {
    std::string x(suf);
    return name.size() > x.size() && name.substr(name.size() - x.size()) == x;
  };
  if (ends("_zk") || ends("_zkw") || ends("_zkp")) opt.input_vis = circuit::Visibility::kPrivate;
  if (ends("_zk")) opt.weight_vis = circuit::Visibility::kCommitted;
  if (ends("_zkw")) opt.weight_vis = circuit::Visibility::kPrivate;
  m.zk = opt.input_vis != circuit::Visibility::kPublic;
  auto cm = quant::quantize(m.graph, read_inputs(ex + "calibration.json"), opt);
  for (const auto& n : m.graph.nodes) m.params += n.weight.data.size() + n.bias.data.size();
  m.keys = proof::setup(cm);
  m.input = read_inputs(ex + "input.json");
  m.proof = proof::prove(m.keys.pk, m.input).proof;
  return m;
}

Model& bench_model(const std::string& name) {
  if (name.rfind("lenet", 0) == 0) return load(name, "lenet", "lenet.onnx");
  return load(name, "mlp", "mlp.onnx");
}

// Best (minimum) seconds per iteration seen for each benchmark, for the summary.
std::map<std::string, double>& best() {
  static std::map<std::string, double> b;
  return b;
}

void record(const std::string& key, double s) {
  auto it = best().find(key);
  if (it == best().end() || s < it->second) best()[key] = s;
}

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

void BM_Prove(benchmark::State& st, std::string name) {
  auto& m = bench_model(name);
  size_t bytes = 0;
  for (auto _ : st) {
    auto t = std::chrono::steady_clock::now();
    auto r = proof::prove(m.keys.pk, m.input);
    record(name + "/prove", seconds_since(t));
    bytes = proof::save_proof(r.proof).size();
  }
  st.counters["proof_bytes"] = static_cast<double>(bytes);
}

void BM_Verify(benchmark::State& st, std::string name) {
  auto& m = bench_model(name);
  for (auto _ : st) {
    auto t = std::chrono::steady_clock::now();
    auto r = proof::verify(m.keys.vk, m.proof, m.zk ? nullptr : &m.input);
    record(name + "/verify", seconds_since(t));
    if (!r.ok) st.SkipWithError(r.reason.c_str());
  }
}

void BM_FloatInference(benchmark::State& st, std::string name) {
  auto& m = bench_model(name);
  for (auto _ : st) {
    auto t = std::chrono::steady_clock::now();
    auto v = model::run_float(m.graph, m.input);
    benchmark::DoNotOptimize(v);
    record(name + "/float", seconds_since(t));
  }
}

// Peak resident memory of one `zkinfer prove` (loading the key included),
// measured on a fresh process image so nothing of this process is counted.
double prove_peak_mb(const std::string& name) {
  auto& m = bench_model(name);
  std::string dir = "/tmp/zkinfer_bench_" + std::to_string(getpid());
  std::string mk = "mkdir -p " + dir;
  if (std::system(mk.c_str()) != 0) return -1;
  std::string pk = dir + "/" + name + ".pk", in = dir + "/" + name + ".json",
              out = dir + "/" + name + ".proof";
  proof::write_file(pk, proof::save_pk(m.keys.pk));
  nlohmann::json j;
  j["input_data"] = m.input;
  std::ofstream(in) << j.dump();
  std::string exe = std::string(ZK_BINARY_DIR) + "/zkinfer";
  // posix_spawn (vfork-like) so the child never holds a copy of this
  // process's memory, which would count toward its peak.
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  std::string log = dir + "/out.txt";
  posix_spawn_file_actions_addopen(&fa, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<std::string> args{"zkinfer", "prove", "--pk", pk, "--input", in, "--proof", out};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  if (posix_spawn(&pid, exe.c_str(), &fa, nullptr, argv.data(), environ) != 0) return -1;
  posix_spawn_file_actions_destroy(&fa);
  int status = 0;
  waitpid(pid, &status, 0);
  // zkinfer reports its own peak (VmHWM of its process image).
  std::ifstream lf(log);
  std::string text((std::istreambuf_iterator<char>(lf)), std::istreambuf_iterator<char>());
  std::string rm = "rm -rf " + dir;
  (void)std::system(rm.c_str());
  auto at = text.find("peak memory ");
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || at == std::string::npos) return -1;
  return std::stod(text.substr(at + 12));
}

}  // namespace

BENCHMARK_CAPTURE(BM_Prove, lenet, std::string("lenet"))
    ->Unit(benchmark::kMillisecond)
    ->MinTime(1.0);
BENCHMARK_CAPTURE(BM_Verify, lenet, std::string("lenet"))
    ->Unit(benchmark::kMillisecond)
    ->MinTime(0.5);
BENCHMARK_CAPTURE(BM_FloatInference, lenet, std::string("lenet"))
    ->Unit(benchmark::kMicrosecond)
    ->MinTime(0.5);
BENCHMARK_CAPTURE(BM_Prove, lenet_zk, std::string("lenet_zk"))
    ->Unit(benchmark::kMillisecond)
    ->MinTime(1.0);
BENCHMARK_CAPTURE(BM_Verify, lenet_zk, std::string("lenet_zk"))
    ->Unit(benchmark::kMillisecond)
    ->MinTime(0.5);
BENCHMARK_CAPTURE(BM_Prove, lenet_zkp, std::string("lenet_zkp"))
    ->Unit(benchmark::kMillisecond)
    ->MinTime(1.0);
BENCHMARK_CAPTURE(BM_Verify, lenet_zkp, std::string("lenet_zkp"))
    ->Unit(benchmark::kMillisecond)
    ->MinTime(0.5);
BENCHMARK_CAPTURE(BM_Prove, lenet_zkw, std::string("lenet_zkw"))
    ->Unit(benchmark::kMillisecond)
    ->MinTime(1.0);
BENCHMARK_CAPTURE(BM_Verify, lenet_zkw, std::string("lenet_zkw"))
    ->Unit(benchmark::kMillisecond)
    ->MinTime(0.5);
BENCHMARK_CAPTURE(BM_Prove, mlp_1m, std::string("mlp"))
    ->Unit(benchmark::kMillisecond)
    ->MinTime(1.0);
BENCHMARK_CAPTURE(BM_Verify, mlp_1m, std::string("mlp"))
    ->Unit(benchmark::kMillisecond)
    ->MinTime(0.5);
BENCHMARK_CAPTURE(BM_FloatInference, mlp_1m, std::string("mlp"))
    ->Unit(benchmark::kMicrosecond)
    ->MinTime(0.5);
BENCHMARK_CAPTURE(BM_Prove, mlp_1m_zk, std::string("mlp_zk"))
    ->Unit(benchmark::kMillisecond)
    ->MinTime(1.0);
BENCHMARK_CAPTURE(BM_Verify, mlp_1m_zk, std::string("mlp_zk"))
    ->Unit(benchmark::kMillisecond)
    ->MinTime(0.5);
BENCHMARK_CAPTURE(BM_Prove, mlp_1m_zkp, std::string("mlp_zkp"))
    ->Unit(benchmark::kMillisecond)
    ->MinTime(1.0);
BENCHMARK_CAPTURE(BM_Verify, mlp_1m_zkp, std::string("mlp_zkp"))
    ->Unit(benchmark::kMillisecond)
    ->MinTime(0.5);
BENCHMARK_CAPTURE(BM_Prove, mlp_1m_zkw, std::string("mlp_zkw"))
    ->Unit(benchmark::kMillisecond)
    ->MinTime(1.0);
BENCHMARK_CAPTURE(BM_Verify, mlp_1m_zkw, std::string("mlp_zkw"))
    ->Unit(benchmark::kMillisecond)
    ->MinTime(0.5);

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  std::printf("\n%-9s %9s %10s %10s %11s %11s %12s %12s\n", "model", "params", "prove ms",
              "verify ms", "proof KB", "peak MB", "float ms", "prove/float");
  for (const auto& [name, target_prove, target_verify] :
       std::vector<std::tuple<std::string, double, double>>{{"lenet", 300, 20}, {"mlp", 500, 0}}) {
    if (!best().count(name + "/prove")) continue;
    auto& m = bench_model(name);
    double p = best()[name + "/prove"] * 1e3, v = best()[name + "/verify"] * 1e3,
           f = best()[name + "/float"] * 1e3;
    double kb = proof::save_proof(m.proof).size() / 1024.0;
    std::printf("%-9s %9zu %10.1f %10.2f %11.1f %11.1f %12.3f %11.0fx\n", name.c_str(), m.params, p,
                v, kb, prove_peak_mb(name), f, p / f);
    std::printf("          targets: prove <= %.0f ms%s\n", target_prove,
                target_verify > 0 ? ", verify <= 20 ms, proof <= 1024 KB" : "");
    for (const auto& [suffix, what] : std::vector<std::pair<std::string, std::string>>{
             {"_zk", "private input, committed weights"},
             {"_zkp", "private input, public weights"},
             {"_zkw", "private input and weights"}}) {
      const std::string zn = name + suffix;
      if (!best().count(zn + "/prove")) continue;
      auto& z = bench_model(zn);
      double zp = best()[zn + "/prove"] * 1e3, zv = best()[zn + "/verify"] * 1e3;
      double zkb = proof::save_proof(z.proof).size() / 1024.0;
      std::printf("%-9s %9zu %10.1f %10.2f %11.1f %11s %12s %11.0fx\n", zn.c_str(), z.params, zp,
                  zv, zkb, "", "", zp / f);
      std::printf(
          "          zero knowledge (%s) vs public: prove %.2fx, verify %.2fx, "
          "proof %.2fx  (targets: prove <= 1.3x, proof <= 1.2x)\n",
          what.c_str(), zp / p, zv / v, zkb / kb);
    }
  }
  return 0;
}
