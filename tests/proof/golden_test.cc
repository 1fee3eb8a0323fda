// Golden fixtures: proofs made by an earlier build must keep verifying, and
// the same model must keep compiling to the same verifying key, in every
// visibility set of tests/data/golden/regenerate.sh (each value of each group
// at least once). A change of the proof format, the transcript or the
// quantization fails here loudly; if it is intended, run regenerate.sh and
// say so. Zero-knowledge proofs are randomized, so the stored proofs are
// verified rather than remade; the keys are compared.
#include <gtest/gtest.h>

#include <cstdlib>
#include <set>

#include "api/api.h"

namespace zk::api {
namespace {

const std::string kDir = std::string(ZK_SOURCE_DIR) + "/tests/data/golden/";
const std::string kEx = std::string(ZK_SOURCE_DIR) + "/examples/breast_cancer/";

struct Fixture {
  const char* name;
  const char* visibility;
};
const Fixture kFixtures[] = {
    {"breast_cancer", "input=public,weights=public,output=public"},
    {"breast_cancer_default", "input=private,weights=committed,output=public"},
    {"breast_cancer_committed", "input=committed,weights=public,output=committed"},
    {"breast_cancer_private", "input=public,weights=private,output=private"},
};

void PrintTo(const Fixture& f, std::ostream* os) { *os << f.name << " (" << f.visibility << ")"; }

Digest digest_from_hex(const std::string& h) {
  Digest d{};
  EXPECT_GE(h.size(), 64u) << "not a hex digest: " << h;
  for (size_t i = 0; i < 32 && 2 * i + 1 < h.size(); ++i)
    d[i] = static_cast<uint8_t>(std::stoi(h.substr(2 * i, 2), nullptr, 16));
  return d;
}

class Golden : public ::testing::TestWithParam<Fixture> {
 protected:
  std::string file(const char* ext) const { return kDir + GetParam().name + ext; }
  GroupVisibility vis() const { return proof::parse_visibility(GetParam().visibility); }
};

TEST_P(Golden, StoredProofStillVerifies) {
  auto vk = proof::load_vk(proof::read_file(file(".vk")), "golden vk");
  ASSERT_EQ(proof::visibility_of(vk.circuit), vis());
  auto p = proof::load_proof(proof::read_file(file(".proof")), vk.circuit, "golden proof");
  auto input = proof::read_inputs(kEx + "input.json");
  const bool public_input = vis().input == circuit::Visibility::kPublic;
  auto r = proof::verify(vk, p, public_input ? &input : nullptr);
  ASSERT_TRUE(r.ok) << r.reason << " — the proof format or transcript changed";
  EXPECT_EQ(r.visibility, vis());
  if (vis().output == circuit::Visibility::kPublic)
    EXPECT_EQ(r.outputs, proof::read_outputs(file(".output.json")));
  else
    EXPECT_TRUE(r.outputs.empty());
  // A committed input or output opens with the stored opening file.
  if (vis().input != circuit::Visibility::kCommitted &&
      vis().output != circuit::Visibility::kCommitted)
    return;
  auto opening =
      proof::parse_opening(proof::read_text_file(file(".opening.json")), "golden opening");
  if (vis().input == circuit::Visibility::kCommitted) {
    EXPECT_EQ(proof::open_tensor_commitment(vk, p, opening, true, input).match,
              proof::Match::kMatches);
  }
  if (vis().output == circuit::Visibility::kCommitted) {
    EXPECT_EQ(proof::open_tensor_commitment(vk, p, opening, false,
                                            proof::read_outputs(file(".output.json")))
                  .match,
              proof::Match::kMatches);
  }
}

TEST_P(Golden, SameModelCompilesToTheSameVerifyingKey) {
  CompileOptions o;
  o.visibility = vis();
  o.calibration = proof::read_inputs(kEx + "calibration.json");
  auto m = compile(kEx + "model.onnx", o).model;
  proof::VerifyingKey vk;
  if (vis().weights == circuit::Visibility::kCommitted) {
    // The hiding weight commitment is randomized: it is remade with the seed
    // setup drew (kept beside the fixture).
    auto seed = digest_from_hex(proof::read_text_file(file(".weight_seed")));
    vk.circuit = m.circuit;
    vk.weight_root = prover::commit_weights(m.circuit, m.weights, seed).tree.root();
  } else {
    vk = proof::setup(m).vk;
  }
  EXPECT_EQ(proof::save_vk(vk), proof::read_file(file(".vk")))
      << "compile or setup output changed; if intended, run tests/data/golden/regenerate.sh";
}

INSTANTIATE_TEST_SUITE_P(Fixtures, Golden, ::testing::ValuesIn(kFixtures),
                         [](const auto& info) { return std::string(info.param.name); });

// Every value of each group is covered, the CLI's default set included.
TEST(GoldenSet, CoversEveryVisibility) {
  std::set<int> in, w, out;
  bool has_default = false;
  for (const auto& f : kFixtures) {
    auto v = proof::parse_visibility(f.visibility);
    in.insert(static_cast<int>(v.input));
    w.insert(static_cast<int>(v.weights));
    out.insert(static_cast<int>(v.output));
    has_default |= v == GroupVisibility{};
  }
  EXPECT_EQ(in.size(), 3u);
  EXPECT_EQ(w.size(), 3u);
  EXPECT_EQ(out.size(), 3u);
  EXPECT_TRUE(has_default);
}

// Used by regenerate.sh only: writes the weight commitment's seed of the
// proving key $ZK_GOLDEN_PK to $ZK_GOLDEN_SEED_OUT.
TEST(GoldenRegenerate, WeightSeed) {
  const char* pk_path = std::getenv("ZK_GOLDEN_PK");
  const char* out = std::getenv("ZK_GOLDEN_SEED_OUT");
  if (!pk_path || !out) GTEST_SKIP() << "run by tests/data/golden/regenerate.sh";
  auto pk = proof::load_pk(proof::read_file(pk_path), pk_path);
  proof::write_text_file(out, digest_hex(pk.weight_seed) + "\n");
}

}  // namespace
}  // namespace zk::api
