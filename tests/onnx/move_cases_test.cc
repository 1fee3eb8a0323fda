// Data movement against references nobody here wrote: ONNX backend test cases
// exported by PyTorch (../shared/models/onnx/pytorch-{operator,converted}:
// model.onnx, test_data_set_0/input_N.pb and output_N.pb). Each is compiled
// (calibrated on its own input), set up, proven and verified, and every proven
// output is compared with the recorded one within 1% of its largest
// magnitude; a proof with any section changed is rejected.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "onnx/import.h"
#include "onnx/importer.h"
#include "proof/api.h"
#include "quant/quantize.h"

namespace zk::proof {
namespace {

namespace fs = std::filesystem;
const fs::path kModels = fs::path(ZK_SOURCE_DIR) / ".." / "shared" / "models" / "onnx";

std::vector<float> read_pb(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  ::onnx::TensorProto t;
  EXPECT_TRUE(t.ParseFromString(bytes)) << p;
  return zk::onnx::const_from_tensor(t, p.string()).f;
}

class MoveCase : public ::testing::TestWithParam<std::string> {};

TEST_P(MoveCase, ProvesVerifiesAndMatchesRecordedOutput) {
  if (!fs::is_directory(kModels)) GTEST_SKIP() << "../shared/models not present (CI has it)";
  const fs::path dir = kModels / GetParam();
  const auto g = zk::onnx::import_model((dir / "model.onnx").string());
  std::vector<std::vector<float>> input;
  for (size_t i = 0; i < g.inputs.size(); ++i)
    input.push_back(read_pb(dir / "test_data_set_0" / ("input_" + std::to_string(i) + ".pb")));
  auto m = quant::quantize(g, input);
  auto keys = setup(m);
  auto res = prove(keys.pk, input);
  auto parsed = load_proof(save_proof(res.proof), keys.vk.circuit, "proof");
  auto r = verify(keys.vk, parsed, &input);
  ASSERT_TRUE(r.ok) << r.reason;
  ASSERT_EQ(res.outputs.size(), g.outputs.size());
  for (size_t o = 0; o < g.outputs.size(); ++o) {
    const auto want = read_pb(dir / "test_data_set_0" / ("output_" + std::to_string(o) + ".pb"));
    ASSERT_EQ(res.outputs[o].size(), want.size()) << "output " << o;
    double amax = 0, err = 0;
    for (float x : want) amax = std::max(amax, static_cast<double>(std::fabs(x)));
    for (size_t i = 0; i < want.size(); ++i)
      err = std::max(err, std::fabs(static_cast<double>(res.outputs[o][i]) - want[i]));
    EXPECT_LE(err, 0.01 * amax) << "output " << o;
    std::printf("[ move ] %s output %zu: %zu values, max |err| %.5f of max |y| %.3f\n",
                GetParam().c_str(), o, want.size(), err, amax);
  }
  for (const auto& sec : res.sections) {
    if (sec.end <= sec.begin) continue;
    Proof t = parsed;
    t.stream[sec.begin] ^= 1;
    EXPECT_FALSE(verify(keys.vk, t).ok) << "tampered section '" << sec.label << "' accepted";
  }
}

INSTANTIATE_TEST_SUITE_P(
    Backend, MoveCase,
    ::testing::Values(
        "pytorch-operator/test_operator_chunk", "pytorch-operator/test_operator_concat2",
        "pytorch-operator/test_operator_flatten", "pytorch-operator/test_operator_index",
        "pytorch-operator/test_operator_pad", "pytorch-operator/test_operator_permute2",
        "pytorch-operator/test_operator_repeat",
        "pytorch-operator/test_operator_repeat_dim_overflow", "pytorch-operator/test_operator_view",
        "pytorch-converted/test_ConstantPad2d", "pytorch-converted/test_PixelShuffle",
        "pytorch-converted/test_ReflectionPad2d", "pytorch-converted/test_ReplicationPad2d",
        "pytorch-converted/test_ZeroPad2d", "pytorch-converted/test_Embedding",
        "pytorch-converted/test_Embedding_sparse"),
    [](const auto& info) {
      std::string s = info.param.substr(info.param.find('/') + 1);
      for (auto& ch : s)
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
      return s;
    });

// An embedding (Gather of a constant table by the int64 model input),
// calibrated on the recorded ids, proves other ids too: the first and last
// row and a negative id (counted from the end, as ONNX does).
TEST(MoveEmbedding, ProvesIdsOtherThanCalibrated) {
  if (!fs::is_directory(kModels)) GTEST_SKIP() << "../shared/models not present (CI has it)";
  const fs::path dir = kModels / "pytorch-converted" / "test_Embedding";
  const auto g = zk::onnx::import_model((dir / "model.onnx").string());
  auto keys = setup(quant::quantize(g, {read_pb(dir / "test_data_set_0" / "input_0.pb")}));
  const std::vector<float> ids = {0, 3, -1, 2};
  std::vector<std::vector<float>> input{ids};
  auto res = prove(keys.pk, input);
  auto r = verify(keys.vk, load_proof(save_proof(res.proof), keys.vk.circuit, "proof"), &input);
  ASSERT_TRUE(r.ok) << r.reason;
  const auto want = model::run_float(g, input)[g.outputs[0]];
  ASSERT_EQ(want.size(), 12u);
  for (int d = 0; d < 3; ++d) EXPECT_EQ(want[2 * 3 + d], want[1 * 3 + d]);  // -1 is row 3
  for (size_t i = 0; i < want.size(); ++i) EXPECT_NEAR(res.outputs[0][i], want[i], 0.01) << i;
}

}  // namespace
}  // namespace zk::proof
