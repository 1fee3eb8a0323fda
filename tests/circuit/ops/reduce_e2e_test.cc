// Reductions proven end to end: ReduceSum/Mean/Max/Min/L1 over non-trailing,
// several and all axes, keepdims 0/1, attribute and input forms of `axes`,
// GlobalMaxPool and GlobalAveragePool of other ranks. Each small model is
// compiled, proven and verified, its proven output compared with the float
// executor, and every proof section tampered must be rejected. The AxisSum op
// is also attacked by a prover that hides a value in the padding of the
// summed tensor.
#include <gtest/gtest.h>

#include <random>
#include <set>

#include "../../support/cheating_prover.h"
#include "../../support/onnx_builder.h"
#include "circuit/executor.h"
#include "circuit/ops/op.h"
#include "proof/api.h"

namespace zk::proof {
namespace {

using zk::testing::Builder;

struct Case {
  std::string name;
  std::function<Builder()> build;
  std::vector<int64_t> input_shape;  // as the float graph sees it
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

struct CaseRun {
  model::FloatGraph g;
  quant::CompiledModel m;
  Keys keys;
  std::vector<std::vector<float>> input;
  ProveResult res;
};

CaseRun run_case(const Case& c) {
  CaseRun r;
  r.g = c.build().import(c.name + ".onnx");
  std::mt19937 rng(11);
  std::uniform_real_distribution<float> u(-1.f, 1.f);
  int64_t n = 1;
  for (auto d : c.input_shape) n *= d;
  std::vector<std::vector<float>> cal(1);
  r.input.resize(1);
  for (int s = 0; s < 16 * n; ++s) cal[0].push_back(u(rng));
  for (int64_t k = 0; k < n; ++k) r.input[0].push_back(u(rng));
  r.m = quant::quantize(r.g, cal);
  r.keys = setup(r.m);
  r.res = prove(r.keys.pk, r.input);
  return r;
}

class ReduceE2E : public ::testing::TestWithParam<Case> {};

TEST_P(ReduceE2E, ProvesVerifiesAndMatchesFloat) {
  CaseRun r = run_case(GetParam());
  auto vr = verify(r.keys.vk, r.res.proof, &r.input);
  ASSERT_TRUE(vr.ok) << vr.reason;
  auto fv = model::run_float(r.g, r.input);
  const auto& f = fv[r.g.outputs[0]];
  ASSERT_EQ(r.res.outputs[0].size(), f.size());
  double amax = 0, err = 0;
  for (float x : f) amax = std::max(amax, static_cast<double>(std::fabs(x)));
  for (size_t i = 0; i < f.size(); ++i)
    err = std::max(err, std::fabs(static_cast<double>(r.res.outputs[0][i]) - f[i]));
  EXPECT_LE(err, 0.01 * amax) << GetParam().name;
  std::printf("[ reduce ] %s: %zu values, max |float| %.4f, max abs error %.5f\n",
              GetParam().name.c_str(), f.size(), amax, err);
  for (const auto& sec : r.res.sections) {
    if (sec.end <= sec.begin) continue;
    Proof t = r.res.proof;
    uint64_t w = 0;
    for (int b = 0; b < 8; ++b) w |= uint64_t{t.stream[sec.begin + b]} << (8 * b);
    w = w + 1 < Fp::kModulus ? w + 1 : 0;
    for (int b = 0; b < 8; ++b) t.stream[sec.begin + b] = static_cast<uint8_t>(w >> (8 * b));
    EXPECT_FALSE(verify(r.keys.vk, t).ok) << "tampered section '" << sec.label << "' accepted";
  }
}

// x [1,3,5,6] -> ReduceSum over `axes` (an input, opset 13), keepdims `keep`.
Builder sum13(std::vector<int64_t> axes, int64_t keep) {
  Builder b(13);
  b.input("x", {1, 3, 5, 6}).init_ints("axes", axes);
  Builder::integer(b.node("ReduceSum", {"x", "axes"}, {"y"}), "keepdims", keep);
  b.output("y", keep ? 4 : 4 - static_cast<int>(axes.size()));
  return b;
}

// x -> (Relu ->) `op` over attribute `axes` (opset 11).
Builder attr_reduce(const std::string& op, std::vector<int64_t> shape, std::vector<int64_t> axes,
                    int64_t keep, bool relu = true) {
  Builder b(11);
  b.input("x", shape);
  if (relu) b.node("Relu", {"x"}, {"r"});
  auto* n = b.node(op, {relu ? "r" : "x"}, {"y"});
  if (!axes.empty()) Builder::ints(n, "axes", axes);
  Builder::integer(n, "keepdims", keep);
  int rank = static_cast<int>(shape.size());
  b.output("y", keep ? rank : axes.empty() ? 0 : rank - static_cast<int>(axes.size()));
  return b;
}

Builder max_then_min() {
  // Max over an odd-sized axis (keepdims), then min over the batch and
  // channel axes without keepdims: [1,2,1,3] -> [1,3], whose logical shape
  // [3] has a lower rank than the input's [2,1,3].
  Builder b(13);
  b.input("x", {1, 2, 7, 3});
  Builder::ints(b.node("ReduceMax", {"x"}, {"m"}), "axes", {2});
  auto* n = b.node("ReduceMin", {"m"}, {"y"});
  Builder::ints(n, "axes", {0, 1});
  Builder::integer(n, "keepdims", 0);
  b.output("y", 2);
  return b;
}

// ReduceLogSum of |x| + 0.5 (the sum stays away from 0, where the log's
// slope would magnify the rounding of its table input).
Builder log_sum() {
  Builder b(11);
  b.input("x", {1, 3, 5}).init("h", {}, {0.5f});
  b.node("Abs", {"x"}, {"a"});
  b.node("Add", {"a", "h"}, {"p"});
  Builder::ints(b.node("ReduceLogSum", {"p"}, {"y"}), "axes", {2});
  b.output("y", 3);
  return b;
}

Builder global_pools() {
  Builder b(13);
  b.input("x", {1, 3, 6});
  b.node("GlobalMaxPool", {"x"}, {"m"});
  b.node("GlobalAveragePool", {"x"}, {"a"});
  b.node("Add", {"m", "a"}, {"y"});
  b.output("y", 3);
  return b;
}

Builder global_max_4d() {
  Builder b(13);
  b.input("x", {1, 2, 5, 3});
  b.node("GlobalMaxPool", {"x"}, {"y"});
  b.output("y", 4);
  return b;
}

// Softmax at opset 13 (one axis, here not the last) and LogSoftmax at 11
// (the trailing block from axis 1, flattened), each after a Gemm-free scale.
Builder softmax(const std::string& op, int opset, int64_t axis) {
  Builder b(opset);
  b.input("x", {1, 3, 5, 2}).init("k", {}, {3.0f});
  b.node("Mul", {"x", "k"}, {"s"});
  Builder::integer(b.node(op, {"s"}, {"y"}), "axis", axis);
  b.output("y", 4);
  return b;
}

Builder layer_norm(int64_t axis, std::vector<int64_t> wshape) {
  Builder b(17);
  int64_t k = 1;
  for (auto d : wshape) k *= d;
  b.input("x", {1, 3, 4, 6})
      .init("w", wshape, zk::testing::iota_data(k, 0.5f, 1.0f))
      .init("b", wshape, zk::testing::iota_data(k, 0.3f, 0.1f));
  auto* n = b.node("LayerNormalization", {"x", "w", "b"}, {"y"});
  Builder::integer(n, "axis", axis);
  b.output("y", 4);
  return b;
}

Builder instance_norm() {
  Builder b(13);
  b.input("x", {1, 3, 4, 5}).init("s", {3}, {1.0f, 0.5f, -2.0f}).init("b", {3}, {0.f, 1.f, 0.5f});
  b.node("InstanceNormalization", {"x", "s", "b"}, {"y"});
  b.output("y", 4);
  return b;
}

// RMS normalization as PyTorch exports it: x * (1 / sqrt(mean(x^2) + eps)) * w.
Builder rms_norm() {
  Builder b(13);
  b.input("x", {1, 4, 8}).init("two", {}, {2.0f}).init("eps", {}, {1e-6f});
  b.init("w", {8}, zk::testing::iota_data(8, 0.5f, 1.0f)).init_ints("axes", {-1});
  b.node("Pow", {"x", "two"}, {"sq"});
  auto* m = b.node("ReduceMean", {"sq"}, {"ms"});
  Builder::ints(m, "axes", {-1});
  b.node("Add", {"ms", "eps"}, {"mse"});
  b.node("Sqrt", {"mse"}, {"rms"});
  b.node("Div", {"x", "rms"}, {"xn"});
  b.node("Mul", {"xn", "w"}, {"y"});
  b.output("y", 3);
  return b;
}

// GroupNorm as exported before opset 18: Reshape to groups, InstanceNorm,
// Reshape back, per-channel Mul and Add.
Builder group_norm() {
  Builder b(13);
  b.input("x", {1, 4, 3, 2}).init_ints("g", {1, 2, -1}).init_ints("back", {1, 4, 3, 2});
  b.init("ones", {2}, {1.f, 1.f}).init("zeros", {2}, {0.f, 0.f});
  b.init("w", {4, 1, 1}, {1.f, 2.f, 0.5f, -1.f}).init("bias", {4, 1, 1}, {0.f, .5f, 1.f, -.5f});
  b.node("Reshape", {"x", "g"}, {"xg"});
  b.node("InstanceNormalization", {"xg", "ones", "zeros"}, {"ng"});
  b.node("Reshape", {"ng", "back"}, {"n"});
  b.node("Mul", {"n", "w"}, {"m"});
  b.node("Add", {"m", "bias"}, {"y"});
  b.output("y", 4);
  return b;
}

INSTANTIATE_TEST_SUITE_P(
    Reduce, ReduceE2E,
    ::testing::Values(
        Case{"sum_channels", [] { return sum13({1}, 0); }, {3, 5, 6}},
        Case{"sum_h_keep", [] { return sum13({-2}, 1); }, {3, 5, 6}},
        Case{"sum_c_w",
             [] {
               return sum13({1, 3}, 1);
             },
             {3, 5, 6}},
        Case{"mean_middle",
             [] {
               return attr_reduce("ReduceMean", {1, 3, 5, 4}, {2}, 0);
             },
             {3, 5, 4}},
        Case{"mean_all",
             [] {
               return attr_reduce("ReduceMean", {1, 3, 5}, {}, 0);
             },
             {3, 5}},
        Case{"max_channels",
             [] {
               return attr_reduce("ReduceMax", {1, 3, 5}, {1}, 1, false);
             },
             {3, 5}},
        Case{"min_two_axes",
             [] {
               return attr_reduce("ReduceMin", {1, 3, 5, 2}, {1, 3}, 0, false);
             },
             {3, 5, 2}},
        Case{"l1_last",
             [] {
               return attr_reduce("ReduceL1", {1, 4, 6}, {2}, 1, false);
             },
             {4, 6}},
        Case{"max_then_min", max_then_min, {2, 7, 3}}, Case{"global_pools", global_pools, {3, 6}},
        Case{"global_max_4d", global_max_4d, {2, 5, 3}},
        Case{"softmax13_axis2", [] { return softmax("Softmax", 13, 2); }, {3, 5, 2}},
        Case{"softmax11_flat", [] { return softmax("Softmax", 11, 1); }, {3, 5, 2}},
        Case{"logsoftmax13_last", [] { return softmax("LogSoftmax", 13, -1); }, {3, 5, 2}},
        Case{"logsoftmax11_axis2", [] { return softmax("LogSoftmax", 11, 2); }, {3, 5, 2}},
        Case{"logsumexp",
             [] {
               return attr_reduce("ReduceLogSumExp", {1, 3, 5}, {2}, 0, false);
             },
             {3, 5}},
        Case{"sumsquare",
             [] {
               return attr_reduce("ReduceSumSquare", {1, 3, 5}, {1}, 1, false);
             },
             {3, 5}},
        Case{"l2",
             [] {
               return attr_reduce("ReduceL2", {1, 3, 5, 2}, {1, 3}, 0, false);
             },
             {3, 5, 2}},
        Case{"logsum", log_sum, {3, 5}},
        Case{"layernorm_last", [] { return layer_norm(-1, {6}); }, {3, 4, 6}},
        Case{"layernorm_axis2",
             [] {
               return layer_norm(2, {4, 6});
             },
             {3, 4, 6}},
        Case{"instancenorm", instance_norm, {3, 4, 5}}, Case{"rmsnorm", rms_norm, {4, 8}},
        Case{"groupnorm", group_norm, {4, 3, 2}}),
    [](const ::testing::TestParamInfo<Case>& i) { return i.param.name; });

// A prover that hides a value in the padding of a committed tensor (a Relu
// output) and claims the sum that includes it is rejected by the AxisSum
// sumcheck: its predicate reads valid positions only.
TEST(AxisSumSoundness, ValueHiddenInACommittedTensorsPaddingFailsTheSumcheck) {
  CaseRun r = run_case({"relu_sum_cheat",
                        [] {
                          return attr_reduce("ReduceSum", {1, 3, 5, 6}, {2}, 1);
                        },
                        {3, 5, 6}});
  const auto& c = r.m.circuit;
  auto v = r.m.weights;
  v[c.inputs[0]] = quant::quantize_inputs(c, r.input)[0];
  circuit::execute(c, v);
  size_t at = 0;
  while (c.nodes[at].type != circuit::NodeType::kAxisSum) ++at;
  const auto& sn = c.nodes[at];
  const circuit::Tensor& xt = c.tensors[sn.in[0]];
  ASSERT_EQ(xt.kind, circuit::TensorKind::kWitness);
  size_t pad = (size_t{1} << xt.var_offset(1)) * 5 + (size_t{1} << xt.var_offset(0)) * 1 + 2;
  ASSERT_FALSE(circuit::is_valid_index(xt, pad));
  v[sn.in[0]][pad] = 40;
  v[sn.out[0]][circuit::padded_index(c.tensors[sn.out[0]], {1, 0, 2})] += 40;
  for (size_t k = at + 1; k < c.nodes.size(); ++k)
    circuit::op_def(c.nodes[k].type).execute(c, c.nodes[k], v);
  prover::Statement st = r.res.proof.statement;
  for (size_t i = 0; i < c.outputs.size(); ++i) st.outputs[i] = v[c.outputs[i]];
  testing::Cheat cheat;
  cheat.any = true;
  auto ps = testing::prove_cheating(c, r.keys.pk.commitment, v, st, cheat);
  Proof p = r.res.proof;
  p.statement = st;
  p.stream = ps.bytes;
  auto vr = verify(r.keys.vk, p);
  EXPECT_FALSE(vr.ok);
  EXPECT_NE(vr.reason.find("(AxisSum)"), std::string::npos) << vr.reason;
  EXPECT_NE(vr.reason.find("sumcheck final check failed"), std::string::npos) << vr.reason;
}

}  // namespace
}  // namespace zk::proof

namespace zk::proof {
namespace {

// Every word of the AxisSum sections tampered is rejected, and the
// sumcheck's own final check is among the reasons.
TEST(AxisSumSoundness, TamperedSectionsAreRejectedByItsSumcheck) {
  CaseRun r = run_case({"axis_sum_sections",
                        [] {
                          return attr_reduce("ReduceSum", {1, 3, 5, 6}, {1, 3}, 1);
                        },
                        {3, 5, 6}});
  std::set<std::string> reasons;
  size_t sections = 0;
  for (const auto& sec : r.res.sections) {
    if (sec.label.find("(AxisSum)") == std::string::npos || sec.end <= sec.begin) continue;
    ++sections;
    for (size_t pos = sec.begin; pos + 8 <= sec.end; pos += 8) {
      Proof t = r.res.proof;
      uint64_t w = 0;
      for (int b = 0; b < 8; ++b) w |= uint64_t{t.stream[pos + b]} << (8 * b);
      w = w + 1 < Fp::kModulus ? w + 1 : 0;
      for (int b = 0; b < 8; ++b) t.stream[pos + b] = static_cast<uint8_t>(w >> (8 * b));
      auto vr = verify(r.keys.vk, t);
      EXPECT_FALSE(vr.ok) << "word at " << pos << " of '" << sec.label << "' accepted";
      reasons.insert(vr.reason);
    }
  }
  ASSERT_GT(sections, 0u) << "no AxisSum section in the proof";
  bool named = false;
  for (const auto& reason : reasons)
    named = named || (reason.find("(AxisSum)") != std::string::npos &&
                      reason.find("sumcheck final check failed") != std::string::npos);
  EXPECT_TRUE(named) << "no rejection named the AxisSum sumcheck";
}

}  // namespace
}  // namespace zk::proof
