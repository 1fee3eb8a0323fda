#include "cli/options.h"

#include <algorithm>
#include <sstream>

#ifndef ZKINFER_VERSION
#error "ZKINFER_VERSION comes from CMake's project() version"
#endif

namespace zk::cli {

namespace {

constexpr const char* kInputFormats =
    "Tensor files (--input, --calibration, --output): JSON {\"input_data\": [...]} with one\n"
    "entry per model input, flat or nested (numpy's tolist()); NumPy .npy (one tensor) or\n"
    ".npz (one array per input, in the archive's order). --calibration also takes a JSON\n"
    "list of samples (each an {\"input_data\": ...} object or a nested array), or .npy/.npz\n"
    "arrays with a leading sample axis.\n";

std::vector<CommandSpec> make_commands() {
  return {
      {"compile",
       "MODEL.onnx -o MODEL.zkc [options]",
       "quantize an ONNX model into a circuit",
       {{"-o", "MODEL.zkc", "where to write the compiled model (required)"},
        {"--calibration", "CAL.json",
         "samples to calibrate the fixed-point scales on (default: random in [-1, 1])"},
        {"--visibility", "input=V,weights=V,output=V",
         "V: public, private or committed (default input=private,weights=committed,"
         "output=public)"},
        {"--table-bits", "8..18", "lookup tables of 2^N rows: activation precision (default 14)"},
        {"--weight-bits", "4..24", "signed bits per weight (default 12)"},
        {"--max-scale", "8..20", "most fractional bits of any tensor (default 20)"},
        {"--max-proofs", "N", "weights=committed: proofs per setup the weights stay hidden for"},
        {"--name", "NAME", "a name bound into the verifying key (by default it has none)"},
        {"--progress", nullptr, "show the progress line even when stderr is not a terminal"},
        {"--quiet", nullptr, "no progress line"}},
       ""},
      {"setup",
       "MODEL.zkc --pk MODEL.pk --vk MODEL.vk",
       "commit to the weights: make the proving and verifying keys",
       {{"--pk", "MODEL.pk", "where to write the proving key (required; keep it secret)"},
        {"--vk", "MODEL.vk", "where to write the verifying key (required; publish it)"},
        {"--progress", nullptr, "show the progress line even when stderr is not a terminal"},
        {"--quiet", nullptr, "no progress line"}},
       ""},
      {"prove",
       "--pk MODEL.pk --input IN.json --proof PROOF.bin [options]",
       "run the model on an input and prove the result",
       {{"--pk", "MODEL.pk", "the proving key (required)"},
        {"--input", "IN.json", "the model's input: .json, .npy or .npz (required)"},
        {"--proof", "PROOF.bin", "where to write the proof (required)"},
        {"--output", "OUT.json", "also write the outputs: .json, .npy or .npz"},
        {"--opening", "OPENING.json",
         "where to keep the secret that opens committed tensors (required when any)"},
        {"--debug", nullptr, "show values that reveal hidden data in range errors"},
        {"--progress", nullptr, "show the progress line even when stderr is not a terminal"},
        {"--quiet", nullptr, "no progress line"}},
       ""},
      {"verify",
       "--vk MODEL.vk --proof PROOF.bin [options]",
       "check a proof and show what it proves",
       {{"--vk", "MODEL.vk", "the verifying key (required)"},
        {"--proof", "PROOF.bin", "the proof (required)"},
        {"--input", "IN.json", "the public input the proof must be about"},
        {"--json", nullptr, "print one JSON object (verdict, outputs, commitments) to stdout"},
        {"--output", "OUT.json", "write every proven output in full: .json, .npy or .npz"}},
       "Exit status 1 when the proof is rejected (with --json, the object says why).\n"},
      {"run",
       "MODEL.onnx --input IN.json [options]",
       "run the float model and its quantized circuit side by side (no proof)",
       {{"--input", "IN.json", "the model's input (required)"},
        {"--calibration", "CAL.json", "samples to calibrate on (default: random in [-1, 1])"}},
       ""},
      {"inspect",
       "FILE [options]",
       "describe a model (.onnx or .zkc), key or proof",
       {{"--vk", "MODEL.vk", "with a proof: decode its statement and verify it"},
        {"--json", nullptr, "print one JSON object instead of text"}},
       "FILE: an ONNX model (its nodes, shapes, parameters and which ops zkinfer\n"
       "supports), a compiled model, a proving or verifying key, or a proof.\n"},
      {"open-commitment",
       "--vk MODEL.vk (--model MODEL.zkc [--pk MODEL.pk] | --proof PROOF --opening O.json "
       "(--input I.json | --output O.json))",
       "show that a revealed model or tensor is the committed one",
       {{"--vk", "MODEL.vk", "the verifying key (required)"},
        {"--model", "MODEL.zkc", "the revealed compiled model"},
        {"--pk", "MODEL.pk", "the proving key (when the weight commitment hides)"},
        {"--proof", "PROOF.bin", "the proof holding the tensor's commitment"},
        {"--opening", "OPENING.json", "the opening prove --opening wrote"},
        {"--input", "IN.json", "the revealed input"},
        {"--output", "OUT.json", "the revealed output"}},
       ""},
  };
}

void print_option(const OptionSpec& o, std::ostream& s) {
  std::string head = std::string("  ") + o.name + (o.metavar ? std::string(" ") + o.metavar : "");
  s << head;
  if (head.size() < 30)
    s << std::string(30 - head.size(), ' ');
  else
    s << "\n" << std::string(30, ' ');
  s << o.help << "\n";
}

}  // namespace

const std::vector<CommandSpec>& commands() {
  static const std::vector<CommandSpec> cmds = make_commands();
  return cmds;
}

const CommandSpec* find_command(std::string_view name) {
  for (const auto& c : commands())
    if (name == c.name) return &c;
  return nullptr;
}

const std::vector<OptionSpec>& common_options() {
  static const std::vector<OptionSpec> opts = {
      {"--threads", "N", "threads to compute on (default: $ZKINFER_THREADS, else all cores)"},
      {"--help", nullptr, "show this help"}};
  return opts;
}

std::string Args::get(const std::string& k) const {
  auto it = opts.find(k);
  if (it == opts.end()) throw UsageError("missing required option " + k);
  return it->second;
}

Args parse(const CommandSpec& cmd, int argc, char** argv, int first) {
  Args a;
  for (int i = first; i < argc; ++i) {
    const std::string s = argv[i];
    if (s == "--help" || s == "-h") {
      a.help = true;
      continue;
    }
    if (s.rfind("-", 0) != 0 || s.size() == 1) {
      a.positional.push_back(s);
      continue;
    }
    auto it = std::find_if(cmd.options.begin(), cmd.options.end(),
                           [&](const OptionSpec& o) { return s == o.name; });
    if (it == cmd.options.end())
      throw UsageError("unknown option " + s + " for " + cmd.name + " (zkinfer " + cmd.name +
                       " --help lists its options)");
    if (!it->metavar) {
      a.opts[s] = "";
      continue;
    }
    if (i + 1 >= argc) throw UsageError("option " + s + " needs a value");
    a.opts[s] = argv[++i];
  }
  return a;
}

std::string command_help(const CommandSpec& cmd) {
  std::ostringstream s;
  s << "usage: zkinfer " << cmd.name << " " << cmd.synopsis << "\n"
    << cmd.summary << "\n\noptions:\n";
  for (const auto& o : cmd.options) print_option(o, s);
  for (const auto& o : common_options()) print_option(o, s);
  if (*cmd.notes) s << "\n" << cmd.notes;
  if (cmd.name == std::string("prove") || cmd.name == std::string("verify") ||
      cmd.name == std::string("compile") || cmd.name == std::string("run"))
    s << "\n" << kInputFormats;
  return s.str();
}

std::string overview() {
  std::ostringstream s;
  s << "usage: zkinfer <command> [options]\n\ncommands:\n";
  for (const auto& c : commands()) {
    std::string head = std::string("  ") + c.name;
    s << head << std::string(head.size() < 20 ? 20 - head.size() : 1, ' ') << c.summary << "\n";
  }
  s << "  help [COMMAND]      this overview, or a command's options (also COMMAND --help)\n"
    << "  version             the version (also --version)\n\n"
    << "synopses:\n";
  for (const auto& c : commands()) s << "  zkinfer " << c.name << " " << c.synopsis << "\n";
  s << "\nEvery command takes --threads N: the threads it computes on (default: the\n"
       "ZKINFER_THREADS environment variable, else all cores); proofs do not depend\n"
       "on it.\n"
       "Output files are written whole or not at all: a command that fails (or is\n"
       "interrupted) once its arguments are checked leaves none of its outputs, and\n"
       "removes an earlier run's files at those paths. Proving keys, opening files\n"
       "and files holding hidden weights or outputs are written readable by their\n"
       "owner only (mode 0600).\n\n"
    << kInputFormats;
  return s.str();
}

std::string version_line() { return std::string("zkinfer ") + ZKINFER_VERSION; }

}  // namespace zk::cli
