// Merkle multi-proofs: one proof for several leaves recomputes the root,
// shares the nodes their paths have in common, and fails on any change.
#include "hash/merkle.h"

#include <gtest/gtest.h>

#include <random>

namespace zk {
namespace {

std::vector<Digest> leaves(size_t n) {
  std::vector<Digest> v(n);
  for (size_t i = 0; i < n; ++i) {
    uint8_t b[8];
    for (int k = 0; k < 8; ++k) b[k] = static_cast<uint8_t>(i >> (8 * k));
    v[i] = sha256(std::span<const uint8_t>(b, 8));
  }
  return v;
}

Digest root_of(const MerkleTree& t, const std::vector<Digest>& l, const std::vector<size_t>& idx,
               std::vector<Digest> proof, size_t* used = nullptr) {
  std::vector<std::pair<size_t, Digest>> known;
  for (size_t i : idx) known.emplace_back(i, l[i]);
  size_t next = 0;
  Digest r = merkle_root_from_multi_path(
      known, t.num_leaves(), [&] { return next < proof.size() ? proof[next++] : Digest{}; });
  if (used) *used = next;
  return r;
}

TEST(MerkleMultiPath, RecomputesTheRootForAnySubset) {
  std::mt19937_64 rng(3);
  for (size_t n : {1u, 2u, 8u, 64u, 1024u}) {
    auto l = leaves(n);
    MerkleTree t(l);
    for (int rep = 0; rep < 20; ++rep) {
      std::vector<size_t> idx;
      for (size_t i = 0; i < n; ++i)
        if (rng() % 5 == 0 || (idx.empty() && i == n - 1)) idx.push_back(i);
      auto proof = t.multi_path(idx);
      size_t used = 0;
      EXPECT_EQ(root_of(t, l, idx, proof, &used), t.root()) << n;
      EXPECT_EQ(used, proof.size());
      // Sharing: never more than one path per leaf.
      size_t depth = 0;
      while ((size_t{1} << depth) < n) ++depth;
      EXPECT_LE(proof.size(), idx.size() * depth);
    }
  }
  // All leaves need no sibling at all; one leaf needs its whole path.
  auto l = leaves(16);
  MerkleTree t(l);
  std::vector<size_t> all(16);
  for (size_t i = 0; i < 16; ++i) all[i] = i;
  EXPECT_TRUE(t.multi_path(all).empty());
  EXPECT_EQ(t.multi_path({5}).size(), 4u);
}

TEST(MerkleMultiPath, AnyChangeGivesAnotherRoot) {
  auto l = leaves(256);
  MerkleTree t(l);
  std::vector<size_t> idx{3, 4, 77, 200, 201, 255};
  auto proof = t.multi_path(idx);
  for (size_t k = 0; k < proof.size(); ++k) {
    auto bad = proof;
    bad[k][0] ^= 1;
    EXPECT_NE(root_of(t, l, idx, bad), t.root()) << "sibling " << k;
  }
  auto l2 = l;
  l2[77][31] ^= 1;
  EXPECT_NE(root_of(t, l2, idx, proof), t.root());
  // Claiming a leaf at another position does not verify either.
  std::vector<size_t> moved{3, 4, 78, 200, 201, 255};
  auto l3 = l;
  l3[78] = l[77];
  EXPECT_NE(root_of(t, l3, moved, proof), t.root());
}

}  // namespace
}  // namespace zk
