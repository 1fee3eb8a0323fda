// `--threads N` and ZKINFER_THREADS on the command line: a bad count is a
// usage error naming the option, a good one proves and verifies (and the
// in-process caller's thread count is left as it was).
#include <gtest/gtest.h>
#include <stdlib.h>

#include "../support/cli_fixtures.h"
#include "../support/cli_runner.h"
#include "field/parallel.h"

namespace {

using namespace zk::testing::cli;
using zk::testing::has;
using zk::testing::zk;

class CliThreads : public LenetSuite {};

TEST_F(CliThreads, ProveAndVerifyWithAThreadCount) {
  const unsigned before = zk::num_threads();
  std::string proof = path("threads.proof");
  auto p = zk({"prove", "--threads", "1", "--pk", lenet().pk, "--input", kLenetDir + "input.json",
               "--proof", proof});
  ASSERT_EQ(p.code, 0) << p.all();
  EXPECT_EQ(zk::num_threads(), before);
  auto v = zk({"verify", "--vk", lenet().vk, "--proof", proof, "--threads=2"});
  EXPECT_EQ(v.code, 0) << v.all();
  EXPECT_EQ(zk::num_threads(), before);
}

TEST_F(CliThreads, BadCountsAreUsageErrors) {
  for (const char* bad : {"0", "-1", "abc", "2x", "100000"}) {
    auto r = zk({"verify", "--vk", lenet().vk, "--proof", lenet().proof, "--threads", bad});
    EXPECT_EQ(r.code, 2) << bad << "\n" << r.all();
    EXPECT_TRUE(has(r.err, "--threads must be a whole number")) << r.all();
  }
  auto r = zk({"verify", "--vk", lenet().vk, "--proof", lenet().proof, "--threads"});
  EXPECT_EQ(r.code, 2) << r.all();
  EXPECT_TRUE(has(r.err, "--threads needs a value")) << r.all();
}

TEST_F(CliThreads, TheEnvironmentVariable) {
  setenv("ZKINFER_THREADS", "many", 1);
  auto r = zk({"verify", "--vk", lenet().vk, "--proof", lenet().proof});
  EXPECT_EQ(r.code, 2) << r.all();
  EXPECT_TRUE(has(r.err, "ZKINFER_THREADS must be a whole number")) << r.all();
  // The option overrides the variable.
  r = zk({"verify", "--vk", lenet().vk, "--proof", lenet().proof, "--threads", "2"});
  EXPECT_EQ(r.code, 0) << r.all();
  setenv("ZKINFER_THREADS", "1", 1);
  EXPECT_EQ(zk::default_num_threads(), 1u);
  r = zk({"verify", "--vk", lenet().vk, "--proof", lenet().proof});
  EXPECT_EQ(r.code, 0) << r.all();
  unsetenv("ZKINFER_THREADS");
}

TEST_F(CliThreads, HelpMentionsTheOption) {
  auto r = zk({"--help"});
  EXPECT_TRUE(has(r.out, "--threads N")) << r.all();
  EXPECT_TRUE(has(r.out, "ZKINFER_THREADS")) << r.all();
}

}  // namespace
