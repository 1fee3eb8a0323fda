#!/usr/bin/env python3
"""Train a one-block GPT (character level) and export it to ONNX at 16 and 64 tokens.

The model is a GPT-2-style decoder block: token embedding (Gather on int64
token ids), learned positional embedding, LayerNorm, multi-head causal
self-attention (Q/K/V projections, scores Q K^T / sqrt(d), a causal mask,
Softmax, attention-weighted values, output projection), LayerNorm, a GELU MLP
(tanh form, as GPT-2), residual connections, a final LayerNorm and the
language-model head. It is trained for a few hundred steps on real text:
the GNU GPL version 3 as Debian ships it (/usr/share/common-licenses/GPL-3),
next-character prediction.

Outputs (next to this script), for T in 16 and 64:
  gpt_T.onnx          opset 17, input "tokens" int64 [1,T], output "logits" [1,T,V]
  input_T.json        {"input_data": [[T token ids]]}: a window of the text
  calibration_T.json  {"input_data": [[8 windows, concatenated]]}
Run with Debian's python (torch + onnx): /usr/bin/python3 examples/gpt/train.py
"""
import json
import math
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
TEXT = "/usr/share/common-licenses/GPL-3"
SEED = 0
D, HEADS, CTX = 32, 4, 64
STEPS, BATCH, LR = 300, 32, 3e-3
N_CALIB = 8


class Block(nn.Module):
    def __init__(self, vocab):
        super().__init__()
        self.tok = nn.Embedding(vocab, D)
        self.pos = nn.Embedding(CTX, D)
        self.ln1 = nn.LayerNorm(D)
        self.qkv = nn.Linear(D, 3 * D)
        self.proj = nn.Linear(D, D)
        self.ln2 = nn.LayerNorm(D)
        self.fc = nn.Linear(D, 4 * D)
        self.out = nn.Linear(4 * D, D)
        self.lnf = nn.LayerNorm(D)
        self.head = nn.Linear(D, vocab)
        self.register_buffer("mask", torch.tril(torch.ones(CTX, CTX)).view(1, 1, CTX, CTX))

    def attention(self, x):
        b, t, _ = x.shape
        q, k, v = self.qkv(x).split(D, dim=2)
        q = q.view(b, t, HEADS, D // HEADS).transpose(1, 2)
        k = k.view(b, t, HEADS, D // HEADS).transpose(1, 2)
        v = v.view(b, t, HEADS, D // HEADS).transpose(1, 2)
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(D // HEADS))
        att = att.masked_fill(self.mask[:, :, :t, :t] == 0, float("-inf"))
        att = F.softmax(att, dim=-1)
        y = (att @ v).transpose(1, 2).contiguous().view(b, t, D)
        return self.proj(y)

    def forward(self, tokens):
        t = tokens.shape[1]
        x = self.tok(tokens) + self.pos.weight[:t]
        x = x + self.attention(self.ln1(x))
        x = x + self.out(F.gelu(self.fc(self.ln2(x)), approximate="tanh"))
        return self.head(self.lnf(x))


def main():
    torch.set_num_threads(2)
    torch.manual_seed(SEED)
    np.random.seed(SEED)
    text = open(TEXT, encoding="utf-8").read()
    chars = sorted(set(text))
    ids = torch.tensor([chars.index(c) for c in text], dtype=torch.long)
    split = int(0.9 * len(ids))
    train, held = ids[:split], ids[split:]
    model = Block(len(chars))
    opt = torch.optim.AdamW(model.parameters(), lr=LR)
    for step in range(STEPS):
        starts = torch.randint(0, len(train) - CTX - 1, (BATCH,))
        xb = torch.stack([train[s:s + CTX] for s in starts])
        yb = torch.stack([train[s + 1:s + CTX + 1] for s in starts])
        loss = F.cross_entropy(model(xb).reshape(-1, len(chars)), yb.reshape(-1))
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % 100 == 0 or step == STEPS - 1:
            print(f"step {step}: train loss {loss.item():.3f}")
    model.eval()
    with torch.no_grad():
        windows = range(0, len(held) - CTX - 1, CTX)
        xb = torch.stack([held[s:s + CTX] for s in windows])
        yb = torch.stack([held[s + 1:s + CTX + 1] for s in windows])
        logits = model(xb)
        acc = (logits.argmax(-1) == yb).float().mean().item()
    print(f"vocabulary {len(chars)}, held-out next-character accuracy {acc:.3f}")
    for t in (16, 64):
        path = os.path.join(HERE, f"gpt_{t}.onnx")
        torch.onnx.export(model, (held[:t].view(1, t),), path, opset_version=17,
                          input_names=["tokens"], output_names=["logits"])
        with open(os.path.join(HERE, f"input_{t}.json"), "w") as f:
            json.dump({"input_data": [held[:t].tolist()]}, f)
        calib = torch.cat([train[i * 997:i * 997 + t] for i in range(N_CALIB)])
        with open(os.path.join(HERE, f"calibration_{t}.json"), "w") as f:
            json.dump({"input_data": [calib.tolist()]}, f)
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
