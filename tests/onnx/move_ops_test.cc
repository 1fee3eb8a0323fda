// Data movement ops in small in-memory models: each model's float output is
// checked against values written out here from the ONNX operator spec (loops
// over the indices, not zkinfer's index maps), then compiled, proven and
// verified, with the proven output compared to the float one and every proof
// section tampered with. Shape computations (Shape, Gather, Mul, Div, Range,
// Concat, Unsqueeze of constants) must fold at compile time. The written-out
// references were checked once against onnxruntime 1.x (node) on these very
// models with inputs 0, 1, 2, ... (every case agreed).
#include <gtest/gtest.h>

#include <functional>
#include <random>

#include "../support/onnx_builder.h"
#include "proof/api.h"
#include "quant/quantize.h"

namespace zk::proof {
namespace {

using zk::testing::Builder;
namespace ox = ::onnx;
using Vec = std::vector<float>;

void str_attr(ox::NodeProto* n, const std::string& name, const std::string& v) {
  auto* a = n->add_attribute();
  a->set_name(name);
  a->set_type(ox::AttributeProto::STRING);
  a->set_s(v);
}

// A Constant node holding an int64 tensor of `dims` (empty: a scalar).
void const_ints(Builder& b, const std::string& name, std::vector<int64_t> dims,
                std::vector<int64_t> v) {
  auto* n = b.node("Constant", {}, {name});
  auto* a = n->add_attribute();
  a->set_name("value");
  a->set_type(ox::AttributeProto::TENSOR);
  auto* t = a->mutable_t();
  t->set_data_type(ox::TensorProto::INT64);
  for (auto d : dims) t->add_dims(d);
  for (auto x : v) t->add_int64_data(x);
}

struct Case {
  std::string name;
  std::function<Builder()> build;
  std::vector<int64_t> input;                          // full input shape
  std::function<std::vector<Vec>(const Vec&)> expect;  // each output from the input
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

class MoveOps : public ::testing::TestWithParam<Case> {};

TEST_P(MoveOps, MatchesSpecAndProves) {
  const Case& c = GetParam();
  const auto g = c.build().import(c.name + ".onnx");
  int64_t n = 1;
  for (auto d : c.input) n *= d;
  std::mt19937 rng(11);
  std::uniform_real_distribution<float> u(-1.f, 1.f);
  Vec x, cal;
  for (int64_t i = 0; i < n; ++i) x.push_back(u(rng));
  for (int64_t i = 0; i < 8 * n; ++i) cal.push_back(u(rng));
  const auto want = c.expect(x);
  const auto fv = model::run_float(g, {x});
  ASSERT_EQ(g.outputs.size(), want.size());
  for (size_t o = 0; o < want.size(); ++o) {
    ASSERT_EQ(fv[g.outputs[o]].size(), want[o].size()) << "output " << o;
    for (size_t i = 0; i < want[o].size(); ++i)
      EXPECT_NEAR(fv[g.outputs[o]][i], want[o][i], 1e-6) << "output " << o << " element " << i;
  }
  auto keys = setup(quant::quantize(g, {cal}));
  auto res = prove(keys.pk, {x});
  auto parsed = load_proof(save_proof(res.proof), keys.vk.circuit, "proof");
  EXPECT_GT(res.sections.size(), 3u);
  std::vector<std::vector<float>> in{x};
  auto r = verify(keys.vk, parsed, &in);
  ASSERT_TRUE(r.ok) << r.reason;
  for (size_t o = 0; o < want.size(); ++o) {
    double err = 0, amax = 1;
    for (size_t i = 0; i < want[o].size(); ++i) {
      err = std::max(err, std::fabs(double(res.outputs[o][i]) - want[o][i]));
      amax = std::max(amax, std::fabs(double(want[o][i])));
    }
    EXPECT_LE(err, 0.01 * amax) << "output " << o;
  }
  // A proof for this input never verifies for another.
  std::vector<std::vector<float>> other{x};
  other[0][0] += 0.5f;
  EXPECT_FALSE(verify(keys.vk, parsed, &other).ok);
  for (const auto& sec : res.sections) {
    if (sec.end <= sec.begin) continue;
    Proof t = parsed;
    t.stream[sec.begin] ^= 1;
    EXPECT_FALSE(verify(keys.vk, t).ok) << "tampered section '" << sec.label << "' accepted";
  }
}

float relu(float v) { return v > 0 ? v : 0; }

std::vector<Case> cases() {
  std::vector<Case> cs;
  // Concat of the input, a constant and the input again along axis 1 of a
  // [2,3] tensor (leading axis 2), then Relu (which reads it materialized).
  cs.push_back({"concat_const",
                [] {
                  Builder b(13);
                  b.input("x", {2, 3}).init("c", {2, 1}, {0.5f, -0.25f});
                  Builder::integer(b.node("Concat", {"x", "c", "x"}, {"y"}), "axis", 1);
                  b.node("Relu", {"y"}, {"z"});
                  b.output("y", 2).output("z", 2);
                  return b;
                },
                {2, 3},
                [](const Vec& x) {
                  Vec y;
                  const float c[2] = {0.5f, -0.25f};
                  for (int r = 0; r < 2; ++r) {
                    for (int k = 0; k < 3; ++k) y.push_back(x[r * 3 + k]);
                    y.push_back(c[r]);
                    for (int k = 0; k < 3; ++k) y.push_back(x[r * 3 + k]);
                  }
                  Vec z;
                  for (float v : y) z.push_back(relu(v));
                  return std::vector<Vec>{y, z};
                }});
  // Split (opset 13, sizes as an input) into [1,2,2] and [1,4,2].
  cs.push_back(
      {"split_sizes",
       [] {
         Builder b(13);
         b.input("x", {1, 6, 2}).init_ints("s", {2, 4});
         Builder::integer(b.node("Split", {"x", "s"}, {"a", "b"}), "axis", 1);
         b.output("a", 3).output("b", 3);
         return b;
       },
       {1, 6, 2},
       [](const Vec& x) {
         return std::vector<Vec>{Vec(x.begin(), x.begin() + 4), Vec(x.begin() + 4, x.end())};
       }});
  // Slice with negative steps and indices: x[0, 3:0:-2, -1:-7:-2] of [1,4,6].
  cs.push_back({"slice_steps",
                [] {
                  Builder b(13);
                  b.input("x", {1, 4, 6}).init_ints("st", {3, -1}).init_ints("en", {0, -7});
                  b.init_ints("ax", {1, 2}).init_ints("sp", {-2, -2});
                  b.node("Slice", {"x", "st", "en", "ax", "sp"}, {"y"});
                  b.output("y", 3);
                  return b;
                },
                {1, 4, 6},
                [](const Vec& x) {
                  Vec y;
                  for (int i : {3, 1})
                    for (int j : {5, 3, 1}) y.push_back(x[i * 6 + j]);
                  return std::vector<Vec>{y};
                }});
  // Gather: a scalar index -1 on axis 2 removes it; a [2,2] index on axis 1.
  cs.push_back({"gather",
                [] {
                  Builder b(13);
                  b.input("x", {1, 3, 4});
                  const_ints(b, "i0", {}, {-1});
                  const_ints(b, "i1", {2, 2}, {0, 2, 2, 1});
                  Builder::integer(b.node("Gather", {"x", "i0"}, {"a"}), "axis", 2);
                  Builder::integer(b.node("Gather", {"x", "i1"}, {"b"}), "axis", 1);
                  b.output("a", 2).output("b", 4);
                  return b;
                },
                {1, 3, 4},
                [](const Vec& x) {
                  Vec a, bb;
                  for (int c = 0; c < 3; ++c) a.push_back(x[c * 4 + 3]);
                  for (int i : {0, 2, 2, 1})
                    for (int k = 0; k < 4; ++k) bb.push_back(x[i * 4 + k]);
                  return std::vector<Vec>{a, bb};
                }});
  // Expand [1,3,1] to [2,1,3,4] (the rank grows), and Tile by [2,1,3].
  cs.push_back({"expand_tile",
                [] {
                  Builder b(13);
                  b.input("x", {1, 3, 1}).init_ints("shape", {2, 1, 3, 4});
                  b.init_ints("rep", {2, 1, 3});
                  b.node("Expand", {"x", "shape"}, {"y"});
                  b.node("Tile", {"x", "rep"}, {"t"});
                  b.output("y", 4).output("t", 3);
                  return b;
                },
                {1, 3, 1},
                [](const Vec& x) {
                  Vec y, t;
                  for (int a = 0; a < 2; ++a)
                    for (int c = 0; c < 3; ++c)
                      for (int d = 0; d < 4; ++d) y.push_back(x[c]);
                  for (int a = 0; a < 2; ++a)
                    for (int c = 0; c < 3; ++c)
                      for (int d = 0; d < 3; ++d) t.push_back(x[c]);
                  return std::vector<Vec>{y, t};
                }});
  // Transpose moving the leading axis of [2,3,4] (perm [2,0,1]), then Relu.
  cs.push_back({"transpose_lead",
                [] {
                  Builder b(13);
                  b.input("x", {2, 3, 4});
                  Builder::ints(b.node("Transpose", {"x"}, {"y"}), "perm", {2, 0, 1});
                  b.node("Relu", {"y"}, {"z"});
                  b.output("z", 3);
                  return b;
                },
                {2, 3, 4},
                [](const Vec& x) {
                  Vec z;
                  for (int i = 0; i < 4; ++i)
                    for (int j = 0; j < 2; ++j)
                      for (int k = 0; k < 3; ++k) z.push_back(relu(x[j * 12 + k * 4 + i]));
                  return std::vector<Vec>{z};
                }});
  // DepthToSpace (DCR and CRD, blocksize 2) of [1,8,2,3]; SpaceToDepth back.
  cs.push_back({"depth_space",
                [] {
                  Builder b(13);
                  b.input("x", {1, 8, 2, 3});
                  auto* d = b.node("DepthToSpace", {"x"}, {"dcr"});
                  Builder::integer(d, "blocksize", 2);
                  auto* c = b.node("DepthToSpace", {"x"}, {"crd"});
                  Builder::integer(c, "blocksize", 2);
                  str_attr(c, "mode", "CRD");
                  Builder::integer(b.node("SpaceToDepth", {"dcr"}, {"back"}), "blocksize", 2);
                  b.output("dcr", 4).output("crd", 4).output("back", 4);
                  return b;
                },
                {1, 8, 2, 3},
                [](const Vec& x) {
                  // Spec: DCR reshape [1,2,2,2,H,W], transpose (0,3,4,1,5,2); CRD
                  // reshape [1,2,2,2,H,W], transpose (0,1,4,2,5,3).
                  Vec dcr, crd;
                  for (int c = 0; c < 2; ++c)
                    for (int h = 0; h < 2; ++h)
                      for (int i = 0; i < 2; ++i)
                        for (int w = 0; w < 3; ++w)
                          for (int j = 0; j < 2; ++j) {
                            dcr.push_back(x[((i * 2 + j) * 2 + c) * 6 + h * 3 + w]);
                            crd.push_back(x[(c * 4 + i * 2 + j) * 6 + h * 3 + w]);
                          }
                  return std::vector<Vec>{dcr, crd, x};
                }});
  // Resize nearest (opset 13 defaults: half_pixel, round_prefer_floor) of
  // [1,1,2,3] by [1,1,2,1.5], and Upsample (opset 9: asymmetric, floor) by 2.
  cs.push_back({"resize_nearest",
                [] {
                  Builder b(13);
                  b.input("x", {1, 1, 2, 3}).init("sc", {4}, {1, 1, 2, 1.5f});
                  b.node("Resize", {"x", "", "sc"}, {"y"});
                  b.output("y", 4);
                  return b;
                },
                {1, 1, 2, 3},
                [](const Vec& x) {
                  Vec y;
                  for (int r : {0, 0, 1, 1})
                    for (int c : {0, 0, 1, 2}) y.push_back(x[r * 3 + c]);
                  return std::vector<Vec>{y};
                }});
  // Resize linear (half_pixel) of [1,1,2,2] by 2: per axis, output
  // coordinates -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1).
  cs.push_back({"resize_linear",
                [] {
                  Builder b(13);
                  b.input("x", {1, 1, 2, 2}).init("sc", {4}, {1, 1, 2, 2});
                  str_attr(b.node("Resize", {"x", "", "sc"}, {"y"}), "mode", "linear");
                  b.output("y", 4);
                  return b;
                },
                {1, 1, 2, 2},
                [](const Vec& x) {
                  const float a[4][2] = {{1, 0}, {0.75f, 0.25f}, {0.25f, 0.75f}, {0, 1}};
                  Vec y;
                  for (int r = 0; r < 4; ++r)
                    for (int c = 0; c < 4; ++c) {
                      float v = 0;
                      for (int i = 0; i < 2; ++i)
                        for (int j = 0; j < 2; ++j) v += a[r][i] * a[c][j] * x[i * 2 + j];
                      y.push_back(v);
                    }
                  return std::vector<Vec>{y};
                }});
  cs.push_back({"upsample9",
                [] {
                  Builder b(9);
                  b.input("x", {1, 1, 2, 3}).init("sc", {4}, {1, 1, 2, 2});
                  b.node("Upsample", {"x", "sc"}, {"y"});
                  b.output("y", 4);
                  return b;
                },
                {1, 1, 2, 3},
                [](const Vec& x) {
                  Vec y;
                  for (int r = 0; r < 4; ++r)
                    for (int c = 0; c < 6; ++c) y.push_back(x[(r / 2) * 3 + c / 2]);
                  return std::vector<Vec>{y};
                }});
  // Where with a constant condition; Pad edge; Pad with a value and cropping.
  cs.push_back({"where_pad",
                [] {
                  Builder b(13);
                  b.input("x", {1, 2, 3}).init("seven", {}, {7.0f});
                  b.init("cond", {1, 3}, {1, 0, 1});
                  b.init_ints("p1", {0, 1, 0, 0, 0, 2}).init_ints("p2", {0, 0, -1, 0, 1, 0});
                  b.init("v", {}, {1.5f});
                  Builder::integer(b.node("Cast", {"cond"}, {"cb"}), "to", ox::TensorProto::BOOL);
                  b.node("Where", {"cb", "x", "seven"}, {"w"});
                  str_attr(b.node("Pad", {"x", "p1"}, {"e"}), "mode", "edge");
                  b.node("Pad", {"x", "p2", "v"}, {"c"});
                  b.output("w", 3).output("e", 3).output("c", 3);
                  return b;
                },
                {1, 2, 3},
                [](const Vec& x) {
                  Vec w, e, c;
                  for (int r = 0; r < 2; ++r)
                    for (int k = 0; k < 3; ++k) w.push_back(k == 1 ? 7.0f : x[r * 3 + k]);
                  for (int r = 0; r < 3; ++r)
                    for (int k = 0; k < 5; ++k)
                      e.push_back(x[std::max(0, r - 1) * 3 + std::min(k, 2)]);
                  for (int r = 0; r < 3; ++r)
                    for (int k = 1; k < 3; ++k) c.push_back(r < 2 ? x[r * 3 + k] : 1.5f);
                  return std::vector<Vec>{w, e, c};
                }});
  // A dynamic reshape as PyTorch exports it: Shape, Gather, Mul, Div,
  // Unsqueeze and Concat of constants fold to [2,6,2]; Range gives Gather
  // indices [0,2].
  cs.push_back({"shape_fold",
                [] {
                  Builder b(13);
                  b.input("x", {1, 2, 3, 4});
                  b.node("Shape", {"x"}, {"s"});
                  const_ints(b, "k1", {}, {1});
                  const_ints(b, "k2", {}, {2});
                  const_ints(b, "k3", {}, {3});
                  const_ints(b, "k0", {}, {0});
                  const_ints(b, "ax", {1}, {0});
                  const_ints(b, "two", {1}, {2});
                  b.node("Gather", {"s", "k1"}, {"a"});
                  b.node("Gather", {"s", "k2"}, {"h"});
                  b.node("Gather", {"s", "k3"}, {"w"});
                  b.node("Mul", {"h", "w"}, {"hw"});
                  b.node("Div", {"hw", "k2"}, {"half"});
                  b.node("Unsqueeze", {"a", "ax"}, {"ua"});
                  b.node("Unsqueeze", {"half", "ax"}, {"uh"});
                  Builder::integer(b.node("Concat", {"ua", "uh", "two"}, {"shape"}), "axis", 0);
                  b.node("Reshape", {"x", "shape"}, {"r"});
                  b.node("Range", {"k0", "w", "k2"}, {"idx"});
                  Builder::integer(b.node("Gather", {"r", "idx"}, {"g"}), "axis", 1);
                  b.output("g", 3);
                  return b;
                },
                {1, 2, 3, 4},
                [](const Vec& x) {
                  Vec g;  // r = x as [2,6,2]; g = r[:, {0,2}, :]
                  for (int a = 0; a < 2; ++a)
                    for (int i : {0, 2})
                      for (int k = 0; k < 2; ++k) g.push_back(x[a * 12 + i * 2 + k]);
                  return std::vector<Vec>{g};
                }});
  // Expand as PyTorch exports x.expand(shape): ConstantOfShape(Shape(shape)),
  // Mul by -1, Equal, Where of constant ints; plus Size, Sub, Less and Cast.
  cs.push_back({"expand_where_fold",
                [] {
                  Builder b(13);
                  b.input("x", {1, 3, 1}).init_ints("shape", {2, 1, 3, 4});
                  const_ints(b, "m1", {}, {-1});
                  const_ints(b, "one", {1}, {1});
                  b.node("Shape", {"shape"}, {"rank"});
                  auto* cs = b.node("ConstantOfShape", {"rank"}, {"ones"});
                  auto* a = cs->add_attribute();
                  a->set_name("value");
                  a->set_type(ox::AttributeProto::TENSOR);
                  a->mutable_t()->set_data_type(ox::TensorProto::INT64);
                  a->mutable_t()->add_dims(1);
                  a->mutable_t()->add_int64_data(1);
                  b.node("Mul", {"ones", "m1"}, {"neg"});
                  b.node("Equal", {"shape", "neg"}, {"eq"});
                  b.node("Where", {"eq", "ones", "shape"}, {"target"});
                  b.node("Size", {"x"}, {"n"});          // 3
                  b.node("Sub", {"n", "one"}, {"nm1"});  // [2]
                  b.node("Less", {"nm1", "n"}, {"lt"});  // [true]
                  Builder::integer(b.node("Cast", {"lt"}, {"lti"}), "to", ox::TensorProto::INT64);
                  b.node("Mul", {"target", "lti"}, {"t2"});  // unchanged
                  b.node("Expand", {"x", "t2"}, {"y"});
                  b.output("y", 4);
                  return b;
                },
                {1, 3, 1},
                [](const Vec& x) {
                  Vec y;
                  for (int a = 0; a < 2; ++a)
                    for (int c = 0; c < 3; ++c)
                      for (int d = 0; d < 4; ++d) y.push_back(x[c]);
                  return std::vector<Vec>{y};
                }});
  // A Gemm reading a view that repeats elements (Tile): the columns that
  // read one element add up.
  cs.push_back({"tile_matmul",
                [] {
                  Builder b(13);
                  b.input("x", {1, 3}).init_ints("rep", {1, 2});
                  b.init("w", {6, 2}, {1, 2, 3, 4, 5, 6, 2, 1, 0.5f, -1, 3, 0});
                  b.node("Tile", {"x", "rep"}, {"t"});
                  b.node("MatMul", {"t", "w"}, {"y"});
                  b.output("y", 2);
                  return b;
                },
                {1, 3},
                [](const Vec& x) {
                  const float w[6][2] = {{1, 2}, {3, 4}, {5, 6}, {2, 1}, {0.5f, -1}, {3, 0}};
                  Vec y(2, 0.0f);
                  for (int k = 0; k < 6; ++k)
                    for (int j = 0; j < 2; ++j) y[j] += x[k % 3] * w[k][j];
                  return std::vector<Vec>{y};
                }});
  return cs;
}

// Unsupported forms are refused naming the node and what is supported.
TEST(MoveErrors, NameTheNodeAndTheSupportedForm) {
  {
    Builder b(13);
    b.input("x", {1, 1, 2, 2}).init("sc", {4}, {1, 1, 2, 2});
    str_attr(b.node("Resize", {"x", "", "sc"}, {"y"}), "mode", "cubic");
    b.output("y", 4);
    const std::string m = b.error("cubic.onnx");
    EXPECT_NE(m.find("'mode' = cubic is not supported (nearest or linear)"), std::string::npos)
        << m;
  }
  {
    Builder b(13);
    b.input("x", {1, 2, 3}).init_ints("p", {0, 0, 3, 0, 0, 0});
    str_attr(b.node("Pad", {"x", "p"}, {"y"}), "mode", "reflect");
    b.output("y", 3);
    const std::string m = b.error("reflect.onnx");
    EXPECT_NE(m.find("reflect pads must be smaller than the axis size 3"), std::string::npos) << m;
  }
}

INSTANTIATE_TEST_SUITE_P(Move, MoveOps, ::testing::ValuesIn(cases()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace zk::proof
