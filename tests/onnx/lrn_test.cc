// LRN (AlexNet, GoogLeNet) proven end to end against onnxruntime on a small
// in-memory model, with every proof section tampered.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>

#include "../support/onnx_builder.h"
#include "../support/ort_reference.h"
#include "proof/api.h"

namespace zk::proof {
namespace {

using zk::testing::Builder;

void set_float(::onnx::NodeProto* n, const char* name, float v) {
  auto* a = n->add_attribute();
  a->set_name(name);
  a->set_type(::onnx::AttributeProto::FLOAT);
  a->set_f(v);
}

TEST(Lrn, ProvesWithinOnePercentOfOnnxruntime) {
  ASSERT_TRUE(zk::testing::ort_available()) << "run scripts/install-deps.sh";
  Builder b(13);
  b.input("x", {1, 6, 3, 3});
  auto* n = b.node("LRN", {"x"}, {"y"});
  Builder::integer(n, "size", 3);
  set_float(n, "alpha", 0.5f);
  set_float(n, "beta", 0.75f);
  set_float(n, "bias", 1.0f);
  b.output("y", 4);
  const std::string path = b.write("lrn.onnx");
  auto g = zk::onnx::import_model(path);
  std::mt19937 rng(5);
  std::uniform_real_distribution<float> u(-2.f, 2.f);
  std::vector<std::vector<float>> cal(1), in(1);
  for (int i = 0; i < 54 * 8; ++i) cal[0].push_back(u(rng));
  for (int i = 0; i < 54; ++i) in[0].push_back(u(rng));
  const auto ort = zk::testing::ort_on(path, in);
  ASSERT_TRUE(ort.ok) << ort.error;

  auto keys = setup(quant::quantize(g, cal));
  auto res = prove(keys.pk, in);
  ASSERT_TRUE(verify(keys.vk, res.proof).ok);
  double err = 0, ref = 0;
  for (size_t i = 0; i < ort.outputs[0].size(); ++i) {
    err = std::max(err, std::fabs(res.outputs[0][i] - ort.outputs[0][i]));
    ref = std::max(ref, std::fabs(ort.outputs[0][i]));
  }
  std::printf("[ lrn ] max |err| %.5f of max |y| %.3f\n", err, ref);
  EXPECT_LE(err, 0.01 * ref);
  for (const auto& sec : res.sections) {
    if (sec.end <= sec.begin) continue;
    Proof t = res.proof;
    t.stream[sec.begin] ^= 1;
    EXPECT_FALSE(verify(keys.vk, t).ok) << "tampered section '" << sec.label << "' accepted";
  }
}

}  // namespace
}  // namespace zk::proof
