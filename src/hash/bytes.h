// Little-endian binary writer/reader for the project's file formats. The
// reader checks every length against what is left and against caller limits
// before anything is allocated, and reports problems as FormatError.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "field/error.h"
#include "field/goldilocks.h"
#include "hash/sha256.h"

namespace zk {

class FormatError : public Error {
 public:
  using Error::Error;
};

class ByteWriter {
 public:
  void u8(uint8_t x) { buf_.push_back(x); }
  void u32(uint32_t x) {
    for (int i = 0; i < 4; ++i) buf_.push_back(static_cast<uint8_t>(x >> (8 * i)));
  }
  void u64(uint64_t x) {
    for (int i = 0; i < 8; ++i) buf_.push_back(static_cast<uint8_t>(x >> (8 * i)));
  }
  void i64(int64_t x) { u64(static_cast<uint64_t>(x)); }
  void str(const std::string& s) {
    u32(static_cast<uint32_t>(s.size()));
    buf_.insert(buf_.end(), s.begin(), s.end());
  }
  void bytes(const uint8_t* p, size_t n) { buf_.insert(buf_.end(), p, p + n); }
  void digest(const Digest& d) { bytes(d.data(), d.size()); }
  void i64s(const std::vector<int64_t>& v) {
    u64(v.size());
    for (auto x : v) i64(x);
  }
  std::vector<uint8_t>& buf() { return buf_; }

 private:
  std::vector<uint8_t> buf_;
};

class ByteReader {
 public:
  ByteReader(const uint8_t* p, size_t n, std::string what) : p_(p), n_(n), what_(std::move(what)) {}
  [[noreturn]] void fail(const std::string& msg) const {
    throw FormatError(what_ + ": " + msg + " (at byte " + std::to_string(pos_) + ")");
  }
  void need(size_t k) const {
    if (k > n_ - pos_) fail("file is truncated");
  }
  uint8_t u8() {
    need(1);
    return p_[pos_++];
  }
  uint32_t u32() {
    need(4);
    uint32_t x = 0;
    for (int i = 0; i < 4; ++i) x |= uint32_t{p_[pos_ + i]} << (8 * i);
    pos_ += 4;
    return x;
  }
  uint64_t u64() {
    need(8);
    uint64_t x = 0;
    for (int i = 0; i < 8; ++i) x |= uint64_t{p_[pos_ + i]} << (8 * i);
    pos_ += 8;
    return x;
  }
  int64_t i64() { return static_cast<int64_t>(u64()); }
  // A count that must not exceed `limit` nor the bytes left at `elem_size` each.
  uint64_t count(uint64_t limit, size_t elem_size, const char* what) {
    uint64_t c = u64();
    if (c > limit)
      fail(std::string(what) + " count " + std::to_string(c) + " exceeds the limit " +
           std::to_string(limit));
    if (elem_size && c > (n_ - pos_) / elem_size) fail("file is truncated");
    return c;
  }
  std::string str(uint32_t limit = 4096) {
    uint32_t len = u32();
    if (len > limit) fail("string too long");
    need(len);
    std::string s(reinterpret_cast<const char*>(p_ + pos_), len);
    pos_ += len;
    return s;
  }
  Digest digest() {
    need(32);
    Digest d;
    std::copy(p_ + pos_, p_ + pos_ + 32, d.begin());
    pos_ += 32;
    return d;
  }
  std::vector<int64_t> i64s(uint64_t limit, const char* what) {
    uint64_t c = count(limit, 8, what);
    std::vector<int64_t> v(c);
    for (auto& x : v) x = i64();
    return v;
  }
  const uint8_t* take(size_t k) {
    need(k);
    const uint8_t* q = p_ + pos_;
    pos_ += k;
    return q;
  }
  size_t pos() const { return pos_; }
  size_t left() const { return n_ - pos_; }
  bool done() const { return pos_ == n_; }

 private:
  const uint8_t* p_;
  size_t n_, pos_ = 0;
  std::string what_;
};

}  // namespace zk
