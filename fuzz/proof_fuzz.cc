// libFuzzer target: arbitrary bytes as a proof for the demo model. The parser
// and verifier must return (accept or reject), never crash, hang or abort.
// Build and run with scripts/fuzz.sh.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "proof/api.h"

namespace {
const zk::proof::VerifyingKey* g_vk = nullptr;
}

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  const char* path = std::getenv("ZK_FUZZ_VK");
  std::string vk_path = path ? path : "build/demo/lenet.vk";
  static zk::proof::VerifyingKey vk = zk::proof::load_vk(zk::proof::read_file(vk_path), vk_path);
  g_vk = &vk;
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<uint8_t> bytes(data, data + size);
  try {
    auto p = zk::proof::load_proof(bytes, g_vk->circuit, "fuzz");
    auto r = zk::proof::verify(*g_vk, p);
    (void)r;
  } catch (const zk::FormatError&) {
  }
  return 0;
}
