#include "proof/files.h"

#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>

#include "field/parallel.h"

namespace zk::proof {

namespace {

constexpr char kModelMagic[4] = {'Z', 'K', 'C', 'M'};
constexpr char kPkMagic[4] = {'Z', 'K', 'P', 'K'};
constexpr char kVkMagic[4] = {'Z', 'K', 'V', 'K'};
constexpr char kProofMagic[4] = {'Z', 'K', 'P', 'F'};

void header(ByteWriter& w, const char* magic) {
  w.bytes(reinterpret_cast<const uint8_t*>(magic), 4);
  w.u32(kFormatVersion);
}

void seal(ByteWriter& w) {
  Digest d = sha256(w.buf());
  w.digest(d);
}

enum class Checksum { kNone, kCheck, kLater };

// The trailing SHA-256 of a file at least 40 bytes long.
bool checksum_ok(const std::vector<uint8_t>& bytes) {
  Digest want;
  std::memcpy(want.data(), bytes.data() + bytes.size() - 32, 32);
  return sha256(std::span<const uint8_t>(bytes.data(), bytes.size() - 32)) == want;
}

FormatError checksum_error(const std::string& what, const char* kind) {
  return FormatError(what + ": " + kind + " file is corrupted or truncated (checksum mismatch)");
}

// Checks magic, version and trailing checksum; returns a reader over the body.
// kLater: the checksum is there but left to the caller (checksum_ok).
ByteReader open(const std::vector<uint8_t>& bytes, const char* magic, const std::string& what,
                const char* kind, Checksum checksum) {
  if (bytes.size() < 8 || std::memcmp(bytes.data(), magic, 4) != 0)
    throw FormatError(what + ": not a zkinfer " + kind + " file");
  ByteReader r(bytes.data(), bytes.size(), what);
  r.take(4);
  uint32_t v = r.u32();
  if (v != kFormatVersion)
    throw FormatError(what + ": unsupported format version " + std::to_string(v) + " (expected " +
                      std::to_string(kFormatVersion) + ")");
  if (checksum == Checksum::kNone) return r;
  if (bytes.size() < 40) throw FormatError(what + ": file is truncated");
  if (checksum == Checksum::kCheck && !checksum_ok(bytes)) throw checksum_error(what, kind);
  ByteReader body(bytes.data(), bytes.size() - 32, what);
  body.take(8);
  return body;
}

void write_values(ByteWriter& w, const circuit::Circuit& c, const circuit::Values& v) {
  for (size_t t = 0; t < c.tensors.size(); ++t) {
    if (c.tensors[t].kind != circuit::TensorKind::kWeight) continue;
    for (auto x : v[t]) w.i64(x);
  }
}

circuit::Values read_values(ByteReader& r, const circuit::Circuit& c) {
  circuit::Values v(c.tensors.size());
  for (size_t t = 0; t < c.tensors.size(); ++t) {
    if (c.tensors[t].kind != circuit::TensorKind::kWeight) continue;
    size_t n = c.tensors[t].padded_size();
    r.need(n * 8);
    v[t].resize(n);
    for (auto& x : v[t]) x = r.i64();
  }
  return v;
}

void expect_end(const ByteReader& r) {
  if (!r.done()) r.fail("unexpected trailing data");
}

}  // namespace

Digest VerifyingKey::id() const {
  ByteWriter w;
  w.digest(circuit.digest());
  w.digest(weight_root);
  return sha256(w.buf());
}

std::vector<uint8_t> read_file(const std::string& path, size_t limit) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw FormatError(path + ": is a directory, not a file");
  std::ifstream f(path, std::ios::binary | std::ios::ate);
  if (!f) throw FormatError(path + ": cannot open file");
  std::streamoff size = f.tellg();
  if (size < 0) throw FormatError(path + ": cannot read file");
  if (static_cast<size_t>(size) > limit)
    throw FormatError(path + ": file is too large (" + std::to_string(size) + " bytes)");
  std::vector<uint8_t> buf(static_cast<size_t>(size));
  f.seekg(0);
  if (size > 0 && !f.read(reinterpret_cast<char*>(buf.data()), size))
    throw FormatError(path + ": cannot read file");
  return buf;
}

void write_file(const std::string& path, const std::vector<uint8_t>& bytes, FileMode mode) {
  write_file_atomic(path, bytes.data(), bytes.size(), mode);
}

std::vector<uint8_t> save_model(const quant::CompiledModel& m) {
  ByteWriter w;
  header(w, kModelMagic);
  m.circuit.serialize(w);
  write_values(w, m.circuit, m.weights);
  seal(w);
  return std::move(w.buf());
}

quant::CompiledModel load_model(const std::vector<uint8_t>& bytes, const std::string& what) {
  ByteReader r = open(bytes, kModelMagic, what, "compiled model", Checksum::kCheck);
  quant::CompiledModel m;
  m.circuit = circuit::Circuit::deserialize(r);
  m.weights = read_values(r, m.circuit);
  expect_end(r);
  return m;
}

std::vector<uint8_t> save_pk(const ProvingKey& pk) {
  ByteWriter w;
  header(w, kPkMagic);
  pk.circuit.serialize(w);
  write_values(w, pk.circuit, pk.weights);
  w.digest(pk.weight_seed);
  // The commitment's prover data, so proving need not commit again.
  prover::weight_pcs(pk.circuit).save(w, pk.commitment);
  seal(w);
  return std::move(w.buf());
}

ProvingKey load_pk(const std::vector<uint8_t>& bytes, const std::string& what) {
  ByteReader r = open(bytes, kPkMagic, what, "proving key", Checksum::kLater);
  // The checksum (a pass over the whole key) runs beside the parse on two
  // threads; a mismatch is reported whatever the parse made of the bytes.
  ProvingKey pk;
  std::exception_ptr parse_error;
  bool sum_ok = true;
  auto parse = [&] {
    try {
      pk.circuit = circuit::Circuit::deserialize(r);
      pk.weights = read_values(r, pk.circuit);
      pk.weight_seed = r.digest();
      pk.commitment = prover::weight_pcs(pk.circuit)
                          .load(r, prover::pack_weights(pk.circuit, pk.weights, pk.weight_seed));
      expect_end(r);
    } catch (...) {
      parse_error = std::current_exception();
    }
  };
  if (num_threads() > 1) {
    run_on_pool(2, [&](unsigned k) { k == 0 ? void(sum_ok = checksum_ok(bytes)) : parse(); });
  } else {
    sum_ok = checksum_ok(bytes);
    if (sum_ok) parse();
  }
  if (!sum_ok) throw checksum_error(what, "proving key");
  if (parse_error) std::rethrow_exception(parse_error);
  return pk;
}

std::vector<uint8_t> save_vk(const VerifyingKey& vk) {
  ByteWriter w;
  header(w, kVkMagic);
  vk.circuit.serialize(w);
  w.digest(vk.weight_root);
  seal(w);
  return std::move(w.buf());
}

VerifyingKey load_vk(const std::vector<uint8_t>& bytes, const std::string& what) {
  ByteReader r = open(bytes, kVkMagic, what, "verifying key", Checksum::kCheck);
  VerifyingKey vk;
  vk.circuit = circuit::Circuit::deserialize(r);
  vk.weight_root = r.digest();
  expect_end(r);
  return vk;
}

std::vector<uint8_t> save_proof(const Proof& p) {
  ByteWriter w;
  header(w, kProofMagic);
  w.digest(p.circuit_digest);
  w.digest(p.weight_root);
  for (const auto& v : p.statement.inputs) w.i64s(v);
  for (const auto& v : p.statement.outputs) w.i64s(v);
  for (const auto& d : p.statement.commitments) w.digest(d);
  w.u64(p.stream.size());
  w.bytes(p.stream.data(), p.stream.size());
  return std::move(w.buf());
}

Proof load_proof(const std::vector<uint8_t>& bytes, const circuit::Circuit& c,
                 const std::string& what) {
  ByteReader r = open(bytes, kProofMagic, what, "proof", Checksum::kNone);
  Proof p;
  p.circuit_digest = r.digest();
  p.weight_root = r.digest();
  if (c.input_vis == circuit::Visibility::kPublic)
    for (int t : c.inputs) {
      size_t n = c.tensors[t].padded_size();
      auto v = r.i64s(n, "input value");
      if (v.size() != n) r.fail("public input has the wrong size");
      p.statement.inputs.push_back(std::move(v));
    }
  if (c.output_vis == circuit::Visibility::kPublic)
    for (int t : c.outputs) {
      size_t n = c.tensors[t].padded_size();
      auto v = r.i64s(n, "output value");
      if (v.size() != n) r.fail("public output has the wrong size");
      p.statement.outputs.push_back(std::move(v));
    }
  for (size_t k = 0; k < prover::committed_tensors(c).size(); ++k)
    p.statement.commitments.push_back(r.digest());
  // Statement values are small integers; anything near the field size would
  // alias another integer mod p.
  for (const auto* group : {&p.statement.inputs, &p.statement.outputs})
    for (const auto& v : *group)
      for (auto x : v)
        if (x > (int64_t{1} << 62) || x < -(int64_t{1} << 62))
          r.fail("statement value out of range");
  uint64_t len = r.count(uint64_t{1} << 31, 1, "proof byte");
  const uint8_t* s = r.take(len);
  p.stream.assign(s, s + len);
  expect_end(r);
  return p;
}

ProofHeader read_proof_header(const std::vector<uint8_t>& bytes, const std::string& what) {
  ByteReader r = open(bytes, kProofMagic, what, "proof", Checksum::kNone);
  if (bytes.size() < 72) throw FormatError(what + ": proof file is truncated");
  ProofHeader h;
  h.circuit_digest = r.digest();
  h.weight_root = r.digest();
  return h;
}

std::string file_kind(const std::vector<uint8_t>& bytes) {
  if (bytes.size() < 4) return "";
  if (!std::memcmp(bytes.data(), kModelMagic, 4)) return "model";
  if (!std::memcmp(bytes.data(), kPkMagic, 4)) return "pk";
  if (!std::memcmp(bytes.data(), kVkMagic, 4)) return "vk";
  if (!std::memcmp(bytes.data(), kProofMagic, 4)) return "proof";
  return "";
}

}  // namespace zk::proof
