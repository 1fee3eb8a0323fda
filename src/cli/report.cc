// verify and inspect: what a proof proves and what a file holds, as text or
// (--json) as one JSON object.
#include <iostream>
#include <optional>

#include "cli/commands.h"
#include "cli/format.h"
#include "cli/json_report.h"
#include "cli/onnx_table.h"
#include "field/printable.h"

namespace zk::cli {

namespace {

// The human report of an accepted proof.
void print_verified(const Args& a, const proof::VerifyingKey& vk, const proof::VerifyResult& r,
                    double ms, std::ostream& out) {
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
  bool shortened = false;
  for (size_t i = 0; i < r.outputs.size(); ++i) {
    out << "proven output " << i << ": " << fmt_vec(r.outputs[i]) << "  (argmax "
        << argmax(r.outputs[i]) << ")\n";
    shortened |= r.outputs[i].size() > 10;
  }
  if (!r.outputs.empty() && !a.has("--output"))
    out << "note: " << (shortened ? "values shortened to 4 decimals; " : "")
        << "--output OUT.json (or .npy, .npz) writes every proven value in full, --json prints "
           "them\n";
}

// --output: the proven outputs, in full. Only a public output is in the proof.
void check_output_option(const Args& a, const proof::VerifyingKey& vk) {
  if (!a.has("--output")) return;
  const auto v = proof::visibility_of(vk.circuit).output;
  if (v != circuit::Visibility::kPublic)
    throw UsageError("--output: this model's output is " + std::string(proof::visibility_name(v)) +
                     ": the proof does not reveal it, so there is nothing to write");
  const std::string path = a.get("--output");
  const size_t n = vk.circuit.outputs.size();
  if (n != 1 && path.size() > 4 && path.compare(path.size() - 4, 4, ".npy") == 0)
    throw UsageError("--output " + path + ": a .npy file holds one array; this model has " +
                     std::to_string(n) + " outputs (write .npz or .json)");
  std::vector<std::string> ins{a.get("--vk"), a.get("--proof")};
  if (a.has("--input")) ins.push_back(a.get("--input"));
  ensure_distinct({a.get("--output")}, ins);
}

}  // namespace

int cmd_verify(const Args& a, std::ostream& out, std::ostream& err) {
  if (!a.positional.empty()) throw UsageError("verify takes options only");
  for (const char* k : {"--vk", "--proof"}) a.get(k);  // usage errors before any work
  auto vk = proof::load_vk(proof::read_file(a.get("--vk")), a.get("--vk"));
  check_output_option(a, vk);
  auto bytes = proof::read_file(a.get("--proof"));
  std::vector<std::vector<float>> inputs;
  if (a.has("--input")) inputs = proof::read_inputs(a.get("--input"));
  std::optional<proof::OutputSet> outputs;
  if (a.has("--output")) outputs.emplace(std::vector<std::string>{a.get("--output")});
  auto t0 = Clock::now();
  auto r = proof::verify(vk, bytes, a.has("--input") ? &inputs : nullptr, a.get("--proof"));
  double ms = ms_since(t0);
  if (r.ok && outputs) {
    proof::write_outputs(a.get("--output"), named_outputs(vk.circuit, r.outputs));
    outputs->commit();
  }
  if (a.has("--json")) out << verify_json(vk, r, bytes.size(), ms).dump(2) << "\n";
  if (!r.ok) {
    err << "REJECTED: " << printable(r.reason, Error::kMaxMessage) << "\n";
    return 1;
  }
  if (!a.has("--json")) print_verified(a, vk, r, ms, out);
  if (outputs) err << "wrote the proven outputs to " << a.get("--output") << "\n";
  return 0;
}

int cmd_inspect(const Args& a, std::ostream& out, std::ostream&) {
  if (a.positional.size() != 1) throw UsageError("inspect takes one FILE");
  const std::string& path = a.positional[0];
  if (onnx::is_onnx_path(path)) {
    if (a.has("--vk")) throw UsageError("--vk goes with a proof, not an ONNX model");
    const auto table = onnx::describe_model(path);
    if (a.has("--json"))
      out << onnx_table_json(table).dump(2) << "\n";
    else
      print_onnx_table(table, out);
    return 0;
  }
  auto bytes = proof::read_file(path);
  // Everything is parsed before anything is printed: a bad file gets an
  // error, not half a report.
  std::optional<proof::VerifyingKey> vk;
  if (a.has("--vk") && proof::file_kind(bytes) == "proof")
    vk = proof::load_vk(proof::read_file(a.get("--vk")), a.get("--vk"));
  auto in = proof::inspect(bytes, path, vk ? &*vk : nullptr, a.has("--vk") ? a.get("--vk") : "");
  if (a.has("--json")) {
    out << inspection_json(in).dump(2) << "\n";
    return 0;
  }
  out << kind_name(in.kind) << " (" << human_bytes(in.file_bytes) << ")\n";
  if (in.weight_root) out << "weight commitment: " << digest_hex(*in.weight_root) << "\n";
  if (in.model_id) out << "model id: " << digest_hex(*in.model_id) << "\n";
  if (in.circuit) print_circuit(*in.circuit, out);
  if (in.proof) print_proof(*in.proof, a.has("--vk") ? a.get("--vk") : "", out);
  return 0;
}

}  // namespace zk::cli
