// The commands' shared helpers and the commands defined outside cli.cc
// (verify and inspect: report.cc; inspect of an ONNX file: onnx_table.cc).
#pragma once

#include <chrono>
#include <ostream>
#include <string>
#include <vector>

#include "api/api.h"
#include "cli/options.h"

namespace zk::cli {

using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point t);

// Refuses to write a result over one of the command's own input files.
void ensure_distinct(const std::vector<std::string>& outputs,
                     const std::vector<std::string>& inputs);
// A file holding a hidden tensor is readable by its owner only.
proof::FileMode mode_for(circuit::Visibility v);

int cmd_verify(const Args& a, std::ostream& out, std::ostream& err);
int cmd_inspect(const Args& a, std::ostream& out, std::ostream& err);

}  // namespace zk::cli
