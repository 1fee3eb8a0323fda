// Internal to src/onnx: reading and validating a .onnx file before its
// import (import.cc) or its description (describe.cc).
#pragma once

#include <onnx/onnx_pb.h>

#include <string>

namespace zk::onnx {

struct LoadedModel {
  ::onnx::ModelProto model;
  int opset = 0;  // the default domain's, after any version conversion
};

// The newest default-domain opset this libonnx has schemas for.
int known_opset();
// Reads, parses and checks the file (ONNX checker where the library knows
// the opset), upgrading opsets older than kMinOpset where ONNX's converter
// can. Throws model::ModelError naming the path and the problem.
LoadedModel read_model_file(const std::string& path);
// Fixes the inputs' batch to 1 (checking their types and shapes) and runs
// ONNX shape inference (value_info) where the library knows the opset.
void prepare_model(const std::string& path, LoadedModel& m);

}  // namespace zk::onnx
