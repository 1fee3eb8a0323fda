// What to do about an op zkinfer does not prove: one line per known case,
// appended to the "unsupported op" error (import.cc).
#include <string>
#include <utility>
#include <vector>

#include "onnx/import.h"

namespace zk::onnx {

std::string unsupported_remedy(const std::string& domain, const std::string& op) {
  if (!domain.empty() && domain != "ai.onnx") {
    if (domain == "com.microsoft")
      return "this is an onnxruntime contrib op, written by onnxruntime's graph optimizer: "
             "export the model from the framework again and do not save the optimized graph";
    return "ops of domain '" + domain +
           "' are not supported: export with the default ONNX "
           "domain only";
  }
  static const std::vector<std::pair<std::vector<const char*>, const char*>> kRemedies = {
      {{"NonZero", "Unique", "Compress"},
       "its output shape depends on the data, which a circuit of fixed shape cannot prove: "
       "rewrite it as a mask (a comparison, then Where or a product) of fixed shape"},
      {{"Loop", "If", "Scan", "SequenceConstruct", "SequenceAt", "SplitToSequence",
        "ConcatFromSequence"},
       "control flow and sequences are not supported: export with the loop unrolled and "
       "fixed shapes (torch.onnx.export traces a model with constant loop counts into plain ops)"},
      {{"QuantizeLinear", "DequantizeLinear", "QLinearConv", "QLinearMatMul", "MatMulInteger",
        "ConvInteger", "DynamicQuantizeLinear"},
       "zkinfer quantizes the float model itself (and measures the error): export the float "
       "model, before any ONNX quantization"},
      {{"RandomNormal", "RandomUniform", "RandomNormalLike", "RandomUniformLike", "Multinomial",
        "Bernoulli"},
       "random ops cannot be proven: export in inference mode (model.eval()) so that none remain"},
      {{"Hardmax"},
       "a final Hardmax only picks from the outputs: export without it and take the argmax "
       "of the proven outputs (the proof covers the scores), or use ArgMax (supported)"},
      {{"Mod", "BitShift", "BitwiseAnd", "BitwiseOr", "BitwiseXor", "BitwiseNot"},
       "integer bit and remainder arithmetic on computed values is not supported"},
      {{"StringNormalizer", "TfIdfVectorizer", "CategoryMapper", "LabelEncoder"},
       "string processing is not supported: encode the text into numbers before the model"},
      {{"TreeEnsembleClassifier", "TreeEnsembleRegressor", "LinearClassifier", "SVMClassifier",
        "SVMRegressor", "ZipMap"},
       "ONNX-ML classical-model ops are not supported: convert the model with hummingbird "
       "(tree ensembles as tensor ops) first"},
  };
  for (const auto& [ops, remedy] : kRemedies)
    for (const char* o : ops)
      if (op == o) return remedy;
  return "";
}

}  // namespace zk::onnx
