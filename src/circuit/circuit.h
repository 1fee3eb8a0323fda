// The compiled circuit: plain data describing the exact integer computation
// that is proven. Every tensor lives in a padded layout where each dimension
// is rounded up to a power of two, so its multilinear extension splits into
// per-dimension variable groups (last dimension in the lowest variables).
//
// Tensors are of four kinds:
//   input    — the model input (public: the verifier evaluates it itself),
//   weight   — committed once at setup,
//   witness  — committed by the prover (outputs of requantization, activations,
//              max-pooling differences); tied to their inputs by lookups,
//   derived  — linear functions of other tensors, never committed: a claim on
//              one is reduced by a sumcheck (or directly) to claims on its inputs.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "hash/bytes.h"
#include "hash/sha256.h"

namespace zk::circuit {

// Quantized public inputs are clamped to (and checked against) this
// magnitude: it bounds every accumulator, which the soundness of
// requantization needs (docs/SECURITY.md).
inline constexpr int64_t kMaxInputMagnitude = int64_t{1} << 30;
inline constexpr uint32_t kMaxWeightProofs = 4096;

enum class TensorKind : uint8_t { kInput = 0, kWeight = 1, kWitness = 2, kDerived = 3 };
enum class Visibility : uint8_t { kPublic = 0, kPrivate = 1, kCommitted = 2 };
// A hidden input is range-checked by lookups on its two limbs (kSplit) instead:
// |x| < 2^(2 table_bits - 1).
inline int64_t max_input_magnitude(Visibility input_vis, uint32_t table_bits) {
  return input_vis == Visibility::kPublic ? kMaxInputMagnitude : int64_t{1} << (2 * table_bits - 1);
}

struct Tensor {
  std::string name;
  std::vector<int64_t> dims;       // logical shape
  std::vector<uint32_t> log_dims;  // padded shape: 2^log_dims[i] >= dims[i]
  int32_t scale = 0;               // real value = int / 2^scale
  TensorKind kind = TensorKind::kDerived;
  int32_t producer = -1;  // node that computes it (derived and witness)

  unsigned num_vars() const {
    unsigned n = 0;
    for (auto l : log_dims) n += l;
    return n;
  }
  size_t padded_size() const { return size_t{1} << num_vars(); }
  int64_t numel() const {
    int64_t n = 1;
    for (auto d : dims) n *= d;
    return n;
  }
  // First MLE variable of dimension d (the lowest bit of that index).
  unsigned var_offset(size_t d) const {
    unsigned off = 0;
    for (size_t i = d + 1; i < log_dims.size(); ++i) off += log_dims[i];
    return off;
  }
};

// A term of a linear combination: coeff * tensor[view(i)], where the view
// optionally inserts a fixed bit at MLE variable `insert_var` (a strided
// selection such as the even rows of an image).
struct Term {
  int32_t tensor = -1;
  int64_t coeff = 1;
  int32_t insert_var = -1;  // -1: no insertion
  uint8_t insert_bit = 0;
};

struct LinExpr {
  std::vector<Term> terms;
  int64_t constant = 0;
};

enum class NodeType : uint8_t {
  // derived outputs
  kGemm = 0,           // out[n] = sum_k W[n,k] x[k] + b[n]; x read flat in its padded layout
  kConv = 1,           // out[o,y,x] = sum W[o,c,ky,kx] x[c, y*s+ky-p, x*s+kx-p] + b[o]
  kWindowSum = 2,      // out[c,y,x] = sum_{ky<KH,kx<KW} x[c, y*s+ky-p, x*s+kx-p]
  kChannelAffine = 3,  // out[c,...] = a[c] x[c,...] + b[c]
  kGather = 4,         // out[i] = x[map[i]] (map -1: 0)
  kLinComb = 5,        // out = expr
  // witness outputs
  kRequant = 6,  // q = floor((x*mult + 2^(k-1)) / 2^k), rem, y = act(q)
  kMaxDiff = 7,  // d = relu(x[bit=0] - x[bit=1]) at variable `var`
  kMaxStep = 8,  // m = max(prev, cand): one step of a general max pooling
  kSplit = 9,  // x = lo + 2^T hi, lo in [0, 2^T), hi in [-2^(T-1), 2^(T-1)): a hidden input's range
  // derived outputs
  kMul = 10,     // out[i] = a[i] * b[i] (two tensors of the same shape)
  kMatMul = 11,  // out[b,i,j] = sum_k A[b,i,k] B[b,k,j] (+ bias[j]); batch dims shared or broadcast
  kDepthwiseConv = 12,  // out[c,y,x] = sum W[c,ky,kx] x[c, y*s+ky-p, x*s+kx-p] + b[c]
  kAxisSum = 13,        // out = sum of x over the dims where out has size 1 (valid positions only)
  kNumNodeTypes
};

// Each op's parameters (src/circuit/ops/<op>.cc says which it takes). Each
// struct serializes itself; a node's alternative must be its op's.
struct NoParams {
  void write(ByteWriter&) const {}
  void read(ByteReader&) {}
};
struct WindowParams {  // kConv, kWindowSum, kDepthwiseConv
  int64_t stride_h = 1, stride_w = 1, pad_h = 0, pad_w = 0, kernel_h = 1, kernel_w = 1;
  void write(ByteWriter& w) const;
  void read(ByteReader& r);
};
struct RequantParams {  // kRequant
  int64_t mult = 1;
  int32_t shift = 0;
  int32_t table = -1;  // activation table; -1: identity (range check)
  void write(ByteWriter& w) const;
  void read(ByteReader& r);
};
struct MaxParams {  // kMaxDiff (var: the pooled variable), kMaxStep (var unused)
  int32_t var = 0;
  int32_t table = -1;  // the ReLU table
  void write(ByteWriter& w) const;
  void read(ByteReader& r);
};
struct GatherParams {  // kGather: padded out index -> padded in index (or -1)
  std::vector<int64_t> map;
  void write(ByteWriter& w) const;
  void read(ByteReader& r);
};
struct LinCombParams {  // kLinComb
  LinExpr expr;
  void write(ByteWriter& w) const;
  void read(ByteReader& r);
};
using NodeParams =
    std::variant<NoParams, WindowParams, RequantParams, MaxParams, GatherParams, LinCombParams>;

struct Node {
  NodeType type = NodeType::kLinComb;
  std::string layer;         // the model layer (ONNX node) it implements, for messages
  std::vector<int32_t> in;   // tensor ids: data input first, then weight, bias
  std::vector<int32_t> out;  // tensor ids; kRequant: {y, q or -1, rem or -1, rem_hi or -1}
  NodeParams params;

  // The op's parameters; FormatError if the node holds another kind.
  template <typename P>
  const P& p() const {
    if (const P* x = std::get_if<P>(&params)) return *x;
    throw FormatError("node of layer '" + layer + "' has parameters of the wrong kind");
  }
  template <typename P>
  P& p() {
    if (!std::holds_alternative<P>(params)) params = P{};
    return std::get<P>(params);
  }
};

const char* node_type_name(NodeType t);

// Lookup tables have 2^table_bits rows. kRange holds j; the others hold the
// pairs (v, f(v)) for v = j - 2^(table_bits-1): ReLU, a clamp to [lo, hi],
// or any function given by its output column (an activation such as a
// sigmoid, tabulated at compile time: the verifier reads the column from
// the key and never evaluates floating point itself).
enum class TableKind : uint8_t { kRange = 0, kRelu = 1, kClip = 2, kFunction = 3 };

struct Table {
  TableKind kind = TableKind::kRange;
  int64_t lo = 0, hi = 0;       // kClip bounds (integers at the output scale)
  std::string name;             // kFunction: what it computes, for messages
  std::vector<int64_t> values;  // kFunction: f at each row
  int64_t in_value(int64_t j, unsigned bits) const;
  int64_t out_value(int64_t j, unsigned bits) const;
  bool operator==(const Table&) const = default;
};

struct Circuit {
  std::string model_name;  // opt-in (compile --name): empty unless the owner names it
  uint32_t table_bits = 14;
  std::vector<Tensor> tensors;
  std::vector<Node> nodes;    // topological order
  std::vector<Table> tables;  // tables[0] is the range table
  std::vector<int32_t> inputs, outputs;
  Visibility input_vis = Visibility::kPublic;
  Visibility weight_vis = Visibility::kCommitted;
  Visibility output_vis = Visibility::kPublic;
  // weights=committed: proofs the weight commitment keeps the weights hidden
  // for (docs/SECURITY.md, "Committed weights").
  uint32_t weight_proofs = 16;

  void serialize(ByteWriter& w) const;
  static Circuit deserialize(ByteReader& r);
  Digest digest() const;
  // Checks internal consistency (ids in range, shapes agree); throws FormatError.
  void validate() const;
};

// One lookup: for every valid position i of `domain` (a tensor whose logical
// dims select the rows), (in(i), out(i)) must be a row of `table`.
struct LookupSpec {
  int32_t table = 0;
  int32_t domain = -1;
  LinExpr in, out;   // out is empty for the range table
  std::string what;  // for messages
};
std::vector<LookupSpec> lookups_of(const Circuit& c);

// Per tensor: whether its value depends on hidden data (a private or
// committed input, private or committed weights). Such values must not
// appear in messages.
std::vector<bool> hidden_dependent(const Circuit& c);

}  // namespace zk::circuit
