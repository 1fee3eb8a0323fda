#include "pcs/batch.h"

#include <stdexcept>

#include "field/backend.h"
#include "sumcheck/sumcheck.h"

namespace zk::pcs {

void check_claims(VerifierChannel& ch, unsigned num_vars, const std::vector<BlockClaim>& claims) {
  size_t n = size_t{1} << num_vars;
  for (const auto& cl : claims) {
    if (cl.point.size() > num_vars) ch.fail("claim lies outside the committed vector");
    size_t len = size_t{1} << cl.point.size();
    if (cl.offset % len != 0 || cl.offset > n || len > n - cl.offset)
      ch.fail("claim lies outside the committed vector");
  }
}

namespace {

// Full point of a block claim in the committed vector: the block's local
// point in the low variables, the block index's bits in the high ones.
Fp2 eq_block(const BlockClaim& c, const Point& z) {
  size_t k = c.point.size();
  Fp2 e = eq_eval(c.point, std::span<const Fp2>(z.data(), k));
  size_t block = c.offset >> k;
  return e * eq_at_index(std::span<const Fp2>(z.data() + k, z.size() - k), block);
}

}  // namespace

std::vector<Fp2> batch_weights(ProverChannel& ch, size_t count) {
  return powers(ch.challenge("batch-rho"), count);
}
std::vector<Fp2> batch_weights(VerifierChannel& ch, size_t count) {
  return powers(ch.challenge("batch-rho"), count);
}

BatchPoint batch_reduce_prove(ProverChannel& ch, std::span<const Fp> values,
                              const std::vector<BlockClaim>& claims, const std::vector<Fp2>& rho) {
  size_t n = values.size();
  std::vector<std::vector<Fp2>> tables(2);
  tables[0].resize(n);
  backend::lift(values, tables[0]);
  tables[1].assign(n, Fp2::zero());
  // E = sum_c rho^c eq(point_c, .) on each claim's block; the first claim on a
  // block writes its table in place, later ones add.
  std::vector<std::pair<size_t, size_t>> done;  // (offset, size) already written
  for (size_t c = 0; c < claims.size(); ++c) {
    size_t len = size_t{1} << claims[c].point.size();
    if (claims[c].offset > n || len > n - claims[c].offset)
      throw std::logic_error("batch opening: claim outside the committed vector");
    std::span<Fp2> block(tables[1].data() + claims[c].offset, len);
    bool overlaps = false;
    for (const auto& [o, l] : done)
      overlaps |= o < claims[c].offset + len && claims[c].offset < o + l;
    if (!overlaps) {
      eq_table_into(block, claims[c].point, rho[c]);
    } else {
      std::vector<Fp2> e(len);
      eq_table_into(e, claims[c].point, rho[c]);
      backend::add(block, e);
    }
    done.emplace_back(claims[c].offset, len);
  }
  Point z = sumcheck_prove(ch, tables, {{Fp2::one(), {0, 1}}}, 2);
  ch.send(tables[0][0]);
  return {std::move(z), tables[0][0]};
}

BatchPoint batch_reduce_verify(VerifierChannel& ch, unsigned num_vars,
                               const std::vector<BlockClaim>& claims, const std::vector<Fp2>& rho,
                               Fp2 sum) {
  check_claims(ch, num_vars, claims);
  auto sc = sumcheck_verify(ch, sum, num_vars, 2);
  Fp2 fz = ch.recv();
  Fp2 ez = Fp2::zero();
  for (size_t i = 0; i < claims.size(); ++i) ez += rho[i] * eq_block(claims[i], sc.point);
  ch.expect(fz * ez == sc.value.value(), "batched opening: sumcheck final check failed");
  return {sc.point, fz};
}

}  // namespace zk::pcs
