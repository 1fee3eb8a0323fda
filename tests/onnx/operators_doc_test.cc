// docs/OPERATORS.md is generated from the importer's registry and must stay
// equal to it. After adding an op: ZK_UPDATE_DOCS=1 build/operators_doc_test
// rewrites the file.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "model/activations.h"
#include "onnx/import.h"

namespace {

const std::string kDoc = std::string(ZK_SOURCE_DIR) + "/docs/OPERATORS.md";

TEST(OperatorsDoc, MatchesTheRegistry) {
  const std::string want = zk::onnx::operators_markdown();
  if (std::getenv("ZK_UPDATE_DOCS")) std::ofstream(kDoc) << want;
  std::ifstream f(kDoc);
  std::stringstream got;
  got << f.rdbuf();
  EXPECT_EQ(got.str(), want) << "docs/OPERATORS.md is out of date; regenerate it with "
                                "ZK_UPDATE_DOCS=1 build/operators_doc_test";
}

TEST(OperatorsDoc, EveryRegisteredOpIsListedAndNamedInErrors) {
  const std::string list = zk::onnx::supported_ops();
  for (const auto& op : zk::onnx::supported_op_list())
    EXPECT_NE(list.find(op.op_type), std::string::npos) << op.op_type;
  for (const auto& a : zk::model::activations())
    EXPECT_NE(list.find(a.onnx_op), std::string::npos) << a.onnx_op << " is not importable";
}

}  // namespace
