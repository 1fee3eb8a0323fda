// Every registered lookup-table activation (model/activations.cc), proven end
// to end on small ONNX models built in memory: fused after a Gemm and
// standalone on the input. The proven output must agree with the float
// function within the table's rounding, every proof section must be checked,
// and the tabulated function is part of the key. (The reference nobody here
// wrote: tests/onnx/ezkl_e2e_test.cc proves PyTorch-exported models with
// each activation against the outputs PyTorch recorded.)
#include "model/activations.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "../support/onnx_builder.h"
#include "proof/api.h"

namespace zk::proof {
namespace {

using zk::testing::Builder;
using zk::testing::iota_data;

struct Proven {
  model::FloatGraph graph;
  Keys keys;
  ProveResult res;
  std::vector<std::vector<float>> input;
};

// Gemm(4 -> 3) followed by the activation (fused into its requantization),
// and the activation applied straight to the input (its own requantization).
// The attribute values the test uses: the defaults, and for a value read
// from a constant input (Pow's exponent) one more than its default.
std::vector<float> test_attrs(const model::Activation& a) {
  std::vector<float> v;
  for (const auto& at : a.attrs) v.push_back(at.default_value + (at.input >= 0 ? 1.0f : 0.0f));
  return v;
}

Proven prove_model(const model::Activation& a) {
  Builder b(std::max(13, a.since_opset));
  b.input("x", {1, 4}).init("w", {4, 3}, iota_data(12, 0.5f, -0.1f)).init("c", {3}, {0.5f, -1, 0});
  b.node("Gemm", {"x", "w", "c"}, {"g"});
  std::vector<std::string> g_in = {"g"}, x_in = {"x"};
  const auto values = test_attrs(a);
  for (size_t i = 0; i < a.attrs.size(); ++i) {
    const int k = a.attrs[i].input;
    if (k < 0) continue;
    const std::string name = std::string("attr_") + a.attrs[i].name;
    b.init(name, {}, {values[i]});
    g_in.resize(std::max<size_t>(g_in.size(), k + 1));
    x_in.resize(std::max<size_t>(x_in.size(), k + 1));
    g_in[k] = x_in[k] = name;
  }
  b.node(a.onnx_op, g_in, {"y"});
  b.node(a.onnx_op, x_in, {"z"});
  b.output("y", 2).output("z", 2);
  Proven p;
  p.graph = b.import(std::string(a.onnx_op) + "_act.onnx");
  std::mt19937 rng(11);
  std::uniform_real_distribution<float> u(-3.f, 3.f);
  std::vector<std::vector<float>> cal(1);
  for (int i = 0; i < 64; ++i) cal[0].push_back(u(rng));
  p.input.resize(1);
  for (int i = 0; i < 4; ++i) p.input[0].push_back(u(rng));
  auto m = quant::quantize(p.graph, cal);
  p.keys = setup(m);
  p.res = prove(p.keys.pk, p.input);
  return p;
}

class Activations : public ::testing::TestWithParam<std::string> {};

TEST_P(Activations, ProvesWithinTheTableErrorAndEverySectionIsChecked) {
  const model::Activation* a = model::find_activation(GetParam());
  ASSERT_NE(a, nullptr);
  Proven p = prove_model(*a);
  auto r = verify(p.keys.vk, p.res.proof, &p.input);
  ASSERT_TRUE(r.ok) << r.reason;
  auto fv = model::run_float(p.graph, p.input);
  // The float graph computes the registered function itself.
  const std::vector<float> defaults = test_attrs(*a);
  for (size_t i = 0; i < p.input[0].size(); ++i)
    EXPECT_NEAR(fv[p.graph.outputs[1]][i], a->f(p.input[0][i], defaults), 1e-6);
  for (size_t o = 0; o < p.graph.outputs.size(); ++o) {
    const auto& f = fv[p.graph.outputs[o]];
    double amax = 1, err = 0;
    for (float x : f) amax = std::max(amax, static_cast<double>(std::fabs(x)));
    for (size_t i = 0; i < f.size(); ++i)
      err = std::max(err, std::fabs(static_cast<double>(p.res.outputs[o][i]) - f[i]));
    EXPECT_LE(err, 0.02 * amax) << a->onnx_op << " output " << o;
    std::printf("[ act ] %s output %zu: max abs error %.5f\n", a->onnx_op, o, err);
  }
  // The stated bound (docs/OPERATORS.md) on the standalone output z = f(x):
  // |z - f(x)| <= 2^-(s_out+1) + max |f(t) - f(x)| over |t - x| <= d, where d
  // is the input's rounding (2^-(s_x+1)) plus the requantization's onto the
  // table grid (2^-(s_in+1)).
  const auto& c = p.keys.vk.circuit;
  const int z = c.outputs[1];
  const circuit::Node* rq = nullptr;
  for (const auto& n : c.nodes)
    if (n.type == circuit::NodeType::kRequant && n.out[0] == z) rq = &n;
  ASSERT_NE(rq, nullptr);
  const auto& prm = rq->p<circuit::RequantParams>();
  ASSERT_EQ(prm.mult, 1);
  const int s_x = c.tensors[rq->in[0]].scale, s_in = s_x - prm.shift, s_out = c.tensors[z].scale;
  const double d = std::ldexp(1.0, -(s_x + 1)) + (prm.shift > 0 ? std::ldexp(1.0, -(s_in + 1)) : 0);
  for (size_t i = 0; i < p.input[0].size(); ++i) {
    const double x = p.input[0][i], fx = a->f(x, defaults);
    double dev = 0;
    for (double t : {x - d, x - d / 2, x + d / 2, x + d})
      dev = std::max(dev, std::fabs(a->f(t, defaults) - fx));
    EXPECT_LE(std::fabs(p.res.outputs[1][i] - fx), std::ldexp(1.0, -(s_out + 1)) + dev + 1e-9)
        << a->onnx_op << " at x = " << x << " (s_x " << s_x << ", s_in " << s_in << ", s_out "
        << s_out << ")";
  }
  for (const auto& sec : p.res.sections) {
    if (sec.end <= sec.begin) continue;
    Proof t = p.res.proof;
    t.stream[sec.begin] ^= 1;
    EXPECT_FALSE(verify(p.keys.vk, t).ok) << "tampered section '" << sec.label << "' accepted";
  }
}

TEST_P(Activations, TheTabulatedFunctionIsPartOfTheKey) {
  Proven p = prove_model(*model::find_activation(GetParam()));
  VerifyingKey vk = p.keys.vk;
  bool found = false;
  for (auto& t : vk.circuit.tables)
    if (t.kind == circuit::TableKind::kFunction) {
      t.values[t.values.size() / 2 + 1] += 1;  // one row of f changed
      found = true;
    }
  ASSERT_TRUE(found) << "no function table in the circuit";
  EXPECT_FALSE(verify(vk, p.res.proof).ok);
}

INSTANTIATE_TEST_SUITE_P(Registered, Activations, ::testing::ValuesIn([] {
                           std::vector<std::string> names;
                           for (const auto& a : model::activations()) names.push_back(a.onnx_op);
                           return names;
                         }()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace zk::proof
