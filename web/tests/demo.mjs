// What the tests verify: the demo's LeNet compiled, set up and proven by the
// native command line (ZKINFER, default build/zkinfer) into a temporary
// folder, with what the native verifier says about it.
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

// Parses `zkinfer verify`'s report of an accepted proof.
function parseVerify(text) {
  const id = /^ACCEPTED in .* \(model id ([0-9a-f]+)\.\.\.\)$/m.exec(text);
  if (!id) throw new Error(`zkinfer verify did not accept the demo proof:\n${text}`);
  const outputs = [...text.matchAll(/^proven output (\d+): \[(.*)\]\s+\(argmax (\d+)\)$/gm)].map(
    (m) => ({ values: m[2].split(",").map(Number), argmax: Number(m[3]) }),
  );
  const publicInputs = [...text.matchAll(/^public input \d+: (\d+) values .*, sha256 ([0-9a-f]+)\.\.\.$/gm)].map(
    (m) => ({ count: Number(m[1]), sha256Prefix: m[2] }),
  );
  const commitments = [...text.matchAll(/^(input|output) '(.*)': committed, commitment ([0-9a-f]+) /gm)].map(
    (m) => ({ name: m[2], kind: m[1], commitment: m[3] }),
  );
  return { modelIdPrefix: id[1], outputs, publicInputs, commitments };
}

// Returns {dir, vk, proof, tampered, outputs (the prover's, all values), native
// (zkinfer verify's report)}; cleanup() removes the folder. compileArgs: more
// options for zkinfer compile (e.g. --visibility).
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
  const native = parseVerify(run("verify", "--vk", f("lenet.vk"), "--proof", f("proof.bin")));
  // One flipped bit in the middle of the proof.
  const proof = readFileSync(f("proof.bin"));
  const tampered = Buffer.from(proof);
  tampered[tampered.length >> 1] ^= 0x01;
  writeFileSync(f("tampered.bin"), tampered);
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
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
