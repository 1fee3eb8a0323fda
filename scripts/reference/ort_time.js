#!/usr/bin/env node
// Plain float inference time of an ONNX model with onnxruntime (CPU), for
// `make bench-large`: the baseline the prover's time is compared with.
//
//   node ort_time.js MODEL.onnx INPUT.json [THREADS] [SECONDS]
//
// INPUT.json: {"input_data": [[...], ...]} (flat row-major floats, one list
// per model input, in the model's input order; shapes are the model's own, a
// symbolic dimension taken as 1). Runs the session 3 times to warm up, then
// again until SECONDS (default 1) have passed and at least 10 runs are done
// (at most 10000), with THREADS intra-op threads (default: all cores) and
// onnxruntime's default graph optimizations. Prints one JSON line:
// {"runs": N, "median_ms": ..., "mean_ms": ..., "min_ms": ..., "threads": T}.
// Exit status 2 with a one-line message when onnxruntime rejects the model.
'use strict';
const fs = require('fs');
const os = require('os');
const ort = require('onnxruntime-node');

function feedsFor(session, input) {
  const metas = session.inputMetadata || [];
  const feeds = {};
  session.inputNames.forEach((name, i) => {
    const meta = Array.isArray(metas) ? metas[i] : metas[name];
    const data = Float32Array.from(input.input_data[i].map(Number));
    const dims = meta && meta.shape
      ? meta.shape.map((d) => (typeof d === 'number' && d > 0 ? d : 1))
      : [1, data.length];
    feeds[name] = new ort.Tensor('float32', data, dims);
  });
  return feeds;
}

async function main() {
  const [model, inPath, threadsArg, secondsArg] = process.argv.slice(2);
  if (!inPath) {
    console.error('usage: node ort_time.js MODEL.onnx INPUT.json [THREADS] [SECONDS]');
    process.exit(64);
  }
  const threads = Number(threadsArg) > 0 ? Number(threadsArg) : os.cpus().length;
  const seconds = Number(secondsArg) > 0 ? Number(secondsArg) : 1;
  const input = JSON.parse(fs.readFileSync(inPath, 'utf8'));
  let session;
  try {
    session = await ort.InferenceSession.create(model, {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
    });
  } catch (e) {
    console.error(`onnxruntime rejects the model: ${String(e.message).split('\n')[0]}`);
    process.exit(2);
  }
  const feeds = feedsFor(session, input);
  for (let i = 0; i < 3; ++i) await session.run(feeds);
  const times = [];
  const start = process.hrtime.bigint();
  for (;;) {
    const t = process.hrtime.bigint();
    await session.run(feeds);
    const end = process.hrtime.bigint();
    times.push(Number(end - t) / 1e6);
    const total = Number(end - start) / 1e9;
    if ((total >= seconds && times.length >= 10) || times.length >= 10000) break;
  }
  const sorted = [...times].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  console.log(JSON.stringify({
    runs: times.length, median_ms: median, mean_ms: mean, min_ms: sorted[0], threads,
  }));
}

main().catch((e) => {
  console.error(`onnxruntime failed: ${String(e.message).split('\n')[0]}`);
  process.exit(2);
});
