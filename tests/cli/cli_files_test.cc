// What the command line leaves on disk: secret files readable by their owner
// only, and no stale or partial output after a failure (review issue 8: keys
// and openings were written 0644, a failed prove left the previous proof in
// place).
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <string>

#include "../support/cli_fixtures.h"

namespace {

using namespace zk::testing::cli;
using zk::testing::has;
using zk::testing::ScratchDir;
using zk::testing::zk;
namespace fs = std::filesystem;

const std::string kBcDir = std::string(ZK_SOURCE_DIR) + "/examples/breast_cancer/";

mode_t mode_of(const std::string& p) {
  struct stat st {};
  EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
  return st.st_mode & 0777;
}

bool others_readable(const std::string& p) { return (mode_of(p) & 0077) != 0; }

size_t entries(const ScratchDir& d) {
  size_t n = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(d.path(""))) ++n;
  return n;
}

// Committed weights and output: the compiled model, the proving key, the
// opening and the output file hold secrets; the verifying key and the proof
// do not.
TEST(CliFiles, SecretFilesAreOwnerOnly) {
  ScratchDir d;
  ASSERT_EQ(zk({"compile", kBcDir + "model.onnx", "-o", d.path("m.zkc"), "--calibration",
                kBcDir + "calibration.json", "--visibility", "output=committed"})
                .code,
            0);
  ASSERT_EQ(zk({"setup", d.path("m.zkc"), "--pk", d.path("m.pk"), "--vk", d.path("m.vk")}).code, 0);
  auto p =
      zk({"prove", "--pk", d.path("m.pk"), "--input", kBcDir + "input.json", "--proof",
          d.path("a.proof"), "--output", d.path("out.json"), "--opening", d.path("open.json")});
  ASSERT_EQ(p.code, 0) << p.all();
  for (const char* f : {"m.zkc", "m.pk", "m.pk.used", "open.json", "out.json"})
    EXPECT_EQ(mode_of(d.path(f)), 0600u) << f;
  for (const char* f : {"m.vk", "a.proof"}) EXPECT_EQ(mode_of(d.path(f)) & 0600, 0600u) << f;
  EXPECT_EQ(entries(d), 7u);  // no temporaries left
  auto h = zk({"--help"});
  EXPECT_TRUE(has(h.out, "0600")) << h.all();
  EXPECT_TRUE(has(h.out, "leaves none of its outputs")) << h.all();
}

// All public: nothing secret but the proving key (it still holds the weights
// in the form the prover uses, and is the file the model owner keeps).
TEST(CliFiles, PublicModelFilesAreShared) {
  ScratchDir d;
  ASSERT_EQ(
      zk({"compile", kBcDir + "model.onnx", "-o", d.path("m.zkc"), "--calibration",
          kBcDir + "calibration.json", "--visibility", "input=public,weights=public,output=public"})
          .code,
      0);
  ASSERT_EQ(zk({"setup", d.path("m.zkc"), "--pk", d.path("m.pk"), "--vk", d.path("m.vk")}).code, 0);
  EXPECT_FALSE(others_readable(d.path("m.pk")));
  EXPECT_EQ(mode_of(d.path("m.zkc")) & 0600, 0600u);
}

// A prove that fails removes the earlier proof (and output) at its
// destination rather than leaving a stale one that looks like its result.
TEST(CliFiles, FailingProveLeavesNoStaleProof) {
  ScratchDir d;
  ASSERT_EQ(zk({"compile", kBcDir + "model.onnx", "-o", d.path("m.zkc"), "--calibration",
                kBcDir + "calibration.json"})
                .code,
            0);
  ASSERT_EQ(zk({"setup", d.path("m.zkc"), "--pk", d.path("m.pk"), "--vk", d.path("m.vk")}).code, 0);
  ASSERT_EQ(zk({"prove", "--pk", d.path("m.pk"), "--input", kBcDir + "input.json", "--proof",
                d.path("a.proof"), "--output", d.path("out.json")})
                .code,
            0);
  ASSERT_TRUE(fs::exists(d.path("a.proof")));
  write_text(d.path("short.json"), "{\"input_data\": [[1.0, 2.0]]}");
  auto bad = zk({"prove", "--pk", d.path("m.pk"), "--input", d.path("short.json"), "--proof",
                 d.path("a.proof"), "--output", d.path("out.json")});
  EXPECT_EQ(bad.code, 1) << bad.all();
  EXPECT_FALSE(fs::exists(d.path("a.proof")));
  EXPECT_FALSE(fs::exists(d.path("out.json")));
  // A write that cannot complete (a directory where the output goes) fails
  // naming it and leaves neither the proof nor a temporary.
  fs::create_directory(d.path("dir.json"));
  auto cut = zk({"prove", "--pk", d.path("m.pk"), "--input", kBcDir + "input.json", "--proof",
                 d.path("a.proof"), "--output", d.path("dir.json")});
  EXPECT_EQ(cut.code, 1) << cut.all();
  EXPECT_TRUE(has(cut.err, "dir.json: is a directory")) << cut.all();
  EXPECT_FALSE(fs::exists(d.path("a.proof")));
  // m.zkc, m.pk, its proof counter m.pk.used, m.vk, short.json, dir.json: no temporaries.
  EXPECT_EQ(entries(d), 6u);
}

}  // namespace
