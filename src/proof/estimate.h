// What proving a compiled model will cost, before setup: proving time and
// peak memory from a cost model fitted to `make bench-large` on the
// project's 2-core machine (docs/performance.md; within 2x of the measured
// figures on every bench model), proof and proving-key sizes from the
// commitments' parameters (what the prover will send and store).
#pragma once

#include "circuit/circuit.h"

namespace zk::proof {

struct Estimate {
  double prove_ms = 0;     // the whole `prove` command on 2 cores
  double peak_bytes = 0;   // prove's peak memory
  double proof_bytes = 0;  // one proof
  double pk_bytes = 0;     // the proving key file
  double setup_ms = 0;     // the whole `setup` command on 2 cores
};

Estimate estimate(const circuit::Circuit& c);

}  // namespace zk::proof
