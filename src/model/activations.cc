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
      {"Reciprocal",
       6,
       {},
       [](double x, const std::vector<float>&) { return 1 / x; },
       "1 / x, saturated to the table's range near 0 (also the divisor of Div)"},
      {"Sqrt",
       6,
       {},
       [](double x, const std::vector<float>&) { return x > 0 ? std::sqrt(x) : 0.0; },
       "sqrt(x) (0 for x <= 0)"},
      {"Exp",
       6,
       {},
       [](double x, const std::vector<float>&) { return std::exp(x); },
       "e^x, saturated to the table's range"},
      {"Log",
       6,
       {},
       [](double x, const std::vector<float>&) { return x > 0 ? std::log(x) : -87.0; },
       "ln x (-87, about ln of the smallest float, for x <= 0), saturated to the table's range"},
      {"Abs", 6, {}, [](double x, const std::vector<float>&) { return std::fabs(x); }, "|x|"},
  };
  return list;
}

const Activation* find_activation(std::string_view onnx_op) {
  for (const auto& a : activations())
    if (onnx_op == a.onnx_op) return &a;
  return nullptr;
}

}  // namespace zk::model
