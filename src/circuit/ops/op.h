// The op interface: one class per circuit op with everything the system
// needs of it — parameter and shape validation, integer semantics (what the
// executor computes), interval bounds, the lookups and identities that tie
// committed outputs to their inputs, and the reduction of a claim on a
// derived output to claims on its inputs. Identities and reductions run
// against the same ReduceContext on the prover and the verifier side, so the
// two can never disagree on the order of messages.
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
  // A random point of n variables drawn from the transcript.
  virtual Point challenge_point(unsigned n) = 0;
  virtual SumcheckOutcome sumcheck(std::vector<std::vector<Fp2>>& tables,
                                   const std::vector<ProductTerm>& terms, unsigned degree,
                                   Val claim, unsigned num_vars) = 0;
};

// Everything the system needs of one circuit op. Each op is one file under
// src/circuit/ops/ defining a subclass, listed once in registry.cc; nothing
// else in the code base switches on NodeType.
class OpDef {
 public:
  virtual ~OpDef() = default;
  virtual const char* name() const = 0;
  // Whether the outputs are derived (never committed; claims on them are
  // reduced by reduce()) or committed witness tensors (tied to the inputs by
  // lookups and identities).
  virtual bool derived() const = 0;
  // The parameters the op takes (the alternative of NodeParams).
  virtual NodeParams default_params() const { return NoParams{}; }
  // Checks shapes and parameters (bad_node() on failure). The executor and the verifier index by
  // these, so a key that passes cannot make either read out of bounds. Inputs exist and are
  // computed before the node; outputs exist and name the node as their producer.
  virtual void validate(const Circuit& c, const Node& n, const std::string& where) const = 0;
  // Computes the node's outputs into v (inputs already there).
  virtual void execute(const Circuit& c, const Node& n, Values& v) const = 0;
  // Interval bounds (magnitudes) of the outputs from those of the inputs and
  // the weights, for the accumulator check; throws RangeError when a value
  // could come near the field size.
  virtual void bound(const Circuit& c, const Node& n, const Values& weights,
                     std::vector<double>& b) const = 0;
  // The lookups the node's outputs need (appended to `out`).
  virtual void lookups(const Circuit& c, const Node& n, std::vector<LookupSpec>& out) const {}
  // Witness outputs: the identity tying them to the inputs, checked at a
  // random point (both sides, through ctx), in its own proof section.
  virtual bool has_identity() const { return false; }
  virtual std::string identity_section(const Circuit& c, const Node& n) const { return ""; }
  virtual void identity(ReduceContext& ctx, const Node& n) const {}
  // Derived outputs: reduces "out(r) = claim" to claims on the inputs.
  virtual void reduce(ReduceContext& ctx, const Node& n, const Point& r, Val claim) const {
    ctx.check(false, std::string("claim on the output of ") + name() + ", which has no reduction");
  }
};

// The op of a node type (validated on load).
const OpDef& op_def(NodeType t);

// Helpers for validate(): throw FormatError naming the node.
[[noreturn]] void bad_node(const std::string& where, const std::string& what);
const Tensor& node_input(const Circuit& c, const Node& n, size_t k, const std::string& where);
inline bool is_weight(const Tensor& t) { return t.kind == TensorKind::kWeight; }
bool is_relu_table(const Circuit& c, int table);
// The bound of W x + b for a weight W of rows (its first dimension) and the
// bias: max over rows of |b| + sum |W| * bound(x). Gemm and Conv.
double matrix_bound(const Circuit& c, const Node& n, const Values& weights,
                    const std::vector<double>& b);

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
// When the tensor depends on hidden data the message leaves the value out (it
// is kept in RangeError::hidden_value, for an explicit --debug).
void check_range(const Circuit& c, const Node& n, int tensor, const std::vector<int64_t>& v,
                 int64_t lo, int64_t hi, const char* what);

}  // namespace zk::circuit
