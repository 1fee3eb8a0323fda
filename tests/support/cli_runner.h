// Runs the zkinfer command line in-process and captures what it prints.
#pragma once

#include <sstream>
#include <string>
#include <vector>

#include "cli/cli.h"

namespace zk::testing {

struct Result {
  int code = -1;
  std::string out, err;
  std::string all() const {
    return "exit " + std::to_string(code) + "\nstdout:\n" + out + "stderr:\n" + err;
  }
};

inline Result zk(std::vector<std::string> args) {
  args.insert(args.begin(), "zkinfer");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::ostringstream out, err;
  Result r;
  r.code = zk::cli::run(static_cast<int>(args.size()), argv.data(), out, err);
  r.out = out.str();
  r.err = err.str();
  return r;
}

inline bool has(const std::string& s, const std::string& what) {
  return s.find(what) != std::string::npos;
}

}  // namespace zk::testing
