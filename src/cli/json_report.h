// The JSON forms of verify's and inspect's reports (--json): the same facts
// as their text, as one object.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "api/api.h"

namespace zk::cli {

// A model's output tensors beside their proven values: names and shapes from
// the circuit, in its output order.
std::vector<proof::NamedTensor> named_outputs(const circuit::Circuit& c,
                                              const std::vector<std::vector<float>>& values);

// "compiled model", "proving key", "verifying key", "proof"
const char* kind_name(proof::FileKind k);

nlohmann::json verify_json(const proof::VerifyingKey& vk, const proof::VerifyResult& r,
                           size_t proof_bytes, double verify_ms);
nlohmann::json inspection_json(const proof::Inspection& in);

}  // namespace zk::cli
