"""Numbers rounded for reading: 4 significant digits by default, a true minus sign."""
from __future__ import annotations

import math

SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
MINUS = "−"


def num(v: float, sig: int = 4) -> str:
    """``0.7216325609518421`` → ``0.7216``; ``-0.5567`` → ``−0.5567``; ``220.0`` → ``220``."""
    v = float(v)
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "∞" if v > 0 else MINUS + "∞"
    if v == 0:
        return "0"  # no "−0"
    text = f"{v:.{sig}g}"
    if "e" in text:
        mant, exp = text.split("e")
        text = f"{mant}e{int(exp)}"
    return text.replace("-", MINUS)


def term(v: float, sig: int = 4) -> str:
    """A factor inside a product: negative numbers in parentheses, ``(−0.5567)``."""
    text = num(v, sig)
    return f"({text})" if text.startswith(MINUS) else text


def sub(i: int) -> str:
    """``12`` → ``₁₂`` (an index written as a subscript)."""
    return str(int(i)).translate(SUBSCRIPTS)


def sup(i: int) -> str:
    """``12`` → ``¹²`` (an exponent)."""
    return str(int(i)).translate(SUPERSCRIPTS)


def parse_numbers(text: str) -> list[float]:
    """Every number in a filled-in formula, as floats (for tests and other tools)."""
    import re

    text = text.replace(MINUS, "-")
    return [float(m) for m in re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", text)]


def linear_text(coefs, b: float, names=("x1", "x2"), sig: int = 4) -> str:
    """``0.5·x1 + 0.5·x2 − 0.7`` (signs written as operators)."""
    out = ""
    for c, n in zip(coefs, names):
        text = num(c, sig)
        if not out:
            out = f"{text}·{n}"
        else:
            out += f" − {text[1:]}·{n}" if text.startswith(MINUS) else f" + {text}·{n}"
    bt = num(b, sig)
    return out + (f" − {bt[1:]}" if bt.startswith(MINUS) else f" + {bt}")
