# zkinfer top-level entry points. Every target installs what it needs first.
BUILD ?= build
JOBS ?= $(shell nproc)

.PHONY: deps build wasm test test-sanitize demo bench bench-large fuzz conformance clean format \
        python install

deps:
	@scripts/install-deps.sh

$(BUILD)/build.ninja: CMakeLists.txt
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

# The verifier as WebAssembly (web/zkinfer-verify/dist/zkinfer_verify.js, for
# the zkinfer-verify package and the page web/index.html) with Debian's
# emscripten; installs emscripten, chromium and the browser test's npm
# packages first.
WASM_BUILD ?= build-wasm
wasm:
	@ZKINFER_WITH_WASM=1 scripts/install-deps.sh
	@[ -f $(WASM_BUILD)/build.ninja ] || \
	  emcmake cmake -S web/wasm -B $(WASM_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release
	cmake --build $(WASM_BUILD) -j $(JOBS)

test: wasm build
	cmake -S . -B $(BUILD) -DZK_WASM_TESTS=ON >/dev/null
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) --timeout 900

# The whole suite again under AddressSanitizer and UBSan (a separate build
# directory; CI runs it after make test).
SAN_BUILD ?= build-sanitize
test-sanitize: deps
	cmake -S . -B $(SAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DZK_SANITIZE=ON
	cmake --build $(SAN_BUILD) -j $(JOBS)
	cd $(SAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/sanitizer/lsan.supp \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --output-on-failure -j $(JOBS) --timeout 1800

# The Python package for Debian's python3 (import zkinfer), installed under
# $(PREFIX) (the default is on python3's path); make test runs its tests from
# the build directory without installing.
PREFIX ?= /usr/local
python: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS) --target zkinfer_python
	cmake --install $(BUILD) --prefix $(PREFIX) --component python

# The command line, the libraries, headers and CMake package, and the Python
# package, under $(PREFIX) (bin/zkinfer, lib/zkinfer, include/zkinfer,
# lib/cmake/zkinfer, lib/python3.X/dist-packages/zkinfer).
install: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS) --target zkinfer zkinfer_python $(addprefix zk_,api cli)
	cmake --install $(BUILD) --prefix $(PREFIX)

# Only the command line: the demo needs neither the tests nor the benchmarks.
demo: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS) --target zkinfer
	@scripts/demo.sh $(BUILD)/zkinfer

bench: build
	@scripts/bench.sh $(BUILD)

# The command line on large models (VGG-16, ResNet-18, MLPs up to 64M
# parameters, DeepProve's shapes; made with PyTorch into $(BUILD)/bench-models
# when missing): setup, prove, verify, sizes, peak memory, onnxruntime
# inference; writes docs/performance.md. Takes 10-20 minutes; not part of
# make test. BENCH_LARGE_ARGS passes options (--only NAME,..., --timeout S,
# --mem-gb G, --label TEXT; --help lists them).
bench-large: $(BUILD)/build.ninja
	@ZKINFER_WITH_TORCH=1 scripts/install-deps.sh
	cmake --build $(BUILD) -j $(JOBS) --target zkinfer
	/usr/bin/python3 bench/models/make_models.py --check
	/usr/bin/python3 bench/models/make_models.py $(BUILD)/bench-models
	/usr/bin/python3 bench/large/bench_large.py --build $(BUILD) $(BENCH_LARGE_ARGS)

# Every model in ../shared/models against its reference (onnxruntime or the
# ONNX tests' expected outputs): writes docs/conformance.md. Not part of
# make test (it takes long); CONFORMANCE_ARGS passes options (--filter NAME,
# --budget SECONDS).
conformance: build
	cmake --build $(BUILD) -j $(JOBS) --target conformance
	$(BUILD)/conformance $(CONFORMANCE_ARGS)

fuzz: build
	@scripts/fuzz.sh $(or $(FUZZ_SECONDS),60)

format:
	clang-format -i $$(git ls-files '*.h' '*.cc')

clean:
	rm -rf $(BUILD) $(SAN_BUILD) $(WASM_BUILD) web/zkinfer-verify/dist
