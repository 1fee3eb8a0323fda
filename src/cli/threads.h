// The thread count of a zkinfer command: `--threads N` anywhere after the
// command name, else the ZKINFER_THREADS environment variable, else all the
// machine's cores (field/parallel.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace zk::cli {

struct ThreadOption {
  std::optional<unsigned> threads;  // the count asked for, if any
  std::string error;                // a bad value (a usage error), else empty
};

// Removes `--threads N` (and `--threads=N`) from args[2..] and returns N;
// checks ZKINFER_THREADS when no option is given.
ThreadOption take_thread_option(std::vector<char*>& args);

// Sets the pool's thread count for one command and restores the previous
// count when it ends (the command line also runs in-process, in tests).
class ScopedThreads {
 public:
  explicit ScopedThreads(std::optional<unsigned> n);
  ~ScopedThreads();
  ScopedThreads(const ScopedThreads&) = delete;
  ScopedThreads& operator=(const ScopedThreads&) = delete;

 private:
  unsigned previous_;
  bool set_ = false;
};

}  // namespace zk::cli
