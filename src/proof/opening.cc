#include "proof/opening.h"

#include <nlohmann/json.hpp>
#include <optional>

#include "field/printable.h"

namespace zk::proof {

namespace {

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

// A tensor's name as the opening file holds it: escaped where it is not
// printable UTF-8 (other names are unchanged, so older files still match).
std::string file_name(const std::string& name) { return printable(name, std::string::npos); }

}  // namespace

std::string write_opening(const circuit::Circuit& c, const ProveResult& r) {
  nlohmann::json j;
  j["warning"] = "secret: whoever holds this file and the tensor can open the commitment";
  auto ts = prover::committed_tensors(c);
  for (size_t k = 0; k < ts.size() && k < r.openings.size(); ++k) {
    const auto& t = c.tensors[ts[k]];
    j["commitments"].push_back(
        // JSON holds only valid UTF-8, and a name from the model may not be.
        {{"tensor", file_name(t.name)},
         {"kind", t.kind == circuit::TensorKind::kInput ? "input" : "output"},
         {"commitment", digest_hex(r.proof.statement.commitments[k])},
         {"secret", digest_hex(r.openings[k])}});
  }
  return j.dump(2) + "\n";
}

std::vector<OpeningEntry> parse_opening(const std::string& text, const std::string& what) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception&) {
    throw FormatError(what + ": not an opening file written by zkinfer prove");
  }
  std::vector<OpeningEntry> out;
  if (!j.is_object() || !j.contains("commitments") || !j["commitments"].is_array()) return out;
  // Entries without a usable secret are skipped: the tensor that needs one
  // is named when it is missing.
  for (const auto& e : j["commitments"]) {
    if (!e.is_object() || !e.contains("tensor") || !e["tensor"].is_string()) continue;
    if (!e.contains("secret") || !e["secret"].is_string()) continue;
    auto secret = parse_digest_hex(e["secret"].get<std::string>());
    if (!secret) continue;
    OpeningEntry o;
    o.tensor = e["tensor"].get<std::string>();
    o.input = e.value("kind", "") == "input";
    if (e.contains("commitment") && e["commitment"].is_string())
      if (auto d = parse_digest_hex(e["commitment"].get<std::string>())) o.commitment = *d;
    o.secret = *secret;
    out.push_back(std::move(o));
  }
  return out;
}

OpenResult open_model_commitment(const VerifyingKey& vk, const quant::CompiledModel& m,
                                 const ProvingKey* pk) {
  OpenResult r;
  // A hiding weight commitment opens with its randomness, kept in the
  // proving key.
  Digest seed{};
  if (vk.circuit.weight_vis == circuit::Visibility::kCommitted) {
    if (!pk)
      throw ArgumentError(
          "the weight commitment is hiding: it opens only with the proving key's secret");
    seed = pk->weight_seed;
  }
  if (m.circuit.digest() != vk.circuit.digest()) {
    r.match = Match::kDifferentCircuit;
    return r;
  }
  r.weight_root = prover::commit_weights(m.circuit, m.weights, seed).tree.root();
  if (r.weight_root != vk.weight_root) r.match = Match::kDifferentWeights;
  return r;
}

OpenResult open_tensor_commitment(const VerifyingKey& vk, const Proof& proof,
                                  const std::vector<OpeningEntry>& opening, bool input,
                                  const std::vector<std::vector<float>>& values,
                                  const std::string& opening_what, const std::string& values_what) {
  const auto ts = prover::committed_tensors(vk.circuit);
  OpenResult r;
  bool any = false;
  for (int t : ts) any |= (vk.circuit.tensors[t].kind == circuit::TensorKind::kInput) == input;
  if (!any)
    throw ArgumentError(std::string("the model does not commit to its ") +
                        (input ? "input" : "output"));
  // Same checks as `verify`, the circuit digest and weight root first.
  VerifyResult v = verify(vk, proof);
  if (!v.ok) {
    r.match = Match::kProofRejected;
    r.reason = v.reason;
    return r;
  }
  size_t group = 0;
  for (size_t k = 0; k < ts.size(); ++k) {
    const auto& t = vk.circuit.tensors[ts[k]];
    if ((t.kind == circuit::TensorKind::kInput) != input) continue;
    const OpeningEntry* e = nullptr;
    for (const auto& o : opening)
      if (o.tensor == file_name(t.name)) e = &o;
    if (!e) throw FormatError(opening_what + ": no secret for tensor '" + t.name + "'");
    if (group >= values.size())
      throw FormatError(values_what + ": has " + std::to_string(values.size()) +
                        " tensor(s), the model " + (input ? "input" : "output") + " more");
    if (!opens_commitment(vk, proof, k, values[group], e->secret)) {
      r.match = Match::kDifferentTensor;
      r.tensor = t.name;
      r.quantized.clear();
      r.scales.clear();
      return r;
    }
    r.quantized.push_back(quant::dequantize(t, quant::quantize_tensor(t, values[group])));
    r.scales.push_back(t.scale);
    ++group;
  }
  return r;
}

}  // namespace zk::proof
