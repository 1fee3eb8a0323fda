#include "circuit/layout.h"

namespace zk::circuit {

int64_t floor_div_pow2(int64_t x, int k) { return x >> k; }  // arithmetic shift floors

bool is_valid_index(const Tensor& t, size_t i) {
  for (size_t d = t.dims.size(); d-- > 0;) {
    size_t v = i & ((size_t{1} << t.log_dims[d]) - 1);
    if (static_cast<int64_t>(v) >= t.dims[d]) return false;
    i >>= t.log_dims[d];
  }
  return true;
}

size_t padded_index(const Tensor& t, const std::vector<int64_t>& idx) {
  size_t out = 0;
  for (size_t d = 0; d < t.dims.size(); ++d)
    out = (out << t.log_dims[d]) | static_cast<size_t>(idx[d]);
  return out;
}

std::vector<int64_t> to_padded(const Tensor& t, const std::vector<int64_t>& logical) {
  std::vector<int64_t> out(t.padded_size(), 0);
  std::vector<int64_t> idx(t.dims.size(), 0);
  for (size_t flat = 0; flat < logical.size(); ++flat) {
    out[padded_index(t, idx)] = logical[flat];
    for (size_t d = idx.size(); d-- > 0;) {
      if (++idx[d] < t.dims[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

std::vector<int64_t> from_padded(const Tensor& t, const std::vector<int64_t>& padded) {
  std::vector<int64_t> out;
  out.reserve(t.numel());
  for (size_t i = 0; i < padded.size(); ++i)
    if (is_valid_index(t, i)) out.push_back(padded[i]);
  return out;
}

}  // namespace zk::circuit
