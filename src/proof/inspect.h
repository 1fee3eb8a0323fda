// What a compiled model, key or proof holds, as data: the command line's
// `inspect` prints it, bindings return it. Commitment parameters are the ones
// the prover really uses (zero-knowledge proofs commit their witness with
// hiding parameters sized by the proof's pads).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "proof/api.h"
#include "proof/estimate.h"
#include "prover/soundness.h"

namespace zk::proof {

struct CommitmentInfo {
  std::string name;    // what it commits to (prover::proof_commitments)
  std::string scheme;  // the polynomial commitment's name
  size_t rows = 0, cols = 0;
  // Each row's Reed-Solomon message (cols, plus random coefficients when
  // hiding) is encoded to code_len = cols * blowup symbols: the code's rate
  // is message_len / code_len, below 1 / blowup when hiding.
  size_t message_len = 0, code_len = 0;
  unsigned blowup = 0;
  double rate = 0;
  unsigned queries = 0;
  double security_bits = 0;  // of the query test (the challenge field has 128)
  bool hiding = false;
  bool shared_queries = false;  // opened at another commitment's columns (its queries)
};
CommitmentInfo commitment_info(const pcs::LigeroParams& p);
CommitmentInfo commitment_info(const prover::ProofCommitment& pc);

struct LayerInfo {
  std::string name;  // the layer (ONNX node) it comes from
  std::string op;    // circuit node type
  std::string output;
  std::vector<int64_t> dims;  // the output's logical dims
  int32_t scale = 0;          // the output is value * 2^-scale
  bool requant = false;       // then shift and mult apply
  int32_t shift = 0;
  int64_t mult = 0;
};

struct CircuitSummary {
  std::string model_name;
  Digest digest;
  GroupVisibility visibility;
  uint32_t weight_proofs = 0;  // weights=committed: proofs the weights stay hidden for
  bool zero_knowledge = false;
  size_t tables = 0;
  std::vector<std::string> functions;  // the function tables: what each computes, its scales
  unsigned table_bits = 0;
  std::vector<LayerInfo> layers;
  size_t weights = 0;  // weight values (padded)
  size_t witness = 0;  // committed witness values per proof (padded)
  CommitmentInfo weight_commitment, witness_commitment;
  // Every commitment a proof opens, as the prover makes it, and the whole
  // proof's soundness (prover::soundness).
  std::vector<CommitmentInfo> commitments;
  prover::Soundness soundness;
  Estimate estimate;  // expected cost on 2 cores (proof/estimate.h)
};
CircuitSummary summarize(const circuit::Circuit& c);

struct ProofInfo {
  Digest circuit_digest, weight_root;
  // With the verifying key only:
  bool decoded = false;
  size_t stream_bytes = 0;  // protocol messages
  VerifyResult verdict;
  std::vector<CommittedTensor> commitments;
  std::vector<std::vector<float>> claimed_outputs;  // public outputs, dequantized
  // The commitments this proof opens, with the parameters its prover used
  // (the witness's sized by this proof's statement), and the soundness.
  std::vector<CommitmentInfo> parameters;
  prover::Soundness soundness;
};

enum class FileKind { kModel, kProvingKey, kVerifyingKey, kProof };

struct Inspection {
  FileKind kind = FileKind::kModel;
  size_t file_bytes = 0;
  std::optional<CircuitSummary> circuit;  // model and keys
  std::optional<Digest> weight_root;      // keys
  std::optional<Digest> model_id;         // verifying key
  std::optional<ProofInfo> proof;
};
// Parses the whole file before returning (a bad file throws FormatError, never
// a partial result). A proof is decoded and verified only with `vk`; a proof
// made for another model than `vk` is a FormatError.
Inspection inspect(const std::vector<uint8_t>& bytes, const std::string& what,
                   const VerifyingKey* vk = nullptr, const std::string& vk_what = "verifying key");

}  // namespace zk::proof
