// How far a long computation is, for whoever shows it (the command line's
// progress line, a Python callback): the caller installs a sink for the
// current thread; the prover and setup report each phase as it starts, with
// the fraction of the whole already done. Nothing is reported without one.
#pragma once

#include <functional>
#include <string_view>

namespace zk {

using ProgressFn = std::function<void(std::string_view phase, double fraction)>;

// Installs `fn` for this thread until destroyed (restoring the previous one).
class ScopedProgress {
 public:
  explicit ScopedProgress(ProgressFn fn);
  ~ScopedProgress();
  ScopedProgress(const ScopedProgress&) = delete;
  ScopedProgress& operator=(const ScopedProgress&) = delete;

 private:
  ProgressFn previous_;
};

// Calls this thread's sink, if any (fraction in [0, 1]).
void report_progress(std::string_view phase, double fraction);

}  // namespace zk
