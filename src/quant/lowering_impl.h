// The lowering of a float graph to a circuit, shared by its files:
// lowering.cc (tensors, requantization, activations, layout ops),
// lower_linear.cc (Gemm, Conv, per-channel affine maps, adds) and
// lower_pool.cc (average and max pooling). Internal to src/quant.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "quant/lowering.h"

namespace zk::quant {

using circuit::Circuit;
using circuit::LinExpr;
using circuit::Node;
using circuit::NodeType;
using circuit::Table;
using circuit::TableKind;
using circuit::Tensor;
using circuit::TensorKind;
using circuit::Term;

// A float-graph value as the circuit holds it: a circuit tensor, and how the
// value's logical row-major elements map onto that tensor's padded layout
// (empty map: the value has exactly the tensor's shape).
struct Handle {
  int tensor = -1;
  std::vector<int64_t> shape;
  std::vector<int64_t> map;  // logical flat index -> padded index in tensor
};

class Lowering {
 public:
  Lowering(const FloatGraph& g, const std::vector<double>& amax, const QuantOptions& opt,
           std::vector<std::vector<float>> input_samples);
  CompiledModel run();

 private:
  int add_tensor(const std::string& name, const std::vector<int64_t>& dims, int scale,
                 TensorKind kind, std::vector<uint32_t> log_dims = {});
  int add_node(Node n);
  int add_weight(const std::string& name, const std::vector<int64_t>& dims,
                 std::vector<int64_t> padded);
  [[noreturn]] void unsupported(const FNode& n, const std::string& why);
  int table_for(OpKind k, const FNode& n, int scale);
  // The function table of activation node `an`: row j holds the input
  // v = j - 2^(T-1) at scale s_in and round(f(v / 2^s_in) * 2^s_out),
  // saturated to the activation range.
  int function_table(const FNode& an, int s_in, int s_out);
  int relu_table();
  // If value v's only consumer is an activation (Relu, Clip, a table
  // activation), returns that node's index.
  int fusable_activation(int v);
  // The scale of the requantized (pre-activation) value q: the output's,
  // except before a function table, whose input has its own range.
  int pre_scale(int pre_value, int value, int act_node);
  // Requantizes derived tensor `acc` (at scale s_acc), which holds float value
  // `pre_value`, into a committed tensor holding float value `value`
  // (calibrated), applying an optional activation.
  // The requantization node itself, shared by every caller: y (and q when a
  // table is given, and the one or two remainder limbs the shift needs) as
  // committed tensors; a negative shift becomes a multiplier.
  int add_requant(const std::string& layer, int acc, const std::string& name, int s_q, int s_y,
                  int64_t mult, int shift, int table);
  int requant(const std::string& layer, int acc, int s_acc, int pre_value, int value, int act_node,
              double extra_mult = 1.0);
  // A new derived tensor `name` of `dims` (at `from`'s scale) whose logical
  // element i is element src[i] of tensor `from` (a padded index; -1: 0):
  // one Gather node. Every lowering that moves data builds its gathers here.
  int add_gather(const std::string& layer, const std::string& name, int from,
                 const std::vector<int64_t>& dims, const std::vector<int64_t>& src,
                 std::vector<uint32_t> log_dims = {});
  // Gives value v a tensor of exactly its logical shape (a Gather when it is a view).
  int materialize(int v, const std::string& why);
  // Logical flat index -> padded index, for any handle.
  std::vector<int64_t> flat_map(const Handle& h);
  void lower(int idx);
  int finish_linear(int idx, int acc, int s_acc, double extra = 1.0);
  int weight_scale(double wmax);
  double max_abs(const std::vector<float>& v);
  // The scale the requantization of value v will round to (after fusion).
  int planned_out_scale(int v);
  // Weights get 12 signed bits and a shift that fits one table limb when that
  // loses little; when 1% of the nonzero weights would keep fewer than 2
  // significant bits, the scale grows (up to 24 bits, two remainder limbs).
  int fit_weight_scale(const std::vector<float>& w, int s_x, int out_value,
                       bool elementwise = false);
  void lower_gemm(int idx);
  void lower_conv(int idx);
  void lower_affine(int idx);
  void lower_add(int idx);
  void lower_avgpool(int idx);
  // Any window, stride and padding: one gathered view of the input per
  // window offset (positions in the padding are clamped to the nearest row
  // or column of the same window, so padding never wins, as with ONNX's
  // -inf), folded with committed running maxima m = max(prev, view).
  void lower_general_maxpool(const FNode& n, int x);
  void lower_maxpool(int idx);
  // One halving of dimension d of x: the committed d = relu(a - b) of the
  // neighbouring pairs (its lowest variable 0 and 1), tied by the ReLU table, and
  // max = b + d (min = a - d) as a derived LinComb. Returns that tensor.
  int halve_max(const std::string& layer, int x, int d, const std::string& base, int relu,
                bool is_min);
  // Elementwise ops between two activations (lower_eltwise.cc).
  // Value v as a tensor of logical shape `shape` (NumPy broadcasting: a
  // Gather repeats its elements when the shapes differ).
  int broadcast_to(int v, const std::vector<int64_t>& shape, const std::string& why);
  // The Hadamard product a * b of two tensors of the same shape: a derived
  // tensor (circuit op Mul) at scale s_a + s_b, to be requantized.
  int hadamard(const std::string& layer, int a, int b, const std::string& name);
  // Requantizes derived tensor acc (scale s_acc) to a committed tensor at
  // scale s_y through `table` (-1: range check only), its input q at s_q.
  int requant_to(const std::string& layer, int acc, int s_acc, int s_q, int s_y, int table,
                 const std::string& name);
  // x + sign * y at the finer of their scales (*s): a derived LinComb.
  int lin_pair(const std::string& layer, int x, int y, int64_t sign, const std::string& name,
               int* s);
  // Add, Sub, Mul, Max, Min and the comparisons of two values, broadcast.
  void lower_binary(int idx);
  // Data movement (lower_move.cc): a view of one input, or one Gather per
  // input into disjoint positions, summed by a LinComb with the constants.
  void lower_move(int idx);
  // A Move whose constants are all -inf feeding a Softmax (an attention
  // mask): a view whose masked positions read an element of their softmax
  // row, the positions recorded in masks_ (lower_mask.cc). False otherwise.
  bool lower_masked_move(int idx);
  // Tensor t with the positions where mask (logical flat) is 1 set to 0 (a Gather).
  int zero_masked(const std::string& layer, int t, const std::vector<char>& mask);
  int gather_into(const std::string& name, int v, const std::vector<int64_t>& src, int64_t offset,
                  const std::vector<int64_t>& dims);
  // Gives value v a tensor of exactly `shape` (a gather when the layout differs).
  int shaped(int v, const std::vector<int64_t>& shape, const std::string& why);
  void lower_matmul(int idx);  // lower_matmul.cc
  // a < b, a <= b, a == b: a step table on the difference, 2^s_y where true.
  void lower_compare(int idx, int a, int b);
  int step_table(OpKind k, int s_y);
  // A Conv whose weight is zero off the channel diagonal (depthwise), as a
  // DepthwiseConv; false when it is not one (lower_depthwise.cc).
  bool lower_depthwise(int idx);
  // Reductions over any axes (lower_reduce.cc).
  void lower_reduce(int idx);
  void lower_reduce_max(int idx, int x);
  // x summed over n.axes (an AxisSum), and its maximum or minimum over them.
  int axis_sum(const FNode& n, int x);
  int reduce_max_tensor(const FNode& n, int x, bool is_min);
  // Softmax, LogSoftmax and the reductions built on tables (lower_softmax.cc).
  void lower_softmax(int idx);
  // x (holding float value `value`) requantized to the activation scale when
  // its own scale is finer (a public input's), so that differences fit the tables.
  int at_activation_scale(const FNode& n, int x, int value);
  // A function table of f (input at scale s_in, output at s_out), named `fname`.
  int internal_table(const std::string& fname, double (*f)(double), int s_in, int s_out);
  // Requantizes acc (scale s_acc) to q at scale s_q and, with f, y = f(q) at
  // s_y by a table (without f, y = q). Returns y.
  int table_requant(const std::string& layer, const std::string& name, int acc, int s_acc, int s_q,
                    int s_y, const char* fname, double (*f)(double));
  // Tensor s (x's dims with the reduced ones 1) repeated over the reduced dims of x.
  int broadcast(const FNode& n, int s, int x);
  // a * 2^(S - scale a) + sign * b * 2^(S - scale b) at the larger scale S.
  int combine(const FNode& n, const std::string& name, int a, int b, int sign);
  // Softmax's exp(z) (z at scale s_z) as two tables read at the same input:
  // outputs below 2^-5 at a fine scale, the rest at a coarse one, summed.
  int split_softmax_output(const FNode& n, int z, int s_z, int s_q);
  int fill_reduced_axes(const FNode& n, int x);
  void view_as_value(int v);

  const FloatGraph& g_;
  const std::vector<double>& amax_;
  QuantOptions opt_;
  std::vector<std::vector<float>> input_samples_;
  Circuit c_;
  circuit::Values weights_;
  std::vector<Handle> handles_;
  std::vector<int> consumers_;
  std::set<int> fused_;
  std::map<int, std::vector<char>> masks_;  // value -> its -inf positions (lower_mask.cc)
  double act_bound_ = 0;
};

}  // namespace zk::quant
