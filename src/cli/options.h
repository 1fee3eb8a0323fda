// The command line's commands and their options, in one table: the parser
// accepts exactly the options a command's help lists, so the two cannot
// drift apart (tests/cli/cli_help_test.cc checks both directions).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "field/error.h"

namespace zk::cli {

// A bad command line: exit status 2 and the usage text.
class UsageError : public Error {
 public:
  using Error::Error;
};

struct OptionSpec {
  const char* name;     // "--pk", "-o"
  const char* metavar;  // the value's placeholder; nullptr for a flag
  const char* help;     // one line
};

struct CommandSpec {
  const char* name;
  const char* synopsis;  // the command line's shape, after "zkinfer NAME"
  const char* summary;   // one line for the overview
  std::vector<OptionSpec> options;
  const char* notes;  // more lines for the command's help, or ""
};

// Every command, in the overview's order.
const std::vector<CommandSpec>& commands();
const CommandSpec* find_command(std::string_view name);
// Options every command takes besides its own (--threads, --help).
const std::vector<OptionSpec>& common_options();

struct Args {
  std::vector<std::string> positional;
  std::map<std::string, std::string> opts;
  bool help = false;  // --help or -h anywhere an option may stand
  // The value of `k`; a UsageError when it was not given.
  std::string get(const std::string& k) const;
  bool has(const std::string& k) const { return opts.count(k) > 0; }
};

// Parses argv[first..] against the command's table; an option it does not
// list is a UsageError ("unknown option X for CMD").
Args parse(const CommandSpec& cmd, int argc, char** argv, int first);

// "zkinfer CMD ..." with every option and its description.
std::string command_help(const CommandSpec& cmd);
// The overview: every command's synopsis and the notes shared by all.
std::string overview();
// "zkinfer X.Y.Z" (CMake's project version).
std::string version_line();

}  // namespace zk::cli
