#include "field/parallel.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <exception>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace zk {

unsigned default_num_threads() {
  if (const char* env = std::getenv("ZKINFER_THREADS")) {
    char* end = nullptr;
    unsigned long v = std::strtoul(env, &end, 10);
    if (end != env && *end == '\0' && v >= 1)
      return static_cast<unsigned>(std::min<unsigned long>(v, kMaxThreads));
  }
  return std::clamp(std::thread::hardware_concurrency(), 1u, kMaxThreads);
}

namespace {

std::atomic<unsigned>& thread_setting() {
  static std::atomic<unsigned> n{default_num_threads()};
  return n;
}

// One batch of tasks. Workers hold it by shared_ptr: one that wakes late sees
// every index taken and never touches a finished batch's task.
struct Job {
  const std::function<void(unsigned)>* task;
  unsigned count;
  std::atomic<unsigned> next{0}, done{0};
  std::exception_ptr error;
  std::mutex error_mutex;
};

class ThreadPool {
 public:
  ThreadPool() = default;
  ~ThreadPool() {
    {
      std::lock_guard lk(m_);
      stop_ = true;
    }
    wake_.notify_all();
    for (auto& t : threads_) t.join();
  }

  void run(unsigned tasks, const std::function<void(unsigned)>& task) {
    if (tasks == 0) return;
    if (busy_.exchange(true)) {  // nested or concurrent: inline, in order
      for (unsigned k = 0; k < tasks; ++k) task(k);
      return;
    }
    try {
      grow(tasks - 1);
    } catch (...) {
      busy_.store(false);
      throw;
    }
    auto job = std::make_shared<Job>();
    job->task = &task;
    job->count = tasks;
    {
      std::lock_guard lk(m_);
      job_ = job;
      ++generation_;
    }
    wake_.notify_all();
    drain(*job);
    spin_until([&] { return job->done.load() == job->count; });
    {
      std::unique_lock lk(m_);
      done_.wait(lk, [&] { return job->done.load() == job->count; });
      job_.reset();
    }
    busy_.store(false);
    if (job->error) std::rethrow_exception(job->error);
  }

 private:
  // Starts workers until there are `workers` (only the pool's one caller at a
  // time gets here: busy_ is held).
  void grow(unsigned workers) {
    while (threads_.size() < workers) threads_.emplace_back([this] { work(); });
  }

  void work() {
    uint64_t seen = 0;
    for (;;) {
      spin_until([&] { return stop_.load() || generation_.load() != seen; });
      std::shared_ptr<Job> job;
      {
        std::unique_lock lk(m_);
        wake_.wait(lk, [&] { return stop_ || (generation_ != seen && job_); });
        if (stop_) return;
        seen = generation_;
        job = job_;
      }
      drain(*job);
    }
  }

  void drain(Job& job) {
    for (unsigned k; (k = job.next.fetch_add(1)) < job.count;) {
      try {
        (*job.task)(k);
      } catch (...) {
        std::lock_guard lk(job.error_mutex);
        if (!job.error) job.error = std::current_exception();
      }
      if (job.done.fetch_add(1) + 1 == job.count) {
        std::lock_guard lk(m_);
        done_.notify_all();
      }
    }
  }

  // Parallel loops come in quick succession (a sumcheck's rounds): a thread
  // that would sleep first polls for up to kSpin, as waking from a condition
  // variable takes longer than a small loop's chunk. The waits that follow
  // are unchanged, so this only trades a little CPU time for latency.
  template <typename Pred>
  static void spin_until(Pred&& done) {
    constexpr auto kSpin = std::chrono::microseconds(50);
    auto until = std::chrono::steady_clock::now() + kSpin;
    for (unsigned i = 1; !done(); ++i) {
#if defined(__x86_64__) || defined(__i386__)
      __builtin_ia32_pause();
#endif
      if (i % 64 == 0 && std::chrono::steady_clock::now() > until) return;
    }
  }

  std::mutex m_;
  std::condition_variable wake_, done_;
  std::shared_ptr<Job> job_;
  std::atomic<uint64_t> generation_{0};
  std::atomic<bool> stop_{false};
  std::atomic<bool> busy_{false};
  std::vector<std::thread> threads_;
};

}  // namespace

unsigned num_threads() { return thread_setting().load(std::memory_order_relaxed); }

void set_num_threads(unsigned n) {
  if (n > kMaxThreads)
    throw std::invalid_argument("thread count " + std::to_string(n) + " is above the limit " +
                                std::to_string(kMaxThreads));
  thread_setting().store(n == 0 ? default_num_threads() : n);
}

void run_on_pool(unsigned tasks, const std::function<void(unsigned)>& task) {
  static ThreadPool pool;
  pool.run(tasks, task);
}

}  // namespace zk
