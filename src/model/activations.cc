#include "model/activations.h"

#include <cmath>

namespace zk::model {

const std::vector<Activation>& activations() {
  static const std::vector<Activation> list = {
      {"Sigmoid",
       6,
       {},
       [](double x, const std::vector<float>&) { return 1 / (1 + std::exp(-x)); },
       "1 / (1 + e^-x)"},
  };
  return list;
}

// Activations the importer builds itself (no ONNX op of that name).
const std::vector<Activation>& internal_activations() {
  static const std::vector<Activation> list = {
      // The one-hot of an embedding lookup: x = id - v for an integer id
      // and row v of a table of attrs[0] rows; 1 when id selects row v
      // (ONNX Gather also takes id - rows for row v).
      {kIsZeroActivation,
       0,
       {{"rows", 0.0f}},
       [](double x, const std::vector<float>& a) {
         return std::fabs(x) < 0.5 || std::fabs(x + a[0]) < 0.5 ? 1.0 : 0.0;
       },
       "1 where an integer id selects the row"},
  };
  return list;
}

const Activation* find_activation(std::string_view onnx_op) {
  for (const auto& a : activations())
    if (onnx_op == a.onnx_op) return &a;
  for (const auto& a : internal_activations())
    if (onnx_op == a.onnx_op) return &a;
  return nullptr;
}

}  // namespace zk::model
