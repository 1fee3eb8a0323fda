// What an ONNX file holds, before compiling it: its nodes in order with their
// shapes, parameter counts, and whether zkinfer supports each op (from the
// importer's registry). `zkinfer inspect MODEL.onnx` prints it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace zk::onnx {

// A value's shape as ONNX shape inference gives it; a dimension below 0 is
// symbolic. Not known: inference did not reach it.
struct ValueShape {
  std::string name;
  bool known = false;
  std::vector<int64_t> dims;
};

struct NodeRow {
  std::string name;  // the node's name, or OP_INDEX as the importer names it
  std::string domain, op_type;
  std::vector<ValueShape> inputs, outputs;  // activations and constants alike
  int64_t parameters = 0;                   // elements of its constant inputs
  bool supported = false;                   // in the registry, at this opset
};

struct ModelTable {
  std::string path;
  int64_t ir_version = 0;
  int opset = 0;
  std::string producer;
  std::vector<ValueShape> inputs, outputs;
  std::vector<NodeRow> nodes;
  int64_t parameters = 0;  // elements of every initializer and Constant, once each
  // Why the import would fail before reaching the ops (an input without a
  // fixed shape, failed shape inference), or empty.
  std::string problem;
  std::vector<std::string> unsupported() const;  // distinct op types, in order
};

// Whether `path` names an ONNX file (by its .onnx extension).
bool is_onnx_path(const std::string& path);
// Throws model::ModelError naming the path for a malformed or truncated file.
ModelTable describe_model(const std::string& path);

}  // namespace zk::onnx
