// The library's entry points below the ONNX importer: setup, prove, verify,
// and the visibility options they share with the command line and bindings
// (src/api/api.h adds compile; inspect.h and opening.h the rest).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "field/error.h"
#include "proof/files.h"

namespace zk::proof {

// A malformed argument to a library call (e.g. a visibility string): the
// caller's mistake rather than a bad file.
class ArgumentError : public Error {
 public:
  using Error::Error;
};

// Who sees each group of tensors. The default is the command line's: the
// input private, the weights committed (the model's identity), the output
// public.
struct GroupVisibility {
  circuit::Visibility input = circuit::Visibility::kPrivate;
  circuit::Visibility weights = circuit::Visibility::kCommitted;
  circuit::Visibility output = circuit::Visibility::kPublic;
  bool operator==(const GroupVisibility&) const = default;
};
const char* visibility_name(circuit::Visibility v);  // "public", "private", "committed"
// "input=V,weights=V,output=V" (any subset, any order) over `base`; throws
// ArgumentError naming the bad group or value.
GroupVisibility parse_visibility(std::string_view spec, GroupVisibility base = {});
// "input=private, weights=committed, output=public"
std::string format_visibility(const GroupVisibility& v);
GroupVisibility visibility_of(const circuit::Circuit& c);

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
// Throws model::ModelError on bad input, circuit::RangeError when a value
// leaves the calibrated range.
ProveResult prove(const ProvingKey& pk, const std::vector<std::vector<float>>& inputs);

// Whether `values` (a committed input or output, as floats, in
// prover::committed_tensors order index k) and `opening` open commitment k
// of the proof. Throws model::ModelError on a tensor of the wrong shape.
bool opens_commitment(const VerifyingKey& vk, const Proof& proof, size_t k,
                      const std::vector<float>& values, const Digest& opening);

// A committed input or output as the proof states it.
struct CommittedTensor {
  std::string name;
  bool input = false;  // else an output
  Digest commitment;
};
// A public input as the proof states it: dequantized, and the SHA-256 of its
// padded integer values (to compare proofs without the values).
struct PublicInput {
  std::string name;
  std::vector<float> values;
  Digest digest;
};

struct VerifyResult {
  bool ok = false;
  std::string reason;  // the failed check and why, when !ok
  std::string check;   // the failed check's name alone (reason up to its first ':')
  std::map<std::string, size_t> bytes_by_kind;  // proof bytes per kind of section, when ok
  // What the proof states (filled when ok): the proven public outputs
  // (dequantized), the public inputs, the commitments, and who sees what.
  std::vector<std::vector<float>> outputs;
  std::vector<PublicInput> public_inputs;
  std::vector<CommittedTensor> commitments;
  GroupVisibility visibility;
};
// public_inputs: when given, the proof's public input must be these (quantized).
[[nodiscard]] VerifyResult verify(const VerifyingKey& vk, const Proof& proof,
                                  const std::vector<std::vector<float>>* public_inputs = nullptr);
// The same from the proof file's bytes: a malformed proof is a rejection
// ("malformed proof: ..."), not an exception.
[[nodiscard]] VerifyResult verify(const VerifyingKey& vk, const std::vector<uint8_t>& proof_bytes,
                                  const std::vector<std::vector<float>>* public_inputs = nullptr,
                                  const std::string& what = "proof");

// The statement's commitments with the tensors they commit to.
std::vector<CommittedTensor> statement_commitments(const circuit::Circuit& c,
                                                   const prover::Statement& st);
// The statement's public outputs, dequantized.
std::vector<std::vector<float>> public_outputs(const circuit::Circuit& c,
                                               const prover::Statement& st);

}  // namespace zk::proof
