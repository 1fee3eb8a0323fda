#include "field/parallel.h"

#include <atomic>
#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace zk {

unsigned num_threads() {
  static unsigned n = std::max(1u, std::min(8u, std::thread::hardware_concurrency()));
  return n;
}

namespace {

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
  explicit ThreadPool(unsigned workers) {
    for (unsigned i = 0; i < workers; ++i) threads_.emplace_back([this] { work(); });
  }
  ~ThreadPool() {
    {
      std::lock_guard lk(m_);
      stop_ = true;
    }
    wake_.notify_all();
    for (auto& t : threads_) t.join();
  }

  void run(unsigned tasks, const std::function<void(unsigned)>& task) {
    if (busy_.exchange(true)) {  // nested or concurrent: inline, in order
      for (unsigned k = 0; k < tasks; ++k) task(k);
      return;
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
    {
      std::unique_lock lk(m_);
      done_.wait(lk, [&] { return job->done.load() == job->count; });
      job_.reset();
    }
    busy_.store(false);
    if (job->error) std::rethrow_exception(job->error);
  }

 private:
  void work() {
    uint64_t seen = 0;
    for (;;) {
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

  std::mutex m_;
  std::condition_variable wake_, done_;
  std::shared_ptr<Job> job_;
  uint64_t generation_ = 0;
  bool stop_ = false;
  std::atomic<bool> busy_{false};
  std::vector<std::thread> threads_;
};

}  // namespace

void run_on_pool(unsigned tasks, const std::function<void(unsigned)>& task) {
  static ThreadPool pool(num_threads() - 1);
  pool.run(tasks, task);
}

}  // namespace zk
