// Softmax, LogSoftmax, ReduceLogSumExp, ReduceSumSquare and ReduceL2, built
// from reductions, gathers, linear combinations and function tables (no
// product of two activations is needed):
//   m = max over the axes, d = x - m (m broadcast by a gather), e = exp(d)
//   (a table; d <= 0 so e is in (0, 1]), s = sum of e (an AxisSum, s >= 1),
//   l = log(s) (a table), LogSoftmax = d - l, Softmax = exp(d - l) (a table),
//   LogSumExp = m + l; SumSquare = sum of x^2 (a table), L2 = sqrt of it.
// Intermediate scales are chosen from the input's calibrated range so each
// table's input uses the whole table (scale bound 2^(T-1) - 1). Error (T =
// table bits, n = elements reduced): d is exact at the input's scale; e has
// relative error <= 2^-(s_d+1) + 2^-(s_e+1) with s_e = T-2 (so 1.0 = 2^(T-2));
// s's absolute error is at most n 2^-(s_e+1), and as s >= 1 (the maximum's
// own term is exactly 1) l = log s errs by at most n 2^-(T-1) + 2^-(s_l+1)
// plus the rounding of s to the log table's input; Softmax's output then
// errs by its value times the error of d - l plus half an output unit.
// For n up to a few hundred this is well under 1% of max |output|.
#include <algorithm>
#include <cmath>

#include "quant/lowering_impl.h"
#include "quant/scales.h"

namespace zk::quant {

namespace {

double f_exp(double x) { return std::exp(x); }
double f_log(double x) { return x > 0 ? std::log(x) : -1e300; }
double f_square(double x) { return x * x; }
double f_sqrt(double x) { return x > 0 ? std::sqrt(x) : 0.0; }
// exp(-32) is below half of any output unit (scales are at most 2^20).
constexpr double kExpFloor = 32;
double f_floor(double x) { return std::max(x, -kExpFloor); }
// A Softmax output read only as the model's output is split at 2^-kSplit
// into two tables: exp below it at kSplit more fractional bits.
constexpr int kSplit = 5;
double f_exp_small(double x) {
  const double e = std::exp(x);
  return e < std::ldexp(1.0, -kSplit) ? e : 0.0;
}
double f_exp_large(double x) {
  const double e = std::exp(x);
  return e < std::ldexp(1.0, -kSplit) ? 0.0 : e;
}

}  // namespace

int Lowering::internal_table(const std::string& fname, double (*f)(double), int s_in, int s_out) {
  const int T = static_cast<int>(opt_.table_bits);
  const int64_t half = int64_t{1} << (T - 1);
  Table t;
  t.kind = TableKind::kFunction;
  t.name =
      fname + " (input 2^-" + std::to_string(s_in) + ", output 2^-" + std::to_string(s_out) + ")";
  t.values.resize(size_t{1} << T);
  for (size_t j = 0; j < t.values.size(); ++j) {
    double y = std::ldexp(f(std::ldexp(static_cast<double>(static_cast<int64_t>(j) - half), -s_in)),
                          s_out);
    t.values[j] = std::isfinite(y) ? std::llround(std::clamp(y, -double(half), double(half - 1)))
                                   : (y > 0 ? half - 1 : -half);
  }
  for (size_t i = 0; i < c_.tables.size(); ++i)
    if (c_.tables[i] == t) return static_cast<int>(i);
  c_.tables.push_back(std::move(t));
  return static_cast<int>(c_.tables.size()) - 1;
}

int Lowering::table_requant(const std::string& layer, const std::string& name, int acc, int s_acc,
                            int s_q, int s_y, const char* fname, double (*f)(double)) {
  const int table = f ? internal_table(fname, f, s_q, s_y) : -1;
  return add_requant(layer, acc, name, s_q, f ? s_y : s_q, 1, s_acc - s_q, table);
}

int Lowering::broadcast(const FNode& n, int s, int x) {
  const Tensor xt = c_.tensors[x], st = c_.tensors[s];
  int b = add_tensor(st.name + ".bcast", xt.dims, st.scale, TensorKind::kDerived, xt.log_dims);
  const Tensor bt = c_.tensors[b];
  Node gn;
  gn.type = NodeType::kGather;
  gn.layer = n.name;
  gn.in = {s};
  gn.out = {b};
  auto& map = gn.p<circuit::GatherParams>().map;
  map.assign(bt.padded_size(), -1);
  std::vector<int64_t> idx(xt.dims.size(), 0);
  for (size_t i = 0; i < bt.padded_size(); ++i) {
    if (!circuit::is_valid_index(bt, i)) continue;
    for (size_t d = 0; d < idx.size(); ++d)
      idx[d] =
          st.dims[d] == 1
              ? 0
              : static_cast<int64_t>((i >> bt.var_offset(d)) & ((size_t{1} << bt.log_dims[d]) - 1));
    map[i] = static_cast<int64_t>(circuit::padded_index(st, idx));
  }
  add_node(std::move(gn));
  return b;
}

int Lowering::combine(const FNode& n, const std::string& name, int a, int b, int sign) {
  const Tensor at = c_.tensors[a], bt = c_.tensors[b];
  const int S = std::max(at.scale, bt.scale);
  if (S - std::min(at.scale, bt.scale) > 40)
    throw ModelError("layer '" + n.name + "': the ranges of '" + at.name + "' and '" + bt.name +
                     "' are too far apart (scales 2^" + std::to_string(at.scale) + " and 2^" +
                     std::to_string(bt.scale) + ") to be combined");
  int out = add_tensor(name, at.dims, S, TensorKind::kDerived, at.log_dims);
  Node node;
  node.type = NodeType::kLinComb;
  node.layer = n.name;
  node.in = {a, b};
  node.out = {out};
  node.p<circuit::LinCombParams>().expr.terms = {Term{a, int64_t{1} << (S - at.scale)},
                                                 Term{b, sign * (int64_t{1} << (S - bt.scale))}};
  add_node(std::move(node));
  return out;
}

int Lowering::at_activation_scale(const FNode& n, int x, int value) {
  const Tensor xt = c_.tensors[x];
  const int s = choose_scale(amax_[value], act_bound_, opt_.max_scale);
  if (xt.scale <= s) return x;
  // A public input may carry more precision than the tables' range allows
  // for differences (max-pool steps): requantize it to the activation scale.
  return table_requant(n.name, xt.name + ".act", x, xt.scale, s, s, nullptr, nullptr);
}

void Lowering::lower_softmax(int idx) {
  const FNode& n = g_.nodes[idx];
  int x = materialize(n.inputs[0], n.name);
  const Tensor xt = c_.tensors[x];
  for (auto a : n.axes)
    if (a < 0 || a >= static_cast<int64_t>(xt.dims.size()))
      unsupported(n, "reduced axis out of range");
  const int ms = opt_.max_scale;
  const double top = std::ldexp(1.0, static_cast<int>(opt_.table_bits) - 1) - 1;
  const double ax = std::max(amax_[n.inputs[0]], 1e-6);
  double count = 1;
  for (auto a : n.axes) count *= static_cast<double>(xt.dims[a]);
  const std::string& out_name = g_.values[n.output].name;
  const double ay = std::max(amax_[n.output], 1e-6);
  auto finish = [&](int y) {
    handles_[n.output] = {y, c_.tensors[y].dims, {}};
    view_as_value(n.output);
  };
  if (n.kind == OpKind::kReduceSumSquare || n.kind == OpKind::kReduceL2) {
    const int s_sq = choose_scale(ax * ax, top, ms);
    int sq = table_requant(n.name, out_name + ".square", x, xt.scale, choose_scale(ax, top, ms),
                           s_sq, "x^2", f_square);
    int sum = axis_sum(n, sq);
    if (n.kind == OpKind::kReduceSumSquare) {
      int act = fusable_activation(n.output);
      int value = act >= 0 ? g_.nodes[act].output : n.output;
      finish_linear(idx, sum, s_sq);
      return view_as_value(value);
    }
    return finish(table_requant(n.name, out_name, sum, s_sq, choose_scale(ay * ay, top, ms),
                                choose_scale(ay, act_bound_, ms), "sqrt", f_sqrt));
  }
  x = at_activation_scale(n, x, n.inputs[0]);
  int m = reduce_max_tensor(n, x, false);
  int d = combine(n, out_name + ".centered", x, broadcast(n, m, x), -1);
  double ad = ax;  // d is in [-2 ad, 0]
  if (n.kind == OpKind::kSoftmax && 2 * ax > std::ldexp(1.0, static_cast<int>(opt_.table_bits))) {
    // Logits spread wider than the exp table's input range: every d below
    // -kExpFloor gives an output below half a unit, so d is clamped there
    // first (a table), else d - log(sum) would need scales too far apart.
    d = table_requant(n.name, out_name + ".clamped", d, c_.tensors[d].scale,
                      choose_scale(2 * ax, top, ms), choose_scale(kExpFloor, top, ms),
                      "max(x, -32)", f_floor);
    ad = kExpFloor / 2;
  }
  const int s_e = choose_scale(1.0, top, ms);
  int e = table_requant(n.name, out_name + ".exp", d, c_.tensors[d].scale,
                        choose_scale(2 * ad, top, ms), s_e, "exp", f_exp);
  auto mask = masks_.find(n.inputs[0]);  // an attention mask (lower_mask.cc)
  if (mask != masks_.end()) e = zero_masked(n.name, e, mask->second);
  int sum = axis_sum(n, e);
  int l = table_requant(n.name, out_name + ".logsum", sum, s_e, choose_scale(count, top, ms),
                        choose_scale(std::max(1.0, std::log(count)), top, ms), "log", f_log);
  if (n.kind == OpKind::kReduceLogSumExp) {
    int act = fusable_activation(n.output);
    int value = act >= 0 ? g_.nodes[act].output : n.output;
    int lse = combine(n, out_name + ".lse", m, l, 1);
    finish_linear(idx, lse, c_.tensors[lse].scale);
    return view_as_value(value);
  }
  int z = combine(n, out_name + ".log", d, broadcast(n, l, x), -1);
  const int s_z = c_.tensors[z].scale;
  if (n.kind == OpKind::kLogSoftmax) {
    int act = fusable_activation(n.output);
    int value = act >= 0 ? g_.nodes[act].output : n.output;
    finish_linear(idx, z, s_z);
    return view_as_value(value);
  }
  const int s_q = choose_scale(2 * ad + std::log(count) + 1, top, ms);
  // A probability is at most 1 whatever the calibration saw: a flat
  // calibration must not leave a peaked input's 0.99 out of range.
  const int s_y = choose_scale(std::max(ay, 1.0), act_bound_, ms);
  // Probabilities over many classes (a model's final Softmax, ~1/count
  // each) keep few bits at s_y: when nothing but the model's output reads
  // them, they are split into a fine and a coarse table.
  const bool only_output =
      consumers_[n.output] ==
      static_cast<int>(std::count(g_.outputs.begin(), g_.outputs.end(), n.output));
  if (mask == masks_.end() && only_output && std::ldexp(ay, s_y) < 128)
    return finish(split_softmax_output(n, z, s_z, s_q));
  int y = table_requant(n.name, out_name, z, s_z, s_q, s_y, "exp", f_exp);
  finish(mask != masks_.end() ? zero_masked(n.name, y, mask->second) : y);
}

// The Softmax output exp(z), z <= 0, as y_small + 2^kSplit y_large: both
// tables read the same q (z at scale s_q); y_large holds exp(z) >= 2^-kSplit
// at the coarse scale s_c (1.0 at 2^(T-2)), y_small the smaller values at
// s_c + kSplit (below 2^(T-2) units too). Each output keeps at least T - 2 -
// kSplit significant bits, where one table keeps T - 2 - log2(count).
int Lowering::split_softmax_output(const FNode& n, int z, int s_z, int s_q) {
  const double top = std::ldexp(1.0, static_cast<int>(opt_.table_bits) - 1) - 1;
  const int s_c = choose_scale(1.0, top, 62);
  const std::string& out_name = g_.values[n.output].name;
  int small = table_requant(n.name, out_name + ".small", z, s_z, s_q, s_c + kSplit,
                            "exp below 2^-5", f_exp_small);
  int large =
      table_requant(n.name, out_name + ".large", z, s_z, s_q, s_c, "exp from 2^-5", f_exp_large);
  return combine(n, out_name, small, large, 1);
}

}  // namespace zk::quant
