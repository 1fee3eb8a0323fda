// The proof budget of a committed-weights proving key. A hiding commitment
// to the weights that every proof opens reveals fresh columns of one fixed
// codeword each time: after its --max-proofs N proofs, further ones would let
// anyone recover the weights exactly (docs/SECURITY.md, "Committed weights").
// A counter file next to the proving key (PK.used, owner-only, replaced
// atomically, updated under a lock on the key) counts every proof attempted
// with that key — before proving, so failed and interrupted proofs count too
// — and refuses the (N+1)th. It protects an honest key holder from
// accidental overuse; it cannot stop one who copies the key without it.
#pragma once

#include <cstdint>
#include <string>

#include "field/error.h"
#include "proof/files.h"

namespace zk::proof {

class BudgetError : public Error {
 public:
  using Error::Error;
};

// The counter file of the proving key at pk_path.
std::string budget_path(const std::string& pk_path);

struct Budget {
  uint32_t used = 0;  // proofs attempted with this key (this one included, after reserve)
  uint32_t max = 0;   // the key's --max-proofs
  uint32_t left() const { return max - used; }
  // Fewer than 10% of the proofs are left.
  bool low() const { return uint64_t{left()} * 10 < max; }
};

// Setup: starts the count of a new proving key at zero (weights=committed;
// other keys have no budget and no file).
void start_budget(const std::string& pk_path, const ProvingKey& pk);

// Prove: counts one more proof of the key at pk_path and returns the count, or
// throws BudgetError when all N are used (saying how to go on) or when the
// counter is missing, unreadable or belongs to another key. Keys without
// committed weights have no budget: returns {0, 0} and writes nothing.
Budget reserve_proof(const std::string& pk_path, const ProvingKey& pk);

}  // namespace zk::proof
