// LSTM, GRU and RNN unrolled at import for the model's constant sequence
// length: one step per time step (and per direction), each step built from
// existing model ops — Gemm by the constant gate weights (over the step's
// input concatenated with the previous hidden state), Add/Sub, the Hadamard
// product of two activations (kMul), the lookup-table activations (Sigmoid,
// Tanh, ...) and data movement (the per-step input slices and the outputs Y,
// Y_h, Y_c gathered from the step results). Constant terms (a zero initial
// state, the first step's recurrent product) fold into the Gemm biases and
// per-channel affines, so nothing is computed twice and nothing is refused
// for being constant. The rounding of each op is what the lowering bounds
// for it; the unrolled graph is exactly the ONNX recurrence (same operation
// order as onnxruntime's reference up to float rounding).
#include <algorithm>
#include <cmath>

#include "model/activations.h"
#include "onnx/convert.h"
#include "onnx/move.h"

namespace zk::onnx::conv {
namespace {

// A step vector: an activation (value id, full shape [1, len]) or a constant.
struct V {
  int id = -1;
  std::vector<float> c;
  bool is_const() const { return id < 0; }
  bool is_zero() const {
    return is_const() && std::all_of(c.begin(), c.end(), [](float v) { return v == 0.0f; });
  }
};

// A block of a constant weight: rows [r0, r0+n) of a [.., K] matrix stored
// row-major from `data`.
struct Block {
  const float* data;
  int64_t K;
};

class Unroller {
 public:
  Unroller(Importer& im, const Node& n, int64_t H) : im_(im), n_(n), H_(H) {}

  // Elements [off, off+len) of activation or constant input i.
  V slice(int i, int64_t off, int64_t len) {
    const Sym& s = im_.sym(n_, i);
    if (s.is_const()) return V{-1, {s.c->f.begin() + off, s.c->f.begin() + off + len}};
    FNode f = make(im_, n_, OpKind::kMove, {s.value}, tag("slice"));
    for (int64_t k = 0; k < len; ++k) f.src.push_back(off + k);
    return emit(std::move(f), len);
  }

  // sum_j blocks[j] * xs[j] + bias, over H outputs.
  V affine(const std::vector<V>& xs, const std::vector<Block>& ws, std::vector<float> bias) {
    std::vector<int> ids;
    std::vector<size_t> act;
    int64_t K = 0;
    for (size_t j = 0; j < xs.size(); ++j) {
      if (xs[j].is_const()) {
        for (int64_t r = 0; r < H_; ++r)
          for (int64_t k = 0; k < ws[j].K; ++k) bias[r] += ws[j].data[r * ws[j].K + k] * xs[j].c[k];
      } else {
        ids.push_back(xs[j].id);
        act.push_back(j);
        K += ws[j].K;
      }
    }
    if (ids.empty()) return V{-1, std::move(bias)};
    int in = ids[0];
    if (ids.size() > 1) {  // concatenate the activation operands
      FNode cat = make(im_, n_, OpKind::kMove, ids, tag("concat"));
      for (int64_t k = 0; k < K; ++k) cat.src.push_back(k);
      in = emit(std::move(cat), K).id;
    }
    FNode g = make(im_, n_, OpKind::kGemm, {in}, tag("gemm"));
    g.weight = FTensor{{H_, K}, {}};
    for (int64_t r = 0; r < H_; ++r)
      for (size_t j : act)
        g.weight.data.insert(g.weight.data.end(), ws[j].data + r * ws[j].K,
                             ws[j].data + (r + 1) * ws[j].K);
    g.bias = FTensor{{H_}, std::move(bias)};
    return emit(std::move(g), H_);
  }

  V mul(const V& a, const V& b) {
    if (a.is_const() && b.is_const()) {
      V r{-1, a.c};
      for (int64_t k = 0; k < H_; ++k) r.c[k] *= b.c[k];
      return r;
    }
    if (a.is_const() || b.is_const()) {
      const V& c = a.is_const() ? a : b;
      const V& x = a.is_const() ? b : a;
      if (c.is_zero()) return V{-1, std::vector<float>(H_, 0.0f)};
      return channel_affine(x, c.c, std::vector<float>(H_, 0.0f));
    }
    return emit(make(im_, n_, OpKind::kMul, {a.id, b.id}, tag("mul")), H_);
  }

  // a + sign * b
  V add(const V& a, const V& b, float sign = 1.0f) {
    if (a.is_const() && b.is_const()) {
      V r{-1, a.c};
      for (int64_t k = 0; k < H_; ++k) r.c[k] += sign * b.c[k];
      return r;
    }
    if (b.is_const()) {
      if (b.is_zero()) return a;
      std::vector<float> t(b.c);
      for (auto& v : t) v *= sign;
      return channel_affine(a, std::vector<float>(H_, 1.0f), std::move(t));
    }
    if (a.is_const()) return channel_affine(b, std::vector<float>(H_, sign), a.c);
    return emit(make(im_, n_, sign > 0 ? OpKind::kAdd : OpKind::kSub, {a.id, b.id}, tag("add")),
                H_);
  }

  // f(x) for an ONNX RNN activation name (Relu or a registered table).
  V activate(const std::string& fn, const V& x) {
    const model::Activation* a = fn == "Relu" ? nullptr : model::find_activation(fn);
    std::vector<float> attrs;
    if (a)
      for (const auto& at : a->attrs) attrs.push_back(at.default_value);
    if (x.is_const()) {
      V r{-1, x.c};
      for (auto& v : r.c) v = a ? static_cast<float>(a->f(v, attrs)) : std::max(v, 0.0f);
      return r;
    }
    FNode f = make(im_, n_, a ? OpKind::kActivation : OpKind::kRelu, {x.id}, tag(fn));
    if (a) {
      f.activation = a->onnx_op;
      f.attrs = std::move(attrs);
    }
    return emit(std::move(f), H_);
  }

  // Binds ONNX output `out` (full shape `full`) to the concatenation of `parts`.
  void output(int out, const std::vector<V>& parts, const Shape& full) {
    if (out >= n_.output_size() || n_.output(out).empty() || !im_.is_used(n_.output(out))) return;
    FNode f = make(im_, n_, OpKind::kMove, {}, "/out" + std::to_string(out));
    std::vector<float> fill;
    bool any = false;
    int64_t act = 0;
    for (const V& p : parts) {
      for (int64_t k = 0; k < H_; ++k) {
        f.src.push_back(p.is_const() ? -1 : act + k);
        fill.push_back(p.is_const() ? p.c[k] : 0.0f);
        any = any || fill.back() != 0.0f;
      }
      if (!p.is_const()) {
        f.inputs.push_back(p.id);
        act += H_;
      }
    }
    if (f.inputs.empty()) im_.fail(n_, "internal: output does not depend on the input");
    if (any) f.weight = FTensor{{static_cast<int64_t>(fill.size())}, std::move(fill)};
    im_.emit(std::move(f), n_.output(out), full);
  }

 private:
  std::string tag(const std::string& what) { return "/" + what + "#" + std::to_string(count_); }
  V emit(FNode f, int64_t len) {
    const std::string name = im_.node_name(n_) + "#" + std::to_string(count_++);
    return V{im_.emit(std::move(f), name, {1, len}), {}};
  }
  V channel_affine(const V& x, std::vector<float> w, std::vector<float> b) {
    FNode f = make(im_, n_, OpKind::kChannelAffine, {x.id}, tag("affine"));
    f.weight = FTensor{{H_}, std::move(w)};
    f.bias = FTensor{{H_}, std::move(b)};
    return emit(std::move(f), H_);
  }

  Importer& im_;
  const Node& n_;
  int64_t H_;
  int count_ = 0;
};

enum class Cell { kLstm, kGru, kRnn };

struct Dims {
  int64_t T, I, H, D, gates;
  bool layout1;
};

Dims check_dims(Importer& im, const Node& n, Cell cell) {
  Dims d{};
  d.gates = cell == Cell::kLstm ? 4 : cell == Cell::kGru ? 3 : 1;
  const std::string dir = im.attr_string(n, "direction", "forward");
  if (dir != "forward" && dir != "reverse" && dir != "bidirectional")
    im.fail_attr(n, "direction", "= " + dir + " is not one of forward, reverse, bidirectional");
  d.D = dir == "bidirectional" ? 2 : 1;
  d.layout1 = im.attr_int(n, "layout", 0) == 1;
  const int x = im.act(n, 0, "X");
  const Shape& xs = im.full(x);
  if (xs.size() != 3) im.fail(n, "expects X of rank 3, got " + shape_str(xs));
  const int64_t batch = d.layout1 ? xs[0] : xs[1];
  if (batch != 1) im.fail(n, "supports batch size 1 only (X has shape " + shape_str(xs) + ")");
  d.T = d.layout1 ? xs[1] : xs[0];
  d.I = xs[2];
  const Const& R = im.cst(n, 2, "R");
  if (R.shape.size() != 3 || R.shape[0] != d.D || R.shape[1] % d.gates != 0)
    im.fail(n, "R has shape " + shape_str(R.shape) + ", not [num_directions, " +
                   std::to_string(d.gates) + "*hidden_size, hidden_size]");
  d.H = R.shape[2];
  if (R.shape[1] != d.gates * d.H || im.attr_int(n, "hidden_size", d.H) != d.H)
    im.fail(n, "hidden_size does not match R's shape " + shape_str(R.shape));
  const Const& W = im.cst(n, 1, "W");
  if (W.shape != Shape{d.D, d.gates * d.H, d.I})
    im.fail(n, "W has shape " + shape_str(W.shape) + ", expected " +
                   shape_str({d.D, d.gates * d.H, d.I}));
  if (im.has_input(n, 3) && im.cst(n, 3, "B").shape != Shape{d.D, 2 * d.gates * d.H})
    im.fail(n, "B has shape " + shape_str(im.cst(n, 3, "B").shape) + ", expected " +
                   shape_str({d.D, 2 * d.gates * d.H}));
  if (im.has_input(n, 4)) {
    for (auto v : const_ints(im, n, 4, "sequence_lens"))
      if (v != d.T)
        im.fail(n, "sequence_lens must all equal the sequence length " + std::to_string(d.T) +
                       " (variable lengths are not supported)");
  }
  // Each unrolled step holds its own copy of the gate weights.
  if (numel_of({d.T, d.D, d.gates * d.H, d.I + d.H}) > kMaxTensorElements)
    im.fail(n, "unrolling " + std::to_string(d.T) + " steps of hidden size " + std::to_string(d.H) +
                   " would copy the weights into more than 2^28 entries");
  if (im.attr(n, "clip")) im.fail_attr(n, "clip", "is not supported (only unclipped cells)");
  if (im.attr(n, "activation_alpha") || im.attr(n, "activation_beta"))
    im.fail_attr(n, "activation_alpha", "/activation_beta are not supported (defaults only)");
  if (im.attr_int(n, "input_forget", 0) != 0)
    im.fail_attr(n, "input_forget", "= 1 is not supported (only 0)");
  return d;
}

// The activation functions per direction: `defaults` repeated, or the attribute.
std::vector<std::string> activations_of(Importer& im, const Node& n, const Dims& d,
                                        std::vector<std::string> defaults) {
  const auto* a = im.attr(n, "activations");
  if (!a) {
    auto r = defaults;
    if (d.D == 2) r.insert(r.end(), defaults.begin(), defaults.end());
    return r;
  }
  std::vector<std::string> r(a->strings().begin(), a->strings().end());
  if (r.size() != defaults.size() * d.D)
    im.fail_attr(n, "activations", "needs " + std::to_string(defaults.size() * d.D) + " names");
  for (const auto& s : r)
    if (s != "Relu" && !model::find_activation(s))
      im.fail_attr(n, "activations", "'" + s + "' is not supported (Relu, Sigmoid, Tanh, ...)");
  return r;
}

// One direction's constant weights: gate g's blocks of W and R and its biases.
struct Weights {
  const Const &W, &R;
  const std::vector<float>& B;
  int64_t dir, G, H, I;
  Block wb(int64_t g) const { return Block{&W.f[(dir * G + g) * H * I], I}; }
  Block rb(int64_t g) const { return Block{&R.f[(dir * G + g) * H * H], H}; }
  // Wb[g] (when w) + Rb[g] (when r).
  std::vector<float> bias(int64_t g, bool w, bool r) const {
    std::vector<float> b(H, 0.0f);
    for (int64_t k = 0; k < H; ++k)
      b[k] =
          (w ? B[(dir * 2 * G + g) * H + k] : 0.0f) + (r ? B[(dir * 2 * G + G + g) * H + k] : 0.0f);
    return b;
  }
  V gate(Unroller& u, int64_t g, const V& x, const V& h) const {
    return u.affine({x, h}, {wb(g), rb(g)}, bias(g, true, true));
  }
};

// GRU (gates z, r, h): Ht = (1 - z) * hh + z * Ht-1 = hh + z * (Ht-1 - hh).
V gru_step(Unroller& u, const Weights& w, const std::string* f, const V& x, const V& h, bool lbr) {
  const V z = u.activate(f[0], w.gate(u, 0, x, h));
  const V r = u.activate(f[0], w.gate(u, 1, x, h));
  V pre;
  if (lbr) {  // hh = g(x Wh + Wbh + r * (h Rh + Rbh))
    const V rh = u.mul(r, u.affine({h}, {w.rb(2)}, w.bias(2, false, true)));
    pre = u.add(u.affine({x}, {w.wb(2)}, w.bias(2, true, false)), rh);
  } else {  // hh = g(x Wh + (r * h) Rh + Wbh + Rbh)
    pre = u.affine({x, u.mul(r, h)}, {w.wb(2), w.rb(2)}, w.bias(2, true, true));
  }
  const V hh = u.activate(f[1], pre);
  return u.add(hh, u.mul(z, u.add(h, hh, -1.0f)));
}

// LSTM (gates i, o, f, c; peepholes p = {Pi, Po, Pf}): updates h and c.
void lstm_step(Unroller& u, const Weights& w, const std::string* f, const V& x, const V* p, V& h,
               V& c) {
  const V ig = u.activate(f[0], u.add(w.gate(u, 0, x, h), u.mul(p[0], c)));
  const V fg = u.activate(f[0], u.add(w.gate(u, 2, x, h), u.mul(p[2], c)));
  const V cc = u.activate(f[1], w.gate(u, 3, x, h));
  c = u.add(u.mul(fg, c), u.mul(ig, cc));
  const V og = u.activate(f[0], u.add(w.gate(u, 1, x, h), u.mul(p[1], c)));
  h = u.mul(og, u.activate(f[2], c));
}

void conv_recurrent(Importer& im, const Node& n, Cell cell) {
  const Dims d = check_dims(im, n, cell);
  const auto acts =
      activations_of(im, n, d,
                     cell == Cell::kLstm  ? std::vector<std::string>{"Sigmoid", "Tanh", "Tanh"}
                     : cell == Cell::kGru ? std::vector<std::string>{"Sigmoid", "Tanh"}
                                          : std::vector<std::string>{"Tanh"});
  const int64_t T = d.T, H = d.H;
  std::vector<float> B(d.D * 2 * d.gates * H, 0.0f);
  if (im.has_input(n, 3)) B = im.cst(n, 3, "B").f;
  const bool lbr = im.attr_int(n, "linear_before_reset", 0) != 0;
  const bool lstm = cell == Cell::kLstm;
  const V zero{-1, std::vector<float>(H, 0.0f)};
  Unroller u(im, n, H);
  std::vector<V> Y(T * d.D), Yh, Yc;
  for (int64_t dir = 0; dir < d.D; ++dir) {
    const Weights w{im.cst(n, 1, "W"), im.cst(n, 2, "R"), B, dir, d.gates, H, d.I};
    const bool reverse = dir == 1 || im.attr_string(n, "direction", "forward") == "reverse";
    const std::string* f = &acts[dir * acts.size() / d.D];
    V h = im.has_input(n, 5) ? u.slice(5, dir * H, H) : zero;
    V c = lstm && im.has_input(n, 6) ? u.slice(6, dir * H, H) : zero;
    V peep[3] = {zero, zero, zero};
    for (int64_t g = 0; g < 3 && lstm && im.has_input(n, 7); ++g)
      peep[g] = u.slice(7, (dir * 3 + g) * H, H);
    for (int64_t s = 0; s < T; ++s) {
      const int64_t t = reverse ? T - 1 - s : s;
      const V x = u.slice(0, t * d.I, d.I);
      if (cell == Cell::kRnn)
        h = u.activate(f[0], w.gate(u, 0, x, h));
      else if (cell == Cell::kGru)
        h = gru_step(u, w, f, x, h, lbr);
      else
        lstm_step(u, w, f, x, peep, h, c);
      Y[t * d.D + dir] = h;
    }
    Yh.push_back(h);
    Yc.push_back(c);
  }
  const Shape y = d.layout1 ? Shape{1, T, d.D, H} : Shape{T, d.D, 1, H};
  const Shape yh = d.layout1 ? Shape{1, d.D, H} : Shape{d.D, 1, H};
  u.output(0, Y, y);
  u.output(1, Yh, yh);
  if (lstm) u.output(2, Yc, yh);
}

}  // namespace

void conv_lstm(Importer& im, const Node& n) { conv_recurrent(im, n, Cell::kLstm); }
void conv_gru(Importer& im, const Node& n) { conv_recurrent(im, n, Cell::kGru); }
void conv_rnn(Importer& im, const Node& n) { conv_recurrent(im, n, Cell::kRnn); }

}  // namespace zk::onnx::conv
