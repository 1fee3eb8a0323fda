// Loading and validation of the .onnx file: parse, checker, version
// conversion, input shapes and ONNX shape inference (before the graph walk of
// import.cc; inspect's table of an ONNX file reads the same).
#include "onnx/load.h"

#include <onnx/checker.h>
#include <onnx/defs/schema.h>
#include <onnx/shape_inference/implementation.h>
#include <onnx/version_converter/convert.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <unordered_set>

#include "field/printable.h"
#include "onnx/import.h"
#include "onnx/importer.h"

namespace zk::onnx {

using zk::model::ModelError;
namespace ox = ::onnx;

int known_opset() {
  const auto& ranges = ox::OpSchemaRegistry::DomainToVersionRange::Instance().Map();
  return ranges.count("") ? ranges.at("").second : 0;
}

namespace {

[[noreturn]] void invalid(const std::string& path, const std::string& why) {
  throw ModelError(path + ": not a valid ONNX model (" + why + ")");
}

int default_opset(const std::string& path, const ox::ModelProto& m) {
  int opset = -1;
  for (const auto& o : m.opset_import()) {
    if (o.domain().empty() || o.domain() == "ai.onnx") opset = static_cast<int>(o.version());
  }
  if (opset < 0) invalid(path, "no opset_import for the default ONNX domain");
  if (opset < kOldestOpset || opset > kMaxOpset) {
    throw ModelError(path + ": opset " + std::to_string(opset) +
                     " is not supported (zkinfer accepts default-domain opsets 1 to " +
                     std::to_string(kMaxOpset) + "; " +
                     "re-export the model with a supported opset, e.g. " +
                     "torch.onnx.export(..., opset_version=" + std::to_string(kMaxOpset) + "))");
  }
  return opset;
}

// Inputs must be float32 with a fixed batch (a symbolic batch is taken as 1)
// and fixed other dimensions. Fixes a symbolic batch to 1 for inference.
void fix_inputs(const std::string& path, ox::ModelProto& m) {
  std::unordered_set<std::string> inits;
  for (const auto& t : m.graph().initializer()) inits.insert(t.name());
  int count = 0;
  for (auto& in : *m.mutable_graph()->mutable_input()) {
    if (inits.count(in.name())) continue;
    ++count;
    const std::string where = path + ": input '" + printable(in.name()) + "'";
    if (!in.type().has_tensor_type()) throw ModelError(where + " is not a tensor");
    const auto& tt = in.type().tensor_type();
    // Integer, boolean and double inputs are read as numbers (token ids for
    // an embedding lookup, flags for a Where, ...); each op says what it accepts.
    using DT = ox::TensorProto;
    static const std::unordered_set<int> kNumeric = {DT::FLOAT,  DT::DOUBLE, DT::FLOAT16, DT::INT64,
                                                     DT::INT32,  DT::INT16,  DT::INT8,    DT::UINT8,
                                                     DT::UINT16, DT::BOOL};
    if (!kNumeric.count(tt.elem_type())) {
      throw ModelError(
          where + " has element type " +
          ox::TensorProto_DataType_Name(static_cast<ox::TensorProto_DataType>(tt.elem_type())) +
          "; zkinfer supports numeric inputs (float, double, integer, bool)");
    }
    if (!tt.has_shape() || tt.shape().dim_size() == 0) {
      throw ModelError(where + " has no shape (zkinfer needs [batch, ...] with batch 1)");
    }
    auto* shape = in.mutable_type()->mutable_tensor_type()->mutable_shape();
    auto* batch = shape->mutable_dim(0);
    // A fixed leading dimension above 1 is an ordinary axis of the one
    // sample (each op checks that it accepts it); a symbolic or 0 batch is 1.
    if (!batch->has_dim_value() || batch->dim_value() <= 1)
      batch->set_dim_value(1);  // also clears a symbolic dim_param
    for (int i = 1; i < shape->dim_size(); ++i) {
      const auto& d = shape->dim(i);
      if (!d.has_dim_value() || d.dim_value() <= 0) {
        throw ModelError(where + " dimension " + std::to_string(i) + " is " +
                         (d.dim_param().empty() ? std::string("unknown")
                                                : "symbolic ('" + printable(d.dim_param()) + "')") +
                         "; zkinfer needs fixed input shapes apart from the batch");
      }
    }
    Shape dims;
    for (const auto& d : shape->dim()) dims.push_back(d.dim_value());
    check_size(dims, where);
  }
  if (count == 0) {
    throw ModelError(path + ": the graph has no inputs; zkinfer proves models of a float input");
  }
}

}  // namespace

LoadedModel read_model_file(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw ModelError(path + ": is a directory, not a file");
  std::ifstream f(path, std::ios::binary);
  if (!f) throw ModelError(path + ": cannot open file");
  std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  if (f.bad()) throw ModelError(path + ": read error");
  if (bytes.empty()) invalid(path, "empty file");
  if (bytes.rfind("version https://git-lfs", 0) == 0) {
    invalid(path, "this is a Git LFS pointer, not the model; fetch it with 'git lfs pull'");
  }
  ox::ModelProto model;
  if (!model.ParseFromString(bytes)) {
    invalid(path, "protobuf parse failed; the file is truncated or not an ONNX model");
  }
  if (model.ir_version() <= 0) invalid(path, "missing ir_version");
  if (!model.has_graph() || model.graph().output_size() == 0) {
    invalid(path, "no graph or graph without outputs");
  }
  int opset = default_opset(path, model);
  // The checker of this libonnx knows IR versions and opsets up to its own
  // release; newer (but still supported) models skip it and rely on the
  // checks below.
  if (model.ir_version() <= ox::IR_VERSION && opset <= known_opset()) {
    try {
      ox::checker::check_model(model);
    } catch (const std::exception& e) {
      invalid(path, std::string("ONNX checker: ") + e.what());
    }
  }
  if (opset < kMinOpset) {
    // Older opsets (the ONNX backend tests are opset 6) are upgraded by the
    // ONNX library's own version converter, which rewrites the legacy forms
    // (Add/Mul broadcast attributes, BatchNormalization's spatial, ...).
    // Where it fails, the model is read at its own opset: each op's registry
    // range then decides (the data movement and shape ops accept older forms).
    try {
      ox::ModelProto up = ox::version_conversion::ConvertVersion(model, kMinOpset);
      model = std::move(up);
      opset = kMinOpset;
    } catch (const std::exception&) {
    }
  }
  return {std::move(model), opset};
}

void prepare_model(const std::string& path, LoadedModel& m) {
  fix_inputs(path, m.model);
  // Newer than the library's schemas (opset 18): no inference to check against.
  if (m.opset > known_opset()) return;
  auto& model = m.model;
  try {
    ox::ModelProto typed = model;
    ox::shape_inference::InferShapes(typed, ox::OpSchemaRegistry::Instance(),
                                     ox::ShapeInferenceOptions(true, 1, false));
    model = std::move(typed);
  } catch (const std::exception& e) {
    // An exporter's type error (ezkl's nanoGPT compares floats with Equal at
    // opset 10, which ONNX allows from 11; onnxruntime rejects the file): the
    // shapes are inferred without type checks. Every op still checks its own
    // inputs and zkinfer computes every shape itself.
    if (std::string(e.what()).find("has unsupported type") == std::string::npos)
      throw ModelError(path + ": ONNX shape inference failed: " + e.what());
    try {
      ox::shape_inference::InferShapes(model, ox::OpSchemaRegistry::Instance(),
                                       ox::ShapeInferenceOptions(false, 1, false));
    } catch (const std::exception& e2) {
      throw ModelError(path + ": ONNX shape inference failed: " + e2.what());
    }
  }
}

}  // namespace zk::onnx
