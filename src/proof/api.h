// The library's entry points: setup, prove, verify.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "proof/files.h"

namespace zk::proof {

struct Keys {
  ProvingKey pk;
  VerifyingKey vk;
};
// Commits to the weights: the commitment is the model's public identity.
Keys setup(const quant::CompiledModel& m);

struct ProveResult {
  Proof proof;
  std::vector<std::vector<float>> outputs;  // dequantized
  std::vector<ProofSection> sections;       // labelled byte ranges of proof.stream
  // The secret that opens each commitment in proof.statement.commitments
  // (with the tensor itself): keep it to reveal the tensor later.
  std::vector<Digest> openings;
};
// Throws quant::ModelError on bad input, circuit::RangeError when a value
// leaves the calibrated range.
ProveResult prove(const ProvingKey& pk, const std::vector<std::vector<float>>& inputs);

// Whether `values` (a committed input or output, as floats, in
// prover::committed_tensors order index k) and `opening` open commitment k
// of the proof. Throws quant::ModelError on a tensor of the wrong shape.
bool opens_commitment(const VerifyingKey& vk, const Proof& proof, size_t k,
                      const std::vector<float>& values, const Digest& opening);

struct VerifyResult {
  bool ok = false;
  std::string reason;                           // the failed check, when !ok
  std::map<std::string, size_t> bytes_by_kind;  // proof bytes per kind of section, when ok
};
// public_inputs: when given, the proof's public input must be these (quantized).
[[nodiscard]] VerifyResult verify(const VerifyingKey& vk, const Proof& proof,
                                  const std::vector<std::vector<float>>* public_inputs = nullptr);

}  // namespace zk::proof
