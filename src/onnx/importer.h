// Internal to src/onnx: the state of one import. import.cc loads and validates
// the file and drives the graph walk; ops.cc converts the individual ONNX ops.
//
// Shapes: the importer tracks each activation's *full* ONNX shape with the
// batch dimension fixed to 1 (`full_`). The logical shape stored in
// FloatGraph::values is derived from it: the leading dimension is dropped when
// it is 1 (the batch axis), otherwise the full shape is kept (e.g. sklearn's
// final Reshape(-1, 1) that moves the features into the batch axis).
#pragma once

#include <onnx/onnx_pb.h>

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "model/graph.h"

namespace zk::onnx {

using Shape = std::vector<int64_t>;

// A constant tensor (initializer, Constant node, or folded from constants).
struct Const {
  Shape shape;             // full ONNX shape
  std::vector<float> f;    // values as float (always filled)
  std::vector<int64_t> i;  // values as int64 (filled for integer/bool types)
  bool is_int = false;
  int64_t numel() const { return static_cast<int64_t>(f.size()); }
};

// What an ONNX value name refers to during the import.
struct Sym {
  std::shared_ptr<const Const> c;  // set for constants
  int value = -1;                  // activation value id otherwise
  // A zero Pad whose only consumer is a Conv: the Conv adds these pads
  // {top,left,bottom,right} to its own instead of a separate node.
  std::array<int64_t, 4> pending_pad{0, 0, 0, 0};
  bool has_pending_pad = false;
  bool is_const() const { return c != nullptr; }
};

Shape logical_of(const Shape& full);
// The product of the dims, saturating at INT64_MAX (adversarial dims must
// not overflow into a small or negative count).
int64_t numel_of(const Shape& s);
// The most elements one tensor may hold: far above any model zkinfer can
// prove, far below what would exhaust memory or run for hours before failing.
constexpr int64_t kMaxTensorElements = int64_t{1} << 28;
// Throws ModelError "WHERE has shape [..] of N elements, more than ..." when
// numel_of(s) exceeds kMaxTensorElements.
void check_size(const Shape& s, const std::string& where);
std::string shape_str(const Shape& s);
// Converts a TensorProto (raw or typed storage) into a Const; `where` names it
// for error messages.
Const const_from_tensor(const ::onnx::TensorProto& t, const std::string& where);

class Importer {
 public:
  Importer(std::string path, const ::onnx::ModelProto& model, int opset)
      : path_(std::move(path)), model_(model), opset_(opset) {}
  zk::model::FloatGraph run();

  // --- used by the op converters (ops.cc) ---
  using Node = ::onnx::NodeProto;
  void convert_node(const Node& n);

  [[noreturn]] void fail(const Node& n, const std::string& msg) const;
  [[noreturn]] void fail_attr(const Node& n, const std::string& attr, const std::string& msg) const;
  [[noreturn]] void fail_unsupported(const Node& n) const;

  const ::onnx::AttributeProto* attr(const Node& n, const char* name) const;
  int64_t attr_int(const Node& n, const char* name, int64_t def) const;
  float attr_float(const Node& n, const char* name, float def) const;
  std::string attr_string(const Node& n, const char* name, const std::string& def) const;
  Shape attr_ints(const Node& n, const char* name, const Shape& def) const;

  bool has_input(const Node& n, int i) const { return i < n.input_size() && !n.input(i).empty(); }
  const Sym& sym(const Node& n, int i) const;
  // The activation value id of input i (error if it is a constant or missing).
  int act(const Node& n, int i, const char* role) const;
  // The constant of input i (error naming `role` if it is not a constant).
  const Const& cst(const Node& n, int i, const char* role) const;
  const Shape& full(int value) const { return full_[value]; }

  // Appends a node producing ONNX value `out` with full shape `out_full`.
  int emit(zk::model::FNode node, const std::string& out, const Shape& out_full);
  void bind(const std::string& name, Sym s);
  void bind_const(const std::string& name, Const c);
  // The FNode that produced activation `value`, or nullptr for graph inputs.
  zk::model::FNode* producer(int value);
  // True when ONNX value `name` feeds exactly one node input and is not a graph output.
  bool single_use(const std::string& name) const;
  // The single node consuming `name` (nullptr unless single_use).
  const Node* sole_consumer(const std::string& name) const;
  // True when `name` feeds any node or is a graph output.
  bool is_used(const std::string& name) const;
  // True when input i of n is an activation named as its producer named it and
  // n is its only consumer, so the producer may be modified in place (folds).
  bool exclusive(const Node& n, int i) const;
  // Renames activation `value` to ONNX name `name` and binds it (used by folds).
  void rebind_value(int value, const std::string& name);

  int opset() const { return opset_; }
  const std::string& node_name(const Node& n) const;

 private:
  void add_inputs();
  void check_against_inference();

  std::string path_;
  const ::onnx::ModelProto& model_;
  int opset_;
  zk::model::FloatGraph g_;
  std::vector<Shape> full_;    // by value id
  std::vector<int> producer_;  // by value id: node index or -1
  std::unordered_map<std::string, Sym> syms_;
  std::unordered_map<std::string, std::vector<const Node*>> consumers_;
  std::unordered_set<std::string> graph_outputs_;
  std::unordered_map<const Node*, std::string> names_;
};

}  // namespace zk::onnx
