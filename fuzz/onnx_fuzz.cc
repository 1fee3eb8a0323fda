// libFuzzer target: arbitrary bytes as an ONNX model, imported and quantized
// (calibrated on the default random inputs). Import and compile must throw
// zk::Error or succeed, never crash, hang, abort or exhaust memory.
// Build and run with scripts/fuzz.sh; the example models seed the corpus.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <string>

#include "field/error.h"
#include "onnx/import.h"
#include "quant/quantize.h"

namespace {
std::string g_path;
}

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // The importer reads a path (ONNX's checker and shape inference want one).
  char tmpl[] = "/tmp/zk_onnx_fuzz_XXXXXX";
  const int fd = mkstemp(tmpl);
  if (fd < 0) std::abort();
  close(fd);
  g_path = tmpl;
  std::atexit([] { std::remove(g_path.c_str()); });
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FILE* f = std::fopen(g_path.c_str(), "wb");
  if (!f) std::abort();
  if (size && std::fwrite(data, 1, size, f) != size) std::abort();
  std::fclose(f);
  try {
    auto g = zk::onnx::import_model(g_path);
    zk::quant::QuantOptions opt;
    opt.table_bits = 8;  // small tables keep each run fast
    auto m = zk::quant::quantize(g, {}, opt);
    (void)m;
  } catch (const zk::Error&) {
  }
  return 0;
}
