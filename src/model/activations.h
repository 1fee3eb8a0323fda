// Elementwise activations computed by a lookup table. Each is one entry of
// activations() (activations.cc): its ONNX op, attributes and float function.
// The ONNX importer, the float executor and the lowering to a circuit (a
// function table: the requantized input q, at the pre-activation scale, maps
// to round(f(q / 2^s_in) * 2^s_out)) all read this list, so a new activation
// is one entry there plus its test.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace zk::model {

struct ActivationAttr {
  const char* name;     // ONNX float attribute
  float default_value;  // when the node does not set it
  // >= 0: the value comes from this (constant, scalar) input of the node
  // instead of an attribute, e.g. Pow's exponent.
  int input = -1;
};

struct Activation {
  const char* onnx_op;  // op type in the default ONNX domain
  int since_opset;      // the first opset whose form of the op is accepted
  std::vector<ActivationAttr> attrs;
  // f(x) given the attribute values in `attrs` order. Called at compile
  // time only: the verifier reads the tabulated outputs from the key.
  double (*f)(double x, const std::vector<float>& attrs);
  const char* doc;  // one line for the operator table
};

const std::vector<Activation>& activations();
// The one-hot of an embedding lookup (the ONNX importer's Gather of a
// constant table by computed ids): f(x) = 1 when x = 0 or x = -rows, else 0.
// Not an ONNX op; find_activation knows it. Its input must be exact integers
// (the lowering refuses scales below 2^0).
inline constexpr const char* kIsZeroActivation = "zkinfer.IsZero";
inline constexpr const char* kTruncActivation = "zkinfer.Trunc";
inline constexpr const char* kExpBaseActivation = "zkinfer.ExpBase";
inline constexpr const char* kNonZeroActivation = "zkinfer.NonZero";
// The entry for an ONNX op type, or nullptr.
const Activation* find_activation(std::string_view onnx_op);

}  // namespace zk::model
