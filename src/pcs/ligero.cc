#include "pcs/ligero.h"

#include <cassert>
#include <cmath>

#include "field/ntt.h"

namespace zk::pcs {

LigeroParams choose_params(unsigned num_vars) {
  LigeroParams best;
  double best_size = 1e300;
  for (unsigned a = 0; a <= num_vars; ++a) {
    LigeroParams p;
    p.log_rows = a;
    p.log_cols = num_vars - a;
    double size = 2.0 * p.cols() * 16 + p.queries * (p.rows() * 8.0 + 32.0 * (p.log_cols + p.log_blowup));
    if (size < best_size) {
      best_size = size;
      best = p;
    }
  }
  return best;
}

double security_bits(const LigeroParams& p) {
  // Unique-decoding regime: a committed matrix that is not close to the code
  // survives each query with probability at most 1 - delta, delta = (1 - rho)/2.
  double rho = 1.0 / (1u << p.log_blowup);
  double delta = (1.0 - rho) / 2.0;
  return -static_cast<double>(p.queries) * std::log2(1.0 - delta);
}

namespace {

Digest hash_column(const Fp* col, size_t rows) {
  return sha256(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(col), rows * 8));
}

// Encodes a vector of extension elements (each coordinate separately: the code is F_p-linear).
std::vector<Fp2> encode_ext(const std::vector<Fp2>& msg, unsigned log_blowup) {
  std::vector<Fp> a(msg.size()), b(msg.size());
  for (size_t i = 0; i < msg.size(); ++i) {
    a[i] = msg[i].a;
    b[i] = msg[i].b;
  }
  auto ea = rs_encode(a.data(), a.size(), size_t{1} << log_blowup);
  auto eb = rs_encode(b.data(), b.size(), size_t{1} << log_blowup);
  std::vector<Fp2> out(ea.size());
  for (size_t i = 0; i < ea.size(); ++i) out[i] = Fp2(ea[i], eb[i]);
  return out;
}

std::vector<Fp2> combine_rows(const LigeroProverData& d, const std::vector<Fp2>& coeffs) {
  size_t cols = d.params.cols();
  std::vector<Fp2> out(cols);
  for (size_t i = 0; i < d.params.rows(); ++i) {
    const Fp* row = d.values.data() + i * cols;
    Fp2 c = coeffs[i];
    if (c.is_zero()) continue;
    for (size_t j = 0; j < cols; ++j) out[j] += c * row[j];
  }
  return out;
}

std::vector<Fp2> proximity_coeffs(Fp2 gamma, size_t rows) {
  std::vector<Fp2> g(rows);
  Fp2 x = Fp2::one();
  for (auto& v : g) {
    v = x;
    x *= gamma;
  }
  return g;
}

}  // namespace

LigeroProverData ligero_commit(std::vector<Fp> values, const LigeroParams& params) {
  assert(values.size() == (size_t{1} << params.num_vars()));
  LigeroProverData d;
  d.params = params;
  size_t rows = params.rows(), cols = params.cols(), n = params.code_len();
  d.encoded_cols.assign(n * rows, Fp());
  std::vector<Fp> buf(n);
  for (size_t i = 0; i < rows; ++i) {
    std::fill(buf.begin(), buf.end(), Fp());
    std::copy(values.begin() + i * cols, values.begin() + (i + 1) * cols, buf.begin());
    ntt(buf);
    for (size_t j = 0; j < n; ++j) d.encoded_cols[j * rows + i] = buf[j];
  }
  std::vector<Digest> leaves(n);
  for (size_t j = 0; j < n; ++j) leaves[j] = hash_column(&d.encoded_cols[j * rows], rows);
  d.tree = MerkleTree(std::move(leaves));
  d.values = std::move(values);
  return d;
}

void ligero_open(ProverChannel& ch, const LigeroProverData& d, const Point& z) {
  const auto& p = d.params;
  assert(z.size() == p.num_vars());
  Point z_row(z.begin() + p.log_cols, z.end());
  Fp2 gamma = ch.challenge("ligero-proximity");
  ch.send(combine_rows(d, proximity_coeffs(gamma, p.rows())));
  ch.send(combine_rows(d, eq_table(z_row)));
  for (unsigned q = 0; q < p.queries; ++q) {
    size_t idx = ch.challenge_index("ligero-query", p.code_len());
    ch.send_base(std::span<const Fp>(&d.encoded_cols[idx * p.rows()], p.rows()));
    for (const auto& sib : d.tree.path(idx)) ch.send(sib);
  }
}

void ligero_verify(VerifierChannel& ch, const LigeroParams& p, const LigeroCommitment& c,
                   const Point& z, Fp2 value) {
  if (z.size() != p.num_vars()) ch.fail("opening point has the wrong length");
  Point z_col(z.begin(), z.begin() + p.log_cols), z_row(z.begin() + p.log_cols, z.end());
  Fp2 gamma = ch.challenge("ligero-proximity");
  auto w = ch.recv(p.cols());
  auto u = ch.recv(p.cols());
  // The evaluation: <u, eq(z_col)> must equal the claimed value.
  ch.expect(mle_eval(std::span<const Fp2>(u), z_col) == value,
            "commitment opening: evaluation does not match the claim");
  auto ew = encode_ext(w, p.log_blowup), eu = encode_ext(u, p.log_blowup);
  auto g = proximity_coeffs(gamma, p.rows());
  auto e = eq_table(z_row);
  for (unsigned q = 0; q < p.queries; ++q) {
    size_t idx = ch.challenge_index("ligero-query", p.code_len());
    auto col = ch.recv_base(p.rows());
    std::vector<Digest> path(p.log_cols + p.log_blowup);
    for (auto& sib : path) sib = ch.recv_digest();
    Digest leaf = hash_column(col.data(), col.size());
    ch.expect(merkle_root_from_path(leaf, idx, path) == c.root,
              "commitment opening: Merkle path of column " + std::to_string(idx) +
                  " does not match the commitment root");
    Fp2 sw = Fp2::zero(), su = Fp2::zero();
    for (size_t i = 0; i < col.size(); ++i) {
      sw += g[i] * col[i];
      su += e[i] * col[i];
    }
    ch.expect(sw == ew[idx], "commitment opening: proximity test failed at column " +
                                 std::to_string(idx));
    ch.expect(su == eu[idx], "commitment opening: evaluation row inconsistent with column " +
                                 std::to_string(idx));
  }
}

}  // namespace zk::pcs
