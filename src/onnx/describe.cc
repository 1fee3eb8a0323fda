#include "onnx/describe.h"

#include <algorithm>
#include <map>

#include "model/graph.h"
#include "onnx/import.h"
#include "onnx/load.h"

namespace zk::onnx {

namespace {

namespace ox = ::onnx;

int64_t numel(const ValueShape& s) {
  int64_t n = 1;
  for (auto d : s.dims) n *= d < 0 ? 0 : d;
  return n;
}

ValueShape shape_of(const ox::ValueInfoProto& vi) {
  ValueShape s{vi.name(), false, {}};
  if (!vi.type().has_tensor_type() || !vi.type().tensor_type().has_shape()) return s;
  s.known = true;
  for (const auto& d : vi.type().tensor_type().shape().dim())
    s.dims.push_back(d.has_dim_value() ? d.dim_value() : -1);
  return s;
}

ValueShape shape_of(const ox::TensorProto& t) {
  ValueShape s{t.name(), true, {}};
  for (auto d : t.dims()) s.dims.push_back(d);
  return s;
}

bool is_supported(const std::string& domain, const std::string& op, int opset) {
  const bool default_domain = domain.empty() || domain == "ai.onnx";
  for (const auto& o : supported_op_list()) {
    const bool same_domain =
        default_domain ? o.domain.empty() || o.domain == "ai.onnx" : o.domain == domain;
    if (same_domain && o.op_type == op &&
        (!default_domain || (opset >= o.since_opset && opset <= o.until_opset)))
      return true;
  }
  return false;
}

// Every value's shape known to the file: inputs, outputs, value_info,
// initializers and Constant nodes' tensors.
std::map<std::string, ValueShape> known_shapes(const ox::GraphProto& g) {
  std::map<std::string, ValueShape> m;
  for (const auto* list : {&g.input(), &g.output(), &g.value_info()})
    for (const auto& vi : *list) m[vi.name()] = shape_of(vi);
  for (const auto& t : g.initializer()) m[t.name()] = shape_of(t);
  for (const auto& n : g.node())
    if (n.op_type() == "Constant" && n.output_size() == 1)
      for (const auto& a : n.attribute())
        if (a.name() == "value" && a.has_t())
          m[n.output(0)] = {n.output(0), true, shape_of(a.t()).dims};
  return m;
}

NodeRow describe_node(const ox::NodeProto& n, size_t k, int opset,
                      const std::map<std::string, ValueShape>& shapes,
                      const std::map<std::string, int64_t>& constants) {
  NodeRow r;
  r.name = n.name().empty() ? n.op_type() + "_" + std::to_string(k) : n.name();
  r.domain = n.domain();
  r.op_type = n.op_type();
  auto lookup = [&](const std::string& v) {
    auto it = shapes.find(v);
    return it == shapes.end() ? ValueShape{v, false, {}} : it->second;
  };
  for (const auto& in : n.input()) {
    if (in.empty()) continue;  // an omitted optional input
    r.inputs.push_back(lookup(in));
    auto c = constants.find(in);
    if (c != constants.end()) r.parameters += c->second;
  }
  for (const auto& out : n.output()) r.outputs.push_back(lookup(out));
  if (n.op_type() == "Constant")
    for (const auto& o : r.outputs) r.parameters += numel(o);
  r.supported = is_supported(n.domain(), n.op_type(), opset);
  return r;
}

}  // namespace

std::vector<std::string> ModelTable::unsupported() const {
  std::vector<std::string> out;
  for (const auto& n : nodes) {
    std::string op =
        n.domain.empty() || n.domain == "ai.onnx" ? n.op_type : n.domain + "::" + n.op_type;
    if (!n.supported && std::find(out.begin(), out.end(), op) == out.end()) out.push_back(op);
  }
  return out;
}

bool is_onnx_path(const std::string& path) {
  if (path.size() < 5) return false;
  std::string ext = path.substr(path.size() - 5);
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return ext == ".onnx";
}

ModelTable describe_model(const std::string& path) {
  LoadedModel m = read_model_file(path);
  ModelTable t;
  t.path = path;
  t.ir_version = m.model.ir_version();
  t.opset = m.opset;
  t.producer = m.model.producer_name() +
               (m.model.producer_version().empty() ? "" : " " + m.model.producer_version());
  try {
    prepare_model(path, m);
  } catch (const model::ModelError& e) {
    t.problem = e.what();  // the table still shows what the file holds
  }
  const auto& g = m.model.graph();
  const auto shapes = known_shapes(g);
  std::map<std::string, int64_t> constants;
  for (const auto& init : g.initializer()) constants[init.name()] = numel(shape_of(init));
  for (const auto& [name, n] : constants) t.parameters += n;
  for (const auto& in : g.input())
    if (!constants.count(in.name())) t.inputs.push_back(shapes.at(in.name()));
  for (const auto& out : g.output()) t.outputs.push_back(shapes.at(out.name()));
  for (int k = 0; k < g.node_size(); ++k) {
    t.nodes.push_back(describe_node(g.node(k), static_cast<size_t>(k), t.opset, shapes, constants));
    if (g.node(k).op_type() == "Constant") t.parameters += t.nodes.back().parameters;
  }
  return t;
}

}  // namespace zk::onnx
