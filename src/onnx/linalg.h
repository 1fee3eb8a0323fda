// Internal to src/onnx: the helpers of the linear-algebra converters
// (ops_linalg.cc) that Einsum (ops_einsum.cc) builds on.
#pragma once

#include <string>

#include "onnx/convert.h"

namespace zk::onnx::conv {

Shape squeeze_ones(const Shape& s);
// Value x permuted by `perm` over its full axes, as ONNX value `out_name`
// (Reshape/Transpose views); returns the value id.
int emit_permute(Importer& im, const Node& n, int x, const Shape& perm, const std::string& out_name,
                 const std::string& tag);
// Value x reshaped to full shape `out` (x itself when it already has it).
int emit_reshape_to(Importer& im, const Node& n, int x, const Shape& out, const std::string& name,
                    const std::string& tag);
// a [..., I, K] times b [..., K, J] (activations; batch axes equal or absent
// on one side), times alpha, plus a per-column bias.
int emit_act_matmul(Importer& im, const Node& n, int a, int b, float alpha, FTensor bias,
                    const std::string& out_name);

}  // namespace zk::onnx::conv
