// ONNX front end: reads a .onnx file with Debian's libonnx, runs ONNX shape
// inference, and normalizes the graph into zk::model::FloatGraph (shapes
// without the batch dimension, batch 1).
#pragma once

#include <string>

#include "model/graph.h"

namespace zk::onnx {

// Supported default-domain opsets (inclusive).
inline constexpr int kMinOpset = 9;
inline constexpr int kMaxOpset = 18;

// Imports the model at `path`. Every problem (unreadable, truncated or
// non-ONNX file, Git LFS pointer, unsupported opset/op/attribute, non-constant
// weights, failed shape inference) is reported as zk::model::ModelError with a
// message that starts with the path and names the offending node.
zk::model::FloatGraph import_model(const std::string& path);

// Comma-separated list of the ONNX ops the importer understands (for messages).
const char* supported_ops();

}  // namespace zk::onnx
