const ort = require('onnxruntime-node');
(async () => {
  const s = await ort.InferenceSession.create(process.argv[2]);
  const j = require(process.argv[3]);
  const shapes = JSON.parse(process.argv[4]);
  const feeds = {};
  s.inputNames.forEach((n,i)=>{ feeds[n] = new ort.Tensor('float32', Float32Array.from(j.input_data[i]), shapes[i]); });
  const r = await s.run(feeds);
  const out = {};
  for (const k of s.outputNames) out[k] = {dims: r[k].dims, data: Array.from(r[k].data)};
  console.log(JSON.stringify(out));
})().catch(e=>{console.error('ERR', e.message); process.exit(1);});
