// The command line's live progress line: phase, percent and elapsed time,
// redrawn in place on a terminal for work that runs over about a second
// (the library reports phases through field/progress.h). Nothing when
// stderr is not a terminal unless --progress (then a line per phase);
// --quiet never shows it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>

#include "field/progress.h"

namespace zk::cli {

class ProgressLine {
 public:
  enum class Mode { kAuto, kAlways, kNever };
  ProgressLine(std::ostream& err, Mode mode, std::string what);
  ~ProgressLine();
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;
  // A step of the command itself (loading a key...), before the library's.
  void step(const std::string& phase, double fraction);

 private:
  void draw(bool final_line);
  void tick();

  std::ostream& err_;
  bool tty_, on_;
  std::string what_, phase_;
  double fraction_ = 0;
  bool drawn_ = false, stop_ = false;
  std::chrono::steady_clock::time_point t0_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::thread ticker_;
  ScopedProgress sink_;
};

}  // namespace zk::cli
