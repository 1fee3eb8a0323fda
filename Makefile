# zkinfer top-level entry points. Every target installs what it needs first.
BUILD ?= build
JOBS ?= $(shell nproc)

.PHONY: deps build test demo bench fuzz clean format

deps:
	@scripts/install-deps.sh

$(BUILD)/build.ninja: CMakeLists.txt
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) --timeout 900

demo: build
	@scripts/demo.sh $(BUILD)/zkinfer

bench: build
	@scripts/bench.sh $(BUILD)

fuzz: build
	@scripts/fuzz.sh $(or $(FUZZ_SECONDS),60)

format:
	clang-format -i $$(git ls-files '*.h' '*.cc')

clean:
	rm -rf $(BUILD)
