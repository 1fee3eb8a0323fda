#include "proof/npy.h"

#include <cstring>
#include <regex>

#include "model/graph.h"

namespace zk::proof {

bool is_npy(const std::vector<uint8_t>& b) {
  return b.size() >= 10 && b[0] == 0x93 && std::memcmp(b.data() + 1, "NUMPY", 5) == 0;
}

std::vector<float> read_npy(const std::vector<uint8_t>& b, const std::string& what) {
  auto bad = [&](const std::string& m) -> model::ModelError {
    return model::ModelError(what + ": not a readable .npy array (" + m + ")");
  };
  if (!is_npy(b)) throw bad("missing magic");
  uint8_t major = b[6];
  size_t hlen, hstart;
  if (major == 1) {
    hlen = b[8] | (size_t{b[9]} << 8);
    hstart = 10;
  } else if (major == 2 || major == 3) {
    if (b.size() < 12) throw bad("truncated header");
    hlen = b[8] | (size_t{b[9]} << 8) | (size_t{b[10]} << 16) | (size_t{b[11]} << 24);
    hstart = 12;
  } else {
    throw bad("unknown format version " + std::to_string(major));
  }
  if (hlen > b.size() - hstart) throw bad("truncated header");
  std::string header(reinterpret_cast<const char*>(b.data() + hstart), hlen);
  std::smatch m;
  if (!std::regex_search(header, m, std::regex("'descr':\\s*'([<>|=])([fiu])(\\d+)'")))
    throw bad("no dtype");
  if (m[1] == ">") throw bad("big-endian data");
  char kind = m[2].str()[0];
  size_t width = std::stoul(m[3].str());
  if (std::regex_search(header, std::regex("'fortran_order':\\s*True"))) throw bad("Fortran order");
  std::smatch sm;
  if (!std::regex_search(header, sm, std::regex("'shape':\\s*\\(([^)]*)\\)")))
    throw bad("no shape");
  size_t count = 1;
  std::string dims = sm[1].str();
  std::regex num("\\d+");
  for (auto it = std::sregex_iterator(dims.begin(), dims.end(), num); it != std::sregex_iterator();
       ++it) {
    size_t d = std::stoul(it->str());
    if (d != 0 && count > (uint64_t{1} << 32) / d) throw bad("array too large");
    count *= d;
  }
  bool ok =
      (kind == 'f' && (width == 4 || width == 8)) ||
      ((kind == 'i' || kind == 'u') && (width == 1 || width == 2 || width == 4 || width == 8));
  if (!ok) throw bad("unsupported dtype " + m[2].str() + m[3].str());
  size_t data = hstart + hlen;
  if (count > (b.size() - data) / width) throw bad("truncated data");
  std::vector<float> out(count);
  const uint8_t* p = b.data() + data;
  for (size_t i = 0; i < count; ++i, p += width) {
    uint64_t raw = 0;
    for (size_t k = 0; k < width; ++k) raw |= uint64_t{p[k]} << (8 * k);
    if (kind == 'f') {
      if (width == 4) {
        uint32_t r32 = static_cast<uint32_t>(raw);
        float f;
        std::memcpy(&f, &r32, 4);
        out[i] = f;
      } else {
        double d;
        std::memcpy(&d, &raw, 8);
        out[i] = static_cast<float>(d);
      }
    } else if (kind == 'u') {
      out[i] = static_cast<float>(raw);
    } else {
      int64_t v = static_cast<int64_t>(raw << (64 - 8 * width)) >> (64 - 8 * width);
      out[i] = static_cast<float>(v);
    }
  }
  return out;
}

std::vector<uint8_t> write_npy(const std::vector<float>& data, const std::vector<int64_t>& shape) {
  std::string dims;
  for (auto d : shape) dims += std::to_string(d) + ", ";
  if (shape.size() > 1) dims.erase(dims.size() - 2);
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }";
  while ((10 + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  std::vector<uint8_t> out{0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
  out.push_back(static_cast<uint8_t>(header.size() & 0xff));
  out.push_back(static_cast<uint8_t>(header.size() >> 8));
  out.insert(out.end(), header.begin(), header.end());
  const uint8_t* p = reinterpret_cast<const uint8_t*>(data.data());
  out.insert(out.end(), p, p + data.size() * 4);
  return out;
}

}  // namespace zk::proof
