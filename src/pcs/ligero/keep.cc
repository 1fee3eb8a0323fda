// A Ligero commitment's prover data kept in a proving key: the Merkle tree,
// column salts and random message parts (the values and the encoded matrix
// are stored apart, ligero.h).
#include "pcs/ligero/ligero.h"

namespace zk::pcs {

void ligero_save(ByteWriter& w, const LigeroProverData& d) {
  w.u64(d.tree.nodes().size());
  for (const auto& x : d.tree.nodes()) w.digest(x);
  w.u64(d.salts.size());
  for (const auto& x : d.salts) w.digest(x);
  w.u64(d.masks.size());
  for (auto x : d.masks) w.u64(x.v);
}

LigeroProverData ligero_load(ByteReader& r, const LigeroParams& params, std::vector<Fp> values,
                             FpStore encoded) {
  LigeroProverData d;
  d.params = params;
  if (values.size() != size_t{1} << params.num_vars())
    r.fail("committed vector has the wrong size");
  if (encoded.size() != ligero_bulk_size(params)) r.fail("encoded matrix has the wrong size");
  uint64_t nn = r.count(uint64_t{1} << 30, 32, "Merkle node");
  if (nn != 2 * params.code_len()) r.fail("Merkle tree has the wrong size");
  std::vector<Digest> nodes(nn);
  for (auto& x : nodes) x = r.digest();
  d.tree = MerkleTree::from_nodes(std::move(nodes));
  uint64_t ns = r.count(uint64_t{1} << 30, 32, "salt");
  if (ns != (params.hiding() ? params.code_len() : 0)) r.fail("wrong number of salts");
  d.salts.resize(ns);
  for (auto& x : d.salts) x = r.digest();
  uint64_t nm = r.count(uint64_t{1} << 32, 8, "mask value");
  if (nm != (params.hiding() ? params.rows() * params.mask_coeffs +
                                   (params.stored_rows() - params.rows()) * params.message_len()
                             : 0))
    r.fail("wrong number of mask values");
  d.masks.resize(nm);
  for (auto& x : d.masks) {
    uint64_t v = r.u64();
    if (v >= Fp::kModulus) r.fail("non-canonical field element");
    x = Fp(v);
  }
  d.values = std::move(values);
  d.encoded_cols = std::move(encoded);
  return d;
}

}  // namespace zk::pcs
