#include "circuit/circuit.h"

#include <algorithm>

#include "circuit/ops/op.h"

namespace zk::circuit {

const char* node_type_name(NodeType t) {
  return static_cast<uint8_t>(t) < static_cast<uint8_t>(NodeType::kNumNodeTypes) ? op_def(t).name()
                                                                                 : "?";
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
    case TableKind::kFunction:
      return values[static_cast<size_t>(j)];
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

void WindowParams::write(ByteWriter& w) const {
  for (int64_t v : {stride_h, stride_w, pad_h, pad_w, kernel_h, kernel_w}) w.i64(v);
}
void WindowParams::read(ByteReader& r) {
  for (int64_t* p : {&stride_h, &stride_w, &pad_h, &pad_w, &kernel_h, &kernel_w}) *p = r.i64();
}
void RequantParams::write(ByteWriter& w) const {
  w.i64(mult);
  w.u32(static_cast<uint32_t>(shift));
  w.u32(static_cast<uint32_t>(table));
}
void RequantParams::read(ByteReader& r) {
  mult = r.i64();
  shift = static_cast<int32_t>(r.u32());
  table = static_cast<int32_t>(r.u32());
}
void MaxParams::write(ByteWriter& w) const {
  w.u32(static_cast<uint32_t>(var));
  w.u32(static_cast<uint32_t>(table));
}
void MaxParams::read(ByteReader& r) {
  var = static_cast<int32_t>(r.u32());
  table = static_cast<int32_t>(r.u32());
}
void GatherParams::write(ByteWriter& w) const { w.i64s(map); }
void GatherParams::read(ByteReader& r) { map = r.i64s(kMaxMap, "gather map"); }
void LinCombParams::write(ByteWriter& w) const { write_expr(w, expr); }
void LinCombParams::read(ByteReader& r) { expr = read_expr(r); }

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
    std::visit([&](const auto& p) { p.write(w); }, n.params);
  }
  w.u64(tables.size());
  for (const auto& t : tables) {
    w.u8(static_cast<uint8_t>(t.kind));
    w.i64(t.lo);
    w.i64(t.hi);
    if (t.kind == TableKind::kFunction) {
      w.str(t.name);
      w.i64s(t.values);
    }
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
    if (ty >= static_cast<uint8_t>(NodeType::kNumNodeTypes)) r.fail("invalid node type");
    n.type = static_cast<NodeType>(ty);
    n.params = op_def(n.type).default_params();
    n.layer = r.str();
    n.in.resize(r.count(16, 4, "node input"));
    for (auto& x : n.in) x = static_cast<int32_t>(r.u32());
    n.out.resize(r.count(16, 4, "node output"));
    for (auto& x : n.out) x = static_cast<int32_t>(r.u32());
    std::visit([&](auto& p) { p.read(r); }, n.params);
  }
  uint64_t ntab = r.count(64, 17, "table");
  c.tables.resize(ntab);
  for (auto& t : c.tables) {
    uint8_t k = r.u8();
    if (k > 3) r.fail("invalid table kind");
    t.kind = static_cast<TableKind>(k);
    t.lo = r.i64();
    t.hi = r.i64();
    if (t.kind == TableKind::kFunction) {
      t.name = r.str();
      t.values = r.i64s(uint64_t{1} << 20, "table row");
    }
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
  const char kTag[] = "zkinfer-circuit-v2";
  w.bytes(reinterpret_cast<const uint8_t*>(kTag), sizeof kTag - 1);
  serialize(w);
  return sha256(w.buf());
}

namespace {

[[noreturn]] void bad(const std::string& m) { throw FormatError(m); }

void validate_tables(const Circuit& c) {
  if (c.table_bits < 4 || c.table_bits > 20) bad("table size out of range");
  if (c.tables.empty() || c.tables[0].kind != TableKind::kRange)
    bad("first table must be the range table");
  const int64_t half = int64_t{1} << (c.table_bits - 1);
  for (const Table& t : c.tables) {
    if (t.kind != TableKind::kFunction) continue;
    // Function outputs stay inside the activation range the bounds assume.
    if (t.values.size() != (size_t{1} << c.table_bits)) bad("table '" + t.name + "' has bad size");
    for (int64_t v : t.values)
      if (v < -half || v >= half) bad("table '" + t.name + "' has an output out of range");
  }
}

void validate_tensors(const Circuit& c) {
  for (const auto& t : c.tensors) {
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
        (t.producer < 0 || t.producer >= static_cast<int>(c.nodes.size())))
      bad("tensor '" + t.name + "' has no producer");
  }
  for (size_t t = 0; t < c.tensors.size(); ++t) {
    const auto& tt = c.tensors[t];
    if (tt.kind != TensorKind::kDerived && tt.kind != TensorKind::kWitness) continue;
    const auto& outs = c.nodes[tt.producer].out;
    if (std::find(outs.begin(), outs.end(), static_cast<int32_t>(t)) == outs.end())
      bad("tensor '" + tt.name + "' is not an output of its producer");
  }
}

// What holds for every node; then the op checks its own shapes and parameters.
void validate_node(const Circuit& c, size_t i) {
  const auto& n = c.nodes[i];
  if (static_cast<uint8_t>(n.type) >= static_cast<uint8_t>(NodeType::kNumNodeTypes))
    bad("invalid node type");
  const OpDef& op = op_def(n.type);
  const std::string where = "node " + std::to_string(i) + " (" + op.name() + "): ";
  if (n.params.index() != op.default_params().index()) bad(where + "parameters of another op");
  auto tensor_ok = [&](int t) { return t >= 0 && t < static_cast<int>(c.tensors.size()); };
  for (auto x : n.in)
    if (!tensor_ok(x)) bad("node input out of range");
  for (auto x : n.out)
    if (x != -1 && !tensor_ok(x)) bad("node output out of range");
  if (n.out.empty() || !tensor_ok(n.out[0])) bad("node without output");
  for (auto x : n.out)
    if (x != -1 && c.tensors[x].producer != static_cast<int>(i)) bad("producer mismatch");
  for (auto x : n.in) {
    const auto& t = c.tensors[x];
    bool ready = t.kind == TensorKind::kInput || t.kind == TensorKind::kWeight ||
                 (t.producer >= 0 && t.producer < static_cast<int>(i));
    if (!ready) bad(where + "input is not computed before the node");
  }
  const Tensor& o = c.tensors[n.out[0]];
  if (op.derived() && (n.out.size() != 1 || o.kind != TensorKind::kDerived))
    bad(where + "bad output");
  if (!op.derived())
    for (auto x : n.out)
      if (x != -1 && c.tensors[x].kind != TensorKind::kWitness) bad(where + "bad output");
  op.validate(c, n, where);
}

// Claims on derived tensors are reduced recursively: bound the chain depth.
void validate_depth(const Circuit& c) {
  std::vector<int> depth(c.tensors.size(), 0);
  for (const auto& n : c.nodes) {
    int d = 0;
    for (auto x : n.in) d = std::max(d, depth[x]);
    if (const auto* lc = std::get_if<LinCombParams>(&n.params))
      for (const auto& t : lc->expr.terms) d = std::max(d, depth[t.tensor]);
    for (auto x : n.out)
      if (x >= 0 && c.tensors[x].kind == TensorKind::kDerived) depth[x] = d + 1;
    if (d + 1 > 512) bad("chain of derived tensors too deep");
  }
}

}  // namespace

void Circuit::validate() const {
  validate_tables(*this);
  validate_tensors(*this);
  for (size_t i = 0; i < nodes.size(); ++i) validate_node(*this, i);
  auto tensor_ok = [&](int t) { return t >= 0 && t < static_cast<int>(tensors.size()); };
  for (auto x : inputs)
    if (!tensor_ok(x) || tensors[x].kind != TensorKind::kInput) bad("bad input id");
  for (size_t t = 0; t < tensors.size(); ++t)
    if (tensors[t].kind == TensorKind::kInput &&
        std::count(inputs.begin(), inputs.end(), static_cast<int32_t>(t)) != 1)
      bad("input tensor '" + tensors[t].name + "' must be listed exactly once");
  for (auto x : outputs)
    if (!tensor_ok(x)) bad("bad output id");
  validate_depth(*this);
}

std::vector<LookupSpec> lookups_of(const Circuit& c) {
  std::vector<LookupSpec> out;
  for (const auto& n : c.nodes) op_def(n.type).lookups(c, n, out);
  return out;
}

std::vector<bool> hidden_dependent(const Circuit& c) {
  std::vector<bool> h(c.tensors.size(), false);
  for (size_t t = 0; t < c.tensors.size(); ++t) {
    if (c.tensors[t].kind == TensorKind::kInput) h[t] = c.input_vis != Visibility::kPublic;
    if (c.tensors[t].kind == TensorKind::kWeight) h[t] = c.weight_vis != Visibility::kPublic;
  }
  for (const auto& n : c.nodes) {
    bool any = false;
    for (int x : n.in) any = any || h[x];
    if (const auto* lc = std::get_if<LinCombParams>(&n.params))
      for (const auto& t : lc->expr.terms) any = any || h[t.tensor];
    for (int x : n.out)
      if (x >= 0) h[x] = any;
  }
  return h;
}

}  // namespace zk::circuit
