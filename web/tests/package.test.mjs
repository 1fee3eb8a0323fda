// The zkinfer-verify package in node: the demo proof verifies, stating what
// the native verifier states; changed, truncated or empty files are rejected
// with a reason, never an exception.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";

import { verify } from "../zkinfer-verify/index.js";
import { makeDemo, root } from "./demo.mjs";

let demo;
before(() => (demo = makeDemo()));
after(() => demo?.cleanup());

function assertRejected(r, check) {
  assert.equal(r.ok, false);
  assert.equal(typeof r.reason, "string");
  assert.ok(r.reason.length > 0, "a rejection says why");
  if (check) assert.equal(r.check, check, r.reason);
  assert.equal(r.outputs, undefined, "a rejected proof states nothing");
}

// An accepted result states what `zkinfer verify --json` states, value for
// value (the names are the same; each output adds its argmax).
function assertSameAsNative(r, native) {
  assert.equal(r.ok, true, r.reason);
  assert.equal(native.accepted, true);
  for (const k of ["model_id", "model_digest", "weight_commitment"]) {
    assert.match(r[k], /^[0-9a-f]{64}$/, k);
    assert.equal(r[k], native[k], k);
  }
  assert.deepEqual(r.visibility, native.visibility);
  assert.deepEqual(r.outputs.map(({ name, shape, values }) => ({ name, shape, values })), native.outputs);
  for (const o of r.outputs) assert.equal(o.argmax, o.values.indexOf(Math.max(...o.values)));
  assert.deepEqual(r.public_inputs.map(({ name, shape, digest }) => ({ name, shape, digest })),
                   native.public_inputs);
  assert.deepEqual(r.commitments, native.commitments);
}

test("the demo proof verifies, stating what the native verifier states", async () => {
  const r = await verify(demo.vk, demo.proof);
  assertSameAsNative(r, demo.native);
  assert.deepEqual(r.visibility, { input: "private", weights: "committed", output: "public" });
  assert.deepEqual(r.public_inputs, []);
  assert.deepEqual(r.commitments, []);
  // Every value, exactly: the prover's dequantized outputs.
  assert.equal(r.outputs.length, 1);
  assert.deepEqual(r.outputs.map((o) => o.values), demo.outputs);
  assert.deepEqual(r.outputs[0].shape, [10]);
  assert.equal(r.outputs[0].argmax, 9);  // the demo image: an ankle boot
  assert.ok(r.bytes_by_kind.weight > 0);
});

test("verification time (warm)", async (t) => {
  const t0 = performance.now();
  const runs = 5;
  for (let i = 0; i < runs; ++i) assert.equal((await verify(demo.vk, demo.proof)).ok, true);
  t.diagnostic(`verify: ${((performance.now() - t0) / runs).toFixed(1)} ms per proof (node ${process.version})`);
});

test("ArrayBuffers and Buffers verify too, and again", async () => {
  const ab = (b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
  assert.equal((await verify(ab(demo.vk), ab(demo.proof))).ok, true);
  assert.equal((await verify(new Uint8Array(demo.vk), new Uint8Array(demo.proof))).ok, true);
});

test("a proof with one flipped bit is rejected, as the native verifier rejects it", async () => {
  const r = await verify(demo.vk, demo.tampered);
  assertRejected(r);
  assert.notEqual(r.check, "malformed proof", r.reason);
  assert.equal(demo.nativeTampered.accepted, false);
  assert.equal(r.check, demo.nativeTampered.failed_check);
  assert.equal(r.reason, demo.nativeTampered.reason);
  assert.equal(r.model_id, (await verify(demo.vk, demo.proof)).model_id, "the key still parses");
});

test("a flipped bit anywhere is rejected", async () => {
  const n = demo.proof.length;
  for (const at of [0, 9, 40, 100, 1000, n >> 2, (3 * n) >> 2, n - 1]) {
    const p = Buffer.from(demo.proof);
    p[at] ^= 0x80;
    assertRejected(await verify(demo.vk, p));
  }
});

test("random byte changes are rejected, never thrown", async () => {
  // A fixed sequence (a small LCG), so that a failure reproduces.
  let seed = 12345;
  const next = (n) => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
  for (let i = 0; i < 60; ++i) {
    const p = Buffer.from(demo.proof);
    const at = next(p.length);
    p[at] ^= 1 + next(255);
    const r = await verify(demo.vk, p);
    assert.equal(r.ok, false, `byte ${at} changed`);
    assert.ok(r.reason.length > 0);
  }
});

test("truncated and empty proofs are rejected as malformed", async () => {
  for (const len of [0, 1, 100, demo.proof.length >> 1, demo.proof.length - 1])
    assertRejected(await verify(demo.vk, demo.proof.subarray(0, len)), "malformed proof");
  const longer = Buffer.concat([demo.proof, Buffer.from([0])]);
  assertRejected(await verify(demo.vk, longer));
});

test("truncated, changed and empty keys are rejected as malformed", async () => {
  for (const len of [0, 8, demo.vk.length >> 1, demo.vk.length - 1])
    assertRejected(await verify(demo.vk.subarray(0, len), demo.proof), "malformed verifying key");
  const changed = Buffer.from(demo.vk);
  changed[changed.length >> 1] ^= 0x01;
  assertRejected(await verify(changed, demo.proof), "malformed verifying key");
  // A proof given as the key.
  assertRejected(await verify(demo.proof, demo.proof), "malformed verifying key");
});

test("keys changed under a valid checksum are rejected, never thrown", async () => {
  // The parser itself, past the checksum (the last 32 bytes: the SHA-256 of
  // the rest), on 32-bit WebAssembly: changed bytes, large counts and lengths.
  // A change the parser reads as the same circuit (the high half of an input
  // or output id, which it reads as 32 bits; natively the same) may verify:
  // then as the same model, with the same outputs.
  const good = await verify(demo.vk, demo.proof);
  let seed = 777;
  const next = (n) => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
  const body = demo.vk.length - 32;
  for (let i = 0; i < 150; ++i) {
    const k = Buffer.from(demo.vk);
    const at = 8 + next(body - 8);
    if (i % 3 === 0) k.fill(0xff, at, Math.min(body, at + 8));  // a huge count or length
    else k[at] ^= 1 + next(255);
    createHash("sha256").update(k.subarray(0, body)).digest().copy(k, body);
    const r = await verify(k, demo.proof);
    if (r.ok) {
      assert.equal(r.model_id, good.model_id, `byte ${at} changed: accepted as another model`);
      assert.deepEqual(r.outputs, good.outputs);
      continue;
    }
    assert.ok(r.reason.length > 0);
  }
});

test("a public input, a committed output and a name: stated as zkinfer verify states them", async () => {
  const other = makeDemo(["--visibility", "input=public,output=committed", "--name", "lenet-ö"]);
  try {
    const r = await verify(other.vk, other.proof);
    assertSameAsNative(r, other.native);
    assert.notEqual(r.model_id, (await verify(demo.vk, demo.proof)).model_id);
    assert.equal(r.model_name, "lenet-ö");
    assert.deepEqual(r.visibility, { input: "public", weights: "committed", output: "committed" });
    assert.deepEqual(r.outputs, [], "a committed output is not stated");
    assert.equal(r.public_inputs.length, 1);
    const [pin] = r.public_inputs;
    assert.deepEqual(pin.shape, [1, 28, 28]);
    assert.equal(pin.values.length, 28 * 28);
    // The image as quantized at the input's scale: close to the pixels.
    const image = JSON.parse(readFileSync(path.join(root, "examples/lenet/input.json"), "utf8"));
    pin.values.forEach((v, k) => assert.ok(Math.abs(v - image.input_data[0][k]) < 1 / 64, `pixel ${k}`));
    assert.equal(r.commitments.length, 1);
    assert.equal(r.commitments[0].kind, "output");
    // The other key does not verify the first proof, nor the first key this one.
    assertRejected(await verify(other.vk, demo.proof));
    assertRejected(await verify(demo.vk, other.proof));
  } finally {
    other.cleanup();
  }
});

test("arguments that are not bytes are refused", async () => {
  await assert.rejects(verify("lenet.vk", demo.proof), TypeError);
});
