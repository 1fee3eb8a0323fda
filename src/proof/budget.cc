#include "proof/budget.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "proof/tensor_io.h"

namespace zk::proof {

namespace {

bool has_budget(const ProvingKey& pk) {
  return pk.circuit.weight_vis == circuit::Visibility::kCommitted;
}

std::string hex(const Digest& d) {
  static const char* k = "0123456789abcdef";
  std::string s;
  for (uint8_t b : d) {
    s += k[b >> 4];
    s += k[b & 15];
  }
  return s;
}

// The file: "zkinfer proof budget v1", the weight commitment it counts for,
// the proofs made and the maximum, one per line.
std::string render(const Digest& root, const Budget& b) {
  std::ostringstream o;
  o << "zkinfer proof budget v1\n" << hex(root) << "\n" << b.used << "\n" << b.max << "\n";
  return o.str();
}

void write(const std::string& path, const Digest& root, const Budget& b) {
  std::string text = render(root, b);
  write_file_atomic(path, text.data(), text.size(), FileMode::kSecret);
}

// An exclusive lock on the proving key for the counter's read-modify-write,
// so that two provers cannot both take the last proof.
class KeyLock {
 public:
  explicit KeyLock(const std::string& pk_path) : fd_(::open(pk_path.c_str(), O_RDONLY)) {
    if (fd_ < 0 || ::flock(fd_, LOCK_EX) != 0)
      throw BudgetError(pk_path + ": cannot lock the proving key to count the proof");
  }
  ~KeyLock() {
    if (fd_ >= 0) ::close(fd_);  // releases the lock
  }
  KeyLock(const KeyLock&) = delete;
  KeyLock& operator=(const KeyLock&) = delete;

 private:
  int fd_;
};

}  // namespace

std::string budget_path(const std::string& pk_path) { return pk_path + ".used"; }

void start_budget(const std::string& pk_path, const ProvingKey& pk) {
  if (!has_budget(pk)) {
    remove_outputs({budget_path(pk_path)});
    return;
  }
  write(budget_path(pk_path), pk.commitment.tree.root(), {0, pk.circuit.weight_proofs});
}

Budget reserve_proof(const std::string& pk_path, const ProvingKey& pk) {
  if (!has_budget(pk)) return {};
  const std::string path = budget_path(pk_path);
  const Digest root = pk.commitment.tree.root();
  KeyLock lock(pk_path);
  std::ifstream f(path);
  if (!f)
    throw BudgetError(path + ": the proof counter of this committed-weights key is missing; it " +
                      "is written by setup next to the key and must travel with it (run setup " +
                      "again for a fresh key)");
  std::string magic, id;
  int64_t used = -1, max = -1;
  std::getline(f, magic);
  f >> id >> used >> max;
  if (magic != "zkinfer proof budget v1" || !f || used < 0 || max < 1 || used > max)
    throw BudgetError(path + ": not a valid proof counter");
  if (id != hex(root) || static_cast<uint32_t>(max) != pk.circuit.weight_proofs)
    throw BudgetError(path + ": the proof counter belongs to another proving key");
  Budget b{static_cast<uint32_t>(used), static_cast<uint32_t>(max)};
  if (b.used >= b.max)
    throw BudgetError(
        pk_path + ": this setup's weight commitment has been used for all " +
        std::to_string(b.max) + " proofs it keeps the weights hidden for; another proof would " +
        "let anyone recover the committed weights (docs/SECURITY.md). Run setup again for a " +
        "fresh commitment (a new model id), or compile with a larger --max-proofs");
  ++b.used;
  write(path, root, b);
  return b;
}

}  // namespace zk::proof
