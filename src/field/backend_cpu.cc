// The CPU backend (field/backend.h) on the thread pool of field/parallel.h.
#include <algorithm>

#include "field/backend.h"
#include "field/ntt.h"
#include "field/parallel.h"

namespace zk::backend {

namespace {

void eq_table_serial(std::span<Fp2> out, std::span<const Fp2> r, Fp2 scale) {
  out[0] = scale;
  size_t len = 1;
  // Straightforward construction: process variables from the top down, so that
  // after processing variables n-1..i the table is indexed by x >> i.
  for (size_t i = r.size(); i-- > 0;) {
    for (size_t j = len; j-- > 0;) {
      Fp2 v = out[j];
      Fp2 hi = v * r[i];
      out[2 * j + 1] = hi;
      out[2 * j] = v - hi;
    }
    len *= 2;
  }
}

}  // namespace

void eq_table(std::span<Fp2> out, std::span<const Fp2> r, Fp2 scale) {
  const size_t n = r.size();
  if (n < 15 || num_threads() <= 1) return eq_table_serial(out, r, scale);
  // eq(r, x) = eq(r_high, x_high) eq(r_low, x_low): two half-size tables,
  // then one product per entry, in chunks.
  const size_t lo = n / 2, mask = (size_t{1} << lo) - 1;
  std::vector<Fp2> low(size_t{1} << lo), high(size_t{1} << (n - lo));
  eq_table_serial(low, r.first(lo), Fp2::one());
  eq_table_serial(high, r.subspan(lo), scale);
  parallel_chunks(size_t{1} << n, size_t{1} << 13, [&](size_t b, size_t e, unsigned) {
    for (size_t i = b; i < e; ++i) out[i] = high[i >> lo] * low[i & mask];
  });
}

void fold_pairs(std::span<const Fp2> in, Fp2 r, std::span<Fp2> out) {
  parallel_chunks(out.size(), size_t{1} << 13, [&](size_t b, size_t e, unsigned) {
    for (size_t i = b; i < e; ++i) out[i] = in[2 * i] + r * (in[2 * i + 1] - in[2 * i]);
  });
}

void fold_tables(const std::vector<std::vector<Fp2>>& in, Fp2 r, std::vector<std::vector<Fp2>>& out,
                 size_t pairs) {
  const size_t min_chunk = std::max<size_t>(size_t{1} << 10, (size_t{1} << 12) / (in.size() + 1));
  parallel_chunks(pairs, min_chunk, [&](size_t b, size_t e, unsigned) {
    for (size_t j = 0; j < in.size(); ++j) {
      const Fp2* x = in[j].data();
      Fp2* y = out[j].data();
      for (size_t i = b; i < e; ++i) y[i] = x[2 * i] + r * (x[2 * i + 1] - x[2 * i]);
    }
  });
}

std::vector<Fp2> round_sums(size_t pairs, unsigned degree, const PairSums& fn) {
  const unsigned t = num_threads();
  std::vector<std::vector<Fp2>> partial(t, std::vector<Fp2>(degree + 1));
  parallel_chunks_on(t, pairs, size_t{1} << 10,
                     [&](size_t b, size_t e, unsigned k) { fn(b, e, partial[k]); });
  std::vector<Fp2> evals(degree + 1);
  for (const auto& p : partial)
    for (unsigned x = 0; x <= degree; ++x) evals[x] += p[x];
  return evals;
}

void product_pair_sums(const std::vector<std::vector<Fp2>>& tables,
                       const std::vector<ProductTerm>& terms, unsigned degree, size_t begin,
                       size_t end, std::vector<Fp2>& evals) {
  const size_t nt = tables.size(), stride = degree + 1;
  std::vector<Fp2> cur(nt * stride);
  std::vector<bool> unit(terms.size());
  for (size_t t = 0; t < terms.size(); ++t) unit[t] = terms[t].coeff == Fp2::one();
  // Fast path: a plain product of two tables (matrix products, batching).
  if (terms.size() == 1 && degree == 2 && terms[0].factors.size() == 2 && unit[0]) {
    const auto& A = tables[terms[0].factors[0]];
    const auto& B = tables[terms[0].factors[1]];
    Fp2 e0, e2;
    for (size_t i = begin; i < end; ++i) {
      Fp2 a0 = A[2 * i], a1 = A[2 * i + 1], b0 = B[2 * i], b1 = B[2 * i + 1];
      e0 += a0 * b0;
      e2 += (a1 + a1 - a0) * (b1 + b1 - b0);
    }
    evals[0] += e0;
    evals[2] += e2;
    return;
  }
  for (size_t i = begin; i < end; ++i) {
    for (size_t j = 0; j < nt; ++j) {
      Fp2 lo = tables[j][2 * i], d = tables[j][2 * i + 1] - lo;
      Fp2* c = &cur[j * stride];
      c[0] = lo;
      for (unsigned x = 1; x <= degree; ++x) c[x] = c[x - 1] + d;
    }
    for (size_t t = 0; t < terms.size(); ++t) {
      const auto& f = terms[t].factors;
      for (unsigned x = 0; x <= degree; ++x) {
        if (x == 1) continue;
        Fp2 prod = cur[f[0] * stride + x];
        for (size_t k = 1; k < f.size(); ++k) prod *= cur[f[k] * stride + x];
        evals[x] += unit[t] ? prod : prod * terms[t].coeff;
      }
    }
  }
}

void add(std::span<Fp2> acc, std::span<const Fp2> x) {
  parallel_chunks(x.size(), size_t{1} << 14, [&](size_t b, size_t e, unsigned) {
    for (size_t i = b; i < e; ++i) acc[i] += x[i];
  });
}

void add(std::span<Fp2> acc, std::span<const Fp> x) {
  parallel_chunks(x.size(), size_t{1} << 14, [&](size_t b, size_t e, unsigned) {
    for (size_t i = b; i < e; ++i) acc[i] += Fp2(x[i]);
  });
}

void lift(std::span<const Fp> x, std::span<Fp2> out) {
  parallel_chunks(x.size(), size_t{1} << 14, [&](size_t b, size_t e, unsigned) {
    for (size_t i = b; i < e; ++i) out[i] = Fp2(x[i]);
  });
}

void rs_encode_rows(size_t rows, size_t msg_len, size_t code_len,
                    const std::function<void(size_t row, Fp* buf)>& message, Fp* out) {
  // Long rows (a few mask rows) go one per task; short ones in fours.
  parallel_chunks(rows, code_len >= (size_t{1} << 12) ? 1 : 4, [&](size_t b, size_t e, unsigned) {
    std::vector<Fp> buf(code_len);
    for (size_t i = b; i < e; ++i) {
      std::fill(buf.begin(), buf.end(), Fp());
      message(i, buf.data());
      // An all-zero message (padding rows) encodes to zeros: skip the NTT.
      if (std::all_of(buf.begin(), buf.begin() + msg_len, [](Fp x) { return x.is_zero(); }))
        continue;
      ntt(buf);
      for (size_t j = 0; j < code_len; ++j) out[j * rows + i] = buf[j];
    }
  });
}

}  // namespace zk::backend
