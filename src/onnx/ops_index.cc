// Indexed reads and writes: GatherElements, GatherND, ScatterElements (and
// the older Scatter) and ScatterND.
//
// Constant indices: one Move (move.h), folded at import when every input is
// a constant. Computed indices: a one-hot selection from model ops that are
// already proven, so no circuit op of its own. A read y[r] of one of C
// candidates is
//   b_k[r, c] = idx_k[r]                       (a Move: broadcast copy)
//   d_k[r, c] = b_k[r, c] - digit_k(c)         (ChannelAffine, one bias per element)
//   h_k[r, c] = [d_k = 0 or d_k = -len_k]      (the exact IsZero table)
//   E[r, c]   = prod_k h_k[r, c]               (Mul; one factor per index component)
//   y[r]      = sum_c E[r, c] * D[r, c]        (Mul, or a per-element affine for a
//                                               constant D; ReduceSum)
// where D[r, c] is candidate c's data element (a Move of the data). A
// negative index counts from the end (the -len_k term). A write (Scatter)
// selects, for every output position p, the updates aimed at it:
// E[p, u] = [update u targets p]; the last of them wins, as in onnxruntime:
//   w[p, u]   = relu(E[p, u] - sum_{u' > u} E[p, u'])   (MatMul by a constant
//                                                        triangular matrix, Sub, Relu)
//   out[p]    = data[p] * (1 - sum_u w[p, u]) + sum_u w[p, u] * upd[u].
// An index outside [-len, len) selects nothing in the float model (a read
// gives 0, a write leaves the data), where ONNX calls it an error; a guard
// on the number of selections (Sel::guard) makes the integer executor refuse
// it naming the node, and no proof of it exists. The work is O(reads x
// candidates); above 2^22 pairs the op is refused.
#include "model/activations.h"
#include "onnx/move.h"

namespace zk::onnx::conv {
namespace {

constexpr int64_t kMaxPairs = int64_t{1} << 22;
constexpr float kGuard = 1 << 27;

int64_t norm_index(const Importer& im, const Node& n, int64_t v, int64_t len) {
  const int64_t w = v < 0 ? v + len : v;
  if (w < 0 || w >= len)
    im.fail(n, "index " + std::to_string(v) + " out of range for an axis of length " +
                   std::to_string(len));
  return w;
}

// The coordinates of flat index i in shape s.
Shape coords(int64_t i, const Shape& s) {
  Shape c(s.size());
  for (size_t d = s.size(); d-- > 0;) {
    c[d] = s[d] ? i % s[d] : 0;
    i = s[d] ? i / s[d] : 0;
  }
  return c;
}

int64_t flat(const Shape& c, const Shape& s) {
  int64_t f = 0;
  for (size_t d = 0; d < s.size(); ++d) f = f * s[d] + c[d];
  return f;
}

// One index component of a selection grid [R, C]: for each grid element, the
// element of the indices tensor it compares, and the candidate's coordinate
// along an axis of length len.
struct Comp {
  std::vector<int64_t> src;
  std::vector<float> digit;
  int64_t len;
};

struct Sel {
  Importer& im;
  const Node& n;

  FNode node(OpKind k, std::vector<int> in, const std::string& tag) {
    return make(im, n, k, std::move(in), "/" + tag);
  }
  int emit(FNode f, const std::string& tag, const Shape& s) {
    return im.emit(std::move(f), n.output(0) + "/zk_index_" + tag, s);
  }
  int move(int v, std::vector<int64_t> src, const std::string& tag, const Shape& s) {
    FNode f = node(OpKind::kMove, {v}, tag);
    f.src = std::move(src);
    return emit(std::move(f), tag, s);
  }
  int affine(int x, std::vector<float> w, std::vector<float> b, const std::string& tag,
             const Shape& s) {
    FNode f = node(OpKind::kChannelAffine, {x}, tag);
    const auto lw = static_cast<int64_t>(w.size()), lb = static_cast<int64_t>(b.size());
    f.weight = FTensor{{lw}, std::move(w)};
    f.bias = FTensor{{lb}, std::move(b)};
    return emit(std::move(f), tag, s);
  }
  int binary(OpKind k, int a, int b, const std::string& tag, const Shape& s) {
    return emit(node(k, {a, b}, tag), tag, s);
  }
  // Sum over the last axis of a grid {1, R, C}: {1, R}.
  int sum_last(int x, const std::string& tag, const Shape& s) {
    FNode f = node(OpKind::kReduceSum, {x}, tag);
    f.axes = {static_cast<int64_t>(logical_of(s).size()) - 1};
    return emit(std::move(f), tag, {s[0], s[1]});
  }
  void check_grid(const Shape& grid, const char* what) {
    if (numel_of(grid) > kMaxPairs)
      im.fail(n, std::string(what) + " of computed indices compares " + std::to_string(grid[1]) +
                     " positions with " + std::to_string(grid[2]) + " candidates each (" +
                     std::to_string(numel_of(grid)) +
                     " pairs), more than 2^22: use constant indices or a smaller tensor");
  }

  // E[r, c] = prod_k [idx[src_k] selects digit_k] over the grid {1, R, C}.
  int onehot(int idx, const std::vector<Comp>& comps, const Shape& grid) {
    int e = -1;
    for (size_t k = 0; k < comps.size(); ++k) {
      const std::string t = std::to_string(k);
      const int b = move(idx, comps[k].src, "indices" + t, grid);
      std::vector<float> bias(comps[k].digit.size());
      for (size_t i = 0; i < bias.size(); ++i) bias[i] = -comps[k].digit[i];
      const int d = affine(b, {1.0f}, std::move(bias), "diff" + t, grid);
      FNode h = node(OpKind::kActivation, {d}, "onehot" + t);
      h.activation = model::kIsZeroActivation;
      h.attrs = {static_cast<float>(comps[k].len)};
      const int hv = emit(std::move(h), "onehot" + t, grid);
      e = e < 0 ? hv : binary(OpKind::kMul, e, hv, "select" + t, grid);
    }
    return e;
  }
  // The refusal of an index out of range: an index (tuple) in range selects
  // exactly one candidate, one out of range none. `view` (a full shape of
  // the one-hot e's elements) puts the candidates of each index on logical
  // axis `axis`, so hits = sum over it is 1 per index in range and 0
  // otherwise (exact: small integers). The guard
  //   g1 = relu(kGuard (1 - hits)),  g2 = relu(kGuard g1)
  // is 0 on in-range inputs and at least kGuard = 2^27 otherwise; the guard's
  // tensors are scaled as if never calibrated (zero_guard: 2^12), which
  // leaves that far outside any lookup table, so whatever the calibration
  // saw, the integer executor refuses an
  // out-of-range index (a value outside the provable range of layer
  // '<node>/index_out_of_range', or its second stage) and no proof of it
  // exists (the requantization's lookup bounds the value). The guard feeds
  // nothing else.
  void guard(int e, const Shape& view, int64_t axis) {
    if (logical_of(view) != logical_of(im.full(e)))
      e = emit(node(OpKind::kReshape, {e}, "hits_view"), "hits_view", view);
    FNode h = node(OpKind::kReduceSum, {e}, "hits");
    h.axes = {axis};
    Shape hs = view;
    hs.erase(hs.begin() + 1 + axis);
    const int hv = emit(std::move(h), "hits", hs);
    // One bias per element, so that none lands on padding (lower_affine).
    const std::vector<float> bias(numel_of(hs), kGuard);
    int g = guarded(affine(hv, {-kGuard}, bias, "index_out_of_range", hs));
    g = guarded(emit(node(OpKind::kRelu, {g}, "guard"), "guard", hs));
    g = guarded(affine(g, {kGuard}, {0.0f}, "index_out_of_range2", hs));
    guarded(emit(node(OpKind::kRelu, {g}, "guard2"), "guard2", hs));
  }
  // Marks the guard's values: their scale ignores the calibration (which may
  // itself hold an out-of-range index), so any nonzero value is far outside
  // the tables.
  int guarded(int v) {
    if (FNode* f = im.producer(v)) f->zero_guard = true;
    return v;
  }
  // sum_c e[r, c] * D[r, c], D[r, c] = data[src[r, c]] (input `di` of n).
  int weighted_sum(int e, int di, const std::vector<int64_t>& src, const std::string& tag,
                   const Shape& grid) {
    const Sym& s = im.sym(n, di);
    int prod = -1;
    if (s.is_const()) {
      std::vector<float> w(src.size());
      for (size_t i = 0; i < src.size(); ++i) w[i] = s.c->f[src[i]];
      prod = affine(e, std::move(w), std::vector<float>(src.size(), 0.0f), tag + "_terms", grid);
    } else {
      const int dv = move(im.act(n, di, "data"), src, tag + "_candidates", grid);
      prod = binary(OpKind::kMul, e, dv, tag + "_terms", grid);
    }
    return sum_last(prod, tag, grid);
  }
  // Node output 0 (full shape `out`) from the flat value v.
  void output(int v, const Shape& out) {
    im.emit(node(OpKind::kReshape, {v}, "out"), n.output(0), out);
  }
  void scatter(int e, int upd_input, const std::vector<int64_t>& usrc, const Shape& grid,
               const Shape& out);
};

// out[p] = data[p] (1 - hit[p]) + sum_u w[p, u] upd[u] over the grid {1, P, U}
// of E[p, u] = [update u targets p], the last update winning.
void Sel::scatter(int e, int upd_input, const std::vector<int64_t>& usrc, const Shape& grid,
                  const Shape& out) {
  const int64_t P = grid[1], U = grid[2];
  int w = e;
  if (U > 1) {
    FNode later = node(OpKind::kMatMul, {e}, "later_hits");
    later.weight = FTensor{{U, U}, std::vector<float>(U * U, 0.0f)};
    for (int64_t a = 0; a < U; ++a)
      for (int64_t b = 0; b < a; ++b) later.weight.data[a * U + b] = 1.0f;  // a > b
    const int lv = emit(std::move(later), "later_hits", grid);
    const int dv = binary(OpKind::kSub, e, lv, "last_hit", grid);
    w = emit(node(OpKind::kRelu, {dv}, "winner"), "winner", grid);
  }
  const int vals = weighted_sum(w, upd_input, usrc, "written", grid);
  const int hit = sum_last(w, "hit", grid);
  const Shape flat_s{1, P};
  const Sym& ds = im.sym(n, 0);
  int res = vals;
  if (ds.is_const()) {
    bool zero = true;
    for (float v : ds.c->f) zero = zero && v == 0.0f;
    if (!zero) {
      std::vector<float> wgt(P), b(P);
      for (int64_t p = 0; p < P; ++p) b[p] = ds.c->f[p], wgt[p] = -ds.c->f[p];
      const int kept = affine(hit, std::move(wgt), std::move(b), "kept", flat_s);
      res = binary(OpKind::kAdd, kept, vals, "result", flat_s);
    }
  } else {
    const int keep = affine(hit, {-1.0f}, {1.0f}, "keep", flat_s);
    const int dflat =
        emit(node(OpKind::kReshape, {im.act(n, 0, "data")}, "data_flat"), "data_flat", flat_s);
    const int kept = binary(OpKind::kMul, dflat, keep, "kept", flat_s);
    res = binary(OpKind::kAdd, kept, vals, "result", flat_s);
  }
  output(res, out);
}

void check_rank(const Importer& im, const Node& n, const Shape& a, const Shape& b,
                const char* what) {
  if (a.size() != b.size())
    im.fail(n, std::string(what) + " must have the rank of data (" + shape_str(a) + " vs " +
                   shape_str(b) + ")");
}

}  // namespace

void conv_gather_elements(Importer& im, const Node& n) {
  const Shape ds = in_full(im, n, 0), is = in_full(im, n, 1);
  check_rank(im, n, is, ds, "indices");
  const int64_t r = static_cast<int64_t>(ds.size());
  if (r == 0) im.fail(n, "data must have at least one axis");
  const int64_t axis = norm_axis(im, n, im.attr_int(n, "axis", 0), r);
  for (int64_t d = 0; d < r; ++d)
    if (d != axis && is[d] > ds[d])
      im.fail(n, "indices " + shape_str(is) + " larger than data " + shape_str(ds) + " on axis " +
                     std::to_string(d));
  const int64_t R = numel_of(is), K = ds[axis];
  const Sym& isym = im.sym(n, 1);
  if (isym.is_const()) {
    Move m{{0}, is, {}, {}};
    for (int64_t i = 0; i < R; ++i) {
      Shape c = coords(i, is);
      c[axis] = norm_index(im, n, isym.c->i.empty() ? int64_t(isym.c->f[i]) : isym.c->i[i], K);
      m.src.push_back(flat(c, ds));
    }
    return emit_move(im, n, m);
  }
  Sel s{im, n};
  const Shape grid{1, R, K};
  s.check_grid(grid, "GatherElements");
  Comp c{{}, {}, K};
  std::vector<int64_t> dsrc;
  for (int64_t i = 0; i < R; ++i) {
    Shape co = coords(i, is);
    for (int64_t j = 0; j < K; ++j) {
      c.src.push_back(i);
      c.digit.push_back(static_cast<float>(j));
      co[axis] = j;
      dsrc.push_back(flat(co, ds));
    }
  }
  const int e = s.onehot(im.act(n, 1, "indices"), {c}, grid);
  s.guard(e, grid, 1);
  s.output(s.weighted_sum(e, 0, dsrc, "gathered", grid), is);
}

namespace {

// GatherND / ScatterND geometry: data ds, indices is = [..., m]; T tuples,
// each addressing one of K = prod ds[:m] slices of S = prod ds[m:] elements.
struct NdShape {
  int64_t m, T, K, S;
};

NdShape nd_shape(const Importer& im, const Node& n, const Shape& ds, const Shape& is) {
  if (is.empty()) im.fail(n, "indices must have at least one axis");
  const int64_t m = is.back();
  if (m < 1 || m > static_cast<int64_t>(ds.size()))
    im.fail(n, "the last axis of indices (" + std::to_string(m) + ") must be from 1 to the rank " +
                   "of data (" + std::to_string(ds.size()) + ")");
  NdShape g{m, numel_of(is) / m, 1, 1};
  for (int64_t d = 0; d < static_cast<int64_t>(ds.size()); ++d) (d < m ? g.K : g.S) *= ds[d];
  return g;
}

// The slice index (row-major over ds[:m]) of tuple t of constant indices.
int64_t const_slice(const Importer& im, const Node& n, const Const& c, const Shape& ds, int64_t m,
                    int64_t t) {
  int64_t j = 0;
  for (int64_t k = 0; k < m; ++k) {
    const int64_t v = c.i.empty() ? static_cast<int64_t>(c.f[t * m + k]) : c.i[t * m + k];
    j = j * ds[k] + norm_index(im, n, v, ds[k]);
  }
  return j;
}

// The components of the one-hot E[t, j] = [tuple t addresses slice j] over
// the grid {1, T, K} (rows_are_tuples) or {1, K, T}.
std::vector<Comp> nd_comps(const Shape& ds, const NdShape& g, bool rows_are_tuples) {
  std::vector<Comp> comps(g.m);
  const Shape lead(ds.begin(), ds.begin() + g.m);
  for (int64_t k = 0; k < g.m; ++k) comps[k].len = ds[k];
  const int64_t R = rows_are_tuples ? g.T : g.K, C = rows_are_tuples ? g.K : g.T;
  for (int64_t r = 0; r < R; ++r)
    for (int64_t c = 0; c < C; ++c) {
      const int64_t t = rows_are_tuples ? r : c, j = rows_are_tuples ? c : r;
      const Shape jc = coords(j, lead);
      for (int64_t k = 0; k < g.m; ++k) {
        comps[k].src.push_back(t * g.m + k);
        comps[k].digit.push_back(static_cast<float>(jc[k]));
      }
    }
  return comps;
}

}  // namespace

void conv_gather_nd(Importer& im, const Node& n) {
  if (im.attr_int(n, "batch_dims", 0) != 0)
    im.fail_attr(n, "batch_dims", "is not supported (only 0)");
  const Shape ds = in_full(im, n, 0), is = in_full(im, n, 1);
  const NdShape g = nd_shape(im, n, ds, is);
  Shape out(is.begin(), is.end() - 1);
  out.insert(out.end(), ds.begin() + g.m, ds.end());
  const Sym& isym = im.sym(n, 1);
  if (isym.is_const()) {
    Move mv{{0}, out, {}, {}};
    for (int64_t t = 0; t < g.T; ++t) {
      const int64_t j = const_slice(im, n, *isym.c, ds, g.m, t);
      for (int64_t s = 0; s < g.S; ++s) mv.src.push_back(j * g.S + s);
    }
    return emit_move(im, n, mv);
  }
  Sel s{im, n};
  const Shape sel{1, g.T, g.K}, grid{1, g.T * g.S, g.K};
  s.check_grid(grid, "GatherND");
  int e = s.onehot(im.act(n, 1, "indices"), nd_comps(ds, g, true), sel);
  s.guard(e, sel, 1);
  std::vector<int64_t> esrc, dsrc;
  for (int64_t t = 0; t < g.T; ++t)
    for (int64_t x = 0; x < g.S; ++x)
      for (int64_t j = 0; j < g.K; ++j) {
        esrc.push_back(t * g.K + j);
        dsrc.push_back(j * g.S + x);
      }
  if (g.S > 1) e = s.move(e, std::move(esrc), "select_slices", grid);
  s.output(s.weighted_sum(e, 0, dsrc, "gathered", grid), out);
}

namespace {

void check_reduction(Importer& im, const Node& n) {
  const std::string red = im.attr_string(n, "reduction", "none");
  if (red != "none") im.fail_attr(n, "reduction", "= " + red + " is not supported (only none)");
}

}  // namespace

void conv_scatter_elements(Importer& im, const Node& n) {
  check_reduction(im, n);
  const Shape ds = in_full(im, n, 0), is = in_full(im, n, 1), us = in_full(im, n, 2);
  check_rank(im, n, is, ds, "indices");
  if (is != us)
    im.fail(n, "updates " + shape_str(us) + " must have the shape of indices " + shape_str(is));
  const int64_t r = static_cast<int64_t>(ds.size());
  if (r == 0) im.fail(n, "data must have at least one axis");
  const int64_t axis = norm_axis(im, n, im.attr_int(n, "axis", 0), r);
  const int64_t D = numel_of(ds), U = numel_of(is), K = ds[axis];
  for (int64_t d = 0; d < r; ++d)
    if (d != axis && is[d] > ds[d])
      im.fail(n, "indices " + shape_str(is) + " larger than data " + shape_str(ds));
  const Sym& isym = im.sym(n, 1);
  if (isym.is_const()) {
    Move m{{0, 2}, ds, {}, {}};
    for (int64_t p = 0; p < D; ++p) m.src.push_back(p);
    for (int64_t u = 0; u < U; ++u) {
      Shape c = coords(u, is);
      c[axis] = norm_index(im, n, isym.c->i.empty() ? int64_t(isym.c->f[u]) : isym.c->i[u], K);
      m.src[flat(c, ds)] = D + u;  // in order: the last write wins
    }
    return emit_move(im, n, m);
  }
  for (int64_t d = 0; d < r; ++d)
    if (d != axis && is[d] != ds[d])
      im.fail(n, "with computed indices, indices " + shape_str(is) + " must match data " +
                     shape_str(ds) + " on every axis but " + std::to_string(axis));
  const int64_t C = is[axis];
  Sel s{im, n};
  const Shape grid{1, D, C};
  s.check_grid(grid, "ScatterElements");
  Comp comp{{}, {}, K};
  std::vector<int64_t> usrc;
  for (int64_t p = 0; p < D; ++p) {
    Shape c = coords(p, ds);
    const int64_t a = c[axis];
    for (int64_t j = 0; j < C; ++j) {
      c[axis] = j;
      const int64_t u = flat(c, is);
      comp.src.push_back(u);
      comp.digit.push_back(static_cast<float>(a));
      usrc.push_back(u);
    }
  }
  const int e = s.onehot(im.act(n, 1, "indices"), {comp}, grid);
  int64_t pre = 1;
  for (int64_t d = 0; d < axis; ++d) pre *= ds[d];
  s.guard(e, {1, pre, K, D / (pre * K) * C}, 1);  // [pre, a, (post, c)]
  s.scatter(e, 2, usrc, grid, ds);
}

void conv_scatter_nd(Importer& im, const Node& n) {
  check_reduction(im, n);
  const Shape ds = in_full(im, n, 0), is = in_full(im, n, 1), us = in_full(im, n, 2);
  const NdShape g = nd_shape(im, n, ds, is);
  Shape want(is.begin(), is.end() - 1);
  want.insert(want.end(), ds.begin() + g.m, ds.end());
  if (us != want)
    im.fail(n, "updates " + shape_str(us) + " must have shape " + shape_str(want) +
                   " (indices[:-1] + data[m:])");
  const int64_t D = numel_of(ds);
  const Sym& isym = im.sym(n, 1);
  if (isym.is_const()) {
    Move mv{{0, 2}, ds, {}, {}};
    for (int64_t p = 0; p < D; ++p) mv.src.push_back(p);
    for (int64_t t = 0; t < g.T; ++t) {
      const int64_t j = const_slice(im, n, *isym.c, ds, g.m, t);
      for (int64_t x = 0; x < g.S; ++x) mv.src[j * g.S + x] = D + t * g.S + x;
    }
    return emit_move(im, n, mv);
  }
  Sel s{im, n};
  const Shape sel{1, g.K, g.T}, grid{1, D, g.T};
  s.check_grid(grid, "ScatterND");
  int e = s.onehot(im.act(n, 1, "indices"), nd_comps(ds, g, false), sel);
  s.guard(e, sel, 0);
  std::vector<int64_t> esrc, usrc;
  for (int64_t j = 0; j < g.K; ++j)
    for (int64_t x = 0; x < g.S; ++x)
      for (int64_t t = 0; t < g.T; ++t) {
        esrc.push_back(j * g.T + t);
        usrc.push_back(t * g.S + x);
      }
  if (g.S > 1) e = s.move(e, std::move(esrc), "select_slices", grid);
  s.scatter(e, 2, usrc, grid, ds);
}

}  // namespace zk::onnx::conv
