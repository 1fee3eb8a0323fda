// The quantized (proven) LeNet keeps its float accuracy: on the first 1,000
// Fashion-MNIST test images its top-1 is within 1 point of the float model's.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "onnx/import.h"
#include "quant/quantize.h"

namespace zk::quant {
namespace {

const char* kDir = "/usr/share/datasets/fashion-mnist/";

std::vector<uint8_t> gunzip(const std::string& path) {
  std::vector<uint8_t> out;
  FILE* p = popen(("gzip -dc " + path).c_str(), "r");
  if (!p) return out;
  uint8_t buf[1 << 16];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.insert(out.end(), buf, buf + n);
  pclose(p);
  return out;
}

size_t argmax(const std::vector<float>& v) {
  return std::max_element(v.begin(), v.end()) - v.begin();
}

TEST(Accuracy, QuantizedLeNetWithinOnePointOfFloatOnFirst1000TestImages) {
  std::string images = std::string(kDir) + "t10k-images-idx3-ubyte.gz";
  std::string labels = std::string(kDir) + "t10k-labels-idx1-ubyte.gz";
  if (!std::ifstream(images)) GTEST_SKIP() << "Debian's dataset-fashion-mnist is not installed";
  auto img = gunzip(images), lab = gunzip(labels);
  ASSERT_GE(img.size(), 16u + 1000 * 784);
  ASSERT_GE(lab.size(), 8u + 1000);

  std::string ex = std::string(ZK_SOURCE_DIR) + "/examples/lenet/";
  auto g = onnx::import_model(ex + "lenet.onnx");
  std::ifstream cf(ex + "calibration.json");
  auto cal = nlohmann::json::parse(cf)["input_data"].get<std::vector<std::vector<float>>>();
  auto m = quantize(g, cal);

  const int kImages = 1000;
  int float_ok = 0, quant_ok = 0, agree = 0;
  for (int i = 0; i < kImages; ++i) {
    std::vector<float> x(784);
    for (int j = 0; j < 784; ++j) x[j] = img[16 + i * 784 + j] / 255.0f;
    int label = lab[8 + i];
    auto fv = run_float(g, {x});
    size_t fp = argmax(fv[g.outputs[0]]);
    auto qv = run_quantized(m, quantize_inputs(m.circuit, {x}));
    int out = m.circuit.outputs[0];
    size_t qp = argmax(dequantize(m.circuit.tensors[out], qv[out]));
    float_ok += fp == static_cast<size_t>(label);
    quant_ok += qp == static_cast<size_t>(label);
    agree += fp == qp;
  }
  double fa = 100.0 * float_ok / kImages, qa = 100.0 * quant_ok / kImages;
  std::printf("float top-1 %.1f%%, quantized top-1 %.1f%%, argmax agreement %.1f%%\n", fa, qa,
              100.0 * agree / kImages);
  EXPECT_GT(fa, 80.0);  // the model is really trained
  EXPECT_LE(std::abs(fa - qa), 1.0);
}

}  // namespace
}  // namespace zk::quant

namespace zk::quant {
namespace {

std::vector<std::vector<float>> read_json_inputs(const std::string& path, int* label) {
  std::ifstream f(path);
  auto j = nlohmann::json::parse(f);
  if (label) *label = j.value("label", -1);
  return j["input_data"].get<std::vector<std::vector<float>>>();
}

// Raw clinical features span 1e-3 .. 4e3 and the folded standardization makes
// first-layer weights span 1e-7 .. 78: the calibrated scales must keep the
// small ones (input and weight scales grow beyond the activation scale).
TEST(Accuracy, BreastCancerRawFeaturesKeepTheFloatDiagnosis) {
  std::string ex = std::string(ZK_SOURCE_DIR) + "/examples/breast_cancer/";
  auto g = onnx::import_model(ex + "model.onnx");
  auto m = quantize(g, read_json_inputs(ex + "calibration.json", nullptr));
  for (const char* file : {"input.json", "input_benign.json"}) {
    int label = -1;
    auto x = read_json_inputs(ex + file, &label);
    auto f = run_float(g, x)[g.outputs[0]];
    auto qv = run_quantized(m, quantize_inputs(m.circuit, x));
    int out = m.circuit.outputs[0];
    auto q = dequantize(m.circuit.tensors[out], qv[out]);
    ASSERT_EQ(q.size(), 2u);
    EXPECT_EQ(argmax(f), static_cast<size_t>(label)) << file;
    EXPECT_EQ(argmax(q), static_cast<size_t>(label)) << file;
    for (size_t i = 0; i < 2; ++i) EXPECT_NEAR(q[i], f[i], 0.1) << file;
  }
}

}  // namespace
}  // namespace zk::quant
