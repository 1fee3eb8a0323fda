// Formatting of results for the terminal: vectors, sizes, bits, and the
// inspection of models, keys and proofs (data from src/proof/inspect.h).
#include "cli/format.h"

#include <cmath>
#include <cstdio>
#include <sstream>

#include "field/error.h"
#include "field/printable.h"
#include "hash/sha256.h"

namespace zk::cli {

std::string fmt_vec(const std::vector<float>& v, size_t limit) {
  std::ostringstream s;
  s << "[";
  for (size_t i = 0; i < v.size() && i < limit; ++i) {
    if (i) s << ", ";
    char b[32];
    std::snprintf(b, sizeof b, "%.4f", v[i]);
    s << b;
  }
  if (v.size() > limit) s << ", ... (" << v.size() << " values)";
  s << "]";
  return s.str();
}

size_t argmax(const std::vector<float>& v) {
  size_t b = 0;
  for (size_t i = 1; i < v.size(); ++i)
    if (v[i] > v[b]) b = i;
  return b;
}

std::string human_bytes(size_t n) {
  char b[32];
  if (n >= (1u << 20))
    std::snprintf(b, sizeof b, "%.2f MB", n / 1048576.0);
  else if (n >= 1024)
    std::snprintf(b, sizeof b, "%.1f KB", n / 1024.0);
  else
    std::snprintf(b, sizeof b, "%zu B", n);
  return b;
}

// Bits to one decimal, rounded down (never overstating a security level).
std::string bits_str(double bits) {
  char b[32];
  std::snprintf(b, sizeof b, "%.1f", std::floor(bits * 10) / 10);
  return b;
}

// Every commitment's parameters as the prover uses them, and the whole
// proof's soundness with its terms (prover::soundness), from the library.
void print_parameters(const std::vector<proof::CommitmentInfo>& cs, const prover::Soundness& s,
                      std::ostream& out) {
  out << "commitments (Ligero, SHA-256 Merkle tree, challenges in Fp2, |F| = p^2 ~ 2^128):\n";
  for (const auto& p : cs) {
    char rate[32];
    std::snprintf(rate, sizeof rate, "%.3f", p.rate);
    out << "  " << printable(p.name) << ": " << p.rows << " x " << p.cols << ", message "
        << p.message_len << " -> code " << p.code_len << " symbols (blowup " << p.blowup
        << ", rate " << rate << "), " << p.queries << " queries"
        << (p.shared_queries ? " (opened at the columns the weights' queries draw)"
                             : ", " + bits_str(p.security_bits) + " bits (query test)")
        << (p.hiding ? ", hiding" : "") << "\n";
  }
  out << "soundness: " << bits_str(s.bits)
      << " bits for the whole proof (union bound over these terms):\n";
  for (const auto& t : s.terms)
    out << "  " << printable(t.name) << ": 2^-" << bits_str(-std::log2(t.error)) << " ("
        << t.formula << "; " << t.count << ")\n";
}

void print_circuit(const proof::CircuitSummary& c, std::ostream& out) {
  out << "model: " << (c.model_name.empty() ? "(unnamed)" : printable(c.model_name)) << "\n"
      << "circuit digest: " << digest_hex(c.digest) << "\n"
      << "visibility: " << proof::format_visibility(c.visibility)
      << (c.visibility.weights == circuit::Visibility::kCommitted
              ? " (weights hidden for up to " + std::to_string(c.weight_proofs) + " proofs)"
              : std::string())
      << "\n"
      << "lookup tables: " << c.tables << " x 2^" << c.table_bits << " rows\n";
  for (const auto& f : c.functions) out << "  " << printable(f) << "\n";
  out << "layers:\n";
  for (const auto& l : c.layers) {
    out << "  " << printable(l.name) << ": " << printable(l.op) << " -> " << printable(l.output)
        << " [";
    for (size_t i = 0; i < l.dims.size(); ++i) out << (i ? "," : "") << l.dims[i];
    out << "] scale 2^-" << l.scale;
    if (l.requant) out << ", shift " << l.shift << ", mult " << l.mult;
    out << "\n";
  }
  out << "weights: " << c.weights << " values; committed witness per proof: " << c.witness
      << " values\n";
  print_estimate(c.estimate, out);
  print_parameters(c.commitments, c.soundness, out);
}

void print_estimate(const proof::Estimate& e, std::ostream& out) {
  auto secs = [](double ms) {
    std::ostringstream s;
    s.precision(ms < 1000 ? 0 : 2);
    s << std::fixed << (ms < 1000 ? ms : ms / 1000) << (ms < 1000 ? " ms" : " s");
    return s.str();
  };
  out << "expected on 2 cores (a cost model fitted to make bench-large, within 2x there): prove "
      << secs(e.prove_ms) << ", peak memory " << human_bytes(static_cast<size_t>(e.peak_bytes))
      << ", proof " << human_bytes(static_cast<size_t>(e.proof_bytes)) << ", proving key "
      << human_bytes(static_cast<size_t>(e.pk_bytes)) << ", setup " << secs(e.setup_ms) << "\n";
}

void print_proof(const proof::ProofInfo& p, const std::string& vk_path, std::ostream& out) {
  out << "circuit digest: " << digest_hex(p.circuit_digest) << "\n"
      << "weight commitment: " << digest_hex(p.weight_root) << "\n";
  if (!p.decoded) {
    out << "(pass --vk MODEL.vk to decode the statement)\n";
    return;
  }
  out << "protocol messages: " << human_bytes(p.stream_bytes) << "\n"
      << "verifies against " << vk_path << ": "
      << (p.verdict.ok ? "yes" : "NO (" + printable(p.verdict.reason, Error::kMaxMessage) + ")")
      << "\n";
  for (const auto& [kind, n] : p.verdict.bytes_by_kind)
    out << "  " << kind << " messages: " << human_bytes(n) << "\n";
  for (const auto& t : p.commitments)
    out << (t.input ? "input" : "output") << " commitment: " << digest_hex(t.commitment) << "\n";
  for (size_t i = 0; i < p.claimed_outputs.size(); ++i)
    out << "claimed output " << i << ": " << fmt_vec(p.claimed_outputs[i]) << "\n";
  print_parameters(p.parameters, p.soundness, out);
}

}  // namespace zk::cli
