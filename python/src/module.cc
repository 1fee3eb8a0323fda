// The zkinfer Python extension (_zkinfer): a thin layer over the library API
// (src/api/api.h). Tensors cross as flat float lists in C order; shapes,
// numpy, torch and the friendlier signatures live in python/zkinfer/.
// Long calls release the GIL.
#include <pybind11/functional.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "api/api.h"
#include "field/parallel.h"
#include "field/progress.h"
#include "hash/sha256.h"
#include "onnx/import.h"
#include "proof/budget.h"
#include "proof/estimate.h"
#include "proof/files.h"

namespace py = pybind11;
using namespace zk;

namespace {

using Tensors = std::vector<std::vector<float>>;
using Callback = std::optional<std::function<void(std::string, double)>>;

// The library's progress reports to a Python callable (which takes the GIL
// when called), for the duration of one call on this thread.
ProgressFn sink(const Callback& cb) {
  if (!cb) return {};
  return [f = *cb](std::string_view phase, double fraction) { f(std::string(phase), fraction); };
}

py::bytes to_bytes(const std::vector<uint8_t>& b) {
  return py::bytes(reinterpret_cast<const char*>(b.data()), b.size());
}
std::vector<uint8_t> from_bytes(const py::bytes& b) {
  std::string_view s = b;
  return {s.begin(), s.end()};
}

// name, shape of each of the circuit's inputs or outputs.
py::list specs(const circuit::Circuit& c, const std::vector<int32_t>& ids) {
  py::list out;
  for (int32_t id : ids) {
    const auto& t = c.tensors[id];
    out.append(py::make_tuple(t.name, t.dims));
  }
  return out;
}

py::dict visibility(const proof::GroupVisibility& v) {
  py::dict d;
  d["input"] = proof::visibility_name(v.input);
  d["weights"] = proof::visibility_name(v.weights);
  d["output"] = proof::visibility_name(v.output);
  return d;
}

// The quantized circuit's outputs on float inputs (dequantized).
Tensors run_circuit(const quant::CompiledModel& m, const Tensors& inputs) {
  auto qin = quant::quantize_inputs(m.circuit, inputs);
  auto values = quant::run_quantized(m, qin);
  Tensors out;
  for (int32_t t : m.circuit.outputs)
    out.push_back(quant::dequantize(m.circuit.tensors[t], values[t]));
  return out;
}

py::dict report(const api::RunReport& r) {
  py::list names, fl, ql, err;
  for (const auto& o : r.outputs) {
    names.append(o.name);
    fl.append(o.float_values);
    ql.append(o.quantized);
    err.append(o.max_abs_error);
  }
  py::dict d;
  d["names"] = names;
  d["float"] = fl;
  d["quantized"] = ql;
  d["max_abs_error"] = err;
  d["float_ms"] = r.float_ms;
  d["int_ms"] = r.int_ms;
  return d;
}

api::RunReport run_or_throw(const api::Comparator& c, const Tensors& inputs) {
  auto r = c.run(inputs);
  if (r.quantized_failure) std::rethrow_exception(r.quantized_failure);
  return r;
}

// A proving key with its proof budget (weights=committed): a key saved to or
// loaded from a file counts in the file's counter, shared with the command
// line (proof/budget.h); one that lives only in memory (from setup or bytes)
// counts here. Keys of other visibilities have no budget.
struct Pk {
  explicit Pk(proof::ProvingKey k) : key(std::make_shared<proof::ProvingKey>(std::move(k))) {}
  std::shared_ptr<proof::ProvingKey> key;
  std::string path;      // the file it counts in, if any
  uint32_t counted = 0;  // proofs used, as of this object's last proof (its file's count)

  bool budgeted() const { return key->circuit.weight_vis == circuit::Visibility::kCommitted; }
  uint32_t max() const { return budgeted() ? key->circuit.weight_proofs : 0; }
  proof::Budget reserve() {
    if (!budgeted()) return {};
    if (!path.empty()) {
      auto b = proof::reserve_proof(path, *key);
      counted = b.used;
      return b;
    }
    if (counted >= max())
      throw proof::BudgetError(
          "this proving key's weight commitment has been used for all " + std::to_string(max()) +
          " proofs it keeps the weights hidden for; another proof would let anyone recover the "
          "committed weights (docs/SECURITY.md). Run setup again for a fresh commitment");
    return {++counted, max()};
  }
  // Writes the key and its counter (carrying the proofs counted so far).
  void save(const std::string& to) {
    proof::write_pk(to, *key);
    if (!budgeted()) return;
    proof::start_budget(to, *key);
    for (uint32_t i = 0; i < counted; ++i) proof::reserve_proof(to, *key);
    path = to;
  }
};

py::dict verified(const proof::VerifyResult& r, const proof::VerifyingKey& vk) {
  py::dict d;
  d["ok"] = r.ok;
  d["reason"] = r.reason;
  d["check"] = r.check;
  if (!r.ok) return d;
  d["outputs"] = r.outputs;
  py::list pub;
  for (const auto& p : r.public_inputs)
    pub.append(py::make_tuple(p.name, p.values, digest_hex(p.digest)));
  d["public_inputs"] = pub;
  py::list com;
  for (const auto& c : r.commitments)
    com.append(py::make_tuple(c.name, c.input ? "input" : "output", digest_hex(c.commitment)));
  d["commitments"] = com;
  d["visibility"] = visibility(r.visibility);
  d["bytes_by_kind"] = r.bytes_by_kind;
  d["model_id"] = digest_hex(vk.id());
  return d;
}

const char* match_name(proof::Match m) {
  switch (m) {
    case proof::Match::kMatches:
      return "matches";
    case proof::Match::kDifferentCircuit:
      return "different circuit";
    case proof::Match::kDifferentWeights:
      return "different weights";
    case proof::Match::kDifferentTensor:
      return "different tensor";
    case proof::Match::kProofRejected:
      return "proof rejected";
  }
  return "unknown";
}

py::dict opened(const proof::OpenResult& r) {
  py::dict d;
  d["match"] = match_name(r.match);
  d["ok"] = r.match == proof::Match::kMatches;
  d["tensor"] = r.tensor;
  d["reason"] = r.reason;
  d["quantized"] = r.quantized;
  return d;
}

void bind_errors(py::module_& m) {
  static py::exception<Error> error(m, "Error");
  static py::exception<model::ModelError> model_error(m, "ModelError", error.ptr());
  static py::exception<circuit::RangeError> range_error(m, "RangeError", error.ptr());
  static py::exception<FormatError> format_error(m, "FormatError", error.ptr());
  static py::exception<proof::ArgumentError> argument_error(m, "ArgumentError", error.ptr());
  static py::exception<proof::BudgetError> budget_error(m, "BudgetError", error.ptr());
  static py::exception<VerifyError> verify_error(m, "VerifyError", error.ptr());
  // Most derived first: pybind11 tries translators newest first.
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const model::ModelError& e) {
      model_error(e.what());
    } catch (const circuit::RangeError& e) {
      range_error(e.what());
    } catch (const FormatError& e) {
      format_error(e.what());
    } catch (const proof::ArgumentError& e) {
      argument_error(e.what());
    } catch (const proof::BudgetError& e) {
      budget_error(e.what());
    } catch (const VerifyError& e) {
      verify_error(e.what());
    } catch (const Error& e) {
      error(e.what());
    }
  });
}

void bind_model(py::module_& m) {
  py::class_<quant::CompiledModel, std::shared_ptr<quant::CompiledModel>>(m, "CompiledModel")
      .def("to_bytes", [](const quant::CompiledModel& c) { return to_bytes(proof::save_model(c)); })
      .def_static(
          "from_bytes",
          [](const py::bytes& b, const std::string& what) {
            return std::make_shared<quant::CompiledModel>(proof::load_model(from_bytes(b), what));
          })
      .def("digest", [](const quant::CompiledModel& c) { return digest_hex(c.circuit.digest()); })
      .def("inputs",
           [](const quant::CompiledModel& c) { return specs(c.circuit, c.circuit.inputs); })
      .def("outputs",
           [](const quant::CompiledModel& c) { return specs(c.circuit, c.circuit.outputs); })
      .def(
          "visibility",
          [](const quant::CompiledModel& c) { return visibility(proof::visibility_of(c.circuit)); })
      .def("name", [](const quant::CompiledModel& c) { return c.circuit.model_name; })
      .def("estimate",
           [](const quant::CompiledModel& c) {
             auto e = proof::estimate(c.circuit);
             py::dict d;
             d["prove_ms"] = e.prove_ms;
             d["setup_ms"] = e.setup_ms;
             d["peak_bytes"] = e.peak_bytes;
             d["proof_bytes"] = e.proof_bytes;
             d["pk_bytes"] = e.pk_bytes;
             return d;
           })
      .def("run", &run_circuit, py::call_guard<py::gil_scoped_release>())
      .def("setup", [](const quant::CompiledModel& c, const Callback& cb) {
        proof::Keys k;
        {
          py::gil_scoped_release release;
          ScopedProgress progress(sink(cb));
          k = proof::setup(c);
        }
        return py::make_tuple(std::make_shared<Pk>(std::move(k.pk)),
                              std::make_shared<proof::VerifyingKey>(std::move(k.vk)));
      });

  m.def(
      "compile",
      [](const std::string& path, const Tensors& calibration, const std::string& vis,
         unsigned table_bits, int weight_bits, int max_scale, uint32_t max_proofs,
         const std::string& name) {
        api::CompileOptions o;
        if (!vis.empty()) o.visibility = proof::parse_visibility(vis);
        o.table_bits = table_bits;
        o.weight_bits = weight_bits;
        o.max_scale = max_scale;
        o.max_proofs = max_proofs;
        o.calibration = calibration;
        o.name = name;
        api::CompileResult r;
        {
          py::gil_scoped_release release;
          r = api::compile(path, o);
        }
        py::dict acc;
        acc["samples"] = r.accuracy.samples;
        acc["max_abs_error"] = r.accuracy.max_abs_error;
        acc["max_abs_output"] = r.accuracy.max_abs_output;
        acc["argmax_agreement"] = r.accuracy.argmax_agreement;
        acc["warning"] = r.accuracy.warning;
        return py::make_tuple(std::make_shared<quant::CompiledModel>(std::move(r.model)),
                              r.onnx_ops, r.weights, acc);
      },
      py::arg("path"), py::arg("calibration"), py::arg("visibility"), py::arg("table_bits"),
      py::arg("weight_bits"), py::arg("max_scale"), py::arg("max_proofs"), py::arg("name"));

  py::class_<api::Comparator, std::shared_ptr<api::Comparator>>(m, "Comparator")
      .def(py::init<const std::string&, const Tensors&>(), py::arg("path"), py::arg("calibration"),
           py::call_guard<py::gil_scoped_release>())
      .def("run",
           [](const api::Comparator& c, const Tensors& inputs) {
             api::RunReport r;
             {
               py::gil_scoped_release release;
               r = run_or_throw(c, inputs);
             }
             return report(r);
           })
      .def("inputs", [](const api::Comparator& c) {
        return specs(c.model().circuit, c.model().circuit.inputs);
      });
}

void bind_keys(py::module_& m) {
  py::class_<Pk, std::shared_ptr<Pk>>(m, "ProvingKey")
      .def("to_bytes", [](const Pk& k) { return to_bytes(proof::save_pk(*k.key)); })
      .def_static("from_bytes",
                  [](const py::bytes& b, const std::string& what) {
                    return std::make_shared<Pk>(proof::load_pk(from_bytes(b), what));
                  })
      .def("save",
           [](Pk& k, const std::string& path) {
             py::gil_scoped_release release;
             k.save(path);
           })
      .def_static("load",
                  [](const std::string& path) {
                    py::gil_scoped_release release;
                    auto k = std::make_shared<Pk>(proof::load_pk_file(path));
                    k->path = path;
                    return k;
                  })
      .def("budget", [](const Pk& k) { return py::make_tuple(k.counted, k.max()); })
      .def("inputs", [](const Pk& k) { return specs(k.key->circuit, k.key->circuit.inputs); })
      .def("outputs", [](const Pk& k) { return specs(k.key->circuit, k.key->circuit.outputs); })
      .def("prove", [](Pk& k, const Tensors& inputs, const Callback& cb) {
        proof::ProveResult r;
        proof::Budget b;
        {
          py::gil_scoped_release release;
          b = k.reserve();
          ScopedProgress progress(sink(cb));
          r = proof::prove(*k.key, inputs);
        }
        return py::make_tuple(to_bytes(proof::save_proof(r.proof)), r.outputs,
                              proof::write_opening(k.key->circuit, r),
                              py::make_tuple(b.used, b.max));
      });

  py::class_<proof::VerifyingKey, std::shared_ptr<proof::VerifyingKey>>(m, "VerifyingKey")
      .def("to_bytes", [](const proof::VerifyingKey& k) { return to_bytes(proof::save_vk(k)); })
      .def_static(
          "from_bytes",
          [](const py::bytes& b, const std::string& what) {
            return std::make_shared<proof::VerifyingKey>(proof::load_vk(from_bytes(b), what));
          })
      .def("id", [](const proof::VerifyingKey& k) { return digest_hex(k.id()); })
      .def("weight_commitment",
           [](const proof::VerifyingKey& k) { return digest_hex(k.weight_root); })
      .def("digest", [](const proof::VerifyingKey& k) { return digest_hex(k.circuit.digest()); })
      .def("inputs",
           [](const proof::VerifyingKey& k) { return specs(k.circuit, k.circuit.inputs); })
      .def("outputs",
           [](const proof::VerifyingKey& k) { return specs(k.circuit, k.circuit.outputs); })
      .def("visibility",
           [](const proof::VerifyingKey& k) { return visibility(proof::visibility_of(k.circuit)); })
      .def(
          "verify",
          [](const proof::VerifyingKey& k, const py::bytes& proof,
             const std::optional<Tensors>& in) {
            auto bytes = from_bytes(proof);
            proof::VerifyResult r;
            {
              py::gil_scoped_release release;
              r = proof::verify(k, bytes, in ? &*in : nullptr);
            }
            return verified(r, k);
          },
          py::arg("proof"), py::arg("inputs") = std::nullopt)
      .def("open_model",
           [](const proof::VerifyingKey& k, const quant::CompiledModel& model, const Pk* pk) {
             return opened(proof::open_model_commitment(k, model, pk ? pk->key.get() : nullptr));
           })
      .def("open_tensors", [](const proof::VerifyingKey& k, const py::bytes& proof,
                              const std::string& opening, bool input, const Tensors& values) {
        auto p = proof::load_proof(from_bytes(proof), k.circuit, "proof");
        auto entries = proof::parse_opening(opening, "opening");
        return opened(proof::open_tensor_commitment(k, p, entries, input, values));
      });
}

}  // namespace

PYBIND11_MODULE(_zkinfer, m) {
  m.doc() = "zkinfer's C++ library (use the zkinfer package, not this module)";
  m.attr("__version__") = ZKINFER_VERSION;
  bind_errors(m);
  bind_model(m);
  bind_keys(m);
  m.def("run_model", [](const std::string& path, const Tensors& inputs, const Tensors& cal) {
    api::RunReport r;
    {
      py::gil_scoped_release release;
      r = run_or_throw(api::Comparator(path, cal), inputs);
    }
    return report(r);
  });
  // The ONNX graph's inputs (name, shape), before compiling.
  m.def("onnx_inputs", [](const std::string& path) {
    auto g = onnx::import_model(path);
    py::list out;
    for (int i : g.inputs) out.append(py::make_tuple(g.values[i].name, g.values[i].shape));
    return out;
  });
  m.def("set_threads", [](unsigned n) { set_num_threads(n == 0 ? default_num_threads() : n); });
  m.def("threads", [] { return num_threads(); });
}
