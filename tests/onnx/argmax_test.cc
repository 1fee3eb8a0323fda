// ArgMax and ArgMin (src/onnx/ops_argmax.cc: the extremum, an equality mask,
// the first or last index as an extremum of a per-element affine of the mask)
// and TopK (src/onnx/ops_topk.cc: ranks from pairwise comparisons) on inputs
// with ties, over the first, a middle and the last axis, with and without
// keepdims and select_last_index, largest and smallest: the float executor
// and the proven outputs all equal onnxruntime's exactly (values and
// indices), and a proof checked against a changed input is rejected.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "../support/onnx_builder.h"
#include "../support/ort_reference.h"
#include "onnx/import.h"
#include "proof/api.h"

namespace zk::proof {
namespace {

using zk::testing::Builder;

struct Case {
  std::string name, op;
  int64_t axis, keepdims, last;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

// [1,3,4] with ties along every axis (values on a 0.25 grid: exact when quantized).
const std::vector<float> kInput = {1.0f,  2.5f, 2.5f,  -1.0f,  //
                                   2.5f,  0.0f, 2.5f,  2.5f,   //
                                   -0.5f, 2.5f, -1.0f, 1.0f};

class ArgExtremum : public ::testing::TestWithParam<Case> {};

void check_exact(const std::string& name, const std::string& file, size_t outputs,
                 const std::vector<float>& x = kInput);

TEST_P(ArgExtremum, EqualsOnnxruntimeAndProves) {
  const Case& c = GetParam();
  Builder b(13);
  b.input("x", {1, 3, 4});
  auto* n = b.node(c.op, {"x"}, {"y"});
  Builder::integer(n, "axis", c.axis);
  Builder::integer(n, "keepdims", c.keepdims);
  Builder::integer(n, "select_last_index", c.last);
  b.output("y", c.keepdims ? 3 : 2);
  // The output is int64 (the builder declares float outputs).
  ::onnx::ModelProto mp;
  ASSERT_TRUE(mp.ParseFromString(zk::testing::read_bytes(b.write(c.name + ".onnx"))));
  mp.mutable_graph()->mutable_output(0)->mutable_type()->mutable_tensor_type()->set_elem_type(
      ::onnx::TensorProto::INT64);
  const std::string file =
      zk::testing::write_bytes(c.name + ".onnx", mp.SerializeAsString()).string();
  check_exact(c.name, file, 1);
  // The extremum far smaller in magnitude than the other values (its own
  // calibrated scale is finer than the input's): the mask is still exact.
  std::vector<float> wide = kInput;
  for (auto& v : wide) {
    const bool ext = v == 2.5f;  // the ties
    v = c.op == "ArgMax" ? (ext ? v : v * 40.0f - 60.0f) : (ext ? -v : v * 40.0f + 60.0f);
  }
  check_exact(c.name + "_wide", file, 1, wide);
}

// Runs model `file` on kInput: float, quantized and proven outputs equal
// onnxruntime's; the proof fails against another input.
void check_exact(const std::string& name, const std::string& file, size_t outputs,
                 const std::vector<float>& x) {
  const auto g = onnx::import_model(file);
  const std::vector<std::vector<float>> input = {x};
  ASSERT_TRUE(zk::testing::ort_available()) << "run scripts/install-deps.sh";
  const auto ort = zk::testing::ort_on(file, input);
  ASSERT_TRUE(ort.ok) << ort.error;
  ASSERT_EQ(ort.outputs.size(), outputs);

  std::vector<std::vector<float>> cal = input;
  for (int s = 0; s < 4; ++s)
    for (float v : x) cal[0].push_back(v * 0.5f * s - 1.0f);
  const auto fv = model::run_float(g, input);
  auto m = quant::quantize(g, cal);
  auto keys = setup(m);
  auto res = prove(keys.pk, input);
  auto r = verify(keys.vk, res.proof, &input);
  ASSERT_TRUE(r.ok) << r.reason;
  for (size_t o = 0; o < outputs; ++o) {
    const auto& want = ort.outputs[o];
    const auto& f = fv[g.outputs[o]];
    ASSERT_EQ(f.size(), want.size());
    ASSERT_EQ(res.outputs[o].size(), want.size());
    for (size_t i = 0; i < want.size(); ++i) {
      EXPECT_EQ(f[i], want[i]) << "float output " << o << ", element " << i;
      EXPECT_EQ(res.outputs[o][i], want[i]) << "proven output " << o << ", element " << i;
    }
  }
  auto other = input;
  other[0][0] += 2.0f;
  EXPECT_FALSE(verify(keys.vk, res.proof, &other).ok);
}

INSTANTIATE_TEST_SUITE_P(Arg, ArgExtremum,
                         ::testing::Values(Case{"argmax_last_axis", "ArgMax", -1, 1, 0},
                                           Case{"argmax_last_axis_last_index", "ArgMax", 2, 0, 1},
                                           Case{"argmax_middle_axis", "ArgMax", 1, 0, 0},
                                           Case{"argmin_middle_axis_last", "ArgMin", 1, 1, 1},
                                           Case{"argmin_last_axis", "ArgMin", -1, 0, 0},
                                           Case{"argmax_batch_axis", "ArgMax", 0, 0, 0}),
                         [](const auto& info) { return info.param.name; });

struct TopKCase {
  std::string name;
  int64_t axis, k, largest;
};

void PrintTo(const TopKCase& c, std::ostream* os) { *os << c.name; }

class TopKTest : public ::testing::TestWithParam<TopKCase> {};

TEST_P(TopKTest, EqualsOnnxruntimeAndProves) {
  const TopKCase& c = GetParam();
  Builder b(13);
  b.input("x", {1, 3, 4}).init_ints("k", {c.k});
  auto* n = b.node("TopK", {"x", "k"}, {"values", "indices"});
  Builder::integer(n, "axis", c.axis);
  Builder::integer(n, "largest", c.largest);
  b.output("values", 3).output("indices", 3);
  ::onnx::ModelProto mp;
  ASSERT_TRUE(mp.ParseFromString(zk::testing::read_bytes(b.write(c.name + ".onnx"))));
  mp.mutable_graph()->mutable_output(1)->mutable_type()->mutable_tensor_type()->set_elem_type(
      ::onnx::TensorProto::INT64);
  const std::string file =
      zk::testing::write_bytes(c.name + ".onnx", mp.SerializeAsString()).string();
  check_exact(c.name, file, 2);
}

INSTANTIATE_TEST_SUITE_P(TopK, TopKTest,
                         ::testing::Values(TopKCase{"top2_last_axis", -1, 2, 1},
                                           TopKCase{"bottom3_middle_axis", 1, 3, 0},
                                           TopKCase{"top4_all_last_axis", 2, 4, 1},
                                           TopKCase{"bottom1_last_axis", -1, 1, 0}),
                         [](const auto& info) { return info.param.name; });

TEST(TopKTest, RefusesAnEmptyK) {
  Builder b(13);
  b.input("x", {1, 3, 4}).init_ints("k", {0});
  b.node("TopK", {"x", "k"}, {"values", "indices"});
  b.output("values", 3);
  const std::string e = b.error("topk_k0.onnx");
  EXPECT_NE(e.find("k = 0"), std::string::npos) << e;
}

}  // namespace
}  // namespace zk::proof
