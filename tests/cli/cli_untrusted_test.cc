// Strings from files someone else made (an input JSON, an ONNX model's names,
// the names a verifying key or proof carries) must reach the terminal escaped:
// no control characters that could drive it, no invalid UTF-8.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "../support/cli_fixtures.h"
#include "../support/onnx_builder.h"
#include "field/error.h"
#include "field/printable.h"

namespace zk::testing::cli {
namespace {

// Control characters (an ANSI colour, a bell, a C1 CSI) and invalid UTF-8.
const std::string kEvil = "e\x1b[31mvil\x07\xc2\x9b\x82\xff";

// True when s is well-formed UTF-8 (checked here independently of printable).
bool valid_utf8(const std::string& s) {
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size() || (n == 2 && c < 0xc2)) return false;
    for (size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80) return false;
    i += n;
  }
  return true;
}

// What a terminal may safely be shown: newlines and tabs, printable ASCII,
// valid UTF-8 without C1 controls.
void expect_clean(const std::string& s, const std::string& what) {
  EXPECT_TRUE(valid_utf8(s)) << what << ": " << ::testing::PrintToString(s);
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    const bool control = (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f;
    const bool c1 = c == 0xc2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) < 0xa0;
    EXPECT_FALSE(control || c1) << what << ": byte " << i << " of " << ::testing::PrintToString(s);
    if (control || c1) return;
  }
}

void expect_clean(const Result& r, const std::string& what) {
  expect_clean(r.out, what + " stdout");
  expect_clean(r.err, what + " stderr");
}

TEST(Printable, EscapesControlsAndInvalidUtf8AndTruncates) {
  EXPECT_EQ(::zk::printable("plain é ✓ 𝔽"), "plain é ✓ 𝔽");
  EXPECT_EQ(::zk::printable("a\x1b[31m\x07\n"), "a\\x1b[31m\\x07\\x0a");
  EXPECT_EQ(::zk::printable("a\n\tb", 200, ::zk::Newlines::kKeep), "a\n\tb");
  EXPECT_EQ(::zk::printable("\x82\xff\xc0\xaf\xed\xa0\x80\x7f"),
            "\\x82\\xff\\xc0\\xaf\\xed\\xa0\\x80\\x7f");
  EXPECT_EQ(::zk::printable("\xc2\x9b"), "\\xc2\\x9b");  // C1 CSI
  EXPECT_EQ(::zk::printable("\xe2\x9c"), "\\xe2\\x9c");  // cut short
  const std::string twice = ::zk::printable(kEvil);
  EXPECT_EQ(::zk::printable(twice), twice);
  EXPECT_EQ(::zk::printable(std::string(500, 'x'), 10), "xxxxxxxxxx...(500 bytes in all)");
  expect_clean(::zk::Error("bad " + kEvil).what(), "zk::Error");
}

class CliUntrusted : public ::testing::Test {
 protected:
  std::string path(const std::string& name) const { return dir_.path(name); }
  ScratchDir dir_;
};

TEST_F(CliUntrusted, InputJsonOfRandomBytesOrEvilKeys) {
  const std::string model = kMlpDir + "mlp.onnx";
  for (uint32_t seed = 1; seed <= 8; ++seed) {
    auto bytes = random_bytes(64 + seed * 37, seed);
    bytes[0] = 0x82;  // invalid UTF-8 wherever the parser stops
    write_bytes(path("in.json"), bytes);
    Result r = zk({"run", model, "--input", path("in.json")});
    EXPECT_NE(r.code, 0) << r.all();
    expect_clean(r, "run with random --input, seed " + std::to_string(seed));
  }
  write_text(path("key.json"), "{\"" + kEvil + "\": [[1]], \"x\": \"" + kEvil + "\"}");
  Result r = zk({"run", model, "--input", path("key.json")});
  EXPECT_NE(r.code, 0) << r.all();
  expect_clean(r, "run with an evil key");
  write_text(path("raw.json"), "{\"input_data\": [[1, " + kEvil + "]]}");
  r = zk({"run", model, "--input", path("raw.json")});
  EXPECT_NE(r.code, 0) << r.all();
  expect_clean(r, "run with raw bytes in the JSON");
}

// Gemm -> Relu, every node, value and input name holding kEvil.
std::string evil_model(const std::string& file, bool unsupported) {
  Builder b(13);
  b.input("x" + kEvil, {1, 4}).init("w" + kEvil, {4, 3}, iota_data(12, 1.0f, 0.0f));
  b.node("MatMul", {"x" + kEvil, "w" + kEvil}, {"m" + kEvil})->set_name("mm" + kEvil);
  b.node(unsupported ? "Evil" + kEvil : "Relu", {"m" + kEvil}, {"y" + kEvil})
      ->set_name("relu" + kEvil);
  b.output("y" + kEvil, 2);
  return b.write(file);
}

TEST_F(CliUntrusted, OnnxNamesInErrors) {
  write_text(path("in.json"), "{\"input_data\": [[0.1, 0.2, 0.3, 0.4]]}");
  Result r = zk({"compile", evil_model("bad_op.onnx", true), "-o", path("bad.zkc")});
  EXPECT_NE(r.code, 0) << r.all();
  expect_clean(r, "compile with an unsupported evil op");
  r = zk({"run", evil_model("bad_op2.onnx", true), "--input", path("in.json")});
  EXPECT_NE(r.code, 0) << r.all();
  expect_clean(r, "run with an unsupported evil op");
  // Too few input values: the error names the input.
  write_text(path("short.json"), "{\"input_data\": [[0.1]]}");
  r = zk({"run", evil_model("ok.onnx", false), "--input", path("short.json")});
  EXPECT_NE(r.code, 0) << r.all();
  expect_clean(r, "run with a short input");
}

TEST_F(CliUntrusted, NamesInKeysAndProofs) {
  const std::string onnx = evil_model("evil.onnx", false);
  write_text(path("in.json"), "{\"input_data\": [[0.1, -0.2, 0.3, 0.4]]}");
  Result r = zk({"run", onnx, "--input", path("in.json")});
  EXPECT_EQ(r.code, 0) << r.all();
  expect_clean(r, "run");
  r = zk({"compile", onnx, "-o", path("m.zkc"), "--name", "name ✓", "--visibility",
          "input=committed,output=committed"});
  ASSERT_EQ(r.code, 0) << r.all();
  expect_clean(r, "compile");
  r = zk({"setup", path("m.zkc"), "--pk", path("m.pk"), "--vk", path("m.vk")});
  ASSERT_EQ(r.code, 0) << r.all();
  r = zk({"prove", "--pk", path("m.pk"), "--input", path("in.json"), "--proof", path("p.bin"),
          "--output", path("out.json"), "--opening", path("open.json")});
  ASSERT_EQ(r.code, 0) << r.all();
  expect_clean(r, "prove");
  r = zk({"verify", "--vk", path("m.vk"), "--proof", path("p.bin")});
  EXPECT_EQ(r.code, 0) << r.all();
  expect_clean(r, "verify");
  EXPECT_TRUE(has(r.out, "\\x1b[31m")) << r.all();  // the names are shown, escaped
  for (const auto& f : {"m.vk", "m.zkc", "p.bin"}) {
    r = zk({"inspect", path(f), "--vk", path("m.vk")});
    EXPECT_EQ(r.code, 0) << r.all();
    expect_clean(r, std::string("inspect ") + f);
  }
  r = zk({"open-commitment", "--vk", path("m.vk"), "--proof", path("p.bin"), "--opening",
          path("open.json"), "--output", path("out.json")});
  EXPECT_EQ(r.code, 0) << r.all();
  expect_clean(r, "open-commitment");
  r = zk({"open-commitment", "--vk", path("m.vk"), "--proof", path("p.bin"), "--opening",
          path("open.json"), "--input", path("in.json")});
  expect_clean(r, "open-commitment --input");
  write_text(path("other.json"), "{\"input_data\": [[0.9, 0.9, 0.9, 0.9]]}");
  r = zk({"open-commitment", "--vk", path("m.vk"), "--proof", path("p.bin"), "--opening",
          path("open.json"), "--input", path("other.json")});
  EXPECT_NE(r.code, 0) << r.all();
  expect_clean(r, "open-commitment of another input");
}

}  // namespace
}  // namespace zk::testing::cli
