// Padded layouts and the value table shared by the executor, the ops and the
// protocol: every tensor is stored with each dimension rounded up to a power
// of two (last dimension in the lowest index bits).
#pragma once

#include <optional>
#include <stdexcept>
#include <vector>

#include "circuit/circuit.h"
#include "field/error.h"

namespace zk::circuit {

using Values = std::vector<std::vector<int64_t>>;  // per tensor id, padded

// A value left the range the circuit can prove (e.g. an activation larger than
// the calibration allowed for). Names the layer, tensor and range, and the
// value unless it depends on hidden data.
class RangeError : public Error {
 public:
  using Error::Error;
  // The value the message leaves out because it depends on hidden data; shown
  // only on an explicit request (zkinfer prove --debug), which reveals it.
  std::optional<int64_t> hidden_value;
};

// Whether padded index i of t lies inside the logical shape.
bool is_valid_index(const Tensor& t, size_t i);
// Padded index of logical multi-index idx.
size_t padded_index(const Tensor& t, const std::vector<int64_t>& idx);
// Logical row-major data -> padded layout (zeros elsewhere), and back.
std::vector<int64_t> to_padded(const Tensor& t, const std::vector<int64_t>& logical);
std::vector<int64_t> from_padded(const Tensor& t, const std::vector<int64_t>& padded);
// Index into a term's tensor for output index i (inserting the view's bit).
inline size_t view_index(const Term& term, size_t i) {
  if (term.insert_var < 0) return i;
  size_t low = i & ((size_t{1} << term.insert_var) - 1);
  size_t high = i >> term.insert_var;
  return low | (size_t{term.insert_bit} << term.insert_var) | (high << (term.insert_var + 1));
}
int64_t floor_div_pow2(int64_t x, int k);

}  // namespace zk::circuit
