#include "cli/cli.h"

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "cli/npy.h"
#include "onnx/import.h"
#include "pcs/ligero/ligero.h"
#include "proof/api.h"

namespace zk::cli {

namespace {

using Clock = std::chrono::steady_clock;

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Peak resident memory of this process image, from /proc (VmHWM).
long peak_memory_mb() {
  std::ifstream f("/proc/self/status");
  std::string line;
  while (std::getline(f, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6)) / 1024;
  return -1;
}

double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

struct Args {
  std::vector<std::string> positional;
  std::map<std::string, std::string> opts;
  std::string get(const std::string& k) const {
    auto it = opts.find(k);
    if (it == opts.end()) throw UsageError("missing required option " + k);
    return it->second;
  }
  bool has(const std::string& k) const { return opts.count(k) > 0; }
};

Args parse(int argc, char** argv, int first, const std::vector<std::string>& known) {
  Args a;
  for (int i = first; i < argc; ++i) {
    std::string s = argv[i];
    if (s.rfind("-", 0) == 0 && s.size() > 1) {
      bool ok = false;
      for (const auto& k : known) ok |= k == s;
      if (!ok) throw UsageError("unknown option " + s);
      if (i + 1 >= argc) throw UsageError("option " + s + " needs a value");
      a.opts[s] = argv[++i];
    } else {
      a.positional.push_back(s);
    }
  }
  return a;
}

// Reads {"<key>": [[...], ...]} (other keys ignored), or a .npy array
// (the data of a model's single input or output).
std::vector<std::vector<float>> read_tensor_json(const std::string& path, const std::string& key) {
  {
    std::ifstream probe(path, std::ios::binary);
    char magic[6] = {};
    if (probe.read(magic, 6) && static_cast<uint8_t>(magic[0]) == 0x93 &&
        std::memcmp(magic + 1, "NUMPY", 5) == 0)
      return {read_npy(proof::read_file(path), path)};
  }
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw quant::ModelError(path + ": is a directory, not a file");
  std::ifstream f(path);
  if (!f) throw quant::ModelError(path + ": cannot open file");
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(f);
  } catch (const std::exception& e) {
    throw quant::ModelError(path + ": not valid JSON (" + e.what() + ")");
  }
  const std::string q = "\"" + key + "\"";
  if (!j.is_object() || !j.contains(key) || !j[key].is_array())
    throw quant::ModelError(path + ": expected an object with " + q + ": [[...], ...]");
  std::vector<std::vector<float>> out;
  for (const auto& row : j[key]) {
    if (!row.is_array())
      throw quant::ModelError(path + ": each entry of " + q + " must be a list of numbers");
    std::vector<float> v;
    v.reserve(row.size());
    for (const auto& x : row) {
      if (!x.is_number()) throw quant::ModelError(path + ": " + q + " holds a non-number");
      v.push_back(x.get<float>());
    }
    out.push_back(std::move(v));
  }
  return out;
}

std::vector<std::vector<float>> read_input_json(const std::string& path) {
  return read_tensor_json(path, "input_data");
}
std::vector<std::vector<float>> read_output_json(const std::string& path) {
  return read_tensor_json(path, "output_data");
}

void write_text_file(const std::string& path, const std::string& text) {
  std::ofstream f(path);
  if (!f || !(f << text)) throw FormatError(path + ": cannot write file");
}

std::string read_text_file(const std::string& path) {
  auto b = proof::read_file(path);
  return std::string(b.begin(), b.end());
}

// 64 hex digits as a digest (nullopt if malformed).
std::optional<Digest> parse_digest_hex(const std::string& h) {
  if (h.size() != 64) return std::nullopt;
  Digest d;
  for (size_t i = 0; i < 32; ++i) {
    unsigned v = 0;
    for (int k = 0; k < 2; ++k) {
      char c = h[2 * i + k];
      int x = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
      if (x < 0) return std::nullopt;
      v = v * 16 + static_cast<unsigned>(x);
    }
    d[i] = static_cast<uint8_t>(v);
  }
  return d;
}

void write_output_json(const std::string& path, const std::vector<std::vector<float>>& outs) {
  if (path.size() > 4 && path.compare(path.size() - 4, 4, ".npy") == 0) {
    if (outs.size() != 1)
      throw FormatError(path + ": .npy holds one output; this model has " +
                        std::to_string(outs.size()));
    proof::write_file(path, write_npy(outs[0], {static_cast<int64_t>(outs[0].size())}));
    return;
  }
  nlohmann::json j;
  j["output_data"] = outs;
  std::ofstream f(path);
  if (!f) throw FormatError(path + ": cannot write file");
  f << j.dump() << "\n";
}

std::string fmt_vec(const std::vector<float>& v, size_t limit = 10) {
  std::ostringstream s;
  s << "[";
  for (size_t i = 0; i < v.size() && i < limit; ++i) {
    if (i) s << ", ";
    char b[32];
    std::snprintf(b, sizeof b, "%.4f", v[i]);
    s << b;
  }
  if (v.size() > limit) s << ", ... (" << v.size() << " values)";
  s << "]";
  return s.str();
}

size_t argmax(const std::vector<float>& v) {
  size_t b = 0;
  for (size_t i = 1; i < v.size(); ++i)
    if (v[i] > v[b]) b = i;
  return b;
}

std::string human_bytes(size_t n) {
  char b[32];
  if (n >= (1u << 20))
    std::snprintf(b, sizeof b, "%.2f MB", n / 1048576.0);
  else if (n >= 1024)
    std::snprintf(b, sizeof b, "%.1f KB", n / 1024.0);
  else
    std::snprintf(b, sizeof b, "%zu B", n);
  return b;
}

// A one-line progress indicator on a terminal; silent otherwise.
class Progress {
 public:
  explicit Progress(std::ostream& err) : err_(err), tty_(isatty(2)) {}
  void step(const std::string& what) {
    if (!tty_) return;
    err_ << "\r\033[K" << what << "..." << std::flush;
  }
  ~Progress() {
    if (tty_) err_ << "\r\033[K" << std::flush;
  }

 private:
  std::ostream& err_;
  bool tty_;
};

// Refuses to write a result over one of the command's own input files.
void ensure_distinct(const std::vector<std::string>& outputs,
                     const std::vector<std::string>& inputs) {
  namespace fs = std::filesystem;
  auto same = [](const std::string& a, const std::string& b) {
    std::error_code ec;
    if (fs::exists(a, ec) && fs::exists(b, ec)) return fs::equivalent(a, b, ec);
    return fs::weakly_canonical(a, ec) == fs::weakly_canonical(b, ec);
  };
  for (size_t i = 0; i < outputs.size(); ++i) {
    for (const auto& in : inputs)
      if (same(outputs[i], in))
        throw UsageError("output file " + outputs[i] + " would overwrite the input " + in);
    for (size_t j = i + 1; j < outputs.size(); ++j)
      if (same(outputs[i], outputs[j]))
        throw UsageError("two outputs go to the same file " + outputs[i]);
  }
}

const char* vis_name(circuit::Visibility v) {
  switch (v) {
    case circuit::Visibility::kPublic:
      return "public";
    case circuit::Visibility::kPrivate:
      return "private";
    case circuit::Visibility::kCommitted:
      return "committed";
  }
  return "?";
}

void parse_visibility(const std::string& spec, quant::QuantOptions& o) {
  std::stringstream ss(spec);
  std::string item;
  while (std::getline(ss, item, ',')) {
    auto eq = item.find('=');
    if (eq == std::string::npos)
      throw UsageError("--visibility expects GROUP=VALUE pairs, got '" + item + "'");
    std::string k = item.substr(0, eq), v = item.substr(eq + 1);
    circuit::Visibility vis;
    if (v == "public")
      vis = circuit::Visibility::kPublic;
    else if (v == "private")
      vis = circuit::Visibility::kPrivate;
    else if (v == "committed")
      vis = circuit::Visibility::kCommitted;
    else
      throw UsageError("visibility must be public, private or committed, got '" + v + "'");
    if (k == "input")
      o.input_vis = vis;
    else if (k == "weights")
      o.weight_vis = vis;
    else if (k == "output")
      o.output_vis = vis;
    else
      throw UsageError("visibility group must be input, weights or output, got '" + k + "'");
  }
}

int cmd_compile(int argc, char** argv, std::ostream& out, std::ostream& err) {
  Args a = parse(
      argc, argv, 2,
      {"-o", "--calibration", "--visibility", "--table-bits", "--weight-bits", "--max-proofs"});
  if (a.positional.size() != 1) throw UsageError("compile takes one MODEL.onnx");
  const std::string out_path = a.get("-o");  // usage errors before any work
  quant::QuantOptions opt;
  // The command line's defaults: the input private (the proof reveals nothing
  // about it), the weights committed (the model's identity), the output public.
  opt.input_vis = circuit::Visibility::kPrivate;
  opt.weight_vis = circuit::Visibility::kCommitted;
  opt.output_vis = circuit::Visibility::kPublic;
  if (a.has("--visibility")) parse_visibility(a.get("--visibility"), opt);
  // Precision overrides: larger tables give activations more bits (and the
  // prover more work); more weight bits keep small weights.
  auto int_option = [&](const char* name, int lo, int hi) {
    const std::string v = a.get(name);
    char* end = nullptr;
    long x = std::strtol(v.c_str(), &end, 10);
    if (v.empty() || *end || x < lo || x > hi)
      throw UsageError(std::string(name) + " must be an integer from " + std::to_string(lo) +
                       " to " + std::to_string(hi) + ", got '" + v + "'");
    return static_cast<int>(x);
  };
  if (a.has("--table-bits"))
    opt.table_bits = static_cast<unsigned>(int_option("--table-bits", 8, 18));
  if (a.has("--weight-bits")) opt.weight_bits = int_option("--weight-bits", 4, 24);
  if (a.has("--max-proofs"))
    opt.weight_proofs = static_cast<uint32_t>(
        int_option("--max-proofs", 1, static_cast<int>(circuit::kMaxWeightProofs)));
  {
    std::vector<std::string> ins{a.positional[0]};
    if (a.has("--calibration")) ins.push_back(a.get("--calibration"));
    ensure_distinct({a.get("-o")}, ins);
  }
  auto t0 = Clock::now();
  auto g = onnx::import_model(a.positional[0]);
  std::vector<std::vector<float>> cal;
  if (a.has("--calibration"))
    cal = read_input_json(a.get("--calibration"));
  else
    err << "note: no --calibration given; scales are calibrated on random inputs in [-1, 1]\n";
  auto m = quant::quantize(g, cal, opt);
  // The file name (not the path) is part of the circuit digest.
  m.circuit.model_name = std::filesystem::path(a.positional[0]).filename().string();
  proof::write_file(out_path, proof::save_model(m));
  size_t params = 0;
  for (const auto& t : m.circuit.tensors)
    if (t.kind == circuit::TensorKind::kWeight) params += t.numel();
  out << "compiled " << a.positional[0] << ": " << g.nodes.size() << " ops -> "
      << m.circuit.nodes.size() << " circuit nodes, " << params << " weights (padded)\n"
      << "visibility: input=" << vis_name(m.circuit.input_vis)
      << ", weights=" << vis_name(m.circuit.weight_vis)
      << ", output=" << vis_name(m.circuit.output_vis)
      << (a.has("--visibility") ? "" : " (the defaults; see --visibility)") << "\n";
  if (m.circuit.weight_vis == circuit::Visibility::kCommitted)
    out << "note: the committed weights stay hidden for up to " << m.circuit.weight_proofs
        << " proofs per setup (--max-proofs); run setup again for more (docs/SECURITY.md)\n";
  out << "wrote " << a.get("-o") << " in " << ms_since(t0) << " ms\n";
  return 0;
}

int cmd_setup(int argc, char** argv, std::ostream& out, std::ostream&) {
  Args a = parse(argc, argv, 2, {"--pk", "--vk"});
  if (a.positional.size() != 1) throw UsageError("setup takes one MODEL.zkc");
  for (const char* k : {"--pk", "--vk"})
    a.get(k);  // usage errors first: never a .pk without its .vk
  ensure_distinct({a.get("--pk"), a.get("--vk")}, {a.positional[0]});
  auto t0 = Clock::now();
  auto m = proof::load_model(proof::read_file(a.positional[0]), a.positional[0]);
  auto keys = proof::setup(m);
  proof::write_file(a.get("--pk"), proof::save_pk(keys.pk));
  auto vkb = proof::save_vk(keys.vk);
  proof::write_file(a.get("--vk"), vkb);
  out << "weight commitment: " << digest_hex(keys.vk.weight_root) << "\n"
      << "model id:          " << digest_hex(keys.vk.id()) << "\n"
      << "wrote " << a.get("--pk") << " and " << a.get("--vk") << " (" << human_bytes(vkb.size())
      << ") in " << ms_since(t0) << " ms\n";
  return 0;
}

int cmd_prove(int argc, char** argv, std::ostream& out, std::ostream& err) {
  Args a = parse(argc, argv, 2, {"--pk", "--input", "--proof", "--output", "--opening"});
  if (!a.positional.empty()) throw UsageError("prove takes options only");
  for (const char* k : {"--pk", "--input", "--proof"}) a.get(k);  // usage errors before any work
  {
    std::vector<std::string> outs{a.get("--proof")};
    if (a.has("--output")) outs.push_back(a.get("--output"));
    if (a.has("--opening")) outs.push_back(a.get("--opening"));
    ensure_distinct(outs, {a.get("--pk"), a.get("--input")});
  }
  Progress progress(err);
  progress.step("loading proving key");
  auto pk = proof::load_pk(proof::read_file(a.get("--pk")), a.get("--pk"));
  const auto committed = prover::committed_tensors(pk.circuit);
  if (!committed.empty() && !a.has("--opening"))
    throw UsageError(
        "the model commits to its input or output: give --opening FILE to keep the secret "
        "that opens the commitment later");
  auto inputs = read_input_json(a.get("--input"));
  progress.step("proving");
  auto t0 = Clock::now();
  auto res = proof::prove(pk, inputs);
  double ms = ms_since(t0);
  auto bytes = proof::save_proof(res.proof);
  proof::write_file(a.get("--proof"), bytes);
  if (a.has("--output")) write_output_json(a.get("--output"), res.outputs);
  if (!committed.empty()) {
    nlohmann::json j;
    j["warning"] = "secret: whoever holds this file and the tensor can open the commitment";
    for (size_t k = 0; k < committed.size(); ++k) {
      const auto& t = pk.circuit.tensors[committed[k]];
      j["commitments"].push_back(
          {{"tensor", t.name},
           {"kind", t.kind == circuit::TensorKind::kInput ? "input" : "output"},
           {"commitment", digest_hex(res.proof.statement.commitments[k])},
           {"secret", digest_hex(res.openings[k])}});
      out << (t.kind == circuit::TensorKind::kInput ? "input" : "output")
          << " commitment: " << digest_hex(res.proof.statement.commitments[k]) << "\n";
    }
    write_text_file(a.get("--opening"), j.dump(2) + "\n");
  }
  for (size_t i = 0; i < res.outputs.size(); ++i)
    out << "output " << i << ": " << fmt_vec(res.outputs[i]) << "  (argmax "
        << argmax(res.outputs[i]) << ")\n";
  out << "proved in " << ms << " ms (peak memory " << peak_memory_mb() << " MB); proof "
      << human_bytes(bytes.size()) << " written to " << a.get("--proof") << "\n";
  return 0;
}

int cmd_verify(int argc, char** argv, std::ostream& out, std::ostream& err) {
  Args a = parse(argc, argv, 2, {"--vk", "--proof", "--input"});
  if (!a.positional.empty()) throw UsageError("verify takes options only");
  for (const char* k : {"--vk", "--proof"}) a.get(k);  // usage errors before any work
  auto vk = proof::load_vk(proof::read_file(a.get("--vk")), a.get("--vk"));
  auto bytes = proof::read_file(a.get("--proof"));
  auto t0 = Clock::now();
  proof::Proof p;
  try {
    p = proof::load_proof(bytes, vk.circuit, a.get("--proof"));
  } catch (const FormatError& e) {
    err << "REJECTED: malformed proof: " << e.what() << "\n";
    return 1;
  }
  std::vector<std::vector<float>> inputs;
  if (a.has("--input")) inputs = read_input_json(a.get("--input"));
  auto r = proof::verify(vk, p, a.has("--input") ? &inputs : nullptr);
  double ms = ms_since(t0);
  if (!r.ok) {
    err << "REJECTED: " << r.reason << "\n";
    return 1;
  }
  out << "ACCEPTED in " << ms << " ms (model id " << digest_hex(vk.id()).substr(0, 16) << "...)\n";
  for (size_t i = 0; i < p.statement.inputs.size(); ++i) {
    auto v = quant::dequantize(vk.circuit.tensors[vk.circuit.inputs[i]], p.statement.inputs[i]);
    // Without --input, say which input was proven so it can be compared.
    ByteWriter w;
    for (auto x : p.statement.inputs[i]) w.i64(x);
    out << "public input " << i << ": " << v.size() << " values "
        << (a.has("--input") ? "(matches --input)" : fmt_vec(v, 4)) << ", sha256 "
        << digest_hex(sha256(w.buf())).substr(0, 16) << "...\n";
  }
  {
    auto ts = prover::committed_tensors(vk.circuit);
    for (size_t k = 0; k < ts.size(); ++k)
      out << (vk.circuit.tensors[ts[k]].kind == circuit::TensorKind::kInput ? "input" : "output")
          << " '" << vk.circuit.tensors[ts[k]].name << "': committed, commitment "
          << digest_hex(p.statement.commitments[k])
          << " (hidden; open it with zkinfer open-commitment)\n";
  }
  if (vk.circuit.input_vis == circuit::Visibility::kPrivate)
    out << "input: private (the proof reveals nothing about it)\n";
  if (vk.circuit.output_vis == circuit::Visibility::kPrivate)
    out << "output: private (the proof reveals nothing about it)\n";
  for (size_t i = 0; i < p.statement.outputs.size(); ++i) {
    auto v = quant::dequantize(vk.circuit.tensors[vk.circuit.outputs[i]], p.statement.outputs[i]);
    out << "proven output " << i << ": " << fmt_vec(v) << "  (argmax " << argmax(v) << ")\n";
  }
  return 0;
}

int cmd_run(int argc, char** argv, std::ostream& out, std::ostream& err) {
  Args a = parse(argc, argv, 2, {"--input", "--calibration"});
  if (a.positional.size() != 1) throw UsageError("run takes one MODEL.onnx");
  auto g = onnx::import_model(a.positional[0]);
  auto inputs = read_input_json(a.get("--input"));
  std::vector<std::vector<float>> cal;
  if (a.has("--calibration"))
    cal = read_input_json(a.get("--calibration"));
  else
    err << "note: no --calibration given; scales are calibrated on random inputs in [-1, 1]\n";
  auto m = quant::quantize(g, cal, {});
  if (inputs.size() != g.inputs.size())
    throw quant::ModelError("the model has " + std::to_string(g.inputs.size()) + " input(s) but " +
                            std::to_string(inputs.size()) + " were given");
  for (size_t i = 0; i < inputs.size(); ++i) {
    int64_t n = 1;
    for (auto d : g.values[g.inputs[i]].shape) n *= d;
    if (static_cast<int64_t>(inputs[i].size()) != n)
      throw quant::ModelError("input '" + g.values[g.inputs[i]].name + "' expects " +
                              std::to_string(n) + " values but " +
                              std::to_string(inputs[i].size()) + " were given");
  }
  auto t0 = Clock::now();
  auto fv = quant::run_float(g, inputs);
  double float_ms = ms_since(t0);
  circuit::Values qv;
  double int_ms = 0;
  try {
    auto qin = quant::quantize_inputs(m.circuit, inputs);
    t0 = Clock::now();
    qv = quant::run_quantized(m, qin);
    int_ms = ms_since(t0);
  } catch (const std::exception&) {
    // The float result stands even when the quantized model cannot run.
    for (size_t i = 0; i < g.outputs.size(); ++i)
      out << "output " << i << " (" << g.values[g.outputs[i]].name << ")\n"
          << "  float:     " << fmt_vec(fv[g.outputs[i]]) << "\n";
    throw;
  }
  for (size_t i = 0; i < g.outputs.size(); ++i) {
    const auto& f = fv[g.outputs[i]];
    auto q = quant::dequantize(m.circuit.tensors[m.circuit.outputs[i]], qv[m.circuit.outputs[i]]);
    double maxerr = 0;
    for (size_t j = 0; j < f.size() && j < q.size(); ++j)
      maxerr = std::max(maxerr, std::fabs(double(f[j]) - q[j]));
    out << "output " << i << " (" << g.values[g.outputs[i]].name << ")\n"
        << "  float:     " << fmt_vec(f) << "\n"
        << "  quantized: " << fmt_vec(q) << "\n"
        << "  max abs error: " << maxerr << "\n"
        << "  argmax: float " << argmax(f) << ", quantized " << argmax(q)
        << (argmax(f) == argmax(q) ? " (agree)" : " (DISAGREE)") << "\n";
  }
  out << "float inference " << float_ms << " ms, integer inference " << int_ms << " ms\n";
  (void)err;
  return 0;
}

void print_circuit(const circuit::Circuit& c, std::ostream& out) {
  out << "model: " << c.model_name << "\n"
      << "circuit digest: " << digest_hex(c.digest()) << "\n"
      << "visibility: input=" << vis_name(c.input_vis) << ", weights=" << vis_name(c.weight_vis)
      << ", output=" << vis_name(c.output_vis)
      << (c.weight_vis == circuit::Visibility::kCommitted
              ? " (weights hidden for up to " + std::to_string(c.weight_proofs) + " proofs)"
              : std::string())
      << "\n"
      << "lookup tables: " << c.tables.size() << " x 2^" << c.table_bits << " rows\n"
      << "layers:\n";
  for (const auto& n : c.nodes) {
    const auto& o = c.tensors[n.out[0]];
    out << "  " << n.layer << ": " << circuit::node_type_name(n.type) << " -> " << o.name << " [";
    for (size_t i = 0; i < o.dims.size(); ++i) out << (i ? "," : "") << o.dims[i];
    out << "] scale 2^-" << o.scale;
    if (n.type == circuit::NodeType::kRequant) out << ", shift " << n.shift << ", mult " << n.mult;
    out << "\n";
  }
  size_t params = 0, witness = 0;
  for (const auto& t : c.tensors) {
    if (t.kind == circuit::TensorKind::kWeight) params += t.numel();
    if (t.kind == circuit::TensorKind::kWitness) witness += t.padded_size();
  }
  auto wp = prover::weight_params(c);
  auto xp = pcs::choose_params(prover::witness_layout(c).num_vars);
  out << "weights: " << params << " values; committed witness per proof: " << witness
      << " values\n";
  auto pp = [&](const char* name, const pcs::LigeroParams& p) {
    out << name << ": Ligero " << p.rows() << " x " << p.cols() << ", rate 1/"
        << (1u << p.log_blowup) << ", " << p.queries << " queries, "
        << static_cast<int>(pcs::security_bits(p))
        << " bits (proximity test), 128-bit challenge field\n";
  };
  pp("weight commitment", wp);
  pp("witness commitment", xp);
}

// Shows that a compiled model (its circuit and weights) is the one a verifying
// key commits to: the model's owner reveals MODEL.zkc, anyone checks it.
// Checks a revealed input or output against the commitment in a proof.
int open_tensor_commitment(const Args& a, std::ostream& out, std::ostream& err) {
  for (const char* k : {"--vk", "--proof", "--opening"}) a.get(k);
  if (a.has("--input") == a.has("--output"))
    throw UsageError("open-commitment with --proof takes one of --input or --output");
  auto vk = proof::load_vk(proof::read_file(a.get("--vk")), a.get("--vk"));
  auto p = proof::load_proof(proof::read_file(a.get("--proof")), vk.circuit, a.get("--proof"));
  const bool input = a.has("--input");
  const std::string file = input ? a.get("--input") : a.get("--output");
  auto ts = prover::committed_tensors(vk.circuit);
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(read_text_file(a.get("--opening")));
  } catch (const nlohmann::json::exception&) {
    throw FormatError(a.get("--opening") + ": not an opening file written by zkinfer prove");
  }
  auto values = input ? read_input_json(file) : read_output_json(file);
  size_t group = 0, matched = 0;
  for (size_t k = 0; k < ts.size(); ++k) {
    const auto& t = vk.circuit.tensors[ts[k]];
    if ((t.kind == circuit::TensorKind::kInput) != input) continue;
    std::string secret;
    if (j.contains("commitments"))
      for (const auto& e : j["commitments"])
        if (e.value("tensor", "") == t.name && e.contains("secret")) secret = e["secret"];
    auto seed = parse_digest_hex(secret);
    if (!seed) throw FormatError(a.get("--opening") + ": no secret for tensor '" + t.name + "'");
    if (group >= values.size())
      throw FormatError(file + ": has " + std::to_string(values.size()) + " tensor(s), the model " +
                        (input ? "input" : "output") + " more");
    if (!proof::opens_commitment(vk, p, k, values[group], *seed)) {
      err << "DOES NOT MATCH: " << file << " is not the " << (input ? "input" : "output") << " '"
          << t.name << "' committed in " << a.get("--proof") << "\n";
      return 1;
    }
    ++group;
    ++matched;
  }
  if (!matched)
    throw UsageError(std::string("the model does not commit to its ") +
                     (input ? "input" : "output"));
  out << "MATCHES: " << file << " is the " << (input ? "input" : "output") << " committed in "
      << a.get("--proof") << "\n";
  return 0;
}

int cmd_open_commitment(int argc, char** argv, std::ostream& out, std::ostream& err) {
  Args a = parse(argc, argv, 2,
                 {"--vk", "--model", "--pk", "--proof", "--opening", "--input", "--output"});
  if (!a.positional.empty()) throw UsageError("open-commitment takes options only");
  if (a.has("--proof")) return open_tensor_commitment(a, out, err);
  auto vk = proof::load_vk(proof::read_file(a.get("--vk")), a.get("--vk"));
  // A hiding weight commitment opens with its randomness, kept in the
  // proving key.
  Digest seed{};
  if (vk.circuit.weight_vis == circuit::Visibility::kCommitted) {
    if (!a.has("--pk"))
      throw UsageError(
          "the weight commitment is hiding: give --pk MODEL.pk as well (it holds "
          "the commitment's secret randomness)");
    seed = proof::load_pk(proof::read_file(a.get("--pk")), a.get("--pk")).weight_seed;
  }
  auto m = proof::load_model(proof::read_file(a.get("--model")), a.get("--model"));
  if (m.circuit.digest() != vk.circuit.digest()) {
    err << "DOES NOT MATCH: " << a.get("--model") << " is a different circuit than "
        << a.get("--vk") << " commits to\n";
    return 1;
  }
  auto root = prover::commit_weights(m.circuit, m.weights, seed).tree.root();
  if (root != vk.weight_root) {
    err << "DOES NOT MATCH: the weights of " << a.get("--model")
        << " are not the ones committed in " << a.get("--vk") << "\n";
    return 1;
  }
  out << "MATCHES: " << a.get("--model") << " is the model committed in " << a.get("--vk")
      << " (weight commitment " << digest_hex(root).substr(0, 16) << "...)\n";
  return 0;
}

int cmd_inspect(int argc, char** argv, std::ostream& out, std::ostream&) {
  Args a = parse(argc, argv, 2, {"--vk"});
  if (a.positional.size() != 1) throw UsageError("inspect takes one FILE");
  const std::string& path = a.positional[0];
  auto bytes = proof::read_file(path);
  std::string kind = proof::file_kind(bytes);
  if (kind == "model") {
    out << "compiled model (" << human_bytes(bytes.size()) << ")\n";
    print_circuit(proof::load_model(bytes, path).circuit, out);
  } else if (kind == "pk") {
    auto pk = proof::load_pk(bytes, path);
    out << "proving key (" << human_bytes(bytes.size()) << ")\n"
        << "weight commitment: " << digest_hex(pk.commitment.tree.root()) << "\n";
    print_circuit(pk.circuit, out);
  } else if (kind == "vk") {
    auto vk = proof::load_vk(bytes, path);
    out << "verifying key (" << human_bytes(bytes.size()) << ")\n"
        << "weight commitment: " << digest_hex(vk.weight_root) << "\n"
        << "model id: " << digest_hex(vk.id()) << "\n";
    print_circuit(vk.circuit, out);
  } else if (kind == "proof") {
    // Everything is parsed before anything is printed: a bad file gets an
    // error, not half a report.
    if (!a.has("--vk")) {
      if (bytes.size() < 72) throw FormatError(path + ": proof file is truncated");
      ByteReader r(bytes.data(), bytes.size(), path);
      r.take(8);
      const Digest circuit_digest = r.digest();
      const Digest weight_root = r.digest();
      out << "proof (" << human_bytes(bytes.size()) << ")\n"
          << "circuit digest: " << digest_hex(circuit_digest) << "\n"
          << "weight commitment: " << digest_hex(weight_root) << "\n"
          << "(pass --vk MODEL.vk to decode the statement)\n";
    } else {
      auto vk = proof::load_vk(proof::read_file(a.get("--vk")), a.get("--vk"));
      auto p = proof::load_proof(bytes, vk.circuit, path);
      if (p.circuit_digest != vk.circuit.digest() || p.weight_root != vk.weight_root)
        throw FormatError(path + ": this proof was not made for the model of " + a.get("--vk"));
      out << "proof (" << human_bytes(bytes.size()) << ")\n"
          << "circuit digest: " << digest_hex(p.circuit_digest) << "\n"
          << "weight commitment: " << digest_hex(p.weight_root) << "\n"
          << "protocol messages: " << human_bytes(p.stream.size()) << "\n";
      auto verdict = proof::verify(vk, p);
      out << "verifies against " << a.get("--vk") << ": "
          << (verdict.ok ? "yes" : "NO (" + verdict.reason + ")") << "\n";
      for (const auto& [kind, n] : verdict.bytes_by_kind)
        out << "  " << kind << " messages: " << human_bytes(n) << "\n";
      auto ts = prover::committed_tensors(vk.circuit);
      for (size_t k = 0; k < ts.size() && k < p.statement.commitments.size(); ++k)
        out << (vk.circuit.tensors[ts[k]].kind == circuit::TensorKind::kInput ? "input" : "output")
            << " commitment: " << digest_hex(p.statement.commitments[k]) << "\n";
      for (size_t i = 0; i < p.statement.outputs.size(); ++i)
        out << "claimed output " << i << ": "
            << fmt_vec(quant::dequantize(vk.circuit.tensors[vk.circuit.outputs[i]],
                                         p.statement.outputs[i]))
            << "\n";
    }
  } else {
    throw FormatError(path + ": not a zkinfer file (compiled model, key or proof)");
  }
  return 0;
}

const char* kUsage =
    "usage: zkinfer <command> [options]\n"
    "  compile MODEL.onnx -o MODEL.zkc [--calibration CAL.json]\n"
    "          [--table-bits 8..18 (default 14)] [--weight-bits 4..24 (default 12)]\n"
    "          [--visibility input=V,weights=V,output=V]  V: public, private or committed\n"
    "          (default input=private,weights=committed,output=public) [--max-proofs N]\n"
    "  setup MODEL.zkc --pk MODEL.pk --vk MODEL.vk\n"
    "  prove --pk MODEL.pk --input IN.json --proof PROOF.bin [--output OUT.json]\n"
    "  verify --vk MODEL.vk --proof PROOF.bin [--input IN.json]\n"
    "  run MODEL.onnx --input IN.json [--calibration CAL.json]\n"
    "  inspect FILE [--vk MODEL.vk]\n"
    "  open-commitment --vk MODEL.vk --model MODEL.zkc [--pk MODEL.pk]\n"
    "  open-commitment --vk MODEL.vk --proof PROOF --opening OPENING.json\n"
    "                  (--input INPUT.json | --output OUTPUT.json)\n";

}  // namespace

int run(int argc, char** argv, std::ostream& out, std::ostream& err) {
  if (argc < 2) {
    err << kUsage;
    return 2;
  }
  std::string cmd = argv[1];
  try {
    if (cmd == "compile") return cmd_compile(argc, argv, out, err);
    if (cmd == "setup") return cmd_setup(argc, argv, out, err);
    if (cmd == "prove") return cmd_prove(argc, argv, out, err);
    if (cmd == "verify") return cmd_verify(argc, argv, out, err);
    if (cmd == "run") return cmd_run(argc, argv, out, err);
    if (cmd == "inspect") return cmd_inspect(argc, argv, out, err);
    if (cmd == "open-commitment") return cmd_open_commitment(argc, argv, out, err);
    if (cmd == "--help" || cmd == "-h" || cmd == "help") {
      out << kUsage;
      return 0;
    }
    err << "unknown command '" << cmd << "'\n" << kUsage;
    return 2;
  } catch (const UsageError& e) {
    err << "error: " << e.what() << "\n" << kUsage;
    return 2;
  } catch (const quant::ModelError& e) {
    err << "error: " << e.what() << "\n";
  } catch (const FormatError& e) {
    err << "error: " << e.what() << "\n";
  } catch (const circuit::RangeError& e) {
    err << "error: " << e.what() << "\n";
  } catch (const std::bad_alloc&) {
    err << "error: out of memory\n";
  } catch (const std::exception& e) {
    err << "error: " << e.what() << "\n";
  }
  return 1;
}

}  // namespace zk::cli
