"""The CLI's argument checks: any text for a number flag is either accepted inside the range
``--help`` states or refused by argparse with one ``error:`` line (exit 2), never a crash."""
import contextlib
import io
import math

import pytest
from hypothesis import given, strategies as st

from nnviz.cli import build_parser
from nnviz.cliargs import RANGES

WHOLE = {"--seed": "seed", "--epochs": "epochs", "--batch-size": "batch-size",
         "--every": "every"}
REAL = {"--lr": (0.0, None, True), "--weight-decay": (0.0, None, False), "--l1": (0.0, None, False),
        "--dropout": (0.0, 1.0, False)}
NUMBERISH = st.one_of(st.integers(-2**70, 2**70).map(str), st.floats().map(repr),
                      st.sampled_from(["", " ", "nan", "-inf", "1e400", "0x10", "1_0", "٣", "1.0",
                                       "--", "-0"]),
                      st.text(max_size=6))


def _parse(argv):
    buf = io.StringIO()
    try:
        with contextlib.redirect_stderr(buf), contextlib.redirect_stdout(io.StringIO()):
            return build_parser().parse_args(argv), None
    except SystemExit as exc:
        err = buf.getvalue()
        assert exc.code == 2 and "error: argument" in err and "Traceback" not in err
        return None, err


@given(st.sampled_from(sorted(WHOLE)), NUMBERISH)
def test_whole_number_flags(flag, text):
    args, _ = _parse(["train", "--preset", "xor", flag, text])
    if args is not None:
        value = getattr(args, flag[2:].replace("-", "_"))
        lo, hi = RANGES[WHOLE[flag]]
        assert isinstance(value, int) and lo <= value <= hi


@given(st.sampled_from(sorted(REAL)), NUMBERISH)
def test_real_number_flags(flag, text):
    args, _ = _parse(["train", "--preset", "xor", flag, text])
    if args is not None:
        value = getattr(args, flag[2:].replace("-", "_"))
        lo, hi, lo_open = REAL[flag]
        assert math.isfinite(value) and (value > lo if lo_open else value >= lo)
        assert hi is None or value < hi


@given(st.sampled_from(["--steps", "--sample"]), NUMBERISH)
def test_trace_flags(flag, text):
    args, _ = _parse(["trace", flag, text])
    if args is not None:
        lo, hi = RANGES[flag[2:]]
        assert lo <= getattr(args, flag[2:]) <= hi


@given(st.text(max_size=12))
def test_layers_text_is_parsed_or_refused(text):
    from nnviz.core.errors import NNVizError
    from nnviz.experiment import MAX_UNITS, parse_layers

    try:
        sizes = parse_layers(text)
    except NNVizError as exc:
        assert str(exc)
        return
    assert len(sizes) >= 2 and all(1 <= n <= MAX_UNITS for n in sizes)


@pytest.mark.parametrize("flag", ["--save", "--load", "--label-column"])
def test_empty_text_flags_are_refused(flag):
    args, err = _parse(["train", flag, ""])
    assert args is None and "must not be empty" in err
