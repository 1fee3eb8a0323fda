#include "circuit/circuit.h"

#include <algorithm>

namespace zk::circuit {

const char* node_type_name(NodeType t) {
  switch (t) {
    case NodeType::kGemm:
      return "Gemm";
    case NodeType::kConv:
      return "Conv";
    case NodeType::kWindowSum:
      return "WindowSum";
    case NodeType::kChannelAffine:
      return "ChannelAffine";
    case NodeType::kGather:
      return "Gather";
    case NodeType::kLinComb:
      return "LinComb";
    case NodeType::kRequant:
      return "Requant";
    case NodeType::kMaxDiff:
      return "MaxDiff";
    case NodeType::kMaxStep:
      return "MaxStep";
    case NodeType::kSplit:
      return "Split";
  }
  return "?";
}

int64_t Table::in_value(int64_t j, unsigned bits) const {
  return kind == TableKind::kRange ? j : j - (int64_t{1} << (bits - 1));
}

int64_t Table::out_value(int64_t j, unsigned bits) const {
  int64_t v = in_value(j, bits);
  switch (kind) {
    case TableKind::kRange:
      return 0;
    case TableKind::kRelu:
      return v > 0 ? v : 0;
    case TableKind::kClip:
      return std::clamp(v, lo, hi);
  }
  return 0;
}

namespace {

constexpr uint64_t kMaxTensors = 1 << 16, kMaxNodes = 1 << 16, kMaxDims = 8;
constexpr uint64_t kMaxMap = uint64_t{1} << 26;

void write_expr(ByteWriter& w, const LinExpr& e) {
  w.u64(e.terms.size());
  for (const auto& t : e.terms) {
    w.u32(static_cast<uint32_t>(t.tensor));
    w.i64(t.coeff);
    w.u32(static_cast<uint32_t>(t.insert_var));
    w.u8(t.insert_bit);
  }
  w.i64(e.constant);
}

LinExpr read_expr(ByteReader& r) {
  LinExpr e;
  uint64_t n = r.count(64, 17, "linear-combination term");
  for (uint64_t i = 0; i < n; ++i) {
    Term t;
    t.tensor = static_cast<int32_t>(r.u32());
    t.coeff = r.i64();
    t.insert_var = static_cast<int32_t>(r.u32());
    t.insert_bit = r.u8();
    e.terms.push_back(t);
  }
  e.constant = r.i64();
  return e;
}

}  // namespace

void Circuit::serialize(ByteWriter& w) const {
  w.str(model_name);
  w.u32(table_bits);
  w.u8(static_cast<uint8_t>(input_vis));
  w.u8(static_cast<uint8_t>(weight_vis));
  w.u8(static_cast<uint8_t>(output_vis));
  w.u32(weight_proofs);
  w.u64(tensors.size());
  for (const auto& t : tensors) {
    w.str(t.name);
    w.i64s(t.dims);
    w.u64(t.log_dims.size());
    for (auto l : t.log_dims) w.u32(l);
    w.u32(static_cast<uint32_t>(t.scale));
    w.u8(static_cast<uint8_t>(t.kind));
    w.u32(static_cast<uint32_t>(t.producer));
  }
  w.u64(nodes.size());
  for (const auto& n : nodes) {
    w.u8(static_cast<uint8_t>(n.type));
    w.str(n.layer);
    w.u64(n.in.size());
    for (auto x : n.in) w.u32(static_cast<uint32_t>(x));
    w.u64(n.out.size());
    for (auto x : n.out) w.u32(static_cast<uint32_t>(x));
    for (int64_t v : {n.stride_h, n.stride_w, n.pad_h, n.pad_w, n.kernel_h, n.kernel_w, n.mult})
      w.i64(v);
    w.u32(static_cast<uint32_t>(n.shift));
    w.u32(static_cast<uint32_t>(n.table));
    w.u32(static_cast<uint32_t>(n.var));
    w.i64s(n.map);
    write_expr(w, n.expr);
  }
  w.u64(tables.size());
  for (const auto& t : tables) {
    w.u8(static_cast<uint8_t>(t.kind));
    w.i64(t.lo);
    w.i64(t.hi);
  }
  std::vector<int64_t> ins(inputs.begin(), inputs.end()), outs(outputs.begin(), outputs.end());
  w.i64s(ins);
  w.i64s(outs);
}

Circuit Circuit::deserialize(ByteReader& r) {
  Circuit c;
  c.model_name = r.str();
  c.table_bits = r.u32();
  uint8_t v[3] = {r.u8(), r.u8(), r.u8()};
  for (auto x : v)
    if (x > 2) r.fail("invalid visibility");
  c.input_vis = static_cast<Visibility>(v[0]);
  c.weight_vis = static_cast<Visibility>(v[1]);
  c.output_vis = static_cast<Visibility>(v[2]);
  c.weight_proofs = r.u32();
  if (c.weight_proofs < 1 || c.weight_proofs > kMaxWeightProofs)
    r.fail("invalid number of proofs for the weight commitment");
  uint64_t nt = r.count(kMaxTensors, 16, "tensor");
  c.tensors.resize(nt);
  for (auto& t : c.tensors) {
    t.name = r.str();
    t.dims = r.i64s(kMaxDims, "dimension");
    uint64_t nl = r.count(kMaxDims, 4, "dimension");
    t.log_dims.resize(nl);
    for (auto& l : t.log_dims) l = r.u32();
    t.scale = static_cast<int32_t>(r.u32());
    uint8_t k = r.u8();
    if (k > 3) r.fail("invalid tensor kind");
    t.kind = static_cast<TensorKind>(k);
    t.producer = static_cast<int32_t>(r.u32());
  }
  uint64_t nn = r.count(kMaxNodes, 16, "node");
  c.nodes.resize(nn);
  for (auto& n : c.nodes) {
    uint8_t ty = r.u8();
    if (ty > static_cast<uint8_t>(NodeType::kSplit)) r.fail("invalid node type");
    n.type = static_cast<NodeType>(ty);
    n.layer = r.str();
    n.in.resize(r.count(16, 4, "node input"));
    for (auto& x : n.in) x = static_cast<int32_t>(r.u32());
    n.out.resize(r.count(16, 4, "node output"));
    for (auto& x : n.out) x = static_cast<int32_t>(r.u32());
    for (int64_t* p :
         {&n.stride_h, &n.stride_w, &n.pad_h, &n.pad_w, &n.kernel_h, &n.kernel_w, &n.mult})
      *p = r.i64();
    n.shift = static_cast<int32_t>(r.u32());
    n.table = static_cast<int32_t>(r.u32());
    n.var = static_cast<int32_t>(r.u32());
    n.map = r.i64s(kMaxMap, "gather map");
    n.expr = read_expr(r);
  }
  uint64_t ntab = r.count(64, 17, "table");
  c.tables.resize(ntab);
  for (auto& t : c.tables) {
    uint8_t k = r.u8();
    if (k > 2) r.fail("invalid table kind");
    t.kind = static_cast<TableKind>(k);
    t.lo = r.i64();
    t.hi = r.i64();
  }
  for (auto x : r.i64s(64, "input")) c.inputs.push_back(static_cast<int32_t>(x));
  for (auto x : r.i64s(64, "output")) c.outputs.push_back(static_cast<int32_t>(x));
  try {
    c.validate();
  } catch (const FormatError& e) {
    r.fail(std::string("inconsistent circuit: ") + e.what());
  }
  return c;
}

Digest Circuit::digest() const {
  ByteWriter w;
  const char kTag[] = "zkinfer-circuit-v1";
  w.bytes(reinterpret_cast<const uint8_t*>(kTag), sizeof kTag - 1);
  serialize(w);
  return sha256(w.buf());
}

void Circuit::validate() const {
  auto bad = [](const std::string& m) { throw FormatError(m); };
  if (table_bits < 4 || table_bits > 20) bad("table size out of range");
  if (tables.empty() || tables[0].kind != TableKind::kRange)
    bad("first table must be the range table");
  int nt = static_cast<int>(tensors.size());
  auto tensor_ok = [&](int t) { return t >= 0 && t < nt; };
  for (const auto& t : tensors) {
    if (t.dims.size() != t.log_dims.size() || t.dims.empty())
      bad("tensor '" + t.name + "' has bad dims");
    unsigned total = 0;
    for (size_t i = 0; i < t.dims.size(); ++i) {
      if (t.log_dims[i] > 28 || t.dims[i] < 1 || t.dims[i] > (int64_t{1} << t.log_dims[i]))
        bad("tensor '" + t.name + "' has bad dims");
      total += t.log_dims[i];
    }
    if (total > 30) bad("tensor '" + t.name + "' is too large");
    if ((t.kind == TensorKind::kDerived || t.kind == TensorKind::kWitness) &&
        (t.producer < 0 || t.producer >= static_cast<int>(nodes.size())))
      bad("tensor '" + t.name + "' has no producer");
  }
  for (size_t t = 0; t < tensors.size(); ++t) {
    const auto& tt = tensors[t];
    if (tt.kind != TensorKind::kDerived && tt.kind != TensorKind::kWitness) continue;
    const auto& outs = nodes[tt.producer].out;
    if (std::find(outs.begin(), outs.end(), static_cast<int32_t>(t)) == outs.end())
      bad("tensor '" + tt.name + "' is not an output of its producer");
  }
  for (size_t i = 0; i < nodes.size(); ++i) {
    const auto& n = nodes[i];
    for (auto x : n.in)
      if (!tensor_ok(x)) bad("node input out of range");
    for (auto x : n.out)
      if (x != -1 && !tensor_ok(x)) bad("node output out of range");
    if (n.out.empty() || !tensor_ok(n.out[0])) bad("node without output");
    for (auto x : n.out)
      if (x != -1 && tensors[x].producer != static_cast<int>(i)) bad("producer mismatch");
    if (n.table < -1 || n.table >= static_cast<int>(tables.size())) bad("table out of range");
    if (n.shift < 0 || n.shift > 2 * static_cast<int>(table_bits)) bad("shift out of range");
    for (const auto& t : n.expr.terms)
      if (!tensor_ok(t.tensor)) bad("expression term out of range");
    for (auto m : n.map)
      if (m < -1 || m >= (int64_t{1} << 30)) bad("gather map out of range");
    if (n.mult == 0) bad("zero multiplier");
  }
  // Node-specific shapes: the executor and the verifier index by these, so a
  // key that passes here cannot make either read out of bounds.
  for (size_t i = 0; i < nodes.size(); ++i) {
    const auto& n = nodes[i];
    std::string where = "node " + std::to_string(i) + " (" + node_type_name(n.type) + "): ";
    for (auto x : n.in) {
      const auto& t = tensors[x];
      bool ready = t.kind == TensorKind::kInput || t.kind == TensorKind::kWeight ||
                   (t.producer >= 0 && t.producer < static_cast<int>(i));
      if (!ready) bad(where + "input is not computed before the node");
    }
    const Tensor& o = tensors[n.out[0]];
    auto T = [&](size_t k) -> const Tensor& {
      if (k >= n.in.size()) bad(where + "missing input");
      return tensors[n.in[k]];
    };
    auto is_weight = [&](const Tensor& t) { return t.kind == TensorKind::kWeight; };
    bool derived = n.type != NodeType::kRequant && n.type != NodeType::kMaxDiff &&
                   n.type != NodeType::kMaxStep && n.type != NodeType::kSplit;
    if (derived && (n.out.size() != 1 || o.kind != TensorKind::kDerived)) bad(where + "bad output");
    switch (n.type) {
      case NodeType::kGemm: {
        const Tensor &x = T(0), &w = T(1), &b = T(2);
        if (!is_weight(w) || !is_weight(b) || o.log_dims.size() != 1 ||
            w.log_dims != std::vector<uint32_t>{o.log_dims[0], x.num_vars()} ||
            b.log_dims != o.log_dims)
          bad(where + "shapes do not match");
        break;
      }
      case NodeType::kConv:
      case NodeType::kWindowSum: {
        const Tensor& x = T(0);
        if (x.dims.size() != 3 || o.dims.size() != 3) bad(where + "expects [C,H,W] tensors");
        if (n.stride_h < 1 || n.stride_w < 1 || n.stride_h > 64 || n.stride_w > 64 || n.pad_h < 0 ||
            n.pad_w < 0 || n.pad_h > 4096 || n.pad_w > 4096 || n.kernel_h < 1 || n.kernel_w < 1 ||
            n.kernel_h > 4096 || n.kernel_w > 4096)
          bad(where + "window parameters out of range");
        // The verifier's work for the window predicates: output rows times
        // kernel, and eq tables over each axis.
        if ((int64_t{1} << o.log_dims[1]) * n.kernel_h > (int64_t{1} << 24) ||
            (int64_t{1} << o.log_dims[2]) * n.kernel_w > (int64_t{1} << 24) || x.log_dims[1] > 24 ||
            x.log_dims[2] > 24)
          bad(where + "window too large to verify");
        if (n.type == NodeType::kConv) {
          const Tensor &w = T(1), &b = T(2);
          if (!is_weight(w) || !is_weight(b) || w.log_dims.size() != 4 ||
              w.log_dims[1] != x.log_dims[0] || w.log_dims[0] != o.log_dims[0] ||
              b.log_dims != std::vector<uint32_t>{o.log_dims[0]} ||
              n.kernel_h > (int64_t{1} << w.log_dims[2]) ||
              n.kernel_w > (int64_t{1} << w.log_dims[3]))
            bad(where + "shapes do not match");
        } else if (o.log_dims[0] != x.log_dims[0]) {
          bad(where + "shapes do not match");
        }
        break;
      }
      case NodeType::kChannelAffine: {
        const Tensor &x = T(0), &a = T(1), &b = T(2);
        // a and b cover a leading prefix of x's dimensions (per channel, or
        // per position for average pooling's border divisors).
        bool prefix = !a.log_dims.empty() && a.log_dims.size() <= x.log_dims.size() &&
                      std::equal(a.log_dims.begin(), a.log_dims.end(), x.log_dims.begin());
        if (!is_weight(a) || !is_weight(b) || !prefix || b.log_dims != a.log_dims ||
            o.log_dims != x.log_dims)
          bad(where + "shapes do not match");
        break;
      }
      case NodeType::kGather: {
        const Tensor& x = T(0);
        if (n.map.size() != o.padded_size()) bad(where + "map has the wrong size");
        if (x.num_vars() > 26 || o.num_vars() > 26) bad(where + "too large to verify");
        for (auto m : n.map)
          if (m >= static_cast<int64_t>(x.padded_size()))
            bad(where + "map points outside its input");
        break;
      }
      case NodeType::kLinComb:
        for (const auto& t : n.expr.terms) {
          unsigned extra = t.insert_var >= 0 ? 1 : 0;
          if (tensors[t.tensor].num_vars() != o.num_vars() + extra || t.insert_bit > 1 ||
              t.insert_var > static_cast<int>(o.num_vars()) || t.insert_var < -1)
            bad(where + "term shape does not match");
          bool ready =
              tensors[t.tensor].kind == TensorKind::kInput ||
              tensors[t.tensor].kind == TensorKind::kWeight ||
              (tensors[t.tensor].producer >= 0 && tensors[t.tensor].producer < static_cast<int>(i));
          if (!ready) bad(where + "term is not computed before the node");
        }
        break;
      case NodeType::kRequant: {
        if (n.out.size() != 4 || o.kind != TensorKind::kWitness || T(0).log_dims != o.log_dims)
          bad(where + "shapes do not match");
        for (int k = 1; k < 4; ++k)
          if (n.out[k] >= 0 && (tensors[n.out[k]].log_dims != o.log_dims ||
                                tensors[n.out[k]].kind != TensorKind::kWitness))
            bad(where + "shapes do not match");
        if ((n.table >= 0) != (n.out[1] >= 0) || (n.shift > 0) != (n.out[2] >= 0) ||
            (n.shift > static_cast<int>(table_bits)) != (n.out[3] >= 0))
          bad(where + "outputs do not match its parameters");
        if (n.mult < -(int64_t{1} << 32) || n.mult > (int64_t{1} << 32))
          bad(where + "multiplier out of range");
        break;
      }
      case NodeType::kMaxStep: {
        const Tensor &a = T(0), &b = T(1);
        if (n.out.size() != 1 || o.kind != TensorKind::kWitness || a.log_dims != o.log_dims ||
            b.log_dims != o.log_dims || n.table < 0 || tables[n.table].kind != TableKind::kRelu)
          bad(where + "shapes do not match");
        break;
      }
      case NodeType::kSplit: {
        const Tensor& x = T(0);
        if (n.out.size() != 2 || x.kind != TensorKind::kInput || o.kind != TensorKind::kWitness ||
            tensors[n.out[1]].kind != TensorKind::kWitness || o.log_dims != x.log_dims ||
            tensors[n.out[1]].log_dims != x.log_dims)
          bad(where + "shapes do not match");
        break;
      }
      case NodeType::kMaxDiff: {
        const Tensor& x = T(0);
        if (n.out.size() != 1 || o.kind != TensorKind::kWitness ||
            x.num_vars() != o.num_vars() + 1 || n.var < 0 ||
            n.var > static_cast<int>(o.num_vars()) || n.table < 0 ||
            tables[n.table].kind != TableKind::kRelu)
          bad(where + "shapes do not match");
        break;
      }
    }
  }
  for (auto x : inputs)
    if (!tensor_ok(x) || tensors[x].kind != TensorKind::kInput) bad("bad input id");
  for (size_t t = 0; t < tensors.size(); ++t)
    if (tensors[t].kind == TensorKind::kInput &&
        std::count(inputs.begin(), inputs.end(), static_cast<int32_t>(t)) != 1)
      bad("input tensor '" + tensors[t].name + "' must be listed exactly once");
  for (auto x : outputs)
    if (!tensor_ok(x)) bad("bad output id");
  // Claims on derived tensors are reduced recursively: bound the chain depth.
  std::vector<int> depth(tensors.size(), 0);
  for (const auto& n : nodes) {
    int d = 0;
    for (auto x : n.in) d = std::max(d, depth[x]);
    for (const auto& t : n.expr.terms) d = std::max(d, depth[t.tensor]);
    for (auto x : n.out)
      if (x >= 0 && tensors[x].kind == TensorKind::kDerived) depth[x] = d + 1;
    if (d + 1 > 512) bad("chain of derived tensors too deep");
  }
}

std::vector<LookupSpec> lookups_of(const Circuit& c) {
  std::vector<LookupSpec> out;
  int64_t half = int64_t{1} << (c.table_bits - 1);
  // A hidden input's limbs (kSplit): the verifier cannot check its range
  // itself, and the accumulator bounds assume it (quant/bounds.cc).
  for (const auto& n : c.nodes)
    if (n.type == NodeType::kSplit) {
      const std::string what = "range of the hidden input '" + c.tensors[n.in[0]].name + "'";
      out.push_back({0, n.out[0], {{{n.out[0], 1}}, 0}, {}, what});
      out.push_back({0, n.out[0], {{{n.out[1], 1}}, half}, {}, what + " (high limb)"});
    }
  for (const auto& n : c.nodes) {
    if (n.type == NodeType::kRequant) {
      int y = n.out[0], q = n.out[1], rem = n.out[2], rem_hi = n.out[3];
      int T = static_cast<int>(c.table_bits);
      if (n.table >= 0) {
        out.push_back({n.table, y, {{{q, 1}}, 0}, {{{y, 1}}, 0}, n.layer + " activation"});
      } else {
        out.push_back({0, y, {{{y, 1}}, half}, {}, n.layer + " output range"});
      }
      // The remainder R must lie in [0, 2^shift), as an integer. Each limb is
      // range-checked unscaled (an integer in [0, 2^T)); a limb narrower than
      // T bits is also checked scaled up to the table's top (so it is below
      // 2^width). With integer limbs and |x*mult + h| far below p (checked
      // at compile time), the field identity is an integer identity and q
      // is exactly the rounded quotient.
      auto limb = [&](int tensor, int width, const std::string& what) {
        out.push_back({0, y, {{{tensor, 1}}, 0}, {}, what});
        if (width < T)
          out.push_back({0, y, {{{tensor, int64_t{1} << (T - width)}}, 0}, {}, what + " (width)"});
      };
      if (n.shift > 0 && rem_hi < 0) limb(rem, n.shift, n.layer + " rounding remainder");
      if (rem_hi >= 0) {
        limb(rem, n.shift - T, n.layer + " rounding remainder");
        limb(rem_hi, T, n.layer + " rounding remainder (high)");
      }
    } else if (n.type == NodeType::kMaxStep) {
      // m - prev = relu(cand - prev), i.e. m = max(prev, cand).
      int prev = n.in[0], cand = n.in[1], m = n.out[0];
      out.push_back({n.table,
                     m,
                     {{{cand, 1}, {prev, -1}}, 0},
                     {{{m, 1}, {prev, -1}}, 0},
                     n.layer + " max-pool comparison"});
    } else if (n.type == NodeType::kMaxDiff) {
      int x = n.in[0], d = n.out[0];
      LinExpr in{{{x, 1, n.var, 0}, {x, -1, n.var, 1}}, 0};
      out.push_back({n.table, d, in, {{{d, 1}}, 0}, n.layer + " max-pool comparison"});
    }
  }
  return out;
}

}  // namespace zk::circuit
