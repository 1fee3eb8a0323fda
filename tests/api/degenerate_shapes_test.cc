// Models whose input holds a single value: shape [1] (the batch dimension and
// nothing else, a scalar once the batch is dropped) or [1, 1], followed by a
// layout op. An independent review found that compile and run crashed on
// these (a scalar tensor's padded layout had no dimension bits); they must
// compile, run, prove and verify like any model.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "../support/onnx_builder.h"
#include "api/api.h"

namespace zk::api {
namespace {

using zk::testing::Builder;

struct Case {
  const char* name;
  std::vector<int64_t> input_shape;
  const char* op;
};
void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

// x -> op -> Relu -> y: the layout op, then a tensor the prover commits to.
std::string build(const Case& c) {
  Builder b(13);
  b.input("x", c.input_shape);
  const std::string op = c.op;
  int rank = 2;
  if (op == "Reshape") {
    b.init_ints("shape", {1, 1});
    b.node("Reshape", {"x", "shape"}, {"v"});
  } else if (op == "Squeeze") {
    b.node("Squeeze", {"x"}, {"v"});  // no axes: every dimension of size 1
    rank = 0;
  } else {
    b.node("Flatten", {"x"}, {"v"});
  }
  b.node("Relu", {"v"}, {"y"});
  b.output("y", rank);
  return b.write(std::string(c.name) + ".onnx");
}

class SingleValueInput : public ::testing::TestWithParam<Case> {};

TEST_P(SingleValueInput, CompilesRunsProvesAndVerifies) {
  const std::string path = build(GetParam());
  const std::vector<std::vector<float>> in = {{0.75f}}, neg = {{-0.5f}};
  auto r = run_model(path, in);
  ASSERT_FALSE(r.quantized_failure);
  ASSERT_EQ(r.outputs.size(), 1u);
  ASSERT_EQ(r.outputs[0].float_values, std::vector<float>{0.75f});
  ASSERT_EQ(r.outputs[0].quantized.size(), 1u);
  EXPECT_NEAR(r.outputs[0].quantized[0], 0.75f, 0.01);
  EXPECT_EQ(run_model(path, neg).outputs[0].float_values, std::vector<float>{0.0f});

  CompileOptions o;
  o.visibility = parse_visibility("input=public,weights=public,output=public");
  auto keys = setup(compile(path, o).model);
  auto p = prove(keys.pk, in);
  auto v = verify(keys.vk, p.proof, &in);
  ASSERT_TRUE(v.ok) << v.reason;
  ASSERT_EQ(v.outputs.size(), 1u);
  EXPECT_NEAR(v.outputs[0].at(0), 0.75f, 0.01);
  // The default visibility (hidden input) too.
  auto zk_keys = setup(compile(path).model);
  auto zp = prove(zk_keys.pk, neg);
  auto zv = verify(zk_keys.vk, zp.proof);
  ASSERT_TRUE(zv.ok) << zv.reason;
  EXPECT_EQ(zv.outputs[0].at(0), 0.0f);
}

INSTANTIATE_TEST_SUITE_P(LayoutOps, SingleValueInput,
                         ::testing::Values(Case{"reshape_batch_only", {1}, "Reshape"},
                                           Case{"squeeze_batch_only", {1}, "Squeeze"},
                                           Case{"flatten_batch_only", {1}, "Flatten"},
                                           Case{"reshape_one", {1, 1}, "Reshape"},
                                           Case{"squeeze_one", {1, 1}, "Squeeze"},
                                           Case{"flatten_one", {1, 1}, "Flatten"}),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace zk::api
