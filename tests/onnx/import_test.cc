// ONNX import + float execution against real models from ../shared/models
// (ezkl examples, ONNX backend tests) and small models built in memory.
#include "onnx/import.h"

#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "../support/onnx_builder.h"
#include "model/graph.h"

namespace fs = std::filesystem;
namespace ox = ::onnx;
using zk::model::FloatGraph;
using zk::model::ModelError;
using zk::model::OpKind;

namespace {

using zk::testing::Builder;
using zk::testing::import_error;
using zk::testing::iota_data;
using zk::testing::read_bytes;
using zk::testing::temp_dir;
using zk::testing::write_bytes;

// ../shared/models relative to the source tree, or nullopt when absent.
std::optional<fs::path> models_dir() {
  const fs::path p = fs::path(ZK_SOURCE_DIR) / ".." / "shared" / "models";
  if (!fs::is_directory(p)) return std::nullopt;
  return fs::canonical(p);
}

#define REQUIRE_MODELS(var)                                          \
  const auto var##_opt = models_dir();                               \
  if (!var##_opt)                                                    \
    GTEST_SKIP() << "../shared/models not found next to the source " \
                    "tree; skipping tests on external models";       \
  const fs::path var = *var##_opt

// Runs g on `inputs` and returns its outputs concatenated.
std::vector<float> run_outputs(const FloatGraph& g, const std::vector<std::vector<float>>& inputs) {
  const auto vals = zk::model::run_float(g, inputs);
  std::vector<float> out;
  for (int o : g.outputs) out.insert(out.end(), vals.at(o).begin(), vals.at(o).end());
  return out;
}

struct EzklCase {
  const char* name;
  // Float reference computed independently (numpy on the model's initializers,
  // or by hand); empty when only ezkl's output_data is used.
  std::vector<double> float_ref;
};

void PrintTo(const EzklCase& c, std::ostream* os) { *os << c.name; }

class EzklModel : public ::testing::TestWithParam<EzklCase> {};

// ezkl's output_data are its own fixed-point results (inputs, weights and
// outputs rounded to grids as coarse as 1/32), so they are compared with a
// tolerance of 5% of the output range; the independent float references are
// compared tightly.
TEST_P(EzklModel, ImportsAndMatchesReference) {
  REQUIRE_MODELS(models);
  const EzklCase& c = GetParam();
  const fs::path dir = models / "ezkl" / c.name;
  const FloatGraph g = zk::onnx::import_model((dir / "network.onnx").string());
  const auto js = nlohmann::json::parse(read_bytes(dir / "input.json"));
  std::vector<std::vector<float>> inputs;
  for (const auto& in : js.at("input_data")) inputs.push_back(in.get<std::vector<float>>());
  const std::vector<float> got = run_outputs(g, inputs);
  std::vector<double> ezkl;
  if (js.contains("output_data")) {
    for (const auto& o : js["output_data"]) {
      for (const auto& x : o) ezkl.push_back(x.get<double>());
    }
  }
  ASSERT_FALSE(ezkl.empty() && c.float_ref.empty()) << "no reference output for " << c.name;
  double ezkl_err = 0, ref_err = 0;
  if (!ezkl.empty()) {
    ASSERT_EQ(got.size(), ezkl.size());
    double range = 0;
    for (double e : ezkl) range = std::max(range, std::abs(e));
    for (size_t i = 0; i < got.size(); ++i) {
      const double tol = 1e-3 * std::max(1.0, std::abs(ezkl[i])) + 0.05 * range;
      EXPECT_NEAR(got[i], ezkl[i], tol) << c.name << " output " << i << " vs ezkl output_data";
      ezkl_err = std::max(ezkl_err, std::abs(got[i] - ezkl[i]));
    }
  }
  if (!c.float_ref.empty()) {
    ASSERT_EQ(got.size(), c.float_ref.size());
    for (size_t i = 0; i < got.size(); ++i) {
      const double e = c.float_ref[i];
      EXPECT_NEAR(got[i], e, 1e-5 + 1e-4 * std::abs(e)) << c.name << " output " << i;
      ref_err = std::max(ref_err, std::abs(got[i] - e));
    }
  }
  std::cout << "[ model ] " << c.name << ": " << g.nodes.size() << " node(s); max |err| vs ezkl "
            << ezkl_err << ", vs float reference " << ref_err << "\n";
}

INSTANTIATE_TEST_SUITE_P(
    Ezkl, EzklModel,
    ::testing::Values(
        // ezkl's output_data here is off by up to 0.004 (it is close to x - mean,
        // i.e. it ignores running_var = 0.9); the float reference follows ONNX.
        EzklCase{"1l_batch_norm",
                 {0.062576878, 0.022214456, 0.067002414, 0.081327861, 0.095398286, 0.0039736194,
                  0.043422465, 0.062002745, 0.014780612, 0.068827592, 0.069521942, 0.055359038}},
        EzklCase{"1l_conv",  // 1x1 conv with pads 1: the border is the bias
                 {-0.36590052, -0.36590052, -0.36590052, -0.36590052, -0.39302846, -0.36590052,
                  -0.36590052, -0.36590052, -0.36590052}},
        EzklCase{"1l_flatten", {}}, EzklCase{"1l_identity", {}},
        EzklCase{"1l_linear", {0.30608666 * -0.13821937143802643 + 0.05692494}},
        EzklCase{"1l_mlp", {0.27366759, 0.6484845, 0, 0}},
        EzklCase{"1l_pad",  // W padded by one zero on each side
                 {0, 0.045095213, 0.051725514, 0, 0, 0.016257806, 0.063313089, 0,
                  0, 0.049434852, 0.084273316, 0, 0, 0.076589063, 0.058640968, 0,
                  0, 0.018292326, 0.097731218, 0, 0, 0.039461672, 0.015873319, 0}},
        EzklCase{"1l_relu", {}}, EzklCase{"1l_reshape", {}}, EzklCase{"2l_relu_fc", {}},
        EzklCase{"2l_relu_small", {}},
        EzklCase{"3l_relu_conv_fc",
                 {-0.14211988, 0.047882625, -0.04096153, 0.12411985, 0.059209285, 0.055893489,
                  -0.027529537, 0.063248673, -0.082457262, 0.059847761}},
        EzklCase{"1l_downsample", {}}, EzklCase{"1l_mean", {49.97}},  // mean of the 300 inputs
        EzklCase{"sklearn_mlp", {0.58388245, 0.25361943, 0.15412152, -0.87537444, -0.02735692}},
        EzklCase{"linear_regression", {}}),
    [](const auto& info) { return std::string(info.param.name); });

std::vector<OpKind> kinds(const FloatGraph& g) {
  std::vector<OpKind> k;
  for (const auto& n : g.nodes) k.push_back(n.kind);
  return k;
}

TEST(EzklStructure, FoldsAndLowerings) {
  REQUIRE_MODELS(models);
  auto load = [&](const char* name) {
    return zk::onnx::import_model((models / "ezkl" / name / "network.onnx").string());
  };
  // MatMul + Add -> Gemm with the Add folded into the bias; Cast removed.
  FloatGraph g = load("sklearn_mlp");
  EXPECT_EQ(kinds(g),
            (std::vector<OpKind>{OpKind::kGemm, OpKind::kRelu, OpKind::kGemm, OpKind::kReshape}));
  EXPECT_EQ(g.nodes[0].weight.shape, (std::vector<int64_t>{3, 3}));
  EXPECT_EQ(g.values[g.nodes[0].output].name, "add_result");
  EXPECT_EQ(g.values[g.outputs.at(0)].shape, (std::vector<int64_t>{5, 1}));
  EXPECT_EQ(g.opset, 16);
  // A standalone zero Pad is AvgPool 1x1 with the pads.
  g = load("1l_pad");
  ASSERT_EQ(kinds(g), std::vector<OpKind>{OpKind::kAvgPool});
  EXPECT_EQ(g.nodes[0].kernel, (std::vector<int64_t>{1, 1}));
  EXPECT_EQ(g.nodes[0].pads, (std::vector<int64_t>{0, 1, 0, 1}));
  EXPECT_EQ(g.values[g.outputs[0]].shape, (std::vector<int64_t>{3, 2, 4}));
  // ReduceMean over everything: one reduction over every logical axis, to a scalar.
  g = load("1l_mean");
  EXPECT_EQ(kinds(g), (std::vector<OpKind>{OpKind::kReduceMean}));
  EXPECT_EQ(g.nodes[0].axes.size(), g.values[g.nodes[0].inputs[0]].shape.size());
  EXPECT_TRUE(g.values[g.outputs[0]].shape.empty());
  g = load("1l_batch_norm");
  EXPECT_EQ(kinds(g), std::vector<OpKind>{OpKind::kChannelAffine});
  g = load("3l_relu_conv_fc");
  EXPECT_EQ(g.values[g.inputs.at(0)].shape, (std::vector<int64_t>{1, 28, 28}));
  EXPECT_EQ(g.nodes[1].kind, OpKind::kConv);
  EXPECT_EQ(g.nodes[1].strides, (std::vector<int64_t>{2, 2}));
  g = load("1l_identity");  // Identity is aliased away
  EXPECT_TRUE(g.nodes.empty());
  EXPECT_EQ(g.outputs, g.inputs);
}

// --- malformed files -------------------------------------------------------

TEST(ImportErrors, GitLfsPointer) {
  REQUIRE_MODELS(models);
  const std::string msg = import_error(models / "ezkl" / "smallworm" / "network.onnx");
  EXPECT_NE(msg.find("not a valid ONNX model"), std::string::npos) << msg;
  EXPECT_NE(msg.find("Git LFS"), std::string::npos) << msg;
  EXPECT_NE(msg.find("smallworm"), std::string::npos) << msg;
}

TEST(ImportErrors, EmptyMissingAndRandomFiles) {
  std::string msg = import_error(write_bytes("empty.onnx", ""));
  EXPECT_NE(msg.find("not a valid ONNX model (empty file)"), std::string::npos) << msg;
  msg = import_error(temp_dir() / "does_not_exist.onnx");
  EXPECT_NE(msg.find("cannot open"), std::string::npos) << msg;
  std::mt19937 rng(7);
  for (int trial = 0; trial < 20; ++trial) {
    std::string bytes(64 + trial * 97, '\0');
    for (auto& b : bytes) b = static_cast<char>(rng());
    msg = import_error(write_bytes("random.onnx", bytes));
    EXPECT_NE(msg.find("random.onnx"), std::string::npos) << msg;
  }
}

TEST(ImportErrors, TruncatedModels) {
  REQUIRE_MODELS(models);
  const std::string bytes = read_bytes(models / "ezkl" / "3l_relu_conv_fc" / "network.onnx");
  ASSERT_GT(bytes.size(), 1000u);
  for (size_t cut = 1; cut < bytes.size(); cut += 37) {
    const std::string msg = import_error(write_bytes("truncated.onnx", bytes.substr(0, cut)));
    EXPECT_NE(msg.find("truncated.onnx"), std::string::npos) << "cut at " << cut << ": " << msg;
  }
  const std::string msg =
      import_error(write_bytes("truncated.onnx", bytes.substr(0, bytes.size() / 2)));
  EXPECT_NE(msg.find("not a valid ONNX model"), std::string::npos) << msg;
}

// --- unsupported content ---------------------------------------------------

TEST(ImportErrors, UnsupportedOpsNameOpNodeAndOpset) {
  Builder b(15);
  b.input("x", {3, 3});
  b.node("Det", {"x"}, {"y"});
  b.output("y", 0);
  const std::string msg = b.error("unsupported_det.onnx");
  EXPECT_NE(msg.find("unsupported op 'Det' (node 'Det_1', opset 15)"), std::string::npos) << msg;
  EXPECT_NE(msg.find("zkinfer supports Gemm"), std::string::npos) << msg;
}

// --- small models built in memory -------------------------------------------

// Pad -> Conv -> BatchNormalization -> Relu. With single consumers the Pad and
// BatchNorm fold into the Conv; exposing the intermediates blocks the folds.
// Both versions must compute the same values.
TEST(Synthetic, PadAndBatchNormFoldIntoConv) {
  auto build = [](bool expose) {
    return zk::testing::conv_block(expose).import(expose ? "unfused.onnx" : "fused.onnx");
  };
  const FloatGraph fused = build(false), unfused = build(true);
  EXPECT_EQ(kinds(fused), (std::vector<OpKind>{OpKind::kConv, OpKind::kRelu}));
  EXPECT_EQ(fused.nodes[0].pads, (std::vector<int64_t>{1, 0, 1, 2}));
  EXPECT_EQ(kinds(unfused), (std::vector<OpKind>{OpKind::kAvgPool, OpKind::kConv,
                                                 OpKind::kChannelAffine, OpKind::kRelu}));
  EXPECT_EQ(fused.values[fused.outputs[0]].shape, (std::vector<int64_t>{3, 3, 5}));
  const std::vector<float> x = iota_data(50, 1.0f, 0.1f);
  const auto a = zk::model::run_float(fused, {x})[fused.outputs[0]];
  const auto b = zk::model::run_float(unfused, {x})[unfused.outputs[0]];
  ASSERT_EQ(a.size(), b.size());
  int positive = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_NEAR(a[i], b[i], 1e-5) << i;
    positive += a[i] > 0;
  }
  EXPECT_GT(positive, 10);
}

// MatMul + Add(bias) -> Gemm; Mul / Sub by scalars -> ChannelAffine; Clip
// (opset 11 inputs). Checked against loops written out here.
TEST(Synthetic, MatMulAffineClip) {
  Builder b(13);
  const std::vector<float> w = iota_data(12, 1.0f, 0.0f), bias = {0.5f, -0.5f, 0.25f};
  b.input("x", {1, 4}).init("w", {4, 3}, w).init("bias", {3}, bias);
  b.init("two", {}, {2.0f}).init("one", {1}, {1.0f}).init("lo", {}, {-1.0f});
  b.init("hi", {}, {1.5f});
  b.node("MatMul", {"x", "w"}, {"m"});
  b.node("Add", {"bias", "m"}, {"a"});
  b.node("Mul", {"a", "two"}, {"s"});
  b.node("Sub", {"one", "s"}, {"d"});
  b.node("Clip", {"d", "lo", "hi"}, {"y"});
  b.output("y", 2);
  const FloatGraph g = b.import("matmul.onnx");
  EXPECT_EQ(kinds(g), (std::vector<OpKind>{OpKind::kGemm, OpKind::kChannelAffine,
                                           OpKind::kChannelAffine, OpKind::kClip}));
  const std::vector<float> x = {0.3f, -1.2f, 0.7f, 2.0f};
  const auto y = zk::model::run_float(g, {x})[g.outputs[0]];
  ASSERT_EQ(y.size(), 3u);
  for (int n = 0; n < 3; ++n) {
    float acc = bias[n];
    for (int k = 0; k < 4; ++k) acc += x[k] * w[k * 3 + n];
    EXPECT_NEAR(y[n], std::clamp(1.0f - 2.0f * acc, -1.0f, 1.5f), 1e-5) << n;
  }
}

// Transpose -> Flatten -> Gemm (transB = 0), ReduceMean over H,W and
// GlobalAveragePool summed with Add.
TEST(Synthetic, TransposeGemmAndMeans) {
  Builder b(11);
  const std::vector<float> w = iota_data(12, 1.0f, 0.0f);
  b.input("x", {1, 2, 3}).init("w", {6, 2}, w).input("z", {1, 2, 2, 2});
  Builder::ints(b.node("Transpose", {"x"}, {"t"}), "perm", {0, 2, 1});
  b.node("Flatten", {"t"}, {"f"});
  b.node("Gemm", {"f", "w"}, {"y"});
  Builder::ints(b.node("ReduceMean", {"z"}, {"r"}), "axes", {2, 3});
  b.node("GlobalAveragePool", {"z"}, {"gap"});
  b.node("Add", {"r", "gap"}, {"y2"});
  b.output("y", 2).output("y2", 4);
  const FloatGraph g = b.import("transpose.onnx");
  EXPECT_EQ(kinds(g),
            (std::vector<OpKind>{OpKind::kTranspose, OpKind::kReshape, OpKind::kGemm,
                                 OpKind::kGlobalAvgPool, OpKind::kGlobalAvgPool, OpKind::kAdd}));
  EXPECT_EQ(g.nodes[0].perm, (std::vector<int64_t>{1, 0}));
  ASSERT_EQ(g.inputs.size(), 2u);
  ASSERT_EQ(g.outputs.size(), 2u);
  const std::vector<float> x = {1, 2, 3, 4, 5, 6}, z = {1, 2, 3, 4, 10, 20, 30, 40};
  const auto vals = zk::model::run_float(g, {x, z});
  const std::vector<float> t = {1, 4, 2, 5, 3, 6};  // x[2,3] transposed
  const auto& y = vals[g.outputs[0]];
  ASSERT_EQ(y.size(), 2u);
  for (int n = 0; n < 2; ++n) {
    float acc = 0;
    for (int k = 0; k < 6; ++k) acc += t[k] * w[k * 2 + n];
    EXPECT_NEAR(y[n], acc, 1e-4);
  }
  EXPECT_EQ(vals[g.outputs[1]], (std::vector<float>{5.0f, 50.0f}));
}

// Constant / ConstantOfShape / Sub(c - x) per channel / Unsqueeze / Squeeze /
// Dropout / Mul by a scalar.
TEST(Synthetic, ConstantsAndReshapes) {
  Builder b(13);
  b.input("x", {1, 2, 2, 2}).init_ints("ax", {0}).init_ints("one", {1});
  auto* c = b.node("Constant", {}, {"c"});
  auto* a = c->add_attribute();
  a->set_name("value");
  a->set_type(ox::AttributeProto::TENSOR);
  a->mutable_t()->set_data_type(ox::TensorProto::FLOAT);
  for (int64_t d : {2, 1, 1}) a->mutable_t()->add_dims(d);
  for (float v : {1.0f, 2.0f}) a->mutable_t()->add_float_data(v);
  auto* k = b.node("ConstantOfShape", {"one"}, {"three"});
  a = k->add_attribute();
  a->set_name("value");
  a->set_type(ox::AttributeProto::TENSOR);
  a->mutable_t()->set_data_type(ox::TensorProto::FLOAT);
  a->mutable_t()->add_dims(1);
  a->mutable_t()->add_float_data(3.0f);
  b.node("Sub", {"c", "x"}, {"s"});
  b.node("Unsqueeze", {"s", "ax"}, {"u"});
  b.node("Squeeze", {"u", "ax"}, {"q"});
  b.node("Dropout", {"q"}, {"d"});
  b.node("Mul", {"d", "three"}, {"y"});
  b.output("y", 4);
  const FloatGraph g = b.import("constants.onnx");
  EXPECT_EQ(kinds(g), (std::vector<OpKind>{OpKind::kChannelAffine, OpKind::kReshape,
                                           OpKind::kReshape, OpKind::kChannelAffine}));
  const std::vector<float> x = {1, 2, 3, 4, 5, 6, 7, 8};
  const auto y = zk::model::run_float(g, {x})[g.outputs[0]];
  ASSERT_EQ(y.size(), 8u);
  for (int i = 0; i < 8; ++i) EXPECT_FLOAT_EQ(y[i], 3.0f * ((i < 4 ? 1.0f : 2.0f) - x[i])) << i;
}

// An unsupported op's error says what to do where something better than the
// list of supported ops can be said.
TEST(Synthetic, UnsupportedOpsSayWhatToDo) {
  {
    Builder b(13);
    b.input("x", {1, 4}).node("RandomNormalLike", {"x"}, {"y"});
    b.output("y", 2);
    const std::string msg = b.error("random.onnx");
    EXPECT_NE(msg.find("unsupported op 'RandomNormalLike' (node 'RandomNormalLike_1', opset 13): "
                       "random ops cannot be proven: export in inference mode"),
              std::string::npos)
        << msg;
    EXPECT_NE(msg.find("zkinfer supports Gemm"), std::string::npos) << msg;
    EXPECT_NE(msg.find("docs/OPERATORS.md"), std::string::npos) << msg;
  }
  {
    Builder b(13);
    b.input("x", {1, 4}).node("Hardmax", {"x"}, {"y"});
    b.output("y", 2);
    const std::string msg = b.error("hardmax.onnx");
    EXPECT_NE(msg.find("export without it and take the argmax of the proven outputs"),
              std::string::npos)
        << msg;
  }
}

TEST(Synthetic, OpsetRange) {
  // Opsets before 9 are upgraded by the ONNX version converter.
  for (int opset : {6, 8, 9, 17, 18, 19, 20}) {
    Builder b(opset);
    b.input("x", {1, 3}).node("Relu", {"x"}, {"y"});
    b.output("y", 2);
    if (opset <= 18) {
      EXPECT_EQ(b.import("relu.onnx").nodes.size(), 1u) << opset;
    } else {
      const std::string msg = b.error("relu.onnx");
      const std::string want = "opset " + std::to_string(opset) + " is not supported";
      EXPECT_NE(msg.find(want), std::string::npos) << msg;
    }
  }
}

// An opset newer than 18 is refused up front with a message saying what to
// do (opset 18 itself is read without libonnx's inference: opset18_test.cc).
TEST(Synthetic, Opset19IsRefusedByItsOpset) {
  Builder b(19);
  b.input("x", {1, 2, 3, 3}).init_ints("pads", {1, 1, 1, 1}).init_ints("axes", {2, 3});
  b.node("Pad", {"x", "pads", "", "axes"}, {"y"});
  b.output("y", 4);
  const std::string msg = b.error("pad19.onnx");
  EXPECT_NE(msg.find("opset 19 is not supported"), std::string::npos) << msg;
  EXPECT_NE(msg.find("opsets 1 to 18"), std::string::npos) << msg;
  EXPECT_NE(msg.find("re-export"), std::string::npos) << msg;
  EXPECT_EQ(msg.find("shape inference failed"), std::string::npos) << msg;
}

TEST(Synthetic, UnsupportedAttributesAndOperands) {
  {
    Builder b(13);
    b.input("x", {1, 2, 4, 4}).init("w", {2, 1, 3, 3}, iota_data(18, 1, 0));
    Builder::integer(b.node("Conv", {"x", "w"}, {"y"}), "group", 3);  // does not divide C = 2
    b.output("y", 4);
    const std::string msg = b.error("group.onnx");
    EXPECT_NE(msg.find("node 'Conv_1' (Conv, opset 13): attribute 'group'"), std::string::npos)
        << msg;
  }
  {
    Builder b(13);
    b.input("x", {1, 2, 4, 4});
    auto* n = b.node("MaxPool", {"x"}, {"y"});
    Builder::ints(n, "kernel_shape", {2, 2});
    Builder::ints(n, "pads", {2, 2, 2, 2});  // padding as wide as the window
    b.output("y", 4);
    const std::string msg = b.error("maxpool.onnx");
    EXPECT_NE(msg.find("'MaxPool_1'"), std::string::npos) << msg;
    EXPECT_NE(msg.find("attribute 'pads'"), std::string::npos) << msg;
  }
  {
    Builder b(13);
    // A product of two activations is supported; a non-constant bias C
    // that does not have the output's shape is not.
    b.input("x", {1, 4}).input("w", {1, 4}).input("c", {1, 2});
    Builder::integer(b.node("Gemm", {"x", "w", "c"}, {"y"}), "transB", 1);
    b.output("y", 2);
    const std::string msg = b.error("weights.onnx");
    EXPECT_NE(msg.find("a non-constant C must broadcast to the output's shape"), std::string::npos)
        << msg;
  }
  {
    Builder b(13);
    // A batch of 2 is accepted (tests/onnx/batch_cases_test.cc); a global
    // pool without a spatial axis says what it needs.
    b.input("x", {2, 3});
    b.node("GlobalAveragePool", {"x"}, {"y"});
    b.output("y", 2);
    const std::string msg = b.error("batch.onnx");
    EXPECT_NE(msg.find("expects an input [N,C,...] with at least one spatial axis, got [2,3]"),
              std::string::npos)
        << msg;
  }
  {
    Builder b(13);
    b.input("x", {1, 3, 4, 4});
    Builder::ints(b.node("ReduceMean", {"x"}, {"y"}), "axes", {4});
    b.output("y", 4);
    const std::string msg = b.error("reduce.onnx");
    EXPECT_NE(msg.find("axis must be in [-rank, rank-1]"), std::string::npos) << msg;
  }
}

// An ONNX backend test case, re-labelled from opset 6 to 9 (Flatten is the same).
TEST(OnnxBackend, FlattenWithTestData) {
  REQUIRE_MODELS(models);
  const fs::path dir = models / "onnx" / "pytorch-operator" / "test_operator_flatten";
  ox::ModelProto m;
  ASSERT_TRUE(m.ParseFromString(read_bytes(dir / "model.onnx")));
  m.mutable_opset_import(0)->set_version(9);
  const FloatGraph g =
      zk::onnx::import_model(write_bytes("flatten.onnx", m.SerializeAsString()).string());
  auto tensor = [&](const char* file) {
    ox::TensorProto t;
    EXPECT_TRUE(t.ParseFromString(read_bytes(dir / "test_data_set_0" / file)));
    std::vector<float> v(t.float_data().begin(), t.float_data().end());
    if (v.empty()) {
      v.resize(t.raw_data().size() / 4);
      std::memcpy(v.data(), t.raw_data().data(), v.size() * 4);
    }
    return v;
  };
  EXPECT_EQ(run_outputs(g, {tensor("input_0.pb")}), tensor("output_0.pb"));
  EXPECT_EQ(g.values[g.outputs[0]].shape, (std::vector<int64_t>{24}));
}

// The project's own example models: the float model classifies its sample.
TEST(Examples, LenetAndMlpClassifyTheirSample) {
  for (const char* name : {"lenet", "mlp"}) {
    const fs::path dir = fs::path(ZK_SOURCE_DIR) / "examples" / name;
    if (!fs::exists(dir / (std::string(name) + ".onnx"))) GTEST_SKIP() << "no examples/" << name;
    const FloatGraph g = zk::onnx::import_model((dir / (std::string(name) + ".onnx")).string());
    const auto js = nlohmann::json::parse(read_bytes(dir / "input.json"));
    const auto y = run_outputs(g, {js.at("input_data").at(0).get<std::vector<float>>()});
    ASSERT_EQ(y.size(), 10u);
    EXPECT_EQ(std::max_element(y.begin(), y.end()) - y.begin(), js.at("label").get<int>()) << name;
  }
}

}  // namespace

namespace {

void float_attr(ox::NodeProto* n, const std::string& name, float v) {
  auto* a = n->add_attribute();
  a->set_name(name);
  a->set_type(ox::AttributeProto::FLOAT);
  a->set_f(v);
}

}  // namespace

// Gemm with a computed C that broadcasts over the rows, scaled by beta:
// y = A B + beta C, C [N] a row added to every row (torch.addmm's export).
TEST(Synthetic, GemmComputedBroadcastC) {
  zk::testing::Builder b(13);
  b.input("a", {2, 3}).input("c", {4});
  b.init("w", {3, 4}, zk::testing::iota_data(12, 1.0f, 0.0f));
  auto* g = b.node("Gemm", {"a", "w", "c"}, {"y"});
  float_attr(g, "beta", 0.5f);
  b.output("y", 2);
  const FloatGraph fg = b.import("gemm_c_row.onnx");
  const std::vector<float> a = zk::testing::iota_data(6, 1.0f, 0.5f), c = {1, -2, 3, -4};
  const std::vector<float> w = zk::testing::iota_data(12, 1.0f, 0.0f);
  const auto y = zk::model::run_float(fg, {a, c})[fg.outputs[0]];
  ASSERT_EQ(y.size(), 8u);
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 4; ++j) {
      double want = 0.5 * c[j];
      for (int k = 0; k < 3; ++k) want += double(a[i * 3 + k]) * w[k * 4 + j];
      EXPECT_NEAR(y[i * 4 + j], want, 1e-5) << i << "," << j;
    }
  // A C that does not broadcast to [2, 4] is refused, naming the shapes.
  zk::testing::Builder bad(13);
  bad.input("a", {2, 3}).input("c", {3});
  bad.init("w", {3, 4}, w);
  bad.node("Gemm", {"a", "w", "c"}, {"y"});
  bad.output("y", 2);
  const std::string msg = bad.error("gemm_c_bad.onnx");
  EXPECT_NE(msg.find("must broadcast to the output's shape [2,4], got [3]"), std::string::npos)
      << msg;
}

// Opset 6's broadcast with an axis other than the trailing alignment is
// refused (NumPy broadcasting would compute something else).
TEST(Synthetic, Opset6BroadcastAxisMustBeTrailing) {
  zk::testing::Builder b(6);
  b.input("x", {2, 3, 4}).init("k", {3}, {1, 2, 3});
  auto* n = b.node("Add", {"x", "k"}, {"y"});
  zk::testing::Builder::integer(n, "broadcast", 1);
  zk::testing::Builder::integer(n, "axis", 1);
  b.output("y", 3);
  const std::string msg = b.error("add6_axis.onnx");
  EXPECT_NE(msg.find("axis"), std::string::npos) << msg;
  EXPECT_NE(msg.find("trailing axes"), std::string::npos) << msg;
}
