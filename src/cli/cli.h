// The zkinfer command line, callable in-process (tests drive it directly).
#pragma once

#include <ostream>

namespace zk::cli {

// Returns the process exit status: 0 success, 1 failure (bad input, rejected
// proof), 2 usage error.
int run(int argc, char** argv, std::ostream& out, std::ostream& err);

}  // namespace zk::cli
