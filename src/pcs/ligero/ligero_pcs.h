// The Ligero tensor-code commitment as a MultilinearPcs (pcs/pcs.h): its
// parameters are chosen once, when the scheme is made.
#pragma once

#include <algorithm>
#include <functional>
#include <stdexcept>

#include "pcs/ligero/batch.h"
#include "pcs/ligero/ligero.h"
#include "pcs/pcs.h"

namespace zk::pcs {

class LigeroPcs {
 public:
  using ProverData = LigeroProverData;

  LigeroPcs() = default;
  explicit LigeroPcs(const LigeroParams& params) : params_(params) {}
  // The cheapest shape for 2^num_vars values (plain), or a hiding one with
  // `zk_evals` zero-knowledge evaluations and rows of 2^min_log_cols to
  // 2^max_log_cols entries.
  static LigeroPcs plain(unsigned num_vars) { return LigeroPcs(choose_params(num_vars)); }
  static LigeroPcs hiding(unsigned num_vars, unsigned zk_evals, unsigned min_log_cols = 0,
                          unsigned max_log_cols = 64) {
    return LigeroPcs(choose_params(num_vars, true, zk_evals, min_log_cols, max_log_cols));
  }
  // Hiding, with `zk_evals` zero-knowledge evaluations and a coefficient
  // block inside the committed vector, whose size depends on the row width:
  // num_vars_for(block) is the vector's size with a block of that size. The
  // width is the narrowest (at least 2^6) that the cheapest parameters for
  // the resulting vector choose; a wider row only grows the vector, whose
  // cheapest width is then no narrower, so scanning from the narrowest finds
  // the width that iterating width -> vector -> cheapest width settles on.
  static LigeroPcs masked(const std::function<unsigned(size_t block)>& num_vars_for,
                          unsigned zk_evals) {
    constexpr unsigned kMinLogCols = 6;
    for (unsigned lc = kMinLogCols; lc < 40; ++lc) {
      unsigned n = num_vars_for(size_t{2} << lc);
      if (lc > n) break;
      LigeroPcs p = hiding(n, zk_evals, kMinLogCols);
      if (p.params_.log_cols == lc) return p;
    }
    // No width is its own choice (not seen in practice): the one chosen for
    // the narrowest, forced.
    unsigned lc =
        hiding(num_vars_for(size_t{2} << kMinLogCols), zk_evals, kMinLogCols).params_.log_cols;
    return hiding(num_vars_for(size_t{2} << lc), zk_evals, lc, lc);
  }
  // Hiding and reusable: opened in zero knowledge by up to `openings` proofs,
  // each with its own mask commitment (ligero_open_zk_ext).
  static LigeroPcs reusable(unsigned num_vars, unsigned openings) {
    return LigeroPcs(choose_params_reusable(num_vars, openings));
  }

  // The fewest variables a reusable scheme for `openings` can have (0: none).
  static unsigned min_vars_reusable(unsigned openings) { return pcs::min_vars_reusable(openings); }

  const LigeroParams& params() const { return params_; }
  // The same scheme for a vector whose entries from `used` on are zero: only
  // the rows holding the first `used` entries are encoded and opened.
  LigeroPcs for_used(size_t used) const { return LigeroPcs(with_used(params_, used)); }
  unsigned num_vars() const { return params_.num_vars(); }
  bool hiding() const { return params_.hiding(); }

  ProverData commit(std::vector<Fp> values, Prng* rng = nullptr) const {
    return ligero_commit(std::move(values), params_, rng);
  }
  static Digest root(const ProverData& d) { return d.tree.root(); }
  static LigeroPcs of(const ProverData& d) { return LigeroPcs(d.params); }
  // The Merkle tree, and for a hiding commitment the column salts and random
  // message parts; the encoded matrix is the bulk.
  void save(ByteWriter& w, const ProverData& d) const { ligero_save(w, d); }
  static std::span<const Fp> bulk(const ProverData& d) { return d.encoded_cols.span(); }
  size_t bulk_size() const { return ligero_bulk_size(params_); }
  ProverData load(ByteReader& r, std::vector<Fp> values, FpStore encoded) const {
    return ligero_load(r, params_, std::move(values), std::move(encoded));
  }

  void open(ProverChannel& ch, const ProverData& d, const std::vector<BlockClaim>& claims) const {
    batch_open_prove(ch, d, claims);
  }
  void verify(VerifierChannel& ch, const Digest& root,
              const std::vector<BlockClaim>& claims) const {
    batch_open_verify(ch, params_, {root}, claims);
  }
  void open_weighted(ProverChannel& ch, const ProverData& d, const std::vector<BlockClaim>& claims,
                     const std::vector<Fp2>& weights) const {
    weighted_open_prove(ch, d, claims, weights);
  }
  void verify_weighted(VerifierChannel& ch, const Digest& root,
                       const std::vector<BlockClaim>& claims, const std::vector<Fp2>& weights,
                       Fp2 sum) const {
    weighted_open_verify(ch, params_, {root}, claims, weights, sum);
  }
  void open_zk(ProverChannel& ch, const ProverData& d, const Point& z) const {
    ligero_open_zk(ch, d, {eq_functional(z)});
  }
  void verify_zk(VerifierChannel& ch, const Digest& root, const Point& z, Fp2 value) const {
    ligero_verify_zk(ch, params_, {root}, {eq_functional(z)}, {value});
  }

  // MaskedPcs: the coefficients' real parts in one row, their u parts in
  // the row below (a tensor-form functional reads them): two rows.
  size_t coefficient_block() const { return 2 * params_.cols(); }
  void write_coefficients(std::span<Fp> block, std::span<const Fp2> coeffs) const {
    size_t cols = params_.cols();
    if (coeffs.size() > cols || block.size() < 2 * cols)
      throw std::logic_error("ligero: the coefficients do not fit their rows");
    for (size_t i = 0; i < coeffs.size(); ++i) {
      block[i] = coeffs[i].a;
      block[cols + i] = coeffs[i].b;
    }
  }
  void open_zk(ProverChannel& ch, const ProverData& d, const Point& z,
               const CoefficientForm& form) const {
    ligero_open_zk(ch, d, {eq_functional(z), coefficient_functional(form)});
  }
  void verify_zk(VerifierChannel& ch, const Digest& root, const Point& z, Fp2 value,
                 const CoefficientForm& form, Fp2 form_value) const {
    ligero_verify_zk(ch, params_, {root}, {eq_functional(z), coefficient_functional(form)},
                     {value, form_value});
  }

  // ReusablePcs: a fresh two-row mask commitment per proof.
  ProverData commit_masks(Prng& rng) const { return ligero_commit_masks(params_, rng); }
  void open_zk(ProverChannel& ch, const ProverData& d, const ProverData& masks,
               const Point& z) const {
    ligero_open_zk_ext(ch, d, masks, eq_functional(z));
  }
  void verify_zk(VerifierChannel& ch, const Digest& root, const Digest& mask_root, const Point& z,
                 Fp2 value) const {
    ligero_verify_zk_ext(ch, params_, root, mask_root, eq_functional(z), value);
  }

  // The MLE evaluation at z as a tensor-form functional (eq rows x eq columns).
  Functional eq_functional(const Point& z) const {
    return {row_eq(params_, std::span<const Fp2>(z.data() + params_.log_cols, params_.log_rows)),
            eq_table(std::span<const Fp2>(z.data(), params_.log_cols))};
  }

 private:
  // The form on the coefficient block at form.offset (two whole rows).
  Functional coefficient_functional(const CoefficientForm& form) const {
    if (form.offset % params_.cols() != 0 || form.weights.size() > params_.cols())
      throw std::invalid_argument("ligero: coefficient block not on whole rows");
    Functional f;
    f.row.assign(params_.rows(), Fp2::zero());
    size_t row = form.offset / params_.cols();
    f.row[row] = Fp2::one();
    f.row[row + 1] = Fp2(Fp(), Fp::one());
    f.col.assign(params_.cols(), Fp2::zero());
    std::copy(form.weights.begin(), form.weights.end(), f.col.begin());
    return f;
  }

  LigeroParams params_;
};

static_assert(MaskedPcs<LigeroPcs> && ReusablePcs<LigeroPcs>);

}  // namespace zk::pcs
