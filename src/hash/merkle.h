// Binary SHA-256 Merkle tree over precomputed leaf digests.
#pragma once

#include <vector>

#include "hash/sha256.h"

namespace zk {

class MerkleTree {
 public:
  MerkleTree() = default;
  explicit MerkleTree(std::vector<Digest> leaves);  // leaf count: a power of two
  const Digest& root() const { return nodes_[1]; }
  size_t num_leaves() const { return n_; }
  // Sibling digests from the leaf up to (not including) the root.
  std::vector<Digest> path(size_t index) const;
  const std::vector<Digest>& nodes() const { return nodes_; }
  static MerkleTree from_nodes(std::vector<Digest> nodes);

 private:
  size_t n_ = 0;
  std::vector<Digest> nodes_;  // heap layout: node i has children 2i, 2i+1; leaves at n..2n-1
};

// Recomputes the root from a leaf digest and its path.
Digest merkle_root_from_path(Digest leaf, size_t index, const std::vector<Digest>& path);

}  // namespace zk
