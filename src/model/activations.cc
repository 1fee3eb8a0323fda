#include "model/activations.h"

#include <algorithm>
#include <cmath>

namespace zk::model {

namespace {

using Attrs = std::vector<float>;

// Functions with a restricted domain are extended continuously beyond it, so
// that the table (which covers the whole input range) and the float executor
// agree everywhere and stay finite: sqrt(0) below 0, log and 1/x at the
// smallest magnitude 2^-24, asin/acos at the ends of [-1, 1].
constexpr double kTiny = 0x1p-24;

double softplus(double x) { return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x)); }
double clamp1(double x) { return std::clamp(x, -1.0, 1.0); }
double recip(double x) { return 1 / (std::fabs(x) < kTiny ? std::copysign(kTiny, x) : x); }
double pow_const(double x, double e) {
  // An integer exponent is defined for negative x; a fractional one is not,
  // and x^e for x < 0 is taken as 0 there (as sqrt is).
  if (e == std::floor(e)) return std::pow(x, e);
  return x > 0 ? std::pow(x, e) : (e < 0 ? std::pow(kTiny, e) : 0.0);
}

}  // namespace

const std::vector<Activation>& activations() {
  static const std::vector<Activation> list = {
      {"Sigmoid",
       6,
       {},
       [](double x, const Attrs&) { return 1 / (1 + std::exp(-x)); },
       "1 / (1 + e^-x)"},
      {"Tanh", 6, {}, [](double x, const Attrs&) { return std::tanh(x); }, "tanh(x)"},
      {"Exp",
       6,
       {},
       [](double x, const Attrs&) { return std::exp(x); },
       "e^x, saturating at the output range"},
      {"Log",
       6,
       {},
       [](double x, const Attrs&) { return std::log(std::max(x, kTiny)); },
       "ln(x), ln(2^-24) for x below 2^-24"},
      {"Erf", 9, {}, [](double x, const Attrs&) { return std::erf(x); }, "erf(x)"},
      {"Softplus", 6, {}, [](double x, const Attrs&) { return softplus(x); }, "ln(1 + e^x)"},
      {"Mish",
       18,
       {},
       [](double x, const Attrs&) { return x * std::tanh(softplus(x)); },
       "x tanh(ln(1 + e^x))"},
      {"Softsign",
       6,
       {},
       [](double x, const Attrs&) { return x / (1 + std::fabs(x)); },
       "x / (1 + |x|)"},
      {"Elu",
       6,
       {{"alpha", 1.0f}},
       [](double x, const Attrs& a) { return x > 0 ? x : a[0] * std::expm1(x); },
       "x > 0 ? x : alpha (e^x - 1)"},
      {"Celu",
       12,
       {{"alpha", 1.0f}},
       [](double x, const Attrs& a) {
         return std::max(0.0, x) + std::min(0.0, a[0] * std::expm1(x / a[0]));
       },
       "max(0, x) + min(0, alpha (e^(x/alpha) - 1))"},
      {"Selu",
       6,
       {{"alpha", 1.67326319217681884765625f}, {"gamma", 1.05070102214813232421875f}},
       [](double x, const Attrs& a) { return a[1] * (x > 0 ? x : a[0] * std::expm1(x)); },
       "gamma (x > 0 ? x : alpha (e^x - 1))"},
      {"LeakyRelu",
       6,
       {{"alpha", 0.01f}},
       [](double x, const Attrs& a) { return x >= 0 ? x : a[0] * x; },
       "x >= 0 ? x : alpha x"},
      {"ThresholdedRelu",
       10,
       {{"alpha", 1.0f}},
       [](double x, const Attrs& a) { return x > a[0] ? x : 0.0; },
       "x > alpha ? x : 0"},
      {"HardSigmoid",
       6,
       {{"alpha", 0.2f}, {"beta", 0.5f}},
       [](double x, const Attrs& a) { return std::clamp(a[0] * x + a[1], 0.0, 1.0); },
       "max(0, min(1, alpha x + beta))"},
      {"HardSwish",
       14,
       {},
       [](double x, const Attrs&) { return x * std::clamp(x / 6 + 0.5, 0.0, 1.0); },
       "x max(0, min(1, x/6 + 1/2))"},
      {"Shrink",
       9,
       {{"lambd", 0.5f}, {"bias", 0.0f}},
       [](double x, const Attrs& a) { return x < -a[0] ? x + a[1] : (x > a[0] ? x - a[1] : 0.0); },
       "x < -lambd ? x + bias : x > lambd ? x - bias : 0"},
      {"Sqrt",
       6,
       {},
       [](double x, const Attrs&) { return std::sqrt(std::max(x, 0.0)); },
       "sqrt(x), 0 for x < 0"},
      {"Reciprocal",
       6,
       {},
       [](double x, const Attrs&) { return recip(x); },
       "1 / x, with |x| at least 2^-24"},
      {"Neg", 6, {}, [](double x, const Attrs&) { return -x; }, "-x"},
      {"Abs", 6, {}, [](double x, const Attrs&) { return std::fabs(x); }, "|x|"},
      {"Sign",
       9,
       {},
       [](double x, const Attrs&) { return x > 0 ? 1.0 : (x < 0 ? -1.0 : 0.0); },
       "-1, 0 or 1"},
      {"Floor",
       6,
       {},
       [](double x, const Attrs&) { return std::floor(x); },
       "floor(x) of the quantized input"},
      {"Ceil",
       6,
       {},
       [](double x, const Attrs&) { return std::ceil(x); },
       "ceil(x) of the quantized input"},
      {"Round",
       11,
       {},
       [](double x, const Attrs&) { return std::nearbyint(x); },
       "round half to even of the quantized input"},
      {"Sin", 7, {}, [](double x, const Attrs&) { return std::sin(x); }, "sin(x)"},
      {"Cos", 7, {}, [](double x, const Attrs&) { return std::cos(x); }, "cos(x)"},
      {"Tan",
       7,
       {},
       [](double x, const Attrs&) { return std::tan(x); },
       "tan(x), saturating at the output range"},
      {"Asin",
       7,
       {},
       [](double x, const Attrs&) { return std::asin(clamp1(x)); },
       "asin(x), x clamped to [-1, 1]"},
      {"Acos",
       7,
       {},
       [](double x, const Attrs&) { return std::acos(clamp1(x)); },
       "acos(x), x clamped to [-1, 1]"},
      {"Atan", 7, {}, [](double x, const Attrs&) { return std::atan(x); }, "atan(x)"},
      {"Sinh", 9, {}, [](double x, const Attrs&) { return std::sinh(x); }, "sinh(x)"},
      {"Cosh", 9, {}, [](double x, const Attrs&) { return std::cosh(x); }, "cosh(x)"},
      {"Asinh", 9, {}, [](double x, const Attrs&) { return std::asinh(x); }, "asinh(x)"},
      {"Atanh",
       9,
       {},
       [](double x, const Attrs&) { return std::atanh(std::clamp(x, -1 + 1e-7, 1 - 1e-7)); },
       "atanh(x), x clamped inside (-1, 1)"},
      {"Pow",
       7,
       {{"exponent", 1.0f, 1}},
       [](double x, const Attrs& a) { return pow_const(x, a[0]); },
       "x^e for a constant scalar exponent e (x < 0 with fractional e: 0)"},
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
      // Cast of a computed tensor to an integer type (truncation toward 0)
      // or to bool (1 where not 0), on its quantized values.
      {kTruncActivation,
       0,
       {},
       [](double x, const std::vector<float>&) { return std::trunc(x); },
       "trunc(x): Cast to an integer type"},
      // Pow(base, x) for a constant positive base: base^x.
      {kExpBaseActivation,
       0,
       {{"base", 2.0f}},
       [](double x, const std::vector<float>& a) { return std::pow(static_cast<double>(a[0]), x); },
       "base^x: Pow of a constant base"},
      {kNonZeroActivation,
       0,
       {},
       [](double x, const std::vector<float>&) { return x != 0 ? 1.0 : 0.0; },
       "x != 0: Cast to bool"},
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
