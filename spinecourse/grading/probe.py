"""The probe: the code that replaces a check cell's hidden tests in the learner's kernel and reports the
answers as typed JSON, and the grader's side that takes its line out of the cell's output.

Typed JSON by exact type: only ``None``, ``bool``, ``int``, ``float``, ``str`` and lists, tuples,
sets, dicts of those (NumPy numbers as their Python values); anything else is reported as
unsupported, and as *forged* when it could compare equal to anything (see trusted.py).
"""

from __future__ import annotations

import json

MARKER = "@@spinecourse-probe"
MAX_PROBE_CHARS = 2_000_000

# Shared by the kernel (exec'd inside the probe) and the grader: typed JSON by exact type.
CODEC = r"""
class _Unsupported(Exception):
    pass

def _enc(v, depth=0):
    t = type(v)
    if depth > 30:
        raise _Unsupported("a value nested too deeply", False)
    if v is None or t is bool or t is int or t is str:
        return v
    if t is float:
        return v if v == v and v not in (float("inf"), float("-inf")) else {"$float": repr(v)}
    if t is list:
        return [_enc(x, depth + 1) for x in v]
    if t is tuple:
        return {"$tuple": [_enc(x, depth + 1) for x in v]}
    if t is set or t is frozenset:
        return {"$set": [_enc(x, depth + 1) for x in v]}
    if t is dict:
        return {"$dict": [[_enc(k, depth + 1), _enc(x, depth + 1)] for k, x in v.items()]}
    if getattr(t, "__module__", "") == "numpy" and hasattr(v, "dtype"):
        return _enc(v.tolist() if getattr(v, "ndim", 0) else v.item(), depth + 1)
    plain = (str, int, float, bool, list, tuple, dict, set, frozenset)
    own_eq = any("__eq__" in vars(k) or "__hash__" in vars(k) for k in t.__mro__[:-1]
                 if k not in plain and getattr(k, "__module__", "") != "builtins")
    raise _Unsupported(getattr(t, "__qualname__", "?"), isinstance(v, plain) or own_eq)

def _dec(x):
    t = type(x)
    if x is None or t is bool or t is int or t is str or t is float:
        return x
    if t is list:
        return [_dec(i) for i in x]
    if t is dict and len(x) == 1:
        (k, v), = x.items()
        if k == "$float" and v in ("nan", "inf", "-inf"):
            return float(v)
        if k == "$tuple" and type(v) is list:
            return tuple(_dec(i) for i in v)
        if k == "$set" and type(v) is list:
            return set(_dec(i) for i in v)
        if k == "$dict" and type(v) is list:
            return {_dec(p[0]): _dec(p[1]) for p in v if type(p) is list and len(p) == 2}
    raise ValueError("not a typed value")
"""
_codec: dict = {}
exec(compile(CODEC, "<spinecourse codec>", "exec"), _codec)
enc, dec, Unsupported = _codec["_enc"], _codec["_dec"], _codec["_Unsupported"]

# The probe's own code runs by ``exec`` in a namespace of its own whose builtins are the real
# ``builtins`` module, reached by an ``import`` statement (which does not look names up in the
# learner's namespace): a learner who rebinds ``print``, ``type``, ``json`` or ``exec`` as globals
# changes nothing the probe uses. Changing a module itself (``sys.stdout = ...``,
# ``json.dumps = ...``, ``builtins``) is caught by ``tampering`` below.
PROBE_BODY = r"""
import json as _json, io as _io, contextlib as _cl
{codec}
def _probe(g, spec):
    spec = _json.loads(spec)
    out = {{}}
    for name in spec["values"]:
        if name not in g:
            out[name] = {{"missing": 1}}
            continue
        try:
            out[name] = {{"value": _enc(g[name])}}
        except _Unsupported as e:
            out[name] = {{"unsupported": str(e.args[0]), "forged": bool(e.args[1])}}
    for name, calls in spec["calls"].items():
        if name not in g:
            out[name] = {{"missing": 1}}
            continue
        res = []
        for a, k in calls:
            buf = _io.StringIO()
            try:
                with _cl.redirect_stdout(buf), _cl.redirect_stderr(buf):
                    r = g[name](*_dec(a), **_dec(k))
                res.append({{"value": _enc(r)}})
            except _Unsupported as e:
                res.append({{"unsupported": str(e.args[0]), "forged": bool(e.args[1])}})
            except Exception as e:
                try:
                    msg = str(e)[:300]
                except Exception:
                    msg = ""
                res.append({{"raised": [type(e).__name__, msg]}})
        out[name] = {{"calls": res}}
    print("{marker} {nonce} " + _json.dumps(out), flush=True)
_probe(__user__, {spec!r})
"""

PROBE = r"""# (the grader reads your answers here; this line is not part of the quiz)
import builtins as __spinecourse_builtins
__spinecourse_builtins.exec({body!r}, {{"__builtins__": __spinecourse_builtins, "__name__": "spinecourse_probe",
                                       "__user__": __spinecourse_builtins.globals()}})
del __spinecourse_builtins
"""


def probe_source(nonce: str, spec: dict) -> str:
    body = PROBE_BODY.format(codec=CODEC, marker=MARKER, nonce=nonce, spec=json.dumps(spec))
    return PROBE.format(body=body)


def take_probe(cell, nonce: str) -> tuple[dict | None, int]:
    """Remove the probe's line from the cell's output; (parsed result or None, number of markers)."""
    found, count = None, 0
    for output in cell.get("outputs", []):
        if output.get("output_type") != "stream":
            continue
        kept = []
        for line in output.get("text", "").splitlines(keepends=True):
            if line.startswith(MARKER):
                parts = line.rstrip("\n").split(" ", 2)
                if len(parts) == 3 and parts[1] == nonce:
                    count += 1
                    if len(parts[2]) <= MAX_PROBE_CHARS:
                        try:
                            data = json.loads(parts[2])
                            found = data if type(data) is dict else None
                        except ValueError:
                            found = None
                continue
            kept.append(line)
        output["text"] = "".join(kept)
    cell["outputs"] = [o for o in cell.get("outputs", []) if o.get("output_type") != "stream" or o.get("text")]
    return found, count
