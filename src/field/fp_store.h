// A read-only array of field elements that is either owned (made by a
// commit) or a view into memory someone else keeps alive (a proving key
// mapped from disk, pages read only when touched). Copies share the data.
#pragma once

#include <memory>
#include <span>
#include <vector>

#include "field/goldilocks.h"

namespace zk {

class FpStore {
 public:
  FpStore() = default;
  // Takes the values.
  explicit FpStore(std::vector<Fp> values) {
    auto v = std::make_shared<const std::vector<Fp>>(std::move(values));
    data_ = v->data();
    size_ = v->size();
    keep_ = std::move(v);
  }
  // A view of `size` elements at `data`, valid while `keep` lives.
  FpStore(const Fp* data, size_t size, std::shared_ptr<const void> keep)
      : keep_(std::move(keep)), data_(data), size_(size) {}

  const Fp* data() const { return data_; }
  size_t size() const { return size_; }
  const Fp& operator[](size_t i) const { return data_[i]; }
  std::span<const Fp> span() const { return {data_, size_}; }

 private:
  std::shared_ptr<const void> keep_;
  const Fp* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace zk
