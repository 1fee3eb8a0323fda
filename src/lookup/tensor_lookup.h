// LogUp over tensors: every lookup into one table (LookupSpec: a tensor
// expression, over the valid positions of its domain tensor) and the table
// itself, with negated multiplicities, as the leaves of one fraction tree
// whose sum is zero exactly when every looked-up row is in the table. The
// GKR reduction (logup.h) leaves one claim on the leaves; leaf_values turns
// it into claims on the looked-up tensors and the multiplicities.
#pragma once

#include <functional>
#include <vector>

#include "circuit/circuit.h"
#include "hash/val.h"
#include "poly/mle.h"

namespace zk::lookup {

// One block of the tree: a group of lookups over the same domain tensor
// (instances side by side, padded to a power of two), or the table.
struct TreeBlock {
  size_t size;
  int group;  // index into TableTree::groups; -1: the table
  size_t offset = 0;
};

// The leaves of one table's fraction tree: the blocks sorted by size, so each
// sits at a multiple of its size.
struct TableTree {
  int table = 0;
  std::vector<std::vector<const circuit::LookupSpec*>> groups;  // per domain tensor
  std::vector<TreeBlock> blocks;
  unsigned num_vars = 0;
  bool empty() const { return groups.empty(); }
};

// The tree of lookups into `table` (empty when nothing looks it up); the
// specs must outlive it.
TableTree table_tree(const circuit::Circuit& c, const std::vector<circuit::LookupSpec>& lookups,
                     int table);

// A table's input (out = false) or output column over its 2^table_bits rows.
std::vector<Fp> table_column(const circuit::Circuit& c, const circuit::Table& t, bool out);

// Prover: the leaf numerators p (1 on looked-up positions, minus the
// multiplicity on table rows) and denominators q = alpha - (in + beta out).
// `values(e, domain)` gives a lookup expression's committed values.
struct Leaves {
  std::vector<Fp2> p, q;
};
using ExprValues = std::function<std::vector<Fp>(const circuit::LinExpr&, const circuit::Tensor&)>;
Leaves tree_leaves(const circuit::Circuit& c, const TableTree& tree,
                   const std::vector<int64_t>& multiplicities, Fp2 alpha, Fp2 beta,
                   const ExprValues& values);

// Both sides: the leaf MLEs at the GKR point, from claims the callbacks make
// (in protocol order): `multiplicity(point)` claims the table's
// multiplicities at a point, `expr(e, point)` a lookup expression.
struct LeafValues {
  Val p, q;
};
LeafValues leaf_values(const circuit::Circuit& c, const TableTree& tree, const Point& point,
                       Fp2 alpha, Fp2 beta, const std::function<Val(const Point&)>& multiplicity,
                       const std::function<Val(const circuit::LinExpr&, const Point&)>& expr);

}  // namespace zk::lookup
