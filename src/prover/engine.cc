#include "prover/engine.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "field/progress.h"

namespace zk::prover {

Trace::Trace() : on_(std::getenv("ZK_TRACE") != nullptr), t_(std::chrono::steady_clock::now()) {}

void Trace::mark(const char* what) {
  if (!on_) return;
  auto now = std::chrono::steady_clock::now();
  std::fprintf(stderr, "  %-45s %8.2f ms\n", what,
               std::chrono::duration<double, std::milli>(now - t_).count());
  t_ = now;
}

template <bool kProver>
Engine<kProver>::Engine(Channel& ch, const Circuit& c, const Statement& st,
                        const Digest& weight_root, const ProverSetup* prover)
    : ch_(ch),
      c_(c),
      st_(st),
      weight_root_(weight_root),
      zk_(zero_knowledge(c)),
      wl_(weight_layout(c)),
      wpcs_(weight_pcs(c, wl_)) {
  if constexpr (kProver) {
    if (!prover || !prover->values || !prover->weights || !prover->statement || !prover->hooks)
      throw std::logic_error("prover engine: incomplete setup");
    p_ = *prover;
    shape_ = p_.shape;
    pairs_ = p_.pairs;
  }
}

template <bool kProver>
void Engine<kProver>::run(Stop stop) {
  Trace trace;
  // The prover's progress (the fractions of VGG-16's proving time before
  // each phase; executing the model comes first, in proof::prove).
  auto progress = [&](const char* phase, double fraction) {
    if constexpr (kProver)
      if (stop == Stop::kNone) report_progress(phase, fraction);
  };
  progress("committing to the witness", 0.12);
  commit_phase();
  trace.mark("witness commitment");
  progress("lookup arguments", 0.22);
  lookup_phase();
  trace.mark("lookups (with the layers they reach)");
  output_phase();
  commitment_phase();
  trace.mark("outputs");
  progress("layers and requantizations", 0.40);
  identity_phase();
  trace.mark("requantizations (with the layers they reach)");
  if (stop == Stop::kPlan) return;
  progress(zk_ ? "zero-knowledge argument and openings" : "openings", 0.46);
  if (!zk_) {
    plain_openings();
    trace.mark("openings");
    return;
  }
  product_phase();
  trace.mark("zero-knowledge pad products");
  if (stop == Stop::kBeforeFinal) return;
  final_phase();
  trace.mark("zero-knowledge constraints and openings");
}

template <bool kProver>
Val Engine<kProver>::claim(int t, const Point& r) {
  return xchg([&] {
    if (const auto* fv = p_.hooks->committed_values(t))
      return mle_eval(std::span<const Fp>(*fv), r);
    return mle_eval_int((*p_.values)[t], r);
  });
}

template <bool kProver>
void Engine<kProver>::check(bool ok, const std::string& what) {
  if constexpr (kProver) {
    if (!ok && p_.hooks->self_checks())
      throw std::logic_error(ch_.label() + ": prover self-check failed: " + what);
  } else {
    ch_.expect(ok, what);
  }
}

template <bool kProver>
void Engine<kProver>::check_eq(const Val& a, const Val& b, const std::string& what) {
  if constexpr (kProver) {
    check(a.value() == b.value(), what);
  } else {
    ch_.expect_eq(a, b, what);
  }
}

template <bool kProver>
ReduceContext::SumcheckOutcome Engine<kProver>::sumcheck(std::vector<std::vector<Fp2>>& tables,
                                                         const std::vector<ProductTerm>& terms,
                                                         unsigned degree, Val claim,
                                                         unsigned num_vars) {
  if constexpr (kProver) {
    return {sumcheck_prove(ch_, tables, terms, degree), Val()};
  } else {
    auto sc = sumcheck_verify(ch_, claim, num_vars, degree);
    return {sc.point, sc.value};
  }
}

// Claims each term of e at r (through its view), resolves them and returns e(r).
template <bool kProver>
Val Engine<kProver>::expr_claim(const LinExpr& e, const Point& r) {
  Val acc = Fp2::from_int(e.constant);
  for (const auto& term : e.terms) {
    Point rp = insert_coord(r, term.insert_var, term.insert_bit);
    Val v = claim(term.tensor, rp);
    resolve(term.tensor, rp, v);
    acc += Fp2::from_int(term.coeff) * v;
  }
  return acc;
}

// A claim on a committed block is collected for the final argument; one on a
// public input is checked at once; one on a derived tensor is reduced by its
// producing op, in its own proof section.
template <bool kProver>
void Engine<kProver>::resolve(int t, const Point& r, Val v) {
  const Tensor& tt = c_.tensors[t];
  if (r.size() != tt.num_vars()) {
    check(false, "claim on tensor '" + tt.name + "' has a point of the wrong length");
    return;
  }
  if (xl_.offset[t] >= 0) {  // in the witness commitment
    claims_.push_back({{{0, static_cast<size_t>(xl_.offset[t]), Fp2::one()}}, r, std::move(v)});
    return;
  }
  switch (tt.kind) {
    case TensorKind::kInput: {
      size_t idx = std::find(c_.inputs.begin(), c_.inputs.end(), t) - c_.inputs.begin();
      check_eq(mle_eval_int(st_.inputs[idx], r), v,
               "claim on the public input '" + tt.name + "' does not match the input");
      return;
    }
    case TensorKind::kWeight: {
      const Pieces& p = wl_.pieces[t];
      if (p.low_vars == 0) {
        claims_.push_back({{{1, static_cast<size_t>(wl_.offset[t]), Fp2::one()}}, r, std::move(v)});
        return;
      }
      // sum_j eq(r_low, low_index_j) * piece_j(r_high)
      ZkClaim cl{{}, r, std::move(v)};
      std::span<const Fp2> low(r.data(), p.low_vars);
      for (size_t j = 0; j < p.low_index.size(); ++j)
        cl.terms.push_back({1, p.offset[j], eq_at_index(low, p.low_index[j]), p.low_vars});
      claims_.push_back(std::move(cl));
      return;
    }
    case TensorKind::kWitness:
      check(false, "claim on a witness tensor outside the commitment");
      return;
    case TensorKind::kDerived: {
      const Node& n = c_.nodes[tt.producer];
      const OpDef& op = op_def(n.type);
      std::string saved = ch_.label();
      ch_.section("layer '" + n.layer + "' (" + node_type_name(n.type) + ")");
      op.reduce(*this, n, r, v);
      ch_.section(saved);
      return;
    }
  }
}

template <bool kProver>
Point Engine<kProver>::challenge_point(unsigned n) {
  Point r(n);
  for (auto& x : r) x = ch_.challenge("point");
  return r;
}

// A lookup expression's values over the domain, in the field (the prover's
// witness as committed).
template <bool kProver>
std::vector<Fp> Engine<kProver>::expr_values(const LinExpr& e, const Tensor& dom) const {
  std::vector<Fp> out(dom.padded_size(), Fp::from_int(e.constant));
  for (const auto& term : e.terms) {
    Fp coeff = Fp::from_int(term.coeff);
    const auto* fv = p_.hooks->committed_values(term.tensor);
    const auto& tv = (*p_.values)[term.tensor];
    for (size_t i = 0; i < out.size(); ++i) {
      size_t k = view_index(term, i);
      out[i] += coeff * (fv ? (*fv)[k] : Fp::from_int(tv[k]));
    }
  }
  return out;
}

template <bool kProver>
VirtualLayout Engine<kProver>::virtual_vars() const {
  std::vector<unsigned> tv;
  for (int t : committed_tensors(c_)) tv.push_back(tensor_commit_vars(c_.tensors[t]));
  return virtual_layout(xl_.num_vars, tv, hidden_weights() ? wl_.num_vars : 0, wl_.used);
}

template class Engine<true>;
template class Engine<false>;

}  // namespace zk::prover
