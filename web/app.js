// The verifier page: reads the two dropped (or picked) files and shows what
// zkinfer-verify says about them.
import { load, verify } from "./zkinfer-verify/index.js";

const files = { vk: null, proof: null };
const $ = (id) => document.getElementById(id);
const status = (text) => ($("status").textContent = text);

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

function fact(dl, name, value) {
  dl.append(el("dt", name), el("dd", value));
}

function showOutputs(outputs) {
  const box = $("outputs");
  box.replaceChildren();
  for (const o of outputs) {
    box.append(el("h3", `Output '${o.name}' [${o.shape.join("x")}]: argmax ${o.argmax}`));
    const table = el("table");
    const head = el("tr");
    head.append(el("th", "index"), el("th", "value"));
    table.append(head);
    o.values.forEach((v, i) => {
      const row = el("tr", undefined, i === o.argmax ? "max" : "");
      row.append(el("td", String(i)), el("td", String(v)));
      table.append(row);
    });
    box.append(table);
  }
  box.dataset.argmax = outputs.map((o) => o.argmax).join(",");
}

function show(r, ms) {
  $("result").hidden = false;
  const v = $("verdict");
  v.textContent = r.ok ? "ACCEPTED" : "REJECTED";
  v.className = "verdict " + (r.ok ? "accepted" : "rejected");
  $("reason").hidden = r.ok;
  $("reason").replaceChildren();
  if (!r.ok) $("reason").append(el("strong", `failed check: ${r.check}`), el("br"), r.reason);
  const dl = $("facts");
  dl.replaceChildren();
  if (r.model_id) {
    fact(dl, "model id", r.model_id);
    if (r.model_name) fact(dl, "model name", r.model_name);
    fact(dl, "circuit digest", r.model_digest);
    fact(dl, "weight commitment", r.weight_commitment);
    const vis = r.visibility;
    fact(dl, "visibility", `input ${vis.input}, weights ${vis.weights}, output ${vis.output}`);
  }
  for (const c of r.commitments ?? [])
    fact(dl, `committed ${c.kind} '${c.name}'`, c.commitment);
  for (const p of r.public_inputs ?? [])
    fact(dl, `public input '${p.name}'`, `${p.values.length} values, sha256 ${p.digest}`);
  showOutputs(r.outputs ?? []);
  status(`Checked in ${ms.toFixed(1)} ms.`);
}

async function run() {
  if (!files.vk || !files.proof) return;
  status("Verifying...");
  try {
    const [vk, proof] = await Promise.all([files.vk, files.proof].map((f) => f.arrayBuffer()));
    const t0 = performance.now();
    const r = await verify(new Uint8Array(vk), new Uint8Array(proof));
    show(r, performance.now() - t0);
  } catch (e) {
    status(`Error: ${e.message}`);
  }
}

function take(kind, file) {
  if (!file) return;
  files[kind] = file;
  $(`${kind}-name`).textContent = `${file.name} (${file.size} bytes)`;
  $(`${kind}-drop`).classList.add("set");
}

// What a file is from its magic (zkinfer's files start with one), else null.
async function kindOf(file) {
  const magic = new TextDecoder().decode(await file.slice(0, 4).arrayBuffer());
  return { ZKVK: "vk", ZKPF: "proof" }[magic] ?? null;
}

// Dropped files go where their magic says (a key dropped on the proof's box
// is still the key; both can be dropped at once, anywhere); a file without
// one goes to the box it was dropped on.
async function dropped(fileList, box) {
  for (const file of fileList) take((await kindOf(file)) ?? box, file);
  run();
}

// A file dropped beside the two boxes must not replace the page.
window.addEventListener("dragover", (e) => e.preventDefault());
window.addEventListener("drop", (e) => {
  e.preventDefault();
  dropped(e.dataTransfer?.files ?? [], null);
});

for (const kind of ["vk", "proof"]) {
  const drop = $(`${kind}-drop`);
  $(`${kind}-file`).addEventListener("change", (e) => {
    take(kind, e.target.files[0]);
    run();
  });
  drop.addEventListener("dragover", (e) => {
    e.preventDefault();
    drop.classList.add("over");
  });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    e.stopPropagation();
    drop.classList.remove("over");
    dropped(e.dataTransfer.files, kind);
  });
}

load().then(
  () => status("Ready: drop a verifying key and a proof."),
  (e) => status(`Cannot load the verifier: ${e.message} (run make wasm, and serve this folder over HTTP)`),
);
