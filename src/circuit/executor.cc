#include "circuit/executor.h"

#include <string>

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

namespace {

void check_range(const Circuit& c, const Node& n, const Tensor& t, const std::vector<int64_t>& v,
                 int64_t lo, int64_t hi, const char* what) {
  for (size_t i = 0; i < v.size(); ++i) {
    if ((v[i] < lo || v[i] > hi) && is_valid_index(t, i))
      throw RangeError("layer '" + n.layer + "': " + what + " " + std::to_string(v[i]) +
                       " in tensor '" + t.name + "' is outside the provable range [" +
                       std::to_string(lo) + ", " + std::to_string(hi) +
                       "]; recompile with calibration data that covers this input");
  }
}

void spatial(const Circuit& c, const Node& n, Values& v, bool conv) {
  const Tensor& x = c.tensors[n.in[0]];
  const Tensor& o = c.tensors[n.out[0]];
  size_t H = x.dims[1], W = x.dims[2];
  size_t lh = x.log_dims[1], lw = x.log_dims[2];
  size_t OHp = size_t{1} << o.log_dims[1], OWp = size_t{1} << o.log_dims[2];
  size_t Op = size_t{1} << o.log_dims[0];
  size_t Cp = size_t{1} << x.log_dims[0];
  const auto& xv = v[n.in[0]];
  std::vector<int64_t> out(o.padded_size(), 0);
  const std::vector<int64_t>* wv = conv ? &v[n.in[1]] : nullptr;
  const std::vector<int64_t>* bv = conv ? &v[n.in[2]] : nullptr;
  size_t lkh = 0, lkw = 0;
  if (conv) {
    lkh = c.tensors[n.in[1]].log_dims[2];
    lkw = c.tensors[n.in[1]].log_dims[3];
  }
  for (size_t oc = 0; oc < Op; ++oc) {
    for (size_t y = 0; y < OHp; ++y) {
      for (size_t xx = 0; xx < OWp; ++xx) {
        int64_t acc = conv ? (*bv)[oc] : 0;
        size_t c_lo = conv ? 0 : oc, c_hi = conv ? Cp : oc + 1;
        for (size_t ci = c_lo; ci < c_hi; ++ci) {
          for (int64_t ky = 0; ky < n.kernel_h; ++ky) {
            int64_t iy = static_cast<int64_t>(y) * n.stride_h + ky - n.pad_h;
            if (iy < 0 || iy >= static_cast<int64_t>(H)) continue;
            for (int64_t kx = 0; kx < n.kernel_w; ++kx) {
              int64_t ix = static_cast<int64_t>(xx) * n.stride_w + kx - n.pad_w;
              if (ix < 0 || ix >= static_cast<int64_t>(W)) continue;
              int64_t xin = xv[(ci << (lh + lw)) | (static_cast<size_t>(iy) << lw) | ix];
              if (conv) {
                size_t widx = (((oc << x.log_dims[0] | ci) << lkh | ky) << lkw) | kx;
                acc += (*wv)[widx] * xin;
              } else {
                acc += xin;
              }
            }
          }
        }
        out[(oc << (o.log_dims[1] + o.log_dims[2])) | (y << o.log_dims[2]) | xx] = acc;
      }
    }
  }
  v[n.out[0]] = std::move(out);
}

}  // namespace

void execute(const Circuit& c, Values& v) {
  v.resize(c.tensors.size());
  const int64_t half = int64_t{1} << (c.table_bits - 1);
  for (const auto& n : c.nodes) {
    const Tensor& o = c.tensors[n.out[0]];
    switch (n.type) {
      case NodeType::kGemm: {
        const auto& x = v[n.in[0]];
        const auto& w = v[n.in[1]];
        const auto& b = v[n.in[2]];
        size_t K = x.size(), N = o.padded_size();
        std::vector<int64_t> out(N);
        for (size_t i = 0; i < N; ++i) {
          int64_t acc = b[i];
          const int64_t* row = w.data() + i * K;
          for (size_t k = 0; k < K; ++k) acc += row[k] * x[k];
          out[i] = acc;
        }
        v[n.out[0]] = std::move(out);
        break;
      }
      case NodeType::kConv:
        spatial(c, n, v, true);
        break;
      case NodeType::kWindowSum:
        spatial(c, n, v, false);
        break;
      case NodeType::kChannelAffine: {
        const auto& x = v[n.in[0]];
        const auto& a = v[n.in[1]];
        const auto& b = v[n.in[2]];
        unsigned shift = c.tensors[n.in[0]].num_vars() - c.tensors[n.in[1]].num_vars();
        std::vector<int64_t> out(x.size());
        for (size_t i = 0; i < x.size(); ++i) out[i] = a[i >> shift] * x[i] + b[i >> shift];
        v[n.out[0]] = std::move(out);
        break;
      }
      case NodeType::kGather: {
        const auto& x = v[n.in[0]];
        std::vector<int64_t> out(o.padded_size(), 0);
        for (size_t i = 0; i < out.size(); ++i)
          if (n.map[i] >= 0) out[i] = x[n.map[i]];
        v[n.out[0]] = std::move(out);
        break;
      }
      case NodeType::kLinComb: {
        std::vector<int64_t> out(o.padded_size(), n.expr.constant);
        for (const auto& t : n.expr.terms) {
          const auto& tv = v[t.tensor];
          for (size_t i = 0; i < out.size(); ++i) out[i] += t.coeff * tv[view_index(t, i)];
        }
        v[n.out[0]] = std::move(out);
        break;
      }
      case NodeType::kRequant: {
        const auto& x = v[n.in[0]];
        int64_t h = n.shift > 0 ? int64_t{1} << (n.shift - 1) : 0;
        std::vector<int64_t> q(x.size()), rem(x.size()), y(x.size());
        for (size_t i = 0; i < x.size(); ++i) {
          int64_t z = x[i] * n.mult + h;
          q[i] = floor_div_pow2(z, n.shift);
          rem[i] = z - (q[i] << n.shift);
          y[i] = n.table >= 0 ? c.tables[n.table].out_value(q[i] + half, c.table_bits) : q[i];
        }
        check_range(c, n, o, q, -half, half - 1, "value");
        if (n.out[1] >= 0) v[n.out[1]] = std::move(q);
        if (n.out[3] >= 0) {
          // Split the remainder into T low bits and the rest.
          int T = static_cast<int>(c.table_bits);
          std::vector<int64_t> hi(rem.size());
          for (size_t i = 0; i < rem.size(); ++i) {
            hi[i] = rem[i] >> T;
            rem[i] &= (int64_t{1} << T) - 1;
          }
          v[n.out[3]] = std::move(hi);
        }
        if (n.out[2] >= 0) v[n.out[2]] = std::move(rem);
        v[n.out[0]] = std::move(y);
        break;
      }
      case NodeType::kMaxDiff: {
        const auto& x = v[n.in[0]];
        std::vector<int64_t> d(o.padded_size());
        Term a{n.in[0], 1, n.var, 0}, b{n.in[0], 1, n.var, 1};
        for (size_t i = 0; i < d.size(); ++i) {
          int64_t diff = x[view_index(a, i)] - x[view_index(b, i)];
          d[i] = diff > 0 ? diff : 0;
        }
        std::vector<int64_t> diffs(d.size());
        for (size_t i = 0; i < d.size(); ++i) diffs[i] = x[view_index(a, i)] - x[view_index(b, i)];
        check_range(c, n, o, diffs, -half, half - 1, "max-pool difference");
        v[n.out[0]] = std::move(d);
        break;
      }
    }
  }
}

}  // namespace zk::circuit
