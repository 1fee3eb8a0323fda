#include "proof/inspect.h"

namespace zk::proof {

CommitmentInfo commitment_info(const pcs::LigeroParams& p) {
  CommitmentInfo i;
  i.scheme = "Ligero";
  i.rows = p.rows();
  i.cols = p.cols();
  i.message_len = p.message_len();
  i.code_len = p.code_len();
  i.blowup = 1u << p.log_blowup;
  i.rate = static_cast<double>(p.message_len()) / static_cast<double>(p.code_len());
  i.queries = p.queries;
  i.security_bits = pcs::security_bits(p);
  i.hiding = p.hiding();
  return i;
}

CommitmentInfo commitment_info(const prover::ProofCommitment& pc) {
  CommitmentInfo i = commitment_info(pc.params);
  i.name = pc.name;
  i.shared_queries = pc.proximity == prover::Proximity::kShared;
  return i;
}

namespace {
std::vector<CommitmentInfo> infos(const std::vector<prover::ProofCommitment>& pcs) {
  std::vector<CommitmentInfo> out;
  for (const auto& pc : pcs) out.push_back(commitment_info(pc));
  return out;
}
}  // namespace

CircuitSummary summarize(const circuit::Circuit& c) {
  CircuitSummary s;
  s.model_name = c.model_name;
  s.digest = c.digest();
  s.visibility = visibility_of(c);
  s.weight_proofs = c.weight_proofs;
  s.zero_knowledge = prover::zero_knowledge(c);
  s.tables = c.tables.size();
  for (const auto& t : c.tables)
    if (t.kind == circuit::TableKind::kFunction) s.functions.push_back(t.name);
  s.table_bits = c.table_bits;
  for (const auto& n : c.nodes) {
    const auto& o = c.tensors[n.out[0]];
    LayerInfo l;
    l.name = n.layer;
    l.op = circuit::node_type_name(n.type);
    l.output = o.name;
    l.dims = o.dims;
    l.scale = o.scale;
    if (const auto* rq = std::get_if<circuit::RequantParams>(&n.params)) {
      l.requant = true;
      l.shift = rq->shift;
      l.mult = rq->mult;
    }
    s.layers.push_back(std::move(l));
  }
  for (const auto& t : c.tensors) {
    if (t.kind == circuit::TensorKind::kWeight) s.weights += t.numel();
    if (t.kind == circuit::TensorKind::kWitness) s.witness += t.padded_size();
  }
  s.weight_commitment = commitment_info(prover::weight_params(c));
  s.witness_commitment = commitment_info(prover::witness_params(c));
  s.commitments = infos(prover::proof_commitments(c));
  s.soundness = prover::soundness(c);
  s.estimate = estimate(c);
  return s;
}

namespace {

ProofInfo inspect_proof(const std::vector<uint8_t>& bytes, const std::string& what,
                        const VerifyingKey* vk, const std::string& vk_what) {
  ProofInfo info;
  if (!vk) {
    auto h = read_proof_header(bytes, what);
    info.circuit_digest = h.circuit_digest;
    info.weight_root = h.weight_root;
    return info;
  }
  auto p = load_proof(bytes, vk->circuit, what);
  if (p.circuit_digest != vk->circuit.digest() || p.weight_root != vk->weight_root)
    throw FormatError(what + ": this proof was not made for the model of " + vk_what);
  info.circuit_digest = p.circuit_digest;
  info.weight_root = p.weight_root;
  info.decoded = true;
  info.stream_bytes = p.stream.size();
  info.verdict = verify(*vk, p);
  info.commitments = statement_commitments(vk->circuit, p.statement);
  info.claimed_outputs = public_outputs(vk->circuit, p.statement);
  info.parameters = infos(prover::proof_commitments(vk->circuit, &p.statement));
  info.soundness = prover::soundness(vk->circuit);
  return info;
}

}  // namespace

Inspection inspect(const std::vector<uint8_t>& bytes, const std::string& what,
                   const VerifyingKey* vk, const std::string& vk_what) {
  Inspection in;
  in.file_bytes = bytes.size();
  const std::string kind = file_kind(bytes);
  if (kind == "model") {
    in.kind = FileKind::kModel;
    in.circuit = summarize(load_model(bytes, what).circuit);
  } else if (kind == "pk") {
    in.kind = FileKind::kProvingKey;
    auto pk = load_pk(bytes, what);
    in.weight_root = pk.commitment.tree.root();
    in.circuit = summarize(pk.circuit);
  } else if (kind == "vk") {
    in.kind = FileKind::kVerifyingKey;
    auto k = load_vk(bytes, what);
    in.weight_root = k.weight_root;
    in.model_id = k.id();
    in.circuit = summarize(k.circuit);
  } else if (kind == "proof") {
    in.kind = FileKind::kProof;
    in.proof = inspect_proof(bytes, what, vk, vk_what);
  } else {
    throw FormatError(what +
                      ": not a zkinfer file (compiled model, key or proof); an ONNX model "
                      "is inspected under a name ending in .onnx");
  }
  return in;
}

}  // namespace zk::proof
