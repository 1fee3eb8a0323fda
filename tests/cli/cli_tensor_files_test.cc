// The friendlier tensor files: nested JSON lists (numpy's tolist()), Python's
// bare NaN and Infinity explained, .npz archives (stored and deflated), and
// calibration as a list of samples or arrays with a leading sample axis.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "../support/cli_fixtures.h"
#include "field/error.h"
#include "proof/npy.h"
#include "proof/npz.h"
#include "proof/tensor_io.h"

namespace {

using namespace zk::testing::cli;
using nlohmann::json;
using zk::testing::ScratchDir;
using zk::testing::zk;

const std::string kTensors = std::string(ZK_SOURCE_DIR) + "/tests/data/tensors/";

std::vector<float> lenet_input() {
  return read_json(kLenetDir + "input.json")["input_data"][0].get<std::vector<float>>();
}

// One 784-value image as [1][28][28] nested lists.
json nested_image(const std::vector<float>& x, size_t at = 0) {
  json img = json::array();
  for (size_t r = 0; r < 28; ++r)
    img.push_back(std::vector<float>(x.begin() + at + r * 28, x.begin() + at + r * 28 + 28));
  return json::array({img});
}

// The input row as JSON text with `token` in place of value `i`.
std::string with_token(size_t i, const std::string& token) {
  std::string row;
  const auto x = lenet_input();
  for (size_t k = 0; k < x.size(); ++k)
    row += (k ? ", " : "") + (k == i ? token : json(x[k]).dump());
  return "{\"note\": \"a \\\" NaN Infinity\", \"input_data\": [[" + row + "]]}";
}

class CliTensorFiles : public LenetSuite {
 protected:
  Result prove(const std::string& input, const std::string& out) {
    return zk({"prove", "--pk", lenet().pk, "--input", input, "--proof", path("t.proof"),
               "--output", out});
  }
  void expect_same_output(const std::string& input, const std::string& name) {
    SCOPED_TRACE(name);
    auto r = prove(input, path(name + ".out.json"));
    ASSERT_EQ(r.code, 0) << r.all();
    EXPECT_EQ(read_bytes(path(name + ".out.json")), read_bytes(lenet().out_json));
  }
};

TEST_F(CliTensorFiles, NestedListsAreTheFlatTensor) {
  const json j = {{"input_data", json::array({json::array({nested_image(lenet_input())})})}};
  const std::string in = text_file("nested.json", j.dump());
  expect_same_output(in, "nested");
  // The verifier reads the same file as the public input.
  auto v = zk({"verify", "--vk", lenet().vk, "--proof", lenet().proof, "--input", in});
  EXPECT_EQ(v.code, 0) << v.all();
  EXPECT_TRUE(has(v.out, "matches --input")) << v.all();
  // A ragged nesting (one row short) is refused, naming the tensor.
  json ragged = j;
  ragged["input_data"][0][0][0][5].erase(0);
  auto r = prove(text_file("ragged.json", ragged.dump()), path("x.json"));
  expect_failure(r, "nested lists of different lengths", "ragged");
  EXPECT_TRUE(has(r.err, "ragged.json: input 0")) << r.all();
  // Too few values in a nested form: the element count is checked.
  json image = nested_image(lenet_input())[0];  // [28][28]
  image.erase(27);                              // 27 rows: 756 values
  const json short_one = {{"input_data", json::array({image})}};
  expect_failure(prove(text_file("short.json", short_one.dump()), path("x.json")), "756",
                 "nested, too few values");
}

TEST_F(CliTensorFiles, NonFiniteValuesAreNamed) {
  const std::vector<std::pair<size_t, std::string>> cases{
      {5, "NaN"}, {783, "Infinity"}, {0, "-Infinity"}};
  for (const auto& [i, tok] : cases) {
    const std::string f = text_file("nan" + std::to_string(i) + ".json", with_token(i, tok));
    auto r = prove(f, path("x.json"));
    expect_failure(r, "non-finite value at index " + std::to_string(i), tok);
    EXPECT_TRUE(has(r.err, f + ": input 0")) << r.all();
    EXPECT_TRUE(has(r.err, "(" + tok + ")")) << r.all();
    EXPECT_FALSE(has(r.err, "syntax error")) << r.all();
  }
  // The same tokens inside strings are text, not values.
  expect_same_output(text_file("strings.json", with_token(1, json(lenet_input()[1]).dump())),
                     "strings");
  // A real syntax error is still one.
  expect_failure(prove(text_file("bad.json", with_token(3, "NaNa")), path("x.json")),
                 "not valid JSON", "NaNa");
  // NaN in a .npy.
  auto x = lenet_input();
  x[9] = std::nanf("");
  auto r = prove(file("nan.npy", zk::proof::write_npy(x, {1, 1, 28, 28})), path("x.json"));
  expect_failure(r, "non-finite value at index 9", "npy NaN");
}

TEST_F(CliTensorFiles, NpzWhereverNpy) {
  const auto x = lenet_input();
  const std::string in = file(
      "in.npz", zk::proof::write_zip({{"input.npy", zk::proof::write_npy(x, {1, 1, 28, 28})}}));
  expect_same_output(in, "npz");
  // The outputs as .npz, read back by the same reader.
  ASSERT_EQ(prove(in, path("o.npz")).code, 0);
  EXPECT_EQ(zk::proof::read_outputs(path("o.npz")),
            std::vector<std::vector<float>>{
                read_json(lenet().out_json)["output_data"][0].get<std::vector<float>>()});
  // Truncated or corrupt archives get an error naming the file.
  const auto bytes = read_bytes(in);
  auto crc = bytes;
  crc[200] ^= 1;  // inside input.npy's data
  for (const auto& [name, b, phrase] :
       std::vector<std::tuple<std::string, std::vector<uint8_t>, std::string>>{
           {"trunc.npz", prefix(bytes, bytes.size() - 30), "not a readable .npz"},
           {"short.npz", prefix(bytes, 40), "not a readable .npz"},
           {"crc.npz", crc, "CRC mismatch"}}) {
    auto r = prove(file(name, b), path("x.json"));
    expect_failure(r, phrase, name);
    EXPECT_TRUE(has(r.err, name)) << r.all();
  }
  auto method = bytes;
  const size_t dir = bytes.size() - 22 - (46 + 9);  // the one central entry, "input.npy"
  method[dir + 10] = 12;                            // bzip2
  expect_failure(prove(file("bz.npz", method), path("x.json")), "compression method 12", "bzip2");
}

// Several outputs: .npy refuses them by count, .npz holds one array each.
TEST(CliNpz, SeveralOutputs) {
  ScratchDir d;
  const std::vector<zk::proof::NamedTensor> outs{{"a", {2, 2}, {1, 2, 3, 4}},
                                                 {"b/odd name", {3}, {5, 6, 7}}};
  try {
    zk::proof::write_outputs(d.path("o.npy"), outs);
    ADD_FAILURE() << "wrote two outputs to one .npy";
  } catch (const zk::Error& e) {
    EXPECT_TRUE(has(e.what(), "this model has 2")) << e.what();
  }
  EXPECT_FALSE(fs::exists(d.path("o.npy")));
  zk::proof::write_outputs(d.path("o.npz"), outs);
  auto entries = zk::proof::read_zip(read_bytes(d.path("o.npz")), "o.npz");
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].name, "a.npy");
  EXPECT_EQ(entries[1].name, "output_1.npy");  // not a plain file name
  EXPECT_EQ(entries[0].bytes, zk::proof::write_npy({1, 2, 3, 4}, {2, 2}));
  EXPECT_EQ(zk::proof::read_outputs(d.path("o.npz")),
            (std::vector<std::vector<float>>{{1, 2, 3, 4}, {5, 6, 7}}));
}

// Archives as numpy writes them (Python's zipfile; zip64 local headers).
TEST(CliNpz, ReadsNumpysStoredAndDeflatedArchives) {
  for (const char* name : {"savez.npz", "savez_compressed.npz"}) {
    SCOPED_TRACE(name);
    auto t = zk::proof::read_inputs(kTensors + name);
    ASSERT_EQ(t.size(), 2u);
    EXPECT_EQ(t[0], (std::vector<float>{0.5f, -1.25f, 2.0f, 3.75f, -0.125f, 0.001f}));
    EXPECT_EQ(t[1], (std::vector<float>{7, -3, 0, 12}));
  }
}

TEST_F(CliTensorFiles, CalibrationSamples) {
  const auto flat = zk::proof::read_inputs(kLenetDir + "calibration.json");
  ASSERT_EQ(flat.size(), 1u);
  const auto& all = flat[0];
  const size_t n = all.size() / kLenetInputSize;
  ASSERT_GT(n, 3u);
  json nested = json::array(), objects = json::array();
  for (size_t s = 0; s < n; ++s) {
    nested.push_back(nested_image(all, s * kLenetInputSize));
    objects.push_back({{"input_data", json::array({nested_image(all, s * kLenetInputSize)})}});
  }
  const std::string list = text_file("cal_list.json", nested.dump());
  const std::vector<std::string> files{
      list, text_file("cal_objects.json", objects.dump()),
      file("cal.npy", zk::proof::write_npy(all, {int64_t(n), 1, 28, 28})),
      file("cal.npz",
           zk::proof::write_zip({{"x.npy", zk::proof::write_npy(all, {int64_t(n), 1, 28, 28})}}))};
  for (const auto& f : files) EXPECT_EQ(zk::proof::read_calibration(f), flat) << f;
  // compile calibrates the same from the list of samples as from the flat file.
  auto digest = [&](const std::string& cal, const std::string& out) {
    auto c = zk({"compile", kLenetDir + "lenet.onnx", "-o", path(out), "--calibration", cal});
    EXPECT_EQ(c.code, 0) << c.all();
    return json::parse(zk({"inspect", path(out), "--json"}).out)["circuit"]["circuit_digest"];
  };
  const json d = digest(kLenetDir + "calibration.json", "a.zkc");
  EXPECT_EQ(d.get<std::string>().size(), 64u);
  EXPECT_EQ(digest(list, "b.zkc"), d);
  // A sample of another size, and an empty list, are refused by name.
  nested[3] = json::array({1, 2, 3});
  auto bad = zk({"compile", kLenetDir + "lenet.onnx", "-o", path("b.zkc"), "--calibration",
                 text_file("cal_bad.json", nested.dump())});
  expect_failure(bad, "sample 3: input 0 has 3 values, sample 0 has 784", "uneven samples");
  expect_failure(zk({"compile", kLenetDir + "lenet.onnx", "-o", path("b.zkc"), "--calibration",
                     text_file("cal_empty.json", "[]")}),
                 "empty", "no samples");
}

}  // namespace
