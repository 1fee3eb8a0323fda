// .npy input and output files.
#include "proof/npy.h"

#include <gtest/gtest.h>

#include <cstring>

#include "model/graph.h"

namespace zk::proof {
namespace {

std::vector<uint8_t> npy(const std::string& descr, const std::string& shape,
                         const std::vector<uint8_t>& payload, bool fortran = false) {
  std::string header = "{'descr': '" + descr +
                       "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': (" +
                       shape + "), }\n";
  std::string prefix("\x93NUMPY\x01\x00", 8);
  prefix += static_cast<char>(header.size());
  prefix += '\0';
  std::string all = prefix + header;
  std::vector<uint8_t> out(all.begin(), all.end());
  for (uint8_t b : payload) out.push_back(b);
  return out;
}

template <typename T>
std::vector<uint8_t> bytes_of(const std::vector<T>& v) {
  std::vector<uint8_t> b(v.size() * sizeof(T));
  std::memcpy(b.data(), v.data(), b.size());
  return b;
}

TEST(Npy, WriteThenReadRoundTrips) {
  std::vector<float> v{1.5f, -2.25f, 0.0f, 3e-5f};
  auto b = write_npy(v, {2, 2});
  EXPECT_TRUE(is_npy(b));
  EXPECT_EQ((b.size() - v.size() * 4) % 64, 0u);  // header padded to 64 bytes
  EXPECT_EQ(read_npy(b, "x.npy"), v);
}

TEST(Npy, ReadsOtherDtypesAsFloats) {
  EXPECT_EQ(read_npy(npy("<f8", "3,", bytes_of(std::vector<double>{0.5, -1, 2})), "a"),
            (std::vector<float>{0.5f, -1.0f, 2.0f}));
  EXPECT_EQ(read_npy(npy("|i1", "1, 3", bytes_of(std::vector<int8_t>{-3, 0, 7})), "a"),
            (std::vector<float>{-3.0f, 0.0f, 7.0f}));
  EXPECT_EQ(read_npy(npy("<u2", "2,", bytes_of(std::vector<uint16_t>{65535, 1})), "a"),
            (std::vector<float>{65535.0f, 1.0f}));
  EXPECT_EQ(read_npy(npy("<i8", "2,", bytes_of(std::vector<int64_t>{-5, 9})), "a"),
            (std::vector<float>{-5.0f, 9.0f}));
}

TEST(Npy, MalformedFilesGiveClearErrors) {
  auto good = npy("<f4", "2,", bytes_of(std::vector<float>{1, 2}));
  auto expect_error = [](const std::vector<uint8_t>& b, const std::string& phrase) {
    try {
      read_npy(b, "in.npy");
      ADD_FAILURE() << "accepted";
    } catch (const model::ModelError& e) {
      EXPECT_NE(std::string(e.what()).find(phrase), std::string::npos) << e.what();
    }
  };
  expect_error(std::vector<uint8_t>(good.begin(), good.end() - 1), "truncated data");
  expect_error(std::vector<uint8_t>(good.begin(), good.begin() + 12), "truncated header");
  expect_error(npy(">f4", "2,", bytes_of(std::vector<float>{1, 2})), "big-endian");
  expect_error(npy("<f4", "2,", bytes_of(std::vector<float>{1, 2}), true), "Fortran");
  expect_error(npy("<c8", "1,", std::vector<uint8_t>(8)), "no dtype");
  expect_error(npy("<f2", "1,", std::vector<uint8_t>(2)), "unsupported dtype");
  expect_error(npy("<f4", "4294967296, 4294967296", {}), "too large");
  std::vector<uint8_t> v9 = good;
  v9[6] = 9;
  expect_error(v9, "format version");
}

}  // namespace
}  // namespace zk::proof
