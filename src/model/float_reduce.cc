#include "model/float_reduce.h"

#include <algorithm>
#include <limits>

namespace zk::model {

void run_reduce(const FNode& n, const std::vector<int64_t>& is, const std::vector<float>& x,
                std::vector<float>& y) {
  std::vector<bool> red(is.size(), false);
  for (auto a : n.axes) {
    if (a < 0 || a >= static_cast<int64_t>(is.size()))
      throw ModelError("float executor: node '" + n.name + "': reduced axis out of range");
    red[a] = true;
  }
  int64_t kept = 1, count = 1;
  for (size_t d = 0; d < is.size(); ++d) (red[d] ? count : kept) *= is[d];
  if (static_cast<int64_t>(y.size()) != kept)
    throw ModelError("float executor: node '" + n.name + "': output size does not match");
  const bool is_max = n.kind == OpKind::kReduceMax, is_min = n.kind == OpKind::kReduceMin;
  std::vector<double> acc(kept, is_max   ? -std::numeric_limits<double>::infinity()
                                : is_min ? std::numeric_limits<double>::infinity()
                                         : 0.0);
  std::vector<int64_t> idx(is.size(), 0);
  for (size_t i = 0; i < x.size(); ++i) {
    int64_t o = 0;
    for (size_t d = 0; d < is.size(); ++d)
      if (!red[d]) o = o * is[d] + idx[d];
    double v = x[i];
    acc[o] = is_max ? std::max(acc[o], v) : is_min ? std::min(acc[o], v) : acc[o] + v;
    for (size_t d = is.size(); d-- > 0;) {
      if (++idx[d] < is[d]) break;
      idx[d] = 0;
    }
  }
  for (int64_t o = 0; o < kept; ++o)
    y[o] = static_cast<float>(n.kind == OpKind::kReduceMean ? acc[o] / static_cast<double>(count)
                                                            : acc[o]);
}

}  // namespace zk::model
