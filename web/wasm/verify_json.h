// The browser verifier's entry point (verify_json.cc).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace zk::web {

// Verifies `proof` against the verifying key `vk` (the files' bytes) and
// describes the verdict as JSON: ok; check and reason when rejected; the
// model id, circuit digest, weight commitment and visibility when the key
// parses; the outputs (name, shape, dequantized values, argmax), public inputs,
// commitments and proof bytes by kind when accepted. Never throws.
std::string verify_to_json(const std::vector<uint8_t>& vk, const std::vector<uint8_t>& proof);

}  // namespace zk::web

// The same for JavaScript: a NUL-terminated string owned by the module, valid
// until the next call.
extern "C" const char* zk_verify(const uint8_t* vk, size_t vk_len, const uint8_t* proof,
                                 size_t proof_len);
