"""``python -m nnviz.bench.landscape --quick``: one JSON object with the small-network figures."""
import json

from nnviz.bench.landscape import main


def test_quick_benchmark_prints_json(capsys):
    assert main(["--quick"]) == 0
    d = json.loads(capsys.readouterr().out)
    names = [f["name"] for f in d["small"]]
    assert names == ["circle 2-8-8-1", "circle 2-24-24-1", "xor 2-4-1"]
    assert all(f["per_second"] > 0 and f["params"] <= 1000 for f in d["small"])
    assert "mnist" not in d
