// The user's tensor files: JSON {"input_data": [[...], ...]} or
// {"output_data": [[...]]} (flat row-major floats per tensor, other keys
// ignored), or for a single tensor a NumPy .npy array.
#pragma once

#include <string>
#include <vector>

namespace zk::proof {

// Throws model::ModelError naming the file and the problem.
std::vector<std::vector<float>> read_tensors(const std::string& path, const std::string& key);
inline std::vector<std::vector<float>> read_inputs(const std::string& path) {
  return read_tensors(path, "input_data");
}
inline std::vector<std::vector<float>> read_outputs(const std::string& path) {
  return read_tensors(path, "output_data");
}
// JSON {"output_data": ...}, or .npy when the path ends in .npy (one tensor
// only; FormatError otherwise).
void write_outputs(const std::string& path, const std::vector<std::vector<float>>& outs);

// Whole text files (FormatError when they cannot be read or written).
std::string read_text_file(const std::string& path);
void write_text_file(const std::string& path, const std::string& text);

}  // namespace zk::proof
