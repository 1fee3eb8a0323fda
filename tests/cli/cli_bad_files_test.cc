// The zkinfer command line fed bad files — empty, random, truncated,
// corrupted, of the wrong kind, missing — and a deterministic mini-fuzz of the
// proof parser and verifier. Every failure must exit non-zero with an
// "error:" or "REJECTED" line naming the problem; nothing may crash.
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
#include "cli/cli.h"
#include "proof/budget.h"
#include "proof/files.h"
#include "proof/npy.h"

namespace {

using namespace zk::testing::cli;
using zk::testing::has;
using zk::testing::Result;
using zk::testing::ScratchDir;
using zk::testing::zk;

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
  // The head (everything but the encoded weights) is checksummed.
  auto flipped = pk;
  flipped[200] ^= 0x40;
  expect_failure(prove(file("flip.pk", flipped)), "checksum mismatch", "flipped byte");
  // The encoded weights are mapped, not read whole: every column an opening
  // sends is checked against the weight commitment's tree.
  uint64_t head_len = 0;
  for (int i = 0; i < 8; ++i) head_len |= uint64_t{pk[8 + i]} << (8 * i);
  auto bulk_bad = pk;
  for (size_t i = (head_len + 4095) / 4096 * 4096; i < bulk_bad.size(); i += 8) bulk_bad[i] ^= 1;
  const std::string bulk_pk = file("bulk.pk", bulk_bad);
  fs::copy_file(zk::proof::budget_path(l.pk), zk::proof::budget_path(bulk_pk));
  expect_failure(prove(bulk_pk), "proving key is corrupted", "encoded weights corrupted");
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

}  // namespace
