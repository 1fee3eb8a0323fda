// Reading the user's tensor files: JSON (flat or nested rows, Python's bare
// NaN and Infinity explained), .npy and .npz, and calibration samples.
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "model/graph.h"
#include "proof/files.h"
#include "proof/npy.h"
#include "proof/npz.h"
#include "proof/tensor_io.h"

namespace zk::proof {

namespace {

using model::ModelError;
using nlohmann::json;

// Python's json module writes NaN, Infinity and -Infinity as bare tokens,
// which JSON does not have: they are turned into strings with this prefix,
// so that the reader can say which tensor and index holds them. (A char
// array: a global std::string would make this object the one the linker
// pulls for std::string's destructor.)
constexpr char kNonFinite[] = "zkinfer:non-finite:";
constexpr size_t kNonFiniteLen = sizeof kNonFinite - 1;

size_t bare_token(const std::string& text, size_t i, std::string& out) {
  for (const char* tok : {"-Infinity", "Infinity", "NaN"}) {
    const size_t n = std::strlen(tok);
    if (text.compare(i, n, tok) == 0) {
      out += std::string("\"") + kNonFinite + tok + "\"";
      return n;
    }
  }
  return 0;
}

std::string mark_non_finite(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  bool in_string = false, escaped = false;
  for (size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
      out += c;
      ++i;
      continue;
    }
    if (const size_t n = bare_token(text, i, out)) {
      i += n;
      continue;
    }
    in_string = c == '"';
    out += c;
    ++i;
  }
  return out;
}

json parse_json(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw ModelError(path + ": is a directory, not a file");
  std::ifstream f(path, std::ios::binary);
  if (!f) throw ModelError(path + ": cannot open file");
  const std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    // Perhaps Python's NaN or Infinity: then the marked text parses.
    try {
      return json::parse(mark_non_finite(text));
    } catch (const std::exception&) {
    }
    // nlohmann's message quotes the raw bytes it read; the position is enough.
    throw ModelError(path + ": not valid JSON (syntax error at byte " + std::to_string(e.byte) +
                     ")");
  } catch (const std::exception&) {
    throw ModelError(path + ": not valid JSON");
  }
}

[[noreturn]] void non_finite(const std::string& where, size_t i, const std::string& value) {
  throw ModelError(where + ": non-finite value at index " + std::to_string(i) +
                   " of the flattened tensor (" + value +
                   "); zkinfer needs finite numbers (Python's json writes NaN and Infinity for "
                   "float('nan') and float('inf'))");
}

// One tensor's (possibly nested) list, flattened row-major; the nesting must
// be rectangular, as numpy's tolist() writes it.
class Flattener {
 public:
  explicit Flattener(std::string where) : where_(std::move(where)) {}
  std::vector<float> take(const json& x) {
    walk(x, 0);
    return std::move(v_);
  }

 private:
  [[noreturn]] void ragged(size_t depth) const {
    throw ModelError(where_ + ": nested lists of different lengths or depths at depth " +
                     std::to_string(depth) + " (a tensor's nested lists must be rectangular)");
  }
  void walk(const json& x, size_t depth) {
    if (x.is_array()) {
      if (leaf_ >= 0 && depth >= static_cast<size_t>(leaf_)) ragged(depth);
      if (shape_.size() == depth)
        shape_.push_back(x.size());
      else if (shape_[depth] != x.size())
        ragged(depth);
      for (const auto& y : x) walk(y, depth + 1);
      return;
    }
    if (leaf_ < 0) leaf_ = static_cast<int>(depth);
    if (static_cast<size_t>(leaf_) != depth || shape_.size() != depth) ragged(depth);
    if (x.is_string() && x.get_ref<const std::string&>().rfind(kNonFinite, 0) == 0)
      non_finite(where_, v_.size(), x.get_ref<const std::string&>().substr(kNonFiniteLen));
    if (!x.is_number())
      throw ModelError(where_ + " holds a non-number (" + std::string(x.type_name()) +
                       ") at index " + std::to_string(v_.size()));
    const float f = x.get<float>();
    if (!std::isfinite(f)) non_finite(where_, v_.size(), x.dump() + ", beyond a 32-bit float");
    v_.push_back(f);
  }

  std::string where_;
  std::vector<size_t> shape_;
  int leaf_ = -1;
  std::vector<float> v_;
};

std::string group_of(const std::string& key) { return key == "output_data" ? "output" : "input"; }

// {"input_data": [tensor, ...]}: one (flat or nested) list per tensor.
std::vector<std::vector<float>> rows_of(const json& j, const std::string& where,
                                        const std::string& key) {
  const std::string q = "\"" + key + "\"";
  if (!j.is_object() || !j.contains(key) || !j[key].is_array())
    throw ModelError(where + ": expected an object with " + q + ": [[...], ...]");
  std::vector<std::vector<float>> out;
  for (const auto& row : j[key]) {
    const std::string tensor = where + ": " + group_of(key) + " " + std::to_string(out.size());
    if (!row.is_array())
      throw ModelError(tensor + ": each entry of " + q +
                       " must be a list of numbers (flat or nested), one per model " +
                       group_of(key));
    out.push_back(Flattener(tensor).take(row));
  }
  return out;
}

void check_finite(std::vector<float>& v, const std::string& where) {
  for (size_t i = 0; i < v.size(); ++i)
    if (!std::isfinite(v[i])) non_finite(where, i, std::isnan(v[i]) ? "NaN" : "infinity");
}

// .npz: one array per tensor, in the archive's order.
std::vector<std::vector<float>> read_npz_file(const std::vector<uint8_t>& bytes,
                                              const std::string& path, const std::string& key) {
  std::vector<std::vector<float>> out;
  for (auto& e : read_zip(bytes, path)) {
    const std::string where =
        path + ": " + group_of(key) + " " + std::to_string(out.size()) + " ('" + e.name + "')";
    out.push_back(read_npy(e.bytes, where));
    check_finite(out.back(), where);
  }
  if (out.empty()) throw ModelError(path + ": the .npz archive holds no arrays");
  return out;
}

// A list of samples: each an object like the whole file, or one nested list
// (a model of one input); concatenated per input.
std::vector<std::vector<float>> read_samples(const json& j, const std::string& path) {
  std::vector<std::vector<float>> out;
  for (size_t s = 0; s < j.size(); ++s) {
    const std::string where = path + ": sample " + std::to_string(s);
    std::vector<std::vector<float>> rows;
    if (j[s].is_array())
      rows.push_back(Flattener(where + ": input 0").take(j[s]));
    else if (j[s].is_object())
      rows = rows_of(j[s], where, "input_data");
    else
      throw ModelError(where +
                       ": each sample must be an {\"input_data\": [...]} object or a "
                       "(nested) list of numbers");
    if (s == 0) out.resize(rows.size());
    if (rows.size() != out.size())
      throw ModelError(where + ": " + std::to_string(rows.size()) + " inputs, sample 0 has " +
                       std::to_string(out.size()));
    for (size_t i = 0; i < rows.size(); ++i) {
      if (s > 0 && rows[i].size() * s != out[i].size())
        throw ModelError(where + ": input " + std::to_string(i) + " has " +
                         std::to_string(rows[i].size()) + " values, sample 0 has " +
                         std::to_string(out[i].size() / s));
      out[i].insert(out[i].end(), rows[i].begin(), rows[i].end());
    }
  }
  if (out.empty()) throw ModelError(path + ": the list of calibration samples is empty");
  return out;
}

std::vector<std::vector<float>> read_any(const std::string& path, const std::string& key,
                                         bool samples) {
  {
    std::ifstream probe(path, std::ios::binary);
    std::vector<uint8_t> magic(6);
    if (probe.read(reinterpret_cast<char*>(magic.data()), 6)) {
      if (magic[0] == 0x93 && std::memcmp(magic.data() + 1, "NUMPY", 5) == 0) {
        auto v = read_npy(read_file(path), path);
        check_finite(v, path + ": " + group_of(key) + " 0");
        return {std::move(v)};
      }
      if (is_zip(magic)) return read_npz_file(read_file(path), path, key);
    }
  }
  const json j = parse_json(path);
  if (samples && j.is_array()) return read_samples(j, path);
  return rows_of(j, path, key);
}

}  // namespace

std::vector<std::vector<float>> read_tensors(const std::string& path, const std::string& key) {
  return read_any(path, key, false);
}

std::vector<std::vector<float>> read_calibration(const std::string& path) {
  return read_any(path, "input_data", true);
}

}  // namespace zk::proof
