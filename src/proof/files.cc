#include "proof/files.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
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

// Compiled models keep their own version: their contents did not change
// with the commitments.
uint32_t version_of(const char* magic) {
  return std::memcmp(magic, kModelMagic, 4) == 0 ? kModelFormatVersion : kFormatVersion;
}

void header(ByteWriter& w, const char* magic) {
  w.bytes(reinterpret_cast<const uint8_t*>(magic), 4);
  w.u32(version_of(magic));
}

void seal(ByteWriter& w) {
  Digest d = sha256(w.buf());
  w.digest(d);
}

enum class Checksum { kNone, kCheck };

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
ByteReader open(const std::vector<uint8_t>& bytes, const char* magic, const std::string& what,
                const char* kind, Checksum checksum) {
  if (bytes.size() < 8 || std::memcmp(bytes.data(), magic, 4) != 0)
    throw FormatError(what + ": not a zkinfer " + kind + " file");
  ByteReader r(bytes.data(), bytes.size(), what);
  r.take(4);
  uint32_t v = r.u32();
  if (v != version_of(magic))
    throw FormatError(what + ": unsupported format version " + std::to_string(v) + " (expected " +
                      std::to_string(version_of(magic)) + ")");
  if (checksum == Checksum::kNone) return r;
  if (bytes.size() < 40) throw FormatError(what + ": file is truncated");
  if (!checksum_ok(bytes)) throw checksum_error(what, kind);
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

// Weights at their width: per weight tensor, the bytes per value (1, 2, 4
// or 8, the fewest that hold every value as a signed integer), then the
// values in that many little-endian bytes.
void write_values_compact(ByteWriter& w, const circuit::Circuit& c, const circuit::Values& v) {
  for (size_t t = 0; t < c.tensors.size(); ++t) {
    if (c.tensors[t].kind != circuit::TensorKind::kWeight) continue;
    int64_t lo = 0, hi = 0;
    for (auto x : v[t]) {
      lo = std::min(lo, x);
      hi = std::max(hi, x);
    }
    unsigned width = 1;
    while (width < 8 &&
           (lo < -(int64_t{1} << (8 * width - 1)) || hi >= int64_t{1} << (8 * width - 1)))
      width *= 2;
    w.u8(static_cast<uint8_t>(width));
    std::vector<uint8_t> buf(v[t].size() * width);
    for (size_t i = 0; i < v[t].size(); ++i) {
      auto x = static_cast<uint64_t>(v[t][i]);
      for (unsigned b = 0; b < width; ++b) buf[i * width + b] = static_cast<uint8_t>(x >> (8 * b));
    }
    w.bytes(buf.data(), buf.size());
  }
}

circuit::Values read_values_compact(ByteReader& r, const circuit::Circuit& c) {
  circuit::Values v(c.tensors.size());
  for (size_t t = 0; t < c.tensors.size(); ++t) {
    if (c.tensors[t].kind != circuit::TensorKind::kWeight) continue;
    unsigned width = r.u8();
    if (width != 1 && width != 2 && width != 4 && width != 8) r.fail("bad weight width");
    size_t n = c.tensors[t].padded_size();
    r.need(n * width);
    const uint8_t* p = r.take(n * width);
    v[t].resize(n);
    const unsigned shift = 64 - 8 * width;
    for (size_t i = 0; i < n; ++i) {
      uint64_t x = 0;
      for (unsigned b = 0; b < width; ++b) x |= uint64_t{p[i * width + b]} << (8 * b);
      v[t][i] = static_cast<int64_t>(x << shift) >> shift;  // sign-extended
    }
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

std::vector<uint8_t> read_file(const std::string& path, uint64_t limit) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw FormatError(path + ": is a directory, not a file");
  std::ifstream f(path, std::ios::binary | std::ios::ate);
  if (!f) throw FormatError(path + ": cannot open file");
  std::streamoff size = f.tellg();
  if (size < 0) throw FormatError(path + ": cannot read file");
  if (static_cast<uint64_t>(size) > limit)
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

// The proving key: magic, version, the head's length, the head (circuit,
// weights at their width, seed, the weight commitment's prover data but its
// bulk, the bulk's length), the head's SHA-256; then, from the next 4 KiB
// boundary, the bulk (the encoded weights). The checksum covers the head
// only: the bulk is mapped, not read, and each part of it an opening uses is
// checked against the commitment's Merkle tree then.
namespace {
constexpr size_t kBulkAlign = 4096;

size_t bulk_offset(size_t head_len) {
  return (head_len + kBulkAlign - 1) / kBulkAlign * kBulkAlign;
}

std::vector<uint8_t> pk_head(const ProvingKey& pk) {
  ByteWriter w;
  w.bytes(reinterpret_cast<const uint8_t*>(kPkMagic), 4);
  w.u32(kPkFormatVersion);
  w.u64(0);  // the head's length, set below
  pk.circuit.serialize(w);
  write_values_compact(w, pk.circuit, pk.weights);
  w.digest(pk.weight_seed);
  const auto pcs = prover::weight_pcs(pk.circuit);
  pcs.save(w, pk.commitment);
  w.u64(prover::Pcs::bulk(pk.commitment).size());
  uint64_t len = w.buf().size() + 32;
  for (int i = 0; i < 8; ++i) w.buf()[8 + i] = static_cast<uint8_t>(len >> (8 * i));
  seal(w);
  return std::move(w.buf());
}

// Parses a proving key of `size` bytes at `data`; the bulk is viewed in
// place, kept alive by `keep` (or copied when keep is null).
ProvingKey parse_pk(const uint8_t* data, size_t size, const std::shared_ptr<const void>& keep,
                    const std::string& what) {
  if (size < 4 || std::memcmp(data, kPkMagic, 4) != 0)
    throw FormatError(what + ": not a zkinfer proving key file");
  if (size < 16) throw FormatError(what + ": file is truncated");
  ByteReader pre(data, 16, what);
  pre.take(4);
  uint32_t v = pre.u32();
  if (v != kPkFormatVersion)
    throw FormatError(what + ": unsupported proving key format version " + std::to_string(v) +
                      " (expected " + std::to_string(kPkFormatVersion) + "); run setup again");
  uint64_t head_len = pre.u64();
  if (head_len > size) throw FormatError(what + ": file is truncated");
  if (head_len < 16 + 40) throw FormatError(what + ": file is truncated");
  ByteReader body(data, head_len - 40, what);
  body.take(16);
  ProvingKey pk;
  std::exception_ptr parse_error;
  bool sum_ok = true;
  std::vector<Fp> values;
  auto parse = [&] {
    try {
      pk.circuit = circuit::Circuit::deserialize(body);
      pk.weights = read_values_compact(body, pk.circuit);
      pk.weight_seed = body.digest();
      values = prover::pack_weights(pk.circuit, pk.weights, pk.weight_seed);
    } catch (...) {
      parse_error = std::current_exception();
    }
  };
  // The checksum (a pass over the head) runs beside the parse on two
  // threads; a mismatch is reported whatever the parse made of the bytes.
  auto check = [&] {
    Digest want;
    std::memcpy(want.data(), data + head_len - 32, 32);
    sum_ok = sha256(std::span<const uint8_t>(data, head_len - 32)) == want;
  };
  if (num_threads() > 1) {
    run_on_pool(2, [&](unsigned k) { k == 0 ? check() : parse(); });
  } else {
    check();
    if (sum_ok) parse();
  }
  if (!sum_ok) throw checksum_error(what, "proving key");
  if (parse_error) std::rethrow_exception(parse_error);
  // The rest of the head: the commitment's prover data, then the bulk's
  // length (its last 8 bytes, outside `body`).
  const auto pcs = prover::weight_pcs(pk.circuit);
  ByteReader len_reader(data + head_len - 40, 8, what);
  const uint64_t bulk_len = len_reader.u64();
  if (bulk_len != pcs.bulk_size()) body.fail("encoded weights have the wrong size");
  const size_t off = bulk_offset(head_len);
  if (off > size || (size - off) / 8 < bulk_len) throw FormatError(what + ": file is truncated");
  if (size - off != bulk_len * 8) throw FormatError(what + ": unexpected trailing data");
  const auto* bulk = reinterpret_cast<const Fp*>(data + off);
  pk.commitment = pcs.load(
      body, std::move(values),
      keep ? FpStore(bulk, bulk_len, keep) : FpStore(std::vector<Fp>(bulk, bulk + bulk_len)));
  expect_end(body);
  return pk;
}

// A read-only private mapping of a whole file, unmapped with its last user.
std::shared_ptr<const void> map_file(const std::string& path, size_t& size) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw FormatError(path + ": is a directory, not a file");
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw FormatError(path + ": cannot open file (" + std::strerror(errno) + ")");
  struct stat st {};
  if (::fstat(fd, &st) != 0 || st.st_size < 0) {
    ::close(fd);
    throw FormatError(path + ": cannot read file");
  }
  size = static_cast<size_t>(st.st_size);
  if (size == 0) {
    ::close(fd);
    throw FormatError(path + ": not a zkinfer proving key file (empty)");
  }
  void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  int err = errno;
  ::close(fd);
  if (p == MAP_FAILED) throw FormatError(path + ": cannot map file (" + std::strerror(err) + ")");
  const size_t len = size;
  return std::shared_ptr<const void>(p,
                                     [len](const void* q) { ::munmap(const_cast<void*>(q), len); });
}

}  // namespace

std::vector<uint8_t> save_pk(const ProvingKey& pk) {
  std::vector<uint8_t> out = pk_head(pk);
  auto bulk = prover::Pcs::bulk(pk.commitment);
  out.resize(bulk_offset(out.size()) + bulk.size() * 8, 0);
  std::memcpy(out.data() + out.size() - bulk.size() * 8, bulk.data(), bulk.size() * 8);
  return out;
}

void write_pk(const std::string& path, const ProvingKey& pk) {
  std::vector<uint8_t> head = pk_head(pk);
  head.resize(bulk_offset(head.size()), 0);
  auto bulk = prover::Pcs::bulk(pk.commitment);
  write_file_atomic(
      path,
      {std::span<const uint8_t>(head),
       std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(bulk.data()), bulk.size() * 8)},
      FileMode::kSecret);
}

ProvingKey load_pk(const std::vector<uint8_t>& bytes, const std::string& what) {
  return parse_pk(bytes.data(), bytes.size(), nullptr, what);
}

ProvingKey load_pk_file(const std::string& path) {
  size_t size = 0;
  auto map = map_file(path, size);
  return parse_pk(static_cast<const uint8_t*>(map.get()), size, map, path);
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
