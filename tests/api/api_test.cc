// The library API the command line and bindings share: compile, setup,
// prove, verify (with what the proof states), inspect (as data, with the
// commitment parameters the prover really uses), visibility strings, the
// opening file and opening commitments, and the one error hierarchy.
#include "api/api.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <type_traits>

#include "../support/onnx_builder.h"

namespace zk::api {
namespace {

using circuit::Visibility;
const std::string kBc = std::string(ZK_SOURCE_DIR) + "/examples/breast_cancer/";

static_assert(std::is_base_of_v<Error, FormatError>);
static_assert(std::is_base_of_v<Error, VerifyError>);
static_assert(std::is_base_of_v<Error, circuit::RangeError>);
static_assert(std::is_base_of_v<Error, model::ModelError>);
static_assert(std::is_base_of_v<Error, proof::ArgumentError>);
static_assert(std::is_base_of_v<std::runtime_error, Error>);

CompileResult compile_bc(const std::string& vis) {
  CompileOptions o;
  o.visibility = proof::parse_visibility(vis);
  o.calibration = proof::read_inputs(kBc + "calibration.json");
  return compile(kBc + "model.onnx", o);
}

TEST(Visibility, ParsesOverTheDefaults) {
  GroupVisibility d;
  EXPECT_EQ(d.input, Visibility::kPrivate);
  EXPECT_EQ(d.weights, Visibility::kCommitted);
  EXPECT_EQ(d.output, Visibility::kPublic);
  EXPECT_EQ(proof::parse_visibility(""), d);
  auto v = proof::parse_visibility("output=committed,input=public");
  EXPECT_EQ(v,
            (GroupVisibility{Visibility::kPublic, Visibility::kCommitted, Visibility::kCommitted}));
  EXPECT_EQ(proof::format_visibility(v), "input=public, weights=committed, output=committed");
  EXPECT_EQ(proof::parse_visibility("input=public,weights=committed,output=committed"), v);
  EXPECT_EQ(proof::parse_visibility("weights=private", v).weights, Visibility::kPrivate);
  for (const char* bad : {"input=secret", "inputs=public", "input", "weights=public,x"}) {
    try {
      (void)proof::parse_visibility(bad);
      ADD_FAILURE() << bad;
    } catch (const proof::ArgumentError& e) {
      EXPECT_NE(std::string(e.what()).find("visibility"), std::string::npos) << e.what();
    }
  }
}

TEST(Api, CompileRejectsOptionsOutOfRange) {
  CompileOptions o;
  o.table_bits = 99;
  EXPECT_THROW(compile(kBc + "model.onnx", o), proof::ArgumentError);
  o = {};
  o.max_proofs = 0;
  EXPECT_THROW(compile(kBc + "model.onnx", o), proof::ArgumentError);
  EXPECT_THROW(compile(kBc + "missing.onnx"), Error);
}

// The default visibility end to end: the result says what the proof proved
// and what stayed hidden.
TEST(Api, DefaultVisibilityProvesAndVerifies) {
  auto c = compile_bc("");
  EXPECT_EQ(c.model.circuit.model_name, "");
  EXPECT_GT(c.weights, 0u);
  auto keys = proof::setup(c.model);
  auto in = proof::read_inputs(kBc + "input.json");
  auto p = proof::prove(keys.pk, in);
  auto r = proof::verify(keys.vk, proof::save_proof(p.proof));
  ASSERT_TRUE(r.ok) << r.reason;
  EXPECT_EQ(r.visibility, GroupVisibility{});
  EXPECT_EQ(r.outputs, p.outputs);
  EXPECT_TRUE(r.public_inputs.empty());
  EXPECT_TRUE(r.commitments.empty());
  EXPECT_GT(r.bytes_by_kind.size(), 0u);
  // A malformed proof is a rejection naming the problem, not an exception.
  auto bytes = proof::save_proof(p.proof);
  bytes.resize(bytes.size() / 2);
  auto bad = proof::verify(keys.vk, bytes);
  EXPECT_FALSE(bad.ok);
  EXPECT_EQ(bad.reason.rfind("malformed proof: ", 0), 0u) << bad.reason;
  EXPECT_EQ(bad.check, "malformed proof");
  // A proof checked against another input names that check.
  auto pub = compile_bc("input=public,weights=public");
  auto pkeys = proof::setup(pub.model);
  auto pp = proof::prove(pkeys.pk, in);
  auto other = in;
  other[0][0] += 1;
  auto wrong = proof::verify(pkeys.vk, pp.proof, &other);
  EXPECT_FALSE(wrong.ok);
  EXPECT_EQ(wrong.check, "public input does not match the input the proof was made for");
}

TEST(Api, PublicInputIsStatedWithItsDigest) {
  auto c = compile_bc("input=public,weights=public");
  auto keys = proof::setup(c.model);
  auto in = proof::read_inputs(kBc + "input.json");
  auto p = proof::prove(keys.pk, in);
  auto r = proof::verify(keys.vk, p.proof, &in);
  ASSERT_TRUE(r.ok) << r.reason;
  ASSERT_EQ(r.public_inputs.size(), 1u);
  EXPECT_EQ(r.public_inputs[0].values.size(), in[0].size());
  ByteWriter w;
  for (auto x : p.proof.statement.inputs[0]) w.i64(x);
  EXPECT_EQ(r.public_inputs[0].digest, sha256(w.buf()));
}

// In zero-knowledge mode the witness is committed with hiding parameters
// sized by the proof's pads; inspect reports those, not the plain ones.
TEST(Inspect, ReportsTheWitnessParametersTheProverUses) {
  auto zkm = compile_bc("");
  const auto& c = zkm.model.circuit;
  ASSERT_TRUE(prover::zero_knowledge(c));
  auto s = proof::summarize(c);
  auto plain = prover::witness_pcs(c).params();
  EXPECT_TRUE(s.witness_commitment.hiding);
  EXPECT_TRUE(s.weight_commitment.hiding);
  EXPECT_FALSE(plain.hiding());
  EXPECT_TRUE(s.witness_commitment.rows != plain.rows() ||
              s.witness_commitment.cols != plain.cols() ||
              s.witness_commitment.queries != plain.queries);
  // The plan depends on the statement's shape only, not its values.
  auto keys = proof::setup(zkm.model);
  auto p = proof::prove(keys.pk, proof::read_inputs(kBc + "input.json"));
  auto real = proof::commitment_info(prover::witness_params(c, &p.proof.statement));
  EXPECT_EQ(real.rows, s.witness_commitment.rows);
  EXPECT_EQ(real.cols, s.witness_commitment.cols);
  EXPECT_EQ(real.queries, s.witness_commitment.queries);
  // Without zero knowledge the witness commitment is the plain one.
  auto pub = compile_bc("input=public,weights=public");
  auto ps = proof::summarize(pub.model.circuit);
  auto pp = prover::witness_pcs(pub.model.circuit).params();
  EXPECT_FALSE(ps.witness_commitment.hiding);
  EXPECT_EQ(ps.witness_commitment.rows, pp.rows());
  EXPECT_EQ(ps.witness_commitment.cols, pp.cols());
}

TEST(Inspect, DescribesEveryFileKind) {
  auto m = compile_bc("input=public,weights=public");
  auto keys = proof::setup(m.model);
  auto in = proof::read_inputs(kBc + "input.json");
  auto p = proof::prove(keys.pk, in);
  auto mi = proof::inspect(proof::save_model(m.model), "m");
  EXPECT_EQ(mi.kind, proof::FileKind::kModel);
  ASSERT_TRUE(mi.circuit);
  EXPECT_EQ(mi.circuit->digest, m.model.circuit.digest());
  EXPECT_EQ(mi.circuit->layers.size(), m.model.circuit.nodes.size());
  auto vi = proof::inspect(proof::save_vk(keys.vk), "vk");
  EXPECT_EQ(vi.kind, proof::FileKind::kVerifyingKey);
  EXPECT_EQ(vi.model_id, keys.vk.id());
  EXPECT_EQ(vi.weight_root, keys.vk.weight_root);
  auto ki = proof::inspect(proof::save_pk(keys.pk), "pk");
  EXPECT_EQ(ki.kind, proof::FileKind::kProvingKey);
  EXPECT_EQ(ki.weight_root, keys.vk.weight_root);
  auto bytes = proof::save_proof(p.proof);
  auto hi = proof::inspect(bytes, "proof");
  ASSERT_TRUE(hi.proof);
  EXPECT_FALSE(hi.proof->decoded);
  EXPECT_EQ(hi.proof->circuit_digest, m.model.circuit.digest());
  auto di = proof::inspect(bytes, "proof", &keys.vk);
  ASSERT_TRUE(di.proof && di.proof->decoded);
  EXPECT_TRUE(di.proof->verdict.ok) << di.proof->verdict.reason;
  EXPECT_EQ(di.proof->claimed_outputs, p.outputs);
  EXPECT_THROW(proof::inspect({1, 2, 3}, "junk"), FormatError);
  EXPECT_THROW(proof::inspect(std::vector<uint8_t>(bytes.begin(), bytes.begin() + 10), "cut"),
               FormatError);
}

TEST(Opening, CommittedOutputRoundTripsAndOpens) {
  auto m = compile_bc("input=private,output=committed");
  auto keys = proof::setup(m.model);
  auto p = proof::prove(keys.pk, proof::read_inputs(kBc + "input.json"));
  auto text = proof::write_opening(keys.pk.circuit, p);
  auto entries = proof::parse_opening(text, "open.json");
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_FALSE(entries[0].input);
  EXPECT_EQ(entries[0].commitment, p.proof.statement.commitments[0]);
  EXPECT_EQ(entries[0].secret, p.openings[0]);
  auto r = proof::open_tensor_commitment(keys.vk, p.proof, entries, false, p.outputs);
  EXPECT_EQ(r.match, proof::Match::kMatches);
  auto other = p.outputs;
  other[0][0] += 1;
  r = proof::open_tensor_commitment(keys.vk, p.proof, entries, false, other);
  EXPECT_EQ(r.match, proof::Match::kDifferentTensor);
  EXPECT_FALSE(r.tensor.empty());
  EXPECT_THROW(proof::open_tensor_commitment(keys.vk, p.proof, entries, true, p.outputs),
               proof::ArgumentError);
  EXPECT_THROW(proof::open_tensor_commitment(keys.vk, p.proof, {}, false, p.outputs), FormatError);
  EXPECT_THROW(proof::parse_opening("{not json", "open.json"), FormatError);
}

// An opening vouches for a tensor only through a proof that verifies against
// the key: a review found that a proof with corrupted bytes, or one made for
// another model, still "matched". And what a commitment binds is the
// quantized tensor: a float tensor that rounds to the same values matches
// too, and the result shows the quantized values that matched.
TEST(Opening, TensorOpensOnlyThroughAVerifiedProofAndByItsQuantizedValue) {
  auto m = compile_bc("input=private,output=committed");
  auto keys = proof::setup(m.model);
  auto p = proof::prove(keys.pk, proof::read_inputs(kBc + "input.json"));
  auto entries = proof::parse_opening(proof::write_opening(keys.pk.circuit, p), "open.json");
  auto r = proof::open_tensor_commitment(keys.vk, p.proof, entries, false, p.outputs);
  ASSERT_EQ(r.match, proof::Match::kMatches);
  ASSERT_EQ(r.quantized.size(), 1u);
  EXPECT_EQ(r.quantized[0], p.outputs[0]);  // the proven outputs are on the grid already
  // Nudged by less than half a grid step: another float tensor, same quantized value.
  const int scale = m.model.circuit.tensors[m.model.circuit.outputs[0]].scale;
  ASSERT_EQ(r.scales, std::vector<int>{scale});
  auto near = p.outputs;
  for (auto& x : near[0]) x += static_cast<float>(std::ldexp(0.3, -scale));
  ASSERT_NE(near, p.outputs);
  auto rn = proof::open_tensor_commitment(keys.vk, p.proof, entries, false, near);
  EXPECT_EQ(rn.match, proof::Match::kMatches);
  EXPECT_EQ(rn.quantized, r.quantized);
  // 1,000 corrupted bytes in the proof's stream: rejected, not a match.
  auto bad = p.proof;
  for (size_t i = 0; i < 1000; ++i) bad.stream[(i * 7919) % bad.stream.size()] ^= 0x5a;
  auto rb = proof::open_tensor_commitment(keys.vk, bad, entries, false, p.outputs);
  EXPECT_EQ(rb.match, proof::Match::kProofRejected);
  EXPECT_FALSE(rb.reason.empty());
  EXPECT_TRUE(rb.quantized.empty());
  // A valid proof of another model (same commitment and secret carried over)
  // does not verify against this key.
  auto other = compile_bc("input=public,output=committed");
  auto okeys = proof::setup(other.model);
  auto op = proof::prove(okeys.pk, proof::read_inputs(kBc + "input.json"));
  auto oentries = proof::parse_opening(proof::write_opening(okeys.pk.circuit, op), "o.json");
  ASSERT_EQ(proof::open_tensor_commitment(okeys.vk, op.proof, oentries, false, op.outputs).match,
            proof::Match::kMatches);
  auto ro = proof::open_tensor_commitment(keys.vk, op.proof, oentries, false, op.outputs);
  EXPECT_EQ(ro.match, proof::Match::kProofRejected);
  EXPECT_NE(ro.reason.find("different model"), std::string::npos) << ro.reason;
}

// An output through an activation (here ReLU after a Conv with a bias) was
// computed non-zero at its padded positions, so its commitment never opened
// from the revealed output. The prover now zeroes that free padding.
TEST(Opening, CommittedOutputThroughAnActivationOpens) {
  auto path = zk::testing::conv_block(false).write("conv_block_committed.onnx");
  CompileOptions o;
  o.visibility = parse_visibility("input=private,weights=public,output=committed");
  auto keys = setup(compile(path, o).model);
  const std::vector<std::vector<float>> in = {zk::testing::iota_data(50, 1.0f, 0.1f)};
  auto p = prove(keys.pk, in);
  auto v = verify(keys.vk, p.proof);
  ASSERT_TRUE(v.ok) << v.reason;
  auto e = parse_opening(write_opening(keys.pk.circuit, p), "open.json");
  EXPECT_EQ(open_tensor_commitment(keys.vk, p.proof, e, false, p.outputs).match,
            proof::Match::kMatches);
  // Public, the same output is stated with zero padding too.
  o.visibility = parse_visibility("input=private,weights=public,output=public");
  auto pk2 = setup(compile(path, o).model);
  auto p2 = prove(pk2.pk, in);
  ASSERT_TRUE(verify(pk2.vk, p2.proof).ok);
  const auto& t = pk2.vk.circuit.tensors[pk2.vk.circuit.outputs[0]];
  for (size_t i = 0; i < p2.proof.statement.outputs[0].size(); ++i)
    if (!circuit::is_valid_index(t, i)) {
      EXPECT_EQ(p2.proof.statement.outputs[0][i], 0) << i;
    }
  // An output other nodes read (the Conv's, exposed) keeps the padding the
  // circuit computes: committed, it could never open, so prove refuses.
  auto exposed = zk::testing::conv_block(true).write("conv_block_exposed.onnx");
  o.visibility = parse_visibility("input=private,weights=public,output=committed");
  auto k3 = setup(compile(exposed, o).model);
  try {
    (void)prove(k3.pk, in);
    ADD_FAILURE() << "proved a commitment that cannot be opened";
  } catch (const model::ModelError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot be committed"), std::string::npos) << e.what();
  }
}

TEST(Opening, ModelOpensItsHidingWeightCommitmentWithTheProvingKey) {
  auto m = compile_bc("");
  auto keys = proof::setup(m.model);
  EXPECT_THROW(proof::open_model_commitment(keys.vk, m.model), proof::ArgumentError);
  EXPECT_EQ(proof::open_model_commitment(keys.vk, m.model, &keys.pk).match, proof::Match::kMatches);
  auto changed = m.model;
  for (auto& w : changed.weights)
    if (!w.empty()) {
      w[0] += 1;
      break;
    }
  EXPECT_EQ(proof::open_model_commitment(keys.vk, changed, &keys.pk).match,
            proof::Match::kDifferentWeights);
  auto other = compile_bc("input=public");
  EXPECT_EQ(proof::open_model_commitment(keys.vk, other.model, &keys.pk).match,
            proof::Match::kDifferentCircuit);
}

// The verifying key depends on the model, not on its file's name (review
// issue 8: the key embedded the ONNX file name). A name is opt-in.
TEST(Api, SameModelUnderAnotherFileNameCompilesToTheSameKey) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("zk_api_names_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  fs::copy_file(kBc + "model.onnx", dir / "diagnosis.onnx", fs::copy_options::overwrite_existing);
  fs::copy_file(kBc + "model.onnx", dir / "other.onnx", fs::copy_options::overwrite_existing);
  for (const char* vis : {"weights=public", "weights=private"}) {
    CompileOptions o;
    o.visibility = proof::parse_visibility(vis);
    o.calibration = proof::read_inputs(kBc + "calibration.json");
    auto a = compile((dir / "diagnosis.onnx").string(), o).model;
    auto b = compile((dir / "other.onnx").string(), o).model;
    EXPECT_EQ(proof::save_vk(proof::setup(a).vk), proof::save_vk(proof::setup(b).vk)) << vis;
    EXPECT_EQ(proof::save_model(a), proof::save_model(b)) << vis;
    o.name = "diagnosis v2";
    auto named = compile((dir / "other.onnx").string(), o).model;
    EXPECT_EQ(named.circuit.model_name, "diagnosis v2");
    EXPECT_NE(named.circuit.digest(), a.circuit.digest());
    EXPECT_EQ(proof::inspect(proof::save_vk(proof::setup(named).vk), "vk").circuit->model_name,
              "diagnosis v2");
  }
  CompileOptions bad;
  bad.name = std::string(kMaxModelName + 1, 'x');
  EXPECT_THROW(compile(kBc + "model.onnx", bad), proof::ArgumentError);
  bad.name = "a\nb";
  EXPECT_THROW(compile(kBc + "model.onnx", bad), proof::ArgumentError);
  fs::remove_all(dir);
}

TEST(Api, RunModelComparesFloatAndQuantized) {
  auto r = run_model(kBc + "model.onnx", proof::read_inputs(kBc + "input.json"),
                     proof::read_inputs(kBc + "calibration.json"));
  ASSERT_FALSE(r.quantized_failure);
  ASSERT_EQ(r.outputs.size(), 1u);
  EXPECT_EQ(r.outputs[0].float_values.size(), r.outputs[0].quantized.size());
  EXPECT_LT(r.outputs[0].max_abs_error, 0.1);
  EXPECT_THROW(run_model(kBc + "model.onnx", {{1, 2}}), model::ModelError);
}

}  // namespace
}  // namespace zk::api

namespace zk {
namespace {

// The README's example, through the zk::api names only.
TEST(Api, ReadmeExample) {
  const std::string bc = std::string(ZK_SOURCE_DIR) + "/examples/breast_cancer/";
  auto inputs = proof::read_inputs(bc + "input.json");
  api::CompileOptions opt;
  opt.visibility = api::parse_visibility("input=private,output=committed");
  opt.calibration = proof::read_inputs(bc + "calibration.json");
  auto model = api::compile(bc + "model.onnx", opt).model;
  auto keys = api::setup(model);
  auto res = api::prove(keys.pk, inputs);
  auto v = api::verify(keys.vk, res.proof);
  ASSERT_TRUE(v.ok) << v.reason;
  ASSERT_EQ(v.commitments.size(), 1u);
  EXPECT_FALSE(v.commitments[0].input);
  auto info = api::inspect(proof::save_vk(keys.vk), "vk");
  EXPECT_EQ(info.kind, proof::FileKind::kVerifyingKey);
}

}  // namespace
}  // namespace zk
