// ONNX front end: reads a .onnx file with Debian's libonnx, runs ONNX shape
// inference, and normalizes the graph into zk::model::FloatGraph (shapes
// without the batch dimension, batch 1).
#pragma once

#include <string>
#include <vector>

#include "model/graph.h"

namespace zk::onnx {

// Supported default-domain opsets (inclusive). Debian's libonnx knows
// schemas up to opset 17: an opset-18 model skips the ONNX checker and shape
// inference (zkinfer computes every shape itself, and each op's converter
// reads the opset-18 form: Reduce* and Pad with an `axes` input, Split's
// num_outputs, Resize's axes and antialias, GroupNormalization, Mish).
inline constexpr int kMinOpset = 9;
// The oldest opset a model file may declare. Older than kMinOpset, the model is
// upgraded to kMinOpset by ONNX's version converter; where that fails, each
// op's own range (its registry entry) decides.
inline constexpr int kOldestOpset = 1;
inline constexpr int kMaxOpset = 18;

// Imports the model at `path`. Every problem (unreadable, truncated or
// non-ONNX file, Git LFS pointer, unsupported opset/op/attribute, non-constant
// weights, failed shape inference) is reported as zk::model::ModelError with a
// message that starts with the path and names the offending node.
zk::model::FloatGraph import_model(const std::string& path);

// What the importer accepts of one ONNX op.
struct OpSupport {
  std::string domain;  // "" = ai.onnx
  std::string op_type;
  int since_opset = kMinOpset, until_opset = kMaxOpset;
  std::string forms;  // restrictions, for messages and docs
};
// Every op the importer understands, from its one registry.
std::vector<OpSupport> supported_op_list();
// The same as a comma-separated list of op names (for messages; the forms
// each accepts are in docs/OPERATORS.md).
std::string supported_ops();
// What to do about an unsupported op (remedies.cc); empty when nothing better
// than the list of supported ops can be said.
std::string unsupported_remedy(const std::string& domain, const std::string& op);
// The same as the markdown of docs/OPERATORS.md.
std::string operators_markdown();

}  // namespace zk::onnx
