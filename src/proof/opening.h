// Opening commitments after the fact: a revealed compiled model against the
// weight commitment of a verifying key, and a revealed input or output against
// the commitment a proof carries, with the secret kept in the opening file
// that `prove` writes (JSON: per committed tensor its name, kind, commitment
// and secret seed).
#pragma once

#include <string>
#include <vector>

#include "proof/api.h"

namespace zk::proof {

struct OpeningEntry {
  std::string tensor;
  bool input = false;  // else an output
  Digest commitment;
  Digest secret;  // with the tensor, recomputes the commitment
};

// The opening file's text for a proof made by prove() with this circuit.
std::string write_opening(const circuit::Circuit& c, const ProveResult& r);
// Throws FormatError naming `what` when the text is not an opening file.
std::vector<OpeningEntry> parse_opening(const std::string& text, const std::string& what);

enum class Match {
  kMatches,
  kDifferentCircuit,  // the model's circuit is not the key's
  kDifferentWeights,  // same circuit, other weights (or another commitment secret)
  kDifferentTensor,   // the revealed input/output is not the committed one
  kProofRejected,     // the proof does not verify against the key: it states nothing
};
struct OpenResult {
  Match match = Match::kMatches;
  std::string tensor;  // kDifferentTensor: the committed tensor that did not open
  std::string reason;  // kProofRejected: the failed check, as verify() names it
  Digest weight_root;  // the recomputed weight commitment (model openings)
  // Tensor openings: what was committed is the quantized tensor, so every
  // float tensor that rounds to it matches. These are the values that
  // matched (per opened tensor, in order) on the circuit's fixed-point grid,
  // dequantized; set when kMatches.
  std::vector<std::vector<float>> quantized;
  std::vector<int> scales;  // each opened tensor's grid: multiples of 2^-scale
};

// Whether `m` is the model `vk` commits to. With weights=committed the
// commitment is hiding and opens with the proving key's secret (`pk`);
// throws ArgumentError when it is needed and missing.
OpenResult open_model_commitment(const VerifyingKey& vk, const quant::CompiledModel& m,
                                 const ProvingKey* pk = nullptr);

// Whether `values` (the model's committed inputs, or its committed outputs,
// in order), quantized at the circuit's scales, are the ones committed in
// `proof`, with the secrets of `opening`. The proof is verified against `vk`
// first (a commitment in a proof that does not verify, or that was made for
// another model, vouches for nothing): kProofRejected names the failed check.
// Throws ArgumentError when the model commits to no such tensor, FormatError
// (naming `what`) when a secret or a tensor is missing.
OpenResult open_tensor_commitment(const VerifyingKey& vk, const Proof& proof,
                                  const std::vector<OpeningEntry>& opening, bool input,
                                  const std::vector<std::vector<float>>& values,
                                  const std::string& opening_what = "opening",
                                  const std::string& values_what = "values");

}  // namespace zk::proof
