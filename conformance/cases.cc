#include "conformance/cases.h"

#include <onnx/onnx_pb.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>

#include "api/api.h"
#include "onnx/import.h"
#include "onnx/importer.h"
#include "proof/files.h"
#include "quant/quantize.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace zk::conformance {
namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

using Floats = std::vector<std::vector<float>>;

bool parse_model(const std::string& path, ::onnx::ModelProto& m) {
  std::ifstream f(path, std::ios::binary);
  return f && m.ParseFromIstream(&f);
}

std::vector<float> read_pb(const std::string& path) {
  ::onnx::TensorProto t;
  std::ifstream f(path, std::ios::binary);
  if (!f || !t.ParseFromIstream(&f)) throw std::runtime_error("cannot read " + path);
  return onnx::const_from_tensor(t, path).f;
}

// The model's inputs (graph inputs that are not initializers) with their
// shapes, a symbolic dimension taken as 1.
std::vector<std::vector<int64_t>> input_shapes(const ::onnx::ModelProto& m) {
  std::set<std::string> inits;
  for (const auto& t : m.graph().initializer()) inits.insert(t.name());
  std::vector<std::vector<int64_t>> out;
  for (const auto& in : m.graph().input()) {
    if (inits.count(in.name())) continue;
    std::vector<int64_t> s;
    for (const auto& d : in.type().tensor_type().shape().dim())
      s.push_back(d.has_dim_value() && d.dim_value() > 0 ? d.dim_value() : 1);
    out.push_back(s);
  }
  return out;
}

// Scratch files of this process (the runner forks one process per case).
std::string scratch(const std::string& name) {
  static const fs::path dir = [] {
    fs::path d = fs::temp_directory_path() / ("zk_conformance_" + std::to_string(getpid()));
    fs::create_directories(d);
    return d;
  }();
  return (dir / name).string();
}

// onnxruntime on `input_json`; throws the script's one-line message.
Floats ort(const std::string& model, const std::string& input_json) {
  const std::string script = std::string(ZK_SOURCE_DIR) + "/scripts/reference/ort_run.js";
  const std::string out = scratch("ort.json"), err = scratch("ort.err");
  const std::string cmd =
      "node '" + script + "' '" + model + "' '" + input_json + "' '" + out + "' 2> '" + err + "'";
  if (std::system(cmd.c_str()) != 0) {
    std::ifstream e(err);
    std::string line;
    std::getline(e, line);
    throw std::runtime_error(line.empty() ? "onnxruntime could not be run" : line);
  }
  std::ifstream f(out);
  Floats r;
  const json j = json::parse(f);  // named: a range-for over a temporary's member dangles
  for (const auto& row : j["output_data"]) r.push_back(row.get<std::vector<float>>());
  return r;
}

std::vector<float> flat(const Floats& v) {
  std::vector<float> out;
  for (const auto& x : v) out.insert(out.end(), x.begin(), x.end());
  return out;
}

// max |a - b| / max |b| (the absolute error when the reference is all zero).
double rel_error(const std::vector<float>& a, const std::vector<float>& b) {
  double err = 0, ref = 0;
  for (size_t i = 0; i < b.size(); ++i) {
    err = std::max(err, std::fabs(double(a[i]) - b[i]));
    ref = std::max(ref, std::fabs(double(b[i])));
  }
  return ref > 0 ? err / ref : err;
}

size_t argmax(const std::vector<float>& v) {
  return static_cast<size_t>(std::max_element(v.begin(), v.end()) - v.begin());
}

// Strips the model path zkinfer puts at the start of its messages.
std::string cause_of(const std::string& msg, const std::string& path) {
  std::string s = msg;
  if (s.rfind(path + ": ", 0) == 0) s = s.substr(path.size() + 2);
  const size_t list = s.find(": zkinfer supports ");  // the whole op list: too long for a cell
  if (list != std::string::npos) s = s.substr(0, list);
  return s;
}

// An example file may give more inputs than the exported graph kept (the
// exporter drops inputs the outputs do not use): graph inputs named
// "input<k>" take the file's k-th list. Returns whether it selected.
bool select_inputs(const ::onnx::ModelProto& m, Floats& in, json& row) {
  std::set<std::string> inits;
  for (const auto& t : m.graph().initializer()) inits.insert(t.name());
  std::vector<std::string> gi;
  for (const auto& vi : m.graph().input())
    if (!inits.count(vi.name())) gi.push_back(vi.name());
  if (gi.empty() || gi.size() >= in.size()) return false;
  Floats picked;
  std::string names;
  for (const std::string& name : gi) {
    size_t k = 0;
    if (name.rfind("input", 0) != 0 || name.size() == 5 ||
        name.find_first_not_of("0123456789", 5) != std::string::npos ||
        (k = std::stoul(name.substr(5))) >= in.size())
      return false;
    picked.push_back(in[k]);
    names += (names.empty() ? "" : ", ") + name;
  }
  row["note"] = "the file gives " + std::to_string(in.size()) + " inputs; the graph keeps " + names;
  in = std::move(picked);
  return true;
}

// Inputs and reference outputs of a case; sets row["status"] to NO REFERENCE
// when onnxruntime rejects the model.
Floats inputs_of(const Case& c, const ::onnx::ModelProto& m, Floats& ref, json& row) {
  Floats in;
  std::string ref_input = c.input_json;
  if (!c.input_json.empty()) {
    std::ifstream f(c.input_json);
    json j = json::parse(f);
    in = j["input_data"].get<Floats>();
    if (select_inputs(m, in, row)) {
      j["input_data"] = in;
      j.erase("input_shapes");
      ref_input = scratch("input.json");
      std::ofstream(ref_input) << j.dump();
    }
  } else if (c.random_input) {
    std::mt19937 rng(1);
    std::normal_distribution<float> nd(0.f, 1.f);
    json j;
    for (const auto& s : input_shapes(m)) {
      int64_t n = 1;
      for (auto d : s) n *= d;
      std::vector<float> v(static_cast<size_t>(n));
      for (auto& x : v) x = nd(rng);
      in.push_back(v);
      j["input_shapes"].push_back(s);
    }
    j["input_data"] = in;
    ref_input = scratch("input.json");
    std::ofstream(ref_input) << j.dump();
  } else {
    for (const auto& p : c.input_pbs) in.push_back(read_pb(p));
    for (const auto& p : c.output_pbs) ref.push_back(read_pb(p));
    return in;
  }
  try {
    ref = ort(c.model, ref_input);
  } catch (const std::exception& e) {
    row["status"] = "NO REFERENCE";
    row["cause"] = e.what();
  }
  return in;
}

void prove_and_verify(const quant::CompiledModel& m, const Floats& in, json& row,
                      std::vector<float>& proven) {
  auto t0 = Clock::now();
  auto keys = proof::setup(m);
  t0 = Clock::now();
  auto res = proof::prove(keys.pk, in);
  row["prove_s"] = seconds_since(t0);
  auto bytes = proof::save_proof(res.proof);
  row["proof_kb"] = bytes.size() / 1024.0;
  auto parsed = proof::load_proof(bytes, keys.vk.circuit, "proof");
  t0 = Clock::now();
  auto v = proof::verify(keys.vk, parsed);  // the input is private (the default)
  row["verify_ms"] = seconds_since(t0) * 1000;
  if (!v.ok) throw std::runtime_error("verification failed: " + v.reason);
  proven = flat(res.outputs);
}

}  // namespace

std::vector<Case> discover(const std::string& models) {
  std::vector<Case> out;
  auto sorted = [](const fs::path& d) {
    std::vector<fs::path> v;
    if (fs::is_directory(d))
      for (const auto& e : fs::directory_iterator(d)) v.push_back(e.path());
    std::sort(v.begin(), v.end());
    return v;
  };
  for (const auto& d : sorted(fs::path(models) / "ezkl")) {
    Case c{"ezkl", d.filename().string(), (d / "network.onnx").string()};
    c.input_json = (d / "input.json").string();
    if (fs::exists(c.model)) out.push_back(c);
  }
  for (const char* suite : {"pytorch-converted", "pytorch-operator"}) {
    for (const auto& d : sorted(fs::path(models) / "onnx" / suite)) {
      Case c{suite, d.filename().string(), (d / "model.onnx").string()};
      for (int i = 0; fs::exists(d / "test_data_set_0" / ("input_" + std::to_string(i) + ".pb"));
           ++i)
        c.input_pbs.push_back((d / "test_data_set_0" / ("input_" + std::to_string(i) + ".pb")));
      for (int i = 0; fs::exists(d / "test_data_set_0" / ("output_" + std::to_string(i) + ".pb"));
           ++i)
        c.output_pbs.push_back((d / "test_data_set_0" / ("output_" + std::to_string(i) + ".pb")));
      if (fs::exists(c.model)) out.push_back(c);
    }
  }
  for (const auto& p : sorted(fs::path(models) / "onnx" / "light")) {
    if (p.extension() != ".onnx") continue;
    Case c{"light", p.stem().string(), p.string()};
    c.random_input = true;
    out.push_back(c);
  }
  // The character GPT of examples/gpt (train.py), at 16 and 64 tokens.
  const fs::path gpt = fs::path(ZK_SOURCE_DIR) / "examples" / "gpt";
  for (const char* t : {"16", "64"}) {
    Case c{"examples", std::string("gpt_") + t,
           (gpt / (std::string("gpt_") + t + ".onnx")).string()};
    c.input_json = (gpt / (std::string("input_") + t + ".json")).string();
    c.calibration_json = (gpt / (std::string("calibration_") + t + ".json")).string();
    if (fs::exists(c.model)) out.push_back(c);
  }
  return out;
}

json run_case(const Case& c, double prove_limit) {
  json row;
  ::onnx::ModelProto m;
  if (parse_model(c.model, m)) {
    std::set<std::string> ops;
    for (const auto& n : m.graph().node()) ops.insert(n.op_type());
    std::string s;
    for (const auto& o : ops) s += (s.empty() ? "" : " ") + o;
    row["ops"] = s;
    long long params = 0;
    for (const auto& t : m.graph().initializer()) {
      long long n = 1;
      for (auto d : t.dims()) n *= d;
      params += n;
    }
    row["params"] = params;
  }
  try {
    Floats ref;
    Floats in = inputs_of(c, m, ref, row);
    model::FloatGraph g;
    try {
      g = onnx::import_model(c.model);
    } catch (const std::exception& e) {
      row["status"] = "UNSUPPORTED";
      row["cause"] = cause_of(e.what(), c.model);
      return row;
    }
    const auto fv = model::run_float(g, in);
    Floats fo;
    for (int o : g.outputs) fo.push_back(fv[o]);
    const auto want = flat(ref), got_f = flat(fo);
    const bool have_ref = !want.empty();
    if (have_ref && want.size() != got_f.size())
      throw std::runtime_error("zkinfer's outputs have " + std::to_string(got_f.size()) +
                               " values, the reference " + std::to_string(want.size()));
    if (have_ref) row["float_err"] = rel_error(got_f, want);
    api::CompileOptions copt;
    copt.calibration = in;
    if (!c.calibration_json.empty()) {
      std::ifstream f(c.calibration_json);
      copt.calibration = json::parse(f)["input_data"].get<Floats>();
    }
    auto compiled = api::compile(c.model, copt);
    double values = 0;
    for (const auto& t : compiled.model.circuit.tensors) values += double(t.padded_size());
    auto qv =
        quant::run_quantized(compiled.model, quant::quantize_inputs(compiled.model.circuit, in));
    std::vector<float> got_q;
    for (int t : compiled.model.circuit.outputs) {
      auto d = quant::dequantize(compiled.model.circuit.tensors[t], qv[t]);
      got_q.insert(got_q.end(), d.begin(), d.end());
    }
    const auto& cmp = have_ref ? want : got_f;
    row["quant_err"] = rel_error(got_q, cmp);
    if (!fo.empty() && fo[0].size() >= 2 && fo[0].size() <= 1000 && have_ref)
      row["argmax"] = argmax(std::vector<float>(got_q.begin(), got_q.begin() + fo[0].size())) ==
                              argmax(std::vector<float>(want.begin(), want.begin() + fo[0].size()))
                          ? "yes"
                          : "no";
    if (values > prove_limit) {
      if (!row.contains("status")) {
        row["status"] = "TOO LARGE";
        row["cause"] = std::to_string(static_cast<long long>(values)) +
                       " padded circuit values; the runner proves up to " +
                       std::to_string(static_cast<long long>(prove_limit));
      }
      return row;
    }
    std::vector<float> proven;
    prove_and_verify(compiled.model, in, row, proven);
    const double err = rel_error(proven, cmp);
    row["quant_err"] = err;
    if (row.contains("status")) return row;  // NO REFERENCE, though proven
    if (err > 0.01) {
      row["status"] = "FAIL";
      row["cause"] = "quantized error above 1%";
    } else {
      row["status"] = "PASS";
    }
  } catch (const std::exception& e) {
    row["status"] = "FAIL";
    row["cause"] = cause_of(e.what(), c.model);
  }
  return row;
}

}  // namespace zk::conformance
