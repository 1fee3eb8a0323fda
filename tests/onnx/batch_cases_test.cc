// A batch of N > 1 samples in the model, against references nobody here
// wrote: ONNX backend test cases exported by PyTorch with inputs of batch 2 to
// 10 (../shared/models/onnx/pytorch-{operator,converted}: model.onnx,
// test_data_set_0/input_N.pb and output_N.pb). Each is compiled (calibrated on
// its own input: one scale per tensor for the whole batch), set up, proven and
// verified, and every proven output is compared with the recorded one within
// 1% of its largest magnitude; a proof with any section changed is rejected.
// An in-memory CNN shows that the batch is proven as such: sample b of the
// proven batched output is what the batch-1 model gives on sample b.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "../support/onnx_builder.h"
#include "../support/ort_reference.h"
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

// Every section of the proof, altered, is rejected.
void expect_tamper_rejected(const Keys& keys, const Proof& parsed,
                            const std::vector<ProofSection>& sections) {
  int tried = 0;
  for (const auto& sec : sections) {
    if (sec.end <= sec.begin) continue;
    Proof t = parsed;
    t.stream[sec.begin] ^= 1;
    EXPECT_FALSE(verify(keys.vk, t).ok) << "tampered section '" << sec.label << "' accepted";
    ++tried;
  }
  EXPECT_GT(tried, 0);
}

class BatchCase : public ::testing::TestWithParam<std::string> {};

TEST_P(BatchCase, ProvesVerifiesAndMatchesRecordedOutput) {
  if (!fs::is_directory(kModels)) GTEST_SKIP() << "../shared/models not present (CI has it)";
  const fs::path dir = kModels / GetParam();
  const auto g = zk::onnx::import_model((dir / "model.onnx").string());
  std::vector<std::vector<float>> input;
  for (size_t i = 0; i < g.inputs.size(); ++i)
    input.push_back(read_pb(dir / "test_data_set_0" / ("input_" + std::to_string(i) + ".pb")));
  // Every case here has a batch above 1: the leading logical dim is kept.
  ASSERT_FALSE(g.values[g.inputs[0]].shape.empty());
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
    std::printf("[ batch ] %s output %zu: %zu values, max |err| %.5f of max |y| %.3f\n",
                GetParam().c_str(), o, want.size(), err, amax);
  }
  expect_tamper_rejected(keys, parsed, res.sections);
}

INSTANTIATE_TEST_SUITE_P(
    Backend, BatchCase,
    ::testing::Values("pytorch-converted/test_BatchNorm1d_3d_input_eval",
                      "pytorch-converted/test_BatchNorm2d_eval",
                      "pytorch-converted/test_BatchNorm3d_eval", "pytorch-converted/test_Conv2d",
                      "pytorch-converted/test_Conv2d_depthwise_strided",
                      "pytorch-converted/test_Conv1d_groups",
                      "pytorch-converted/test_MaxPool1d_stride",
                      "pytorch-converted/test_AvgPool2d_stride", "pytorch-converted/test_Linear",
                      "pytorch-converted/test_ReLU", "pytorch-converted/test_Sigmoid",
                      "pytorch-converted/test_Tanh", "pytorch-converted/test_Softmax",
                      "pytorch-converted/test_PReLU_2d", "pytorch-converted/test_ELU",
                      "pytorch-converted/test_GLU_dim", "pytorch-converted/test_Conv3d_groups",
                      "pytorch-converted/test_Conv3d_dilated_strided",
                      "pytorch-converted/test_MaxPool3d_stride_padding",
                      "pytorch-converted/test_AvgPool3d_stride",
                      // InstanceNormalization of a batch of 2
                      "pytorch-operator/test_operator_symbolic_override"),
    [](const auto& info) {
      std::string s = info.param.substr(info.param.find('/') + 1);

      for (auto& ch : s)
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
      return s;
    });

// Opset-6 files ONNX's version converter does not upgrade, read in their own
// forms: the arithmetic ops' and Gemm's legacy `broadcast`, a Gemm whose
// computed C broadcasts over the rows (addmm).
INSTANTIATE_TEST_SUITE_P(Opset6, BatchCase,
                         ::testing::Values("pytorch-converted/test_Softsign",
                                           "pytorch-operator/test_operator_addmm",
                                           "pytorch-operator/test_operator_mm"),
                         [](const auto& info) {
                           return info.param.substr(info.param.rfind('/') + 1);
                         });

// Conv (stride 2 down H, padded) -> BatchNormalization -> Relu ->
// GlobalAveragePool -> Flatten -> Gemm on an input [batch, 2, 5, 4].
zk::model::FloatGraph small_cnn(int64_t batch, const std::string& file) {
  zk::testing::Builder b(13);
  b.input("x", {batch, 2, 5, 4}).output("y", 2);
  b.init("w", {3, 2, 3, 3}, zk::testing::iota_data(54, 0.4f, 0.02f));
  b.init("cb", {3}, {0.1f, -0.2f, 0.05f});
  b.init("s", {3}, {1.2f, 0.8f, -0.9f}).init("t", {3}, {0.1f, 0.3f, -0.2f});
  b.init("mu", {3}, {0.05f, -0.1f, 0.2f}).init("var", {3}, {0.5f, 1.5f, 0.9f});
  b.init("gw", {3, 4}, zk::testing::iota_data(12, 0.7f, 0.0f));
  b.init("gb", {4}, {0.0f, 0.1f, -0.1f, 0.2f});
  auto* c = b.node("Conv", {"x", "w", "cb"}, {"c"});
  zk::testing::Builder::ints(c, "pads", {1, 1, 1, 1});
  zk::testing::Builder::ints(c, "strides", {2, 1});
  b.node("BatchNormalization", {"c", "s", "t", "mu", "var"}, {"bn"});
  b.node("Relu", {"bn"}, {"r"});
  b.node("GlobalAveragePool", {"r"}, {"p"});
  b.node("Flatten", {"p"}, {"f"});
  b.node("Gemm", {"f", "gw", "gb"}, {"y"});
  return b.import(file);
}

TEST(BatchModel, EachSampleIsTheBatchOneModelOnIt) {
  const int64_t B = 3, per = 2 * 5 * 4;
  const auto g = small_cnn(B, "batch3.onnx");
  const auto g1 = small_cnn(1, "batch1.onnx");
  // The batch is one Conv with the weight of one sample, not a kernel per sample.
  int convs = 0;
  for (const auto& n : g.nodes) {
    if (n.kind != model::OpKind::kConv) continue;
    ++convs;
    EXPECT_EQ(n.weight.shape, (std::vector<int64_t>{3, 2, 3, 3}));
  }
  EXPECT_EQ(convs, 1);
  std::vector<std::vector<float>> input{zk::testing::iota_data(B * per, 1.0f, 0.1f)};
  // Make the samples differ in scale too, so a mixed-up sample shows.
  for (int64_t i = per; i < 2 * per; ++i) input[0][i] *= -0.5f;
  auto keys = setup(quant::quantize(g, input));
  auto res = prove(keys.pk, input);
  auto parsed = load_proof(save_proof(res.proof), keys.vk.circuit, "proof");
  auto r = verify(keys.vk, parsed, &input);
  ASSERT_TRUE(r.ok) << r.reason;
  ASSERT_EQ(res.outputs[0].size(), static_cast<size_t>(B * 4));
  const auto whole = model::run_float(g, input)[g.outputs[0]];
  double amax = 0;
  for (float v : whole) amax = std::max(amax, static_cast<double>(std::fabs(v)));
  for (int64_t s = 0; s < B; ++s) {
    const std::vector<float> one(input[0].begin() + s * per, input[0].begin() + (s + 1) * per);
    const auto want = model::run_float(g1, {one})[g1.outputs[0]];
    ASSERT_EQ(want.size(), 4u);
    for (int j = 0; j < 4; ++j) {
      EXPECT_NEAR(whole[s * 4 + j], want[j], 1e-4) << "float, sample " << s << " output " << j;
      EXPECT_NEAR(res.outputs[0][s * 4 + j], want[j], 0.01 * amax)
          << "proven, sample " << s << " output " << j;
    }
  }
  expect_tamper_rejected(keys, parsed, res.sections);
  // A different batch proves with the same keys, and the claimed input binds:
  // the proof does not verify against another input.
  auto other = input;
  other[0][per + 3] += 0.5f;
  EXPECT_FALSE(verify(keys.vk, parsed, &other).ok);
}

// 3-D: a grouped, dilated, strided, asymmetrically padded Conv, an
// AveragePool counting its padding and a strided MaxPool, batch 2: the float
// graph equals onnxruntime, and the proof verifies within 1% of it.
TEST(BatchModel, ThreeDimensionalMatchesOnnxruntime) {
  if (!zk::testing::ort_available()) GTEST_SKIP() << "onnxruntime-node is not installed";
  zk::testing::Builder b(13);
  b.input("x", {2, 4, 5, 6, 5}).output("y", 5);
  b.init("w", {6, 2, 2, 3, 2}, zk::testing::iota_data(144, 0.3f, 0.01f));
  b.init("cb", {6}, {0.1f, -0.2f, 0.05f, 0.0f, 0.3f, -0.1f});
  auto* c = b.node("Conv", {"x", "w", "cb"}, {"c"});
  zk::testing::Builder::integer(c, "group", 2);
  zk::testing::Builder::ints(c, "dilations", {2, 1, 2});
  zk::testing::Builder::ints(c, "strides", {1, 2, 1});
  zk::testing::Builder::ints(c, "pads", {1, 0, 2, 0, 1, 1});
  auto* a = b.node("AveragePool", {"c"}, {"a"});
  zk::testing::Builder::ints(a, "kernel_shape", {2, 2, 3});
  zk::testing::Builder::ints(a, "pads", {1, 0, 1, 0, 1, 1});
  zk::testing::Builder::integer(a, "count_include_pad", 1);
  auto* m = b.node("MaxPool", {"a"}, {"y"});
  zk::testing::Builder::ints(m, "kernel_shape", {2, 2, 2});
  zk::testing::Builder::ints(m, "strides", {2, 1, 2});
  zk::testing::Builder::ints(m, "pads", {0, 1, 1, 1, 0, 0});
  const std::string file = b.write("conv3d.onnx");
  const auto g = zk::onnx::import_model(file);
  std::vector<std::vector<float>> input{zk::testing::iota_data(2 * 4 * 5 * 6 * 5, 1.0f, 0.0f)};
  const fs::path json = zk::testing::temp_dir() / "conv3d_input.json";
  std::ofstream(json) << nlohmann::json{{"input_data", input}}.dump();
  const auto ort =
      zk::testing::ort_reference(file, json.string(), (zk::testing::temp_dir() / "c3").string());
  ASSERT_TRUE(ort.ok) << ort.error;
  const auto fl = model::run_float(g, input)[g.outputs[0]];
  ASSERT_EQ(fl.size(), ort.outputs[0].size());
  double amax = 0;
  for (double v : ort.outputs[0]) amax = std::max(amax, std::fabs(v));
  for (size_t i = 0; i < fl.size(); ++i) EXPECT_NEAR(fl[i], ort.outputs[0][i], 1e-4) << i;
  auto keys = setup(quant::quantize(g, input));
  auto res = prove(keys.pk, input);
  auto parsed = load_proof(save_proof(res.proof), keys.vk.circuit, "proof");
  ASSERT_TRUE(verify(keys.vk, parsed, &input).ok);
  for (size_t i = 0; i < fl.size(); ++i)
    EXPECT_NEAR(res.outputs[0][i], ort.outputs[0][i], 0.01 * amax) << i;
  expect_tamper_rejected(keys, parsed, res.sections);
}

TEST(BatchModel, BatchNormWithoutChannelsIsRefused) {
  zk::testing::Builder b(13);
  b.input("x", {4}).output("y", 1);
  for (const char* p : {"s", "t", "mu", "var"}) b.init(p, {1}, {1.0f});
  b.node("BatchNormalization", {"x", "s", "t", "mu", "var"}, {"y"});
  const std::string e = b.error("bn_rank1.onnx");
  EXPECT_NE(e.find("BatchNormalization"), std::string::npos) << e;
  EXPECT_NE(e.find("[N,C,...]"), std::string::npos) << e;
}

TEST(BatchModel, UnsupportedThreeDimensionalFormsAreRefused) {
  {
    zk::testing::Builder b(13);
    b.input("x", {2, 3, 4, 4, 4}).output("y", 5);
    auto* m = b.node("MaxPool", {"x"}, {"y"});
    zk::testing::Builder::ints(m, "kernel_shape", {2, 2, 2});
    zk::testing::Builder::integer(m, "ceil_mode", 1);
    const std::string e = b.error("pool3d_ceil.onnx");
    EXPECT_NE(e.find("'ceil_mode' = 1 is not supported for 3-D pooling"), std::string::npos) << e;
  }
  {
    zk::testing::Builder b(13);
    b.input("x", {2, 3, 4, 4, 4}).output("y", 5);
    b.init("w", {2, 2, 1, 1, 1}, {1, 2, 3, 4});
    b.node("Conv", {"x", "w"}, {"y"});
    const std::string e = b.error("conv3d_weight.onnx");
    EXPECT_NE(e.find("weight of shape [2,2,1,1,1] does not fit input [2,3,4,4,4]"),
              std::string::npos)
        << e;
  }
}

}  // namespace
}  // namespace zk::proof
