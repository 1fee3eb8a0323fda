// The proof budget of committed weights (docs/SECURITY.md, "Committed
// weights"): a setup's weight commitment keeps the weights hidden for
// --max-proofs N proofs, so prove refuses the (N+1)th, counts failed proofs
// too, warns when fewer than 10% are left, and a new setup starts afresh.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <string>

#include "../support/cli_fixtures.h"
#include "proof/budget.h"

namespace {

using namespace zk::testing::cli;
using zk::testing::has;
using zk::testing::Result;
using zk::testing::ScratchDir;
using zk::testing::zk;

const std::string kBc = std::string(ZK_SOURCE_DIR) + "/examples/breast_cancer/";

void compile_and_setup(const ScratchDir& d, const std::string& max_proofs,
                       const std::string& visibility = "input=private,weights=committed") {
  ASSERT_EQ(zk({"compile", kBc + "model.onnx", "-o", d.path("m.zkc"), "--calibration",
                kBc + "calibration.json", "--visibility", visibility, "--max-proofs", max_proofs})
                .code,
            0);
  ASSERT_EQ(zk({"setup", d.path("m.zkc"), "--pk", d.path("m.pk"), "--vk", d.path("m.vk")}).code, 0);
}

Result prove(const ScratchDir& d, const std::string& input = kBc + "input.json") {
  return zk({"prove", "--pk", d.path("m.pk"), "--input", input, "--proof", d.path("p.bin")});
}

TEST(ProofBudget, ProvesNTimesThenRefuses) {
  ScratchDir d;
  compile_and_setup(d, "3");
  for (int i = 0; i < 3; ++i) {
    Result p = prove(d);
    ASSERT_EQ(p.code, 0) << "proof " << i + 1 << "\n" << p.all();
    // 10% of 3 is below one proof: the note comes with the last one only.
    EXPECT_EQ(has(p.out, "0 of 3 proofs left"), i == 2) << p.all();
    Result v = zk({"verify", "--vk", d.path("m.vk"), "--proof", d.path("p.bin")});
    EXPECT_EQ(v.code, 0) << v.all();
  }
  Result r = prove(d);
  EXPECT_EQ(r.code, 1) << r.all();
  EXPECT_TRUE(has(r.err, "all 3 proofs")) << r.all();
  EXPECT_TRUE(has(r.err, "Run setup again")) << r.all();
  EXPECT_TRUE(has(r.err, "--max-proofs")) << r.all();
  EXPECT_FALSE(fs::exists(d.path("p.bin")));  // no stale proof either
  // A new setup is a new commitment with a fresh budget.
  ASSERT_EQ(zk({"setup", d.path("m.zkc"), "--pk", d.path("m.pk"), "--vk", d.path("m.vk")}).code, 0);
  EXPECT_EQ(prove(d).code, 0);
}

TEST(ProofBudget, FailedProofsCount) {
  ScratchDir d;
  compile_and_setup(d, "2");
  // Far outside the calibrated range: the proof fails, but its error is
  // still an answer about hidden data, so it uses up a proof.
  write_text(d.path("far.json"),
             nlohmann::json{{"input_data", {std::vector<float>(30, 1e6f)}}}.dump());
  EXPECT_EQ(prove(d, d.path("far.json")).code, 1);
  EXPECT_EQ(prove(d).code, 0);
  Result r = prove(d);
  EXPECT_EQ(r.code, 1) << r.all();
  EXPECT_TRUE(has(r.err, "all 2 proofs")) << r.all();
}

TEST(ProofBudget, TheCounterIsOwnerOnlyAndBoundToItsKey) {
  ScratchDir d;
  compile_and_setup(d, "4");
  struct stat st {};
  ASSERT_EQ(::stat(zk::proof::budget_path(d.path("m.pk")).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  // Without its counter the key refuses, naming the file.
  fs::remove(zk::proof::budget_path(d.path("m.pk")));
  Result r = prove(d);
  EXPECT_EQ(r.code, 1) << r.all();
  EXPECT_TRUE(has(r.err, "m.pk.used")) << r.all();
  EXPECT_TRUE(has(r.err, "missing")) << r.all();
  // Another key's counter is not this key's.
  ScratchDir other;
  compile_and_setup(other, "4");
  fs::copy_file(zk::proof::budget_path(other.path("m.pk")), zk::proof::budget_path(d.path("m.pk")));
  r = prove(d);
  EXPECT_EQ(r.code, 1) << r.all();
  EXPECT_TRUE(has(r.err, "another proving key")) << r.all();
  // A corrupted counter is refused, not reset.
  write_text(zk::proof::budget_path(d.path("m.pk")), "zkinfer proof budget v1\nxyz\n");
  r = prove(d);
  EXPECT_EQ(r.code, 1) << r.all();
  EXPECT_TRUE(has(r.err, "not a valid proof counter")) << r.all();
}

TEST(ProofBudget, PublicWeightsHaveNoBudget) {
  ScratchDir d;
  compile_and_setup(d, "1", "input=private,weights=public");
  EXPECT_FALSE(fs::exists(zk::proof::budget_path(d.path("m.pk"))));
  for (int i = 0; i < 3; ++i) EXPECT_EQ(prove(d).code, 0);
}

}  // namespace
