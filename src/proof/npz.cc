#include "proof/npz.h"

#include <zlib.h>

#include <cstring>
#include <limits>

#include "model/graph.h"

namespace zk::proof {

namespace {

constexpr uint32_t kLocal = 0x04034b50, kCentral = 0x02014b50, kEnd = 0x06054b50,
                   kEnd64 = 0x06064b50, kLocator64 = 0x07064b50;
// The largest entry read: 4 GiB, and at most deflate's best ratio over the
// compressed size (so a forged size cannot make us allocate more).
constexpr uint64_t kMaxEntry = 0xffffffffu;
constexpr uint64_t kMaxRatio = 1032;

class Reader {
 public:
  Reader(const std::vector<uint8_t>& b, const std::string& what) : b_(b), what_(what) {}
  model::ModelError bad(const std::string& why) const {
    return model::ModelError(what_ + ": not a readable .npz archive (" + why + ")");
  }
  uint64_t le(uint64_t at, int n) const {
    if (at > b_.size() || static_cast<uint64_t>(n) > b_.size() - at) throw bad("truncated");
    uint64_t v = 0;
    for (int i = 0; i < n; ++i) v |= uint64_t{b_[at + i]} << (8 * i);
    return v;
  }
  size_t size() const { return b_.size(); }
  const uint8_t* at(uint64_t off) const { return b_.data() + off; }

 private:
  const std::vector<uint8_t>& b_;
  const std::string& what_;
};

struct Directory {
  uint64_t entries = 0, offset = 0;
};

Directory find_directory(const Reader& r) {
  if (r.size() < 22) throw r.bad("truncated: no end of central directory");
  const uint64_t lowest = r.size() > 22 + 65535 ? r.size() - 22 - 65535 : 0;
  for (uint64_t e = r.size() - 22;; --e) {
    if (r.le(e, 4) == kEnd) {
      Directory d{r.le(e + 10, 2), r.le(e + 16, 4)};
      if ((d.entries == 0xffff || d.offset == 0xffffffff) && e >= 20 &&
          r.le(e - 20, 4) == kLocator64) {
        const uint64_t z = r.le(e - 20 + 8, 8);
        if (r.le(z, 4) != kEnd64) throw r.bad("bad zip64 end record");
        d = {r.le(z + 32, 8), r.le(z + 48, 8)};
      }
      return d;
    }
    if (e == lowest) break;
  }
  throw r.bad("no end of central directory record; truncated or not a zip file");
}

// The zip64 extra field's values for those of `sizes` that are 0xffffffff.
void apply_zip64(const Reader& r, uint64_t extra, uint64_t len, uint64_t* fields[3]) {
  for (uint64_t p = extra; p + 4 <= extra + len;) {
    const uint64_t id = r.le(p, 2), n = r.le(p + 2, 2);
    if (id == 1) {
      uint64_t q = p + 4;
      for (int i = 0; i < 3; ++i)
        if (*fields[i] == 0xffffffff && q + 8 <= p + 4 + n) {
          *fields[i] = r.le(q, 8);
          q += 8;
        }
      return;
    }
    p += 4 + n;
  }
}

std::vector<uint8_t> inflate_raw(const Reader& r, const uint8_t* src, uint64_t n, uint64_t out_n,
                                 const std::string& name) {
  std::vector<uint8_t> out(out_n);
  z_stream z{};
  if (inflateInit2(&z, -MAX_WBITS) != Z_OK) throw r.bad("zlib failed to start");
  z.next_in = const_cast<Bytef*>(src);
  z.avail_in = static_cast<uInt>(n);
  z.next_out = out.data();
  z.avail_out = static_cast<uInt>(out_n);
  const int rc = inflate(&z, Z_FINISH);
  const uint64_t produced = z.total_out;
  inflateEnd(&z);
  if (rc != Z_STREAM_END || produced != out_n)
    throw r.bad("entry '" + name + "': corrupt or truncated deflate data");
  return out;
}

ZipEntry read_entry(const Reader& r, uint64_t& p) {
  if (r.le(p, 4) != kCentral) throw r.bad("bad central directory entry");
  const uint64_t method = r.le(p + 10, 2), crc = r.le(p + 16, 4);
  uint64_t csize = r.le(p + 20, 4), usize = r.le(p + 24, 4), local = r.le(p + 42, 4);
  const uint64_t nlen = r.le(p + 28, 2), xlen = r.le(p + 30, 2), clen = r.le(p + 32, 2);
  if (p + 46 > r.size() || nlen > r.size() - (p + 46)) throw r.bad("truncated");
  ZipEntry e;
  e.name.assign(reinterpret_cast<const char*>(r.at(p + 46)), nlen);
  uint64_t* fields[3] = {&usize, &csize, &local};
  apply_zip64(r, p + 46 + nlen, xlen, fields);
  p += 46 + nlen + xlen + clen;
  if (r.le(local, 4) != kLocal) throw r.bad("entry '" + e.name + "': bad local header");
  const uint64_t data = local + 30 + r.le(local + 26, 2) + r.le(local + 28, 2);
  if (data > r.size() || csize > r.size() - data || csize > kMaxEntry)
    throw r.bad("entry '" + e.name + "': truncated data");
  if (usize > kMaxEntry || usize > csize * kMaxRatio + 1024)
    throw r.bad("entry '" + e.name + "': implausible size");
  if (method == 0) {
    if (usize != csize) throw r.bad("entry '" + e.name + "': stored sizes differ");
    e.bytes.assign(r.at(data), r.at(data) + csize);
  } else if (method == 8) {
    e.bytes = inflate_raw(r, r.at(data), csize, usize, e.name);
  } else {
    throw r.bad("entry '" + e.name + "': compression method " + std::to_string(method) +
                " (zkinfer reads stored and deflated entries, as np.savez and "
                "np.savez_compressed write them)");
  }
  if (::crc32_z(0, e.bytes.data(), e.bytes.size()) != crc)
    throw r.bad("entry '" + e.name + "': CRC mismatch; the file is corrupt");
  return e;
}

void put(std::vector<uint8_t>& o, uint64_t v, int n) {
  for (int i = 0; i < n; ++i) o.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

// The fields local and central headers share: version 20, no flags, stored,
// no time, the CRC, both sizes, the name's length, no extra field.
void put_common(std::vector<uint8_t>& o, uint64_t crc, uint64_t n, size_t name_len) {
  for (int i = 0; i < 3; ++i) put(o, i == 0 ? 20 : 0, 2);
  put(o, 0, 4);
  put(o, crc, 4);
  put(o, n, 4);
  put(o, n, 4);
  put(o, name_len, 2);
  put(o, 0, 2);
}

}  // namespace

bool is_zip(const std::vector<uint8_t>& b) {
  return b.size() >= 4 && b[0] == 'P' && b[1] == 'K' &&
         ((b[2] == 3 && b[3] == 4) || (b[2] == 5 && b[3] == 6));
}

std::vector<ZipEntry> read_zip(const std::vector<uint8_t>& bytes, const std::string& what) {
  Reader r(bytes, what);
  const Directory d = find_directory(r);
  if (d.entries > r.size() / 46) throw r.bad("more entries than the file can hold");
  std::vector<ZipEntry> out;
  uint64_t p = d.offset;
  for (uint64_t i = 0; i < d.entries; ++i) out.push_back(read_entry(r, p));
  return out;
}

std::vector<uint8_t> write_zip(const std::vector<ZipEntry>& entries) {
  std::vector<uint8_t> o, dir;
  for (const auto& e : entries) {
    const uint64_t crc = ::crc32_z(0, e.bytes.data(), e.bytes.size());
    const uint64_t offset = o.size(), n = e.bytes.size();
    if (n >= 0xffffffffu || offset >= 0xffffffffu)
      throw model::ModelError(e.name + ": too large for a .npz archive (4 GiB)");
    put(o, kLocal, 4);
    put_common(o, crc, n, e.name.size());
    o.insert(o.end(), e.name.begin(), e.name.end());
    o.insert(o.end(), e.bytes.begin(), e.bytes.end());
    put(dir, kCentral, 4);
    put(dir, 20, 2);  // made by
    put_common(dir, crc, n, e.name.size());
    put(dir, 0, 2);  // comment
    put(dir, 0, 2);  // disk
    put(dir, 0, 2);  // internal attributes
    put(dir, 0, 4);  // external attributes
    put(dir, offset, 4);
    dir.insert(dir.end(), e.name.begin(), e.name.end());
  }
  const uint64_t dir_at = o.size();
  o.insert(o.end(), dir.begin(), dir.end());
  put(o, kEnd, 4);
  put(o, 0, 4);  // disks
  put(o, entries.size(), 2);
  put(o, entries.size(), 2);
  put(o, dir.size(), 4);
  put(o, dir_at, 4);
  put(o, 0, 2);
  return o;
}

}  // namespace zk::proof
