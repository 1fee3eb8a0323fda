#include "cli/onnx_table.h"

#include <algorithm>

#include "field/printable.h"

namespace zk::cli {

namespace {

using nlohmann::json;

std::string shape_text(const onnx::ValueShape& s) {
  if (!s.known) return "?";
  std::string r = "[";
  for (size_t i = 0; i < s.dims.size(); ++i)
    r += (i ? "," : "") + (s.dims[i] < 0 ? std::string("?") : std::to_string(s.dims[i]));
  return r + "]";
}

std::string shapes_text(const std::vector<onnx::ValueShape>& v) {
  std::string r;
  for (const auto& s : v) r += (r.empty() ? "" : " ") + shape_text(s);
  return r.empty() ? "-" : r;
}

std::string values_text(const std::vector<onnx::ValueShape>& v) {
  std::string r;
  for (const auto& s : v) r += (r.empty() ? "" : ", ") + printable(s.name) + " " + shape_text(s);
  return r;
}

json shape_json(const onnx::ValueShape& s) {
  json dims = json::array();
  for (auto d : s.dims) dims.push_back(d < 0 ? json(nullptr) : json(d));
  return {{"name", s.name}, {"shape", s.known ? dims : json(nullptr)}};
}

json shapes_json(const std::vector<onnx::ValueShape>& v) {
  json a = json::array();
  for (const auto& s : v) a.push_back(shape_json(s));
  return a;
}

std::string summary(const onnx::ModelTable& t) {
  const auto unsupported = t.unsupported();
  size_t k = 0;
  for (const auto& n : t.nodes) k += n.supported ? 0 : 1;
  std::string s = std::to_string(t.nodes.size()) + " ops, " + std::to_string(t.parameters) +
                  " parameters, " + std::to_string(k) + " unsupported";
  for (size_t i = 0; i < unsupported.size(); ++i)
    s += (i ? ", " : ": ") + printable(unsupported[i]);
  return s;
}

void pad(std::ostream& out, const std::string& s, size_t width) {
  out << s << std::string(s.size() < width ? width - s.size() : 1, ' ');
}

}  // namespace

void print_onnx_table(const onnx::ModelTable& t, std::ostream& out) {
  out << "ONNX model " << printable(t.path) << ": opset " << t.opset << ", IR version "
      << t.ir_version << (t.producer.empty() ? "" : ", made by " + printable(t.producer)) << "\n"
      << "inputs: " << values_text(t.inputs) << "\n"
      << "outputs: " << values_text(t.outputs) << "\n";
  size_t wn = 4, wo = 7, wi = 6, wout = 7;
  for (const auto& n : t.nodes) {
    wn = std::max(wn, printable(n.name).size());
    wo = std::max(wo, printable(n.op_type).size());
    wi = std::max(wi, shapes_text(n.inputs).size());
    wout = std::max(wout, shapes_text(n.outputs).size());
  }
  out << "  #    ";
  pad(out, "name", wn + 2);
  pad(out, "op type", wo + 2);
  pad(out, "inputs", wi + 2);
  pad(out, "outputs", wout + 2);
  out << "params  supported\n";
  for (size_t i = 0; i < t.nodes.size(); ++i) {
    const auto& n = t.nodes[i];
    pad(out, "  " + std::to_string(i), 7);
    pad(out, printable(n.name), wn + 2);
    pad(out, printable(n.op_type), wo + 2);
    pad(out, shapes_text(n.inputs), wi + 2);
    pad(out, shapes_text(n.outputs), wout + 2);
    pad(out, std::to_string(n.parameters), 8);
    out << (n.supported ? "yes" : "NO") << "\n";
  }
  out << summary(t) << "\n";
  if (!t.problem.empty()) out << "note: compile would stop here: " << printable(t.problem) << "\n";
}

json onnx_table_json(const onnx::ModelTable& t) {
  json nodes = json::array();
  for (const auto& n : t.nodes)
    nodes.push_back({{"name", n.name},
                     {"domain", n.domain},
                     {"op_type", n.op_type},
                     {"inputs", shapes_json(n.inputs)},
                     {"outputs", shapes_json(n.outputs)},
                     {"parameters", n.parameters},
                     {"supported", n.supported}});
  return {{"kind", "onnx model"},
          {"path", t.path},
          {"ir_version", t.ir_version},
          {"opset", t.opset},
          {"producer", t.producer},
          {"inputs", shapes_json(t.inputs)},
          {"outputs", shapes_json(t.outputs)},
          {"nodes", nodes},
          {"ops", t.nodes.size()},
          {"parameters", t.parameters},
          {"unsupported", t.unsupported()},
          {"problem", t.problem.empty() ? json(nullptr) : json(t.problem)},
          {"summary", summary(t)}};
}

}  // namespace zk::cli
