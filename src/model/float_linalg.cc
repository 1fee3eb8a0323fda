// Float semantics of MatMul (a constant right operand with any leading
// dimensions on the left, or two activations with shared or broadcast batch
// dimensions).
#include "model/float_linalg.h"

#include <string>

namespace zk::model {

void run_matmul(const FNode& n, const std::vector<int64_t>& is, const std::vector<int64_t>& os,
                const std::vector<std::vector<float>>& vals, std::vector<float>& y) {
  auto fail = [&](const std::string& msg) {
    throw ModelError("float executor: node '" + n.name + "' (MatMul): " + msg);
  };
  if (is.empty()) fail("scalar operand");
  const int64_t K = is.back();
  const int64_t J = os.empty() ? 1 : os.back();
  int64_t a_size = 1;
  for (auto d : is) a_size *= d;
  const int64_t I = is.size() >= 2 ? is[is.size() - 2] : 1;
  const int64_t rows = static_cast<int64_t>(y.size()) / J;  // batch * I
  if (J <= 0 || K <= 0 || rows * J != static_cast<int64_t>(y.size()) || rows % I != 0)
    fail("output shape does not fit the operands");
  const int64_t batch = rows / I;
  const bool const_b = n.inputs.size() == 1;
  const std::vector<float>& B = const_b ? n.weight.data : vals[n.inputs[1]];
  const std::vector<float>& A = vals[n.inputs[0]];
  const bool a_batched = a_size == batch * I * K && batch > 1;
  const bool b_batched = static_cast<int64_t>(B.size()) == batch * K * J && batch > 1;
  if ((!a_batched && a_size != I * K) || (!b_batched && static_cast<int64_t>(B.size()) != K * J))
    fail("operand sizes do not match the output");
  if (!n.bias.data.empty() && static_cast<int64_t>(n.bias.data.size()) != J)
    fail("bias length must equal the number of columns");
  const double alpha = n.attrs.empty() ? 1.0 : n.attrs[0];
  for (int64_t b = 0; b < batch; ++b) {
    const float* a = A.data() + (a_batched ? b * I * K : 0);
    const float* w = B.data() + (b_batched ? b * K * J : 0);
    for (int64_t i = 0; i < I; ++i) {
      for (int64_t j = 0; j < J; ++j) {
        double acc = 0;
        for (int64_t k = 0; k < K; ++k) acc += static_cast<double>(a[i * K + k]) * w[k * J + j];
        acc = alpha * acc + (n.bias.data.empty() ? 0.0 : n.bias.data[j]);
        y[(b * I + i) * J + j] = static_cast<float>(acc);
      }
    }
  }
}

}  // namespace zk::model
