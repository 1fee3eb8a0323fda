#include "cli/cli.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>

#include "api/api.h"
#include "cli/format.h"
#include "cli/threads.h"
#include "field/error.h"
#include "field/printable.h"
#include "proof/budget.h"

namespace zk::cli {

namespace {

using Clock = std::chrono::steady_clock;

// A bad command line: exit status 2 and the usage text.
class UsageError : public Error {
 public:
  using Error::Error;
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

// `known` options take a value; `flags` take none.
Args parse(int argc, char** argv, int first, const std::vector<std::string>& known,
           const std::vector<std::string>& flags = {}) {
  Args a;
  for (int i = first; i < argc; ++i) {
    std::string s = argv[i];
    if (std::find(flags.begin(), flags.end(), s) != flags.end()) {
      a.opts[s] = "";
      continue;
    }
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

// Parses --visibility and the precision options; bad values are usage errors.
api::CompileOptions compile_options(const Args& a) {
  api::CompileOptions opt;
  if (a.has("--visibility")) {
    try {
      opt.visibility = proof::parse_visibility(a.get("--visibility"));
    } catch (const proof::ArgumentError& e) {
      throw UsageError(std::string("--") + e.what());
    }
  }
  // Precision overrides: larger tables give activations more bits (and the
  // prover more work); more weight bits keep small weights.
  auto int_option = [&](const char* name, long lo, long hi) {
    const std::string v = a.get(name);
    char* end = nullptr;
    long x = std::strtol(v.c_str(), &end, 10);
    if (v.empty() || *end || x < lo || x > hi)
      throw UsageError(std::string(name) + " must be an integer from " + std::to_string(lo) +
                       " to " + std::to_string(hi) + ", got '" + v + "'");
    return x;
  };
  if (a.has("--table-bits"))
    opt.table_bits =
        static_cast<unsigned>(int_option("--table-bits", api::kMinTableBits, api::kMaxTableBits));
  if (a.has("--weight-bits"))
    opt.weight_bits =
        static_cast<int>(int_option("--weight-bits", api::kMinWeightBits, api::kMaxWeightBits));
  if (a.has("--max-scale"))
    opt.max_scale =
        static_cast<int>(int_option("--max-scale", api::kMinMaxScale, api::kMaxMaxScale));
  if (a.has("--max-proofs"))
    opt.max_proofs =
        static_cast<uint32_t>(int_option("--max-proofs", 1, circuit::kMaxWeightProofs));
  if (a.has("--name")) opt.name = a.get("--name");
  return opt;
}

// A file holding a hidden tensor is readable by its owner only.
proof::FileMode mode_for(circuit::Visibility v) {
  return v == circuit::Visibility::kPublic ? proof::FileMode::kShared : proof::FileMode::kSecret;
}

int cmd_compile(int argc, char** argv, std::ostream& out, std::ostream& err) {
  Args a = parse(argc, argv, 2,
                 {"-o", "--calibration", "--visibility", "--table-bits", "--weight-bits",
                  "--max-scale", "--max-proofs", "--name"});
  if (a.positional.size() != 1) throw UsageError("compile takes one MODEL.onnx");
  const std::string out_path = a.get("-o");  // usage errors before any work
  api::CompileOptions opt = compile_options(a);
  {
    std::vector<std::string> ins{a.positional[0]};
    if (a.has("--calibration")) ins.push_back(a.get("--calibration"));
    ensure_distinct({out_path}, ins);
  }
  proof::OutputSet outputs({out_path});
  auto t0 = Clock::now();
  if (a.has("--calibration"))
    opt.calibration = proof::read_inputs(a.get("--calibration"));
  else
    err << "note: no --calibration given; scales are calibrated on random inputs in [-1, 1]\n";
  auto r = api::compile(a.positional[0], opt);
  const auto& c = r.model.circuit;
  // The compiled model holds the weights: secret unless they are public.
  proof::write_file(out_path, proof::save_model(r.model), mode_for(c.weight_vis));
  outputs.commit();
  out << "compiled " << a.positional[0] << ": " << r.onnx_ops << " ops -> " << c.nodes.size()
      << " circuit nodes, " << r.weights << " weights (padded)\n"
      << "visibility: " << proof::format_visibility(proof::visibility_of(c))
      << (a.has("--visibility") ? "" : " (the defaults; see --visibility)") << "\n";
  if (!c.model_name.empty())
    out << "name: " << printable(c.model_name) << " (in the verifying key)\n";
  if (c.table_bits > opt.table_bits)
    out << "note: lookup tables of 2^" << c.table_bits << " rows (not 2^" << opt.table_bits
        << "): the model's embedding lookup needs them for its row ids\n";
  const double bits = prover::soundness(c).bits;
  out << "soundness: " << bits_str(bits) << " bits for the whole proof (inspect shows the terms)\n";
  if (bits < 100)
    err << "warning: the proof's soundness is below 100 bits (inspect shows the terms)\n";
  if (c.weight_vis == circuit::Visibility::kCommitted)
    out << "note: the committed weights stay hidden for up to " << c.weight_proofs
        << " proofs per setup (--max-proofs); run setup again for more (docs/SECURITY.md)\n";
  if (c.weight_vis == circuit::Visibility::kPrivate)
    out << "note: the verifying key holds no weights, but it holds the circuit, whose "
           "fixed-point scales, requantization shifts and multipliers, table ranges and "
           "witness size follow the weights' magnitudes and the calibration: it reveals those "
           "(docs/SECURITY.md)\n";
  out << "wrote " << out_path << " in " << ms_since(t0) << " ms\n";
  return 0;
}

int cmd_setup(int argc, char** argv, std::ostream& out, std::ostream&) {
  Args a = parse(argc, argv, 2, {"--pk", "--vk"});
  if (a.positional.size() != 1) throw UsageError("setup takes one MODEL.zkc");
  for (const char* k : {"--pk", "--vk"})
    a.get(k);  // usage errors first: never a .pk without its .vk
  ensure_distinct({a.get("--pk"), a.get("--vk")}, {a.positional[0]});
  proof::OutputSet outputs({a.get("--pk"), a.get("--vk"), proof::budget_path(a.get("--pk"))});
  auto t0 = Clock::now();
  auto m = proof::load_model(proof::read_file(a.positional[0]), a.positional[0]);
  auto keys = proof::setup(m);
  // The proving key holds the weights and the weight commitment's secret.
  proof::write_pk(a.get("--pk"), keys.pk);
  proof::start_budget(a.get("--pk"), keys.pk);
  auto vkb = proof::save_vk(keys.vk);
  proof::write_file(a.get("--vk"), vkb);
  outputs.commit();
  out << "weight commitment: " << digest_hex(keys.vk.weight_root) << "\n"
      << "model id:          " << digest_hex(keys.vk.id()) << "\n"
      << "wrote " << a.get("--pk") << " and " << a.get("--vk") << " (" << human_bytes(vkb.size())
      << ") in " << ms_since(t0) << " ms\n";
  return 0;
}

int cmd_prove(int argc, char** argv, std::ostream& out, std::ostream& err) {
  Args a =
      parse(argc, argv, 2, {"--pk", "--input", "--proof", "--output", "--opening"}, {"--debug"});
  if (!a.positional.empty()) throw UsageError("prove takes options only");
  for (const char* k : {"--pk", "--input", "--proof"}) a.get(k);  // usage errors before any work
  std::vector<std::string> outs{a.get("--proof")};
  if (a.has("--output")) outs.push_back(a.get("--output"));
  if (a.has("--opening")) outs.push_back(a.get("--opening"));
  ensure_distinct(outs, {a.get("--pk"), a.get("--input")});
  proof::OutputSet outputs(outs);
  Progress progress(err);
  progress.step("loading proving key");
  auto pk = proof::load_pk_file(a.get("--pk"));
  const auto vis = proof::visibility_of(pk.circuit);
  const bool commits =
      vis.input == circuit::Visibility::kCommitted || vis.output == circuit::Visibility::kCommitted;
  if (commits && !a.has("--opening"))
    throw UsageError(
        "the model commits to its input or output: give --opening FILE to keep the secret "
        "that opens the commitment later");
  auto inputs = proof::read_inputs(a.get("--input"));
  // Counted before proving: a failed proof (its error) says something too.
  const proof::Budget budget = proof::reserve_proof(a.get("--pk"), pk);
  progress.step("proving");
  auto t0 = Clock::now();
  proof::ProveResult res;
  try {
    res = proof::prove(pk, inputs);
  } catch (const circuit::RangeError& e) {
    // The message leaves out values that depend on hidden data; --debug asks
    // for them explicitly.
    if (a.has("--debug") && e.hidden_value)
      err << "debug: the value was " << *e.hidden_value
          << " (this reveals hidden data: do not pass it on)\n";
    throw;
  }
  double ms = ms_since(t0);
  auto bytes = proof::save_proof(res.proof);
  proof::write_file(a.get("--proof"), bytes);
  if (a.has("--output")) proof::write_outputs(a.get("--output"), res.outputs, mode_for(vis.output));
  if (commits) {
    for (const auto& t : proof::statement_commitments(pk.circuit, res.proof.statement))
      out << (t.input ? "input" : "output") << " commitment: " << digest_hex(t.commitment) << "\n";
    proof::write_text_file(a.get("--opening"), proof::write_opening(pk.circuit, res),
                           proof::FileMode::kSecret);
  }
  outputs.commit();
  for (size_t i = 0; i < res.outputs.size(); ++i)
    out << "output " << i << ": " << fmt_vec(res.outputs[i]) << "  (argmax "
        << argmax(res.outputs[i]) << ")\n";
  out << "proved in " << ms << " ms (peak memory " << peak_memory_mb() << " MB); proof "
      << human_bytes(bytes.size()) << " written to " << a.get("--proof") << "\n";
  if (budget.max > 0 && budget.low())
    out << "note: " << budget.left() << " of " << budget.max
        << " proofs left for this setup's weight commitment; then run setup again "
           "(docs/SECURITY.md)\n";
  return 0;
}

int cmd_verify(int argc, char** argv, std::ostream& out, std::ostream& err) {
  Args a = parse(argc, argv, 2, {"--vk", "--proof", "--input"});
  if (!a.positional.empty()) throw UsageError("verify takes options only");
  for (const char* k : {"--vk", "--proof"}) a.get(k);  // usage errors before any work
  auto vk = proof::load_vk(proof::read_file(a.get("--vk")), a.get("--vk"));
  auto bytes = proof::read_file(a.get("--proof"));
  std::vector<std::vector<float>> inputs;
  if (a.has("--input")) inputs = proof::read_inputs(a.get("--input"));
  auto t0 = Clock::now();
  auto r = proof::verify(vk, bytes, a.has("--input") ? &inputs : nullptr, a.get("--proof"));
  double ms = ms_since(t0);
  if (!r.ok) {
    err << "REJECTED: " << printable(r.reason, Error::kMaxMessage) << "\n";
    return 1;
  }
  out << "ACCEPTED in " << ms << " ms (model id " << digest_hex(vk.id()).substr(0, 16) << "...)\n";
  for (size_t i = 0; i < r.public_inputs.size(); ++i) {
    const auto& in = r.public_inputs[i];
    // Without --input, say which input was proven so it can be compared.
    out << "public input " << i << ": " << in.values.size() << " values "
        << (a.has("--input") ? "(matches --input)" : fmt_vec(in.values, 4)) << ", sha256 "
        << digest_hex(in.digest).substr(0, 16) << "...\n";
  }
  for (const auto& t : r.commitments)
    out << (t.input ? "input" : "output") << " '" << printable(t.name)
        << "': committed, commitment " << digest_hex(t.commitment)
        << " (hidden; open it with zkinfer open-commitment)\n";
  if (r.visibility.input == circuit::Visibility::kPrivate)
    out << "input: private (the proof reveals nothing about it beyond what the output reveals)\n";
  if (r.visibility.output == circuit::Visibility::kPrivate)
    out << "output: private (the proof reveals nothing about it beyond what the public parts "
           "of the statement imply)\n";
  for (size_t i = 0; i < r.outputs.size(); ++i)
    out << "proven output " << i << ": " << fmt_vec(r.outputs[i]) << "  (argmax "
        << argmax(r.outputs[i]) << ")\n";
  return 0;
}

int cmd_run(int argc, char** argv, std::ostream& out, std::ostream& err) {
  Args a = parse(argc, argv, 2, {"--input", "--calibration"});
  if (a.positional.size() != 1) throw UsageError("run takes one MODEL.onnx");
  auto inputs = proof::read_inputs(a.get("--input"));
  std::vector<std::vector<float>> cal;
  if (a.has("--calibration"))
    cal = proof::read_inputs(a.get("--calibration"));
  else
    err << "note: no --calibration given; scales are calibrated on random inputs in [-1, 1]\n";
  auto r = api::run_model(a.positional[0], inputs, cal);
  for (size_t i = 0; i < r.outputs.size(); ++i) {
    const auto& o = r.outputs[i];
    out << "output " << i << " (" << printable(o.name) << ")\n"
        << "  float:     " << fmt_vec(o.float_values) << "\n";
    if (r.quantized_failure) continue;
    const size_t fa = argmax(o.float_values), qa = argmax(o.quantized);
    out << "  quantized: " << fmt_vec(o.quantized) << "\n"
        << "  max abs error: " << o.max_abs_error << "\n"
        << "  argmax: float " << fa << ", quantized " << qa
        << (fa == qa ? " (agree)" : " (DISAGREE)") << "\n";
  }
  // The float result stands even when the quantized model cannot run.
  if (r.quantized_failure) std::rethrow_exception(r.quantized_failure);
  out << "float inference " << r.float_ms << " ms, integer inference " << r.int_ms << " ms\n";
  return 0;
}

// Checks a revealed input or output against the commitment in a proof.
int open_tensor_commitment(const Args& a, std::ostream& out, std::ostream& err) {
  for (const char* k : {"--vk", "--proof", "--opening"}) a.get(k);
  if (a.has("--input") == a.has("--output"))
    throw UsageError("open-commitment with --proof takes one of --input or --output");
  auto vk = proof::load_vk(proof::read_file(a.get("--vk")), a.get("--vk"));
  auto p = proof::load_proof(proof::read_file(a.get("--proof")), vk.circuit, a.get("--proof"));
  const bool input = a.has("--input");
  const std::string file = input ? a.get("--input") : a.get("--output");
  const char* group = input ? "input" : "output";
  auto opening =
      proof::parse_opening(proof::read_text_file(a.get("--opening")), a.get("--opening"));
  auto values = input ? proof::read_inputs(file) : proof::read_outputs(file);
  proof::OpenResult r;
  try {
    r = proof::open_tensor_commitment(vk, p, opening, input, values, a.get("--opening"), file);
  } catch (const proof::ArgumentError& e) {
    throw UsageError(e.what());
  }
  if (r.match == proof::Match::kProofRejected) {
    err << "REJECTED: " << a.get("--proof") << " does not verify against " << a.get("--vk") << " ("
        << printable(r.reason, Error::kMaxMessage) << "); its commitments vouch for nothing\n";
    return 1;
  }
  if (r.match != proof::Match::kMatches) {
    err << "DOES NOT MATCH: " << file << " is not the " << group << " '" << printable(r.tensor)
        << "' committed in " << a.get("--proof") << "\n";
    return 1;
  }
  // The commitment binds the quantized tensor: say so, and show it, since
  // every float tensor that rounds to the same grid values matches too.
  out << "MATCHES: " << file << ", quantized, is the " << group << " committed in "
      << a.get("--proof") << " (which verifies against " << a.get("--vk")
      << "). The commitment is to the quantized value: any " << group
      << " that rounds to the same fixed-point values matches.\n";
  for (size_t i = 0; i < r.quantized.size(); ++i) {
    out << "quantized " << group << " " << i << " (multiples of 2^-" << r.scales[i] << "):";
    for (float x : r.quantized[i]) out << " " << x;
    out << "\n";
  }
  return 0;
}

// Shows that a compiled model (its circuit and weights) is the one a verifying
// key commits to: the model's owner reveals MODEL.zkc, anyone checks it.
int cmd_open_commitment(int argc, char** argv, std::ostream& out, std::ostream& err) {
  Args a = parse(argc, argv, 2,
                 {"--vk", "--model", "--pk", "--proof", "--opening", "--input", "--output"});
  if (!a.positional.empty()) throw UsageError("open-commitment takes options only");
  if (a.has("--proof")) return open_tensor_commitment(a, out, err);
  auto vk = proof::load_vk(proof::read_file(a.get("--vk")), a.get("--vk"));
  std::optional<proof::ProvingKey> pk;
  if (vk.circuit.weight_vis == circuit::Visibility::kCommitted) {
    if (!a.has("--pk"))
      throw UsageError(
          "the weight commitment is hiding: give --pk MODEL.pk as well (it holds "
          "the commitment's secret randomness)");
    pk = proof::load_pk_file(a.get("--pk"));
  }
  auto m = proof::load_model(proof::read_file(a.get("--model")), a.get("--model"));
  auto r = proof::open_model_commitment(vk, m, pk ? &*pk : nullptr);
  if (r.match == proof::Match::kDifferentCircuit) {
    err << "DOES NOT MATCH: " << a.get("--model") << " is a different circuit than "
        << a.get("--vk") << " commits to\n";
    return 1;
  }
  if (r.match != proof::Match::kMatches) {
    err << "DOES NOT MATCH: the weights of " << a.get("--model")
        << " are not the ones committed in " << a.get("--vk") << "\n";
    return 1;
  }
  out << "MATCHES: " << a.get("--model") << " is the model committed in " << a.get("--vk")
      << " (weight commitment " << digest_hex(r.weight_root).substr(0, 16) << "...)\n";
  return 0;
}

int cmd_inspect(int argc, char** argv, std::ostream& out, std::ostream&) {
  Args a = parse(argc, argv, 2, {"--vk"});
  if (a.positional.size() != 1) throw UsageError("inspect takes one FILE");
  const std::string& path = a.positional[0];
  auto bytes = proof::read_file(path);
  // Everything is parsed before anything is printed: a bad file gets an
  // error, not half a report.
  std::optional<proof::VerifyingKey> vk;
  if (a.has("--vk") && proof::file_kind(bytes) == "proof")
    vk = proof::load_vk(proof::read_file(a.get("--vk")), a.get("--vk"));
  auto in = proof::inspect(bytes, path, vk ? &*vk : nullptr, a.has("--vk") ? a.get("--vk") : "");
  const char* kinds[] = {"compiled model", "proving key", "verifying key", "proof"};
  out << kinds[static_cast<int>(in.kind)] << " (" << human_bytes(in.file_bytes) << ")\n";
  if (in.weight_root) out << "weight commitment: " << digest_hex(*in.weight_root) << "\n";
  if (in.model_id) out << "model id: " << digest_hex(*in.model_id) << "\n";
  if (in.circuit) print_circuit(*in.circuit, out);
  if (in.proof) print_proof(*in.proof, a.has("--vk") ? a.get("--vk") : "", out);
  return 0;
}

const char* kUsage =
    "usage: zkinfer <command> [options]\n"
    "  compile MODEL.onnx -o MODEL.zkc [--calibration CAL.json]\n"
    "          [--table-bits 8..18 (default 14)] [--weight-bits 4..24 (default 12)]\n"
    "          [--max-scale 8..20 (default 20): most fractional bits of any tensor]\n"
    "          [--visibility input=V,weights=V,output=V]  V: public, private or committed\n"
    "          (default input=private,weights=committed,output=public) [--max-proofs N]\n"
    "          [--name NAME]  (a name bound into the key; by default it has none)\n"
    "  setup MODEL.zkc --pk MODEL.pk --vk MODEL.vk\n"
    "  prove --pk MODEL.pk --input IN.json --proof PROOF.bin [--output OUT.json]\n"
    "        [--opening OPENING.json] [--debug (shows values that reveal hidden data)]\n"
    "  verify --vk MODEL.vk --proof PROOF.bin [--input IN.json]\n"
    "  run MODEL.onnx --input IN.json [--calibration CAL.json]\n"
    "  inspect FILE [--vk MODEL.vk]\n"
    "  open-commitment --vk MODEL.vk --model MODEL.zkc [--pk MODEL.pk]\n"
    "  open-commitment --vk MODEL.vk --proof PROOF --opening OPENING.json\n"
    "                  (--input INPUT.json | --output OUTPUT.json)\n"
    "Every command takes --threads N: the threads it computes on (default: the\n"
    "ZKINFER_THREADS environment variable, else all cores); proofs do not depend\n"
    "on it.\n"
    "Output files are written whole or not at all: a command that fails (or is\n"
    "interrupted) once its arguments are checked leaves none of its outputs, and\n"
    "removes an earlier run's files at those paths. Proving keys, opening files\n"
    "and files holding hidden weights or outputs are written readable by their\n"
    "owner only (mode 0600).\n";

}  // namespace

int run(int argc, char** argv, std::ostream& out, std::ostream& err) {
  if (argc < 2) {
    err << kUsage;
    return 2;
  }
  std::string cmd = argv[1];
  try {
    std::vector<char*> args(argv, argv + argc);
    auto threads = take_thread_option(args);
    if (!threads.error.empty()) throw UsageError(threads.error);
    ScopedThreads scoped(threads.threads);
    argc = static_cast<int>(args.size());
    argv = args.data();
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
  } catch (const proof::ArgumentError& e) {
    // A library argument the command line passed through unchecked.
    err << "error: " << e.what() << "\n" << kUsage;
    return 2;
  } catch (const Error& e) {
    // Every error the user's files or options can cause derives from zk::Error.
    err << "error: " << e.what() << "\n";
  } catch (const std::bad_alloc&) {
    err << "error: out of memory\n";
  } catch (const std::exception& e) {
    // Anything else is a bug in zkinfer, not a problem with the input.
    err << "error: internal error (please report): "
        << printable(e.what(), Error::kMaxMessage, Newlines::kKeep) << "\n";
  }
  return 1;
}

}  // namespace zk::cli
