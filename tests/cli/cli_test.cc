// The zkinfer command line driven in-process: the LeNet example end to end,
// rejection of wrong inputs and wrong models, every command fed bad files
// (empty, random, truncated, corrupted, of the wrong kind, missing), and a
// deterministic mini-fuzz of the proof parser and verifier. Every failure must
// exit non-zero with an "error:" or "REJECTED" line naming the problem.
#include "cli/cli.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "../support/cli_runner.h"
#include "proof/files.h"
#include "proof/npy.h"

namespace fs = std::filesystem;

namespace {

const std::string kLenetDir = std::string(ZK_SOURCE_DIR) + "/examples/lenet/";
const std::string kMlpDir = std::string(ZK_SOURCE_DIR) + "/examples/mlp/";
constexpr int kLenetLabel = 9;
constexpr size_t kLenetInputSize = 784;

using zk::testing::has;
using zk::testing::Result;
using zk::testing::zk;

std::vector<uint8_t> read_bytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(f)),
                              std::istreambuf_iterator<char>());
}

void write_bytes(const std::string& path, const std::vector<uint8_t>& b) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
}

void write_text(const std::string& path, const std::string& s) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << s;
}

nlohmann::json read_json(const std::string& path) {
  std::ifstream f(path);
  return nlohmann::json::parse(f);
}

std::vector<uint8_t> random_bytes(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<uint8_t> b(n);
  for (auto& x : b) x = static_cast<uint8_t>(rng());
  return b;
}

std::vector<uint8_t> prefix(const std::vector<uint8_t>& b, size_t n) {
  return std::vector<uint8_t>(b.begin(),
                              b.begin() + static_cast<std::ptrdiff_t>(std::min(n, b.size())));
}

std::vector<uint8_t> flip_middle(std::vector<uint8_t> b) {
  b[b.size() / 2] ^= 0x40;
  return b;
}

// A failed command: status 1 or 2, one "error:" or "REJECTED" line naming
// `phrase`, nothing claiming success.
void expect_failure(const Result& r, const std::string& phrase, const std::string& context) {
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

Lenet build_lenet(const ScratchDir& d) {
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
  static ScratchDir* tmp_;
  static Lenet* lenet_;
};
ScratchDir* LenetSuite::tmp_ = nullptr;
Lenet* LenetSuite::lenet_ = nullptr;

// ---------------------------------------------------------------- pipeline

class CliPipeline : public LenetSuite {};

TEST_F(CliPipeline, CompileSetupProveVerifyLenet) {
  const Lenet& l = lenet();
  EXPECT_EQ(l.compile.code, 0) << l.compile.all();
  EXPECT_TRUE(has(l.compile.out, "compiled ")) << l.compile.all();
  EXPECT_TRUE(has(l.setup.out, "weight commitment: ")) << l.setup.all();
  EXPECT_TRUE(has(l.prove.out, "(argmax " + std::to_string(kLenetLabel) + ")")) << l.prove.all();
  EXPECT_TRUE(has(l.prove.out, "proved in")) << l.prove.all();

  // OUT.json: one output of 10 logits whose argmax is the image's label.
  auto out = read_json(l.out_json);
  ASSERT_TRUE(out.contains("output_data")) << out.dump();
  ASSERT_TRUE(out["output_data"].is_array());
  ASSERT_EQ(out["output_data"].size(), 1u);
  const auto& logits_j = out["output_data"][0];
  ASSERT_EQ(logits_j.size(), 10u);
  std::vector<float> logits;
  for (const auto& x : logits_j) {
    ASSERT_TRUE(x.is_number()) << out.dump();
    logits.push_back(x.get<float>());
  }
  EXPECT_EQ(std::max_element(logits.begin(), logits.end()) - logits.begin(), kLenetLabel);

  for (bool with_input : {true, false}) {
    SCOPED_TRACE(with_input ? "verify --input" : "verify without --input");
    std::vector<std::string> args = {"verify", "--vk", l.vk, "--proof", l.proof};
    if (with_input) args.insert(args.end(), {"--input", kLenetDir + "input.json"});
    Result v = zk(args);
    ASSERT_EQ(v.code, 0) << v.all();
    EXPECT_TRUE(has(v.out, "ACCEPTED")) << v.all();
    EXPECT_TRUE(has(v.out, "proven output 0: ")) << v.all();
    EXPECT_TRUE(has(v.out, "(argmax " + std::to_string(kLenetLabel) + ")")) << v.all();
    // The proven output is the one prove wrote to OUT.json.
    for (float x : logits) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.4f", x);
      EXPECT_TRUE(has(v.out, buf)) << buf << " missing from\n" << v.all();
    }
    EXPECT_EQ(v.err, "");
  }
}

TEST_F(CliPipeline, InspectEveryFileKind) {
  const Lenet& l = lenet();
  // The commitment setup printed, to find it again in keys and proof.
  const std::string tag = "weight commitment: ";
  auto at = l.setup.out.find(tag);
  ASSERT_NE(at, std::string::npos);
  const std::string commitment = l.setup.out.substr(at + tag.size(), 64);

  Result m = zk({"inspect", l.zkc});
  ASSERT_EQ(m.code, 0) << m.all();
  for (const char* s :
       {"compiled model", "layers:", "Conv", "Gemm", "bits", "weight commitment: Ligero"})
    EXPECT_TRUE(has(m.out, s)) << s << "\n" << m.all();

  Result pk = zk({"inspect", l.pk});
  ASSERT_EQ(pk.code, 0) << pk.all();
  for (const std::string& s :
       std::vector<std::string>{std::string("proving key"), "layers:", "bits", tag + commitment})
    EXPECT_TRUE(has(pk.out, s)) << s << "\n" << pk.all();

  Result vk = zk({"inspect", l.vk});
  ASSERT_EQ(vk.code, 0) << vk.all();
  for (const std::string& s : std::vector<std::string>{
           std::string("verifying key"), "model id: ", "layers:", "bits", tag + commitment})
    EXPECT_TRUE(has(vk.out, s)) << s << "\n" << vk.all();

  Result p = zk({"inspect", l.proof});
  ASSERT_EQ(p.code, 0) << p.all();
  for (const std::string& s : std::vector<std::string>{
           std::string("proof ("), "circuit digest: ", tag + commitment, "--vk"})
    EXPECT_TRUE(has(p.out, s)) << s << "\n" << p.all();

  Result pv = zk({"inspect", l.proof, "--vk", l.vk});
  ASSERT_EQ(pv.code, 0) << pv.all();
  for (const std::string& s : std::vector<std::string>{
           std::string("proof ("), "protocol messages: ", tag + commitment, "claimed output 0: "})
    EXPECT_TRUE(has(pv.out, s)) << s << "\n" << pv.all();
}

TEST_F(CliPipeline, HelpAndUsage) {
  Result h = zk({"--help"});
  EXPECT_EQ(h.code, 0);
  EXPECT_TRUE(has(h.out, "usage: zkinfer")) << h.all();
  Result none = zk({});
  EXPECT_EQ(none.code, 2);
  EXPECT_TRUE(has(none.err, "usage: zkinfer")) << none.all();
}

// ---------------------------------------------------- wrong input, wrong model

class CliRejects : public LenetSuite {};

TEST_F(CliRejects, VerifyWithOnePixelChangedInput) {
  const Lenet& l = lenet();
  for (size_t pixel : {size_t{0}, size_t{400}, kLenetInputSize - 1}) {
    const std::string in = changed_input("pixel.json", pixel, 0.25f);
    Result r = zk({"verify", "--vk", l.vk, "--proof", l.proof, "--input", in});
    EXPECT_EQ(r.code, 1) << r.all();
    expect_failure(r, "REJECTED", "pixel " + std::to_string(pixel));
    EXPECT_TRUE(has(r.err, "public input")) << r.all();
  }
}

TEST_F(CliRejects, VerifyWithInputOfWrongLength) {
  const Lenet& l = lenet();
  const std::string in = text_file("short.json", R"({"input_data": [[0.5, 0.25, 0]]})");
  Result r = zk({"verify", "--vk", l.vk, "--proof", l.proof, "--input", in});
  EXPECT_EQ(r.code, 1) << r.all();
  expect_failure(r, "784", "short input");
  EXPECT_TRUE(has(r.err, "3 were given")) << r.all();
}

TEST_F(CliRejects, VerifyWithInputThatIsNotJson) {
  const Lenet& l = lenet();
  const std::string in = text_file("bad.json", "{\"input_data\": [[1, 2,");
  Result r = zk({"verify", "--vk", l.vk, "--proof", l.proof, "--input", in});
  EXPECT_EQ(r.code, 1) << r.all();
  expect_failure(r, "not valid JSON", "truncated JSON");
}

// The same network calibrated on other data has other scales: another model.
TEST_F(CliRejects, VerifyWithDifferentlyCalibratedModelsKey) {
  const Lenet& l = lenet();
  auto cal = read_json(kLenetDir + "calibration.json");
  std::vector<float> half;
  for (size_t i = 0; i < 4 * kLenetInputSize; ++i)
    half.push_back(cal["input_data"][0][i].get<float>() * 0.5f);
  nlohmann::json j;
  j["input_data"] = {half};
  const std::string cal2 = text_file("cal_half.json", j.dump());
  Result c = zk({"compile", kLenetDir + "lenet.onnx", "-o", path("half.zkc"), "--calibration", cal2,
                 "--visibility", "input=public"});
  ASSERT_EQ(c.code, 0) << c.all();
  Result s = zk({"setup", path("half.zkc"), "--pk", path("half.pk"), "--vk", path("half.vk")});
  ASSERT_EQ(s.code, 0) << s.all();
  ASSERT_NE(read_bytes(path("half.vk")), read_bytes(l.vk));

  Result r = zk({"verify", "--vk", path("half.vk"), "--proof", l.proof});
  EXPECT_EQ(r.code, 1) << r.all();
  expect_failure(r, "REJECTED", "half-scale calibration");
  EXPECT_TRUE(has(r.err, "different model")) << r.all();

  // And the other way round: that model's proof under LeNet's key.
  Result p = zk({"prove", "--pk", path("half.pk"), "--input", kLenetDir + "input.json", "--proof",
                 path("half.proof")});
  if (p.code == 0) {
    Result r2 = zk({"verify", "--vk", l.vk, "--proof", path("half.proof")});
    EXPECT_EQ(r2.code, 1) << r2.all();
    expect_failure(r2, "REJECTED", "half-scale proof under LeNet key");
  } else {
    // The input may leave the range calibrated on half-bright images.
    expect_failure(p, "outside the provable range", "prove on half-scale model");
  }
}

TEST_F(CliRejects, VerifyWithAnotherNetworksKey) {
  const Lenet& l = lenet();
  Result c = zk({"compile", kMlpDir + "mlp.onnx", "-o", path("mlp.zkc"), "--calibration",
                 kMlpDir + "calibration.json", "--visibility", "input=public"});
  ASSERT_EQ(c.code, 0) << c.all();
  Result s = zk({"setup", path("mlp.zkc"), "--pk", path("mlp.pk"), "--vk", path("mlp.vk")});
  ASSERT_EQ(s.code, 0) << s.all();
  Result r = zk(
      {"verify", "--vk", path("mlp.vk"), "--proof", l.proof, "--input", kLenetDir + "input.json"});
  EXPECT_EQ(r.code, 1) << r.all();
  expect_failure(r, "REJECTED", "MLP key, LeNet proof");
  EXPECT_TRUE(has(r.err, "different model")) << r.all();
  // inspect decodes the proof against the wrong key without crashing.
  Result i = zk({"inspect", l.proof, "--vk", path("mlp.vk")});
  EXPECT_TRUE(i.code == 0 || i.code == 1) << i.all();
}

// ------------------------------------------------------------------ bad files

class CliBadFiles : public LenetSuite {};

TEST_F(CliBadFiles, CompileRejectsNonOnnxFiles) {
  const auto onnx = read_bytes(kLenetDir + "lenet.onnx");
  ASSERT_GT(onnx.size(), 1000u);
  const std::string out = path("bad.zkc");
  struct Case {
    std::string name;
    std::vector<uint8_t> bytes;
    std::string phrase;
  };
  std::vector<Case> cases = {
      {"empty.onnx", {}, "empty file"},
      {"random.onnx", random_bytes(4096, 1), "not a valid ONNX model"},
      {"text.onnx", {}, "not a valid ONNX model"},
  };
  const std::string text = "this is not a model\nGemm Relu Conv\n";
  cases[2].bytes.assign(text.begin(), text.end());
  for (size_t cut : {size_t{1}, size_t{2}, size_t{16}, size_t{100}, size_t{1000}, onnx.size() / 4,
                     onnx.size() / 2, onnx.size() - 100, onnx.size() - 1})
    cases.push_back(
        {"cut" + std::to_string(cut) + ".onnx", prefix(onnx, cut), "not a valid ONNX model"});
  for (const auto& c : cases) {
    fs::remove(out);
    Result r = zk({"compile", file(c.name, c.bytes), "-o", out});
    EXPECT_EQ(r.code, 1) << r.all();
    expect_failure(r, c.phrase, c.name);
    EXPECT_TRUE(has(r.err, c.name)) << "the error should name the file\n" << r.all();
    EXPECT_FALSE(fs::exists(out)) << c.name;
  }
}

TEST_F(CliBadFiles, CompileRejectsBadCalibration) {
  Result r = zk({"compile", kLenetDir + "lenet.onnx", "-o", path("x.zkc"), "--calibration",
                 text_file("cal.json", "[1, 2, 3]")});
  expect_failure(r, "input_data", "calibration without input_data");
  Result m = zk({"compile", kLenetDir + "lenet.onnx", "-o", path("x.zkc"), "--calibration",
                 path("nope.json")});
  expect_failure(m, "cannot open file", "missing calibration");
}

TEST_F(CliBadFiles, SetupRejectsBadCompiledModels) {
  const Lenet& l = lenet();
  const auto zkc = read_bytes(l.zkc);
  auto setup = [&](const std::string& in) {
    return zk({"setup", in, "--pk", path("x.pk"), "--vk", path("x.vk")});
  };
  expect_failure(setup(file("empty.zkc", {})), "not a zkinfer compiled model file", "empty");
  expect_failure(setup(file("random.zkc", random_bytes(5000, 2))),
                 "not a zkinfer compiled model file", "random");
  for (size_t cut : {size_t{8}, size_t{20}, size_t{39}, size_t{40}, size_t{1000}, zkc.size() / 2,
                     zkc.size() - 32, zkc.size() - 1})
    expect_failure(setup(file("cut.zkc", prefix(zkc, cut))), "truncated",
                   "cut at " + std::to_string(cut));
  expect_failure(setup(file("flip.zkc", flip_middle(zkc))), "checksum mismatch", "flipped byte");
  expect_failure(setup(l.vk), "not a zkinfer compiled model file", "vk given as model");
  expect_failure(setup(l.proof), "not a zkinfer compiled model file", "proof given as model");
  expect_failure(setup(path("missing.zkc")), "cannot open file", "missing");
  EXPECT_FALSE(fs::exists(path("x.pk")));
  EXPECT_FALSE(fs::exists(path("x.vk")));
}

TEST_F(CliBadFiles, ProveRejectsBadProvingKeys) {
  const Lenet& l = lenet();
  const auto pk = read_bytes(l.pk);
  const std::string in = kLenetDir + "input.json";
  auto prove = [&](const std::string& key) {
    return zk({"prove", "--pk", key, "--input", in, "--proof", path("x.proof")});
  };
  expect_failure(prove(file("empty.pk", {})), "not a zkinfer proving key file", "empty");
  expect_failure(prove(file("random.pk", random_bytes(5000, 3))), "not a zkinfer proving key file",
                 "random");
  for (size_t cut : {size_t{8}, size_t{39}, size_t{4096}, pk.size() / 2, pk.size() - 1})
    expect_failure(prove(file("cut.pk", prefix(pk, cut))), "truncated",
                   "cut at " + std::to_string(cut));
  expect_failure(prove(file("flip.pk", flip_middle(pk))), "checksum mismatch", "flipped byte");
  expect_failure(prove(l.vk), "not a zkinfer proving key file", "vk given as pk");
  expect_failure(prove(l.zkc), "not a zkinfer proving key file", "model given as pk");
  expect_failure(prove(path("missing.pk")), "cannot open file", "missing");
  EXPECT_FALSE(fs::exists(path("x.proof")));
}

TEST_F(CliBadFiles, ProveRejectsBadInputs) {
  const Lenet& l = lenet();
  auto prove = [&](const std::string& in) {
    return zk({"prove", "--pk", l.pk, "--input", in, "--proof", path("x.proof")});
  };
  auto input_of = [&](const std::string& name, const std::string& json) {
    return prove(text_file(name, json));
  };
  auto row_of = [](double v, size_t n = kLenetInputSize) {
    nlohmann::json j;
    j["input_data"] = {std::vector<double>(n, v)};
    return j.dump();
  };
  expect_failure(input_of("notjson.json", "this is { not json"), "not valid JSON", "not JSON");
  expect_failure(input_of("empty.json", ""), "not valid JSON", "empty");
  expect_failure(input_of("nokey.json", R"({"inputs": [[1, 2, 3]]})"), "\"input_data\"",
                 "no input_data");
  expect_failure(input_of("array.json", "[[0.5]]"), "\"input_data\"", "top-level array");
  expect_failure(input_of("strings.json", R"({"input_data": [["0.5", "a"]]})"), "non-number",
                 "strings");
  expect_failure(input_of("nulls.json", R"({"input_data": [[null]]})"), "non-number", "null");
  expect_failure(input_of("flat.json", R"({"input_data": [0.5, 0.25]})"), "list of numbers",
                 "flat list");
  Result w = input_of("short.json", R"({"input_data": [[0.5, 0.25, 0.0]]})");
  expect_failure(w, "784", "wrong length");
  EXPECT_TRUE(has(w.err, "3 were given")) << w.all();
  Result lng = input_of("long.json", row_of(0.5, kLenetInputSize + 1));
  expect_failure(lng, "784", "one value too many");
  EXPECT_TRUE(has(lng.err, "785")) << lng.all();
  expect_failure(input_of("none.json", R"({"input_data": []})"), "0 were given", "no inputs");
  expect_failure(
      input_of("two.json",
               "{\"input_data\": [" +
                   nlohmann::json(std::vector<float>(kLenetInputSize, 0.5f)).dump() + "," +
                   nlohmann::json(std::vector<float>(kLenetInputSize, 0.5f)).dump() + "]}"),
      "2 were given", "two inputs");
  // Out of the calibrated range, and infinite after conversion to float.
  expect_failure(input_of("bright.json", row_of(1e4)), "outside the provable range",
                 "1e4 everywhere");
  expect_failure(input_of("huge.json", row_of(1e300)), "non-finite", "1e300 everywhere");
  expect_failure(prove(path("missing.json")), "cannot open file", "missing input");
  EXPECT_FALSE(fs::exists(path("x.proof")));
}

TEST_F(CliBadFiles, ProveToUnwritablePath) {
  const Lenet& l = lenet();
  Result r = zk({"prove", "--pk", l.pk, "--input", kLenetDir + "input.json", "--proof",
                 path("no/such/dir/x.proof")});
  expect_failure(r, "cannot write file", "unwritable proof path");
}

TEST_F(CliBadFiles, VerifyRejectsBadVerifyingKeys) {
  const Lenet& l = lenet();
  const auto vk = read_bytes(l.vk);
  auto verify = [&](const std::string& key) {
    return zk({"verify", "--vk", key, "--proof", l.proof});
  };
  expect_failure(verify(file("empty.vk", {})), "not a zkinfer verifying key file", "empty");
  expect_failure(verify(file("random.vk", random_bytes(5000, 4))),
                 "not a zkinfer verifying key file", "random");
  for (size_t cut : {size_t{8}, size_t{39}, size_t{40}, size_t{100}, vk.size() / 2, vk.size() - 32,
                     vk.size() - 1})
    expect_failure(verify(file("cut.vk", prefix(vk, cut))), "truncated",
                   "cut at " + std::to_string(cut));
  expect_failure(verify(file("flip.vk", flip_middle(vk))), "checksum mismatch",
                 "flipped middle byte");
  for (size_t pos : {size_t{12}, size_t{100}, vk.size() - 1}) {
    auto b = vk;
    b[pos] ^= 0x01;
    expect_failure(verify(file("flip.vk", b)), "checksum mismatch",
                   "flipped byte " + std::to_string(pos));
  }
  auto version = vk;
  version[5] ^= 0x01;
  expect_failure(verify(file("version.vk", version)),
                 "unsupported format version " + std::to_string(zk::proof::kFormatVersion ^ 0x100u),
                 "version byte");
  auto appended = vk;
  appended.push_back(0);
  expect_failure(verify(file("long.vk", appended)), "checksum mismatch", "byte appended");
  expect_failure(verify(l.pk), "not a zkinfer verifying key file", "pk given as vk");
  expect_failure(verify(l.proof), "not a zkinfer verifying key file", "proof given as vk");
  expect_failure(verify(path("missing.vk")), "cannot open file", "missing");
}

TEST_F(CliBadFiles, VerifyRejectsBadProofFiles) {
  const Lenet& l = lenet();
  const auto proof = read_bytes(l.proof);
  auto verify = [&](const std::string& p) {
    return zk({"verify", "--vk", l.vk, "--proof", p, "--input", kLenetDir + "input.json"});
  };
  auto rejected = [&](const std::string& name, const std::vector<uint8_t>& b,
                      const std::string& phrase) {
    Result r = verify(file(name, b));
    EXPECT_EQ(r.code, 1) << name << "\n" << r.all();
    EXPECT_TRUE(has(r.err, "REJECTED")) << name << "\n" << r.all();
    expect_failure(r, phrase, name);
  };
  rejected("empty.proof", {}, "not a zkinfer proof file");
  rejected("random.proof", random_bytes(proof.size(), 5), "not a zkinfer proof file");
  rejected("short_random.proof", random_bytes(100, 6), "not a zkinfer proof file");
  const size_t n = proof.size();
  for (size_t cut : {size_t{8}, size_t{40}, size_t{72}, size_t{100}, size_t{1000}, n / 10, n / 2,
                     n * 9 / 10, n - 8, n - 1})
    rejected("cut" + std::to_string(cut) + ".proof", prefix(proof, cut), "truncated");
  for (size_t extra : {size_t{1}, size_t{8}, size_t{1000}}) {
    auto b = proof;
    b.insert(b.end(), extra, 0xAB);
    rejected("long" + std::to_string(extra) + ".proof", b, "trailing data");
  }
  auto version = proof;
  version[4] = 99;
  rejected("version.proof", version, "unsupported format version 99");
  rejected("vk_as.proof", read_bytes(l.vk), "not a zkinfer proof file");
  Result missing = verify(path("missing.proof"));
  expect_failure(missing, "cannot open file", "missing proof");
}

TEST_F(CliBadFiles, InspectRejectsBadFiles) {
  const Lenet& l = lenet();
  const auto proof = read_bytes(l.proof);
  expect_failure(zk({"inspect", file("random.bin", random_bytes(300, 7))}), "not a zkinfer file",
                 "random");
  expect_failure(zk({"inspect", file("empty.bin", {})}), "not a zkinfer file", "empty");
  expect_failure(zk({"inspect", path("missing.bin")}), "cannot open file", "missing");
  expect_failure(zk({"inspect", file("cut.vk", prefix(read_bytes(l.vk), 100))}), "truncated",
                 "cut vk");
  expect_failure(zk({"inspect", l.proof, "--vk", l.pk}), "not a zkinfer verifying key",
                 "pk as --vk");
  // A bad proof gets an error, not half a report on stdout.
  Result cut = zk({"inspect", file("cut.proof", prefix(proof, 1000)), "--vk", l.vk});
  expect_failure(cut, "truncated", "cut proof with --vk");
  EXPECT_EQ(cut.out, "") << cut.all();
  Result r = zk({"inspect", file("cut10.proof", prefix(proof, 10))});
  expect_failure(r, "truncated", "10-byte proof");
  EXPECT_EQ(r.out, "") << r.all();
}

// A missing output option is a usage error reported before any work: setup
// must not leave a .pk without its .vk, nor prove compute a proof it cannot write.
TEST_F(CliBadFiles, MissingOutputOptionWritesNothing) {
  const Lenet& l = lenet();
  Result s = zk({"setup", l.zkc, "--pk", path("only.pk")});
  EXPECT_EQ(s.code, 2) << s.all();
  EXPECT_TRUE(has(s.err, "missing required option --vk")) << s.all();
  EXPECT_FALSE(fs::exists(path("only.pk")));
  Result p =
      zk({"prove", "--pk", l.pk, "--input", kLenetDir + "input.json", "--output", path("o.json")});
  EXPECT_EQ(p.code, 2) << p.all();
  EXPECT_TRUE(has(p.err, "missing required option --proof")) << p.all();
  EXPECT_FALSE(has(p.out, "proved in")) << p.all();
  EXPECT_FALSE(fs::exists(path("o.json")));
}

// A directory where a file is expected: a clear error naming it.
TEST_F(CliBadFiles, DirectoryGivenAsFile) {
  const std::string dir = path("adir");
  fs::create_directory(dir);
  for (auto args : std::vector<std::vector<std::string>>{
           {"setup", dir, "--pk", path("x.pk"), "--vk", path("x.vk")},
           {"verify", "--vk", dir, "--proof", lenet().proof},
           {"inspect", dir},
           {"prove", "--pk", lenet().pk, "--input", dir, "--proof", path("x.proof")}}) {
    Result r = zk(args);
    expect_failure(r, dir, args[0]);
    EXPECT_TRUE(has(r.err, "directory")) << r.all();
  }
}

// The ONNX importer reads the model itself (src/onnx/import.cc); a directory
// must get the same clear error there.
TEST_F(CliBadFiles, CompileOfDirectory) {
  const std::string dir = path("adir");
  fs::create_directories(dir);
  Result r = zk({"compile", dir, "-o", path("x.zkc")});
  expect_failure(r, dir, "compile DIR");
  EXPECT_TRUE(has(r.err, "directory")) << r.all();
  EXPECT_FALSE(fs::exists(path("x.zkc")));
}

// ------------------------------------------------------------ usage errors

TEST_F(CliBadFiles, OutputsNeverOverwriteInputs) {
  const auto& l = lenet();
  // compile -o onto its own model, setup with one file for both keys, prove
  // over its own key: refused before anything is written.
  std::string model = file("copy.onnx", read_bytes(kLenetDir + "lenet.onnx"));
  auto before = read_bytes(model);
  expect_failure(zk({"compile", model, "-o", model}), "would overwrite the input", "compile");
  EXPECT_EQ(read_bytes(model), before);
  expect_failure(zk({"setup", l.zkc, "--pk", path("k"), "--vk", path("k")}), "same file", "setup");
  auto pk = read_bytes(l.pk);
  expect_failure(zk({"prove", "--pk", l.pk, "--input", kLenetDir + "input.json", "--proof", l.pk}),
                 "would overwrite the input", "prove");
  EXPECT_EQ(read_bytes(l.pk), pk);
}

TEST_F(CliBadFiles, InputOutsideTheCompiledRangeIsAnError) {
  const auto& l = lenet();
  auto j = read_json(kLenetDir + "input.json");
  j["input_data"][0][10] = 1e30;
  auto r = zk({"prove", "--pk", l.pk, "--input", text_file("huge.json", j.dump()), "--proof",
               path("huge.proof")});
  expect_failure(r, "outside the range the model was compiled for", "prove");
}

TEST_F(CliBadFiles, InspectWithAnotherModelsKeyIsAnError) {
  const auto& l = lenet();
  std::string mlp_zkc = path("mlp.zkc"), mlp_pk = path("mlp.pk"), mlp_vk = path("mlp.vk");
  ASSERT_EQ(zk({"compile", kMlpDir + "mlp.onnx", "-o", mlp_zkc}).code, 0);
  ASSERT_EQ(zk({"setup", mlp_zkc, "--pk", mlp_pk, "--vk", mlp_vk}).code, 0);
  auto r = zk({"inspect", l.proof, "--vk", mlp_vk});
  EXPECT_NE(r.code, 0) << r.all();
  EXPECT_FALSE(has(r.out, "claimed output")) << r.all();
}

TEST_F(CliPipeline, PrecisionOverridesChangeTheCircuit) {
  std::string zkc = path("wide.zkc"), pk = path("wide.pk"), vk = path("wide.vk");
  auto r = zk({"compile", kLenetDir + "lenet.onnx", "-o", zkc, "--calibration",
               kLenetDir + "calibration.json", "--table-bits", "12", "--weight-bits", "10"});
  ASSERT_EQ(r.code, 0) << r.all();
  auto ins = zk({"inspect", zkc});
  EXPECT_TRUE(has(ins.out, "2^12 rows")) << ins.all();
  ASSERT_EQ(zk({"setup", zkc, "--pk", pk, "--vk", vk}).code, 0);
  ASSERT_EQ(
      zk({"prove", "--pk", pk, "--input", kLenetDir + "input.json", "--proof", path("wide.proof")})
          .code,
      0);
  EXPECT_EQ(zk({"verify", "--vk", vk, "--proof", path("wide.proof")}).code, 0);
  // Another table size is another model: the default key rejects the proof.
  EXPECT_EQ(zk({"verify", "--vk", lenet().vk, "--proof", path("wide.proof")}).code, 1);
  for (const char* bad : {"99", "x", ""})
    EXPECT_EQ(
        zk({"compile", kLenetDir + "lenet.onnx", "-o", path("bad.zkc"), "--table-bits", bad}).code,
        2);
}

TEST_F(CliPipeline, NpyInputAndOutput) {
  const auto& l = lenet();
  auto j = read_json(kLenetDir + "input.json");
  std::vector<float> x = j["input_data"][0].get<std::vector<float>>();
  std::string in = file("in.npy", zk::proof::write_npy(x, {1, 1, 28, 28}));
  std::string proof = path("npy.proof"), out = path("out.npy");
  auto r = zk({"prove", "--pk", l.pk, "--input", in, "--proof", proof, "--output", out});
  ASSERT_EQ(r.code, 0) << r.all();
  auto y = zk::proof::read_npy(read_bytes(out), out);
  ASSERT_EQ(y.size(), 10u);
  EXPECT_EQ(std::max_element(y.begin(), y.end()) - y.begin(), kLenetLabel);
  // The same input as JSON verifies the .npy-made proof.
  EXPECT_EQ(
      zk({"verify", "--vk", l.vk, "--proof", proof, "--input", kLenetDir + "input.json"}).code, 0);
}

TEST_F(CliPipeline, InspectProofVerifiesAndBreaksDownItsSize) {
  const auto& l = lenet();
  auto r = zk({"inspect", l.proof, "--vk", l.vk});
  ASSERT_EQ(r.code, 0) << r.all();
  EXPECT_TRUE(has(r.out, "verifies against " + l.vk + ": yes")) << r.all();
  for (const char* kind : {"lookup messages", "weight messages", "witness messages"})
    EXPECT_TRUE(has(r.out, kind)) << r.all();
  // A corrupted proof is reported as not verifying, with the failed check.
  auto b = read_bytes(l.proof);
  b[b.size() / 2] ^= 1;
  auto bad = zk({"inspect", file("bad_inspect.proof", b), "--vk", l.vk});
  // Either the file no longer parses (an error) or it parses and does not verify.
  EXPECT_TRUE(bad.code != 0 || has(bad.out, ": NO (")) << bad.all();
  EXPECT_FALSE(has(bad.out, ": yes")) << bad.all();
}

TEST_F(CliPipeline, OpenCommitmentShowsWhichModelAKeyCommitsTo) {
  const auto& l = lenet();
  // The committed weights' commitment is hiding: it opens with the proving
  // key's randomness.
  auto nopk = zk({"open-commitment", "--vk", l.vk, "--model", l.zkc});
  EXPECT_EQ(nopk.code, 2) << nopk.all();
  EXPECT_TRUE(has(nopk.err, "--pk")) << nopk.all();
  auto r = zk({"open-commitment", "--vk", l.vk, "--model", l.zkc, "--pk", l.pk});
  EXPECT_EQ(r.code, 0) << r.all();
  EXPECT_TRUE(has(r.out, "MATCHES")) << r.all();
  // Same circuit, one weight changed: the commitment does not open to it.
  auto m = zk::proof::load_model(read_bytes(l.zkc), "zkc");
  for (auto& w : m.weights)
    if (!w.empty()) {
      w[0] += 1;
      break;
    }
  std::string other = file("other.zkc", zk::proof::save_model(m));
  r = zk({"open-commitment", "--vk", l.vk, "--model", other, "--pk", l.pk});
  EXPECT_EQ(r.code, 1) << r.all();
  EXPECT_TRUE(has(r.err, "weights")) << r.all();
  // Another circuit altogether.
  std::string mlp_zkc = path("mlp_open.zkc");
  ASSERT_EQ(zk({"compile", kMlpDir + "mlp.onnx", "-o", mlp_zkc}).code, 0);
  r = zk({"open-commitment", "--vk", l.vk, "--model", mlp_zkc, "--pk", l.pk});
  EXPECT_EQ(r.code, 1) << r.all();
  EXPECT_TRUE(has(r.err, "different circuit")) << r.all();
}

TEST_F(CliPipeline, RunWithoutCalibrationSaysSo) {
  auto r = zk({"run", kLenetDir + "lenet.onnx", "--input", kLenetDir + "input.json"});
  EXPECT_EQ(r.code, 0) << r.all();
  EXPECT_TRUE(has(r.err, "no --calibration")) << r.all();
  EXPECT_TRUE(has(r.out, "float:") && has(r.out, "quantized:")) << r.all();
}

class CliUsage : public ::testing::Test {};

TEST_F(CliUsage, UnknownCommandAndOptions) {
  ScratchDir d;
  Result c = zk({"frobnicate", "x"});
  EXPECT_EQ(c.code, 2) << c.all();
  EXPECT_TRUE(has(c.err, "unknown command 'frobnicate'")) << c.all();
  EXPECT_TRUE(has(c.err, "usage:")) << c.all();

  for (auto args : std::vector<std::vector<std::string>>{
           {"verify", "--vk", d.path("a"), "--proof", d.path("b"), "--bogus", "1"},
           {"compile", kLenetDir + "lenet.onnx", "-o", d.path("x.zkc"), "--calibraton", "c.json"},
           {"prove", "-x", "1"},
           {"setup", d.path("m.zkc"), "--pk", d.path("a"), "--vk", d.path("b"), "--output", "o"}}) {
    Result r = zk(args);
    EXPECT_EQ(r.code, 2) << r.all();
    EXPECT_TRUE(has(r.err, "error: unknown option " + args[args.size() - 2])) << r.all();
  }
  // Missing options are usage errors, found before any file is read or written.
  Result m = zk({"verify", "--vk", d.path("a")});
  EXPECT_EQ(m.code, 2) << m.all();
  EXPECT_TRUE(has(m.err, "missing required option --proof")) << m.all();
  Result po = zk({"prove", "--pk", d.path("a"), "--input", d.path("b")});
  EXPECT_EQ(po.code, 2) << po.all();
  EXPECT_TRUE(has(po.err, "missing required option --proof")) << po.all();
  Result co = zk({"compile", kLenetDir + "lenet.onnx"});
  EXPECT_EQ(co.code, 2) << co.all();
  EXPECT_TRUE(has(co.err, "missing required option -o")) << co.all();
  Result v = zk({"verify", "--vk", d.path("a"), "--proof"});
  EXPECT_EQ(v.code, 2) << v.all();
  EXPECT_TRUE(has(v.err, "--proof needs a value")) << v.all();
  Result p = zk({"compile", "a.onnx", "b.onnx", "-o", d.path("x")});
  EXPECT_EQ(p.code, 2) << p.all();
  EXPECT_TRUE(has(p.err, "compile takes one MODEL.onnx")) << p.all();
  Result vis =
      zk({"compile", kLenetDir + "lenet.onnx", "-o", d.path("x"), "--visibility", "input=secret"});
  EXPECT_EQ(vis.code, 2) << vis.all();
  EXPECT_TRUE(has(vis.err, "'secret'")) << vis.all();
  EXPECT_FALSE(fs::exists(d.path("x")));
}

// ------------------------------------------------------------- mini-fuzz

class CliFuzz : public LenetSuite {};

// 300 mutated copies of a valid proof (byte flips, 64-bit word overwrites,
// insertions, deletions, truncations; 1-3 per copy, fixed seed), half of
// them aimed at the header and public statement. Every one must be rejected
// with exit status 1; none may crash the parser or the verifier.
TEST_F(CliFuzz, MutatedProofsAreRejected) {
  const Lenet& l = lenet();
  const auto proof = read_bytes(l.proof);
  ASSERT_GT(proof.size(), 20000u);
  // Header, digests, public input and output: the first ~6.5 KB.
  const size_t head = std::min<size_t>(proof.size(), 8 + 64 + 8 + 1024 * 8 + 8 + 16 * 8 + 8);
  std::mt19937_64 rng(0x5eed);
  auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  std::map<std::string, int> reasons;
  const std::string mutated_path = path("mutated.proof");
  int accepted = 0;
  for (int iter = 0; iter < 300; ++iter) {
    auto b = proof;
    std::string what;
    const int k = 1 + static_cast<int>(pick(3));
    for (int m = 0; m < k && !b.empty(); ++m) {
      const bool in_head = pick(2) == 0;
      const size_t pos = pick(in_head ? std::min(head, b.size()) : b.size());
      switch (pick(6)) {
        case 0:
        case 1:
          b[pos] ^= static_cast<uint8_t>(1 + pick(255));
          what += " flip@" + std::to_string(pos);
          break;
        case 2:
          for (size_t i = pos; i < pos + 8 && i < b.size(); ++i) b[i] = static_cast<uint8_t>(rng());
          what += " word@" + std::to_string(pos);
          break;
        case 3:
          b.insert(b.begin() + static_cast<std::ptrdiff_t>(pos), static_cast<uint8_t>(rng()));
          what += " insert@" + std::to_string(pos);
          break;
        case 4:
          b.erase(b.begin() + static_cast<std::ptrdiff_t>(pos));
          what += " delete@" + std::to_string(pos);
          break;
        case 5:
          b.resize(pos);
          what += " truncate@" + std::to_string(pos);
          break;
      }
    }
    if (b == proof) continue;  // an insertion undone by a deletion
    write_bytes(mutated_path, b);
    std::vector<std::string> args = {"verify", "--vk", l.vk, "--proof", mutated_path};
    if (iter % 3 == 0) args.insert(args.end(), {"--input", kLenetDir + "input.json"});
    Result r = zk(args);
    if (r.code != 1 || !has(r.err, "REJECTED")) {
      ++accepted;
      ADD_FAILURE() << "mutation" << what << " (iteration " << iter << ") not rejected\n"
                    << r.all();
    } else {
      // Group by the check that failed: "REJECTED: <check>: ..." up to the first ':'.
      std::string reason = r.err.substr(r.err.find("REJECTED: ") + 10);
      reason = reason.substr(0, std::min(reason.find(':'), reason.find('\n')));
      ++reasons[reason];
    }
    if (iter % 10 == 0) {  // inspect must cope with the same bytes
      Result i = zk({"inspect", mutated_path, "--vk", l.vk});
      EXPECT_TRUE(i.code == 0 || i.code == 1) << "inspect of mutation" << what << "\n" << i.all();
    }
  }
  EXPECT_EQ(accepted, 0);
  std::ostringstream s;
  for (const auto& [reason, count] : reasons) s << "  " << count << " x " << reason << "\n";
  std::cout << "rejections by check:\n" << s.str();
}

// -------------------------------------------------------- zero knowledge

const std::string kBcDir = std::string(ZK_SOURCE_DIR) + "/examples/breast_cancer/";

// A private input: the verifier learns the diagnosis and nothing about the
// patient's features; the same proof checked against an input is refused.
// Without --visibility the input is private, the weights committed and the
// output public, and compile says so.
TEST(CliZeroKnowledge, DefaultsHideTheInput) {
  ScratchDir d;
  auto c = zk({"compile", kBcDir + "model.onnx", "-o", d.path("m.zkc"), "--calibration",
               kBcDir + "calibration.json"});
  ASSERT_EQ(c.code, 0) << c.all();
  EXPECT_TRUE(
      has(c.out, "visibility: input=private, weights=committed, output=public (the defaults"))
      << c.all();
  EXPECT_TRUE(has(c.out, "hidden for up to 16 proofs")) << c.all();
  auto mp = zk({"compile", kBcDir + "model.onnx", "-o", d.path("m8.zkc"), "--calibration",
                kBcDir + "calibration.json", "--max-proofs", "8"});
  EXPECT_TRUE(has(mp.out, "up to 8 proofs")) << mp.all();
  EXPECT_EQ(
      zk({"compile", kBcDir + "model.onnx", "-o", d.path("m0.zkc"), "--max-proofs", "0"}).code, 2);
  ASSERT_EQ(zk({"setup", d.path("m.zkc"), "--pk", d.path("m.pk"), "--vk", d.path("m.vk")}).code, 0);
  ASSERT_EQ(zk({"prove", "--pk", d.path("m.pk"), "--input", kBcDir + "input.json", "--proof",
                d.path("a.proof")})
                .code,
            0);
  auto v = zk({"verify", "--vk", d.path("m.vk"), "--proof", d.path("a.proof")});
  EXPECT_EQ(v.code, 0) << v.all();
  EXPECT_TRUE(has(v.out, "input: private")) << v.all();
}

// inspect prints the witness commitment the prover really uses: in
// zero-knowledge mode a hiding one sized by the proof's pads (it used to
// print the plain, all-public parameters).
TEST(CliZeroKnowledge, InspectShowsTheHidingWitnessCommitment) {
  ScratchDir d;
  ASSERT_EQ(zk({"compile", kBcDir + "model.onnx", "-o", d.path("m.zkc"), "--calibration",
                kBcDir + "calibration.json"})
                .code,
            0);
  auto c = zk::proof::load_model(read_bytes(d.path("m.zkc")), "zkc").circuit;
  auto real = zk::prover::witness_params(c);
  auto plain = zk::pcs::choose_params(zk::prover::witness_layout(c).num_vars);
  auto line = [](const zk::pcs::LigeroParams& p) {
    return "witness commitment: Ligero " + std::to_string(p.rows()) + " x " +
           std::to_string(p.cols()) + ", rate 1/" + std::to_string(1u << p.log_blowup) + ", " +
           std::to_string(p.queries) + " queries";
  };
  ASSERT_NE(line(real), line(plain));
  ASSERT_EQ(zk({"setup", d.path("m.zkc"), "--pk", d.path("m.pk"), "--vk", d.path("m.vk")}).code, 0);
  for (const std::string file : {"m.zkc", "m.pk", "m.vk"}) {
    auto r = zk({"inspect", d.path(file)});
    ASSERT_EQ(r.code, 0) << r.all();
    EXPECT_TRUE(has(r.out, line(real))) << line(real) << "\n" << r.all();
    EXPECT_FALSE(has(r.out, line(plain))) << r.all();
    EXPECT_TRUE(has(r.out, "challenge field, hiding\n")) << r.all();
  }
}

TEST(CliZeroKnowledge, PrivateInputAndWeightsProveAndVerify) {
  ScratchDir d;
  auto c = zk({"compile", kBcDir + "model.onnx", "-o", d.path("m.zkc"), "--calibration",
               kBcDir + "calibration.json", "--visibility", "input=private,weights=private"});
  ASSERT_EQ(c.code, 0) << c.all();
  EXPECT_TRUE(has(c.out, "visibility: input=private, weights=private, output=public")) << c.all();
  ASSERT_EQ(zk({"setup", d.path("m.zkc"), "--pk", d.path("m.pk"), "--vk", d.path("m.vk")}).code, 0);
  auto p = zk({"prove", "--pk", d.path("m.pk"), "--input", kBcDir + "input.json", "--proof",
               d.path("a.proof")});
  ASSERT_EQ(p.code, 0) << p.all();
  auto v = zk({"verify", "--vk", d.path("m.vk"), "--proof", d.path("a.proof")});
  EXPECT_EQ(v.code, 0) << v.all();
  EXPECT_TRUE(has(v.out, "input: private")) << v.all();
  EXPECT_TRUE(has(v.out, "proven output 0")) << v.all();
  auto vi = zk({"verify", "--vk", d.path("m.vk"), "--proof", d.path("a.proof"), "--input",
                kBcDir + "input.json"});
  EXPECT_EQ(vi.code, 1) << vi.all();
  EXPECT_TRUE(has(vi.err, "not public")) << vi.all();
  // A second proof of the same statement differs (fresh randomness).
  ASSERT_EQ(zk({"prove", "--pk", d.path("m.pk"), "--input", kBcDir + "input.json", "--proof",
                d.path("b.proof")})
                .code,
            0);
  EXPECT_NE(read_bytes(d.path("a.proof")), read_bytes(d.path("b.proof")));
}

std::string text_file_in(ScratchDir& d, const std::string& name, const std::string& text) {
  write_text(d.path(name), text);
  return d.path(name);
}

// A committed output, revealed later: the opening file and the output open
// the commitment in the proof; another output or a changed secret do not.
TEST(CliZeroKnowledge, CommittedOutputOpensLater) {
  ScratchDir d;
  ASSERT_EQ(zk({"compile", kBcDir + "model.onnx", "-o", d.path("m.zkc"), "--calibration",
                kBcDir + "calibration.json", "--visibility", "input=private,output=committed"})
                .code,
            0);
  ASSERT_EQ(zk({"setup", d.path("m.zkc"), "--pk", d.path("m.pk"), "--vk", d.path("m.vk")}).code, 0);
  auto no = zk({"prove", "--pk", d.path("m.pk"), "--input", kBcDir + "input.json", "--proof",
                d.path("a.proof")});
  EXPECT_EQ(no.code, 2) << no.all();
  EXPECT_TRUE(has(no.err, "--opening")) << no.all();
  auto p =
      zk({"prove", "--pk", d.path("m.pk"), "--input", kBcDir + "input.json", "--proof",
          d.path("a.proof"), "--output", d.path("out.json"), "--opening", d.path("open.json")});
  ASSERT_EQ(p.code, 0) << p.all();
  EXPECT_TRUE(has(p.out, "output commitment: ")) << p.all();
  auto v = zk({"verify", "--vk", d.path("m.vk"), "--proof", d.path("a.proof")});
  EXPECT_EQ(v.code, 0) << v.all();
  EXPECT_TRUE(has(v.out, "committed, commitment")) << v.all();
  EXPECT_FALSE(has(v.out, "proven output")) << v.all();
  auto ins = zk({"inspect", d.path("a.proof"), "--vk", d.path("m.vk")});
  EXPECT_TRUE(has(ins.out, "output commitment: ")) << ins.all();
  EXPECT_FALSE(has(ins.out, "claimed output")) << ins.all();
  auto o = zk({"open-commitment", "--vk", d.path("m.vk"), "--proof", d.path("a.proof"), "--opening",
               d.path("open.json"), "--output", d.path("out.json")});
  EXPECT_EQ(o.code, 0) << o.all();
  EXPECT_TRUE(has(o.out, "MATCHES")) << o.all();
  auto other = text_file_in(d, "other.json", "{\"output_data\": [[0.5, -0.5]]}");
  auto bad = zk({"open-commitment", "--vk", d.path("m.vk"), "--proof", d.path("a.proof"),
                 "--opening", d.path("open.json"), "--output", other});
  EXPECT_EQ(bad.code, 1) << bad.all();
  EXPECT_TRUE(has(bad.err, "DOES NOT MATCH")) << bad.all();
  auto j = read_json(d.path("open.json"));
  std::string sec = j["commitments"][0]["secret"];
  sec[0] = sec[0] == '0' ? '1' : '0';
  j["commitments"][0]["secret"] = sec;
  auto forged = text_file_in(d, "forged.json", j.dump());
  auto bad2 = zk({"open-commitment", "--vk", d.path("m.vk"), "--proof", d.path("a.proof"),
                  "--opening", forged, "--output", d.path("out.json")});
  EXPECT_EQ(bad2.code, 1) << bad2.all();
}

// The worked examples of the zero-knowledge use cases run end to end (each
// script checks its own outcome and exits non-zero otherwise).
TEST(CliZeroKnowledge, UseCaseExamplesRun) {
  for (const char* script :
       {"private_medical_input.sh", "private_model.sh", "committed_output.sh"}) {
    std::string cmd = "bash " + std::string(ZK_SOURCE_DIR) + "/examples/use_cases/" + script + " " +
                      std::string(ZK_BINARY_DIR) + "/zkinfer > /dev/null 2>&1";
    EXPECT_EQ(std::system(cmd.c_str()), 0) << script;
  }
}
}  // namespace
