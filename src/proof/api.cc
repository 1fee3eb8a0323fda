#include "proof/api.h"

#include <algorithm>

#include "field/progress.h"
#include "hash/random.h"

namespace zk::proof {

namespace {
VerifyResult reject(std::string why) {
  VerifyResult r;
  r.check = why.substr(0, why.find(':'));
  r.reason = std::move(why);
  return r;
}

// What an accepted proof states, for the caller to show.
void describe_statement(const circuit::Circuit& c, const prover::Statement& st, VerifyResult& r) {
  r.visibility = visibility_of(c);
  r.outputs = public_outputs(c, st);
  r.commitments = statement_commitments(c, st);
  for (size_t i = 0; i < st.inputs.size() && i < c.inputs.size(); ++i) {
    const auto& t = c.tensors[c.inputs[i]];
    ByteWriter w;
    for (auto x : st.inputs[i]) w.i64(x);
    r.public_inputs.push_back({t.name, quant::dequantize(t, st.inputs[i]), sha256(w.buf())});
  }
}
// A committed output opens later from its logical values, padded with
// zeros (opens_commitment), so its padding must be zero. Where the circuit
// leaves an output's padding free the prover zeroes it: a requantized output
// through an activation table enters only the table lookups, which select
// valid positions, and, read by no other node, nothing else (a bias through
// ReLU or sigmoid(0) made it non-zero, and such an output never opened).
// Any other committed output must be zero there already: a proof whose
// commitment could never be opened is refused.
void zero_output_padding(const circuit::Circuit& c, circuit::Values& values) {
  for (int t : c.outputs) {
    const auto& tt = c.tensors[t];
    bool free = false;
    if (tt.producer >= 0) {
      const auto& n = c.nodes[tt.producer];
      free = n.type == circuit::NodeType::kRequant && n.out[0] == t && n.out[1] >= 0 &&
             n.p<circuit::RequantParams>().table >= 0;
      for (const auto& m : c.nodes)
        free = free && std::find(m.in.begin(), m.in.end(), t) == m.in.end();
    }
    auto& v = values[t];
    for (size_t i = 0; i < v.size(); ++i) {
      if (v[i] == 0 || circuit::is_valid_index(tt, i)) continue;
      if (free) {
        v[i] = 0;
      } else if (c.output_vis == circuit::Visibility::kCommitted) {
        throw model::ModelError("output '" + tt.name +
                                "' cannot be committed: the circuit computes non-zero values at "
                                "its padded positions, so the commitment could never be opened; "
                                "compile with output=public or output=private");
      }
    }
  }
}

}  // namespace

const char* visibility_name(circuit::Visibility v) {
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

GroupVisibility parse_visibility(std::string_view spec, GroupVisibility base) {
  size_t start = 0;
  while (start <= spec.size()) {
    size_t end = std::min(spec.find(',', start), spec.size());
    std::string item(spec.substr(start, end - start));
    start = end + 1;
    if (item.empty() && end == spec.size()) break;  // a trailing comma
    auto eq = item.find('=');
    if (eq == std::string::npos)
      throw ArgumentError("visibility expects GROUP=VALUE pairs, got '" + item + "'");
    std::string k = item.substr(0, eq), v = item.substr(eq + 1);
    circuit::Visibility vis;
    if (v == "public")
      vis = circuit::Visibility::kPublic;
    else if (v == "private")
      vis = circuit::Visibility::kPrivate;
    else if (v == "committed")
      vis = circuit::Visibility::kCommitted;
    else
      throw ArgumentError("visibility must be public, private or committed, got '" + v + "'");
    if (k == "input")
      base.input = vis;
    else if (k == "weights")
      base.weights = vis;
    else if (k == "output")
      base.output = vis;
    else
      throw ArgumentError("visibility group must be input, weights or output, got '" + k + "'");
  }
  return base;
}

std::string format_visibility(const GroupVisibility& v) {
  return std::string("input=") + visibility_name(v.input) +
         ", weights=" + visibility_name(v.weights) + ", output=" + visibility_name(v.output);
}

GroupVisibility visibility_of(const circuit::Circuit& c) {
  return {c.input_vis, c.weight_vis, c.output_vis};
}

std::vector<CommittedTensor> statement_commitments(const circuit::Circuit& c,
                                                   const prover::Statement& st) {
  std::vector<CommittedTensor> out;
  auto ts = prover::committed_tensors(c);
  for (size_t k = 0; k < ts.size() && k < st.commitments.size(); ++k) {
    const auto& t = c.tensors[ts[k]];
    out.push_back({t.name, t.kind == circuit::TensorKind::kInput, st.commitments[k]});
  }
  return out;
}

std::vector<std::vector<float>> public_outputs(const circuit::Circuit& c,
                                               const prover::Statement& st) {
  std::vector<std::vector<float>> out;
  for (size_t i = 0; i < st.outputs.size() && i < c.outputs.size(); ++i)
    out.push_back(quant::dequantize(c.tensors[c.outputs[i]], st.outputs[i]));
  return out;
}

Keys setup(const quant::CompiledModel& m) {
  report_progress("committing to the weights", 0.0);
  Keys k;
  k.pk.circuit = m.circuit;
  k.pk.weights = m.weights;
  if (m.circuit.weight_vis == circuit::Visibility::kCommitted)
    k.pk.weight_seed = Prng().next_digest();
  k.pk.commitment = prover::commit_weights(m.circuit, m.weights, k.pk.weight_seed);
  k.vk.circuit = m.circuit;
  k.vk.weight_root = k.pk.commitment.tree.root();
  report_progress("done", 1.0);
  return k;
}

ProveResult prove(const ProvingKey& pk, const std::vector<std::vector<float>>& inputs) {
  const auto& c = pk.circuit;
  report_progress("executing the model", 0.0);
  auto qin = quant::quantize_inputs(c, inputs);
  circuit::Values values = pk.weights;
  values.resize(c.tensors.size());
  for (size_t i = 0; i < qin.size(); ++i) values[c.inputs[i]] = qin[i];
  circuit::execute(c, values);
  zero_output_padding(c, values);
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
  report_progress("done", 1.0);
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
    describe_statement(c, proof.statement, ok);
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

VerifyResult verify(const VerifyingKey& vk, const std::vector<uint8_t>& proof_bytes,
                    const std::vector<std::vector<float>>* public_inputs, const std::string& what) {
  Proof p;
  try {
    p = load_proof(proof_bytes, vk.circuit, what);
  } catch (const FormatError& e) {
    return reject(std::string("malformed proof: ") + e.what());
  }
  return verify(vk, p, public_inputs);
}

}  // namespace zk::proof
