#include "quant/lowering.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "model/activations.h"
#include "poly/mle.h"
#include "quant/scales.h"

namespace zk::quant {

using circuit::Circuit;
using circuit::LinExpr;
using circuit::Node;
using circuit::NodeType;
using circuit::Table;
using circuit::TableKind;
using circuit::Tensor;
using circuit::TensorKind;
using circuit::Term;

namespace {

// A float-graph value as the circuit holds it: a circuit tensor, and how the
// value's logical row-major elements map onto that tensor's padded layout
// (empty map: the value has exactly the tensor's shape).
struct Handle {
  int tensor = -1;
  std::vector<int64_t> shape;
  std::vector<int64_t> map;  // logical flat index -> padded index in tensor
};

class Lowering {
 public:
  Lowering(const FloatGraph& g, const std::vector<double>& amax, const QuantOptions& opt,
           std::vector<std::vector<float>> input_samples)
      : g_(g), amax_(amax), opt_(opt), input_samples_(std::move(input_samples)) {
    c_.table_bits = opt.table_bits;
    c_.tables.push_back({TableKind::kRange, 0, 0});
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

  CompiledModel run() {
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
      handles_[in] = {t, v.shape, {}};
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

 private:
  int add_tensor(const std::string& name, const std::vector<int64_t>& dims, int scale,
                 TensorKind kind, std::vector<uint32_t> log_dims = {}) {
    Tensor t;
    t.name = name;
    t.dims = dims.empty() ? std::vector<int64_t>{1} : dims;  // scalars as [1]
    t.log_dims = log_dims.empty() ? log_dims_of(dims) : std::move(log_dims);
    t.scale = scale;
    t.kind = kind;
    c_.tensors.push_back(std::move(t));
    weights_.resize(c_.tensors.size());
    return static_cast<int>(c_.tensors.size()) - 1;
  }

  int add_node(Node n) {
    int id = static_cast<int>(c_.nodes.size());
    for (int o : n.out)
      if (o >= 0) c_.tensors[o].producer = id;
    c_.nodes.push_back(std::move(n));
    return id;
  }

  int add_weight(const std::string& name, const std::vector<int64_t>& dims,
                 std::vector<int64_t> padded) {
    int t = add_tensor(name, dims, 0, TensorKind::kWeight);
    weights_[t] = std::move(padded);
    return t;
  }

  [[noreturn]] void unsupported(const FNode& n, const std::string& why) {
    throw ModelError("layer '" + n.name + "' (" + n.onnx_op + "): " + why);
  }

  int table_for(OpKind k, const FNode& n, int scale) {
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
  int function_table(const FNode& an, int s_in, int s_out) {
    const model::Activation* a = model::find_activation(an.activation);
    if (!a) unsupported(an, "unknown activation '" + an.activation + "'");
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

  int relu_table() {
    FNode dummy;
    return table_for(OpKind::kRelu, dummy, 0);
  }

  // If value v's only consumer is a Relu/Clip, returns that node's index.
  int fusable_activation(int v) {
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
  int pre_scale(int pre_value, int value, int act_node) {
    bool fn = act_node >= 0 && g_.nodes[act_node].kind == OpKind::kActivation;
    return choose_scale(amax_[fn ? pre_value : value], act_bound_, opt_.max_scale);
  }

  // Requantizes derived tensor `acc` (at scale s_acc), which holds float value
  // `pre_value`, into a committed tensor holding float value `value`
  // (calibrated), applying an optional activation.
  int requant(const std::string& layer, int acc, int s_acc, int pre_value, int value, int act_node,
              double extra_mult = 1.0) {
    const Tensor& at = c_.tensors[acc];
    int s_y = choose_scale(amax_[value], act_bound_, opt_.max_scale);
    int s_q = pre_scale(pre_value, value, act_node);
    int shift = s_acc - s_q;
    int64_t mult = 1;
    if (extra_mult != 1.0) {
      // y = acc * extra * 2^(s_y - s_acc): a fixed-point multiplier with
      // table_bits - 1 fractional bits absorbed into the shift.
      int m = 2 * static_cast<int>(opt_.table_bits) - std::max(0, shift);
      mult = std::llround(std::ldexp(extra_mult, m));
      shift += m;
    }
    if (shift < 0) {
      mult <<= -shift;
      shift = 0;
    }
    if (shift > 2 * static_cast<int>(opt_.table_bits)) {
      // The rounding remainder is range-checked in at most two table limbs.
      throw ModelError("layer '" + layer + "': rescaling by 2^" + std::to_string(shift) +
                       " exceeds twice the lookup table size (" + std::to_string(opt_.table_bits) +
                       " bits); lower the weight precision");
    }
    std::string name = g_.values[value].name;
    std::vector<int64_t> dims = at.dims;
    auto ld = at.log_dims;
    int y = add_tensor(name, dims, s_y, TensorKind::kWitness, ld);
    int table = -1, q = -1, rem = -1;
    if (act_node >= 0) {
      const auto& an = g_.nodes[act_node];
      table = an.kind == OpKind::kActivation ? function_table(an, s_q, s_y)
                                             : table_for(an.kind, an, s_y);
      q = add_tensor(name + ".pre", dims, s_q, TensorKind::kWitness, ld);
    }
    if (shift > 0) rem = add_tensor(name + ".rem", dims, 0, TensorKind::kWitness, ld);
    int rem_hi = -1;
    if (shift > static_cast<int>(opt_.table_bits))
      rem_hi = add_tensor(name + ".rem_hi", dims, 0, TensorKind::kWitness, ld);
    Node n;
    n.type = NodeType::kRequant;
    n.layer = layer;
    n.in = {acc};
    n.out = {y, q, rem, rem_hi};
    n.params = circuit::RequantParams{mult, shift, table};
    add_node(std::move(n));
    return y;
  }

  // Gives value v a tensor of exactly its logical shape (a Gather when it is a view).
  int materialize(int v, const std::string& why) {
    Handle& h = handles_[v];
    if (h.tensor < 0) throw ModelError("value '" + g_.values[v].name + "' is not computed");
    if (h.map.empty()) return h.tensor;
    int t =
        add_tensor(g_.values[v].name, h.shape, c_.tensors[h.tensor].scale, TensorKind::kDerived);
    const Tensor& tt = c_.tensors[t];
    Node n;
    n.type = NodeType::kGather;
    n.layer = g_.values[v].name + " (layout for " + why + ")";
    n.in = {h.tensor};
    n.out = {t};
    auto& map = n.p<circuit::GatherParams>().map;
    map.assign(tt.padded_size(), -1);
    std::vector<int64_t> idx(h.shape.size(), 0);
    for (size_t flat = 0; flat < h.map.size(); ++flat) {
      map[circuit::padded_index(tt, idx)] = h.map[flat];
      for (size_t d = idx.size(); d-- > 0;) {
        if (++idx[d] < h.shape[d]) break;
        idx[d] = 0;
      }
    }
    add_node(std::move(n));
    h = {t, h.shape, {}};
    return t;
  }

  // Logical flat index -> padded index, for any handle.
  std::vector<int64_t> flat_map(const Handle& h) {
    if (!h.map.empty()) return h.map;
    const Tensor& t = c_.tensors[h.tensor];
    std::vector<int64_t> m;
    m.reserve(t.numel());
    for (size_t i = 0; i < t.padded_size(); ++i)
      if (circuit::is_valid_index(t, i)) m.push_back(static_cast<int64_t>(i));
    return m;
  }

  int scale_of(int v) { return c_.tensors[handles_[v].tensor].scale; }

  void lower(int idx) {
    const FNode& n = g_.nodes[idx];
    switch (n.kind) {
      case OpKind::kGemm:
        return lower_gemm(idx);
      case OpKind::kConv:
        return lower_conv(idx);
      case OpKind::kChannelAffine:
        return lower_affine(idx);
      case OpKind::kAdd:
        return lower_add(idx);
      case OpKind::kAvgPool:
      case OpKind::kGlobalAvgPool:
        return lower_avgpool(idx);
      case OpKind::kMaxPool:
        return lower_maxpool(idx);
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
        if (h.shape == c_.tensors[h.tensor].dims) h.map.clear();
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

  int finish_linear(int idx, int acc, int s_acc, double extra = 1.0) {
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

  int weight_scale(double wmax) {
    return choose_scale(wmax, std::ldexp(1.0, opt_.weight_bits - 1) - 1, opt_.max_scale);
  }

  double max_abs(const std::vector<float>& v) {
    double m = 0;
    for (float x : v) m = std::max(m, static_cast<double>(std::fabs(x)));
    return m;
  }

  // The scale the requantization of value v will round to (after fusion).
  int planned_out_scale(int v) {
    int act = fusable_activation(v);
    return pre_scale(v, act >= 0 ? g_.nodes[act].output : v, act);
  }

  // Weights get 12 signed bits and a shift that fits one table limb when that
  // loses little; when 1% of the nonzero weights would keep fewer than 2
  // significant bits, the scale grows (up to 24 bits, two remainder limbs).
  int fit_weight_scale(const std::vector<float>& w, int s_x, int out_value) {
    double wmax = max_abs(w);
    int s_y = planned_out_scale(out_value);
    int T = static_cast<int>(opt_.table_bits);
    int s_default = std::min(weight_scale(wmax), T + s_y - s_x);
    int cap = std::min(choose_scale(wmax, std::ldexp(1.0, 23) - 1, 24), 2 * T + s_y - s_x);
    return std::min(std::max(s_default, precise_scale(w, s_default, cap, 2)), 2 * T + s_y - s_x);
  }

  void lower_gemm(int idx) {
    const FNode& n = g_.nodes[idx];
    Handle h = handles_[n.inputs[0]];
    auto m = flat_map(h);
    const Tensor& xt = c_.tensors[h.tensor];
    int64_t N = n.weight.shape[0], K = n.weight.shape[1];
    if (K != static_cast<int64_t>(m.size()))
      unsupported(n, "weight expects " + std::to_string(K) + " inputs but the input has " +
                         std::to_string(m.size()) + " elements");
    int s_x = xt.scale;
    int s_w = fit_weight_scale(n.weight.data, s_x, n.output);
    size_t Kp = xt.padded_size();
    std::vector<int64_t> wdims{N, static_cast<int64_t>(Kp)};
    Tensor tmp;
    tmp.dims = wdims;
    tmp.log_dims = {log2_exact(N), xt.num_vars()};
    size_t Np = size_t{1} << tmp.log_dims[0];
    std::vector<int64_t> w(Np * Kp, 0), b(Np, 0);
    for (int64_t i = 0; i < N; ++i)
      for (int64_t k = 0; k < K; ++k)
        w[i * Kp + m[k]] = round_scaled(n.weight.data[i * K + k], s_w);
    for (int64_t i = 0; i < N; ++i)
      b[i] = n.bias.data.empty() ? 0 : round_scaled(n.bias.data[i], s_x + s_w);
    int wt = add_tensor(n.name + ".weight", wdims, s_w, TensorKind::kWeight, tmp.log_dims);
    weights_[wt] = std::move(w);
    int bt = add_weight(n.name + ".bias", {N}, std::move(b));
    int acc = add_tensor(n.name + ".acc", {N}, s_x + s_w, TensorKind::kDerived);
    Node node;
    node.type = NodeType::kGemm;
    node.layer = n.name;
    node.in = {h.tensor, wt, bt};
    node.out = {acc};
    add_node(std::move(node));
    finish_linear(idx, acc, s_x + s_w);
  }

  void lower_conv(int idx) {
    const FNode& n = g_.nodes[idx];
    int x = materialize(n.inputs[0], n.name);
    const Tensor xt = c_.tensors[x];
    if (xt.dims.size() != 3) unsupported(n, "Conv input must be [C,H,W]");
    int64_t O = n.weight.shape[0], C = n.weight.shape[1], KH = n.weight.shape[2],
            KW = n.weight.shape[3];
    if (C != xt.dims[0]) unsupported(n, "weight channels do not match the input");
    // Only the leading pads enter the index map (iy = y*s + ky - top); the
    // trailing ones are implied by the output shape.
    const auto& os = g_.values[n.output].shape;
    int s_x = xt.scale;
    int s_w = fit_weight_scale(n.weight.data, s_x, n.output);
    std::vector<int64_t> wdims{O, C, KH, KW};
    std::vector<uint32_t> wl{log2_exact(O), xt.log_dims[0], log2_exact(KH), log2_exact(KW)};
    Tensor tmp;
    tmp.dims = wdims;
    tmp.log_dims = wl;
    std::vector<int64_t> w(tmp.padded_size(), 0), b(size_t{1} << wl[0], 0);
    for (int64_t o = 0; o < O; ++o)
      for (int64_t ci = 0; ci < C; ++ci)
        for (int64_t ky = 0; ky < KH; ++ky)
          for (int64_t kx = 0; kx < KW; ++kx)
            w[circuit::padded_index(tmp, {o, ci, ky, kx})] =
                round_scaled(n.weight.data[((o * C + ci) * KH + ky) * KW + kx], s_w);
    for (int64_t o = 0; o < O; ++o)
      b[o] = n.bias.data.empty() ? 0 : round_scaled(n.bias.data[o], s_x + s_w);
    int wt = add_tensor(n.name + ".weight", wdims, s_w, TensorKind::kWeight, wl);
    weights_[wt] = std::move(w);
    int bt = add_weight(n.name + ".bias", {O}, std::move(b));
    int acc = add_tensor(n.name + ".acc", os, s_x + s_w, TensorKind::kDerived);
    Node node;
    node.type = NodeType::kConv;
    node.layer = n.name;
    node.in = {x, wt, bt};
    node.out = {acc};
    node.params = circuit::WindowParams{n.strides[0], n.strides[1], n.pads[0], n.pads[1], KH, KW};
    add_node(std::move(node));
    finish_linear(idx, acc, s_x + s_w);
  }

  void lower_affine(int idx) {
    const FNode& n = g_.nodes[idx];
    int x = materialize(n.inputs[0], n.name);
    const Tensor xt = c_.tensors[x];
    int64_t C = xt.dims[0];
    std::vector<float> a = n.weight.data, bb = n.bias.data;
    if (a.size() == 1) a.assign(C, a[0]);
    if (bb.empty()) bb.assign(C, 0.f);
    if (bb.size() == 1) bb.assign(C, bb[0]);
    if (static_cast<int64_t>(a.size()) != C || static_cast<int64_t>(bb.size()) != C)
      unsupported(n, "per-channel constant does not match the channel count");
    int s_x = xt.scale;
    int s_w = fit_weight_scale(a, s_x, n.output);
    size_t Cp = size_t{1} << xt.log_dims[0];
    std::vector<int64_t> av(Cp, 0), bv(Cp, 0);
    for (int64_t i = 0; i < C; ++i) {
      av[i] = round_scaled(a[i], s_w);
      bv[i] = round_scaled(bb[i], s_x + s_w);
    }
    int at = add_tensor(n.name + ".scale", {C}, s_w, TensorKind::kWeight, {xt.log_dims[0]});
    weights_[at] = std::move(av);
    int bt = add_tensor(n.name + ".bias", {C}, s_x + s_w, TensorKind::kWeight, {xt.log_dims[0]});
    weights_[bt] = std::move(bv);
    int acc = add_tensor(n.name + ".acc", xt.dims, s_x + s_w, TensorKind::kDerived, xt.log_dims);
    Node node;
    node.type = NodeType::kChannelAffine;
    node.layer = n.name;
    node.in = {x, at, bt};
    node.out = {acc};
    add_node(std::move(node));
    finish_linear(idx, acc, s_x + s_w);
  }

  void lower_add(int idx) {
    const FNode& n = g_.nodes[idx];
    int a = materialize(n.inputs[0], n.name), b = materialize(n.inputs[1], n.name);
    const Tensor &at = c_.tensors[a], &bt = c_.tensors[b];
    if (at.dims != bt.dims || at.log_dims != bt.log_dims)
      unsupported(n, "Add operands differ in shape");
    int s = std::max(at.scale, bt.scale);
    int acc = add_tensor(n.name + ".sum", at.dims, s, TensorKind::kDerived, at.log_dims);
    Node node;
    node.type = NodeType::kLinComb;
    node.layer = n.name;
    node.in = {a, b};
    node.out = {acc};
    node.p<circuit::LinCombParams>().expr.terms = {Term{a, int64_t{1} << (s - at.scale)},
                                                   Term{b, int64_t{1} << (s - bt.scale)}};
    add_node(std::move(node));
    finish_linear(idx, acc, s);
  }

  void lower_avgpool(int idx) {
    const FNode& n = g_.nodes[idx];
    int x = materialize(n.inputs[0], n.name);
    const Tensor xt = c_.tensors[x];
    if (xt.dims.size() != 3) unsupported(n, "pooling input must be [C,H,W]");
    Node node;
    node.type = NodeType::kWindowSum;
    node.layer = n.name;
    node.in = {x};
    bool pure_pad = false;
    auto& win = node.p<circuit::WindowParams>();
    if (n.kind == OpKind::kGlobalAvgPool) {
      win.kernel_h = xt.dims[1];
      win.kernel_w = xt.dims[2];
    } else {
      win = {n.strides[0], n.strides[1], n.pads[0], n.pads[1], n.kernel[0], n.kernel[1]};
      pure_pad = win.kernel_h == 1 && win.kernel_w == 1 && win.stride_h == 1 && win.stride_w == 1;
    }
    const auto& os = g_.values[n.output].shape;
    int acc = add_tensor(n.name + (pure_pad ? "" : ".sum"), os, xt.scale, TensorKind::kDerived);
    node.out = {acc};
    add_node(std::move(node));
    if (pure_pad) {
      handles_[n.output] = {acc, os, {}};
      return;
    }
    bool padded =
        n.kind != OpKind::kGlobalAvgPool && (n.pads[0] || n.pads[1] || n.pads[2] || n.pads[3]);
    if (padded && !n.count_include_pad) {
      // Border windows hold fewer elements: divide each position by its own
      // count, a per-position fixed-point multiplier (a ChannelAffine whose
      // scale covers the whole [C,OH,OW] shape).
      const int m = static_cast<int>(opt_.table_bits);
      const Tensor at = c_.tensors[acc];
      std::vector<int64_t> mult(at.padded_size(), 0), zero(at.padded_size(), 0);
      for (int64_t ch = 0; ch < at.dims[0]; ++ch)
        for (int64_t y = 0; y < at.dims[1]; ++y)
          for (int64_t x2 = 0; x2 < at.dims[2]; ++x2) {
            auto span = [](int64_t o, int64_t s, int64_t p, int64_t k, int64_t len) {
              int64_t lo = std::max<int64_t>(0, o * s - p), hi = std::min(len, o * s - p + k);
              return std::max<int64_t>(0, hi - lo);
            };
            int64_t cnt = span(y, n.strides[0], n.pads[0], n.kernel[0], xt.dims[1]) *
                          span(x2, n.strides[1], n.pads[1], n.kernel[1], xt.dims[2]);
            mult[circuit::padded_index(at, {ch, y, x2})] =
                cnt ? std::llround(std::ldexp(1.0 / static_cast<double>(cnt), m)) : 0;
          }
      int a = add_tensor(n.name + ".divisor", at.dims, m, TensorKind::kWeight, at.log_dims);
      weights_[a] = std::move(mult);
      int b = add_tensor(n.name + ".zero", at.dims, 0, TensorKind::kWeight, at.log_dims);
      weights_[b] = std::move(zero);
      int mean =
          add_tensor(n.name + ".mean", at.dims, xt.scale + m, TensorKind::kDerived, at.log_dims);
      Node an;
      an.type = NodeType::kChannelAffine;
      an.layer = n.name;
      an.in = {acc, a, b};
      an.out = {mean};
      add_node(std::move(an));
      finish_linear(idx, mean, xt.scale + m);
      return;
    }
    double count = static_cast<double>(
        n.kind == OpKind::kGlobalAvgPool ? xt.dims[1] * xt.dims[2] : n.kernel[0] * n.kernel[1]);
    finish_linear(idx, acc, xt.scale, 1.0 / count);
  }

  // Any window, stride and padding: one gathered view of the input per
  // window offset (positions in the padding are clamped to the nearest row
  // or column of the same window, so padding never wins, as with ONNX's
  // -inf), folded with committed running maxima m = max(prev, view).
  void lower_general_maxpool(const FNode& n, int x) {
    const Tensor xt = c_.tensors[x];
    const auto& os = g_.values[n.output].shape;
    int relu = relu_table();
    int prev = -1;
    for (int64_t ky = 0; ky < n.kernel[0]; ++ky) {
      for (int64_t kx = 0; kx < n.kernel[1]; ++kx) {
        int view = add_tensor(
            g_.values[n.output].name + ".view" + std::to_string(ky) + "_" + std::to_string(kx), os,
            xt.scale, TensorKind::kDerived);
        const Tensor vt = c_.tensors[view];
        Node gn;
        gn.type = NodeType::kGather;
        gn.layer = n.name;
        gn.in = {x};
        gn.out = {view};
        auto& map = gn.p<circuit::GatherParams>().map;
        map.assign(vt.padded_size(), -1);
        for (int64_t ch = 0; ch < os[0]; ++ch)
          for (int64_t y = 0; y < os[1]; ++y)
            for (int64_t x2 = 0; x2 < os[2]; ++x2) {
              int64_t iy =
                  std::clamp<int64_t>(y * n.strides[0] + ky - n.pads[0], 0, xt.dims[1] - 1);
              int64_t ix =
                  std::clamp<int64_t>(x2 * n.strides[1] + kx - n.pads[1], 0, xt.dims[2] - 1);
              map[circuit::padded_index(vt, {ch, y, x2})] =
                  static_cast<int64_t>(circuit::padded_index(xt, {ch, iy, ix}));
            }
        add_node(std::move(gn));
        if (prev < 0) {
          prev = view;
          continue;
        }
        int m = add_tensor(
            g_.values[n.output].name + ".max" + std::to_string(ky) + "_" + std::to_string(kx), os,
            xt.scale, TensorKind::kWitness);
        Node mn;
        mn.type = NodeType::kMaxStep;
        mn.layer = n.name;
        mn.in = {prev, view};
        mn.out = {m};
        mn.params = circuit::MaxParams{0, relu};
        add_node(std::move(mn));
        prev = m;
      }
    }
    handles_[n.output] = {prev, c_.tensors[prev].dims, {}};
  }

  void lower_maxpool(int idx) {
    const FNode& n = g_.nodes[idx];
    int x = materialize(n.inputs[0], n.name);
    if (c_.tensors[x].dims.size() != 3) unsupported(n, "pooling input must be [C,H,W]");
    bool halving = true;
    for (int d = 0; d < 2; ++d) {
      int64_t k = n.kernel[d];
      if (n.strides[d] != k || (k & (k - 1)) != 0 || n.pads[d] || n.pads[d + 2]) halving = false;
    }
    for (int d = 0; d < 4; ++d)
      if (n.pads[d] < 0 || n.pads[d] >= n.kernel[d % 2])
        unsupported(n, "pooling padding must be smaller than the window");
    if (!halving) return lower_general_maxpool(n, x);
    for (int d = 0; d < 2; ++d) {
      int64_t k = n.kernel[d];
      if (n.strides[d] != k || (k & (k - 1)) != 0 || n.pads[d] || n.pads[d + 2])
        unsupported(n,
                    "max pooling needs a power-of-two kernel equal to its stride and no padding");
    }
    int relu = relu_table();
    int step = 0;
    for (int d = 1; d <= 2; ++d) {
      for (int64_t k = n.kernel[d - 1]; k > 1; k /= 2) {
        const Tensor xt = c_.tensors[x];
        if (xt.log_dims[d] == 0) unsupported(n, "pooling window larger than the input");
        std::vector<int64_t> dims = xt.dims;
        auto ld = xt.log_dims;
        dims[d] /= 2;
        ld[d] -= 1;
        std::string base = g_.values[n.output].name + ".max" + std::to_string(step++);
        int diff = add_tensor(base + ".diff", dims, xt.scale, TensorKind::kWitness, ld);
        Node dn;
        dn.type = NodeType::kMaxDiff;
        dn.layer = n.name;
        dn.in = {x};
        dn.out = {diff};
        dn.params = circuit::MaxParams{static_cast<int>(xt.var_offset(d)), relu};
        add_node(std::move(dn));
        int out = add_tensor(base, dims, xt.scale, TensorKind::kDerived, ld);
        Node mn;
        mn.type = NodeType::kLinComb;
        mn.layer = n.name;
        mn.in = {x, diff};
        mn.out = {out};
        mn.p<circuit::LinCombParams>().expr.terms = {
            Term{x, 1, static_cast<int>(xt.var_offset(d)), 1}, Term{diff, 1}};
        add_node(std::move(mn));
        x = out;
      }
    }
    handles_[n.output] = {x, c_.tensors[x].dims, {}};
    if (c_.tensors[x].dims != g_.values[n.output].shape)
      unsupported(n, "unexpected max-pool output shape");
  }

  const FloatGraph& g_;
  const std::vector<double>& amax_;
  QuantOptions opt_;
  std::vector<std::vector<float>> input_samples_;
  Circuit c_;
  circuit::Values weights_;
  std::vector<Handle> handles_;
  std::vector<int> consumers_;
  std::set<int> fused_;
  double act_bound_ = 0;
};

}  // namespace

CompiledModel lower(const FloatGraph& g, const std::vector<double>& amax, const QuantOptions& opt,
                    const std::vector<std::vector<float>>& input_samples) {
  Lowering l(g, amax, opt, input_samples);
  return l.run();
}

}  // namespace zk::quant
