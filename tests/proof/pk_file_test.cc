// The proving-key file: weights at their width, the encoded weights apart
// (mapped when the key is read from disk), and the same key whether it is
// read from memory or mapped.
#include <gtest/gtest.h>

#include <filesystem>

#include "../support/cli_runner.h"
#include "api/api.h"
#include "proof/files.h"

namespace zk::proof {
namespace {

const std::string kBc = std::string(ZK_SOURCE_DIR) + "/examples/breast_cancer/";

api::Keys bc_keys() {
  api::CompileOptions o;
  o.calibration = read_inputs(kBc + "calibration.json");
  return api::setup(api::compile(kBc + "model.onnx", o).model);
}

bool same_commitment(const ProvingKey& a, const ProvingKey& b) {
  auto x = prover::Pcs::bulk(a.commitment), y = prover::Pcs::bulk(b.commitment);
  return a.commitment.tree.root() == b.commitment.tree.root() &&
         std::equal(x.begin(), x.end(), y.begin(), y.end(), [](Fp p, Fp q) { return p == q; }) &&
         a.commitment.values == b.commitment.values && a.commitment.masks == b.commitment.masks;
}

TEST(ProvingKeyFile, MappedAndInMemoryKeysAreTheKeyThatWasSaved) {
  auto keys = bc_keys();
  zk::testing::ScratchDir dir;
  const std::string path = dir.path("m.pk");
  write_pk(path, keys.pk);
  auto bytes = read_file(path);
  EXPECT_EQ(bytes, save_pk(keys.pk));
  EXPECT_EQ(bytes.size() % 8, 0u);
  for (const ProvingKey& k : {load_pk_file(path), load_pk(bytes, "m.pk")}) {
    EXPECT_EQ(k.weights, keys.pk.weights);
    EXPECT_EQ(k.weight_seed, keys.pk.weight_seed);
    EXPECT_EQ(k.circuit.digest(), keys.pk.circuit.digest());
    EXPECT_TRUE(same_commitment(k, keys.pk));
  }
  // A proof from the mapped key verifies.
  auto pk = load_pk_file(path);
  auto r = api::prove(pk, read_inputs(kBc + "input.json"));
  EXPECT_TRUE(api::verify(keys.vk, r.proof).ok);
}

// Each weight tensor is stored with the fewest bytes (1, 2, 4, 8) that hold
// its values; extremes of every width come back exactly.
TEST(ProvingKeyFile, WeightsKeepEveryWidth) {
  auto keys = bc_keys();
  const int64_t edges[] = {-128,
                           127,
                           -129,
                           128,
                           -32769,
                           32768,
                           int64_t{1} << 40,
                           -(int64_t{1} << 40),
                           (int64_t{1} << 62),
                           -(int64_t{1} << 62)};
  size_t e = 0;
  for (size_t t = 0; t < keys.pk.circuit.tensors.size(); ++t) {
    if (keys.pk.circuit.tensors[t].kind != circuit::TensorKind::kWeight) continue;
    auto& w = keys.pk.weights[t];
    if (!w.empty()) w[0] = edges[e++ % std::size(edges)];
  }
  ASSERT_GE(e, 2u);
  auto back = load_pk(save_pk(keys.pk), "m.pk");
  EXPECT_EQ(back.weights, keys.pk.weights);
}

}  // namespace
}  // namespace zk::proof
