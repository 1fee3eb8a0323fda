// TopK with a constant k, from existing model ops, by ranks. For each element
// i along the axis (largest = 1; smallest swaps the comparison):
//   rank_i = #{j : x_j > x_i} + #{j < i : x_j == x_i}
// (pairwise kLess and kEqual over [.., N, N] copies of x, a per-element 0/1
// affine masking j < i, kAdd, kReduceSum), which orders the elements as
// ONNX does (ties: the lower index first). Then the one-hot
// h[p, i] = [rank_i == p] for the output positions p < k (a kMove copy of the
// ranks, minus p, and the IsZero table), values_p = sum_i x_i h[p, i] (kMul,
// kReduceSum) and indices_p = sum_i i h[p, i] (a per-element affine,
// kReduceSum), moved into the output layout. Every step is exact on the
// quantized input: the values are input values, the indices exact integers
// (ties are decided on the quantized values).
#include "model/activations.h"
#include "onnx/move.h"

namespace zk::onnx::conv {
namespace {

struct TopK {
  Importer& im;
  const Node& n;
  int64_t O, I, N, k;  // outer, inner sizes around the axis; axis length; k

  // A node over value(s) `in` with full shape `shape`, named after output 0.
  int emit(FNode f, const std::string& tag, const Shape& shape) {
    return im.emit(std::move(f), n.output(0) + "/zk_topk_" + tag, shape);
  }
  FNode node(OpKind kind, std::vector<int> in, const std::string& tag) {
    return make(im, n, kind, std::move(in), "/" + tag);
  }
  // Per-element affine w * x + b over a value of `numel` elements.
  int affine(int x, std::vector<float> w, std::vector<float> b, const std::string& tag,
             const Shape& shape) {
    FNode f = node(OpKind::kChannelAffine, {x}, tag);
    const auto len = static_cast<int64_t>(w.size());
    f.weight = FTensor{{len}, std::move(w)};
    f.bias = FTensor{{len}, std::move(b)};
    return emit(std::move(f), tag, shape);
  }
  // Sum over the last axis of a value of full shape `shape`.
  int sum_last(int x, const std::string& tag, const Shape& shape) {
    FNode f = node(OpKind::kReduceSum, {x}, tag);
    Shape os(shape.begin(), shape.end() - 1);
    f.axes = {static_cast<int64_t>(logical_of(shape).size()) - 1};
    return emit(std::move(f), tag, os);
  }
  // Output `out` (full shape `full`) from a [O*I, k] value.
  void output(int out, int v, const Shape& full) {
    if (out >= n.output_size() || n.output(out).empty() || !im.is_used(n.output(out))) return;
    FNode f = make(im, n, OpKind::kMove, {v}, "/out" + std::to_string(out));
    for (int64_t o = 0; o < O; ++o)
      for (int64_t p = 0; p < k; ++p)
        for (int64_t in = 0; in < I; ++in) f.src.push_back((o * I + in) * k + p);
    im.emit(std::move(f), n.output(out), full);
  }
  int64_t xi(int64_t g, int64_t i) const { return ((g / I) * N + i) * I + g % I; }

  void run(int x, bool largest, const Shape& out_full) {
    const int64_t G = O * I;
    const Shape pair{G, N, N}, pk{G, k, N};
    FNode a = node(OpKind::kMove, {x}, "self"), b = node(OpKind::kMove, {x}, "other");
    for (int64_t g = 0; g < G; ++g)
      for (int64_t i = 0; i < N; ++i)
        for (int64_t j = 0; j < N; ++j) {
          a.src.push_back(xi(g, i));
          b.src.push_back(xi(g, j));
        }
    const int av = emit(std::move(a), "self", pair), bv = emit(std::move(b), "other", pair);
    // beats[g, i, j] = [x_j ranks before x_i]
    const int gt = emit(
        node(OpKind::kLess, largest ? std::vector<int>{av, bv} : std::vector<int>{bv, av}, "beats"),
        "beats", pair);
    const int eq = emit(node(OpKind::kEqual, {av, bv}, "ties"), "ties", pair);
    std::vector<float> tri(G * N * N), zero(G * N * N, 0.0f);
    for (int64_t g = 0; g < G; ++g)
      for (int64_t i = 0; i < N; ++i)
        for (int64_t j = 0; j < N; ++j) tri[(g * N + i) * N + j] = j < i ? 1.0f : 0.0f;
    const int te = affine(eq, std::move(tri), zero, "earlier_ties", pair);
    const int s = emit(node(OpKind::kAdd, {gt, te}, "before"), "before", pair);
    const int rank = sum_last(s, "rank", pair);
    FNode r2 = node(OpKind::kMove, {rank}, "rank_copies");
    for (int64_t g = 0; g < G; ++g)
      for (int64_t p = 0; p < k; ++p)
        for (int64_t i = 0; i < N; ++i) r2.src.push_back(g * N + i);
    const int rv = emit(std::move(r2), "rank_copies", pk);
    std::vector<float> ones(G * k * N, 1.0f), minus_p(G * k * N), idx(G * k * N);
    for (int64_t e = 0; e < G * k * N; ++e) {
      minus_p[e] = -static_cast<float>((e / N) % k);
      idx[e] = static_cast<float>(e % N);
    }
    const int d = affine(rv, ones, std::move(minus_p), "rank_minus_p", pk);
    FNode h = node(OpKind::kActivation, {d}, "onehot");
    h.activation = model::kIsZeroActivation;
    h.attrs = {static_cast<float>(N + k)};  // |rank - p| < N + k: only rank == p selects
    const int hv = emit(std::move(h), "onehot", pk);
    FNode xc = node(OpKind::kMove, {x}, "x_copies");
    for (int64_t g = 0; g < G; ++g)
      for (int64_t p = 0; p < k; ++p)
        for (int64_t i = 0; i < N; ++i) xc.src.push_back(xi(g, i));
    const int xv = emit(std::move(xc), "x_copies", pk);
    const int vals = sum_last(emit(node(OpKind::kMul, {xv, hv}, "pick"), "pick", pk), "values", pk);
    const int ids =
        sum_last(affine(hv, std::move(idx), std::vector<float>(G * k * N, 0.0f), "index_terms", pk),
                 "indices", pk);
    output(0, vals, out_full);
    output(1, ids, out_full);
  }
};

}  // namespace

void conv_topk(Importer& im, const Node& n) {
  const int x = im.act(n, 0, "X");
  const Shape xs = im.full(x);
  const int64_t r = static_cast<int64_t>(xs.size());
  if (r == 0) im.fail(n, "expects an input of rank >= 1");
  const int64_t axis = norm_axis(im, n, im.attr_int(n, "axis", -1), r);
  int64_t k = 0;
  if (im.opset() < 10) {
    k = im.attr_int(n, "k", -1);
  } else {
    const Shape ks = const_ints(im, n, 1, "K");
    if (ks.size() != 1) im.fail(n, "K must hold one value");
    k = ks[0];
  }
  if (k < 1 || k > xs[axis])
    im.fail(n, "k = " + std::to_string(k) + " must be in [1, " + std::to_string(xs[axis]) +
                   "] (the axis length; k = 0 gives an empty output, which is not supported)");
  int64_t O = 1, I = 1;
  for (int64_t i = 0; i < axis; ++i) O *= xs[i];
  for (int64_t i = axis + 1; i < r; ++i) I *= xs[i];
  check_size({O * I, xs[axis], xs[axis]}, "node '" + im.node_name(n) + "' (TopK) pairwise ranks");
  Shape out = xs;
  out[axis] = k;
  TopK t{im, n, O, I, xs[axis], k};
  t.run(x, im.attr_int(n, "largest", 1) != 0, out);
}

}  // namespace zk::onnx::conv
