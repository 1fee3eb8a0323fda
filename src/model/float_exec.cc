// Straightforward float32 reference executor for FloatGraph. It is the ground
// truth that calibration and the quantized circuit are compared against, so it
// favors clarity over speed (loops are ordered to stay cache friendly enough
// for LeNet/MLP-sized models).
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "model/activations.h"
#include "model/broadcast.h"
#include "model/float_linalg.h"
#include "model/float_reduce.h"
#include "model/graph.h"

namespace zk::model {
namespace {

int64_t numel_of(const std::vector<int64_t>& shape) {
  int64_t n = 1;
  for (auto d : shape) n *= d;
  return n;
}

std::string shape_str(const std::vector<int64_t>& s) {
  std::string r = "[";
  for (size_t i = 0; i < s.size(); ++i) r += (i ? "," : "") + std::to_string(s[i]);
  return r + "]";
}

[[noreturn]] void fail(const FNode& n, const std::string& msg) {
  throw ModelError("float executor: node '" + n.name + "' (" + op_kind_name(n.kind) + "): " + msg);
}

void require(bool ok, const FNode& n, const std::string& msg) {
  if (!ok) fail(n, msg);
}

// Returns {strides_h, strides_w, pad_top, pad_left} with defaults applied.
struct Window {
  int64_t kh, kw, sh, sw, pt, pl;
};

Window window_of(const FNode& n, int64_t kh, int64_t kw) {
  Window w{kh, kw, 1, 1, 0, 0};
  if (!n.strides.empty()) {
    require(n.strides.size() == 2, n, "strides must have 2 entries");
    w.sh = n.strides[0];
    w.sw = n.strides[1];
  }
  if (!n.pads.empty()) {
    require(n.pads.size() == 4, n, "pads must have 4 entries {top,left,bottom,right}");
    w.pt = n.pads[0];
    w.pl = n.pads[1];
  }
  require(w.sh > 0 && w.sw > 0 && w.kh > 0 && w.kw > 0, n, "bad kernel/strides");
  return w;
}

void run_conv(const FNode& n, const std::vector<int64_t>& is, const std::vector<float>& x,
              const std::vector<int64_t>& os, std::vector<float>& y) {
  require(is.size() == 3 && os.size() == 3, n, "expects [C,H,W] input and output");
  const auto& ws = n.weight.shape;
  require(ws.size() == 4 && ws[1] == is[0] && ws[0] == os[0], n,
          "weight shape " + shape_str(ws) + " does not match input " + shape_str(is) +
              " / output " + shape_str(os));
  require(n.bias.data.empty() || static_cast<int64_t>(n.bias.data.size()) == ws[0], n,
          "bias length must equal output channels");
  const int64_t C = is[0], H = is[1], W = is[2], O = os[0], OH = os[1], OW = os[2];
  const Window win = window_of(n, ws[2], ws[3]);
  for (int64_t o = 0; o < O; ++o) {
    float* yo = &y[o * OH * OW];
    std::fill(yo, yo + OH * OW, n.bias.data.empty() ? 0.0f : n.bias.data[o]);
    for (int64_t c = 0; c < C; ++c) {
      const float* xc = &x[c * H * W];
      for (int64_t ky = 0; ky < win.kh; ++ky) {
        for (int64_t kx = 0; kx < win.kw; ++kx) {
          const float wv = n.weight.data[((o * C + c) * win.kh + ky) * win.kw + kx];
          for (int64_t oy = 0; oy < OH; ++oy) {
            const int64_t iy = oy * win.sh - win.pt + ky;
            if (iy < 0 || iy >= H) continue;
            for (int64_t ox = 0; ox < OW; ++ox) {
              const int64_t ix = ox * win.sw - win.pl + kx;
              if (ix < 0 || ix >= W) continue;
              yo[oy * OW + ox] += wv * xc[iy * W + ix];
            }
          }
        }
      }
    }
  }
}

void run_gemm(const FNode& n, const std::vector<float>& x, std::vector<float>& y) {
  const auto& ws = n.weight.shape;
  const int64_t K = static_cast<int64_t>(x.size());
  const int64_t N = static_cast<int64_t>(y.size());
  require(ws.size() == 2 && ws[0] == N && ws[1] == K, n,
          "weight shape " + shape_str(ws) + " does not match input length " + std::to_string(K) +
              " / output length " + std::to_string(N));
  require(n.bias.data.empty() || static_cast<int64_t>(n.bias.data.size()) == N, n,
          "bias length must equal output length");
  for (int64_t i = 0; i < N; ++i) {
    double acc = n.bias.data.empty() ? 0.0 : n.bias.data[i];
    const float* w = &n.weight.data[i * K];
    for (int64_t k = 0; k < K; ++k) acc += static_cast<double>(w[k]) * x[k];
    y[i] = static_cast<float>(acc);
  }
}

// MaxPool / AvgPool over the valid (unpadded) elements of each window; a
// window with no valid element yields 0 (AvgPool 1x1 with pads is a zero pad).
void run_pool(const FNode& n, bool is_max, const std::vector<int64_t>& is,
              const std::vector<float>& x, const std::vector<int64_t>& os, std::vector<float>& y) {
  require(is.size() == 3 && os.size() == 3 && is[0] == os[0], n,
          "expects [C,H,W] input and output with equal C");
  require(n.kernel.size() == 2, n, "kernel must have 2 entries");
  const Window win = window_of(n, n.kernel[0], n.kernel[1]);
  const int64_t dh = n.dilations.empty() ? 1 : n.dilations[0];
  const int64_t dw = n.dilations.empty() ? 1 : n.dilations[1];
  const int64_t C = is[0], H = is[1], W = is[2], OH = os[1], OW = os[2];
  for (int64_t c = 0; c < C; ++c) {
    for (int64_t oy = 0; oy < OH; ++oy) {
      for (int64_t ox = 0; ox < OW; ++ox) {
        float best = -std::numeric_limits<float>::infinity();
        double sum = 0;
        int64_t count = 0;
        for (int64_t ky = 0; ky < win.kh; ++ky) {
          const int64_t iy = oy * win.sh - win.pt + ky * dh;
          if (iy < 0 || iy >= H) continue;
          for (int64_t kx = 0; kx < win.kw; ++kx) {
            const int64_t ix = ox * win.sw - win.pl + kx * dw;
            if (ix < 0 || ix >= W) continue;
            const float v = x[(c * H + iy) * W + ix];
            best = std::max(best, v);
            sum += v;
            ++count;
          }
        }
        float out = 0.0f;
        if (count > 0 && !is_max && n.count_include_pad) count = win.kh * win.kw;
        if (count > 0) out = is_max ? best : static_cast<float>(sum / count);
        y[(c * OH + oy) * OW + ox] = out;
      }
    }
  }
}

void run_global_avg(const FNode& n, const std::vector<int64_t>& is, const std::vector<float>& x,
                    std::vector<float>& y) {
  const int64_t C = is.empty() ? 1 : is[0];
  const int64_t inner = static_cast<int64_t>(x.size()) / C;
  require(static_cast<int64_t>(y.size()) == C && inner > 0, n,
          "output must have one element per channel of " + shape_str(is));
  for (int64_t c = 0; c < C; ++c) {
    double s = 0;
    for (int64_t i = 0; i < inner; ++i) s += x[c * inner + i];
    y[c] = static_cast<float>(s / inner);
  }
}

void run_channel_affine(const FNode& n, const std::vector<int64_t>& is, const std::vector<float>& x,
                        std::vector<float>& y) {
  const int64_t C = is.empty() ? 1 : is[0];
  const int64_t inner = static_cast<int64_t>(x.size()) / C;
  const auto& w = n.weight.data;
  const auto& b = n.bias.data;
  if (inner > 1 && (w.size() == x.size() || b.size() == x.size())) {  // one value per element
    auto at = [&](const std::vector<float>& v, size_t i) {
      return v.empty() ? 0.0f : v[v.size() == 1 ? 0 : i];
    };
    require((w.size() == 1 || w.size() == x.size()) && (b.size() <= 1 || b.size() == x.size()), n,
            "per-element weight and bias must have one value per element");
    for (size_t i = 0; i < x.size(); ++i) y[i] = x[i] * at(w, i) + at(b, i);
    return;
  }
  require(w.size() == 1 || static_cast<int64_t>(w.size()) == C, n,
          "weight length must be 1 or the channel count " + std::to_string(C));
  require(b.size() <= 1 || static_cast<int64_t>(b.size()) == C, n,
          "bias length must be 0, 1 or the channel count " + std::to_string(C));
  for (int64_t c = 0; c < C; ++c) {
    const float wc = w.size() == 1 ? w[0] : w[c];
    const float bc = b.empty() ? 0.0f : (b.size() == 1 ? b[0] : b[c]);
    for (int64_t i = 0; i < inner; ++i) y[c * inner + i] = x[c * inner + i] * wc + bc;
  }
}

void run_transpose(const FNode& n, const std::vector<int64_t>& is, const std::vector<float>& x,
                   const std::vector<int64_t>& os, std::vector<float>& y) {
  const size_t r = is.size();
  require(n.perm.size() == r && os.size() == r, n, "perm rank must match input rank");
  std::vector<int64_t> in_strides(r, 1);
  for (size_t i = r; i-- > 1;) in_strides[i - 1] = in_strides[i] * is[i];
  std::vector<int64_t> src_stride(r);  // input stride of each output axis
  for (size_t i = 0; i < r; ++i) {
    require(n.perm[i] >= 0 && n.perm[i] < static_cast<int64_t>(r), n, "perm out of range");
    require(os[i] == is[n.perm[i]], n, "output shape does not match perm");
    src_stride[i] = in_strides[n.perm[i]];
  }
  std::vector<int64_t> idx(r, 0);
  for (size_t out = 0; out < y.size(); ++out) {
    int64_t src = 0;
    for (size_t i = 0; i < r; ++i) src += idx[i] * src_stride[i];
    y[out] = x[src];
    for (size_t i = r; i-- > 0;) {
      if (++idx[i] < os[i]) break;
      idx[i] = 0;
    }
  }
}

// y[i] = the src[i]-th element of the inputs' concatenated data, or the constant.
void run_move(const FNode& n, const std::vector<std::vector<float>>& vals, std::vector<float>& y) {
  require(n.src.size() == y.size(), n, "source map does not match the output");
  require(n.weight.data.empty() || n.weight.data.size() == y.size(), n, "bad constant");
  std::vector<int64_t> start;
  int64_t total = 0;
  for (int in : n.inputs) {
    start.push_back(total);
    total += static_cast<int64_t>(vals[in].size());
  }
  for (size_t i = 0; i < y.size(); ++i) {
    const int64_t s = n.src[i];
    if (s < 0) {
      y[i] = n.weight.data.empty() ? 0.0f : n.weight.data[i];
      continue;
    }
    require(s < total, n, "source index out of range");
    const size_t k = std::upper_bound(start.begin(), start.end(), s) - start.begin() - 1;
    y[i] = vals[n.inputs[k]][s - start[k]];
  }
}

// One node: y (sized to the output) from its inputs' values.
void run_node(const FNode& n, const std::vector<int64_t>& is, const std::vector<int64_t>& os,
              const std::vector<float>& x, const std::vector<std::vector<float>>& vals,
              std::vector<float>& y) {
  switch (n.kind) {
    case OpKind::kConv:
      run_conv(n, is, x, os, y);
      break;
    case OpKind::kGemm:
      run_gemm(n, x, y);
      break;
    case OpKind::kRelu:
    case OpKind::kClip: {
      require(x.size() == y.size(), n, "input/output sizes differ");
      const float lo = n.kind == OpKind::kRelu ? 0.0f : n.clip_lo;
      const float hi = n.kind == OpKind::kRelu ? std::numeric_limits<float>::infinity() : n.clip_hi;
      for (size_t i = 0; i < x.size(); ++i) y[i] = std::min(std::max(x[i], lo), hi);
      break;
    }
    case OpKind::kMaxPool:
      run_pool(n, true, is, x, os, y);
      break;
    case OpKind::kAvgPool:
      run_pool(n, false, is, x, os, y);
      break;
    case OpKind::kGlobalAvgPool:
      run_global_avg(n, is, x, y);
      break;
    case OpKind::kAdd:
    case OpKind::kMul:
    case OpKind::kSub:
    case OpKind::kMax:
    case OpKind::kMin:
    case OpKind::kLess:
    case OpKind::kLessEq:
    case OpKind::kEqual:
      fail(n, "binary ops run in run_binary");  // (float_eltwise.cc, before run_node)
    case OpKind::kChannelAffine:
      require(x.size() == y.size(), n, "input/output sizes differ");
      run_channel_affine(n, is, x, y);
      break;
    case OpKind::kReshape:
      require(x.size() == y.size(), n, "cannot reshape " + shape_str(is) + " to " + shape_str(os));
      y = x;
      break;
    case OpKind::kTranspose:
      run_transpose(n, is, x, os, y);
      break;
    case OpKind::kMove:
      run_move(n, vals, y);
      break;
    case OpKind::kMatMul:
      run_matmul(n, is, os, vals, y);
      break;
    case OpKind::kActivation: {
      const Activation* a = find_activation(n.activation);
      require(a != nullptr, n, "unknown activation '" + n.activation + "'");
      require(x.size() == y.size(), n, "input/output sizes differ");
      for (size_t i = 0; i < x.size(); ++i)
        y[i] = static_cast<float>(a->f(static_cast<double>(x[i]), n.attrs));
      break;
    }
    case OpKind::kReduceSum:
    case OpKind::kReduceMean:
    case OpKind::kReduceMax:
    case OpKind::kReduceMin:
    case OpKind::kReduceSumSquare:
    case OpKind::kReduceL2:
    case OpKind::kReduceLogSumExp:
      run_reduce(n, is, x, y);
      break;
    case OpKind::kSoftmax:
    case OpKind::kLogSoftmax:
      run_softmax(n, is, x, y);
      break;
  }
}

}  // namespace

std::vector<std::vector<float>> run_float(const FloatGraph& g,
                                          const std::vector<std::vector<float>>& inputs) {
  std::vector<std::vector<float>> vals(g.values.size());
  std::vector<bool> ready(g.values.size(), false);
  if (inputs.size() != g.inputs.size()) {
    throw ModelError("model has " + std::to_string(g.inputs.size()) + " input(s) but " +
                     std::to_string(inputs.size()) + " were given");
  }
  for (size_t i = 0; i < inputs.size(); ++i) {
    const Value& v = g.values.at(g.inputs[i]);
    if (static_cast<int64_t>(inputs[i].size()) != numel_of(v.shape)) {
      throw ModelError("input '" + v.name + "' of shape " + shape_str(v.shape) + " needs " +
                       std::to_string(numel_of(v.shape)) + " values, got " +
                       std::to_string(inputs[i].size()));
    }
    vals[g.inputs[i]] = inputs[i];
    ready[g.inputs[i]] = true;
  }
  for (const FNode& n : g.nodes) {
    for (int in : n.inputs) {
      require(in >= 0 && in < static_cast<int>(vals.size()) && ready[in], n,
              "input value " + std::to_string(in) + " is not computed");
    }
    require(!n.inputs.empty(), n, "node has no input");
    require(n.output >= 0 && n.output < static_cast<int>(vals.size()), n, "bad output id");
    const auto& is = g.values[n.inputs[0]].shape;
    const auto& os = g.values[n.output].shape;
    const std::vector<float>& x = vals[n.inputs[0]];
    std::vector<float> y(numel_of(os));
    if (is_binary(n.kind))
      run_binary(g, n, vals, y);
    else
      run_node(n, is, os, x, vals, y);
    vals[n.output] = std::move(y);
    ready[n.output] = true;
  }
  return vals;
}

}  // namespace zk::model
