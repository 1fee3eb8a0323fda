// zkinfer-verify: checks a zkinfer proof against its verifying key, in node
// or in a browser, with the verifier compiled to WebAssembly
// (dist/zkinfer_verify.js, made by `make wasm`).
//
//   import { verify } from "zkinfer-verify";
//   const r = await verify(vkBytes, proofBytes);
//   // r.ok, r.reason, r.check, r.outputs[i].{name, shape, values, argmax}, ...

const isNode =
  typeof process === "object" && !!process.versions?.node && typeof window === "undefined";

let modulePromise = null;

// Runs the module (a classic script that defines createZkinferVerify): with a
// script element in a page, else (a worker) from its text.
async function loadScript(url) {
  if (typeof document === "undefined") {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`zkinfer-verify: cannot load ${url.href} (${res.status})`);
    globalThis.createZkinferVerify = new Function(`${await res.text()}\nreturn createZkinferVerify;`)();
    return;
  }
  return new Promise((resolve, reject) => {
    const s = document.createElement("script");
    s.src = url.href;
    s.onload = () => resolve();
    s.onerror = () =>
      reject(new Error(`zkinfer-verify: cannot load ${url.href} (built by make wasm?)`));
    document.head.appendChild(s);
  });
}

async function factory() {
  const url = new URL("./dist/zkinfer_verify.js", import.meta.url);
  if (isNode) {
    const [{ createRequire }, { existsSync }, { fileURLToPath }] = await Promise.all(
      ["node:module", "node:fs", "node:url"].map((m) => import(m)),
    );
    const file = fileURLToPath(url);
    if (!existsSync(file)) throw new Error(`zkinfer-verify: ${file} is missing (make wasm builds it)`);
    return createRequire(import.meta.url)(file);
  }
  // In a browser the module is a classic script that defines the factory.
  if (typeof globalThis.createZkinferVerify !== "function") await loadScript(url);
  return globalThis.createZkinferVerify;
}

// The WebAssembly module, instantiated once (the first call to verify loads it).
export function load() {
  if (!modulePromise) {
    modulePromise = factory().then((create) => create());
    modulePromise.catch(() => (modulePromise = null));
  }
  return modulePromise;
}

function bytesOf(x, what) {
  if (x instanceof Uint8Array) return x;
  if (x instanceof ArrayBuffer) return new Uint8Array(x);
  if (ArrayBuffer.isView(x)) return new Uint8Array(x.buffer, x.byteOffset, x.byteLength);
  throw new TypeError(`zkinfer-verify: ${what} must be a Uint8Array, ArrayBuffer or typed array`);
}

// Verifies a proof against a verifying key (the two files' bytes). Resolves to
// {ok, check, reason, model_id, model_digest, weight_commitment, model_name,
// visibility, outputs, public_inputs, commitments, bytes_by_kind}: check and
// reason when rejected (also for malformed bytes), the model's identity
// whenever the key parses, what the proof states when accepted. Outputs are
// {name, shape, values (dequantized), argmax}.
export async function verify(vkBytes, proofBytes) {
  const vk = bytesOf(vkBytes, "the verifying key");
  const proof = bytesOf(proofBytes, "the proof");
  const m = await load();
  const vkPtr = m._malloc(Math.max(vk.length, 1));
  const proofPtr = m._malloc(Math.max(proof.length, 1));
  try {
    if (!vkPtr || !proofPtr) throw new Error("zkinfer-verify: out of memory");
    m.HEAPU8.set(vk, vkPtr);  // HEAPU8 read after malloc: memory may have grown
    m.HEAPU8.set(proof, proofPtr);
    return JSON.parse(m.UTF8ToString(m._zk_verify(vkPtr, vk.length, proofPtr, proof.length)));
  } finally {
    m._free(vkPtr);
    m._free(proofPtr);
  }
}

export default verify;
