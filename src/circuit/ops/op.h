// One definition per op: its integer semantics (what the executor computes)
// and, for ops whose output is derived rather than committed, the reduction
// of a claim on that output to claims on its inputs. Both run against the
// same ReduceContext on the prover and the verifier side, so the two can
// never disagree on the order of messages.
#pragma once

#include <string>
#include <vector>

#include "circuit/circuit.h"
#include "circuit/layout.h"
#include "poly/mle.h"
#include "sumcheck/sumcheck.h"

namespace zk::circuit {

// What an op's claim reduction needs from the protocol engine.
class ReduceContext {
 public:
  virtual ~ReduceContext() = default;
  virtual bool prover() const = 0;
  virtual const Circuit& circuit() const = 0;
  // Prover only: the padded values of tensor t.
  virtual const std::vector<int64_t>& values(int t) const = 0;
  // Values the prover sends are Vals (hash/val.h): known on the prover, and
  // on the verifier in zero-knowledge mode expressions over hidden pads.
  // Prover: evaluates tensor t at r and sends it; verifier: receives it.
  virtual Val claim(int t, const Point& r) = 0;
  // Prover: sends v; verifier: receives a value (v is ignored).
  virtual Val exchange(Fp2 v) = 0;
  // Verifier: rejects naming `what` unless ok; prover: a self-check. For
  // checks on public data only.
  virtual void check(bool ok, const std::string& what) = 0;
  // The same for a == b on sent values (a constraint in zero-knowledge mode).
  virtual void check_eq(const Val& a, const Val& b, const std::string& what) = 0;
  // Hands a claim on tensor t at r to whatever discharges it.
  virtual void resolve(int t, const Point& r, Val v) = 0;
  // Claims and resolves each term of e at r (through its views); returns e(r).
  virtual Val expr_claim(const LinExpr& e, const Point& r) = 0;
  // Prover: runs the sumcheck on `tables` (folded on return); verifier:
  // checks the rounds against `claim`. Returns the point and, on the
  // verifier, the summand's claimed value there.
  struct SumcheckOutcome {
    Point point;
    Val final_value;
  };
  virtual SumcheckOutcome sumcheck(std::vector<std::vector<Fp2>>& tables,
                                   const std::vector<ProductTerm>& terms, unsigned degree,
                                   Val claim, unsigned num_vars) = 0;
};

struct OpDef {
  // Computes node n's outputs into v (inputs already there).
  void (*execute)(const Circuit& c, const Node& n, Values& v);
  // Derived outputs only: reduces "out(r) = claim" to claims on the inputs.
  void (*reduce)(ReduceContext& ctx, const Node& n, const Point& r, Val claim);
};

const OpDef& op_def(NodeType t);

// The ops, one file each under src/circuit/ops/.
extern const OpDef kGemmOp, kConvOp, kWindowSumOp, kChannelAffineOp, kGatherOp, kLinCombOp,
    kRequantOp, kMaxDiffOp, kMaxStepOp, kSplitOp;

// Point helpers shared by ops and the protocol.
inline Point slice(const Point& r, size_t begin, size_t len) {
  return Point(r.begin() + begin, r.begin() + begin + len);
}
inline Point concat(const Point& a, const Point& b) {
  Point out = a;
  out.insert(out.end(), b.begin(), b.end());
  return out;
}
// r with a constant 0/1 coordinate inserted at variable `var` (-1: unchanged).
inline Point insert_coord(const Point& r, int var, uint8_t bit) {
  if (var < 0) return r;
  Point out(r.begin(), r.begin() + var);
  out.push_back(bit ? Fp2::one() : Fp2::zero());
  out.insert(out.end(), r.begin() + var, r.end());
  return out;
}

// The degree-2 sumcheck of sum_x pred(x) * t(x) = claim for tensor t (pred
// given on the prover only). Returns the point, the verifier's final value,
// and t's value at the point (exchanged); the caller checks pred's factor.
struct PredicateReduction {
  Point point;
  Val final_value, tensor_value;
};
PredicateReduction predicate_sumcheck(ReduceContext& ctx, std::vector<Fp2> pred, int t, Val claim);

// A value left the provable range at a valid position: RangeError naming it.
void check_range(const Node& n, const Tensor& t, const std::vector<int64_t>& v, int64_t lo,
                 int64_t hi, const char* what);

}  // namespace zk::circuit
