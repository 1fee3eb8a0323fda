// OneHot of computed indices (tree converters): for every output element the
// index broadcast along the new axis (a Move), minus the element's position
// on that axis (a ChannelAffine with one bias per element), the exact IsZero
// table (1 where the index selects the position; a negative index counts from
// the end, as in ONNX) and off + (on - off) * that.
#include "model/activations.h"
#include "onnx/convert.h"

namespace zk::onnx::conv {

void conv_onehot(Importer& im, const Node& n) {
  const int x = im.act(n, 0, "indices");
  const Const& dc = im.cst(n, 1, "depth");
  const Const& vc = im.cst(n, 2, "values");
  if (dc.numel() != 1 || vc.numel() != 2) im.fail(n, "depth must be a scalar and values [off, on]");
  const int64_t depth = static_cast<int64_t>(dc.f[0]);
  if (depth < 1 || depth > (int64_t{1} << 20)) im.fail(n, "depth must be from 1 to 2^20");
  const Shape xs = im.full(x);
  const int64_t r = static_cast<int64_t>(xs.size()) + 1;
  const int64_t axis = norm_axis(im, n, im.attr_int(n, "axis", -1), r);
  Shape out = xs;
  out.insert(out.begin() + axis, depth);
  const int64_t total = numel_of(out);
  if (total > kMaxTensorElements) im.fail(n, "the one-hot output has over 2^28 elements");
  // inner = elements after the axis; src(o) drops o's coordinate on the axis.
  int64_t inner = 1;
  for (int64_t d = axis + 1; d < r; ++d) inner *= out[d];
  const std::string o = n.output(0);
  FNode b = make(im, n, OpKind::kMove, {x}, "/broadcast");
  FNode d = make(im, n, OpKind::kChannelAffine, {}, "/minus_position");
  d.weight = FTensor{{1}, {1.0f}};
  d.bias = FTensor{{total}, std::vector<float>(total)};
  for (int64_t i = 0; i < total; ++i) {
    const int64_t outer = i / (inner * depth), pos = (i / inner) % depth, in = i % inner;
    b.src.push_back(outer * inner + in);
    d.bias.data[i] = -static_cast<float>(pos);
  }
  const int bv = im.emit(std::move(b), o + "/zk_indices", out);
  d.inputs = {bv};
  const int dv = im.emit(std::move(d), o + "/zk_diff", out);
  FNode h = make(im, n, OpKind::kActivation, {dv}, "/onehot");
  h.activation = model::kIsZeroActivation;
  h.attrs = {static_cast<float>(depth)};
  const float off = vc.f[0], on = vc.f[1];
  if (off == 0.0f && on == 1.0f) {
    im.emit(std::move(h), o, out);
    return;
  }
  const int hv = im.emit(std::move(h), o + "/zk_onehot", out);
  FNode a = make(im, n, OpKind::kChannelAffine, {hv}, "/values");
  a.weight = FTensor{{1}, {on - off}};
  a.bias = FTensor{{1}, {off}};
  im.emit(std::move(a), o, out);
}

}  // namespace zk::onnx::conv
