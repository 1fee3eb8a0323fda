// Weight tensors committed in pieces (prover::Pieces): a conv kernel whose
// 3x3 or 5x5 window pads to 4x4 or 8x8 is committed as one block per window
// position, the padding left out. Proofs over such commitments verify in
// every weight visibility; a prover whose weights differ from the committed
// ones, at any piece, is rejected.
#include <gtest/gtest.h>

#include "api/api.h"
#include "prover/commitments.h"

namespace zk::api {
namespace {

using circuit::TensorKind;

const std::string kLenet = std::string(ZK_SOURCE_DIR) + "/examples/lenet/";

CompileResult lenet(const std::string& vis) {
  CompileOptions o;
  o.visibility = proof::parse_visibility(vis);
  o.calibration = proof::read_inputs(kLenet + "calibration.json");
  return compile(kLenet + "lenet.onnx", o);
}

circuit::Tensor tensor(std::vector<int64_t> dims) {
  circuit::Tensor t;
  t.dims = dims;
  for (auto d : dims) {
    uint32_t l = 0;
    while ((int64_t{1} << l) < d) ++l;
    t.log_dims.push_back(l);
  }
  return t;
}

TEST(WeightPieces, SplitsWhereThePaddingIsLarge) {
  // [64, 128, 3, 3] pads to 64 x 128 x 16: nine pieces of 64 x 128.
  auto p = prover::split_of(tensor({64, 128, 3, 3}));
  EXPECT_EQ(p.low_vars, 4u);
  ASSERT_EQ(p.low_index.size(), 9u);
  EXPECT_EQ(p.low_index[0], 0u);
  EXPECT_EQ(p.low_index[1], 1u);
  EXPECT_EQ(p.low_index[3], 4u);   // ky = 1, kx = 0
  EXPECT_EQ(p.low_index[8], 10u);  // ky = 2, kx = 2
  // Powers of two, or padding under an eighth: kept whole.
  EXPECT_EQ(prover::split_of(tensor({512, 512})).low_vars, 0u);
  EXPECT_EQ(prover::split_of(tensor({16, 30})).low_vars, 0u);
  // More valid window positions than pieces allowed: the last dim alone.
  auto q = prover::split_of(tensor({8, 8, 9, 9}));
  EXPECT_EQ(q.low_vars, 4u);
  EXPECT_EQ(q.low_index.size(), 9u);
}

TEST(WeightPieces, LenetsKernelsAreInPiecesAndTheCommitmentIsSmaller) {
  auto m = lenet("");
  const auto& c = m.model.circuit;
  auto wl = prover::weight_layout(c);
  size_t pieced = 0, padded = 0;
  for (size_t t = 0; t < c.tensors.size(); ++t) {
    if (c.tensors[t].kind != TensorKind::kWeight) continue;
    padded += c.tensors[t].padded_size();
    if (wl.pieces[t].low_vars == 0) continue;
    ++pieced;
    EXPECT_EQ(wl.offset[t], -1);
    for (size_t off : wl.pieces[t].offset)
      EXPECT_EQ(off % (c.tensors[t].padded_size() >> wl.pieces[t].low_vars), 0u);
  }
  EXPECT_GE(pieced, 2u);
  EXPECT_LT(wl.used, padded);
}

// Proves with weights that differ from the committed ones at one entry of
// every pieced tensor (the executor sees them, the commitment does not).
VerifyResult prove_with_altered_weights(const std::string& vis, bool alter) {
  auto m = lenet(vis);
  auto keys = setup(m.model);
  if (alter)
    for (size_t t = 0; t < keys.pk.circuit.tensors.size(); ++t) {
      const auto& tt = keys.pk.circuit.tensors[t];
      if (tt.kind != TensorKind::kWeight || prover::split_of(tt).low_vars == 0) continue;
      keys.pk.weights[t][0] += 1;  // (o, c, ky, kx) = 0: in the first piece
    }
  auto r = prove(keys.pk, proof::read_inputs(kLenet + "input.json"));
  return verify(keys.vk, r.proof);
}

// Public weights: the weighted opening of the pieces fails; committed
// weights: the claims enter the zero-knowledge argument, whose final check
// fails.
TEST(WeightPieces, ProofsVerifyAndAlteredWeightsAreRejected) {
  struct Case {
    const char* vis;
    const char* reason;  // of the rejection with altered weights ("": none committed)
  };
  for (const Case& k :
       {Case{"input=public,weights=public", "weight opening"},
        Case{"", "final check of the constraint sumcheck failed"}, Case{"weights=private", ""}}) {
    SCOPED_TRACE(k.vis);
    auto ok = prove_with_altered_weights(k.vis, false);
    EXPECT_TRUE(ok.ok) << ok.reason;
    if (!*k.reason) continue;
    auto bad = prove_with_altered_weights(k.vis, true);
    EXPECT_FALSE(bad.ok);
    EXPECT_NE(bad.reason.find(k.reason), std::string::npos) << bad.reason;
  }
}

TEST(WeightPieces, AValueInThePaddingIsRefused) {
  auto m = lenet("");
  auto& c = m.model.circuit;
  for (size_t t = 0; t < c.tensors.size(); ++t) {
    if (c.tensors[t].kind != TensorKind::kWeight || prover::split_of(c.tensors[t]).low_vars == 0)
      continue;
    m.model.weights[t][c.tensors[t].padded_size() - 1] = 1;  // last window position: padding
    EXPECT_THROW(prover::pack_weights(c, m.model.weights), std::logic_error);
    return;
  }
  FAIL() << "no tensor in pieces";
}

}  // namespace
}  // namespace zk::api
