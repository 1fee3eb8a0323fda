#include "field/progress.h"

#include <algorithm>
#include <utility>

namespace zk {

namespace {
thread_local ProgressFn sink;
}

ScopedProgress::ScopedProgress(ProgressFn fn) : previous_(std::exchange(sink, std::move(fn))) {}

ScopedProgress::~ScopedProgress() { sink = std::move(previous_); }

void report_progress(std::string_view phase, double fraction) {
  if (sink) sink(phase, std::clamp(fraction, 0.0, 1.0));
}

}  // namespace zk
