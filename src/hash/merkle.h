// Binary SHA-256 Merkle tree over precomputed leaf digests.
#pragma once

#include <utility>
#include <vector>

#include "hash/sha256.h"

namespace zk {

class MerkleTree {
 public:
  MerkleTree() = default;
  explicit MerkleTree(std::vector<Digest> leaves);  // leaf count: a power of two
  const Digest& root() const { return nodes_[1]; }
  size_t num_leaves() const { return n_; }
  // One proof for several leaves (sorted, distinct): the siblings that the
  // leaves and the nodes above them do not determine, level by level from the
  // leaves up, in increasing order within a level.
  std::vector<Digest> multi_path(const std::vector<size_t>& indices) const;
  const std::vector<Digest>& nodes() const { return nodes_; }
  static MerkleTree from_nodes(std::vector<Digest> nodes);

 private:
  size_t n_ = 0;
  std::vector<Digest> nodes_;  // heap layout: node i has children 2i, 2i+1; leaves at n..2n-1
};

// Recomputes the root of a tree with `num_leaves` leaves from the given
// (index, leaf digest) pairs (sorted, distinct indices) and the multi_path
// siblings, which `next_sibling` supplies in order.
template <typename NextSibling>
Digest merkle_root_from_multi_path(std::vector<std::pair<size_t, Digest>> known, size_t num_leaves,
                                   NextSibling&& next_sibling) {
  // Heap indices: leaves at num_leaves + i.
  for (auto& k : known) k.first += num_leaves;
  while (known.size() > 1 || (known.size() == 1 && known[0].first > 1)) {
    std::vector<std::pair<size_t, Digest>> up;
    for (size_t i = 0; i < known.size(); ++i) {
      size_t x = known[i].first;
      Digest left, right;
      if ((x & 1) == 0 && i + 1 < known.size() && known[i + 1].first == (x | 1)) {
        left = known[i].second;
        right = known[i + 1].second;
        ++i;
      } else if ((x & 1) == 0) {
        left = known[i].second;
        right = next_sibling();
      } else {
        left = next_sibling();
        right = known[i].second;
      }
      up.emplace_back(x / 2, sha256_pair(left, right));
    }
    known = std::move(up);
  }
  return known.empty() ? Digest{} : known[0].second;
}

}  // namespace zk
