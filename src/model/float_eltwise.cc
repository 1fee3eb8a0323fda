// Elementwise ops between two tensors with NumPy broadcasting: the float
// reference of Add, Sub, Mul, Max, Min and the comparisons (and of what the importer builds
// from them: Div, Sum, Mean, PRelu, ...).
#include <algorithm>
#include <string>

#include "model/broadcast.h"

namespace zk::model {

std::optional<std::vector<int64_t>> broadcast_shape(const std::vector<int64_t>& a,
                                                    const std::vector<int64_t>& b) {
  size_t r = std::max(a.size(), b.size());
  std::vector<int64_t> out(r);
  for (size_t i = 0; i < r; ++i) {
    int64_t da = i < r - a.size() ? 1 : a[i - (r - a.size())];
    int64_t db = i < r - b.size() ? 1 : b[i - (r - b.size())];
    if (da != db && da != 1 && db != 1) return std::nullopt;
    out[i] = da == 1 ? db : da;
  }
  return out;
}

std::vector<int64_t> broadcast_index(const std::vector<int64_t>& in,
                                     const std::vector<int64_t>& out) {
  size_t r = out.size(), off = r - std::min(r, in.size());
  // The input's stride for each output axis (0 where it broadcasts).
  std::vector<int64_t> stride(r, 0);
  int64_t s = 1;
  for (size_t i = in.size(); i-- > 0;) {
    if (i + off < r && in[i] != 1) stride[i + off] = s;
    s *= in[i];
  }
  int64_t total = 1;
  for (auto d : out) total *= d;
  std::vector<int64_t> idx(r, 0), map(static_cast<size_t>(total));
  int64_t src = 0;
  for (int64_t flat = 0; flat < total; ++flat) {
    map[flat] = src;
    for (size_t d = r; d-- > 0;) {
      src += stride[d];
      if (++idx[d] < out[d]) break;
      src -= stride[d] * idx[d];
      idx[d] = 0;
    }
  }
  return map;
}

bool is_binary(OpKind k) {
  return k == OpKind::kAdd || k == OpKind::kSub || k == OpKind::kMul || k == OpKind::kMax ||
         k == OpKind::kMin || k == OpKind::kLess || k == OpKind::kLessEq || k == OpKind::kEqual;
}

void run_binary(const FloatGraph& g, const FNode& n, const std::vector<std::vector<float>>& vals,
                std::vector<float>& y) {
  auto fail = [&](const std::string& m) {
    throw ModelError("float executor: node '" + n.name + "' (" + op_kind_name(n.kind) + "): " + m);
  };
  if (n.inputs.size() != 2) fail("expects two inputs");
  const auto& os = g.values[n.output].shape;
  std::vector<int64_t> maps[2];
  for (int k = 0; k < 2; ++k) {
    const auto& s = g.values[n.inputs[k]].shape;
    auto b = broadcast_shape(s, os);
    if (!b || *b != os) fail("operand does not broadcast to the output's shape");
    maps[k] = broadcast_index(s, os);
    if (maps[k].size() != y.size()) fail("operand sizes differ");
  }
  const auto& a = vals[n.inputs[0]];
  const auto& b = vals[n.inputs[1]];
  for (size_t i = 0; i < y.size(); ++i) {
    float u = a[maps[0][i]], v = b[maps[1][i]];
    switch (n.kind) {
      case OpKind::kAdd:
        y[i] = u + v;
        break;
      case OpKind::kSub:
        y[i] = u - v;
        break;
      case OpKind::kMul:
        y[i] = u * v;
        break;
      case OpKind::kMax:
        y[i] = std::max(u, v);
        break;
      case OpKind::kMin:
        y[i] = std::min(u, v);
        break;
      case OpKind::kLess:
        y[i] = u < v ? 1.0f : 0.0f;
        break;
      case OpKind::kLessEq:
        y[i] = u <= v ? 1.0f : 0.0f;
        break;
      default:
        y[i] = u == v ? 1.0f : 0.0f;
        break;
    }
  }
}

}  // namespace zk::model
