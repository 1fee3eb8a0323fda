// Writes a VGG-style CIFAR CNN with fixed pseudo-random weights (the
// multithreading workload: conv layers, max pools and two fully connected
// layers) as DIR/model.onnx with DIR/input.json and DIR/calibration.json, for
// `zkinfer compile/setup/prove` to be timed and profiled on.
// Usage: cnn_workload DIR [width]   (width: channels of the first conv, 32)
#include <onnx/onnx_pb.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

namespace {

namespace ox = ::onnx;

struct Net {
  ox::ModelProto m;
  std::mt19937_64 rng{12345};
  int count = 0;

  Net() {
    m.set_ir_version(7);
    auto* o = m.add_opset_import();
    o->set_domain("");
    o->set_version(13);
    m.mutable_graph()->set_name("cnn");
  }
  static void shape(ox::ValueInfoProto* v, const std::string& name, std::vector<int64_t> dims) {
    v->set_name(name);
    auto* t = v->mutable_type()->mutable_tensor_type();
    t->set_elem_type(ox::TensorProto::FLOAT);
    for (auto d : dims) t->mutable_shape()->add_dim()->set_dim_value(d);
  }
  // He-style uniform weights with fan-in `fan`.
  std::string weight(std::vector<int64_t> dims, int fan) {
    auto* t = m.mutable_graph()->add_initializer();
    std::string name = "w" + std::to_string(count++);
    t->set_name(name);
    t->set_data_type(ox::TensorProto::FLOAT);
    size_t n = 1;
    for (auto d : dims) t->add_dims(d), n *= static_cast<size_t>(d);
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    float s = std::sqrt(3.0f / static_cast<float>(fan));
    for (size_t i = 0; i < n; ++i) t->add_float_data(u(rng) * s);
    return name;
  }
  ox::NodeProto* node(const std::string& op, std::vector<std::string> in, const std::string& out) {
    auto* n = m.mutable_graph()->add_node();
    n->set_op_type(op);
    n->set_name(op + "_" + std::to_string(m.graph().node_size()));
    for (auto& s : in) n->add_input(s);
    n->add_output(out);
    return n;
  }
  static void ints(ox::NodeProto* n, const std::string& name, std::vector<int64_t> v) {
    auto* a = n->add_attribute();
    a->set_name(name);
    a->set_type(ox::AttributeProto::INTS);
    for (auto x : v) a->add_ints(x);
  }
  std::string conv(const std::string& x, int cin, int cout) {
    std::string w = weight({cout, cin, 3, 3}, cin * 9), b = weight({cout}, cin * 9);
    std::string y = "c" + std::to_string(count);
    auto* n = node("Conv", {x, w, b}, y);
    ints(n, "pads", {1, 1, 1, 1});
    ints(n, "kernel_shape", {3, 3});
    std::string r = "r" + std::to_string(count);
    node("Relu", {y}, r);
    return r;
  }
  std::string pool(const std::string& x) {
    std::string y = "p" + std::to_string(count++);
    auto* n = node("MaxPool", {x}, y);
    ints(n, "kernel_shape", {2, 2});
    ints(n, "strides", {2, 2});
    return y;
  }
  std::string fc(const std::string& x, int in, int out, bool relu) {
    std::string w = weight({out, in}, in), b = weight({out}, in);
    std::string y = "f" + std::to_string(count);
    auto* n = node("Gemm", {x, w, b}, y);
    auto* a = n->add_attribute();
    a->set_name("transB");
    a->set_type(ox::AttributeProto::INT);
    a->set_i(1);
    if (!relu) return y;
    node("Relu", {y}, y + "r");
    return y + "r";
  }
};

void write_inputs(const std::filesystem::path& p, int count, std::mt19937_64& rng) {
  std::normal_distribution<float> g(0.0f, 1.0f);
  std::ofstream f(p);
  // A batch of `count` images, flat (the calibration format).
  f << "{\"input_data\": [[";
  for (int i = 0; i < count * 3 * 32 * 32; ++i) f << (i ? ", " : "") << g(rng);
  f << "]]}\n";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: cnn_workload DIR [width]\n");
    return 2;
  }
  std::filesystem::path dir = argv[1];
  int w = argc > 2 ? std::atoi(argv[2]) : 32;
  std::filesystem::create_directories(dir);
  Net n;
  Net::shape(n.m.mutable_graph()->add_input(), "x", {1, 3, 32, 32});
  std::string x = n.conv("x", 3, w);
  x = n.pool(n.conv(x, w, w));                                // 16x16
  x = n.pool(n.conv(n.conv(x, w, 2 * w), 2 * w, 2 * w));      // 8x8
  x = n.pool(n.conv(n.conv(x, 2 * w, 4 * w), 4 * w, 4 * w));  // 4x4
  n.node("Flatten", {x}, "flat");
  x = n.fc("flat", 4 * w * 16, 16 * w, true);
  x = n.fc(x, 16 * w, 10, false);
  Net::shape(n.m.mutable_graph()->add_output(), x, {1, 10});
  std::ofstream(dir / "model.onnx", std::ios::binary) << n.m.SerializeAsString();
  std::mt19937_64 rng(777);
  write_inputs(dir / "calibration.json", 8, rng);
  write_inputs(dir / "input.json", 1, rng);
  std::printf("wrote %s (width %d)\n", (dir / "model.onnx").c_str(), w);
  return 0;
}
