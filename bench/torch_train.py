#!/usr/bin/env python3
"""PyTorch CPU reference for bench/train.ts: ms per training batch (forward, MSE, backward,
RMSprop step) and per inference batch for the book's Jena models, batch 256 x 120 steps x 14
features. PyTorch has no recurrent dropout: the models have the same shapes and FLOPs
(LSTM(32) + Dropout(0.5), and a 2-layer GRU(32) + Dropout(0.5) for the stacked model).

    /usr/bin/python3 bench/torch_train.py [--threads 1] [--train N] [--infer N] [--json]
"""
import argparse
import json
import statistics
import sys
import time

try:
    import torch
    from torch import nn
except ImportError:  # pragma: no cover
    print(json.dumps({"error": "torch not installed"}))
    sys.exit(0)

B, T, I = 256, 120, 14


class Model(nn.Module):
    def __init__(self, kind, units, layers, dropout):
        super().__init__()
        rnn = nn.LSTM if kind == "lstm" else nn.GRU
        self.rnn = rnn(I, units, num_layers=layers, batch_first=True)
        self.drop = nn.Dropout(dropout) if dropout else nn.Identity()
        self.out = nn.Linear(units, 1)

    def forward(self, x):
        y, _ = self.rnn(x)
        return self.out(self.drop(y[:, -1]))


CONFIGS = {
    "lstm16": ("lstm", 16, 1, 0.0),
    "lstm32-dropout": ("lstm", 32, 1, 0.5),
    "gru32-stacked": ("gru", 32, 2, 0.5),
}


def median_ms(fn, n, warmup=3):
    for _ in range(warmup):
        fn()
    ts = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        ts.append((time.perf_counter() - t0) * 1000)
    return statistics.median(ts)


def blas_library():
    """The BLAS shared library this process mapped: Debian's reference libblas is ~3x slower for
    these models than OpenBLAS, which would flatter every ratio against PyTorch."""
    try:
        with open("/proc/self/maps") as f:
            paths = {line.split()[-1] for line in f if "blas" in line.lower() or "mkl" in line.lower()}
    except OSError:
        return "unknown"
    for key in ("openblas", "mkl", "blis"):
        if any(key in p for p in paths):
            return key
    return "reference" if any("libblas" in p for p in paths) else "unknown"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--train", type=int, default=15)
    ap.add_argument("--infer", type=int, default=15)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    x = torch.randn(B, T, I)
    y = torch.randn(B, 1)
    results = {"torch": torch.__version__, "threads": torch.get_num_threads(), "configs": {}}
    for name, (kind, units, layers, dropout) in CONFIGS.items():
        model = Model(kind, units, layers, dropout)
        opt = torch.optim.RMSprop(model.parameters(), lr=1e-3)
        loss_fn = nn.MSELoss()

        def train_step():
            model.train()
            opt.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            opt.step()

        def infer_step():
            model.eval()
            with torch.no_grad():
                model(x)

        results["configs"][name] = {
            "train_ms": median_ms(train_step, args.train),
            "infer_ms": median_ms(infer_step, args.infer),
        }
    results["blas"] = blas_library()
    if args.json:
        print(json.dumps(results))
    else:
        for name, r in results["configs"].items():
            print(f"{name:16s} train {r['train_ms']:7.1f} ms  infer {r['infer_ms']:7.1f} ms")


if __name__ == "__main__":
    main()
