// The WebAssembly verifier's entry point: a verifying key and a proof in, the
// verdict and what the proof states out, as JSON (web/zkinfer-verify/index.js
// calls it). Every failure, malformed bytes included, comes back as
// {"ok": false, "check": ..., "reason": ...}; nothing escapes as an exception.
#include "web/wasm/verify_json.h"

#include <algorithm>
#include <new>
#include <nlohmann/json.hpp>

#include "field/parallel.h"
#include "proof/api.h"
#include "quant/quantize.h"

namespace zk::web {

namespace {

using nlohmann::json;

json rejection(const std::string& check, const std::string& reason) {
  return {{"ok", false}, {"check", check}, {"reason", reason}};
}

size_t argmax(const std::vector<float>& v) {
  return v.empty() ? 0 : static_cast<size_t>(std::max_element(v.begin(), v.end()) - v.begin());
}

// What the verifying key says about the model, accepted or not.
void describe_key(const proof::VerifyingKey& vk, json& j) {
  const auto& c = vk.circuit;
  j["model_id"] = digest_hex(vk.id());
  j["model_digest"] = digest_hex(c.digest());  // the circuit's, as zkinfer verify --json
  j["weight_commitment"] = digest_hex(vk.weight_root);
  j["model_name"] = c.model_name;
  const auto vis = proof::visibility_of(c);
  j["visibility"] = {{"input", proof::visibility_name(vis.input)},
                     {"weights", proof::visibility_name(vis.weights)},
                     {"output", proof::visibility_name(vis.output)}};
}

// What an accepted proof states: outputs, public inputs, commitments.
void describe_result(const proof::VerifyingKey& vk, const proof::VerifyResult& r, json& j) {
  const auto& c = vk.circuit;
  j["outputs"] = json::array();
  for (size_t i = 0; i < r.outputs.size() && i < c.outputs.size(); ++i) {
    const auto& t = c.tensors[c.outputs[i]];
    j["outputs"].push_back({{"name", t.name},
                            {"shape", t.dims},
                            {"values", r.outputs[i]},
                            {"argmax", argmax(r.outputs[i])}});
  }
  j["public_inputs"] = json::array();
  for (size_t i = 0; i < r.public_inputs.size(); ++i) {
    const auto& in = r.public_inputs[i];
    json e = {{"name", in.name}, {"values", in.values}, {"digest", digest_hex(in.digest)}};
    if (i < c.inputs.size()) e["shape"] = c.tensors[c.inputs[i]].dims;
    j["public_inputs"].push_back(std::move(e));
  }
  j["commitments"] = json::array();
  for (const auto& t : r.commitments)
    j["commitments"].push_back({{"name", t.name},
                                {"kind", t.input ? "input" : "output"},
                                {"commitment", digest_hex(t.commitment)}});
  j["bytes_by_kind"] = r.bytes_by_kind;
}

json verify_json(const std::vector<uint8_t>& vk_bytes, const std::vector<uint8_t>& proof_bytes) {
  proof::VerifyingKey vk;
  try {
    vk = proof::load_vk(vk_bytes, "verifying key");
  } catch (const std::bad_alloc&) {
    return rejection("malformed verifying key", "malformed verifying key: out of memory");
  } catch (const std::exception& e) {
    return rejection("malformed verifying key", e.what());
  }
  json j;
  auto r = proof::verify(vk, proof_bytes);
  j["ok"] = r.ok;
  if (!r.ok) {
    j["check"] = r.check;
    j["reason"] = r.reason;
  }
  describe_key(vk, j);
  if (r.ok) describe_result(vk, r, j);
  return j;
}

}  // namespace

std::string verify_to_json(const std::vector<uint8_t>& vk, const std::vector<uint8_t>& proof) {
  // One thread: the WebAssembly module is built without threads.
  set_num_threads(1);
  json j;
  try {
    j = verify_json(vk, proof);
  } catch (const std::bad_alloc&) {
    j = rejection("verification failed", "verification failed: out of memory");
  } catch (const std::exception& e) {
    j = rejection("verification failed", std::string("verification failed: ") + e.what());
  } catch (...) {
    j = rejection("verification failed", "verification failed");
  }
  // Names come from the key's bytes: invalid UTF-8 is replaced, not thrown.
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace zk::web

extern "C" const char* zk_verify(const uint8_t* vk, size_t vk_len, const uint8_t* proof,
                                 size_t proof_len) {
  static std::string out;
  try {
    out = zk::web::verify_to_json(std::vector<uint8_t>(vk, vk + vk_len),
                                  std::vector<uint8_t>(proof, proof + proof_len));
  } catch (...) {
    out =
        R"({"ok":false,"check":"verification failed","reason":"verification failed: out of memory"})";
  }
  return out.c_str();
}
