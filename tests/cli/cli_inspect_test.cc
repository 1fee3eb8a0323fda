// `zkinfer inspect` prints the parameters the prover actually uses for every
// commitment of a proof, with the code rate (message / code length), each
// opening's bits, and the whole proof's soundness with its terms (issue 8,
// findings 7 and 8).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <sstream>
#include <string>

#include "../support/cli_fixtures.h"
#include "../support/cli_runner.h"
#include "proof/api.h"
#include "prover/soundness.h"

namespace {

using namespace zk::testing::cli;
using zk::testing::has;
using zk::testing::ScratchDir;
using zk::testing::zk;

const std::string kBcDir = std::string(ZK_SOURCE_DIR) + "/examples/breast_cancer/";

std::string fixed(double x, const char* fmt) {
  char b[32];
  std::snprintf(b, sizeof b, fmt, x);
  return b;
}

// The line inspect prints for one commitment, built from the prover's own
// parameters.
std::string commitment_line(const zk::prover::ProofCommitment& pc) {
  const auto& p = pc.params;
  std::string s = "  " + pc.name + ": " + std::to_string(p.rows()) + " x " +
                  std::to_string(p.cols()) + ", message " + std::to_string(p.message_len()) +
                  " -> code " + std::to_string(p.code_len()) + " symbols (blowup " +
                  std::to_string(1u << p.log_blowup) + ", rate " +
                  fixed(double(p.message_len()) / double(p.code_len()), "%.3f") + "), " +
                  std::to_string(p.queries) + " queries";
  if (pc.proximity == zk::prover::Proximity::kShared)
    s += " (opened at the columns the weights' queries draw)";
  else
    s += ", " + fixed(std::floor(zk::pcs::security_bits(p) * 10) / 10, "%.1f") +
         " bits (query test)";
  return s + (p.hiding() ? ", hiding\n" : "\n");
}

double printed_total(const std::string& out) {
  auto at = out.find("soundness: ");
  if (at == std::string::npos) return 0;
  return std::stod(out.substr(at + 11));
}

void expect_inspect_matches_prover(const std::string& vis) {
  SCOPED_TRACE(vis);
  ScratchDir d;
  auto compiled = zk({"compile", kBcDir + "model.onnx", "-o", d.path("m.zkc"), "--calibration",
                      kBcDir + "calibration.json", "--visibility", vis});
  ASSERT_EQ(compiled.code, 0) << compiled.all();
  // compile states the whole proof's soundness too.
  EXPECT_GE(printed_total(compiled.out), 100.0) << compiled.all();
  EXPECT_FALSE(has(compiled.err, "below 100 bits")) << compiled.all();
  ASSERT_EQ(zk({"setup", d.path("m.zkc"), "--pk", d.path("m.pk"), "--vk", d.path("m.vk")}).code, 0);
  std::vector<std::string> prove{
      "prove",   "--pk",         d.path("m.pk"), "--input", kBcDir + "input.json",
      "--proof", d.path("p.bin")};
  if (vis.find("input=committed") != std::string::npos ||
      vis.find("output=committed") != std::string::npos)
    prove.insert(prove.end(), {"--opening", d.path("o.json")});
  auto pr = zk(prove);
  ASSERT_EQ(pr.code, 0) << pr.all();
  auto vk = zk::proof::load_vk(read_bytes(d.path("m.vk")), "vk");
  auto proof = zk::proof::load_proof(read_bytes(d.path("p.bin")), vk.circuit, "proof");
  const auto& c = vk.circuit;
  const auto expected = zk::prover::proof_commitments(c, &proof.statement);
  const auto s = zk::prover::soundness(c);
  ASSERT_GE(s.bits, 100.0);
  const std::vector<std::vector<std::string>> runs{
      {"inspect", d.path("m.zkc")},
      {"inspect", d.path("m.vk")},
      {"inspect", d.path("p.bin"), "--vk", d.path("m.vk")}};
  for (const auto& args : runs) {
    auto r = zk(args);
    ASSERT_EQ(r.code, 0) << r.all();
    for (const auto& pc : expected) EXPECT_TRUE(has(r.out, commitment_line(pc))) << r.all();
    // The total is the library's, rounded down, and at least 100 bits.
    const double total = printed_total(r.out);
    EXPECT_GE(total, 100.0) << r.all();
    EXPECT_NEAR(total, s.bits, 0.1) << r.all();
    EXPECT_LE(total, s.bits);
    for (const auto& t : s.terms) EXPECT_TRUE(has(r.out, "  " + t.name + ": 2^-")) << t.name;
    // The rate is the code's, never the blowup mislabelled.
    EXPECT_FALSE(has(r.out, "rate 1/")) << r.all();
  }
}

TEST(CliInspect, PrintsTheProversParametersZeroKnowledge) {
  expect_inspect_matches_prover("input=committed,weights=committed,output=committed");
}

TEST(CliInspect, PrintsTheProversParametersPublic) {
  expect_inspect_matches_prover("input=public,weights=public,output=public");
}

}  // namespace
