// A verifying key is untrusted input too: a circuit that passes its checksum
// but is inconsistent must be refused on load, before the verifier indexes,
// recurses or allocates by it.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "circuit/circuit.h"
#include "onnx/import.h"
#include "quant/quantize.h"

namespace zk::circuit {
namespace {

Circuit lenet() {
  std::string ex = std::string(ZK_SOURCE_DIR) + "/examples/lenet/";
  std::ifstream f(ex + "calibration.json");
  auto cal = nlohmann::json::parse(f)["input_data"].get<std::vector<std::vector<float>>>();
  return quant::quantize(onnx::import_model(ex + "lenet.onnx"), cal).circuit;
}

// Serializes and parses back: what a verifier loading the key would see.
std::string load_error(const Circuit& c) {
  ByteWriter w;
  c.serialize(w);
  ByteReader r(w.buf().data(), w.buf().size(), "vk");
  try {
    Circuit::deserialize(r);
  } catch (const FormatError& e) {
    return e.what();
  }
  return "";
}

int first_of(const Circuit& c, NodeType t) {
  for (size_t i = 0; i < c.nodes.size(); ++i)
    if (c.nodes[i].type == t) return static_cast<int>(i);
  return -1;
}

TEST(Validate, TheCompiledCircuitLoads) { EXPECT_EQ(load_error(lenet()), ""); }

TEST(Validate, UnlistedInputTensorIsRefused) {
  Circuit c = lenet();
  Tensor t = c.tensors[c.inputs[0]];
  t.name = "stray";
  c.tensors.push_back(t);
  EXPECT_NE(load_error(c).find("listed exactly once"), std::string::npos);
  c = lenet();
  c.inputs.push_back(c.inputs[0]);
  EXPECT_NE(load_error(c).find("listed exactly once"), std::string::npos);
}

TEST(Validate, TensorNotProducedByItsProducerIsRefused) {
  Circuit c = lenet();
  int gemm = first_of(c, NodeType::kGemm), conv = first_of(c, NodeType::kConv);
  c.tensors[c.nodes[gemm].out[0]].producer = conv;
  EXPECT_NE(load_error(c), "");
}

TEST(Validate, WindowsTooCostlyToVerifyAreRefused) {
  Circuit c = lenet();
  c.nodes[first_of(c, NodeType::kConv)].p<WindowParams>().kernel_h = 4096;
  EXPECT_NE(load_error(c), "");
  c = lenet();
  Node& n = c.nodes[first_of(c, NodeType::kConv)];
  c.tensors[n.out[0]].log_dims[1] = 20;
  c.tensors[n.out[0]].dims[1] = 1 << 20;
  n.p<WindowParams>().kernel_h = 5;
  // Shapes no longer match the requantization that follows, or the window
  // budget trips: either way the key is refused.
  EXPECT_NE(load_error(c), "");
}

TEST(Validate, DeepChainsOfDerivedTensorsAreRefused) {
  Circuit c = lenet();
  int x = c.outputs[0];
  for (int i = 0; i < 600; ++i) {
    Tensor t = c.tensors[x];
    t.name = "chain" + std::to_string(i);
    t.kind = TensorKind::kDerived;
    t.producer = static_cast<int>(c.nodes.size());
    c.tensors.push_back(t);
    Node n;
    n.type = NodeType::kLinComb;
    n.layer = t.name;
    n.in = {x};
    n.out = {static_cast<int32_t>(c.tensors.size() - 1)};
    n.p<LinCombParams>().expr.terms = {Term{x, 1}};
    c.nodes.push_back(n);
    x = n.out[0];
  }
  c.outputs = {x};
  EXPECT_NE(load_error(c).find("too deep"), std::string::npos);
}

}  // namespace
}  // namespace zk::circuit
