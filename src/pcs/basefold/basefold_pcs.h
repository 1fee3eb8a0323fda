// The Basefold commitment as a MultilinearPcs (pcs/pcs.h): logarithmic-size
// openings. Not hiding (hiding() is false): its zero-knowledge openings
// refuse to run, since nothing in the commitment masks the values; callers
// check hiding() before asking for one (as prover/zk_layout.cc does).
#pragma once

#include <stdexcept>

#include "pcs/basefold/basefold.h"
#include "pcs/batch.h"
#include "pcs/pcs.h"

namespace zk::pcs {

class BasefoldPcs {
 public:
  using ProverData = BasefoldProverData;

  BasefoldPcs() = default;
  explicit BasefoldPcs(const BasefoldParams& params) : params_(params) {}
  // The smallest openings for 2^num_vars values (basefold_params).
  static BasefoldPcs plain(unsigned num_vars) { return BasefoldPcs(basefold_params(num_vars)); }

  const BasefoldParams& params() const { return params_; }
  unsigned num_vars() const { return params_.num_vars; }
  bool hiding() const { return false; }

  ProverData commit(std::vector<Fp> values, Prng* /*rng*/ = nullptr) const {
    return basefold_commit(std::move(values), params_);
  }
  static Digest root(const ProverData& d) { return d.tree.root(); }
  static BasefoldPcs of(const ProverData& d) { return BasefoldPcs(d.params); }
  // The tree; the codeword is the bulk.
  void save(ByteWriter& w, const ProverData& d) const { basefold_save(w, d); }
  static std::span<const Fp> bulk(const ProverData& d) { return d.codeword; }
  size_t bulk_size() const { return params_.code_len(); }
  ProverData load(ByteReader& r, std::vector<Fp> values, const FpStore& codeword) const {
    return basefold_load(r, params_, std::move(values), codeword);
  }

  void open(ProverChannel& ch, const ProverData& d, const std::vector<BlockClaim>& claims) const {
    basefold_open(ch, d, claims, batch_weights(ch, claims.size()));
  }
  void verify(VerifierChannel& ch, const Digest& root,
              const std::vector<BlockClaim>& claims) const {
    auto rho = batch_weights(ch, claims.size());
    Fp2 sum = Fp2::zero();
    for (size_t i = 0; i < claims.size(); ++i) sum += rho[i] * claims[i].value;
    basefold_verify(ch, params_, root, claims, rho, sum);
  }
  void open_weighted(ProverChannel& ch, const ProverData& d, const std::vector<BlockClaim>& claims,
                     const std::vector<Fp2>& weights) const {
    basefold_open(ch, d, claims, weights);
  }
  void verify_weighted(VerifierChannel& ch, const Digest& root,
                       const std::vector<BlockClaim>& claims, const std::vector<Fp2>& weights,
                       Fp2 sum) const {
    basefold_verify(ch, params_, root, claims, weights, sum);
  }

  // Not hiding: a zero-knowledge opening is refused, never faked.
  void open_zk(ProverChannel&, const ProverData&, const Point&) const {
    throw std::logic_error("basefold: zero-knowledge opening of a commitment that is not hiding");
  }
  void verify_zk(VerifierChannel& ch, const Digest&, const Point&, Fp2) const {
    ch.fail("basefold: zero-knowledge opening of a commitment that is not hiding");
  }

 private:
  BasefoldParams params_;
};

static_assert(MultilinearPcs<BasefoldPcs>);

}  // namespace zk::pcs
