#include "proof/api.h"

#include "hash/random.h"

namespace zk::proof {

namespace {
VerifyResult reject(std::string why) {
  VerifyResult r;
  r.reason = std::move(why);
  return r;
}
}  // namespace

Keys setup(const quant::CompiledModel& m) {
  Keys k;
  k.pk.circuit = m.circuit;
  k.pk.weights = m.weights;
  if (m.circuit.weight_vis == circuit::Visibility::kCommitted)
    k.pk.weight_seed = Prng().next_digest();
  k.pk.commitment = prover::commit_weights(m.circuit, m.weights, k.pk.weight_seed);
  k.vk.circuit = m.circuit;
  k.vk.weight_root = k.pk.commitment.tree.root();
  return k;
}

ProveResult prove(const ProvingKey& pk, const std::vector<std::vector<float>>& inputs) {
  const auto& c = pk.circuit;
  auto qin = quant::quantize_inputs(c, inputs);
  circuit::Values values = pk.weights;
  values.resize(c.tensors.size());
  for (size_t i = 0; i < qin.size(); ++i) values[c.inputs[i]] = qin[i];
  circuit::execute(c, values);
  ProveResult res;
  auto& st = res.proof.statement;
  if (c.input_vis == circuit::Visibility::kPublic) st.inputs = qin;
  for (int t : c.outputs) {
    if (c.output_vis == circuit::Visibility::kPublic) st.outputs.push_back(values[t]);
    res.outputs.push_back(quant::dequantize(c.tensors[t], values[t]));
  }
  std::vector<prover::Pcs::ProverData> tcs;
  for (int t : prover::committed_tensors(c)) {
    Prng rng;
    Digest seed = rng.next_digest();
    tcs.push_back(prover::commit_tensor(c.tensors[t], values[t], seed));
    st.commitments.push_back(tcs.back().tree.root());
    res.openings.push_back(seed);
  }
  auto ps = prover::prove_stream(c, pk.commitment, values, st, &tcs);
  res.proof.circuit_digest = c.digest();
  res.proof.weight_root = pk.commitment.tree.root();
  res.proof.stream = std::move(ps.bytes);
  res.sections = std::move(ps.sections);
  return res;
}

bool opens_commitment(const VerifyingKey& vk, const Proof& proof, size_t k,
                      const std::vector<float>& values, const Digest& opening) {
  const auto& c = vk.circuit;
  auto ts = prover::committed_tensors(c);
  if (k >= ts.size() || k >= proof.statement.commitments.size()) return false;
  const auto& t = c.tensors[ts[k]];
  auto q = quant::quantize_tensor(t, values);
  return prover::commit_tensor(t, q, opening).tree.root() == proof.statement.commitments[k];
}

VerifyResult verify(const VerifyingKey& vk, const Proof& proof,
                    const std::vector<std::vector<float>>* public_inputs) {
  const auto& c = vk.circuit;
  if (proof.circuit_digest != c.digest())
    return reject(
        "proof was made for a different model (circuit digest differs from the verifying key)");
  if (proof.weight_root != vk.weight_root)
    return reject(
        "proof was made for different weights (weight commitment differs from the verifying key)");
  if (public_inputs) {
    if (c.input_vis == circuit::Visibility::kCommitted)
      return reject(
          "the model's input is committed, not public: check a revealed input against the proof's "
          "commitment with zkinfer open-commitment");
    if (c.input_vis != circuit::Visibility::kPublic)
      return reject("the model's input is private, not public: no input can be checked");
    std::vector<std::vector<int64_t>> q;
    try {
      q = quant::quantize_inputs(c, *public_inputs);
    } catch (const std::exception& e) {
      return reject(std::string("public input: ") + e.what());
    }
    if (q != proof.statement.inputs)
      return reject("public input does not match the input the proof was made for");
  }
  for (const auto& in : proof.statement.inputs)
    for (auto x : in)
      if (x > circuit::kMaxInputMagnitude || x < -circuit::kMaxInputMagnitude)
        return reject("public input: a value is out of the provable range");
  try {
    std::map<std::string, size_t> breakdown;
    prover::verify_stream(c, vk.weight_root, proof.statement, proof.stream, &breakdown);
    VerifyResult ok;
    ok.ok = true;
    ok.bytes_by_kind = std::move(breakdown);
    return ok;
  } catch (const VerifyError& e) {
    return reject(e.what());
  } catch (const std::bad_alloc&) {
    return reject("verification ran out of memory (the verifying key asks for too much work)");
  } catch (const std::exception& e) {
    return reject(std::string("verification failed: ") + e.what());
  } catch (...) {
    return reject("verification failed");
  }
}

}  // namespace zk::proof
