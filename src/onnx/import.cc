// Loading and validation of the .onnx file, constant tensors, and the graph
// walk. The per-op conversions live in ops.cc.
#include "onnx/import.h"

#include <onnx/defs/schema.h>
#include <onnx/onnx_pb.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <sstream>

#include "field/printable.h"
#include "onnx/importer.h"
#include "onnx/load.h"

namespace zk::onnx {

using zk::model::FloatGraph;
using zk::model::FNode;
using zk::model::ModelError;
namespace ox = ::onnx;

Shape logical_of(const Shape& full) {
  if (!full.empty() && full[0] == 1) return Shape(full.begin() + 1, full.end());
  return full;
}

int64_t numel_of(const Shape& s) {
  int64_t n = 1;
  for (auto d : s) {
    if (d <= 0) return d == 0 ? 0 : -1;  // callers reject negative dims
    if (n > std::numeric_limits<int64_t>::max() / d)
      n = std::numeric_limits<int64_t>::max();
    else
      n *= d;
  }
  return n;
}

void check_size(const Shape& s, const std::string& where) {
  const int64_t n = numel_of(s);
  if (n > kMaxTensorElements) {
    throw ModelError(where + " has shape " + shape_str(s) + " of " +
                     (n == std::numeric_limits<int64_t>::max() ? std::string("more than 2^63")
                                                               : std::to_string(n)) +
                     " elements; zkinfer supports at most 2^28 per tensor");
  }
}

std::string shape_str(const Shape& s) {
  std::string r = "[";
  for (size_t i = 0; i < s.size(); ++i) r += (i ? "," : "") + std::to_string(s[i]);
  return r + "]";
}

namespace {

float half_to_float(uint16_t h) {
  const uint32_t sign = (h >> 15) & 1, exp = (h >> 10) & 0x1f, mant = h & 0x3ff;
  float v;
  if (exp == 0) {
    v = std::ldexp(static_cast<float>(mant), -24);
  } else if (exp == 31) {
    v = mant ? std::numeric_limits<float>::quiet_NaN() : std::numeric_limits<float>::infinity();
  } else {
    v = std::ldexp(static_cast<float>(mant | 0x400), static_cast<int>(exp) - 25);
  }
  return sign ? -v : v;
}

template <typename T>
T read_le(const std::string& raw, size_t k) {
  T v;
  std::memcpy(&v, raw.data() + k * sizeof(T), sizeof(T));
  return v;
}

}  // namespace

namespace {

// The n values of a constant (its shape already in c), as doubles; integer
// types also set c.is_int (and int64 fills c.i exactly).
std::vector<double> decode_values(const ox::TensorProto& t, int64_t n, const std::string& where,
                                  Const& c) {
  const bool raw = t.has_raw_data();
  const std::string& r = t.raw_data();
  std::vector<double> v;
  auto from_raw = [&](size_t elem, auto reader) {
    if (r.size() != static_cast<size_t>(n) * elem) {
      throw ModelError(where + ": raw data holds " + std::to_string(r.size()) + " bytes, " +
                       shape_str(c.shape) + " needs " + std::to_string(n * elem));
    }
    for (int64_t k = 0; k < n; ++k) v.push_back(reader(k));
  };
  using DT = ox::TensorProto;
  switch (t.data_type()) {
    case DT::FLOAT:
      if (raw)
        from_raw(4, [&](size_t k) { return read_le<float>(r, k); });
      else
        v.assign(t.float_data().begin(), t.float_data().end());
      break;
    case DT::DOUBLE:
      if (raw)
        from_raw(8, [&](size_t k) { return read_le<double>(r, k); });
      else
        v.assign(t.double_data().begin(), t.double_data().end());
      break;
    case DT::FLOAT16:
      if (raw)
        from_raw(2, [&](size_t k) { return half_to_float(read_le<uint16_t>(r, k)); });
      else
        for (auto x : t.int32_data()) v.push_back(half_to_float(static_cast<uint16_t>(x)));
      break;
    case DT::INT64:
      c.is_int = true;
      if (raw)
        from_raw(8, [&](size_t k) { return static_cast<double>(read_le<int64_t>(r, k)); });
      else
        for (auto x : t.int64_data()) v.push_back(static_cast<double>(x)), c.i.push_back(x);
      if (raw)
        for (int64_t k = 0; k < n; ++k) c.i.push_back(read_le<int64_t>(r, k));
      break;
    case DT::INT32:
    case DT::INT16:
    case DT::INT8:
    case DT::UINT16:
    case DT::UINT8:
    case DT::BOOL: {
      c.is_int = true;
      if (raw) {
        switch (t.data_type()) {
          case DT::INT32:
            from_raw(4, [&](size_t k) { return read_le<int32_t>(r, k); });
            break;
          case DT::INT16:
            from_raw(2, [&](size_t k) { return read_le<int16_t>(r, k); });
            break;
          case DT::UINT16:
            from_raw(2, [&](size_t k) { return read_le<uint16_t>(r, k); });
            break;
          case DT::INT8:
            from_raw(1, [&](size_t k) { return read_le<int8_t>(r, k); });
            break;
          default:
            from_raw(1, [&](size_t k) { return read_le<uint8_t>(r, k); });
            break;
        }
      } else {
        v.assign(t.int32_data().begin(), t.int32_data().end());
      }
      break;
    }
    default:
      throw ModelError(
          where + ": constant of data type " +
          ox::TensorProto_DataType_Name(static_cast<ox::TensorProto_DataType>(t.data_type())) +
          " is not supported");
  }
  return v;
}

}  // namespace

Const const_from_tensor(const ox::TensorProto& t, const std::string& where) {
  Const c;
  for (auto d : t.dims()) {
    if (d < 0) throw ModelError(where + ": negative dimension in constant tensor");
    c.shape.push_back(d);
  }
  if (t.data_location() == ox::TensorProto::EXTERNAL) {
    throw ModelError(where + ": tensors with external data are not supported");
  }
  check_size(c.shape, where);
  const int64_t n = numel_of(c.shape);
  const std::vector<double> v = decode_values(t, n, where, c);
  if (static_cast<int64_t>(v.size()) != n) {
    throw ModelError(where + ": constant holds " + std::to_string(v.size()) + " values, shape " +
                     shape_str(c.shape) + " needs " + std::to_string(n));
  }
  c.f.assign(v.begin(), v.end());
  if (c.is_int && c.i.empty()) {
    for (double x : v) c.i.push_back(static_cast<int64_t>(x));
  }
  return c;
}

// ---------------------------------------------------------------------------
// Importer: graph walk and bookkeeping.

const std::string& Importer::node_name(const Node& n) const { return names_.at(&n); }

void Importer::fail(const Node& n, const std::string& msg) const {
  throw ModelError(path_ + ": node '" + printable(node_name(n)) + "' (" + printable(n.op_type()) +
                   ", opset " + std::to_string(opset_) + "): " + msg);
}

void Importer::fail_attr(const Node& n, const std::string& attr, const std::string& msg) const {
  fail(n, "attribute '" + attr + "' " + msg);
}

void Importer::fail_unsupported(const Node& n) const {
  std::string op = n.op_type();
  if (!n.domain().empty() && n.domain() != "ai.onnx") op = n.domain() + "::" + op;
  const std::string remedy = unsupported_remedy(n.domain(), n.op_type());
  throw ModelError(path_ + ": unsupported op '" + printable(op) + "' (node '" +
                   printable(node_name(n)) + "', opset " + std::to_string(opset_) +
                   "): " + (remedy.empty() ? "" : printable(remedy) + ". ") + "zkinfer supports " +
                   supported_ops() + " (their accepted forms: docs/OPERATORS.md)");
}

const ox::AttributeProto* Importer::attr(const Node& n, const char* name) const {
  for (const auto& a : n.attribute()) {
    if (a.name() == name) return &a;
  }
  return nullptr;
}

int64_t Importer::attr_int(const Node& n, const char* name, int64_t def) const {
  const auto* a = attr(n, name);
  if (!a) return def;
  if (a->type() != ox::AttributeProto::INT) fail_attr(n, name, "must be an integer");
  return a->i();
}

float Importer::attr_float(const Node& n, const char* name, float def) const {
  const auto* a = attr(n, name);
  if (!a) return def;
  if (a->type() != ox::AttributeProto::FLOAT) fail_attr(n, name, "must be a float");
  return a->f();
}

std::string Importer::attr_string(const Node& n, const char* name, const std::string& def) const {
  const auto* a = attr(n, name);
  if (!a) return def;
  if (a->type() != ox::AttributeProto::STRING) fail_attr(n, name, "must be a string");
  return a->s();
}

Shape Importer::attr_ints(const Node& n, const char* name, const Shape& def) const {
  const auto* a = attr(n, name);
  if (!a) return def;
  if (a->type() != ox::AttributeProto::INTS) fail_attr(n, name, "must be a list of integers");
  return Shape(a->ints().begin(), a->ints().end());
}

const Sym& Importer::sym(const Node& n, int i) const {
  if (!has_input(n, i)) fail(n, "missing input " + std::to_string(i));
  auto it = syms_.find(n.input(i));
  if (it == syms_.end()) {
    fail(n, "input '" + n.input(i) +
                "' is not produced by any earlier node (graph not "
                "topologically sorted, or a missing initializer)");
  }
  return it->second;
}

int Importer::act(const Node& n, int i, const char* role) const {
  const Sym& s = sym(n, i);
  if (s.is_const()) {
    fail(n, std::string(role) + " '" + n.input(i) +
                "' is a constant; zkinfer expects a tensor computed from the model input here");
  }
  if (s.has_pending_pad) fail(n, "internal: pending Pad consumed by a non-Conv node");
  return s.value;
}

const Const& Importer::cst(const Node& n, int i, const char* role) const {
  const Sym& s = sym(n, i);
  if (!s.is_const()) {
    fail(n, std::string(role) + " '" + n.input(i) +
                "' is not a constant (non-constant weights are not supported)");
  }
  return *s.c;
}

int Importer::emit(FNode node, const std::string& out, const Shape& out_full) {
  for (auto d : out_full) {
    if (d <= 0)
      throw ModelError(path_ + ": node '" + printable(node.name) + "' (" + printable(node.onnx_op) +
                       "): output '" + printable(out) + "' would have shape " +
                       shape_str(out_full));
  }
  check_size(out_full, path_ + ": node '" + printable(node.name) + "' (" + printable(node.onnx_op) +
                           "): output '" + printable(out) + "'");
  const int id = static_cast<int>(g_.values.size());
  g_.values.push_back({out, logical_of(out_full)});
  full_.push_back(out_full);
  producer_.push_back(static_cast<int>(g_.nodes.size()));
  node.output = id;
  g_.nodes.push_back(std::move(node));
  Sym s;
  s.value = id;
  bind(out, s);
  return id;
}

void Importer::bind(const std::string& name, Sym s) { syms_[name] = std::move(s); }

void Importer::bind_const(const std::string& name, Const c) {
  Sym s;
  s.c = std::make_shared<const Const>(std::move(c));
  bind(name, std::move(s));
}

FNode* Importer::producer(int value) {
  const int p = producer_.at(value);
  return p < 0 ? nullptr : &g_.nodes[p];
}

bool Importer::single_use(const std::string& name) const {
  auto it = consumers_.find(name);
  return it != consumers_.end() && it->second.size() == 1 && !graph_outputs_.count(name);
}

const Importer::Node* Importer::sole_consumer(const std::string& name) const {
  return single_use(name) ? consumers_.at(name)[0] : nullptr;
}

bool Importer::is_used(const std::string& name) const {
  return consumers_.count(name) > 0 || graph_outputs_.count(name) > 0;
}

bool Importer::exclusive(const Node& n, int i) const {
  if (!has_input(n, i)) return false;
  auto it = syms_.find(n.input(i));
  if (it == syms_.end() || it->second.is_const() || it->second.has_pending_pad) return false;
  return g_.values[it->second.value].name == n.input(i) && single_use(n.input(i));
}

void Importer::rebind_value(int value, const std::string& name) {
  g_.values[value].name = name;
  Sym s;
  s.value = value;
  bind(name, s);
}

void Importer::add_inputs() {
  std::unordered_set<std::string> inits;
  for (const auto& t : model_.graph().initializer()) inits.insert(t.name());
  for (const auto& in : model_.graph().input()) {
    if (inits.count(in.name())) continue;  // IR < 4 lists initializers as inputs too
    Shape full;
    for (const auto& d : in.type().tensor_type().shape().dim()) full.push_back(d.dim_value());
    const int id = static_cast<int>(g_.values.size());
    g_.values.push_back({in.name(), logical_of(full)});
    full_.push_back(full);
    producer_.push_back(-1);
    g_.inputs.push_back(id);
    Sym s;
    s.value = id;
    bind(in.name(), s);
  }
}

FloatGraph Importer::run() {
  const auto& graph = model_.graph();
  for (int k = 0; k < graph.node_size(); ++k) {
    const Node& n = graph.node(k);
    names_[&n] = n.name().empty() ? n.op_type() + "_" + std::to_string(k) : n.name();
    for (const auto& in : n.input()) {
      if (!in.empty()) consumers_[in].push_back(&n);
    }
  }
  for (const auto& o : graph.output()) graph_outputs_.insert(o.name());
  for (const auto& t : graph.initializer()) {
    bind_const(t.name(), const_from_tensor(t, path_ + ": initializer '" + t.name() + "'"));
  }
  add_inputs();
  for (const auto& n : graph.node()) convert_node(n);
  for (const auto& o : graph.output()) {
    auto it = syms_.find(o.name());
    if (it == syms_.end()) {
      throw ModelError(path_ + ": graph output '" + printable(o.name()) +
                       "' is not produced by any node");
    }
    if (it->second.is_const() || it->second.has_pending_pad) {
      throw ModelError(path_ + ": graph output '" + printable(o.name()) +
                       "' does not depend on the model input (constant outputs are not "
                       "supported)");
    }
    g_.outputs.push_back(it->second.value);
  }
  g_.opset = opset_;
  check_against_inference();
  return std::move(g_);
}

// Our own shape computation must agree with ONNX shape inference wherever the
// latter produced a fully known shape.
void Importer::check_against_inference() {
  std::unordered_map<std::string, const ox::TypeProto*> inferred;
  for (const auto& vi : model_.graph().value_info()) inferred[vi.name()] = &vi.type();
  for (const auto& vi : model_.graph().output()) inferred[vi.name()] = &vi.type();
  for (size_t v = 0; v < g_.values.size(); ++v) {
    auto it = inferred.find(g_.values[v].name);
    if (it == inferred.end() || !it->second->tensor_type().has_shape()) continue;
    Shape s;
    bool known = true;
    for (const auto& d : it->second->tensor_type().shape().dim()) {
      known = known && d.has_dim_value();
      s.push_back(d.dim_value());
    }
    if (known && s != full_[v]) {
      throw ModelError(path_ + ": value '" + printable(g_.values[v].name) +
                       "': ONNX shape inference gives " + shape_str(s) + " but zkinfer computed " +
                       shape_str(full_[v]));
    }
  }
}

// ---------------------------------------------------------------------------
// The whole import: the file (load.cc), then the graph walk.

FloatGraph import_model(const std::string& path) {
  LoadedModel m = read_model_file(path);
  prepare_model(path, m);
  Importer imp(path, m.model, m.opset);
  return imp.run();
}

}  // namespace zk::onnx
