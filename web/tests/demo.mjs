// What the tests verify: the demo's LeNet compiled, set up and proven by the
// native command line (ZKINFER, default build/zkinfer) into a temporary
// folder, with what the native verifier says about it (verify --json).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const zkinfer = path.resolve(root, process.env.ZKINFER ?? "build/zkinfer");

function run(...args) {
  return execFileSync(zkinfer, args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

// zkinfer verify --json's report (it exits 1 on a rejection, with the report).
function verifyNative(vk, proof) {
  try {
    return JSON.parse(run("verify", "--vk", vk, "--proof", proof, "--json"));
  } catch (e) {
    if (e.status === 1 && e.stdout) return JSON.parse(e.stdout);
    throw e;
  }
}

// Returns {dir, vk, proof, tampered, outputs (the prover's, all values),
// native and nativeTampered (zkinfer verify --json's reports)}; cleanup()
// removes the folder. compileArgs: more options for zkinfer compile (e.g.
// --visibility).
export function makeDemo(compileArgs = []) {
  const dir = mkdtempSync(path.join(tmpdir(), "zkinfer-wasm-"));
  const ex = path.join(root, "examples/lenet");
  const f = (name) => path.join(dir, name);
  run("compile", path.join(ex, "lenet.onnx"), "-o", f("lenet.zkc"), "--calibration",
      path.join(ex, "calibration.json"), ...compileArgs);
  run("setup", f("lenet.zkc"), "--pk", f("lenet.pk"), "--vk", f("lenet.vk"));
  // A committed input or output: the opening's secret is kept (and unused).
  const committed = compileArgs.some((a) => /(input|output)=committed/.test(a));
  run("prove", "--pk", f("lenet.pk"), "--input", path.join(ex, "input.json"), "--proof",
      f("proof.bin"), "--output", f("output.json"), ...(committed ? ["--opening", f("opening.json")] : []));
  const native = verifyNative(f("lenet.vk"), f("proof.bin"));
  if (!native.accepted) throw new Error(`zkinfer verify rejected the demo proof: ${native.reason}`);
  // One flipped bit in the middle of the proof.
  const proof = readFileSync(f("proof.bin"));
  const tampered = Buffer.from(proof);
  tampered[tampered.length >> 1] ^= 0x01;
  writeFileSync(f("tampered.bin"), tampered);
  const nativeTampered = verifyNative(f("lenet.vk"), f("tampered.bin"));
  return {
    dir,
    vkPath: f("lenet.vk"),
    proofPath: f("proof.bin"),
    tamperedPath: f("tampered.bin"),
    vk: readFileSync(f("lenet.vk")),
    proof,
    tampered,
    outputs: JSON.parse(readFileSync(f("output.json"), "utf8")).output_data,
    native,
    nativeTampered,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
