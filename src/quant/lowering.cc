// Lowering: the graph walk, tensors, requantization with its activation
// tables, and the layout ops (views, gathers).
#include <algorithm>
#include <cmath>

#include "model/activations.h"
#include "poly/mle.h"
#include "quant/lowering_impl.h"
#include "quant/scales.h"

namespace zk::quant {

Lowering::Lowering(const FloatGraph& g, const std::vector<double>& amax, const QuantOptions& opt,
                   std::vector<std::vector<float>> input_samples)
    : g_(g), amax_(amax), opt_(opt), input_samples_(std::move(input_samples)) {
  c_.table_bits = opt.table_bits;
  c_.tables.push_back(Table{});  // tables[0]: the range table
  c_.input_vis = opt.input_vis;
  c_.weight_vis = opt.weight_vis;
  c_.output_vis = opt.output_vis;
  c_.weight_proofs = opt.weight_proofs;
  act_bound_ = std::ldexp(1.0, static_cast<int>(opt.table_bits) - 2) - 1;
  consumers_.assign(g.values.size(), 0);
  for (const auto& n : g.nodes)
    for (int i : n.inputs) ++consumers_[i];
  for (int o : g.outputs) ++consumers_[o];
}

CompiledModel Lowering::run() {
  handles_.resize(g_.values.size());
  for (size_t i = 0; i < g_.inputs.size(); ++i) {
    int in = g_.inputs[i];
    const auto& v = g_.values[in];
    // Inputs are public data, never range-checked: beyond the activation
    // scale they may use up to 2^23 per value when small features need it.
    int s = choose_scale(amax_[in], act_bound_, opt_.max_scale);
    // When the activation scale leaves small features with under 2
    // significant bits, give them 8.
    // A hidden input is range-checked to |x| < 2^(2T-1) (kSplit): stay a
    // factor 4 inside that.
    double top = std::ldexp(1.0, 23) - 1;
    if (opt_.input_vis != circuit::Visibility::kPublic)
      top = std::min(top, std::ldexp(1.0, 2 * static_cast<int>(opt_.table_bits) - 3));
    int cap = choose_scale(amax_[in], top, 24);
    if (i < input_samples_.size() && precise_scale(input_samples_[i], s, cap, 2) > s)
      s = precise_scale(input_samples_[i], s, cap, 8);
    int t = add_tensor(v.name, v.shape, s, TensorKind::kInput);
    c_.inputs.push_back(t);
    handles_[in] = {t, c_.tensors[t].dims, {}};
    if (opt_.input_vis != circuit::Visibility::kPublic) {
      // Its two limbs, range-checked by lookups (circuit/ops/split.cc).
      Node n;
      n.type = NodeType::kSplit;
      n.layer = "input '" + v.name + "'";
      n.in = {t};
      int lo = add_tensor(v.name + ".lo", v.shape, 0, TensorKind::kWitness);
      int hi = add_tensor(v.name + ".hi", v.shape, 0, TensorKind::kWitness);
      n.out = {lo, hi};
      add_node(std::move(n));
    }
  }
  for (size_t i = 0; i < g_.nodes.size(); ++i) {
    if (fused_.count(static_cast<int>(i))) continue;
    lower(static_cast<int>(i));
  }
  for (int o : g_.outputs) c_.outputs.push_back(materialize(o, "output"));
  c_.validate();
  check_accumulator_bounds(c_, weights_);
  CompiledModel m{std::move(c_), std::move(weights_)};
  m.weights.resize(m.circuit.tensors.size());
  return m;
}

int Lowering::add_tensor(const std::string& name, const std::vector<int64_t>& dims, int scale,
                         TensorKind kind, std::vector<uint32_t> log_dims) {
  Tensor t;
  t.name = name;
  t.dims = dims.empty() ? std::vector<int64_t>{1} : dims;  // scalars as [1]
  // From the stored dims, so that a scalar's layout has its one dimension
  // (every layout walk reads one log_dim per dim).
  t.log_dims = log_dims.empty() ? log_dims_of(t.dims) : std::move(log_dims);
  t.scale = scale;
  t.kind = kind;
  c_.tensors.push_back(std::move(t));
  weights_.resize(c_.tensors.size());
  return static_cast<int>(c_.tensors.size()) - 1;
}

int Lowering::add_node(Node n) {
  int id = static_cast<int>(c_.nodes.size());
  for (int o : n.out)
    if (o >= 0) c_.tensors[o].producer = id;
  c_.nodes.push_back(std::move(n));
  return id;
}

int Lowering::add_weight(const std::string& name, const std::vector<int64_t>& dims,
                         std::vector<int64_t> padded) {
  int t = add_tensor(name, dims, 0, TensorKind::kWeight);
  weights_[t] = std::move(padded);
  return t;
}

[[noreturn]] void Lowering::unsupported(const FNode& n, const std::string& why) {
  throw ModelError("layer '" + n.name + "' (" + n.onnx_op + "): " + why);
}

int Lowering::table_for(OpKind k, const FNode& n, int scale) {
  Table t;
  if (k == OpKind::kRelu) {
    t.kind = TableKind::kRelu;
  } else {
    t.kind = TableKind::kClip;
    // Clamp in floating point first: an open bound arrives as +-FLT_MAX.
    double lim = std::ldexp(1.0, static_cast<int>(opt_.table_bits) - 1);
    t.lo = std::llround(std::clamp(std::ldexp(double(n.clip_lo), scale), -lim, lim - 1));
    t.hi = std::llround(std::clamp(std::ldexp(double(n.clip_hi), scale), -lim, lim - 1));
  }
  for (size_t i = 0; i < c_.tables.size(); ++i)
    if (c_.tables[i].kind == t.kind && c_.tables[i].lo == t.lo && c_.tables[i].hi == t.hi)
      return static_cast<int>(i);
  c_.tables.push_back(t);
  return static_cast<int>(c_.tables.size()) - 1;
}

// The function table of activation node `an`: row j holds the input
// v = j - 2^(T-1) at scale s_in and round(f(v / 2^s_in) * 2^s_out),
// saturated to the activation range.
int Lowering::function_table(const FNode& an, int s_in, int s_out) {
  const model::Activation* a = model::find_activation(an.activation);
  if (!a) unsupported(an, "unknown activation '" + an.activation + "'");
  if (an.activation == model::kIsZeroActivation && s_in < 0)
    unsupported(an,
                "the ids of this embedding lookup do not fit the lookup tables even at 2^18 rows "
                "(at most 52428 rows are supported)");
  const int T = static_cast<int>(opt_.table_bits);
  const int64_t half = int64_t{1} << (T - 1);
  Table t;
  t.kind = TableKind::kFunction;
  t.name = an.activation + " (input 2^-" + std::to_string(s_in) + ", output 2^-" +
           std::to_string(s_out) + ")";
  t.values.resize(size_t{1} << T);
  for (size_t j = 0; j < t.values.size(); ++j) {
    double x = std::ldexp(static_cast<double>(static_cast<int64_t>(j) - half), -s_in);
    double y = std::ldexp(a->f(x, an.attrs), s_out);
    t.values[j] = std::isfinite(y) ? std::llround(std::clamp(y, -double(half), double(half - 1)))
                                   : (y > 0 ? half - 1 : -half);
  }
  for (size_t i = 0; i < c_.tables.size(); ++i)
    if (c_.tables[i] == t) return static_cast<int>(i);
  c_.tables.push_back(std::move(t));
  return static_cast<int>(c_.tables.size()) - 1;
}

int Lowering::relu_table() {
  FNode dummy;
  return table_for(OpKind::kRelu, dummy, 0);
}

// If value v's only consumer is an activation (Relu, Clip, a table
// activation), returns that node's index.
int Lowering::fusable_activation(int v) {
  if (consumers_[v] != 1) return -1;
  for (size_t i = 0; i < g_.nodes.size(); ++i) {
    const auto& n = g_.nodes[i];
    if ((n.kind == OpKind::kRelu || n.kind == OpKind::kClip || n.kind == OpKind::kActivation) &&
        n.inputs.size() == 1 && n.inputs[0] == v)
      return static_cast<int>(i);
  }
  return -1;
}

// The scale of the requantized (pre-activation) value q: the output's,
// except before a function table, whose input has its own range.
int Lowering::pre_scale(int pre_value, int value, int act_node) {
  bool fn = act_node >= 0 && g_.nodes[act_node].kind == OpKind::kActivation;
  double amax = amax_[fn ? pre_value : value];
  // An embedding's one-hot: id - v for any id in [-rows, rows), whatever the
  // calibration ids were: an exact bound, so the whole table's input range
  // (not the activation range with its headroom) may hold it.
  if (fn && g_.nodes[act_node].activation == model::kIsZeroActivation) {
    const double table_half = std::ldexp(1.0, static_cast<int>(opt_.table_bits) - 1) - 1;
    return choose_scale(std::max(amax, 2.0 * g_.nodes[act_node].attrs.at(0)), table_half,
                        opt_.max_scale);
  }
  int s = choose_scale(amax, act_bound_, opt_.max_scale);
  // ReLU and Clip keep q at the output's scale, but q itself (the
  // pre-activation value) must fit the table's input range, twice the
  // activation range: a Clip(-0.5, 0.5) of values up to 2 needs a coarser
  // scale than its output alone would.
  if (act_node >= 0 && !fn) {
    const double table_half = std::ldexp(1.0, static_cast<int>(opt_.table_bits) - 1) - 1;
    s = std::min(s, choose_scale(amax_[pre_value], table_half, opt_.max_scale));
  }
  return s;
}

// Requantizes derived tensor `acc` (at scale s_acc), which holds float value
// `pre_value`, into a committed tensor holding float value `value`
// (calibrated), applying an optional activation.
int Lowering::requant(const std::string& layer, int acc, int s_acc, int pre_value, int value,
                      int act_node, double extra_mult) {
  int s_q = pre_scale(pre_value, value, act_node);
  // A function table has its own output scale; ReLU, Clip and no activation
  // keep q's.
  const bool fn = act_node >= 0 && g_.nodes[act_node].kind == OpKind::kActivation;
  int s_y = fn ? choose_scale(amax_[value], act_bound_, opt_.max_scale) : s_q;
  int shift = s_acc - s_q;
  int64_t mult = 1;
  if (extra_mult != 1.0) {
    // y = acc * extra * 2^(s_y - s_acc): a fixed-point multiplier with
    // table_bits - 1 fractional bits absorbed into the shift.
    int m = 2 * static_cast<int>(opt_.table_bits) - std::max(0, shift);
    mult = std::llround(std::ldexp(extra_mult, m));
    shift += m;
  }
  int table = -1;
  if (act_node >= 0) {
    const auto& an = g_.nodes[act_node];
    table =
        an.kind == OpKind::kActivation ? function_table(an, s_q, s_y) : table_for(an.kind, an, s_y);
  }
  return add_requant(layer, acc, g_.values[value].name, s_q, s_y, mult, shift, table);
}

int Lowering::add_requant(const std::string& layer, int acc, const std::string& name, int s_q,
                          int s_y, int64_t mult, int shift, int table) {
  const Tensor at = c_.tensors[acc];  // a copy: add_tensor grows c_.tensors
  const int T = static_cast<int>(opt_.table_bits);
  if (shift < 0) {
    if (-shift > 40) throw ModelError("layer '" + layer + "': scales too far apart");
    mult <<= -shift;
    shift = 0;
  }
  if (shift > 2 * T) {
    // The rounding remainder is range-checked in at most two table limbs.
    throw ModelError("layer '" + layer + "': rescaling by 2^" + std::to_string(shift) +
                     " exceeds twice the lookup table size (" + std::to_string(T) +
                     " bits); lower the weight precision");
  }
  const auto& dims = at.dims;
  const auto& ld = at.log_dims;
  int y = add_tensor(name, dims, s_y, TensorKind::kWitness, ld);
  int q = table >= 0 ? add_tensor(name + ".pre", dims, s_q, TensorKind::kWitness, ld) : -1;
  int rem = shift > 0 ? add_tensor(name + ".rem", dims, 0, TensorKind::kWitness, ld) : -1;
  int rem_hi = shift > T ? add_tensor(name + ".rem_hi", dims, 0, TensorKind::kWitness, ld) : -1;
  Node n;
  n.type = NodeType::kRequant;
  n.layer = layer;
  n.in = {acc};
  n.out = {y, q, rem, rem_hi};
  n.params = circuit::RequantParams{mult, shift, table};
  add_node(std::move(n));
  return y;
}

int Lowering::add_gather(const std::string& layer, const std::string& name, int from,
                         const std::vector<int64_t>& dims, const std::vector<int64_t>& src,
                         std::vector<uint32_t> log_dims) {
  int t = add_tensor(name, dims, c_.tensors[from].scale, TensorKind::kDerived, std::move(log_dims));
  const Tensor& tt = c_.tensors[t];
  Node n;
  n.type = NodeType::kGather;
  n.layer = layer;
  n.in = {from};
  n.out = {t};
  auto& map = n.p<circuit::GatherParams>().map;
  map.assign(tt.padded_size(), -1);
  // Walk the tensor's dims, not a value's shape: a scalar value has shape []
  // but its tensor has one dimension.
  std::vector<int64_t> idx(tt.dims.size(), 0);
  for (size_t flat = 0; flat < src.size(); ++flat) {
    map[circuit::padded_index(tt, idx)] = src[flat];
    for (size_t d = idx.size(); d-- > 0;) {
      if (++idx[d] < tt.dims[d]) break;
      idx[d] = 0;
    }
  }
  add_node(std::move(n));
  return t;
}

// Gives value v a tensor of exactly its logical shape (a Gather when it is a view).
int Lowering::materialize(int v, const std::string& why) {
  Handle& h = handles_[v];
  if (h.tensor < 0) throw ModelError("value '" + g_.values[v].name + "' is not computed");
  if (h.map.empty()) return h.tensor;
  const int t = add_gather(g_.values[v].name + " (layout for " + why + ")", g_.values[v].name,
                           h.tensor, h.shape, h.map);
  handles_[v] = {t, handles_[v].shape, {}};
  return t;
}

// Logical flat index -> padded index, for any handle.
std::vector<int64_t> Lowering::flat_map(const Handle& h) {
  if (!h.map.empty()) return h.map;
  const Tensor& t = c_.tensors[h.tensor];
  std::vector<int64_t> m;
  m.reserve(t.numel());
  for (size_t i = 0; i < t.padded_size(); ++i)
    if (circuit::is_valid_index(t, i)) m.push_back(static_cast<int64_t>(i));
  return m;
}

void Lowering::lower(int idx) {
  const FNode& n = g_.nodes[idx];
  switch (n.kind) {
    case OpKind::kGemm:
      return lower_gemm(idx);
    case OpKind::kConv:
      return lower_conv(idx);
    case OpKind::kChannelAffine:
      return lower_affine(idx);
    case OpKind::kAdd:
    case OpKind::kSub:
    case OpKind::kMul:
    case OpKind::kMax:
    case OpKind::kMin:
    case OpKind::kLess:
    case OpKind::kLessEq:
    case OpKind::kEqual:
      return lower_binary(idx);
    case OpKind::kAvgPool:
    case OpKind::kGlobalAvgPool:
      return lower_avgpool(idx);
    case OpKind::kMaxPool:
      return lower_maxpool(idx);
    case OpKind::kMove:
      return lower_move(idx);
    case OpKind::kMatMul:
      return lower_matmul(idx);
    case OpKind::kReduceSum:
    case OpKind::kReduceMean:
    case OpKind::kReduceMax:
    case OpKind::kReduceMin:
      return lower_reduce(idx);
    case OpKind::kReduceSumSquare:
    case OpKind::kReduceL2:
    case OpKind::kReduceLogSumExp:
    case OpKind::kSoftmax:
    case OpKind::kLogSoftmax:
      return lower_softmax(idx);
    case OpKind::kRelu:
    case OpKind::kClip:
    case OpKind::kActivation: {
      int x = materialize(n.inputs[0], n.name);
      handles_[n.output] = {
          requant(n.name, x, c_.tensors[x].scale, n.inputs[0], n.output, idx), {}, {}};
      handles_[n.output].shape = g_.values[n.output].shape;
      return;
    }
    case OpKind::kReshape: {
      Handle h = handles_[n.inputs[0]];
      h.map = flat_map(h);
      h.shape = g_.values[n.output].shape;
      if (h.shape.empty()) h.shape = {1};
      if (h.shape == c_.tensors[h.tensor].dims && h.map == flat_map({h.tensor, h.shape, {}}))
        h.map.clear();
      handles_[n.output] = h;
      return;
    }
    case OpKind::kTranspose: {
      Handle h = handles_[n.inputs[0]];
      auto m = flat_map(h);
      const auto& in_shape = h.shape;
      std::vector<int64_t> out_shape;
      for (auto p : n.perm) out_shape.push_back(in_shape[p]);
      std::vector<int64_t> in_strides(in_shape.size(), 1);
      for (size_t d = in_shape.size(); d-- > 1;) in_strides[d - 1] = in_strides[d] * in_shape[d];
      std::vector<int64_t> nm(m.size());
      std::vector<int64_t> oi(out_shape.size(), 0);
      for (size_t flat = 0; flat < m.size(); ++flat) {
        int64_t src = 0;
        for (size_t d = 0; d < oi.size(); ++d) src += oi[d] * in_strides[n.perm[d]];
        nm[flat] = m[src];
        for (size_t d = oi.size(); d-- > 0;) {
          if (++oi[d] < out_shape[d]) break;
          oi[d] = 0;
        }
      }
      handles_[n.output] = {h.tensor, out_shape, nm};
      return;
    }
  }
}

int Lowering::finish_linear(int idx, int acc, int s_acc, double extra) {
  const FNode& n = g_.nodes[idx];
  int act = fusable_activation(n.output);
  int value = n.output;
  if (act >= 0) {
    fused_.insert(act);
    value = g_.nodes[act].output;
  }
  int y = requant(n.name, acc, s_acc, n.output, value, act, extra);
  handles_[value] = {y, c_.tensors[y].dims, {}};
  return y;
}

int Lowering::weight_scale(double wmax) {
  return choose_scale(wmax, std::ldexp(1.0, opt_.weight_bits - 1) - 1, opt_.max_scale);
}

double Lowering::max_abs(const std::vector<float>& v) {
  double m = 0;
  for (float x : v) m = std::max(m, static_cast<double>(std::fabs(x)));
  return m;
}

// The scale the requantization of value v will round to (after fusion).
int Lowering::planned_out_scale(int v) {
  int act = fusable_activation(v);
  return pre_scale(v, act >= 0 ? g_.nodes[act].output : v, act);
}

// Weights get 12 signed bits and a shift that fits one table limb when that
// loses little; when 1% of the nonzero weights would keep fewer than 2
// significant bits, the scale grows (up to 24 bits, two remainder limbs).
int Lowering::fit_weight_scale(const std::vector<float>& w, int s_x, int out_value,
                               bool elementwise) {
  double wmax = max_abs(w);
  int s_y = planned_out_scale(out_value);
  int T = static_cast<int>(opt_.table_bits);
  int s_default = std::min(weight_scale(wmax), T + s_y - s_x);
  // Small weights (a folded normalization's, a constant fill) whose largest
  // would keep fewer than weight_bits - 4 significant bits get the full
  // weight_bits: their rounding error is systematic when they are all alike,
  // and compounds layer after layer.
  const int wb = static_cast<int>(opt_.weight_bits);
  if (std::ldexp(wmax, s_default) < std::ldexp(1.0, wb - 4))
    s_default = std::max(s_default, choose_scale(wmax, std::ldexp(1.0, wb - 1) - 1, 24));
  int cap = std::min(choose_scale(wmax, std::ldexp(1.0, 23) - 1, 24), 2 * T + s_y - s_x);
  // One product per element (no sum to grow): the multiplier gets all the
  // precision two remainder limbs allow, so that an integer divided by 3 and
  // truncated (Div then Cast) stays exact.
  if (elementwise) return std::max(std::min(s_default, 2 * T + s_y - s_x), cap);
  return std::min(std::max(s_default, precise_scale(w, s_default, cap, 2)), 2 * T + s_y - s_x);
}

CompiledModel lower(const FloatGraph& g, const std::vector<double>& amax, const QuantOptions& opt,
                    const std::vector<std::vector<float>>& input_samples) {
  Lowering l(g, amax, opt, input_samples);
  return l.run();
}

}  // namespace zk::quant
