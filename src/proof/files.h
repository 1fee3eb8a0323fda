// Versioned binary files: compiled model (.zkc), proving key (.pk), verifying
// key (.vk) and proof. Each starts with a magic and a version; keys and
// compiled models end with a SHA-256 checksum so corruption is reported as
// such. Every length is checked against limits before allocation. The proof
// carries no checksum: the verifier itself must reject any change to it.
#pragma once

#include <string>
#include <vector>

#include "proof/tensor_io.h"
#include "prover/protocol.h"
#include "quant/quantize.h"

namespace zk::proof {

// 4: Ligero openings draw queries for 105 bits each (the verifier's parameters
// changed; issue 8, finding 8).
// 5: weight tensors in pieces, and Ligero commitments keep only the rows that
// hold data (the verifier's parameters changed).
inline constexpr uint32_t kFormatVersion = 5;
// Compiled models (.zkc): unchanged since 4.
inline constexpr uint32_t kModelFormatVersion = 4;
// Proving keys: 5 keeps the encoded weights apart, page-aligned and outside
// the checksum, so proving maps them instead of reading them; weights are
// stored at their width.
inline constexpr uint32_t kPkFormatVersion = 5;

struct ProvingKey {
  circuit::Circuit circuit;
  circuit::Values weights;
  prover::Pcs::ProverData commitment;
  Digest weight_seed;  // weights=committed: the commitment's randomness (keep secret)
};

struct VerifyingKey {
  circuit::Circuit circuit;
  Digest weight_root;
  Digest id() const;  // the model's public identity: digest of circuit and weight commitment
};

struct Proof {
  Digest circuit_digest, weight_root;
  prover::Statement statement;
  std::vector<uint8_t> stream;
};

std::vector<uint8_t> read_file(const std::string& path, uint64_t limit = uint64_t{1} << 32);
// Atomic (write_file_atomic, proof/tensor_io.h).
void write_file(const std::string& path, const std::vector<uint8_t>& bytes,
                FileMode mode = FileMode::kShared);

std::vector<uint8_t> save_model(const quant::CompiledModel& m);
quant::CompiledModel load_model(const std::vector<uint8_t>& bytes, const std::string& what);
// A proving key in memory (tests, inspect) or written straight to `path`
// (mode 0600, atomic); load_pk_file maps the file: the encoded weights are
// read from disk only where an opening needs them.
std::vector<uint8_t> save_pk(const ProvingKey& pk);
void write_pk(const std::string& path, const ProvingKey& pk);
ProvingKey load_pk(const std::vector<uint8_t>& bytes, const std::string& what);
ProvingKey load_pk_file(const std::string& path);
std::vector<uint8_t> save_vk(const VerifyingKey& vk);
VerifyingKey load_vk(const std::vector<uint8_t>& bytes, const std::string& what);
std::vector<uint8_t> save_proof(const Proof& p);
// Parses a proof for the circuit of `vk` (sizes come from the circuit).
Proof load_proof(const std::vector<uint8_t>& bytes, const circuit::Circuit& c,
                 const std::string& what);

// The model a proof was made for, read without its verifying key.
struct ProofHeader {
  Digest circuit_digest, weight_root;
};
ProofHeader read_proof_header(const std::vector<uint8_t>& bytes, const std::string& what);

// Which kind of file this is, from its magic ("" if none).
std::string file_kind(const std::vector<uint8_t>& bytes);

}  // namespace zk::proof
