// Reference outputs from onnxruntime for test models: for every NAME.onnx
// with NAME.json ({"input_data": [[...]], "input_shapes": [[...]]}) in DIR,
// writes OUT/NAME.json = {"outputs": [[...], ...]} (graph output order).
// Usage: NODE_PATH=/path/to/node_modules node scripts/ort_reference.js DIR OUT
// (needs the npm package onnxruntime-node; runs offline).
const fs = require('fs');
const path = require('path');
const ort = require('onnxruntime-node');
(async () => {
  const [dir, out] = process.argv.slice(2);
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.onnx')).sort()) {
    const name = f.slice(0, -5);
    const j = JSON.parse(fs.readFileSync(path.join(dir, name + '.json')));
    const s = await ort.InferenceSession.create(path.join(dir, f));
    const feeds = {};
    s.inputNames.forEach((n, i) => {
      feeds[n] = new ort.Tensor('float32', Float32Array.from(j.input_data[i]), j.input_shapes[i]);
    });
    const r = await s.run(feeds);
    const outputs = s.outputNames.map((n) => Array.from(r[n].data));
    fs.writeFileSync(path.join(out, name + '.json'), JSON.stringify({outputs}) + '\n');
    console.log(name, s.outputNames.map((n) => r[n].dims));
  }
})().catch((e) => {
  console.error('ERR', e.message);
  process.exit(1);
});
