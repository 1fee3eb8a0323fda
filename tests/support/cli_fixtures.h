// Shared by the command-line tests: file helpers and the LeNet example
// compiled, set up and proved once per suite.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "cli_runner.h"

namespace zk::testing::cli {

namespace fs = std::filesystem;

inline const std::string kLenetDir = std::string(ZK_SOURCE_DIR) + "/examples/lenet/";
inline const std::string kMlpDir = std::string(ZK_SOURCE_DIR) + "/examples/mlp/";
constexpr int kLenetLabel = 9;
constexpr size_t kLenetInputSize = 784;

using zk::testing::has;
using zk::testing::Result;
using zk::testing::zk;

inline std::vector<uint8_t> read_bytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(f)),
                              std::istreambuf_iterator<char>());
}

inline void write_bytes(const std::string& path, const std::vector<uint8_t>& b) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
}

inline void write_text(const std::string& path, const std::string& s) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << s;
}

inline nlohmann::json read_json(const std::string& path) {
  std::ifstream f(path);
  return nlohmann::json::parse(f);
}

inline std::vector<uint8_t> random_bytes(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<uint8_t> b(n);
  for (auto& x : b) x = static_cast<uint8_t>(rng());
  return b;
}

inline std::vector<uint8_t> prefix(const std::vector<uint8_t>& b, size_t n) {
  return std::vector<uint8_t>(b.begin(),
                              b.begin() + static_cast<std::ptrdiff_t>(std::min(n, b.size())));
}

inline std::vector<uint8_t> flip_middle(std::vector<uint8_t> b) {
  b[b.size() / 2] ^= 0x40;
  return b;
}

// A failed command: status 1 or 2, one "error:" or "REJECTED" line naming
// `phrase`, nothing claiming success.
inline void expect_failure(const Result& r, const std::string& phrase, const std::string& context) {
  SCOPED_TRACE(context);
  EXPECT_TRUE(r.code == 1 || r.code == 2) << r.all();
  EXPECT_TRUE(has(r.err, "error: ") || has(r.err, "REJECTED")) << r.all();
  EXPECT_TRUE(has(r.err, phrase)) << "expected '" << phrase << "' in\n" << r.all();
  EXPECT_FALSE(has(r.out, "ACCEPTED")) << r.all();
}

using zk::testing::ScratchDir;

// The LeNet example compiled, set up and proved once per suite.
struct Lenet {
  std::string zkc, pk, vk, proof, out_json;
  Result compile, setup, prove;
  bool ok() const { return compile.code == 0 && setup.code == 0 && prove.code == 0; }
};

inline Lenet build_lenet(const ScratchDir& d) {
  Lenet l;
  l.zkc = d.path("lenet.zkc");
  l.pk = d.path("lenet.pk");
  l.vk = d.path("lenet.vk");
  l.proof = d.path("lenet.proof");
  l.out_json = d.path("out.json");
  // A public input: these tests check what a verifier given the input rejects.
  l.compile = zk({"compile", kLenetDir + "lenet.onnx", "-o", l.zkc, "--calibration",
                  kLenetDir + "calibration.json", "--visibility", "input=public"});
  if (l.compile.code != 0) return l;
  l.setup = zk({"setup", l.zkc, "--pk", l.pk, "--vk", l.vk});
  if (l.setup.code != 0) return l;
  l.prove = zk({"prove", "--pk", l.pk, "--input", kLenetDir + "input.json", "--proof", l.proof,
                "--output", l.out_json});
  return l;
}

// Each suite gets its own fresh scratch directory and LeNet artifacts.
class LenetSuite : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new ScratchDir;
    lenet_ = new Lenet(build_lenet(*tmp_));
  }
  static void TearDownTestSuite() {
    delete lenet_;
    delete tmp_;
    lenet_ = nullptr;
    tmp_ = nullptr;
  }
  void SetUp() override {
    ASSERT_TRUE(lenet_->ok()) << lenet_->compile.all() << lenet_->setup.all()
                              << lenet_->prove.all();
  }
  static std::string path(const std::string& name) { return tmp_->path(name); }
  static const Lenet& lenet() { return *lenet_; }
  // Writes `bytes` to a scratch file and returns its path.
  static std::string file(const std::string& name, const std::vector<uint8_t>& bytes) {
    write_bytes(path(name), bytes);
    return path(name);
  }
  static std::string text_file(const std::string& name, const std::string& s) {
    write_text(path(name), s);
    return path(name);
  }
  // LeNet's input.json with pixel `i` changed by `delta`.
  static std::string changed_input(const std::string& name, size_t i, float delta) {
    auto j = read_json(kLenetDir + "input.json");
    j["input_data"][0][i] = j["input_data"][0][i].get<float>() + delta;
    return text_file(name, j.dump());
  }

 private:
  static inline ScratchDir* tmp_ = nullptr;
  static inline Lenet* lenet_ = nullptr;
};

}  // namespace zk::testing::cli
