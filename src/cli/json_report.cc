#include "cli/json_report.h"

#include "field/error.h"

namespace zk::cli {

namespace {

using nlohmann::json;

json visibility_json(const proof::GroupVisibility& v) {
  return {{"input", proof::visibility_name(v.input)},
          {"weights", proof::visibility_name(v.weights)},
          {"output", proof::visibility_name(v.output)}};
}

json commitments_json(const std::vector<proof::CommittedTensor>& ts) {
  json a = json::array();
  for (const auto& t : ts)
    a.push_back({{"name", t.name},
                 {"kind", t.input ? "input" : "output"},
                 {"commitment", digest_hex(t.commitment)}});
  return a;
}

json outputs_json(const std::vector<proof::NamedTensor>& ts) {
  json a = json::array();
  for (const auto& t : ts)
    a.push_back({{"name", t.name}, {"shape", t.shape}, {"values", t.values}});
  return a;
}

json parameters_json(const std::vector<proof::CommitmentInfo>& cs, const prover::Soundness& s) {
  json commitments = json::array();
  for (const auto& p : cs)
    commitments.push_back(
        {{"name", p.name},
         {"scheme", p.scheme},
         {"rows", p.rows},
         {"cols", p.cols},
         {"message_len", p.message_len},
         {"code_len", p.code_len},
         {"blowup", p.blowup},
         {"rate", p.rate},
         {"queries", p.queries},
         {"security_bits", p.shared_queries ? json(nullptr) : json(p.security_bits)},
         {"hiding", p.hiding},
         {"shared_queries", p.shared_queries}});
  json terms = json::array();
  for (const auto& t : s.terms)
    terms.push_back(
        {{"name", t.name}, {"formula", t.formula}, {"count", t.count}, {"error", t.error}});
  return {{"commitments", commitments},
          {"soundness", {{"bits", s.bits}, {"error", s.error}, {"terms", terms}}}};
}

json circuit_json(const proof::CircuitSummary& c) {
  json layers = json::array();
  for (const auto& l : c.layers) {
    json j = {{"name", l.name},
              {"op", l.op},
              {"output", l.output},
              {"shape", l.dims},
              {"scale", l.scale}};
    if (l.requant) {
      j["shift"] = l.shift;
      j["mult"] = l.mult;
    }
    layers.push_back(std::move(j));
  }
  json j = {{"model_name", c.model_name.empty() ? json(nullptr) : json(c.model_name)},
            {"circuit_digest", digest_hex(c.digest)},
            {"visibility", visibility_json(c.visibility)},
            {"zero_knowledge", c.zero_knowledge},
            {"lookup_tables", c.tables},
            {"table_bits", c.table_bits},
            {"functions", c.functions},
            {"layers", layers},
            {"weights", c.weights},
            {"witness", c.witness},
            {"estimate",
             {{"prove_ms", c.estimate.prove_ms},
              {"setup_ms", c.estimate.setup_ms},
              {"peak_bytes", c.estimate.peak_bytes},
              {"proof_bytes", c.estimate.proof_bytes},
              {"pk_bytes", c.estimate.pk_bytes}}}};
  if (c.visibility.weights == circuit::Visibility::kCommitted) j["weight_proofs"] = c.weight_proofs;
  j.update(parameters_json(c.commitments, c.soundness));
  return j;
}

json proof_json(const proof::ProofInfo& p) {
  json j = {{"circuit_digest", digest_hex(p.circuit_digest)},
            {"weight_commitment", digest_hex(p.weight_root)},
            {"decoded", p.decoded}};
  if (!p.decoded) return j;
  j["protocol_bytes"] = p.stream_bytes;
  j["accepted"] = p.verdict.ok;
  j["reason"] = p.verdict.ok ? json(nullptr) : json(p.verdict.reason);
  j["bytes_by_kind"] = p.verdict.bytes_by_kind;
  j["commitments"] = commitments_json(p.commitments);
  j["claimed_outputs"] = p.claimed_outputs;
  j.update(parameters_json(p.parameters, p.soundness));
  return j;
}

}  // namespace

std::vector<proof::NamedTensor> named_outputs(const circuit::Circuit& c,
                                              const std::vector<std::vector<float>>& values) {
  std::vector<proof::NamedTensor> out;
  for (size_t i = 0; i < values.size() && i < c.outputs.size(); ++i) {
    const auto& t = c.tensors[c.outputs[i]];
    out.push_back({t.name, t.dims, values[i]});
  }
  return out;
}

json verify_json(const proof::VerifyingKey& vk, const proof::VerifyResult& r, size_t proof_bytes,
                 double verify_ms) {
  json inputs = json::array();
  for (const auto& in : r.public_inputs) {
    const auto& c = vk.circuit;
    json shape = json::array();
    for (int t : c.inputs)
      if (c.tensors[t].name == in.name) shape = c.tensors[t].dims;
    inputs.push_back({{"name", in.name}, {"shape", shape}, {"digest", digest_hex(in.digest)}});
  }
  return {{"accepted", r.ok},
          {"failed_check", r.ok ? json(nullptr) : json(r.check)},
          {"reason", r.ok ? json(nullptr) : json(r.reason)},
          {"model_digest", digest_hex(vk.circuit.digest())},
          {"weight_commitment", digest_hex(vk.weight_root)},
          {"model_id", digest_hex(vk.id())},
          {"visibility", visibility_json(proof::visibility_of(vk.circuit))},
          {"outputs", outputs_json(named_outputs(vk.circuit, r.outputs))},
          {"public_inputs", inputs},
          {"commitments", commitments_json(r.commitments)},
          {"proof_bytes", proof_bytes},
          {"verify_ms", verify_ms}};
}

const char* kind_name(proof::FileKind k) {
  const char* kinds[] = {"compiled model", "proving key", "verifying key", "proof"};
  return kinds[static_cast<int>(k)];
}

json inspection_json(const proof::Inspection& in) {
  json j = {{"kind", kind_name(in.kind)}, {"file_bytes", in.file_bytes}};
  if (in.weight_root) j["weight_commitment"] = digest_hex(*in.weight_root);
  if (in.model_id) j["model_id"] = digest_hex(*in.model_id);
  if (in.circuit) j["circuit"] = circuit_json(*in.circuit);
  if (in.proof) j["proof"] = proof_json(*in.proof);
  return j;
}

}  // namespace zk::cli
