// Tensor-code (Ligero-style) multilinear polynomial commitment over Goldilocks.
//
// A vector of 2^n base-field values is laid out as a 2^a x 2^b matrix (row i,
// column j holds index i*2^b + j, so the low b MLE variables select the column).
// Each row is Reed-Solomon encoded (rate 1/4, NTT) and the columns of the
// encoded matrix are Merkle-hashed with SHA-256. An opening at z = (z_col,
// z_row) sends u = sum_i eq(z_row, i) row_i and a proximity combination
// w = sum_i gamma_i row_i, then opens `queries` random columns.
#pragma once

#include <string>
#include <vector>

#include "field/fp_store.h"
#include "hash/bytes.h"
#include "hash/channel.h"
#include "hash/merkle.h"
#include "hash/random.h"
#include "poly/mle.h"

namespace zk::pcs {

// Hiding mode: every row's Reed-Solomon message is extended with
// `mask_coeffs` random coefficients (at least as many as the columns its
// openings reveal, so the opened symbols of each row are uniformly random),
// Merkle leaves are salted, and random rows mask each row combination sent:
// two per zero-knowledge evaluation (ligero_open_zk), or two for the plain
// opening's proximity combination when there are none (ligero_open), or none
// inside the commitment when each opening brings its own (external_masks).
struct LigeroParams {
  unsigned log_rows = 0, log_cols = 0;
  unsigned log_blowup = 2;   // code length 4 * cols
  unsigned queries = 155;    // >= 105 bits per opening, unique decoding (docs/SECURITY.md)
  unsigned mask_coeffs = 0;  // hiding: random coefficients per row (0: not hiding)
  unsigned eval_masks = 0;   // hiding: zero-knowledge evaluations supported (2 rows each)
  // Hiding, reusable: no mask rows inside; each opening brings its own
  // (ligero_open_zk_ext), and mask_coeffs covers the columns of many openings.
  bool external_masks = false;
  // Rows of uniformly random values only (mask commitments): a column hash
  // hides its column without a salt.
  bool random_rows = false;
  // Rows that hold data (0: all 2^log_rows): a vector whose tail past
  // data_rows * cols is zero keeps only these; the rest are zero by
  // definition, neither stored nor sent, and row combinations skip them.
  uint64_t data_rows = 0;
  bool salted() const { return mask_coeffs > 0 && !random_rows; }
  unsigned num_vars() const { return log_rows + log_cols; }
  size_t rows() const { return data_rows ? data_rows : size_t{1} << log_rows; }
  size_t full_rows() const { return size_t{1} << log_rows; }
  size_t cols() const { return size_t{1} << log_cols; }
  size_t code_len() const { return cols() << log_blowup; }
  bool hiding() const { return mask_coeffs > 0; }
  size_t message_len() const { return cols() + mask_coeffs; }
  // Hiding: two rows (a + u b) mask each zero-knowledge evaluation; the
  // plain hiding opening (no evaluation masks) masks its proximity
  // combination with two rows instead.
  size_t proximity_mask_rows() const {
    return hiding() && !external_masks && eval_masks == 0 ? 2 : 0;
  }
  size_t stored_rows() const {
    return rows() + proximity_mask_rows() +
           (hiding() && !external_masks ? 2 * size_t{eval_masks} : 0);
  }
  bool operator==(const LigeroParams&) const = default;
};

// Chooses the matrix shape that minimizes the opening size for 2^num_vars
// values, and the query count that gives at least 100 bits.
// Hiding commitments can carry masks for `eval_masks` zero-knowledge
// evaluations (ligero_open_zk); min_log_cols bounds the row width from below.
LigeroParams choose_params(unsigned num_vars, bool hiding = false, unsigned eval_masks = 0,
                           unsigned min_log_cols = 0, unsigned max_log_cols = 64);
// A hiding commitment opened by up to `openings` proofs (each with fresh
// masks, ligero_open_zk_ext): every row carries queries * openings + 2 random
// coefficients, so the columns all those openings reveal stay uniform.
LigeroParams choose_params_reusable(unsigned num_vars, unsigned openings);
// The fewest variables choose_params_reusable accepts for `openings` (rows
// must be wide enough for all their random coefficients); 0 when no row
// width up to 2^63 is.
unsigned min_vars_reusable(unsigned openings);
// The same parameters keeping only the rows that hold the first `used`
// entries (at least one row).
LigeroParams with_used(LigeroParams p, size_t used);
// eq(z_row, i) for the stored data rows i.
std::vector<Fp2> row_eq(const LigeroParams& p, std::span<const Fp2> z_row);
// Bits of soundness of the proximity test for these parameters.
double security_bits(const LigeroParams& p);

struct LigeroCommitment {
  Digest root;
};

// What the prover keeps: the committed values and the encoded matrix.
struct LigeroProverData {
  LigeroParams params;
  std::vector<Fp> values;     // 2^n, row-major
  FpStore encoded_cols;       // code_len columns, each stored_rows long, column-major
  std::vector<Digest> salts;  // hiding: one per column
  std::vector<Fp> masks;      // hiding: random tail of each row, then the mask row
  MerkleTree tree;
  LigeroCommitment commitment() const { return {tree.root()}; }
};

// Stored prover data (a proving key): ligero_save writes everything but the
// values and the encoded matrix (the bulk, which a key stores apart, page-
// aligned, and maps when read); ligero_load reads it back, checking every
// size against the parameters, and takes the values and the matrix. The
// matrix's entries are not read there: an opening checks each column it
// sends against its Merkle leaf, so a corrupted key is reported (FormatError)
// without reading the whole matrix.
void ligero_save(ByteWriter& w, const LigeroProverData& d);
inline size_t ligero_bulk_size(const LigeroParams& p) { return p.code_len() * p.stored_rows(); }
LigeroProverData ligero_load(ByteReader& r, const LigeroParams& params, std::vector<Fp> values,
                             FpStore encoded);

// Hiding commitments draw their randomness from `rng` (a fresh OS-seeded one
// when null).
LigeroProverData ligero_commit(std::vector<Fp> values, const LigeroParams& params,
                               Prng* rng = nullptr);

// Opens the committed polynomial at z (|z| = num_vars); the verifier already
// holds the claimed value.
void ligero_open(ProverChannel& ch, const LigeroProverData& data, const Point& z);
// The query phase of an opening (after w and u): samples the column indices,
// sends each distinct opened column (and its salt) and one Merkle multi-proof.
void ligero_send_columns(ProverChannel& ch, const LigeroProverData& data);
// The distinct, sorted column indices of an opening's queries.
std::vector<size_t> query_columns(const std::vector<size_t>& sampled);

// A linear functional of tensor form on the committed matrix:
// sum_{i,j} row[i] col[j] M[i][j] (an MLE evaluation is eq(z_row) x eq(z_col)).
struct Functional {
  std::vector<Fp2> row, col;
};
// Zero-knowledge evaluation of functionals whose values the verifier already
// holds (hiding commitments with eval_masks >= fs.size()): for each, the
// prover sends mu = <col, M> for a random mask row M, then after a challenge
// rho the combination u = sum_i row[i] row_i + rho M, which is uniformly
// random given the value. The opened columns are as in ligero_open. There is
// no separate proximity combination: fs[0] must be an evaluation at a point
// drawn after the commitment (rows weighted by eq(z_row)), and that tensor-
// structured random combination is the proximity test (Diamond and Posen,
// "Proximity testing with logarithmic randomness", 2023).
void ligero_open_zk(ProverChannel& ch, const LigeroProverData& data,
                    const std::vector<Functional>& fs);
void ligero_verify_zk(VerifierChannel& ch, const LigeroParams& params, const LigeroCommitment& c,
                      const std::vector<Functional>& fs, const std::vector<Fp2>& values);

// Zero-knowledge evaluation of a reusable commitment (external_masks) at an
// MLE point drawn after the commitment (its eq row combination is also the
// proximity test, as in ligero_open_zk): `masks` is a fresh commitment
// (ligero_commit_masks) of two random rows with the same code that mask the
// combination; its columns are opened beside the data's.
LigeroProverData ligero_commit_masks(const LigeroParams& data_params, Prng& rng);
LigeroParams mask_params(const LigeroParams& data_params);
void ligero_open_zk_ext(ProverChannel& ch, const LigeroProverData& data,
                        const LigeroProverData& masks, const Functional& f);
void ligero_verify_zk_ext(VerifierChannel& ch, const LigeroParams& params, const Digest& root,
                          const Digest& mask_root, const Functional& f, Fp2 value);

// Throws VerifyError (through ch) naming the failed check.
void ligero_verify(VerifierChannel& ch, const LigeroParams& params, const LigeroCommitment& c,
                   const Point& z, Fp2 value);

}  // namespace zk::pcs
