// NumPy .npz archives: a zip of .npy files, stored (np.savez) or deflated
// (np.savez_compressed, through zlib). Written stored.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace zk::proof {

struct ZipEntry {
  std::string name;            // "x.npy"
  std::vector<uint8_t> bytes;  // uncompressed
};

// A zip's local file header or empty archive's end record at the start.
bool is_zip(const std::vector<uint8_t>& bytes);
// Every entry, in the archive's (central directory) order. Throws
// model::ModelError naming `what` and the problem (truncated, bad CRC, an
// unsupported compression method, ...).
std::vector<ZipEntry> read_zip(const std::vector<uint8_t>& bytes, const std::string& what);
// Stored entries (no compression), as np.savez writes them.
std::vector<uint8_t> write_zip(const std::vector<ZipEntry>& entries);

}  // namespace zk::proof
