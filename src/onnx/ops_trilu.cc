// Trilu with a constant k: a masked data movement (each kept element copied,
// the others a constant 0), exact. upper = 1 keeps j - i >= k, upper = 0
// keeps j - i <= k, over the last two axes (rows i, columns j).
#include "onnx/move.h"

namespace zk::onnx::conv {

void conv_trilu(Importer& im, const Node& n) {
  const Shape xs = in_full(im, n, 0);
  if (xs.size() < 2) im.fail(n, "expects an input of rank >= 2, got " + shape_str(xs));
  int64_t k = 0;
  if (im.has_input(n, 1)) {
    const Shape ks = const_ints(im, n, 1, "k");
    if (ks.size() != 1) im.fail(n, "k must hold one value");
    k = ks[0];
  }
  const bool upper = im.attr_int(n, "upper", 1) != 0;
  const int64_t rows = xs[xs.size() - 2], cols = xs.back();
  Move m{{0}, xs, {}, {}};
  const int64_t total = numel_of(xs);
  m.src.reserve(total);
  for (int64_t e = 0; e < total; ++e) {
    const int64_t j = e % cols, i = (e / cols) % rows;
    m.src.push_back((upper ? j - i >= k : j - i <= k) ? e : -1);
  }
  emit_move(im, n, m);
}

}  // namespace zk::onnx::conv
