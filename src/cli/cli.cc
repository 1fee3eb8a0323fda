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
#include "cli/commands.h"
#include "cli/format.h"
#include "cli/json_report.h"
#include "cli/progress.h"
#include "cli/threads.h"
#include "field/error.h"
#include "field/printable.h"
#include "proof/budget.h"

namespace zk::cli {

double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

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

// A file holding a hidden tensor is readable by its owner only.
proof::FileMode mode_for(circuit::Visibility v) {
  return v == circuit::Visibility::kPublic ? proof::FileMode::kShared : proof::FileMode::kSecret;
}

namespace {

// Peak resident memory of this process image, from /proc (VmHWM).
long peak_memory_mb() {
  std::ifstream f("/proc/self/status");
  std::string line;
  while (std::getline(f, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6)) / 1024;
  return -1;
}

ProgressLine::Mode progress_mode(const Args& a) {
  if (a.has("--quiet")) return ProgressLine::Mode::kNever;
  return a.has("--progress") ? ProgressLine::Mode::kAlways : ProgressLine::Mode::kAuto;
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

int cmd_compile(const Args& a, std::ostream& out, std::ostream& err) {
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
    opt.calibration = proof::read_calibration(a.get("--calibration"));
  else
    err << "note: no --calibration given; scales are calibrated on random inputs in [-1, 1]\n";
  api::CompileResult r;
  {
    ProgressLine progress(err, progress_mode(a), "compile");
    r = api::compile(a.positional[0], opt);
  }
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
  const auto& acc = r.accuracy;
  if (acc.samples > 0)
    out << "accuracy on " << acc.samples << (opt.calibration.empty() ? " random" : " calibration")
        << " inputs: max error " << acc.max_abs_error << " (float outputs up to "
        << acc.max_abs_output << "), argmax agreement "
        << static_cast<int>(acc.argmax_agreement * 100 + 0.5) << "%\n";
  if (!acc.warning.empty()) err << "warning: " << acc.warning << "\n";
  print_estimate(proof::estimate(c), out);
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

int cmd_setup(const Args& a, std::ostream& out, std::ostream& err) {
  if (a.positional.size() != 1) throw UsageError("setup takes one MODEL.zkc");
  for (const char* k : {"--pk", "--vk"})
    a.get(k);  // usage errors first: never a .pk without its .vk
  ensure_distinct({a.get("--pk"), a.get("--vk")}, {a.positional[0]});
  proof::OutputSet outputs({a.get("--pk"), a.get("--vk"), proof::budget_path(a.get("--pk"))});
  auto t0 = Clock::now();
  std::optional<ProgressLine> progress(std::in_place, err, progress_mode(a), "setup");
  progress->step("loading the compiled model", 0.0);
  auto m = proof::load_model(proof::read_file(a.positional[0]), a.positional[0]);
  auto keys = proof::setup(m);
  // The proving key holds the weights and the weight commitment's secret.
  proof::write_pk(a.get("--pk"), keys.pk);
  proof::start_budget(a.get("--pk"), keys.pk);
  auto vkb = proof::save_vk(keys.vk);
  proof::write_file(a.get("--vk"), vkb);
  progress.reset();
  outputs.commit();
  out << "weight commitment: " << digest_hex(keys.vk.weight_root) << "\n"
      << "model id:          " << digest_hex(keys.vk.id()) << "\n"
      << "wrote " << a.get("--pk") << " and " << a.get("--vk") << " (" << human_bytes(vkb.size())
      << ") in " << ms_since(t0) << " ms\n";
  return 0;
}

int cmd_prove(const Args& a, std::ostream& out, std::ostream& err) {
  if (!a.positional.empty()) throw UsageError("prove takes options only");
  for (const char* k : {"--pk", "--input", "--proof"}) a.get(k);  // usage errors before any work
  std::vector<std::string> outs{a.get("--proof")};
  if (a.has("--output")) outs.push_back(a.get("--output"));
  if (a.has("--opening")) outs.push_back(a.get("--opening"));
  ensure_distinct(outs, {a.get("--pk"), a.get("--input")});
  proof::OutputSet outputs(outs);
  std::optional<ProgressLine> progress(std::in_place, err, progress_mode(a), "prove");
  progress->step("loading the proving key", 0.0);
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
  progress.reset();  // the line goes before the results are printed
  auto bytes = proof::save_proof(res.proof);
  proof::write_file(a.get("--proof"), bytes);
  if (a.has("--output"))
    proof::write_outputs(a.get("--output"), named_outputs(pk.circuit, res.outputs),
                         mode_for(vis.output));
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

int cmd_run(const Args& a, std::ostream& out, std::ostream& err) {
  if (a.positional.size() != 1) throw UsageError("run takes one MODEL.onnx");
  auto inputs = proof::read_inputs(a.get("--input"));
  std::vector<std::vector<float>> cal;
  if (a.has("--calibration"))
    cal = proof::read_calibration(a.get("--calibration"));
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
int cmd_open_commitment(const Args& a, std::ostream& out, std::ostream& err) {
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

}  // namespace

namespace {

// help, help CMD, CMD --help, version: 0 with the text on stdout.
int dispatch(const CommandSpec& spec, const Args& a, std::ostream& out, std::ostream& err) {
  if (a.help) {
    out << command_help(spec);
    return 0;
  }
  const std::string cmd = spec.name;
  if (cmd == "compile") return cmd_compile(a, out, err);
  if (cmd == "setup") return cmd_setup(a, out, err);
  if (cmd == "prove") return cmd_prove(a, out, err);
  if (cmd == "verify") return cmd_verify(a, out, err);
  if (cmd == "run") return cmd_run(a, out, err);
  if (cmd == "inspect") return cmd_inspect(a, out, err);
  return cmd_open_commitment(a, out, err);
}

// The command's own usage after a usage error, else the overview.
std::string usage_for(const std::string& cmd) {
  const CommandSpec* spec = find_command(cmd);
  return spec ? command_help(*spec) : overview();
}

int help(int argc, char** argv, std::ostream& out) {
  if (argc < 3) {
    out << overview();
    return 0;
  }
  const CommandSpec* spec = find_command(argv[2]);
  if (!spec) throw UsageError("no command '" + std::string(argv[2]) + "' to show help for");
  out << command_help(*spec);
  return 0;
}

}  // namespace

int run(int argc, char** argv, std::ostream& out, std::ostream& err) {
  if (argc < 2) {
    err << overview();
    return 2;
  }
  const std::string cmd = argv[1];
  try {
    if (cmd == "--help" || cmd == "-h" || cmd == "help") return help(argc, argv, out);
    if (cmd == "--version" || cmd == "version") {
      out << version_line() << "\n";
      return 0;
    }
    const CommandSpec* spec = find_command(cmd);
    if (!spec) {
      err << "unknown command '" << printable(cmd) << "'\n" << overview();
      return 2;
    }
    std::vector<char*> args(argv, argv + argc);
    auto threads = take_thread_option(args);
    if (!threads.error.empty()) throw UsageError(threads.error);
    ScopedThreads scoped(threads.threads);
    const Args a = parse(*spec, static_cast<int>(args.size()), args.data(), 2);
    return dispatch(*spec, a, out, err);
  } catch (const UsageError& e) {
    err << "error: " << e.what() << "\n" << usage_for(cmd);
    return 2;
  } catch (const proof::ArgumentError& e) {
    // A library argument the command line passed through unchecked.
    err << "error: " << e.what() << "\n" << usage_for(cmd);
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
