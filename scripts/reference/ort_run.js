#!/usr/bin/env node
// Float reference inference with onnxruntime (CPU), for zkinfer's tests and
// its conformance runner: a reference nobody on the project wrote.
//
//   node ort_run.js MODEL.onnx INPUT.json OUTPUT.json
//
// INPUT.json: {"input_data": [[...], ...]} (flat row-major, one list per model
// input, in the model's input order) and optionally "input_shapes" (with or
// without the leading batch dimension). Shapes not given are the model's own,
// a symbolic batch taken as 1. Integer and boolean inputs are converted from
// the numbers given. OUTPUT.json: {"output_data": [[...], ...],
// "output_shapes": [[...], ...]}, one list per model output in order.
// Exit status 2 with a one-line message when onnxruntime rejects the model.
'use strict';
const fs = require('fs');
const ort = require('onnxruntime-node');

const kTypes = {
  float: Float32Array, float32: Float32Array, double: Float64Array, float64: Float64Array,
  int32: Int32Array, int8: Int8Array, uint8: Uint8Array, int16: Int16Array, uint16: Uint16Array,
};

function makeTensor(meta, data, given) {
  const type = meta && meta.type ? meta.type : 'float32';
  let dims = meta && meta.shape ? meta.shape.map((d) => (typeof d === 'number' && d > 0 ? d : 1)) : null;
  if (given) dims = dims && given.length + 1 === dims.length ? [1, ...given] : given;
  if (!dims) dims = [1, data.length];
  if (type === 'int64') return new ort.Tensor('int64', BigInt64Array.from(data.map((x) => BigInt(Math.trunc(x)))), dims);
  if (type === 'bool') return new ort.Tensor('bool', Uint8Array.from(data.map((x) => (x ? 1 : 0))), dims);
  const T = kTypes[type];
  if (!T) throw new Error(`input type ${type} is not supported by this script`);
  return new ort.Tensor(type === 'float' ? 'float32' : type, T.from(data), dims);
}

async function main() {
  const [model, inPath, outPath] = process.argv.slice(2);
  if (!outPath) {
    console.error('usage: node ort_run.js MODEL.onnx INPUT.json OUTPUT.json');
    process.exit(64);
  }
  const input = JSON.parse(fs.readFileSync(inPath, 'utf8'));
  let session;
  try {
    session = await ort.InferenceSession.create(model, { graphOptimizationLevel: 'disabled' });
  } catch (e) {
    console.error(`onnxruntime rejects the model: ${String(e.message).split('\n')[0]}`);
    process.exit(2);
  }
  const metas = session.inputMetadata || [];
  const feeds = {};
  session.inputNames.forEach((name, i) => {
    const meta = Array.isArray(metas) ? metas[i] : metas[name];
    const shapes = input.input_shapes;
    feeds[name] = makeTensor(meta, input.input_data[i].map(Number), shapes ? shapes[i] : null);
  });
  const result = await session.run(feeds);
  const out = { output_data: [], output_shapes: [] };
  for (const name of session.outputNames) {
    const t = result[name];
    out.output_data.push(Array.from(t.data, (x) => Number(x)));
    out.output_shapes.push(t.dims.map(Number));
  }
  fs.writeFileSync(outPath, JSON.stringify(out));
}

main().catch((e) => {
  console.error(`onnxruntime failed: ${String(e.message).split('\n')[0]}`);
  process.exit(2);
});
