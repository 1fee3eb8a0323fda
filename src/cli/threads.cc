#include "cli/threads.h"

#include <cstdlib>
#include <cstring>

#include "field/parallel.h"

namespace zk::cli {

namespace {

// A positive integer up to kMaxThreads, else nullopt.
std::optional<unsigned> parse_count(const char* s) {
  if (!s || !*s || *s == '-' || *s == '+') return std::nullopt;
  char* end = nullptr;
  unsigned long v = std::strtoul(s, &end, 10);
  if (*end != '\0' || v < 1 || v > kMaxThreads) return std::nullopt;
  return static_cast<unsigned>(v);
}

std::string bad_value(const std::string& what, const char* value) {
  return what + " must be a whole number from 1 to " + std::to_string(kMaxThreads) + ", not '" +
         value + "'";
}

}  // namespace

ThreadOption take_thread_option(std::vector<char*>& args) {
  ThreadOption out;
  for (size_t i = 2; i < args.size(); ++i) {
    const char* value = nullptr;
    size_t taken = 0;
    if (std::strcmp(args[i], "--threads") == 0) {
      if (i + 1 >= args.size()) {
        out.error = "option --threads needs a value";
        return out;
      }
      value = args[i + 1];
      taken = 2;
    } else if (std::strncmp(args[i], "--threads=", 10) == 0) {
      value = args[i] + 10;
      taken = 1;
    } else {
      continue;
    }
    out.threads = parse_count(value);
    if (!out.threads) {
      out.error = bad_value("--threads", value);
      return out;
    }
    args.erase(args.begin() + static_cast<std::ptrdiff_t>(i),
               args.begin() + static_cast<std::ptrdiff_t>(i + taken));
    --i;
  }
  if (!out.threads)
    if (const char* env = std::getenv("ZKINFER_THREADS"); env && !parse_count(env))
      out.error = bad_value("ZKINFER_THREADS", env);
  return out;
}

ScopedThreads::ScopedThreads(std::optional<unsigned> n) : previous_(num_threads()) {
  if (!n) return;
  set_num_threads(*n);
  set_ = true;
}

ScopedThreads::~ScopedThreads() {
  if (set_) set_num_threads(previous_);
}

}  // namespace zk::cli
