"""Do unpickled and copied experiments train as fast as built ones?
``python -m nnviz.bench.copies [rounds] [--net toy|mnist]``.

The training child process unpickles its experiment; branches and step mode copy networks.
CPython 3.11+ reads the attributes of an object restored into a real ``__dict__`` more slowly
(see :mod:`nnviz.core.compact`), and a toy batch is mostly attribute reads and small NumPy
calls. This trains a built, an unpickled and a deep-copied copy of the same setup in
alternating short rounds (so a drift of the machine's speed falls on all three alike) and
prints, as JSON, each one's median time per batch and its per-round ratio to the built one.
"""
from __future__ import annotations

import copy
import json
import pickle
import sys
import time

import numpy as np


class BatchStats:
    """Batches trained and the seconds they took, one entry per round."""

    def __init__(self):
        self.us_per_batch: list[float] = []

    def round(self, trainer, seconds: float) -> None:
        clock, n, t0 = time.perf_counter, 0, time.perf_counter()
        while clock() - t0 < seconds:
            r = trainer.train_batch()
            n += 1
            if r.epoch_done:
                trainer.finish_epoch()
        self.us_per_batch.append(1e6 * (clock() - t0) / n)


def run(rounds: int = 30, seconds: float = 0.2, net: str = "toy") -> dict:
    from nnviz.bench.window import bench_settings
    from nnviz.experiment import build

    s = bench_settings(net)
    data = build(s).data
    trainers = {"built": build(s, data=data).trainer,
                "unpickled": pickle.loads(pickle.dumps(build(s, data=data), protocol=pickle.HIGHEST_PROTOCOL)).trainer,
                "deep_copied": copy.deepcopy(build(s, data=data)).trainer}
    stats = {k: BatchStats() for k in trainers}
    for k, tr in trainers.items():   # warm up, uncounted
        BatchStats().round(tr, 0.3)
    for _ in range(rounds):
        for k, tr in trainers.items():
            stats[k].round(tr, seconds)
    base = np.array(stats["built"].us_per_batch)
    out = {"net": "-".join(map(str, trainers["built"].net.sizes)),
           "method": f"{rounds} alternating rounds of {seconds} s each after 0.3 s uncounted"}
    for k, st in stats.items():
        r = np.array(st.us_per_batch) / base
        out[k] = {"batch_us_median": round(float(np.median(st.us_per_batch)), 1),
                  "ratio_to_built_median": round(float(np.median(r)), 3),
                  "ratio_quartiles": [round(float(q), 3) for q in np.percentile(r, [25, 75])]}
    return out


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    net = "toy"
    if "--net" in argv:
        i = argv.index("--net")
        net = argv[i + 1]
        del argv[i:i + 2]
    rounds = int(argv[0]) if argv else 30
    print(json.dumps(run(rounds=rounds, net=net), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
