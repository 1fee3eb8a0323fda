#include "pcs/ligero/ligero.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstring>
#include <memory>
#include <stdexcept>

#include "field/backend.h"
#include "field/ntt.h"
#include "field/parallel.h"

namespace zk::pcs {

namespace {

// Per opening. A proof opens a few commitments and adds sumcheck, lookup and
// proximity-gap terms (prover::soundness sums them all); 105 bits per opening
// leaves room for up to 16 openings with a total of at least 100 bits
// (docs/SECURITY.md, "Soundness of the whole proof").
constexpr double kTargetBits = 105;

double rate(const LigeroParams& p) {
  return static_cast<double>(p.message_len()) / static_cast<double>(p.code_len());
}

unsigned queries_for(double rho) {
  double delta = (1.0 - rho) / 2.0;
  return static_cast<unsigned>(std::ceil(kTargetBits / -std::log2(1.0 - delta)));
}

// Hiding: the random coefficients per row (queries * openings + 2) lower the
// rate, which raises the queries; iterates to the fixed point (false if the
// rate gets too high for the code).
bool settle_queries(LigeroParams& p, unsigned openings) {
  p.mask_coeffs = p.queries * openings + 2;
  for (int it = 0; it < 40; ++it) {
    if (rate(p) >= 0.6) return false;
    unsigned q = queries_for(rate(p));
    if (q == p.queries) return true;
    p.queries = q;
    p.mask_coeffs = q * openings + 2;
  }
  return false;
}

// Levels of each opened column's Merkle path that the multi-proof does not
// share (it shares about the top log2(queries)).
double path_levels(const LigeroParams& p) {
  return std::max(1.0, (p.log_cols + p.log_blowup) - std::log2(static_cast<double>(p.queries)));
}

}  // namespace

LigeroParams with_used(LigeroParams p, size_t used) {
  size_t rows = std::max<size_t>(1, (used + p.cols() - 1) / p.cols());
  p.data_rows = rows >= p.full_rows() ? 0 : rows;
  return p;
}

std::vector<Fp2> row_eq(const LigeroParams& p, std::span<const Fp2> z_row) {
  auto e = eq_table(z_row);
  e.resize(p.rows());
  return e;
}

double security_bits(const LigeroParams& p) {
  // Unique-decoding regime: a committed matrix that is not close to the code
  // survives each query with probability at most 1 - delta, delta = (1 - rho)/2.
  double rho = rate(p);
  if (rho >= 1.0) return 0;
  double delta = (1.0 - rho) / 2.0;
  return -static_cast<double>(p.queries) * std::log2(1.0 - delta);
}

namespace {
// Keeps the candidate parameters with the smallest estimated opening.
class Cheapest {
 public:
  void offer(const LigeroParams& p, double bytes) {
    if (bytes < bytes_) {
      bytes_ = bytes;
      best_ = p;
    }
  }
  LigeroParams get() const {
    if (bytes_ >= 1e300) throw std::invalid_argument("no commitment parameters for this size");
    return best_;
  }

 private:
  LigeroParams best_;
  double bytes_ = 1e300;
};
}  // namespace

LigeroParams choose_params(unsigned num_vars, bool hiding, unsigned eval_masks,
                           unsigned min_log_cols, unsigned max_log_cols) {
  Cheapest best;
  for (unsigned a = 0; a <= num_vars; ++a) {
    LigeroParams p;
    p.log_rows = a;
    p.log_cols = num_vars - a;
    if (p.log_cols < min_log_cols || p.log_cols > max_log_cols) continue;
    if (hiding) {
      p.eval_masks = eval_masks;
      // Two more random coefficients than the queries: the opened symbols of
      // each row stay uniform even with the revealed row combinations.
      if (!settle_queries(p, 1)) continue;
    } else {
      p.queries = queries_for(rate(p));
    }
    // Row combinations sent: u and w (plain), or one per zero-knowledge
    // evaluation (ligero_open_zk).
    double combos = hiding && eval_masks > 0 ? eval_masks : 2;
    double col_bytes = p.stored_rows() * 8.0 + 32.0 * path_levels(p) + (hiding ? 32 : 0);
    best.offer(p, combos * p.message_len() * 16 + p.queries * col_bytes);
  }
  return best.get();
}

LigeroParams choose_params_reusable(unsigned num_vars, unsigned openings) {
  Cheapest best;
  // Blowup up to 8: larger ones shrink the opening a little more but make
  // the encoded matrix (kept in the proving key) too large.
  for (unsigned lb = 2; lb <= 3; ++lb)
    for (unsigned a = 0; a <= num_vars; ++a) {
      LigeroParams p;
      p.log_rows = a;
      p.log_cols = num_vars - a;
      p.log_blowup = lb;
      p.external_masks = true;
      if (!settle_queries(p, openings)) continue;
      // One row combination (ligero_open_zk_ext); each opened column with
      // its salt and the per-proof mask commitment's two entries, and two
      // Merkle multi-proofs.
      double col_bytes = (p.rows() + 2) * 8.0 + 2 * 32.0 * path_levels(p) + 32;
      best.offer(p, p.message_len() * 16.0 + p.queries * col_bytes);
    }
  return best.get();
}

unsigned min_vars_reusable(unsigned openings) {
  // Whether a shape works depends only on its row width and blowup (the rate
  // of each row's code), so the narrowest working row with a single row is
  // the smallest vector.
  for (unsigned lc = 0; lc < 64; ++lc)
    for (unsigned lb = 2; lb <= 3; ++lb) {
      LigeroParams p;
      p.log_cols = lc;
      p.log_blowup = lb;
      p.external_masks = true;
      if (settle_queries(p, openings)) return lc;
    }
  return 0;
}

namespace {

Digest hash_column(const Fp* col, size_t rows, const Digest* salt) {
  return sha256_concat(
      salt ? std::span<const uint8_t>(salt->data(), salt->size()) : std::span<const uint8_t>(),
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(col), rows * 8));
}

// Column idx of the encoded matrix, checked against its Merkle leaf: a
// proving key's matrix is read from disk only here, a column at a time.
std::span<const Fp> checked_column(const LigeroProverData& d, size_t idx) {
  const size_t rows = d.params.stored_rows();
  std::span<const Fp> col(d.encoded_cols.data() + idx * rows, rows);
  const Digest* salt = d.params.salted() ? &d.salts[idx] : nullptr;
  if (hash_column(col.data(), rows, salt) != d.tree.nodes()[d.tree.num_leaves() + idx])
    throw FormatError("proving key is corrupted: column " + std::to_string(idx) +
                      " of the encoded weights does not match the weight commitment; run setup "
                      "again");
  return col;
}

// Encodes a message of extension elements (each coordinate separately: the
// code is F_p-linear).
std::vector<Fp2> encode_ext(const std::vector<Fp2>& msg, size_t code_len) {
  std::vector<Fp> a(code_len), b(code_len);
  for (size_t i = 0; i < msg.size(); ++i) {
    a[i] = msg[i].a;
    b[i] = msg[i].b;
  }
  parallel_chunks(2, code_len >= (size_t{1} << 12) ? 1 : 2, [&](size_t lo, size_t hi, unsigned) {
    for (size_t k = lo; k < hi; ++k) ntt(k == 0 ? a : b);
  });
  std::vector<Fp2> out(code_len);
  for (size_t i = 0; i < code_len; ++i) out[i] = Fp2(a[i], b[i]);
  return out;
}

// sum_i coeffs[i] * message_i over the stored rows (message = data | mask),
// in chunks of message positions (each chunk sums its rows in row order).
std::vector<Fp2> combine_rows(const LigeroProverData& d, const std::vector<Fp2>& coeffs,
                              const std::vector<Fp>& masks) {
  const auto& p = d.params;
  size_t cols = p.cols(), k = p.message_len();
  std::vector<Fp2> out(k);
  parallel_chunks(k, 256, [&](size_t b, size_t e, unsigned) {
    const size_t data_end = std::min(e, cols);
    for (size_t i = 0; i < coeffs.size(); ++i) {
      Fp2 c = coeffs[i];
      if (c.is_zero()) continue;
      if (i < p.rows()) {
        const Fp* row = d.values.data() + i * cols;
        for (size_t j = b; j < data_end; ++j) out[j] += c * row[j];
      }
      // The random tail (and the whole mask row) come from the encoded
      // columns' source messages, kept in `masks` (row-major, message_len
      // wide for the mask row, mask_coeffs wide for data rows).
      if (!p.hiding()) continue;
      if (i < p.rows()) {
        const Fp* tail = masks.data() + i * p.mask_coeffs;
        for (size_t j = std::max(b, cols); j < e; ++j) out[j] += c * tail[j - cols];
      } else {
        const Fp* row = masks.data() + p.rows() * p.mask_coeffs + (i - p.rows()) * k;
        for (size_t j = b; j < e; ++j) out[j] += c * row[j];
      }
    }
  });
  return out;
}

// The query phase on the verifier's side: samples the columns, reads each
// distinct one (and its salt) and the multi-proof, and checks the root.
struct OpenedColumns {
  std::vector<size_t> cols;
  std::vector<std::vector<Fp>> values;
};
OpenedColumns recv_columns(VerifierChannel& ch, const LigeroParams& p, const Digest& root) {
  std::vector<size_t> sampled(p.queries);
  for (auto& idx : sampled) idx = ch.challenge_index("ligero-query", p.code_len());
  OpenedColumns out;
  out.cols = query_columns(sampled);
  std::vector<std::pair<size_t, Digest>> leaves;
  for (size_t idx : out.cols) {
    out.values.push_back(ch.recv_base(p.stored_rows()));
    Digest salt;
    if (p.salted()) salt = ch.recv_digest();
    leaves.emplace_back(idx, hash_column(out.values.back().data(), out.values.back().size(),
                                         p.salted() ? &salt : nullptr));
  }
  Digest got = merkle_root_from_multi_path(std::move(leaves), p.code_len(),
                                           [&] { return ch.recv_digest(); });
  ch.expect(
      got == root,
      "commitment opening: Merkle paths of the opened columns do not match the commitment root");
  return out;
}

}  // namespace

LigeroProverData ligero_commit(std::vector<Fp> values, const LigeroParams& params, Prng* rng) {
  assert(values.size() == (size_t{1} << params.num_vars()));
  for (size_t i = params.rows() * params.cols(); i < values.size(); ++i)
    if (!values[i].is_zero())
      throw std::logic_error("ligero: a value past the stored rows is not zero");
  LigeroProverData d;
  d.params = params;
  size_t rows = params.rows(), srows = params.stored_rows(), cols = params.cols(),
         n = params.code_len(), k = params.message_len();
  std::unique_ptr<Prng> own;
  if (params.hiding() && !rng) {
    own = std::make_unique<Prng>();
    rng = own.get();
  }
  // Random message parts: a tail per data row, then the whole mask row.
  if (params.hiding()) {
    d.masks.resize(rows * params.mask_coeffs + (srows - rows) * k);
    for (auto& x : d.masks) x = rng->next_fp();
  }
  std::vector<Fp> encoded(n * srows);
  backend::rs_encode_rows(
      srows, k, n,
      [&](size_t i, Fp* buf) {
        if (i < rows) {
          std::copy(values.begin() + i * cols, values.begin() + (i + 1) * cols, buf);
          if (params.hiding())
            std::copy(d.masks.begin() + i * params.mask_coeffs,
                      d.masks.begin() + (i + 1) * params.mask_coeffs, buf + cols);
        } else {
          auto from = d.masks.begin() +
                      static_cast<std::ptrdiff_t>(rows * params.mask_coeffs + (i - rows) * k);
          std::copy(from, from + static_cast<std::ptrdiff_t>(k), buf);
        }
      },
      encoded.data());
  d.encoded_cols = FpStore(std::move(encoded));
  if (params.salted()) {
    d.salts.resize(n);
    for (auto& s : d.salts) s = rng->next_digest();
  }
  std::vector<Digest> leaves(n);
  parallel_chunks(n, 256, [&](size_t b, size_t e, unsigned) {
    for (size_t j = b; j < e; ++j)
      leaves[j] =
          hash_column(&d.encoded_cols[j * srows], srows, params.salted() ? &d.salts[j] : nullptr);
  });
  d.tree = MerkleTree(std::move(leaves));
  d.values = std::move(values);
  return d;
}

void ligero_open(ProverChannel& ch, const LigeroProverData& d, const Point& z) {
  const auto& p = d.params;
  assert(z.size() == p.num_vars());
  Point z_row(z.begin() + p.log_cols, z.end());
  Fp2 gamma = ch.challenge("ligero-proximity");
  auto g = powers(gamma, p.rows());
  if (p.proximity_mask_rows()) {  // two mask rows, a + u b, hide the combination
    g.push_back(Fp2::one());
    g.push_back(Fp2(Fp(), Fp::one()));
  }
  ch.send(combine_rows(d, g, d.masks));
  auto e = row_eq(p, z_row);
  ch.send(combine_rows(d, e, d.masks));
  ligero_send_columns(ch, d);
}

std::vector<size_t> query_columns(const std::vector<size_t>& sampled) {
  std::vector<size_t> cols = sampled;
  std::sort(cols.begin(), cols.end());
  cols.erase(std::unique(cols.begin(), cols.end()), cols.end());
  return cols;
}

void ligero_send_columns(ProverChannel& ch, const LigeroProverData& d) {
  const auto& p = d.params;
  std::vector<size_t> sampled(p.queries);
  for (auto& idx : sampled) idx = ch.challenge_index("ligero-query", p.code_len());
  auto cols = query_columns(sampled);
  for (size_t idx : cols) {
    ch.send_base(checked_column(d, idx));
    if (p.salted()) ch.send(d.salts[idx]);
  }
  for (const auto& sib : d.tree.multi_path(cols)) ch.send(sib);
  // The verifier combines its two column checks with this challenge; drawing
  // it here keeps both transcripts in step.
  (void)ch.challenge("ligero-combine");
}

void ligero_open_zk(ProverChannel& ch, const LigeroProverData& d,
                    const std::vector<Functional>& fs) {
  const auto& p = d.params;
  if (fs.size() > p.eval_masks) throw std::logic_error("ligero: more functionals than masks");
  const size_t k = p.message_len();
  // mu_f = <col weights, M_f> for each functional's mask row M_f = a + u b.
  std::vector<std::vector<Fp2>> mrows(fs.size());
  std::vector<Fp2> mus;
  for (size_t f = 0; f < fs.size(); ++f) {
    const Fp* a = d.masks.data() + p.rows() * p.mask_coeffs + 2 * f * k;
    const Fp* b = a + k;
    mrows[f].resize(k);
    for (size_t j = 0; j < k; ++j) mrows[f][j] = Fp2(a[j], b[j]);
    Fp2 mu = Fp2::zero();
    for (size_t j = 0; j < p.cols(); ++j) mu += fs[f].col[j] * mrows[f][j];
    mus.push_back(mu);
  }
  ch.send(mus);
  Fp2 rho = ch.challenge("ligero-zk-rho");
  for (size_t f = 0; f < fs.size(); ++f) {
    auto u = combine_rows(d, fs[f].row, d.masks);
    for (size_t j = 0; j < k; ++j) u[j] += rho * mrows[f][j];
    ch.send(u);
  }
  ligero_send_columns(ch, d);
}

void ligero_verify_zk(VerifierChannel& ch, const LigeroParams& p, const LigeroCommitment& c,
                      const std::vector<Functional>& fs, const std::vector<Fp2>& values) {
  if (fs.empty() || fs.size() > p.eval_masks || fs.size() != values.size())
    ch.fail("zero-knowledge opening: wrong number of evaluations");
  for (const auto& f : fs)
    if (f.row.size() != p.rows() || f.col.size() != p.cols())
      ch.fail("zero-knowledge opening: evaluation of the wrong shape");
  auto mu = ch.recv(fs.size());
  Fp2 rho = ch.challenge("ligero-zk-rho");
  std::vector<std::vector<Fp2>> us;
  for (size_t f = 0; f < fs.size(); ++f) {
    us.push_back(ch.recv(p.message_len()));
    Fp2 s = Fp2::zero();
    for (size_t j = 0; j < p.cols(); ++j) s += fs[f].col[j] * us[f][j];
    ch.expect(s == values[f] + rho * mu[f],
              "commitment opening: evaluation does not match the claim");
  }
  std::vector<std::vector<Fp2>> weights;  // per functional, over the stored rows
  for (size_t f = 0; f < fs.size(); ++f) {
    auto e = fs[f].row;
    e.resize(p.stored_rows(), Fp2::zero());
    e[p.rows() + 2 * f] = rho;
    e[p.rows() + 1 + 2 * f] = rho * Fp2(Fp(), Fp::one());
    weights.push_back(std::move(e));
  }
  auto [cols, opened] = recv_columns(ch, p, c.root);
  (void)ch.challenge("ligero-combine");
  std::vector<std::vector<Fp2>> eus;
  for (const auto& u : us) eus.push_back(encode_ext(u, p.code_len()));
  for (size_t q = 0; q < cols.size(); ++q) {
    const auto& col = opened[q];
    for (size_t f = 0; f < fs.size(); ++f) {
      Fp2 su = Fp2::zero();
      for (size_t i = 0; i < col.size(); ++i) su += weights[f][i] * col[i];
      ch.expect(
          su == eus[f][cols[q]],
          "commitment opening: evaluation row inconsistent with column " + std::to_string(cols[q]));
    }
  }
}

LigeroParams mask_params(const LigeroParams& p) {
  LigeroParams m = p;
  m.log_rows = 1;
  m.data_rows = 0;
  m.external_masks = true;
  m.eval_masks = 0;
  m.random_rows = true;
  return m;
}

LigeroProverData ligero_commit_masks(const LigeroParams& p, Prng& rng) {
  LigeroParams m = mask_params(p);
  std::vector<Fp> v(m.rows() * m.cols());
  for (auto& x : v) x = rng.next_fp();
  return ligero_commit(std::move(v), m, &rng);
}

namespace {
// Row i's whole Reed-Solomon message: its data, then its random tail.
std::vector<Fp2> message_of(const LigeroProverData& d, size_t i) {
  const auto& p = d.params;
  std::vector<Fp2> m(p.message_len());
  for (size_t j = 0; j < p.cols(); ++j) m[j] = Fp2(d.values[i * p.cols() + j]);
  for (size_t j = 0; j < p.mask_coeffs; ++j) m[p.cols() + j] = Fp2(d.masks[i * p.mask_coeffs + j]);
  return m;
}
const Fp2 kU(Fp(), Fp::one());
}  // namespace

void ligero_open_zk_ext(ProverChannel& ch, const LigeroProverData& d, const LigeroProverData& m,
                        const Functional& f) {
  const auto& p = d.params;
  const size_t k = p.message_len();
  auto m0 = message_of(m, 0), m1 = message_of(m, 1);
  std::vector<Fp2> eval(k);
  for (size_t j = 0; j < k; ++j) eval[j] = m0[j] + kU * m1[j];
  Fp2 mu = Fp2::zero();
  for (size_t j = 0; j < p.cols(); ++j) mu += f.col[j] * eval[j];
  ch.send(mu);
  Fp2 rho = ch.challenge("ligero-zk-rho");
  auto u = combine_rows(d, f.row, d.masks);
  for (size_t j = 0; j < k; ++j) u[j] += rho * eval[j];
  ch.send(u);
  std::vector<size_t> sampled(p.queries);
  for (auto& idx : sampled) idx = ch.challenge_index("ligero-query", p.code_len());
  auto cols = query_columns(sampled);
  for (size_t idx : cols) {
    ch.send_base(checked_column(d, idx));
    ch.send(d.salts[idx]);
    ch.send_base(std::span<const Fp>(&m.encoded_cols[idx * 2], 2));
  }
  for (const auto& sib : d.tree.multi_path(cols)) ch.send(sib);
  for (const auto& sib : m.tree.multi_path(cols)) ch.send(sib);
}

void ligero_verify_zk_ext(VerifierChannel& ch, const LigeroParams& p, const Digest& root,
                          const Digest& mask_root, const Functional& f, Fp2 value) {
  if (f.row.size() != p.rows() || f.col.size() != p.cols())
    ch.fail("zero-knowledge opening: evaluation of the wrong shape");
  Fp2 mu = ch.recv();
  Fp2 rho = ch.challenge("ligero-zk-rho");
  auto u = ch.recv(p.message_len());
  Fp2 s = Fp2::zero();
  for (size_t j = 0; j < p.cols(); ++j) s += f.col[j] * u[j];
  ch.expect(s == value + rho * mu, "commitment opening: evaluation does not match the claim");
  std::vector<size_t> sampled(p.queries);
  for (auto& idx : sampled) idx = ch.challenge_index("ligero-query", p.code_len());
  auto cols = query_columns(sampled);
  std::vector<std::vector<Fp>> data, mask;
  std::vector<std::pair<size_t, Digest>> leaves, mleaves;
  for (size_t idx : cols) {
    data.push_back(ch.recv_base(p.rows()));
    Digest salt = ch.recv_digest();
    leaves.emplace_back(idx, hash_column(data.back().data(), p.rows(), &salt));
    mask.push_back(ch.recv_base(2));
    mleaves.emplace_back(idx, hash_column(mask.back().data(), 2, nullptr));
  }
  Digest r1 = merkle_root_from_multi_path(std::move(leaves), p.code_len(),
                                          [&] { return ch.recv_digest(); });
  Digest r2 = merkle_root_from_multi_path(std::move(mleaves), p.code_len(),
                                          [&] { return ch.recv_digest(); });
  ch.expect(
      r1 == root,
      "commitment opening: Merkle paths of the opened columns do not match the commitment root");
  ch.expect(r2 == mask_root,
            "commitment opening: Merkle paths of the mask columns do not match their root");
  auto eu = encode_ext(u, p.code_len());
  for (size_t q = 0; q < cols.size(); ++q) {
    Fp2 su = rho * (Fp2(mask[q][0]) + kU * Fp2(mask[q][1]));
    for (size_t i = 0; i < p.rows(); ++i) su += f.row[i] * data[q][i];
    ch.expect(su == eu[cols[q]], "commitment opening: evaluation row inconsistent with column " +
                                     std::to_string(cols[q]));
  }
}

void ligero_verify(VerifierChannel& ch, const LigeroParams& p, const LigeroCommitment& c,
                   const Point& z, Fp2 value) {
  if (z.size() != p.num_vars()) ch.fail("opening point has the wrong length");
  Point z_col(z.begin(), z.begin() + p.log_cols), z_row(z.begin() + p.log_cols, z.end());
  Fp2 gamma = ch.challenge("ligero-proximity");
  auto w = ch.recv(p.message_len());
  auto u = ch.recv(p.message_len());
  // The evaluation: the data part of u against eq(z_col) must give the claim.
  ch.expect(mle_eval(std::span<const Fp2>(u.data(), p.cols()), z_col) == value,
            "commitment opening: evaluation does not match the claim");
  auto g = powers(gamma, p.rows());
  if (p.proximity_mask_rows()) {
    g.push_back(Fp2::one());
    g.push_back(Fp2(Fp(), Fp::one()));
  }
  auto e = row_eq(p, z_row);
  e.resize(p.stored_rows(), Fp2::zero());
  auto [cols, opened] = recv_columns(ch, p, c.root);
  // Both column checks at once, w + lambda*u against the columns combined by
  // g + lambda*e: one encoding instead of two (a failing check survives the
  // random combination with probability 1/|F|). Only on failure are the two
  // checks run separately, to name the one that failed.
  Fp2 lambda = ch.challenge("ligero-combine");
  std::vector<Fp2> v(w.size());
  for (size_t j = 0; j < v.size(); ++j) v[j] = w[j] + lambda * u[j];
  auto ev = encode_ext(v, p.code_len());
  std::vector<Fp2> k(g.size());
  for (size_t i = 0; i < k.size(); ++i) k[i] = g[i] + lambda * e[i];
  for (size_t q = 0; q < cols.size(); ++q) {
    const auto& col = opened[q];
    Fp2 s = Fp2::zero();
    for (size_t i = 0; i < col.size(); ++i) s += k[i] * col[i];
    if (s == ev[cols[q]]) continue;
    auto ew = encode_ext(w, p.code_len()), eu = encode_ext(u, p.code_len());
    for (size_t r = 0; r < cols.size(); ++r) {
      size_t idx = cols[r];
      Fp2 sw = Fp2::zero(), su = Fp2::zero();
      for (size_t i = 0; i < opened[r].size(); ++i) {
        sw += g[i] * opened[r][i];
        su += e[i] * opened[r][i];
      }
      ch.expect(sw == ew[idx],
                "commitment opening: proximity test failed at column " + std::to_string(idx));
      ch.expect(su == eu[idx], "commitment opening: evaluation row inconsistent with column " +
                                   std::to_string(idx));
    }
    // Unreachable by linearity (one of the two checks above failed); kept so
    // no path accepts a column the combined check rejected.
    ch.fail("commitment opening: combined column check failed");
  }
}

}  // namespace zk::pcs
