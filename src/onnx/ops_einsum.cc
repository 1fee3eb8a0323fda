// Einsum (matrix-product forms) lowered onto MatMul with permutes and
// reshapes (ops_linalg.cc).
#include <algorithm>
#include <functional>
#include <map>

#include "onnx/linalg.h"

namespace zk::onnx::conv {
namespace {

// An equation's letters by role, and each letter's size.
struct EinsumForm {
  std::string ta, tb, to;          // the operands' and the output's letters
  std::string batch, con, fa, fb;  // batch, contracted, free in A, free in B
  std::map<char, int64_t> size;
  std::function<void(const std::string&)> bad;  // fails naming the equation
};

EinsumForm parse_einsum(Importer& im, const Node& n) {
  EinsumForm f;
  std::string eq = im.attr_string(n, "equation", "");
  eq.erase(std::remove(eq.begin(), eq.end(), ' '), eq.end());
  const size_t arrow = eq.find("->"), comma = eq.find(',');
  f.bad = [&im, &n, eq](const std::string& why) {
    im.fail_attr(n, "equation",
                 "'" + eq + "' is not supported: " + why +
                     " (supported: two operands, explicit output, each letter a batch, "
                     "contracted or free letter, e.g. bij,bjk->bik or bhid,bhjd->bhij)");
  };
  auto& bad = f.bad;
  if (n.input_size() != 2 || arrow == std::string::npos || comma == std::string::npos ||
      comma > arrow || eq.find(',', comma + 1) != std::string::npos ||
      eq.find('.') != std::string::npos)
    bad("not of the form 'a,b->c'");
  f.ta = eq.substr(0, comma);
  f.tb = eq.substr(comma + 1, arrow - comma - 1);
  f.to = eq.substr(arrow + 2);
  const std::string &ta = f.ta, &tb = f.tb, &to = f.to;
  std::string &batch = f.batch, &con = f.con, &fa = f.fa, &fb = f.fb;
  auto& size = f.size;
  for (const std::string* t : {&ta, &tb, &to})
    for (char ch : *t)
      if (std::count(t->begin(), t->end(), ch) != 1 ||
          !std::isalpha(static_cast<unsigned char>(ch)))
        bad("repeated or invalid letter");
  for (char ch : to) {
    const bool ia = ta.find(ch) != std::string::npos, ib = tb.find(ch) != std::string::npos;
    if (ia && ib)
      batch += ch;
    else if (ia)
      fa += ch;
    else if (ib)
      fb += ch;
    else
      bad("output letter in no operand");
  }
  for (char ch : ta) {
    if (to.find(ch) != std::string::npos) continue;
    if (tb.find(ch) == std::string::npos) bad("a letter summed over one operand only");
    con += ch;
  }
  for (char ch : tb)
    if (to.find(ch) == std::string::npos && ta.find(ch) == std::string::npos)
      bad("a letter summed over one operand only");
  const Shape sa = in_full(im, n, 0), sb = in_full(im, n, 1);
  if (sa.size() != ta.size() || sb.size() != tb.size())
    bad("operand ranks differ from the letters");
  for (size_t i = 0; i < ta.size(); ++i) size[ta[i]] = sa[i];
  for (size_t i = 0; i < tb.size(); ++i)
    if (size.count(tb[i]) && size[tb[i]] != sb[i])
      bad("a letter with two sizes");
    else
      size[tb[i]] = sb[i];
  return f;
}

// The constant operand (letters tb) permuted to `perm` and read as a
// row-major matrix of the permuted dims `pd`.
std::vector<float> einsum_weight(const Const& B, const std::string& tb, const Shape& p,
                                 const Shape& pd) {
  const Shape& sb = B.shape;
  Shape stride(tb.size(), 1);
  for (size_t i = tb.size(); i-- > 1;) stride[i - 1] = stride[i] * sb[i];
  std::vector<float> w(B.f.size());
  Shape idx(p.size(), 0);
  for (size_t f = 0; f < w.size(); ++f) {
    int64_t src = 0;
    for (size_t i = 0; i < p.size(); ++i) src += idx[i] * stride[p[i]];
    w[f] = B.f[src];
    for (size_t i = p.size(); i-- > 0;) {
      if (++idx[i] < pd[i]) break;
      idx[i] = 0;
    }
  }
  return w;
}

}  // namespace

// Einsum of two operands in a matrix-product form: every letter is a batch
// letter (both operands and the output), a contracted one (both operands,
// not the output) or free (one operand and the output). Lowered to
// permutes, reshapes and one MatMul.
void conv_einsum(Importer& im, const Node& n) {
  EinsumForm f = parse_einsum(im, n);
  const std::string &ta = f.ta, &tb = f.tb, &to = f.to, &batch = f.batch, &con = f.con, &fa = f.fa,
                    &fb = f.fb;
  auto& size = f.size;
  auto& bad = f.bad;
  auto prod = [&](const std::string& s) {
    int64_t p = 1;
    for (char ch : s) p *= size[ch];
    return p;
  };
  auto perm_of = [](const std::string& from, const std::string& to_order) {
    Shape p;
    for (char ch : to_order) p.push_back(static_cast<int64_t>(from.find(ch)));
    return p;
  };
  auto dims_of = [&](const std::string& s) {
    Shape d;
    for (char ch : s) d.push_back(size[ch]);
    return d;
  };
  const int64_t I = prod(fa), K = prod(con), J = prod(fb);
  const std::string o = n.output(0);
  int a = im.act(n, 0, "first operand");
  a = emit_permute(im, n, a, perm_of(ta, batch + fa + con), o + "/zk_a", "perm_a");
  Shape a2 = dims_of(batch);
  a2.insert(a2.end(), {I, K});
  a = emit_reshape_to(im, n, a, a2, o + "/zk_a2", "rows_a");
  Shape mm_out = dims_of(batch);
  mm_out.insert(mm_out.end(), {I, J});
  int m;
  const Sym& bsym = im.sym(n, 1);
  if (bsym.is_const()) {
    if (!batch.empty()) bad("a constant operand with batch letters");
    std::vector<float> w = einsum_weight(*bsym.c, tb, perm_of(tb, con + fb), dims_of(con + fb));
    FNode f = make(im, n, OpKind::kMatMul, {a});
    f.weight = FTensor{{K, J}, std::move(w)};
    m = im.emit(std::move(f), o + "/zk_mm", mm_out);
  } else {
    int b = im.act(n, 1, "second operand");
    b = emit_permute(im, n, b, perm_of(tb, batch + con + fb), o + "/zk_b", "perm_b");
    Shape b2 = dims_of(batch);
    b2.insert(b2.end(), {K, J});
    b = emit_reshape_to(im, n, b, b2, o + "/zk_b2", "rows_b");
    m = emit_act_matmul(im, n, a, b, 1.0f, FTensor{}, o + "/zk_mm");
  }
  const std::string natural = batch + fa + fb;
  m = emit_reshape_to(im, n, m, dims_of(natural), o + "/zk_mm2", "unrows");
  const Shape p = perm_of(natural, to);
  if (im.full(m) == dims_of(to) && p == perm_of(to, to)) {
    im.emit(make(im, n, OpKind::kReshape, {m}, "/out"), o, dims_of(to));
    return;
  }
  emit_permute(im, n, m, p, o, "perm_out");
}

}  // namespace zk::onnx::conv
