#include "field/goldilocks.h"

#include <cstdio>

namespace zk {

std::string to_hex(const Fp2& x) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%016llx%016llx", static_cast<unsigned long long>(x.b.v),
                static_cast<unsigned long long>(x.a.v));
  return buf;
}

}  // namespace zk
