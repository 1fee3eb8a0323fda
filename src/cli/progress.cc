#include "cli/progress.h"

#include <unistd.h>

#include <cstdio>

namespace zk::cli {

namespace {
// Work shorter than this shows no line on a terminal.
constexpr auto kQuietFor = std::chrono::milliseconds(1000);
constexpr auto kRedraw = std::chrono::milliseconds(250);
}  // namespace

ProgressLine::ProgressLine(std::ostream& err, Mode mode, std::string what)
    : err_(err),
      tty_(isatty(2) != 0),
      on_(mode == Mode::kAlways || (mode == Mode::kAuto && tty_)),
      what_(std::move(what)),
      t0_(std::chrono::steady_clock::now()),
      sink_(
          [this](std::string_view phase, double fraction) { step(std::string(phase), fraction); }) {
  if (on_ && tty_) ticker_ = std::thread([this] { tick(); });
}

ProgressLine::~ProgressLine() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (ticker_.joinable()) ticker_.join();
  if (on_ && tty_ && drawn_) err_ << "\r\033[K" << std::flush;
}

void ProgressLine::step(const std::string& phase, double fraction) {
  if (!on_) return;
  std::lock_guard<std::mutex> lock(mu_);
  phase_ = phase;
  fraction_ = fraction;
  // Piped (--progress): one line per phase, as it starts.
  if (!tty_) draw(true);
}

// Called with mu_ held.
void ProgressLine::draw(bool final_line) {
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count();
  char buf[64];
  std::snprintf(buf, sizeof buf, " %3d%%  %.1f s", static_cast<int>(fraction_ * 100 + 0.5), s);
  if (!final_line) err_ << "\r\033[K";
  err_ << what_ << ": " << phase_ << buf << (final_line ? "\n" : "") << std::flush;
  drawn_ = true;
}

void ProgressLine::tick() {
  std::unique_lock<std::mutex> lock(mu_);
  if (cv_.wait_for(lock, kQuietFor, [this] { return stop_; })) return;
  while (!stop_) {
    if (!phase_.empty()) draw(false);
    cv_.wait_for(lock, kRedraw, [this] { return stop_; });
  }
}

}  // namespace zk::cli
