// Output files are written atomically (a temporary beside the destination,
// renamed into place) and secret ones readable by their owner only: an
// independent review found proving keys and openings written 0644 and
// interrupted writes leaving partial files.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "../support/cli_runner.h"
#include "proof/files.h"
#include "proof/tensor_io.h"

namespace zk::proof {
namespace {

namespace fs = std::filesystem;
using zk::testing::ScratchDir;

mode_t mode_of(const std::string& p) {
  struct stat st {};
  EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
  return st.st_mode & 0777;
}

mode_t current_umask() {
  mode_t m = ::umask(0);
  ::umask(m);
  return m;
}

std::string slurp(const std::string& p) {
  std::ifstream f(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

// Names in `dir` other than `keep`: leftover temporaries.
std::vector<std::string> others(const std::string& dir, const std::vector<std::string>& keep) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string n = e.path().filename().string();
    if (std::find(keep.begin(), keep.end(), n) == keep.end()) out.push_back(n);
  }
  return out;
}

// A file written from parts, one large enough to be written by the pool's
// threads in ranges: every byte lands where it belongs.
TEST(AtomicWrite, PartsLargeAndSmallLandInOrder) {
  ScratchDir d;
  std::vector<uint8_t> head(4097), big((size_t{130} << 20) + 12345), tail(3);
  for (size_t i = 0; i < head.size(); ++i) head[i] = static_cast<uint8_t>(i * 7);
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<uint8_t>((i >> 9) ^ (i * 13));
  tail = {1, 2, 3};
  const std::string path = d.path("parts.bin");
  write_file_atomic(path,
                    {std::span<const uint8_t>(head), std::span<const uint8_t>(big),
                     std::span<const uint8_t>(tail)},
                    FileMode::kSecret);
  auto back = read_file(path);
  ASSERT_EQ(back.size(), head.size() + big.size() + tail.size());
  EXPECT_TRUE(std::equal(head.begin(), head.end(), back.begin()));
  EXPECT_TRUE(std::equal(big.begin(), big.end(), back.begin() + head.size()));
  EXPECT_TRUE(std::equal(tail.begin(), tail.end(), back.end() - 3));
  EXPECT_EQ(mode_of(path), 0600u);
}

TEST(AtomicWrite, SecretFilesAreOwnerOnlyEvenOverAnOlderSharedFile) {
  ScratchDir d;
  const std::string p = d.path("key.pk");
  write_file(p, {1, 2, 3});
  EXPECT_EQ(mode_of(p), 0666 & ~current_umask());
  write_file(p, {4, 5}, FileMode::kSecret);
  EXPECT_EQ(mode_of(p), 0600u);
  EXPECT_EQ(slurp(p), std::string("\x04\x05", 2));
  write_text_file(d.path("open.json"), "{}\n", FileMode::kSecret);
  EXPECT_EQ(mode_of(d.path("open.json")), 0600u);
  write_outputs(d.path("out.json"), {{"y", {1}, {1.0f}}}, FileMode::kSecret);
  EXPECT_EQ(mode_of(d.path("out.json")), 0600u);
  write_outputs(d.path("out.npy"), {{"y", {1}, {1.0f}}}, FileMode::kSecret);
  EXPECT_EQ(mode_of(d.path("out.npy")), 0600u);
  EXPECT_TRUE(others(d.path(""), {"key.pk", "open.json", "out.json", "out.npy"}).empty());
}

// A write that fails half way (the file-size limit stops it after 1,000
// bytes, as a full disk would) leaves the earlier file whole and no partial
// or temporary file.
TEST(AtomicWrite, AFailedWriteLeavesTheOldFileAndNoPartialOne) {
  ScratchDir d;
  const std::string p = d.path("proof.bin");
  write_file(p, std::vector<uint8_t>(10, 7));
  struct rlimit old {};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &old), 0);
  auto old_xfsz = std::signal(SIGXFSZ, SIG_IGN);  // get EFBIG instead of the signal
  struct rlimit low = old;
  low.rlim_cur = 1000;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &low), 0);
  std::string msg;
  try {
    write_file(p, std::vector<uint8_t>(5000, 1));
  } catch (const FormatError& e) {
    msg = e.what();
  }
  ::setrlimit(RLIMIT_FSIZE, &old);
  std::signal(SIGXFSZ, old_xfsz);
  EXPECT_NE(msg.find(p + ": cannot write file"), std::string::npos) << msg;
  EXPECT_EQ(slurp(p), std::string(10, '\x07'));
  EXPECT_TRUE(others(d.path(""), {"proof.bin"}).empty());
}

// The destination cannot be replaced (a directory is there): an error naming
// it, nothing left behind.
TEST(AtomicWrite, ADirectoryInTheWayIsAnErrorAndLeavesNothing) {
  ScratchDir d;
  fs::create_directory(d.path("proof.bin"));
  try {
    write_file(d.path("proof.bin"), {1, 2, 3});
    ADD_FAILURE() << "wrote over a directory";
  } catch (const FormatError& e) {
    EXPECT_NE(std::string(e.what()).find("is a directory"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(fs::is_directory(d.path("proof.bin")));
  EXPECT_TRUE(others(d.path(""), {"proof.bin"}).empty());
  EXPECT_THROW(write_file(d.path("missing/proof.bin"), {1}), FormatError);
}

// A command's outputs as a unit: an earlier run's files go first; a failure
// before commit() removes what was written, commit() keeps it.
TEST(AtomicWrite, OutputSetLeavesAllOrNothing) {
  ScratchDir d;
  const std::string pk = d.path("m.pk"), vk = d.path("m.vk");
  write_file(pk, {1});
  write_file(vk, {2});
  {
    OutputSet set({pk, vk});
    EXPECT_FALSE(fs::exists(pk));
    EXPECT_FALSE(fs::exists(vk));
    write_file(pk, {3}, FileMode::kSecret);
  }  // failed before commit: the new key alone must not stay
  EXPECT_FALSE(fs::exists(pk));
  {
    OutputSet set({pk, vk});
    write_file(pk, {3}, FileMode::kSecret);
    write_file(vk, {4});
    set.commit();
  }
  EXPECT_EQ(slurp(pk), "\x03");
  EXPECT_EQ(slurp(vk), "\x04");
}

// Interrupted (SIGTERM) between the two keys of a setup: a child process
// writes the proving key and is killed; neither key is left, nor a temporary.
TEST(AtomicWrite, ASignalMidCommandLeavesNoneOfItsOutputs) {
  ScratchDir d;
  const std::string pk = d.path("m.pk"), vk = d.path("m.vk");
  write_file(vk, {9});  // an earlier run's key
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    OutputSet set({pk, vk});
    write_file(pk, std::vector<uint8_t>(1000, 1), FileMode::kSecret);
    ::raise(SIGTERM);
    ::_exit(0);  // not reached: the handler re-raises with the default action
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM) << status;
  EXPECT_FALSE(fs::exists(pk));
  EXPECT_FALSE(fs::exists(vk));
  EXPECT_TRUE(others(d.path(""), {}).empty());
}

TEST(AtomicWrite, RemoveOutputsRemovesFilesOnly) {
  ScratchDir d;
  write_file(d.path("a"), {1});
  fs::create_directory(d.path("dir"));
  remove_outputs({d.path("a"), d.path("dir"), d.path("never")});
  EXPECT_FALSE(fs::exists(d.path("a")));
  EXPECT_TRUE(fs::is_directory(d.path("dir")));
}

}  // namespace
}  // namespace zk::proof
