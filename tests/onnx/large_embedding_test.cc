// An embedding of more rows than the default lookup tables hold (6000 rows:
// ids and id - row need tables of 2^15 rows, not the default 2^14): the
// compiler raises the circuit's table size instead of refusing the model
// (quant::table_bits_for). Compared with onnxruntime, proven and verified,
// a changed id rejected; beyond 2^18-row tables the model is refused.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "../support/onnx_builder.h"
#include "../support/ort_reference.h"
#include "onnx/import.h"
#include "proof/api.h"

namespace zk::proof {
namespace {

using zk::testing::Builder;
using zk::testing::iota_data;

Builder embedding(int64_t rows, int64_t dim, int64_t ids) {
  Builder b(13);
  b.input_int64("ids", {1, ids});
  b.init("table", {rows, dim}, iota_data(static_cast<size_t>(rows * dim), 1.0f, 0.1f));
  b.node("Gather", {"table", "ids"}, {"y"});
  b.output("y", 3);
  return b;
}

TEST(LargeEmbedding, RaisesTheTableSizeAndProves) {
  const std::string file = embedding(6000, 4, 5).write("embedding6000.onnx");
  const auto g = onnx::import_model(file);
  EXPECT_EQ(quant::table_bits_for(g, 14), 15u);
  const std::vector<std::vector<float>> input = {{0, 5999, 17, 3000, 4242}};
  const std::vector<std::vector<float>> cal = {{1, 5998, 2500, 4000, 12}};
  ASSERT_TRUE(zk::testing::ort_available()) << "run scripts/install-deps.sh";
  const auto ort = zk::testing::ort_on(file, input);
  ASSERT_TRUE(ort.ok) << ort.error;
  auto m = quant::quantize(g, cal);
  EXPECT_EQ(m.circuit.table_bits, 15u);
  auto keys = setup(m);
  auto res = prove(keys.pk, input);
  auto r = verify(keys.vk, load_proof(save_proof(res.proof), keys.vk.circuit, "proof"), &input);
  ASSERT_TRUE(r.ok) << r.reason;
  const auto& want = ort.outputs.at(0);
  ASSERT_EQ(res.outputs[0].size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) EXPECT_NEAR(res.outputs[0][i], want[i], 0.01) << i;
  auto other = input;
  other[0][2] = 18;
  EXPECT_FALSE(verify(keys.vk, res.proof, &other).ok);
}

TEST(LargeEmbedding, BeyondTheLargestTablesIsRefused) {
  const auto g = embedding(70000, 1, 1).import("embedding70000.onnx");
  EXPECT_EQ(quant::table_bits_for(g, 14), quant::kMaxAutoTableBits);
  try {
    quant::quantize(g, {{69999}});
    FAIL() << "an embedding of 70000 rows was compiled";
  } catch (const model::ModelError& e) {
    EXPECT_NE(std::string(e.what()).find("at most 52428 rows"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace zk::proof
