#include "model/float_reduce.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace zk::model {

namespace {

// For each element of x (logical shape is), the flat index of its group (the
// kept coordinates, row-major); the number of groups and of elements in each.
struct Groups {
  std::vector<int64_t> of;
  int64_t count = 1, size = 1;
};

Groups groups_of(const FNode& n, const std::vector<int64_t>& is, size_t numel) {
  std::vector<bool> red(is.size(), false);
  for (auto a : n.axes) {
    if (a < 0 || a >= static_cast<int64_t>(is.size()))
      throw ModelError("float executor: node '" + n.name + "': reduced axis out of range");
    red[a] = true;
  }
  Groups g;
  for (size_t d = 0; d < is.size(); ++d) (red[d] ? g.size : g.count) *= is[d];
  g.of.resize(numel);
  std::vector<int64_t> idx(is.size(), 0);
  for (size_t i = 0; i < numel; ++i) {
    int64_t o = 0;
    for (size_t d = 0; d < is.size(); ++d)
      if (!red[d]) o = o * is[d] + idx[d];
    g.of[i] = o;
    for (size_t d = is.size(); d-- > 0;) {
      if (++idx[d] < is[d]) break;
      idx[d] = 0;
    }
  }
  return g;
}

std::vector<double> group_max(const Groups& g, const std::vector<float>& x) {
  std::vector<double> m(g.count, -std::numeric_limits<double>::infinity());
  for (size_t i = 0; i < x.size(); ++i) m[g.of[i]] = std::max(m[g.of[i]], double{x[i]});
  return m;
}

}  // namespace

void run_reduce(const FNode& n, const std::vector<int64_t>& is, const std::vector<float>& x,
                std::vector<float>& y) {
  Groups g = groups_of(n, is, x.size());
  if (static_cast<int64_t>(y.size()) != g.count)
    throw ModelError("float executor: node '" + n.name + "': output size does not match");
  const OpKind k = n.kind;
  std::vector<double> acc(g.count, 0.0);
  if (k == OpKind::kReduceMax || k == OpKind::kReduceLogSumExp) acc = group_max(g, x);
  if (k == OpKind::kReduceMin)
    for (auto& a : acc) a = std::numeric_limits<double>::infinity();
  const std::vector<double> m = acc;
  if (k == OpKind::kReduceLogSumExp) std::fill(acc.begin(), acc.end(), 0.0);
  for (size_t i = 0; i < x.size(); ++i) {
    double v = x[i], &a = acc[g.of[i]];
    switch (k) {
      case OpKind::kReduceMax:
        a = std::max(a, v);
        break;
      case OpKind::kReduceMin:
        a = std::min(a, v);
        break;
      case OpKind::kReduceSumSquare:
      case OpKind::kReduceL2:
        a += v * v;
        break;
      case OpKind::kReduceLogSumExp:
        a += std::exp(v - m[g.of[i]]);
        break;
      default:
        a += v;
    }
  }
  for (int64_t o = 0; o < g.count; ++o) {
    double v = acc[o];
    if (k == OpKind::kReduceMean) v /= static_cast<double>(g.size);
    if (k == OpKind::kReduceL2) v = std::sqrt(v);
    if (k == OpKind::kReduceLogSumExp) v = m[o] + std::log(v);
    y[o] = static_cast<float>(v);
  }
}

void run_softmax(const FNode& n, const std::vector<int64_t>& is, const std::vector<float>& x,
                 std::vector<float>& y) {
  Groups g = groups_of(n, is, x.size());
  if (y.size() != x.size())
    throw ModelError("float executor: node '" + n.name + "': output size does not match");
  const std::vector<double> m = group_max(g, x);
  std::vector<double> s(g.count, 0.0);
  for (size_t i = 0; i < x.size(); ++i) s[g.of[i]] += std::exp(x[i] - m[g.of[i]]);
  for (size_t i = 0; i < x.size(); ++i) {
    double d = x[i] - m[g.of[i]];
    y[i] = static_cast<float>(n.kind == OpKind::kLogSoftmax ? d - std::log(s[g.of[i]])
                                                            : std::exp(d) / s[g.of[i]]);
  }
}

}  // namespace zk::model
