// The command line's self-description: --version, the overview, each
// command's help listing every option it accepts (and the parser accepting
// exactly those), and `make demo` building only the zkinfer target.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "../support/cli_runner.h"
#include "cli/options.h"

namespace {

using zk::testing::has;
using zk::testing::zk;

// The version in CMakeLists.txt's project() line.
std::string cmake_version() {
  std::ifstream f(std::string(ZK_SOURCE_DIR) + "/CMakeLists.txt");
  std::stringstream s;
  s << f.rdbuf();
  std::smatch m;
  const std::string text = s.str();
  if (!std::regex_search(text, m,
                         std::regex(R"(project\(zkinfer VERSION ([0-9]+\.[0-9]+\.[0-9]+))")))
    return "";
  return m[1];
}

struct Listed {
  std::string name;
  bool takes_value;
};

// The options a help text lists: lines "  -X [METAVAR]   description".
std::vector<Listed> listed_options(const std::string& help) {
  std::vector<Listed> out;
  std::istringstream in(help.substr(help.find("options:")));
  std::string line;
  std::regex re(R"(^  (-[-a-z]*)( [^ ]+)?(  +.*)?$)");
  while (std::getline(in, line)) {
    std::smatch m;
    if (std::regex_match(line, m, re)) out.push_back({m[1], m[2].matched});
  }
  return out;
}

zk::cli::Args parse_words(const zk::cli::CommandSpec& cmd, std::vector<std::string> words) {
  words.insert(words.begin(), {"zkinfer", cmd.name});
  std::vector<char*> argv;
  for (auto& w : words) argv.push_back(w.data());
  return zk::cli::parse(cmd, static_cast<int>(argv.size()), argv.data(), 2);
}

TEST(CliHelp, VersionIsTheProjectVersion) {
  const std::string v = cmake_version();
  ASSERT_FALSE(v.empty());
  for (const char* arg : {"--version", "version"}) {
    auto r = zk({arg});
    EXPECT_EQ(r.code, 0) << r.all();
    EXPECT_EQ(r.out, "zkinfer " + v + "\n") << r.all();
  }
}

TEST(CliHelp, OverviewListsEveryCommand) {
  for (auto args : std::vector<std::vector<std::string>>{{"--help"}, {"help"}, {"-h"}}) {
    auto r = zk(args);
    EXPECT_EQ(r.code, 0) << r.all();
    EXPECT_TRUE(has(r.out, "usage: zkinfer")) << r.all();
    for (const auto& c : zk::cli::commands())
      EXPECT_TRUE(has(r.out, std::string("  zkinfer ") + c.name + " ")) << c.name;
    EXPECT_TRUE(has(r.out, "--version")) << r.all();
  }
}

// Every option a command's help lists is accepted by the parser (with a value
// exactly when the help shows one), and nothing else is: another command's
// option, or a made-up one, is "unknown".
TEST(CliHelp, HelpListsExactlyTheOptionsTheParserAccepts) {
  std::set<std::string> all_options;
  for (const auto& c : zk::cli::commands())
    for (const auto& o : c.options) all_options.insert(o.name);
  for (const auto& c : zk::cli::commands()) {
    SCOPED_TRACE(c.name);
    auto h1 = zk({c.name, "--help"});
    auto h2 = zk({"help", c.name});
    ASSERT_EQ(h1.code, 0) << h1.all();
    ASSERT_EQ(h2.code, 0) << h2.all();
    EXPECT_EQ(h1.out, h2.out);
    EXPECT_TRUE(has(h1.out, std::string("usage: zkinfer ") + c.name + " ")) << h1.out;
    const auto listed = listed_options(h1.out);
    std::set<std::string> names;
    for (const auto& o : listed) {
      names.insert(o.name);
      if (o.name == "--threads" || o.name == "--help") continue;  // taken before parsing
      std::vector<std::string> words{o.name};
      if (o.takes_value) words.push_back("VALUE");
      zk::cli::Args a;
      ASSERT_NO_THROW(a = parse_words(c, words)) << o.name;
      EXPECT_TRUE(a.has(o.name)) << o.name;
      if (o.takes_value) EXPECT_EQ(a.get(o.name), "VALUE") << o.name;
      // A flag takes no value: what follows it is a positional argument.
      if (!o.takes_value) EXPECT_TRUE(parse_words(c, {o.name, "x"}).positional.size() == 1);
    }
    // Every option of the table, and --threads and --help, is in the help.
    EXPECT_EQ(names.size(), c.options.size() + 2) << h1.out;
    for (const auto& o : c.options) EXPECT_TRUE(names.count(o.name)) << o.name;
    EXPECT_TRUE(names.count("--threads") && names.count("--help")) << h1.out;
    for (const auto& other : all_options) {
      if (names.count(other)) continue;
      EXPECT_THROW(parse_words(c, {other, "x"}), zk::cli::UsageError) << other;
    }
    auto r = zk({c.name, "--threads", "1", "--help"});
    EXPECT_EQ(r.code, 0) << r.all();
    auto bogus = zk({c.name, "--bogus", "1"});
    EXPECT_EQ(bogus.code, 2) << bogus.all();
    EXPECT_TRUE(has(bogus.err, "unknown option --bogus")) << bogus.all();
  }
}

TEST(CliHelp, HelpForAnUnknownCommandFails) {
  auto r = zk({"help", "frobnicate"});
  EXPECT_EQ(r.code, 2) << r.all();
  EXPECT_TRUE(has(r.err, "frobnicate")) << r.all();
}

std::string shell(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

// make demo builds the zkinfer target alone; make build still builds everything.
TEST(CliHelp, MakeDemoBuildsOnlyTheCommandLine) {
  const std::string make =
      "make -n -s -C " + std::string(ZK_SOURCE_DIR) + " BUILD=/nonexistent-zk-build JOBS=1 ";
  const std::string demo = shell(make + "demo 2>&1");
  ASSERT_TRUE(has(demo, "scripts/demo.sh")) << demo;
  std::istringstream in(demo);
  std::string line;
  int builds = 0;
  while (std::getline(in, line)) {
    if (!has(line, "cmake --build")) continue;
    ++builds;
    EXPECT_TRUE(has(line, "--target zkinfer")) << line;
  }
  EXPECT_EQ(builds, 1) << demo;
  EXPECT_TRUE(has(demo, "-G Ninja")) << demo;  // configures a fresh build directory
  const std::string build = shell(make + "build 2>&1");
  EXPECT_TRUE(has(build, "cmake --build /nonexistent-zk-build -j 1\n")) << build;
}

}  // namespace
