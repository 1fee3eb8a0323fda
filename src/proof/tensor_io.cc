#include "proof/tensor_io.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>

#include "field/parallel.h"
#include "proof/files.h"
#include "proof/npy.h"
#include "proof/npz.h"

namespace zk::proof {

namespace {

// The temporary file being written, for the signal handler to remove: a
// fixed buffer, since a handler may not allocate. zkinfer writes its outputs
// one after the other, so one slot is enough.
char g_temp[4096];
volatile std::sig_atomic_t g_temp_live = 0;
// The current OutputSet's paths, for the same reason.
constexpr int kMaxSetPaths = 8;
char g_set[kMaxSetPaths][4096];
volatile std::sig_atomic_t g_set_count = 0;

extern "C" void remove_temp_and_reraise(int sig) {
  if (g_temp_live) ::unlink(g_temp);
  for (int i = 0; i < g_set_count; ++i) ::unlink(g_set[i]);
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

// Only where the signal's disposition is the default: a caller's own handler
// (or an ignored signal) is left alone.
void install_signal_cleanup() {
  static std::once_flag once;
  std::call_once(once, [] {
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
      struct sigaction old {};
      if (::sigaction(sig, nullptr, &old) != 0 || old.sa_handler != SIG_DFL) continue;
      struct sigaction sa {};
      sa.sa_handler = remove_temp_and_reraise;
      sigemptyset(&sa.sa_mask);
      ::sigaction(sig, &sa, nullptr);
    }
  });
}

// n bytes at file offset `at`.
bool pwrite_all(int fd, const uint8_t* p, size_t n, off_t at) {
  while (n > 0) {
    ssize_t w = ::pwrite(fd, p, n, at);
    if (w < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    p += w;
    n -= static_cast<size_t>(w);
    at += w;
  }
  return true;
}

// Large parts (a proving key's encoded weights) are written by the pool's
// threads, each its own range: the kernel's copy into the page cache is the
// cost, and it runs on every core.
bool write_part(int fd, const uint8_t* p, size_t n, off_t at) {
  constexpr size_t kChunk = size_t{64} << 20;
  if (n < 2 * kChunk) return pwrite_all(fd, p, n, at);
  std::atomic<int> err{0};
  parallel_chunks(n, kChunk, [&](size_t b, size_t e, unsigned) {
    if (!pwrite_all(fd, p + b, e - b, at + static_cast<off_t>(b))) err = errno ? errno : EIO;
  });
  if (err) errno = err;  // for the caller's message (the failing thread's errno)
  return err == 0;
}

// A fresh temporary beside `path` (O_EXCL: never another process's file),
// created with `perm` less the umask; -1 with errno set on failure.
int create_temp(const std::filesystem::path& path, mode_t perm, std::string& tmp) {
  static std::atomic<unsigned> counter{0};
  const auto dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  const std::string base =
      "." + path.filename().string().substr(0, 200) + ".tmp-" + std::to_string(::getpid()) + "-";
  for (int attempt = 0; attempt < 100; ++attempt) {
    tmp = (dir / (base + std::to_string(counter++))).string();
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, perm);
    if (fd >= 0 || errno != EEXIST) return fd;
  }
  return -1;
}

}  // namespace

void write_file_atomic(const std::string& path, const void* data, size_t size, FileMode mode) {
  write_file_atomic(path, {std::span<const uint8_t>(static_cast<const uint8_t*>(data), size)},
                    mode);
}

void write_file_atomic(const std::string& path,
                       std::initializer_list<std::span<const uint8_t>> parts, FileMode mode) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw FormatError(path + ": is a directory, not a file; cannot write it");
  install_signal_cleanup();
  std::string tmp;
  int fd = create_temp(path, mode == FileMode::kSecret ? 0600 : 0666, tmp);
  if (fd < 0) throw FormatError(path + ": cannot write file (" + std::strerror(errno) + ")");
  g_temp_live = 0;
  if (tmp.size() < sizeof g_temp) {
    std::memcpy(g_temp, tmp.c_str(), tmp.size() + 1);
    g_temp_live = 1;
  }
  bool ok = true;
  off_t at = 0;
  for (const auto& part : parts) {
    if (ok) ok = write_part(fd, part.data(), part.size(), at);
    at += static_cast<off_t>(part.size());
  }
  // fsync before rename: after a crash the destination is the old file or
  // the whole new one, not an empty file under the new name.
  if (ok) ok = ::fsync(fd) == 0;
  int err = errno;
  if (::close(fd) != 0 && ok) {
    ok = false;
    err = errno;
  }
  if (ok && ::rename(tmp.c_str(), path.c_str()) != 0) {
    ok = false;
    err = errno;
  }
  if (!ok) ::unlink(tmp.c_str());
  g_temp_live = 0;
  if (!ok) throw FormatError(path + ": cannot write file (" + std::strerror(err) + ")");
}

OutputSet::OutputSet(std::vector<std::string> paths) : paths_(std::move(paths)) {
  remove_outputs(paths_);
  install_signal_cleanup();
  g_set_count = 0;
  int n = 0;
  for (const auto& p : paths_)
    if (n < kMaxSetPaths && p.size() < sizeof g_set[0])
      std::memcpy(g_set[n++], p.c_str(), p.size() + 1);
  g_set_count = n;
}

OutputSet::~OutputSet() {
  g_set_count = 0;
  if (done_) return;
  try {
    remove_outputs(paths_);
  } catch (const Error&) {
    // The command's own error is the one to report.
  }
}

void OutputSet::commit() {
  g_set_count = 0;
  done_ = true;
}

void remove_outputs(const std::vector<std::string>& paths) {
  namespace fs = std::filesystem;
  for (const auto& p : paths) {
    std::error_code ec;
    auto st = fs::symlink_status(p, ec);
    if (ec || !fs::exists(st) || fs::is_directory(st)) continue;
    if (!fs::remove(p, ec) && ec)
      throw FormatError(p + ": cannot remove the earlier file there (" + ec.message() + ")");
  }
}

namespace {

bool ends_with(const std::string& s, const char* ext) {
  const size_t n = std::strlen(ext);
  return s.size() > n && s.compare(s.size() - n, n, ext) == 0;
}

// An archive entry's name: the tensor's where it is a plain file name.
std::string entry_name(const std::string& name, size_t i) {
  bool plain = !name.empty() && name.size() <= 100 && name[0] != '.';
  for (unsigned char c : name)
    plain = plain && (std::isalnum(c) || c == '_' || c == '-' || c == '.');
  return (plain ? name : "output_" + std::to_string(i)) + ".npy";
}

// The tensor's shape, or flat where the shape does not hold its values.
std::vector<int64_t> shape_of(const NamedTensor& t) {
  int64_t n = 1;
  for (auto d : t.shape) n *= d;
  if (n == static_cast<int64_t>(t.values.size())) return t.shape;
  return {static_cast<int64_t>(t.values.size())};
}

}  // namespace

void write_outputs(const std::string& path, const std::vector<NamedTensor>& outs, FileMode mode) {
  if (ends_with(path, ".npy")) {
    if (outs.size() != 1)
      throw FormatError(path + ": .npy holds one output; this model has " +
                        std::to_string(outs.size()) + " (write .npz for one array per output)");
    write_file(path, write_npy(outs[0].values, shape_of(outs[0])), mode);
    return;
  }
  if (ends_with(path, ".npz")) {
    std::vector<ZipEntry> entries;
    for (size_t i = 0; i < outs.size(); ++i)
      entries.push_back(
          {entry_name(outs[i].name, i), write_npy(outs[i].values, shape_of(outs[i]))});
    write_file(path, write_zip(entries), mode);
    return;
  }
  nlohmann::json j;
  j["output_data"] = nlohmann::json::array();
  for (const auto& o : outs) j["output_data"].push_back(o.values);
  write_text_file(path, j.dump() + "\n", mode);
}

std::string read_text_file(const std::string& path) {
  auto b = read_file(path);
  return std::string(b.begin(), b.end());
}

void write_text_file(const std::string& path, const std::string& text, FileMode mode) {
  write_file_atomic(path, text.data(), text.size(), mode);
}

}  // namespace zk::proof
