// Errors must not leak hidden data: a value that left the provable range is
// named (layer, tensor, range) but not printed when it depends on a hidden
// input or hidden weights — an error oracle would reveal them — unless the
// prover asks with --debug, which says that it reveals it. With everything
// public the value is printed.
#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "../support/cli_fixtures.h"

namespace {

using namespace zk::testing::cli;
using zk::testing::has;
using zk::testing::Result;
using zk::testing::ScratchDir;
using zk::testing::zk;

// LeNet compiled with `visibility`, set up, and a prove of an image five
// times brighter than any it was calibrated on (out of range in the first
// convolution).
struct BrightProve {
  Result plain, debug;
};

BrightProve prove_bright(const ScratchDir& d, const std::string& visibility) {
  EXPECT_EQ(zk({"compile", kLenetDir + "lenet.onnx", "-o", d.path("m.zkc"), "--calibration",
                kLenetDir + "calibration.json", "--visibility", visibility})
                .code,
            0);
  EXPECT_EQ(zk({"setup", d.path("m.zkc"), "--pk", d.path("m.pk"), "--vk", d.path("m.vk")}).code, 0);
  write_text(d.path("bright.json"),
             nlohmann::json{{"input_data", {std::vector<float>(kLenetInputSize, 5.0f)}}}.dump());
  BrightProve r;
  r.plain = zk({"prove", "--pk", d.path("m.pk"), "--input", d.path("bright.json"), "--proof",
                d.path("p.bin")});
  r.debug = zk({"prove", "--pk", d.path("m.pk"), "--input", d.path("bright.json"), "--proof",
                d.path("p.bin"), "--debug"});
  return r;
}

TEST(HiddenErrors, ValuesOfHiddenTensorsAreNotPrinted) {
  ScratchDir d;
  auto r = prove_bright(d, "input=private,weights=committed,output=public");
  expect_failure(r.plain, "outside the provable range", "private input");
  EXPECT_TRUE(has(r.plain.err, "layer '")) << r.plain.all();
  EXPECT_TRUE(has(r.plain.err, "in tensor '")) << r.plain.all();
  EXPECT_TRUE(has(r.plain.err, "not shown: it depends on hidden data")) << r.plain.all();
  EXPECT_FALSE(has(r.plain.err, "debug:")) << r.plain.all();
  // --debug names the value and warns; the plain message did not contain it.
  expect_failure(r.debug, "outside the provable range", "private input, --debug");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.debug.err, m, std::regex("the value was (-?[0-9]+)")))
      << r.debug.all();
  EXPECT_TRUE(has(r.debug.err, "reveals hidden data")) << r.debug.all();
  EXPECT_FALSE(has(r.plain.err, m[1].str())) << r.plain.all();
}

TEST(HiddenErrors, CommittedWeightsAloneHideTheValue) {
  ScratchDir d;
  auto r = prove_bright(d, "input=public,weights=committed,output=public");
  expect_failure(r.plain, "outside the provable range", "committed weights");
  EXPECT_TRUE(has(r.plain.err, "not shown: it depends on hidden data")) << r.plain.all();
}

TEST(HiddenErrors, AllPublicPrintsTheValue) {
  ScratchDir d;
  auto r = prove_bright(d, "input=public,weights=public,output=public");
  expect_failure(r.plain, "outside the provable range", "all public");
  EXPECT_TRUE(std::regex_search(r.plain.err, std::regex("value -?[0-9]+ in tensor '")))
      << r.plain.all();
  EXPECT_FALSE(has(r.plain.err, "not shown")) << r.plain.all();
}

}  // namespace
