// inspect MODEL.onnx: the table of the graph's nodes (onnx/describe.h) as
// text or JSON.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>

#include "onnx/describe.h"

namespace zk::cli {

void print_onnx_table(const onnx::ModelTable& t, std::ostream& out);
nlohmann::json onnx_table_json(const onnx::ModelTable& t);

}  // namespace zk::cli
