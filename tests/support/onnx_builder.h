// Small ONNX models built in memory for tests, written to a per-process
// scratch directory.
#pragma once

#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "model/graph.h"
#include "onnx/import.h"

namespace zk::testing {

namespace fs = std::filesystem;
namespace ox = ::onnx;
using zk::model::FloatGraph;
using zk::model::ModelError;

// A per-process scratch directory, removed at exit.
inline fs::path temp_dir() {
  struct Dir {
    fs::path path = fs::temp_directory_path() / ("zk_onnx_test_" + std::to_string(getpid()));
    Dir() { fs::create_directories(path); }
    ~Dir() {
      std::error_code ec;
      fs::remove_all(path, ec);
    }
  };
  static const Dir dir;
  return dir.path;
}

inline std::string read_bytes(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

inline fs::path write_bytes(const std::string& name, const std::string& bytes) {
  const fs::path p = temp_dir() / name;
  std::ofstream(p, std::ios::binary) << bytes;
  return p;
}

// The message of the ModelError thrown by import_model (fails if none is thrown).
inline std::string import_error(const fs::path& p) {
  try {
    zk::onnx::import_model(p.string());
  } catch (const ModelError& e) {
    return e.what();
  } catch (const std::exception& e) {
    ADD_FAILURE() << p << ": threw a non-ModelError: " << e.what();
    return "";
  }
  ADD_FAILURE() << p << ": imported without error";
  return "";
}

// Deterministic, varied test data.
inline std::vector<float> iota_data(size_t n, float scale, float offset) {
  std::vector<float> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = std::sin(static_cast<float>(i) * 1.7f) * scale + offset;
  return v;
}

class Builder {
 public:
  explicit Builder(int opset) {
    m_.set_ir_version(7);
    auto* o = m_.add_opset_import();
    o->set_domain("");
    o->set_version(opset);
    m_.mutable_graph()->set_name("g");
  }
  Builder& input(const std::string& name, std::vector<int64_t> shape) {
    auto* t = value(m_.mutable_graph()->add_input(), name);
    for (auto d : shape) t->mutable_shape()->add_dim()->set_dim_value(d);
    return *this;
  }
  // An int64 model input (token ids).
  Builder& input_int64(const std::string& name, std::vector<int64_t> shape) {
    auto* t = value(m_.mutable_graph()->add_input(), name);
    t->set_elem_type(ox::TensorProto::INT64);
    for (auto d : shape) t->mutable_shape()->add_dim()->set_dim_value(d);
    return *this;
  }
  // The checker wants a shape on graph outputs; dims are left symbolic.
  Builder& output(const std::string& name, int rank) {
    auto* t = value(m_.mutable_graph()->add_output(), name);
    t->mutable_shape();  // present even for rank 0 (a scalar)
    for (int i = 0; i < rank; ++i)
      t->mutable_shape()->add_dim()->set_dim_param("d" + std::to_string(i));
    return *this;
  }
  Builder& init(const std::string& name, std::vector<int64_t> shape, std::vector<float> data) {
    auto* t = m_.mutable_graph()->add_initializer();
    t->set_name(name);
    t->set_data_type(ox::TensorProto::FLOAT);
    for (auto d : shape) t->add_dims(d);
    for (auto v : data) t->add_float_data(v);
    return *this;
  }
  Builder& init_ints(const std::string& name, std::vector<int64_t> data) {
    auto* t = m_.mutable_graph()->add_initializer();
    t->set_name(name);
    t->set_data_type(ox::TensorProto::INT64);
    t->add_dims(static_cast<int64_t>(data.size()));
    for (auto v : data) t->add_int64_data(v);
    return *this;
  }
  ox::NodeProto* node(const std::string& op, std::vector<std::string> in,
                      std::vector<std::string> out) {
    auto* n = m_.mutable_graph()->add_node();
    n->set_op_type(op);
    n->set_name(op + "_" + std::to_string(m_.graph().node_size()));
    for (auto& s : in) n->add_input(s);
    for (auto& s : out) n->add_output(s);
    return n;
  }
  static void ints(ox::NodeProto* n, const std::string& name, std::vector<int64_t> v) {
    auto* a = n->add_attribute();
    a->set_name(name);
    a->set_type(ox::AttributeProto::INTS);
    for (auto x : v) a->add_ints(x);
  }
  static void integer(ox::NodeProto* n, const std::string& name, int64_t v) {
    auto* a = n->add_attribute();
    a->set_name(name);
    a->set_type(ox::AttributeProto::INT);
    a->set_i(v);
  }
  std::string write(const std::string& file) {
    return write_bytes(file, m_.SerializeAsString()).string();
  }
  FloatGraph import(const std::string& file) {
    return zk::onnx::import_model(write_bytes(file, m_.SerializeAsString()).string());
  }
  std::string error(const std::string& file) {
    return import_error(write_bytes(file, m_.SerializeAsString()));
  }

 private:
  static ox::TypeProto_Tensor* value(ox::ValueInfoProto* v, const std::string& name) {
    v->set_name(name);
    auto* t = v->mutable_type()->mutable_tensor_type();
    t->set_elem_type(ox::TensorProto::FLOAT);
    return t;
  }
  ox::ModelProto m_;
};

// Pad -> Conv (stride 2x1, asymmetric pads) -> BatchNormalization -> Relu;
// with `expose`, the Pad and Conv outputs are model outputs too, which blocks
// the folds.
inline Builder conv_block(bool expose) {
  Builder b(13);
  b.input("x", {1, 2, 5, 5})
      .init_ints("pads", {0, 0, 1, 0, 0, 0, 1, 2})
      .init("w", {3, 2, 3, 3}, iota_data(54, 0.5f, 0.0f))
      .init("bias", {3}, {0.1f, -0.2f, 0.3f})
      .init("scale", {3}, {1.5f, 0.5f, -1.0f})
      .init("beta", {3}, {0.0f, 0.25f, -0.5f})
      .init("mean", {3}, {0.2f, -0.1f, 0.0f})
      .init("var", {3}, {0.5f, 2.0f, 1.0f});
  b.node("Pad", {"x", "pads"}, {"p"});
  Builder::ints(b.node("Conv", {"p", "w", "bias"}, {"c"}), "strides", {2, 1});
  b.node("BatchNormalization", {"c", "scale", "beta", "mean", "var"}, {"bn"});
  b.node("Relu", {"bn"}, {"y"});
  b.output("y", 4);
  if (expose) b.output("p", 4).output("c", 4);
  return b;
}

}  // namespace zk::testing
