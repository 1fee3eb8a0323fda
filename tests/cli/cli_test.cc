// The zkinfer command line driven in-process: the LeNet example end to end,
// rejection of wrong inputs and wrong models, usage errors and the
// zero-knowledge modes. Every failure must exit non-zero with an "error:" or
// "REJECTED" line naming the problem.
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

#include "../support/cli_fixtures.h"
#include "../support/cli_runner.h"
#include "proof/files.h"
#include "proof/npy.h"

namespace {

using namespace zk::testing::cli;
using zk::testing::has;
using zk::testing::Result;
using zk::testing::ScratchDir;
using zk::testing::zk;

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
  for (const char* s : {"compiled model", "layers:", "Conv", "Gemm", "bits", "commitments (Ligero",
                        "  weights (hiding, reusable): ", "soundness: "})
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
    return "  witness (hiding): " + std::to_string(p.rows()) + " x " + std::to_string(p.cols()) +
           ", message " + std::to_string(p.message_len()) + " -> code " +
           std::to_string(p.code_len()) + " symbols (blowup " + std::to_string(1u << p.log_blowup) +
           ", rate ";
  };
  ASSERT_NE(line(real), line(plain));
  ASSERT_EQ(zk({"setup", d.path("m.zkc"), "--pk", d.path("m.pk"), "--vk", d.path("m.vk")}).code, 0);
  for (const std::string file : {"m.zkc", "m.pk", "m.vk"}) {
    auto r = zk({"inspect", d.path(file)});
    ASSERT_EQ(r.code, 0) << r.all();
    EXPECT_TRUE(has(r.out, line(real))) << line(real) << "\n" << r.all();
    EXPECT_FALSE(has(r.out, line(plain))) << r.all();
    EXPECT_TRUE(has(r.out, " bits (query test), hiding\n")) << r.all();
  }
}

TEST(CliZeroKnowledge, PrivateInputAndWeightsProveAndVerify) {
  ScratchDir d;
  auto c = zk({"compile", kBcDir + "model.onnx", "-o", d.path("m.zkc"), "--calibration",
               kBcDir + "calibration.json", "--visibility", "input=private,weights=private"});
  ASSERT_EQ(c.code, 0) << c.all();
  EXPECT_TRUE(has(c.out, "visibility: input=private, weights=private, output=public")) << c.all();
  EXPECT_TRUE(has(c.out, "the verifying key holds no weights, but")) << c.all();
  ASSERT_EQ(zk({"setup", d.path("m.zkc"), "--pk", d.path("m.pk"), "--vk", d.path("m.vk")}).code, 0);
  auto p = zk({"prove", "--pk", d.path("m.pk"), "--input", kBcDir + "input.json", "--proof",
               d.path("a.proof")});
  ASSERT_EQ(p.code, 0) << p.all();
  auto v = zk({"verify", "--vk", d.path("m.vk"), "--proof", d.path("a.proof")});
  EXPECT_EQ(v.code, 0) << v.all();
  EXPECT_TRUE(has(v.out,
                  "input: private (the proof reveals nothing about it beyond what the "
                  "output reveals)"))
      << v.all();
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
  EXPECT_TRUE(has(o.out, "commitment is to the quantized value")) << o.all();
  EXPECT_TRUE(has(o.out, "quantized output 0 (multiples of 2^-")) << o.all();
  // Another float output that rounds to the same quantized values matches
  // too, and the message says why.
  auto out_json = read_json(d.path("out.json"));
  for (auto& x : out_json["output_data"][0]) x = x.get<double>() + 1e-5;
  auto near = text_file_in(d, "near.json", out_json.dump());
  auto on = zk({"open-commitment", "--vk", d.path("m.vk"), "--proof", d.path("a.proof"),
                "--opening", d.path("open.json"), "--output", near});
  EXPECT_EQ(on.code, 0) << on.all();
  EXPECT_TRUE(has(on.out, "any output that rounds to the same fixed-point values matches"))
      << on.all();
  // A proof with 1,000 corrupted bytes (past its header) vouches for nothing.
  auto pb = read_bytes(d.path("a.proof"));
  for (size_t i = 0; i < 1000; ++i) pb[pb.size() / 2 + (i * 131) % (pb.size() / 2)] ^= 0x5a;
  write_bytes(d.path("bad.proof"), pb);
  auto oc = zk({"open-commitment", "--vk", d.path("m.vk"), "--proof", d.path("bad.proof"),
                "--opening", d.path("open.json"), "--output", d.path("out.json")});
  EXPECT_NE(oc.code, 0) << oc.all();
  EXPECT_FALSE(has(oc.out, "MATCHES")) << oc.all();
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
