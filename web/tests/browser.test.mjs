// The page in headless Chromium (Debian's, CHROMIUM or /usr/bin/chromium;
// playwright-core drives it and downloads nothing): given the demo's key and
// proof it shows ACCEPTED and the proven argmax; given a tampered proof,
// REJECTED and the failed check.
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, test } from "node:test";

import { chromium } from "playwright-core";

import { makeDemo, root } from "./demo.mjs";
import { serve } from "./serve.mjs";

let demo, server, browser, page;
const errors = [];

before(async () => {
  demo = makeDemo();
  server = await serve(path.join(root, "web"));
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox"],  // root in containers
  });
  page = await browser.newPage();
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  await page.goto(server.url);
  await page.locator("#status", { hasText: "Ready" }).waitFor({ timeout: 30000 });
});

// Each test starts from the page as loaded: nothing chosen, no verdict.
async function fresh() {
  await page.reload();
  await page.locator("#status", { hasText: "Ready" }).waitFor({ timeout: 30000 });
  assert.equal(await page.isVisible("#result"), false);
}

after(async () => {
  await browser?.close();
  await server?.close();
  demo?.cleanup();
});

test("the demo's key and proof: ACCEPTED, with the proven argmax", async (t) => {
  await fresh();
  await page.setInputFiles("#vk-file", demo.vkPath);
  await page.setInputFiles("#proof-file", demo.proofPath);
  await page.locator("#status", { hasText: "ms" }).waitFor();
  assert.equal(await page.textContent("#verdict"), "ACCEPTED");
  assert.equal(await page.isVisible("#reason"), false);
  const argmaxOf = (v) => v.indexOf(Math.max(...v));
  const argmax = demo.native.outputs.map((o) => argmaxOf(o.values)).join(",");
  assert.equal(await page.getAttribute("#outputs", "data-argmax"), argmax);
  assert.equal(argmax, "9");  // the demo image: an ankle boot
  assert.match(await page.textContent("#outputs"), /argmax 9/);
  assert.match(await page.textContent("#facts"), new RegExp(demo.native.model_id));
  assert.deepEqual(errors, []);
  t.diagnostic(`page: ${await page.textContent("#status")} (${await browser.version()})`);
});

// Drops files on an element as a user's drag and drop does.
async function drop(selector, files) {
  const transfer = await page.evaluateHandle((files) => {
    const dt = new DataTransfer();
    for (const f of files) dt.items.add(new File([new Uint8Array(f.bytes)], f.name));
    return dt;
  }, files.map(([name, bytes]) => ({ name, bytes: [...bytes] })));
  await page.dispatchEvent(selector, "drop", { dataTransfer: transfer });
}

test("dropped files: both at once anywhere, or a proof on the key's box", async () => {
  await fresh();
  await drop("body", [["proof.bin", demo.proof], ["lenet.vk", demo.vk]]);
  await page.locator("#verdict", { hasText: "ACCEPTED" }).waitFor();
  assert.equal(await page.getAttribute("#outputs", "data-argmax"), "9");
  // Sorted by their magic: the tampered proof replaces the proof.
  await drop("#vk-drop", [["tampered.bin", demo.tampered]]);
  await page.locator("#verdict", { hasText: "REJECTED" }).waitFor();
  assert.equal(await page.textContent("#proof-name"), `tampered.bin (${demo.tampered.length} bytes)`);
  assert.deepEqual(errors, []);
});

test("the package verifies in a module worker too", async () => {
  const r = await page.evaluate(
    async ({ vk, proof }) => {
      const src = `import { verify } from "${location.origin}/zkinfer-verify/index.js";
        onmessage = async (e) => postMessage(await verify(e.data.vk, e.data.proof));`;
      const w = new Worker(URL.createObjectURL(new Blob([src], { type: "text/javascript" })),
                           { type: "module" });
      const done = new Promise((resolve, reject) => {
        w.onmessage = (e) => resolve(e.data);
        w.onerror = (e) => reject(new Error(e.message));
      });
      w.postMessage({ vk: new Uint8Array(vk), proof: new Uint8Array(proof) });
      return await done;
    },
    { vk: [...demo.vk], proof: [...demo.proof] },
  );
  assert.equal(r.ok, true, r.reason);
  assert.equal(r.outputs[0].argmax, 9);
  assert.deepEqual(r.outputs[0].values, demo.native.outputs[0].values);
});

test("a tampered proof: REJECTED, with the failed check", async (t) => {
  await fresh();
  await page.setInputFiles("#vk-file", demo.vkPath);
  await page.setInputFiles("#proof-file", demo.tamperedPath);
  await page.locator("#verdict", { hasText: "REJECTED" }).waitFor();
  assert.equal(await page.isVisible("#reason"), true);
  const reason = await page.textContent("#reason");
  assert.ok(reason.includes(`failed check: ${demo.nativeTampered.failed_check}`), reason);
  assert.ok(reason.includes(demo.nativeTampered.reason), reason);
  assert.equal(await page.getAttribute("#outputs", "data-argmax"), "");
  // And back to the right proof.
  await page.setInputFiles("#proof-file", demo.proofPath);
  await page.locator("#verdict", { hasText: "ACCEPTED" }).waitFor();
  assert.deepEqual(errors, []);
  t.diagnostic(`page, warm: ${await page.textContent("#status")}`);
});
