// NumPy .npy files (format versions 1-3, little-endian float32/float64 and
// int8..int64, C order) as flat float data, and writing float32 arrays.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace zk::proof {

bool is_npy(const std::vector<uint8_t>& bytes);
// Throws model::ModelError naming the problem.
std::vector<float> read_npy(const std::vector<uint8_t>& bytes, const std::string& what);
std::vector<uint8_t> write_npy(const std::vector<float>& data, const std::vector<int64_t>& shape);

}  // namespace zk::proof
