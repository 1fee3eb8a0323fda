// Formatting of results for the terminal (used by cli.cc): vectors, sizes,
// bits, and inspect's printing of models, keys and proofs.
#pragma once

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

#include "api/api.h"

namespace zk::cli {

std::string fmt_vec(const std::vector<float>& v, size_t limit = 10);
size_t argmax(const std::vector<float>& v);
std::string human_bytes(size_t n);
// Bits to one decimal, rounded down (never overstating a security level).
std::string bits_str(double bits);
// Every commitment's parameters and the whole proof's soundness terms.
void print_parameters(const std::vector<proof::CommitmentInfo>& cs, const prover::Soundness& s,
                      std::ostream& out);
void print_estimate(const proof::Estimate& e, std::ostream& out);
void print_circuit(const proof::CircuitSummary& c, std::ostream& out);
void print_proof(const proof::ProofInfo& p, const std::string& vk_path, std::ostream& out);

}  // namespace zk::cli
