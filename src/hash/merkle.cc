#include "hash/merkle.h"

#include <cassert>

#include "field/backend.h"
#include "field/parallel.h"

namespace zk {

MerkleTree::MerkleTree(std::vector<Digest> leaves) : n_(leaves.size()) {
  assert(n_ >= 1 && (n_ & (n_ - 1)) == 0);
  nodes_.resize(2 * n_);
  for (size_t i = 0; i < n_; ++i) nodes_[n_ + i] = leaves[i];
  // Level by level from the leaves; the nodes of one level in parallel.
  for (size_t width = n_ / 2; width >= 1; width /= 2)
    backend::merkle_layer(&nodes_[2 * width], &nodes_[width], width);
}

// The CPU backend's Merkle layer (field/backend.h), here because it needs
// SHA-256.
void backend::merkle_layer(const Digest* children, Digest* parents, size_t count) {
  parallel_chunks(count, 512, [&](size_t b, size_t e, unsigned) {
    for (size_t i = b; i < e; ++i) parents[i] = sha256_pair(children[2 * i], children[2 * i + 1]);
  });
}

MerkleTree MerkleTree::from_nodes(std::vector<Digest> nodes) {
  MerkleTree t;
  t.n_ = nodes.size() / 2;
  t.nodes_ = std::move(nodes);
  return t;
}

std::vector<Digest> MerkleTree::multi_path(const std::vector<size_t>& indices) const {
  std::vector<Digest> out;
  std::vector<size_t> level;
  for (size_t i : indices) level.push_back(n_ + i);
  while (!(level.size() == 1 && level[0] == 1) && !level.empty()) {
    std::vector<size_t> up;
    for (size_t i = 0; i < level.size(); ++i) {
      size_t x = level[i];
      bool pair = (x & 1) == 0 && i + 1 < level.size() && level[i + 1] == (x | 1);
      if (pair)
        ++i;
      else
        out.push_back(nodes_[x ^ 1]);
      up.push_back(x / 2);
    }
    level = std::move(up);
  }
  return out;
}

}  // namespace zk
