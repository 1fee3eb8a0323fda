// Data movement converters: Concat, Split, Slice, Gather (constant indices),
// Expand, Tile and Transpose of any permutation, as index maps (move.h).
#include <algorithm>

#include "onnx/move.h"

namespace zk::onnx::conv {

Shape strides_of(const Shape& s) {
  Shape st(s.size(), 1);
  for (size_t i = s.size(); i-- > 1;) st[i - 1] = st[i] * s[i];
  return st;
}

void emit_move(Importer& im, const Node& n, const Move& m, int out_index) {
  check_size(m.out, "node '" + im.node_name(n) + "' (" + n.op_type() + ") output");
  std::vector<const Sym*> syms;
  std::vector<int64_t> start;
  int64_t total = 0;
  bool all_const = true;
  for (int i : m.inputs) {
    const Sym& s = im.sym(n, i);
    if (s.has_pending_pad) im.fail(n, "internal: pending Pad consumed by a data movement");
    syms.push_back(&s);
    start.push_back(total);
    total += numel_of(in_full(im, n, i));
    all_const = all_const && s.is_const();
  }
  auto locate = [&](int64_t s) {
    const size_t k = std::upper_bound(start.begin(), start.end(), s) - start.begin() - 1;
    return std::make_pair(k, s - start[k]);
  };
  const std::string out = n.output(out_index);
  if (all_const) {
    Const c;
    c.shape = m.out;
    c.is_int = !syms.empty();
    for (const Sym* s : syms) c.is_int = c.is_int && s->c->is_int;
    for (size_t i = 0; i < m.src.size(); ++i) {
      if (m.src[i] < 0) {
        const float v = m.fill.empty() ? 0.0f : m.fill[i];
        c.f.push_back(v);
        if (c.is_int) c.i.push_back(static_cast<int64_t>(v));
        continue;
      }
      const auto [k, j] = locate(m.src[i]);
      c.f.push_back(syms[k]->c->f[j]);
      if (c.is_int) c.i.push_back(syms[k]->c->i[j]);
    }
    im.bind_const(out, std::move(c));
    return;
  }
  FNode f = make(im, n, OpKind::kMove, {}, out_index ? "/" + std::to_string(out_index) : "");
  std::vector<int64_t> act_start(syms.size(), -1);
  int64_t act_total = 0;
  for (size_t k = 0; k < syms.size(); ++k) {
    if (syms[k]->is_const()) continue;
    f.inputs.push_back(syms[k]->value);
    act_start[k] = act_total;
    act_total += numel_of(im.full(syms[k]->value));
  }
  std::vector<float> consts(m.src.size(), 0.0f);
  bool any_const = false;
  f.src.resize(m.src.size());
  for (size_t i = 0; i < m.src.size(); ++i) {
    if (m.src[i] < 0) {
      f.src[i] = -1;
      consts[i] = m.fill.empty() ? 0.0f : m.fill[i];
    } else {
      const auto [k, j] = locate(m.src[i]);
      if (syms[k]->is_const()) {
        f.src[i] = -1;
        consts[i] = syms[k]->c->f[j];
      } else {
        f.src[i] = act_start[k] + j;
      }
    }
    any_const = any_const || (f.src[i] < 0 && consts[i] != 0.0f);
  }
  if (any_const) f.weight = FTensor{{static_cast<int64_t>(consts.size())}, std::move(consts)};
  im.emit(std::move(f), out, m.out);
}

Shape broadcast_shapes(const Importer& im, const Node& n, const Shape& a, const Shape& b) {
  const size_t r = std::max(a.size(), b.size());
  Shape out(r);
  for (size_t i = 0; i < r; ++i) {
    const int64_t x = i + a.size() >= r ? a[i + a.size() - r] : 1;
    const int64_t y = i + b.size() >= r ? b[i + b.size() - r] : 1;
    if (x != y && x != 1 && y != 1)
      im.fail(n, "shapes " + shape_str(a) + " and " + shape_str(b) + " do not broadcast");
    out[i] = x == 1 ? y : x;
  }
  return out;
}

std::vector<int64_t> broadcast_map(const Shape& in, const Shape& out) {
  const Shape st = strides_of(in);
  const size_t off = out.size() - in.size();
  std::vector<int64_t> src;
  src.reserve(numel_of(out));
  for_each_index(out, [&](const Shape& idx) {
    int64_t s = 0;
    for (size_t d = 0; d < in.size(); ++d) s += (in[d] == 1 ? 0 : idx[off + d]) * st[d];
    src.push_back(s);
  });
  return src;
}

namespace {

// A move of input 0 where output element idx reads input element f(idx).
template <typename F>
Move map_input0(const Importer& im, const Node& n, const Shape& out, F&& f) {
  Move m{{0}, out, {}, {}};
  const Shape st = strides_of(in_full(im, n, 0));
  m.src.reserve(numel_of(out));
  for_each_index(out, [&](const Shape& idx) {
    const Shape si = f(idx);
    int64_t s = 0;
    for (size_t d = 0; d < si.size(); ++d) s += si[d] * st[d];
    m.src.push_back(s);
  });
  return m;
}

// Output `o` of Split/Slice-like ops: input 0 along `axis` from `begin`.
void emit_range(Importer& im, const Node& n, int64_t axis, int64_t begin, int64_t len, int o) {
  Shape out = in_full(im, n, 0);
  out[axis] = len;
  emit_move(im, n,
            map_input0(im, n, out,
                       [&](Shape idx) {
                         idx[axis] += begin;
                         return idx;
                       }),
            o);
}

}  // namespace

void conv_concat(Importer& im, const Node& n) {
  if (n.input_size() < 1) im.fail(n, "needs at least one input");
  const Shape first = in_full(im, n, 0);
  const int64_t axis = norm_axis(im, n, im.attr_int(n, "axis", 1), first.size());
  Move m;
  m.out = first;
  m.out[axis] = 0;
  std::vector<int64_t> offs, starts;
  int64_t total = 0;
  for (int i = 0; i < n.input_size(); ++i) {
    const Shape s = in_full(im, n, i);
    Shape a = s, b = first;
    a[axis] = b[axis] = 0;
    if (s.size() != first.size() || a != b)
      im.fail(n, "input shapes " + shape_str(first) + " and " + shape_str(s) +
                     " differ outside the axis " + std::to_string(axis));
    m.inputs.push_back(i);
    offs.push_back(m.out[axis]);
    starts.push_back(total);
    m.out[axis] += s[axis];
    total += numel_of(s);
  }
  const int64_t inner = numel_of(Shape(first.begin() + axis + 1, first.end()));
  for_each_index(m.out, [&](const Shape& idx) {
    const size_t k = std::upper_bound(offs.begin(), offs.end(), idx[axis]) - offs.begin() - 1;
    const int64_t d = (k + 1 < offs.size() ? offs[k + 1] : m.out[axis]) - offs[k];
    int64_t outer = 0;
    for (int64_t j = 0; j < axis; ++j) outer = outer * m.out[j] + idx[j];
    int64_t rest = 0;
    for (size_t j = axis + 1; j < idx.size(); ++j) rest = rest * m.out[j] + idx[j];
    m.src.push_back(starts[k] + (outer * d + idx[axis] - offs[k]) * inner + rest);
  });
  emit_move(im, n, m);
}

void conv_split(Importer& im, const Node& n) {
  const Shape in = in_full(im, n, 0);
  const int64_t axis = norm_axis(im, n, im.attr_int(n, "axis", 0), in.size());
  Shape split;
  if (im.opset() >= 13 && im.has_input(n, 1)) {
    split = const_ints(im, n, 1, "split");
  } else if (im.opset() < 13) {
    split = im.attr_ints(n, "split", {});
  }
  const int64_t outs = n.output_size();
  if (split.empty() && im.opset() >= 18 && in[axis] % outs != 0) {
    // num_outputs (opset 18): parts of ceil(size / n), the last one smaller.
    if (im.attr_int(n, "num_outputs", outs) != outs)
      im.fail_attr(n, "num_outputs", "must equal the number of outputs");
    const int64_t part = (in[axis] + outs - 1) / outs;
    for (int64_t o = 0; o < outs; ++o)
      split.push_back(std::max<int64_t>(0, std::min(part, in[axis] - o * part)));
  }
  if (split.empty()) {
    if (in[axis] % outs != 0)
      im.fail(n, "axis " + std::to_string(axis) + " of " + shape_str(in) + " does not split into " +
                     std::to_string(outs) + " equal parts");
    split.assign(outs, in[axis] / outs);
  }
  int64_t sum = 0;
  for (auto s : split) {
    if (s < 0) im.fail(n, "negative split size");
    sum += s;
  }
  if (static_cast<int64_t>(split.size()) != outs || sum != in[axis])
    im.fail(n, "split " + shape_str(split) + " does not match " + std::to_string(outs) +
                   " outputs of axis " + std::to_string(axis) + " of " + shape_str(in));
  int64_t begin = 0;
  for (int64_t o = 0; o < outs; ++o) {
    if (!n.output(o).empty() && im.is_used(n.output(o)))
      emit_range(im, n, axis, begin, split[o], static_cast<int>(o));
    begin += split[o];
  }
}

void conv_slice(Importer& im, const Node& n) {
  const Shape in = in_full(im, n, 0);
  const int64_t r = static_cast<int64_t>(in.size());
  Shape starts, ends, axes, steps;
  if (im.opset() < 10) {
    starts = im.attr_ints(n, "starts", {});
    ends = im.attr_ints(n, "ends", {});
    axes = im.attr_ints(n, "axes", {});
  } else {
    starts = const_ints(im, n, 1, "starts");
    ends = const_ints(im, n, 2, "ends");
    if (im.has_input(n, 3)) axes = const_ints(im, n, 3, "axes");
    if (im.has_input(n, 4)) steps = const_ints(im, n, 4, "steps");
  }
  if (axes.empty())
    for (size_t i = 0; i < starts.size(); ++i) axes.push_back(static_cast<int64_t>(i));
  if (steps.empty()) steps.assign(starts.size(), 1);
  if (ends.size() != starts.size() || axes.size() != starts.size() || steps.size() != starts.size())
    im.fail(n, "starts, ends, axes and steps differ in length");
  Shape begin(r, 0), step(r, 1), out = in;
  for (size_t j = 0; j < starts.size(); ++j) {
    const int64_t a = norm_axis(im, n, axes[j], r), d = in[a], st = steps[j];
    if (st == 0) im.fail(n, "step 0");
    auto clampv = [&](int64_t v, int64_t lo, int64_t hi) {
      if (v < 0) v = v < -d ? -1 : v + d;  // below -d: before the start
      return std::clamp(v, lo, hi);
    };
    const int64_t b = st > 0 ? clampv(starts[j], 0, d) : clampv(starts[j], 0, d - 1);
    const int64_t e = st > 0 ? clampv(ends[j], 0, d) : clampv(ends[j], -1, d - 1);
    begin[a] = b;
    step[a] = st;
    out[a] = st > 0 ? std::max<int64_t>(0, (e - b + st - 1) / st)
                    : std::max<int64_t>(0, (b - e + (-st) - 1) / (-st));
  }
  emit_move(im, n, map_input0(im, n, out, [&](Shape idx) {
              for (int64_t a = 0; a < r; ++a) idx[a] = begin[a] + idx[a] * step[a];
              return idx;
            }));
}

void conv_gather(Importer& im, const Node& n) {
  if (im.sym(n, 0).is_const() && !im.sym(n, 1).is_const()) return conv_gather_embedding(im, n);
  const Shape in = in_full(im, n, 0);
  const int64_t axis = norm_axis(im, n, im.attr_int(n, "axis", 0), in.size());
  const Sym& is = im.sym(n, 1);
  if (!is.is_const())
    im.fail(n, "indices '" + n.input(1) +
                   "' are computed from the model input; zkinfer supports Gather with constant "
                   "indices only (a data-dependent lookup is not proven)");
  const Const& ind = *is.c;
  if (!ind.is_int) im.fail(n, "indices must be an integer tensor");
  Shape out(in.begin(), in.begin() + axis);
  out.insert(out.end(), ind.shape.begin(), ind.shape.end());
  out.insert(out.end(), in.begin() + axis + 1, in.end());
  const size_t q = ind.shape.size();
  const Shape ist = strides_of(ind.shape);
  emit_move(im, n, map_input0(im, n, out, [&](const Shape& idx) {
              Shape si(idx.begin(), idx.begin() + axis);
              int64_t k = 0;
              for (size_t j = 0; j < q; ++j) k += idx[axis + j] * ist[j];
              int64_t v = ind.i[k];
              if (v < 0) v += in[axis];
              if (v < 0 || v >= in[axis])
                im.fail(n, "index " + std::to_string(ind.i[k]) + " out of range for axis " +
                               std::to_string(axis) + " of " + shape_str(in));
              si.push_back(v);
              si.insert(si.end(), idx.begin() + axis + q, idx.end());
              return si;
            }));
}

void conv_expand(Importer& im, const Node& n) {
  const Shape in = in_full(im, n, 0);
  const Shape out = broadcast_shapes(im, n, in, const_ints(im, n, 1, "shape"));
  emit_move(im, n, Move{{0}, out, broadcast_map(in, out), {}});
}

void conv_tile(Importer& im, const Node& n) {
  const Shape in = in_full(im, n, 0);
  const Shape rep = const_ints(im, n, 1, "repeats");
  if (rep.size() != in.size()) im.fail(n, "repeats must have one entry per input axis");
  Shape out = in;
  for (size_t d = 0; d < in.size(); ++d) {
    if (rep[d] < 0) im.fail(n, "negative repeats");
    out[d] *= rep[d];
  }
  emit_move(im, n, map_input0(im, n, out, [&](Shape idx) {
              for (size_t d = 0; d < idx.size(); ++d) idx[d] %= in[d];
              return idx;
            }));
}

void conv_transpose_move(Importer& im, const Node& n, const Shape& perm) {
  const Shape in = in_full(im, n, 0);
  Shape out(in.size());
  for (size_t i = 0; i < in.size(); ++i) out[i] = in[perm[i]];
  emit_move(im, n, map_input0(im, n, out, [&](const Shape& idx) {
              Shape si(in.size());
              for (size_t i = 0; i < in.size(); ++i) si[perm[i]] = idx[i];
              return si;
            }));
}

}  // namespace zk::onnx::conv
