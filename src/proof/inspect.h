// What a compiled model, key or proof holds, as data: the command line's
// `inspect` prints it, bindings return it. Commitment parameters are the ones
// the prover really uses (zero-knowledge proofs commit their witness with
// hiding parameters sized by the proof's pads).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "proof/api.h"

namespace zk::proof {

struct CommitmentInfo {
  std::string scheme;  // the polynomial commitment's name
  size_t rows = 0, cols = 0;
  unsigned rate_inverse = 0;  // the code's rate is 1 / rate_inverse
  unsigned queries = 0;
  double security_bits = 0;  // of the proximity test (the challenge field has 128)
  bool hiding = false;
};
CommitmentInfo commitment_info(const pcs::LigeroParams& p);

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
  unsigned table_bits = 0;
  std::vector<LayerInfo> layers;
  size_t weights = 0;  // weight values (padded)
  size_t witness = 0;  // committed witness values per proof (padded)
  CommitmentInfo weight_commitment, witness_commitment;
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
