#include "proof/tensor_io.h"

#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "proof/files.h"
#include "proof/npy.h"

namespace zk::proof {

std::vector<std::vector<float>> read_tensors(const std::string& path, const std::string& key) {
  {
    std::ifstream probe(path, std::ios::binary);
    char magic[6] = {};
    if (probe.read(magic, 6) && static_cast<uint8_t>(magic[0]) == 0x93 &&
        std::memcmp(magic + 1, "NUMPY", 5) == 0)
      return {read_npy(read_file(path), path)};
  }
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw model::ModelError(path + ": is a directory, not a file");
  std::ifstream f(path);
  if (!f) throw model::ModelError(path + ": cannot open file");
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(f);
  } catch (const std::exception& e) {
    throw model::ModelError(path + ": not valid JSON (" + e.what() + ")");
  }
  const std::string q = "\"" + key + "\"";
  if (!j.is_object() || !j.contains(key) || !j[key].is_array())
    throw model::ModelError(path + ": expected an object with " + q + ": [[...], ...]");
  std::vector<std::vector<float>> out;
  for (const auto& row : j[key]) {
    if (!row.is_array())
      throw model::ModelError(path + ": each entry of " + q + " must be a list of numbers");
    std::vector<float> v;
    v.reserve(row.size());
    for (const auto& x : row) {
      if (!x.is_number()) throw model::ModelError(path + ": " + q + " holds a non-number");
      v.push_back(x.get<float>());
    }
    out.push_back(std::move(v));
  }
  return out;
}

void write_outputs(const std::string& path, const std::vector<std::vector<float>>& outs) {
  if (path.size() > 4 && path.compare(path.size() - 4, 4, ".npy") == 0) {
    if (outs.size() != 1)
      throw FormatError(path + ": .npy holds one output; this model has " +
                        std::to_string(outs.size()));
    write_file(path, write_npy(outs[0], {static_cast<int64_t>(outs[0].size())}));
    return;
  }
  nlohmann::json j;
  j["output_data"] = outs;
  write_text_file(path, j.dump() + "\n");
}

std::string read_text_file(const std::string& path) {
  auto b = read_file(path);
  return std::string(b.begin(), b.end());
}

void write_text_file(const std::string& path, const std::string& text) {
  std::ofstream f(path);
  if (!f || !(f << text)) throw FormatError(path + ": cannot write file");
}

}  // namespace zk::proof
