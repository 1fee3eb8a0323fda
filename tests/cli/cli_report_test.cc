// verify --json and --output, inspect --json on every zkinfer file, and
// inspect MODEL.onnx (the table of an ONNX file before compiling it).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "../support/cli_fixtures.h"
#include "../support/onnx_builder.h"
#include "hash/sha256.h"
#include "proof/files.h"
#include "proof/npy.h"
#include "proof/npz.h"

namespace {

using namespace zk::testing::cli;
using nlohmann::json;
using zk::testing::ScratchDir;
using zk::testing::zk;

class CliReport : public LenetSuite {
 protected:
  static zk::proof::VerifyingKey vk() {
    return zk::proof::load_vk(read_bytes(lenet().vk), lenet().vk);
  }
  // The proven output prove --output wrote.
  static std::vector<float> proven() {
    return read_json(lenet().out_json)["output_data"][0].get<std::vector<float>>();
  }
};

// The value after "label: " on its line of `text`.
std::string line_value(const std::string& text, const std::string& label) {
  auto at = text.find(label);
  if (at == std::string::npos) return "";
  at += label.size();
  return text.substr(at, text.find('\n', at) - at);
}

TEST_F(CliReport, VerifyJsonStatesTheProof) {
  auto r = zk({"verify", "--vk", lenet().vk, "--proof", lenet().proof, "--json"});
  ASSERT_EQ(r.code, 0) << r.all();
  const json j = json::parse(r.out);  // stdout is the JSON object alone
  const auto key = vk();
  EXPECT_EQ(j["accepted"], true);
  EXPECT_TRUE(j["failed_check"].is_null());
  EXPECT_TRUE(j["reason"].is_null());
  EXPECT_EQ(j["model_digest"], zk::digest_hex(key.circuit.digest()));
  EXPECT_EQ(j["weight_commitment"], zk::digest_hex(key.weight_root));
  EXPECT_EQ(j["visibility"],
            json({{"input", "public"}, {"weights", "committed"}, {"output", "public"}}));
  ASSERT_EQ(j["outputs"].size(), 1u);
  const auto& out = j["outputs"][0];
  const auto& t = key.circuit.tensors[key.circuit.outputs[0]];
  EXPECT_EQ(out["name"], t.name);
  EXPECT_EQ(out["shape"].get<std::vector<int64_t>>(), t.dims);
  EXPECT_EQ(out["values"].get<std::vector<float>>(), proven());  // every value, exactly
  ASSERT_EQ(j["public_inputs"].size(), 1u);
  EXPECT_EQ(j["public_inputs"][0]["shape"].get<std::vector<int64_t>>(),
            key.circuit.tensors[key.circuit.inputs[0]].dims);
  EXPECT_EQ(j["public_inputs"][0]["digest"].get<std::string>().size(), 64u);
  EXPECT_TRUE(j["commitments"].empty());
  EXPECT_EQ(j["proof_bytes"], read_bytes(lenet().proof).size());
  EXPECT_GT(j["verify_ms"].get<double>(), 0.0);
}

TEST_F(CliReport, VerifyJsonOfARejectedProof) {
  const std::string bad = file("bad.proof", flip_middle(read_bytes(lenet().proof)));
  auto r =
      zk({"verify", "--vk", lenet().vk, "--proof", bad, "--json", "--output", path("no.json")});
  EXPECT_EQ(r.code, 1) << r.all();
  const json j = json::parse(r.out);
  EXPECT_EQ(j["accepted"], false);
  ASSERT_TRUE(j["failed_check"].is_string()) << j.dump();
  EXPECT_FALSE(j["failed_check"].get<std::string>().empty());
  EXPECT_TRUE(has(j["reason"].get<std::string>(), j["failed_check"].get<std::string>()));
  EXPECT_TRUE(j["outputs"].empty());
  EXPECT_TRUE(has(r.err, "REJECTED")) << r.all();
  EXPECT_FALSE(fs::exists(path("no.json")));  // nothing written for a rejected proof
}

TEST_F(CliReport, VerifyWritesEveryProvenOutput) {
  const auto key = vk();
  const auto& t = key.circuit.tensors[key.circuit.outputs[0]];
  auto v = [&](const std::string& out) {
    return zk({"verify", "--vk", lenet().vk, "--proof", lenet().proof, "--output", out});
  };
  auto rj = v(path("v.json"));
  ASSERT_EQ(rj.code, 0) << rj.all();
  EXPECT_EQ(read_bytes(path("v.json")), read_bytes(lenet().out_json));  // prove --output's format
  auto rn = v(path("v.npy"));
  ASSERT_EQ(rn.code, 0) << rn.all();
  const auto npy = read_bytes(path("v.npy"));
  EXPECT_EQ(zk::proof::read_npy(npy, "v.npy"), proven());
  EXPECT_EQ(npy, zk::proof::write_npy(proven(), t.dims));  // in the model's output shape
  auto rz = v(path("v.npz"));
  ASSERT_EQ(rz.code, 0) << rz.all();
  auto entries = zk::proof::read_zip(read_bytes(path("v.npz")), "v.npz");
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].name, t.name + ".npy");
  EXPECT_EQ(zk::proof::read_npy(entries[0].bytes, "entry"), proven());
  // The human text still shows ten values, and says how to get them all.
  auto text = zk({"verify", "--vk", lenet().vk, "--proof", lenet().proof});
  EXPECT_TRUE(has(text.out, "proven output 0: [")) << text.all();
  EXPECT_TRUE(has(text.out, "--output OUT.json")) << text.all();
  // Over its own input: refused.
  auto same = v(lenet().proof);
  EXPECT_EQ(same.code, 2) << same.all();
  EXPECT_TRUE(has(same.err, "would overwrite")) << same.all();
}

TEST(CliReportPrivate, VerifyOutputOfAHiddenOutputIsRefused) {
  ScratchDir d;
  const std::string bc = std::string(ZK_SOURCE_DIR) + "/examples/breast_cancer/";
  ASSERT_EQ(zk({"compile", bc + "model.onnx", "-o", d.path("m.zkc"), "--calibration",
                bc + "calibration.json", "--visibility", "output=private"})
                .code,
            0);
  ASSERT_EQ(zk({"setup", d.path("m.zkc"), "--pk", d.path("m.pk"), "--vk", d.path("m.vk")}).code, 0);
  ASSERT_EQ(
      zk({"prove", "--pk", d.path("m.pk"), "--input", bc + "input.json", "--proof", d.path("p")})
          .code,
      0);
  auto r =
      zk({"verify", "--vk", d.path("m.vk"), "--proof", d.path("p"), "--output", d.path("o.json")});
  EXPECT_EQ(r.code, 2) << r.all();
  EXPECT_TRUE(has(r.err, "output is private")) << r.all();
  auto j = zk({"verify", "--vk", d.path("m.vk"), "--proof", d.path("p"), "--json"});
  ASSERT_EQ(j.code, 0) << j.all();
  EXPECT_TRUE(json::parse(j.out)["outputs"].empty());
  EXPECT_EQ(json::parse(j.out)["visibility"]["output"], "private");
}

// inspect --json holds the facts of the text, for every kind of file.
TEST_F(CliReport, InspectJsonMatchesTheText) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> runs{
      {{lenet().zkc}, "compiled model"},
      {{lenet().pk}, "proving key"},
      {{lenet().vk}, "verifying key"},
      {{lenet().proof}, "proof"},
      {{lenet().proof, "--vk", lenet().vk}, "proof"}};
  for (const auto& [args, kind] : runs) {
    std::vector<std::string> text_args{"inspect"}, json_args{"inspect"};
    text_args.insert(text_args.end(), args.begin(), args.end());
    json_args.insert(json_args.end(), args.begin(), args.end());
    json_args.push_back("--json");
    auto t = zk(text_args);
    auto r = zk(json_args);
    ASSERT_EQ(t.code, 0) << t.all();
    ASSERT_EQ(r.code, 0) << r.all();
    SCOPED_TRACE(t.out);
    const json j = json::parse(r.out);
    EXPECT_EQ(j["kind"], kind);
    EXPECT_EQ(j["file_bytes"], read_bytes(args[0]).size());
    const json& body = j.contains("circuit") ? j["circuit"] : j["proof"];
    EXPECT_EQ(body["circuit_digest"], line_value(t.out, "circuit digest: "));
    if (j.contains("weight_commitment"))
      EXPECT_EQ(j["weight_commitment"], line_value(t.out, "weight commitment: "));
    if (kind == "verifying key") EXPECT_EQ(j["model_id"], line_value(t.out, "model id: "));
    if (j.contains("circuit")) {
      EXPECT_EQ(body["layers"].size(), vk().circuit.nodes.size());
      EXPECT_NEAR(body["soundness"]["bits"].get<double>(),
                  std::stod(line_value(t.out, "soundness: ")), 0.1);
    }
    if (args.size() == 3) {
      EXPECT_EQ(body["accepted"], true);
      EXPECT_EQ(body["claimed_outputs"][0].get<std::vector<float>>(), proven());
      EXPECT_FALSE(body["commitments"].empty() && body["soundness"]["terms"].empty());
    } else if (kind == "proof") {
      EXPECT_EQ(body["decoded"], false);
    }
  }
}

// Conv -> unsupported Det: the table says which op fails before compiling.
std::string det_model(const std::string& file) {
  zk::testing::Builder b(13);
  b.input("x", {1, 3, 3}).init("w", {3, 3}, zk::testing::iota_data(9, 1.0f, 0.0f));
  b.node("MatMul", {"x", "w"}, {"m"});
  b.node("Det", {"m"}, {"y"});
  b.output("y", 1);
  return b.write(file);
}

TEST(CliInspectOnnx, TableOfAnOnnxModel) {
  const std::string lenet = kLenetDir + "lenet.onnx";
  auto r = zk({"inspect", lenet});
  ASSERT_EQ(r.code, 0) << r.all();
  // LeNet-5: 6*25+6 + 16*150+16 + 400*120+120 + 120*84+84 + 84*10+10 parameters.
  EXPECT_TRUE(has(r.out, "12 ops, 61706 parameters, 0 unsupported\n")) << r.out;
  EXPECT_TRUE(has(r.out, "Conv     [1,1,28,28] [6,1,5,5] [6]    [1,6,28,28]   156     yes"))
      << r.out;
  auto j = zk({"inspect", lenet, "--json"});
  ASSERT_EQ(j.code, 0) << j.all();
  const json t = json::parse(j.out);
  EXPECT_EQ(t["ops"], 12);
  EXPECT_EQ(t["parameters"], 61706);
  EXPECT_EQ(t["nodes"][11]["op_type"], "Gemm");
  EXPECT_EQ(t["nodes"][11]["outputs"][0]["shape"], json({1, 10}));
  EXPECT_EQ(t["nodes"][11]["parameters"], 850);

  const std::string det = det_model("inspect_det.onnx");
  auto d = zk({"inspect", det});
  ASSERT_EQ(d.code, 0) << d.all();
  EXPECT_TRUE(has(d.out, "2 ops, 9 parameters, 1 unsupported: Det\n")) << d.out;
  EXPECT_TRUE(has(d.out, "[1,3,3] [3,3]")) << d.out;
  const json dj = json::parse(zk({"inspect", det, "--json"}).out);
  EXPECT_EQ(dj["nodes"][0]["supported"], true);
  EXPECT_EQ(dj["nodes"][1]["supported"], false);
  EXPECT_EQ(dj["nodes"][1]["outputs"][0]["shape"], json({1}));
  EXPECT_EQ(dj["unsupported"], json({"Det"}));
  // compile refuses the same op.
  auto c = zk({"compile", det, "-o", det + ".zkc"});
  EXPECT_TRUE(has(c.err, "unsupported op 'Det'")) << c.all();
}

TEST(CliInspectOnnx, MalformedOnnxFilesGetAnError) {
  ScratchDir d;
  const auto bytes = read_bytes(kLenetDir + "lenet.onnx");
  const std::vector<std::pair<std::string, std::vector<uint8_t>>> cases{
      {"empty.onnx", {}},
      {"half.onnx", prefix(bytes, bytes.size() / 2)},
      {"head.onnx", prefix(bytes, 100)},
      {"noise.onnx", random_bytes(5000, 7)},
      {"flipped.onnx", flip_middle(bytes)}};
  for (const auto& [name, b] : cases) {
    write_bytes(d.path(name), b);
    for (bool as_json : {false, true}) {
      std::vector<std::string> args{"inspect", d.path(name)};
      if (as_json) args.push_back("--json");
      auto r = zk(args);
      if (name == "flipped.onnx" && r.code == 0) continue;  // a flipped weight bit is still ONNX
      EXPECT_EQ(r.code, 1) << name << "\n" << r.all();
      EXPECT_TRUE(has(r.err, "error: " + d.path(name))) << r.all();
      EXPECT_TRUE(r.out.empty()) << r.all();
    }
  }
  auto missing = zk({"inspect", d.path("missing.onnx")});
  EXPECT_EQ(missing.code, 1) << missing.all();
  EXPECT_TRUE(has(missing.err, "cannot open")) << missing.all();
}

}  // namespace
