// Compiles, sets up, proves and verifies the breast-cancer example through
// the installed library API; prints the proven diagnosis.
#include <api/api.h>

#include <cstdio>

int main(int argc, char** argv) {
  if (argc != 3) return 2;
  auto r = zk::api::compile(argv[1]);
  auto keys = zk::api::setup(r.model);
  auto inputs = zk::proof::read_inputs(argv[2]);
  auto proved = zk::api::prove(keys.pk, inputs);
  auto v = zk::api::verify(keys.vk, proved.proof);
  if (!v.ok) return 1;
  const auto& o = v.outputs[0];
  std::printf("verified: %s\n", o[0] > o[1] ? "malignant" : "benign");
  return 0;
}
