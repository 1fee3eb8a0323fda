// The progress line (--progress, --quiet; nothing when stderr is not a
// terminal by default), compile's accuracy report and warning, and the cost
// estimate that compile and inspect print.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "../support/cli_fixtures.h"

namespace {

using namespace zk::testing::cli;
using zk::testing::zk;

class CliProgress : public LenetSuite {};

// The "prove: PHASE NN%" lines of stderr, as (phase, percent).
std::vector<std::pair<std::string, int>> progress_lines(const std::string& err,
                                                        const std::string& what) {
  std::vector<std::pair<std::string, int>> out;
  std::istringstream in(err);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(what + ": ", 0) != 0) continue;
    auto pct = line.find('%');
    if (pct == std::string::npos) continue;
    auto start = line.rfind(' ', pct - 1);
    auto phase = line.substr(what.size() + 2, start - what.size() - 2);
    while (!phase.empty() && phase.back() == ' ') phase.pop_back();
    out.emplace_back(phase, std::stoi(line.substr(start + 1, pct - start - 1)));
  }
  return out;
}

TEST_F(CliProgress, ProveShowsPhasesOnlyWhenAsked) {
  auto base = std::vector<std::string>{"prove", "--pk", lenet().pk, "--input",
                                       kLenetDir + "input.json", "--proof", path("p.bin")};
  auto piped = zk(base);
  ASSERT_EQ(piped.code, 0) << piped.all();
  EXPECT_TRUE(progress_lines(piped.err, "prove").empty()) << piped.err;
  auto args = base;
  args.push_back("--progress");
  auto shown = zk(args);
  ASSERT_EQ(shown.code, 0) << shown.all();
  auto lines = progress_lines(shown.err, "prove");
  ASSERT_GE(lines.size(), 5u) << shown.err;
  EXPECT_EQ(lines.front().first, "loading the proving key");
  EXPECT_EQ(lines.back(), std::make_pair(std::string("done"), 100));
  bool witness = false;
  for (size_t i = 0; i < lines.size(); ++i) {
    witness |= lines[i].first == "committing to the witness";
    if (i) EXPECT_GE(lines[i].second, lines[i - 1].second) << shown.err;
  }
  EXPECT_TRUE(witness) << shown.err;
  args.push_back("--quiet");
  auto quiet = zk(args);
  ASSERT_EQ(quiet.code, 0) << quiet.all();
  EXPECT_TRUE(progress_lines(quiet.err, "prove").empty()) << quiet.err;
}

TEST_F(CliProgress, SetupAndCompileReportToo) {
  auto s = zk({"setup", lenet().zkc, "--pk", path("s.pk"), "--vk", path("s.vk"), "--progress"});
  ASSERT_EQ(s.code, 0) << s.all();
  auto lines = progress_lines(s.err, "setup");
  ASSERT_FALSE(lines.empty()) << s.err;
  EXPECT_EQ(lines.back().second, 100);
  auto c = zk({"compile", kLenetDir + "lenet.onnx", "-o", path("c.zkc"), "--calibration",
               kLenetDir + "calibration.json", "--progress"});
  ASSERT_EQ(c.code, 0) << c.all();
  EXPECT_FALSE(progress_lines(c.err, "compile").empty()) << c.err;
}

TEST_F(CliProgress, CompileReportsAccuracyAndEstimate) {
  const auto& out = lenet().compile.out;
  EXPECT_NE(out.find("accuracy on 8 calibration inputs: max error "), std::string::npos) << out;
  EXPECT_NE(out.find("argmax agreement 100%"), std::string::npos) << out;
  EXPECT_NE(out.find("expected on 2 cores"), std::string::npos) << out;
  EXPECT_EQ(lenet().compile.err.find("warning"), std::string::npos) << lenet().compile.err;
  // Too few bits: the quantized model no longer agrees, and compile says so.
  const std::string bc = std::string(ZK_SOURCE_DIR) + "/examples/breast_cancer/";
  auto c = zk({"compile", bc + "model.onnx", "-o", path("coarse.zkc"), "--calibration",
               bc + "calibration.json", "--table-bits", "8", "--weight-bits", "4"});
  ASSERT_EQ(c.code, 0) << c.all();
  EXPECT_NE(c.err.find("warning: the quantized model differs from the float model"),
            std::string::npos)
      << c.all();
}

TEST_F(CliProgress, InspectEstimateMatchesTheRealSizes) {
  auto r = zk({"inspect", lenet().zkc, "--json"});
  ASSERT_EQ(r.code, 0) << r.all();
  auto e = nlohmann::json::parse(r.out)["circuit"]["estimate"];
  const double proof = static_cast<double>(read_bytes(lenet().proof).size());
  const double pk = static_cast<double>(read_bytes(lenet().pk).size());
  EXPECT_GT(e["proof_bytes"].get<double>() / proof, 0.75);
  EXPECT_LT(e["proof_bytes"].get<double>() / proof, 1.33);
  EXPECT_GT(e["pk_bytes"].get<double>() / pk, 0.5);
  EXPECT_LT(e["pk_bytes"].get<double>() / pk, 2.0);
  EXPECT_GT(e["prove_ms"].get<double>(), 0);
  auto text = zk({"inspect", lenet().vk});
  EXPECT_NE(text.out.find("expected on 2 cores"), std::string::npos) << text.all();
}

}  // namespace
