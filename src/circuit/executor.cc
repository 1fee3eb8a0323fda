#include "circuit/executor.h"

#include "circuit/ops/op.h"

namespace zk::circuit {

void execute(const Circuit& c, Values& v) {
  v.resize(c.tensors.size());
  for (const auto& n : c.nodes) op_def(n.type).execute(c, n, v);
}

}  // namespace zk::circuit
