// The user's tensor files: JSON {"input_data": [[...], ...]} or
// {"output_data": [[...]]} (per tensor a list of floats, flat row-major or
// nested as numpy's tolist() writes it; other keys ignored), a NumPy .npy
// array (one tensor) or a .npz archive (one array per tensor, in order).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <vector>

namespace zk::proof {

// Flat row-major values per tensor. Throws model::ModelError naming the file,
// the tensor and the problem (a ragged nesting, a non-number, a non-finite
// value and its index: Python's json writes bare NaN and Infinity).
// Implemented in tensor_read.cc.
std::vector<std::vector<float>> read_tensors(const std::string& path, const std::string& key);
// Calibration samples, concatenated per model input: a file read_inputs
// reads (samples already concatenated, or .npy/.npz arrays with a leading
// sample axis), or a JSON list of samples, each an {"input_data": ...} object
// or one (nested) list for a model of one input.
std::vector<std::vector<float>> read_calibration(const std::string& path);
inline std::vector<std::vector<float>> read_inputs(const std::string& path) {
  return read_tensors(path, "input_data");
}
inline std::vector<std::vector<float>> read_outputs(const std::string& path) {
  return read_tensors(path, "output_data");
}
// Who may read a file zkinfer writes. Proving keys, opening files, and any
// file holding a hidden tensor (the weights of a compiled model whose weights
// are not public, an output that is not public) are secret.
enum class FileMode {
  kShared,  // 0666 less the umask (usually 0644)
  kSecret,  // 0600: the owner only, whatever the umask
};

// Every output is written to a temporary file in the destination's directory,
// then renamed over the destination: the destination holds either what it
// held before or the new content in full, never a partial file. On failure
// the temporary is removed and FormatError names the path and the reason.
// A SIGINT or SIGTERM during the write removes the temporary too (the
// handlers are installed on the first write; they then re-raise the signal).
void write_file_atomic(const std::string& path, const void* data, size_t size,
                       FileMode mode = FileMode::kShared);
// The same for a file written from several parts in turn.
void write_file_atomic(const std::string& path,
                       std::initializer_list<std::span<const uint8_t>> parts, FileMode mode);

// Removes each of `paths` that exists (not directories), so that a command
// that fails, or is interrupted, after this leaves no stale output of an
// earlier run where its own was to go. FormatError when one cannot be removed.
void remove_outputs(const std::vector<std::string>& paths);

// The files one command writes, as a unit. Constructing it removes an
// earlier run's files at those paths (remove_outputs); until commit(), a
// failure (the destructor) or a SIGINT, SIGTERM or SIGHUP removes every one
// of them: a failed or interrupted command leaves none, never a stale file
// nor a proving key without its verifying key. One set at a time per
// process (the signal handler's storage is static).
class OutputSet {
 public:
  explicit OutputSet(std::vector<std::string> paths);
  ~OutputSet();
  OutputSet(const OutputSet&) = delete;
  OutputSet& operator=(const OutputSet&) = delete;
  void commit();

 private:
  std::vector<std::string> paths_;
  bool done_ = false;
};

// A tensor with its name and shape, for writing.
struct NamedTensor {
  std::string name;
  std::vector<int64_t> shape;
  std::vector<float> values;
};
// JSON {"output_data": [[...], ...]} (flat), or by the path's extension .npy
// (one tensor, in its shape; FormatError naming the count otherwise) or .npz
// (one array per tensor, named after it). Written atomically.
void write_outputs(const std::string& path, const std::vector<NamedTensor>& outs,
                   FileMode mode = FileMode::kShared);

// Whole text files (FormatError when they cannot be read or written); writes
// are atomic.
std::string read_text_file(const std::string& path);
void write_text_file(const std::string& path, const std::string& text,
                     FileMode mode = FileMode::kShared);

}  // namespace zk::proof
