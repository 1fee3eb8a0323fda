// Elementwise ops between two activations on the ONNX backend test cases
// (../shared/models/onnx/pytorch-operator: Max, Min):
// PyTorch's recorded outputs against zkinfer's float executor, then the
// model proven and verified, its proven output compared with them. The cases
// are opset 6 with a batch of 3; they are re-labelled opset 9 (the same
// ops) and given a leading batch axis of 1.
#include <gtest/gtest.h>

#include <cstring>

#include "../support/onnx_builder.h"
#include "proof/api.h"

namespace zk::proof {
namespace {

namespace fs = std::filesystem;
namespace ox = ::onnx;
using zk::testing::read_bytes;
using zk::testing::write_bytes;

const fs::path kCases = fs::path(ZK_SOURCE_DIR) / ".." / "shared" / "models" / "onnx";

std::vector<float> tensor(const fs::path& file) {
  ox::TensorProto t;
  EXPECT_TRUE(t.ParseFromString(read_bytes(file))) << file;
  std::vector<float> v(t.float_data().begin(), t.float_data().end());
  if (v.empty()) {
    v.resize(t.raw_data().size() / 4);
    std::memcpy(v.data(), t.raw_data().data(), v.size() * 4);
  }
  return v;
}

class EltwiseBackend : public ::testing::TestWithParam<std::string> {};

TEST_P(EltwiseBackend, FloatMatchesPyTorchAndProofVerifies) {
  const fs::path dir = kCases / "pytorch-operator" / GetParam();
  if (!fs::is_directory(dir)) GTEST_SKIP() << "../shared/models not present (CI has it)";
  ox::ModelProto m;
  ASSERT_TRUE(m.ParseFromString(read_bytes(dir / "model.onnx")));
  m.mutable_opset_import(0)->set_version(9);
  // zkinfer proves batch 1: every input and output gets a leading axis of 1
  // (the same values under right-aligned broadcasting).
  auto* gr = m.mutable_graph();
  for (auto* vs : {gr->mutable_input(), gr->mutable_output()})
    for (auto& v : *vs) {
      auto* dims = v.mutable_type()->mutable_tensor_type()->mutable_shape()->mutable_dim();
      dims->Add()->set_dim_value(1);
      for (int k = dims->size() - 1; k > 0; --k) dims->SwapElements(k, k - 1);
    }
  auto g =
      zk::onnx::import_model(write_bytes(GetParam() + ".onnx", m.SerializeAsString()).string());
  std::vector<std::vector<float>> in;
  for (size_t i = 0; i < g.inputs.size(); ++i)
    in.push_back(tensor(dir / "test_data_set_0" / ("input_" + std::to_string(i) + ".pb")));
  const auto want = tensor(dir / "test_data_set_0" / "output_0.pb");
  const auto fv = model::run_float(g, in);
  const auto& f = fv[g.outputs[0]];
  ASSERT_EQ(f.size(), want.size());
  double amax = 0;
  for (size_t i = 0; i < f.size(); ++i) {
    EXPECT_NEAR(f[i], want[i], 1e-6) << i;
    amax = std::max(amax, static_cast<double>(std::fabs(want[i])));
  }
  // Calibrated on the test input itself (as ezkl examples are).
  auto keys = setup(quant::quantize(g, in));
  auto res = prove(keys.pk, in);
  auto r = verify(keys.vk, res.proof, &in);
  ASSERT_TRUE(r.ok) << r.reason;
  double err = 0;
  for (size_t i = 0; i < want.size(); ++i)
    err = std::max(err, std::fabs(static_cast<double>(res.outputs[0][i]) - want[i]));
  std::printf("[ backend ] %s: %zu values, max |ref| %.4f, max abs error %.5f\n",
              GetParam().c_str(), want.size(), amax, err);
  EXPECT_LE(err, 0.01 * amax);
}

INSTANTIATE_TEST_SUITE_P(PytorchOperator, EltwiseBackend,
                         // (The Add broadcast cases' recorded data is uninitialized
                         // memory: non-finite inputs, zero outputs.)
                         ::testing::Values("test_operator_max", "test_operator_min"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace zk::proof
