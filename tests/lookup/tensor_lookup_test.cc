// LogUp over tensors (src/lookup/tensor_lookup.h) on the executed LeNet
// circuit: each table's fraction tree is laid out in aligned disjoint blocks,
// its fractions sum to zero for honest values (and not for a changed one),
// and leaf_values, from claims on tensors and multiplicities, equals the
// leaves' MLEs at a random point.
#include "lookup/tensor_lookup.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "../support/random_field.h"
#include "circuit/executor.h"
#include "circuit/ops/op.h"
#include "onnx/import.h"
#include "quant/quantize.h"

namespace zk::lookup {
namespace {

using circuit::LinExpr;
using circuit::Tensor;

struct Executed {
  quant::CompiledModel model;
  circuit::Values values;
  std::vector<circuit::LookupSpec> lookups;
  std::vector<std::vector<int64_t>> mults;  // per table, per row
};

// An expression's values over its domain, in the field.
std::vector<Fp> ExprValues(const circuit::Values& v, const LinExpr& e, const Tensor& dom) {
  std::vector<Fp> out(dom.padded_size(), Fp::from_int(e.constant));
  for (const auto& term : e.terms)
    for (size_t i = 0; i < out.size(); ++i)
      out[i] += Fp::from_int(term.coeff) * Fp::from_int(v[term.tensor][view_index(term, i)]);
  return out;
}

const Executed& Lenet() {
  static Executed* x = [] {
    auto* x = new Executed;
    std::string ex = std::string(ZK_SOURCE_DIR) + "/examples/lenet/";
    auto read = [](const std::string& p) {
      std::ifstream f(p);
      return nlohmann::json::parse(f)["input_data"].get<std::vector<std::vector<float>>>();
    };
    x->model =
        quant::quantize(onnx::import_model(ex + "lenet.onnx"), read(ex + "calibration.json"));
    const auto& c = x->model.circuit;
    x->values = x->model.weights;
    x->values[c.inputs[0]] = quant::quantize_inputs(c, read(ex + "input.json"))[0];
    circuit::execute(c, x->values);
    x->lookups = circuit::lookups_of(c);
    x->mults.assign(c.tables.size(), std::vector<int64_t>(size_t{1} << c.table_bits, 0));
    const int64_t half = int64_t{1} << (c.table_bits - 1);
    for (const auto& lk : x->lookups) {
      const Tensor& dom = c.tensors[lk.domain];
      auto in = ExprValues(x->values, lk.in, dom);
      Fp offset = c.tables[lk.table].kind == circuit::TableKind::kRange ? Fp() : Fp::from_int(half);
      for (size_t i = 0; i < in.size(); ++i)
        if (circuit::is_valid_index(dom, i)) ++x->mults[lk.table][(in[i] + offset).v];
    }
    return x;
  }();
  return *x;
}

Fp2 FractionSum(const Leaves& l) {
  Fp2 s = Fp2::zero();
  for (size_t i = 0; i < l.p.size(); ++i) s += l.p[i] * l.q[i].inverse();
  return s;
}

TEST(TensorLookup, TreesAreAlignedAndHonestLeavesSumToZero) {
  const auto& x = Lenet();
  const auto& c = x.model.circuit;
  std::mt19937_64 rng(5);
  const Fp2 alpha = testing::RandomFp2(rng), beta = testing::RandomFp2(rng);
  int trees = 0;
  for (size_t tb = 0; tb < c.tables.size(); ++tb) {
    auto tree = table_tree(c, x.lookups, static_cast<int>(tb));
    if (tree.empty()) continue;
    ++trees;
    size_t end = 0;
    for (const auto& b : tree.blocks) {
      EXPECT_EQ(b.offset % b.size, 0u) << "block not aligned";
      EXPECT_GE(b.offset, end) << "blocks overlap";
      end = b.offset + b.size;
    }
    EXPECT_LE(end, size_t{1} << tree.num_vars);
    auto values = [&](const LinExpr& e, const Tensor& dom) { return ExprValues(x.values, e, dom); };
    auto leaves = tree_leaves(c, tree, x.mults[tb], alpha, beta, values);
    EXPECT_EQ(FractionSum(leaves), Fp2::zero()) << "table " << tb;
    // One looked-up value changed: the sum is no longer zero.
    for (const auto& b : tree.blocks)
      if (b.group >= 0) {
        leaves.q[b.offset] -= Fp2::one();
        break;
      }
    EXPECT_NE(FractionSum(leaves), Fp2::zero()) << "table " << tb;
  }
  EXPECT_GE(trees, 1);
}

TEST(TensorLookup, LeafValuesFromClaimsMatchTheLeavesAtAPoint) {
  const auto& x = Lenet();
  const auto& c = x.model.circuit;
  std::mt19937_64 rng(6);
  const Fp2 alpha = testing::RandomFp2(rng), beta = testing::RandomFp2(rng);
  for (size_t tb = 0; tb < c.tables.size(); ++tb) {
    auto tree = table_tree(c, x.lookups, static_cast<int>(tb));
    if (tree.empty()) continue;
    auto values = [&](const LinExpr& e, const Tensor& dom) { return ExprValues(x.values, e, dom); };
    auto leaves = tree_leaves(c, tree, x.mults[tb], alpha, beta, values);
    Point r = testing::RandomPoint(rng, tree.num_vars);
    int mult_claims = 0;
    auto multiplicity = [&](const Point& pt) -> Val {
      ++mult_claims;
      return mle_eval_int(x.mults[tb], pt);
    };
    auto expr = [&](const LinExpr& e, const Point& pt) -> Val {
      Fp2 acc = Fp2::from_int(e.constant);
      for (const auto& term : e.terms)
        acc += Fp2::from_int(term.coeff) *
               mle_eval_int(x.values[term.tensor],
                            circuit::insert_coord(pt, term.insert_var, term.insert_bit));
      return acc;
    };
    auto lv = leaf_values(c, tree, r, alpha, beta, multiplicity, expr);
    EXPECT_EQ(lv.p.value(), mle_eval(std::span<const Fp2>(leaves.p), r)) << "table " << tb;
    EXPECT_EQ(lv.q.value(), mle_eval(std::span<const Fp2>(leaves.q), r)) << "table " << tb;
    EXPECT_EQ(mult_claims, 1);
  }
}

}  // namespace
}  // namespace zk::lookup
