"""Marks decided outside the learner's kernel, so a learner cannot forge them.

nbgrader scores a check cell by whether it raised in the learner's kernel: a learner who
replaces ``check_answer``, swallows tracebacks or answers with an object equal to everything
scores points. Here the learner's kernel never sees the hidden tests. Instead:

1. ``InjectProbes`` (before nbgrader's Execute) replaces the hidden-test region of each check
   cell by a *probe*: it reads the answer variables the check needs and, for a function
   answer, calls it on the arguments the hidden tests use (recorded once from the instructor's
   solution, ``build_plan``), and prints them as typed JSON (only ``None``, ``bool``, ``int``,
   ``float``, ``str`` and lists, tuples, sets, dicts of those, by exact type; NumPy numbers as
   their Python values) after a per-run random marker.
2. ``TrustedGrades`` (after Execute, in the grader's process) rebuilds those values as plain
   Python data and runs the instructor's whole check cell, visible and hidden part, on them,
   with the course's own ``check_answer`` and the locked set-up cells run by the grader. A learner
   function is replaced by a replay of its recorded results. An item scores only if that trusted
   run passes *and* the learner's kernel raised nothing.
3. Tampering makes the affected items zero and the submission ``SUSPECT`` (with the reason):
   an answer that is a subclass of a plain type or defines ``__eq__``; a probe that reported
   nothing, or twice, while the cell raised nothing; a failing check that raised nothing in the
   kernel; code that rebinds ``check_answer`` or the error machinery (``showtraceback``,
   ``set_custom_exc``, ``sys.excepthook``, tracing hooks, ``builtins``).

Results go to ``grading-notes/<assignment>/<student>/<notebook>.json`` for the report.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import io
import json
import secrets
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

MARKER = "@@spinecourse-probe"
NOTES = "grading-notes"
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


# ---- the plan: what each check cell needs, recorded from the instructor's solution ----


def meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def is_check(cell) -> bool:
    return cell.cell_type == "code" and bool(meta(cell).get("grade")) and not meta(cell).get("solution")


def is_learner_cell(cell) -> bool:
    m = meta(cell)
    return cell.cell_type == "code" and (bool(m.get("solution")) or not m.get("locked"))


def split_hidden(source: str) -> tuple[str, str]:
    """(visible part, hidden part) of a check cell."""
    visible, hidden, inside = [], [], False
    for line in source.splitlines():
        if "BEGIN HIDDEN TESTS" in line:
            inside = True
        elif "END HIDDEN TESTS" in line:
            inside = False
        else:
            (hidden if inside else visible).append(line)
    return "\n".join(visible), "\n".join(hidden)


def bound_names(source: str) -> set[str]:
    """Top-level names a cell binds (assignments, defs, imports, loop targets)."""
    out: set[str] = set()
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return out
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            out.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            out.add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            out.update((a.asname or a.name).split(".")[0] for a in node.names)
    return out


def loaded_names(source: str) -> set[str]:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


@dataclass
class Item:
    grade_id: str
    source: str  # the whole check cell (visible + hidden)
    values: list[str]  # answer variables read as data
    calls: dict[str, list]  # answer functions -> recorded [args, kwargs] (typed JSON)
    context: dict  # the grader's namespace from the locked cells before this check
    ok: bool = True  # False: the solution itself does not pass through the plan (graded as nbgrader does)
    why: str = ""


@dataclass
class Plan:
    items: dict[str, Item] = field(default_factory=dict)


def _run(code: str, ns: dict) -> None:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        exec(compile(code, "<check>", "exec"), ns)


def build_plan(source_nb) -> Plan:
    """Run the instructor's notebook in the grader (it is trusted) and record what each check needs."""
    plan = Plan()
    ref: dict = {"__name__": "__main__"}
    context: dict = {"__name__": "__main__"}
    learner: set[str] = set()
    for cell in source_nb.cells:
        if cell.cell_type != "code":
            continue
        m = meta(cell)
        if m.get("solution"):
            learner |= bound_names(cell.source)
            _run(cell.source, ref)
            continue
        if not is_check(cell):
            _run(cell.source, ref)
            _run(cell.source, context)
            continue
        gid = m["grade_id"]
        needs = sorted(loaded_names(cell.source) & learner)
        funcs = [n for n in needs if callable(ref.get(n)) and type(ref.get(n)).__name__ == "function"]
        calls: dict[str, list] = {n: [] for n in funcs}
        saved = {n: ref[n] for n in funcs}
        item = Item(gid, cell.source, [n for n in needs if n not in funcs], calls, dict(context))

        def recorder(name, fn, calls=calls):
            def record(*args, **kwargs):
                calls[name].append([enc(list(args)), enc(dict(kwargs))])
                return fn(*args, **kwargs)

            return record

        try:
            for n in funcs:
                ref[n] = recorder(n, saved[n])
            for n in item.values:
                enc(ref[n])
            _run(cell.source, dict(ref))
        except Exception as exc:
            item.ok, item.why = False, f"{type(exc).__name__}: {exc}"
        finally:
            ref.update(saved)
        plan.items[gid] = item
    return plan


_PLANS: dict[tuple, Plan] = {}


def plan_for(path: Path) -> Plan:
    key = (str(path), path.stat().st_mtime_ns)
    if key not in _PLANS:
        _PLANS[key] = build_plan(nbformat.read(path, as_version=4))
    return _PLANS[key]


# ---- the trusted verdict ----


class _NotRecorded(BaseException):
    """A check called a learner function in a way the solution did not: the item fails."""


def _exception_class(name: str):
    cls = getattr(builtins, name, None)
    if isinstance(cls, type) and issubclass(cls, Exception):
        return cls
    return type(name, (Exception,), {})


def _replay(name: str, recorded: list, results: list):
    table = {json.dumps(args, sort_keys=True): res for args, res in zip(recorded, results)}

    def replay(*args, **kwargs):
        key = json.dumps([enc(list(args)), enc(dict(kwargs))], sort_keys=True)
        res = table.get(key)
        if res is None or "unsupported" in res:
            raise _NotRecorded(name)
        if "raised" in res:
            ename, message = res["raised"]
            raise _exception_class(str(ename))(str(message))
        return dec(res["value"])

    replay.__name__ = name
    return replay


@dataclass
class Verdict:
    passed: bool
    suspect: str = ""
    note: str = ""


def evaluate(item: Item, probe: dict | None, kernel_error: bool) -> Verdict:
    """Run the instructor's check on the learner's extracted answers, in the grader."""
    if probe is None:
        if kernel_error:
            return Verdict(False, note=f"{item.grade_id}: the check did not finish")
        return Verdict(
            False,
            suspect=f"{item.grade_id}: the grader's reading of the answers produced no "
            "result although the cell raised nothing (output or errors suppressed)",
        )
    ns = dict(item.context)
    for name in item.values:
        got = probe.get(name, {})
        if "unsupported" in got:
            if got.get("forged"):
                return Verdict(
                    False,
                    suspect=f"{item.grade_id}: answer {name} is a {got['unsupported']} object, "
                    "not a plain value (it can compare equal to anything)",
                )
            return Verdict(False, note=f"{item.grade_id}: {name} is a {got['unsupported']}, not a plain value")
        if "value" in got:
            try:
                ns[name] = dec(got["value"])
            except (ValueError, TypeError):
                return Verdict(False, suspect=f"{item.grade_id}: {name} was reported in a forged form")
    for name, recorded in item.calls.items():
        got = probe.get(name, {})
        if "calls" not in got:
            continue  # missing: the check's own NameError fails it
        results = got["calls"]
        if type(results) is not list or len(results) != len(recorded):
            return Verdict(False, suspect=f"{item.grade_id}: the results of {name} were reported in a forged form")
        for res in results:
            if type(res) is dict and res.get("forged"):
                return Verdict(
                    False,
                    suspect=f"{item.grade_id}: {name} returned a {res['unsupported']} object, "
                    "not a plain value (it can compare equal to anything)",
                )
        ns[name] = _replay(name, recorded, results)
    visible, _ = split_hidden(item.source)
    try:
        _run(visible, dict(ns))
    except BaseException:
        if not kernel_error:
            return Verdict(
                False,
                suspect=f"{item.grade_id}: a failing check raised no error in the learner's "
                "kernel (errors suppressed, or the checker replaced)",
            )
        return Verdict(False)
    try:
        _run(item.source, ns)
    except BaseException:
        return Verdict(False)
    return Verdict(True)


# ---- static signs of tampering in the learner's own cells ----

HOOK_ATTRS = {
    "showtraceback",
    "showsyntaxerror",
    "_showtraceback",
    "excepthook",
    "run_cell",
    "run_code",
    "displayhook",
    "__excepthook__",
    "set_custom_exc",
    "settrace",
    "setprofile",
    "addaudithook",
    "ast_transformers",
    "input_transformers_post",
    "input_transformers_cleanup",
    "register",
    "_format_exception_only",
}


#: Modules whose contents the probe and the kernel's output path rely on: a learner cell that changes
#: them (``sys.stdout = ...``, ``json.dumps = ...``, ``setattr(ipykernel.iostream.OutStream, ...)``)
#: could rewrite what the probe reports.
GUARDED_MODULES = {
    "sys",
    "os",
    "posix",
    "json",
    "io",
    "_io",
    "builtins",
    "contextlib",
    "codecs",
    "gc",
    "types",
    "importlib",
    "ipykernel",
    "IPython",
    "zmq",
    "jupyter_client",
    "traitlets",
    "spinecourse",
}


def _root_name(node) -> str:
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else ""


def _guarded_aliases(tree) -> set[str]:
    """Names this cell binds to a guarded module or to something imported from one."""
    out = {"sys", "os", "json", "io", "builtins"}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name.split(".")[0] in GUARDED_MODULES:
                    out.add((a.asname or a.name).split(".")[0])
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in GUARDED_MODULES:
            out.update(a.asname or a.name for a in node.names)
    return out


def _changes_a_module(node, guarded: set[str]) -> str:
    targets = []
    if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete)):
        targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
    for t in targets:
        for sub in ast.walk(t):
            if isinstance(sub, ast.Attribute) and _root_name(sub) in guarded:
                return f"changes {_root_name(sub)}.{sub.attr}"
            if (
                isinstance(sub, ast.Subscript)
                and isinstance(sub.value, ast.Attribute)
                and sub.value.attr in ("modules", "__dict__")
            ):
                return f"changes {sub.value.attr}"
            if (
                isinstance(sub, ast.Subscript)
                and isinstance(sub.value, ast.Call)
                and isinstance(sub.value.func, ast.Name)
                and sub.value.func.id in ("vars", "globals")
            ):
                return f"writes through {sub.value.func.id}()"
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in ("setattr", "delattr")
        and node.args
        and _root_name(node.args[0]) in guarded
    ):
        return f"{node.func.id} on {_root_name(node.args[0])}"
    return ""


def tampering(source: str) -> str:
    """Why this learner cell tampers with the checking machinery ('' if it does not)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return ""
    guarded = _guarded_aliases(tree)
    for node in ast.walk(tree):
        why = _changes_a_module(node, guarded)
        if why:
            return f"{why} (the grader's reading of the answers relies on it)"
        if isinstance(node, ast.Name):
            if node.id == "check_answer" and isinstance(node.ctx, (ast.Store, ast.Del)):
                return "rebinds check_answer"
            if node.id in ("__builtins__", "builtins"):
                return f"uses {node.id}"
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name == "check_answer":
            return "redefines check_answer"
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = {a.name.split(".")[0] for a in node.names} | {a.asname for a in node.names if a.asname}
            if "builtins" in names:
                return "imports builtins"
            if "check_answer" in names and getattr(node, "module", None) != "spinecourse.answers":
                return "rebinds check_answer by an import"
        if isinstance(node, ast.Attribute) and node.attr in HOOK_ATTRS:
            if node.attr == "register" and not (isinstance(node.value, ast.Attribute) and node.value.attr == "events"):
                continue
            return f"replaces the error/check machinery ({node.attr})"
        if (
            isinstance(node, ast.Attribute)
            and node.attr == "check_answer"
            and isinstance(node.ctx, (ast.Store, ast.Del))
        ):
            return "replaces check_answer"
        if isinstance(node, ast.ClassDef):
            plain = {"str", "int", "float", "list", "tuple", "dict", "set", "bool", "frozenset"}
            bases = {b.id for b in node.bases if isinstance(b, ast.Name)}
            methods = {n.name for n in node.body if isinstance(n, ast.FunctionDef)}
            if "__eq__" in methods or (bases & plain and methods & {"strip", "upper", "lower", "__hash__"}):
                return f"defines class {node.name} that overrides comparison"
    return ""


# ---- nbconvert preprocessors used by nbgrader autograde (assignments/nbgrader_config.py) ----


def _course_root(config) -> Path:
    try:
        root = config.CourseDirectory.root
        if isinstance(root, str) and root:
            return Path(root)
    except AttributeError:
        pass
    return Path.cwd()


class InjectProbes(Preprocessor):
    enabled = Bool(True).tag(config=True)

    def preprocess(self, nb, resources):
        info = resources.get("nbgrader", {})
        root = _course_root(self.config)
        path = root / "source" / str(info.get("assignment", "")) / f"{info.get('notebook', '')}.ipynb"
        if not path.exists():
            return nb, resources
        plan = plan_for(path)
        nonce = secrets.token_hex(12)
        originals, unchecked = {}, {}
        for index, cell in enumerate(nb.cells):
            item = plan.items.get(meta(cell).get("grade_id")) if is_check(cell) else None
            visible, hidden = split_hidden(cell.source)
            if item is None or not item.ok:
                if hidden.strip():  # hidden tests never reach the learner's kernel, on any path
                    unchecked[index] = (cell.source, item.why if item is not None else "no plan for this cell")
                    cell.source = visible
                continue
            originals[index] = cell.source
            spec = {"values": item.values, "calls": item.calls}
            cell.source = probe_source(nonce, spec) + "\n" + visible
        resources["spinecourse"] = {
            "nonce": nonce,
            "plan": plan,
            "originals": originals,
            "path": str(path),
            "root": str(root),
            "unchecked": unchecked,
        }
        return nb, resources


def _take_probe(cell, nonce: str) -> tuple[dict | None, int]:
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


def kernel_raised(cell) -> bool:
    return any(
        o.get("output_type") == "error" or (o.get("output_type") == "stream" and o.get("name") == "stderr")
        for o in cell.get("outputs", [])
    )


class TrustedGrades(Preprocessor):
    enabled = Bool(True).tag(config=True)

    def preprocess(self, nb, resources):
        state = resources.get("spinecourse")
        if not state:
            return nb, resources
        plan, nonce = state["plan"], state["nonce"]
        tampered = [(i, tampering(c.source)) for i, c in enumerate(nb.cells) if is_learner_cell(c)]
        tampered = [(i, why) for i, why in tampered if why]
        items, suspects, notes = {}, [], []
        for i, why in tampered:
            label = meta(nb.cells[i]).get("grade_id") or f"cell {i + 1}"
            suspects.append(f"{label} {why}")
        for index, original in state["originals"].items():
            cell = nb.cells[index]
            gid = meta(cell)["grade_id"]
            cell.source = original
            probe, count = _take_probe(cell, nonce)
            raised = kernel_raised(cell)
            if count > 1:
                verdict = Verdict(
                    False,
                    suspect=f"{gid}: the grader's reading of the answers was answered {count} times (forged output)",
                )
            else:
                verdict = evaluate(plan.items[gid], probe, raised)
            earlier = [why for i, why in tampered if i < index]
            if earlier and verdict.passed:
                verdict = Verdict(False, note=f"{gid}: scored zero because an earlier cell tampers with the checks")
            if verdict.suspect:
                suspects.append(verdict.suspect)
            if verdict.note:
                notes.append(verdict.note)
            if not verdict.passed and not raised:
                cell.setdefault("outputs", []).append(
                    nbformat.v4.new_output(
                        "error",
                        ename="AssertionError",
                        evalue=f"the grader's check of {gid} did not pass",
                        traceback=[f"AssertionError: the grader's check of {gid} did not pass"],
                    )
                )
            items[gid] = {"passed": verdict.passed}
        for index, (original, why) in state.get("unchecked", {}).items():
            # A check the grader could not run outside the kernel (the solution did not pass through the
            # plan): its hidden part was not sent to the kernel, so it cannot score here: marked by hand.
            cell = nb.cells[index]
            cell.source = original
            label = meta(cell).get("grade_id") or f"cell {index + 1}"
            notes.append(
                f"{label}: could not be checked outside the learner's kernel ({why}): "
                "it scores zero here, grade it by hand"
            )
            cell.setdefault("outputs", []).append(
                nbformat.v4.new_output(
                    "error",
                    ename="AssertionError",
                    evalue=f"{label} must be graded by hand",
                    traceback=[f"AssertionError: {label} must be graded by hand"],
                )
            )
            items[label] = {"passed": False}
        info = resources.get("nbgrader", {})
        out = Path(state["root"]) / NOTES / str(info.get("assignment")) / str(info.get("student"))
        out.mkdir(parents=True, exist_ok=True)
        (out / f"{info.get('notebook')}.json").write_text(
            json.dumps({"suspect": suspects, "notes": notes, "items": items}, indent=1)
        )
        return nb, resources


def kernel_view(nb, source_path: Path):
    """A copy of ``nb`` as autograde sends it to the learner's kernel: check cells become the grader's
    probe plus their visible part, and no cell keeps a hidden-test region (used by the regrade that
    looks for the cell that killed the kernel)."""
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    resources = {"nbgrader": {"assignment": source_path.parent.name, "notebook": source_path.stem}}
    root = source_path.parent.parent.parent
    from traitlets.config import Config

    config = Config()
    config.CourseDirectory.root = str(root)
    if source_path.exists():
        nb, _ = InjectProbes(config=config).preprocess(nb, resources)
    for cell in nb.cells:
        if cell.cell_type == "code" and "BEGIN HIDDEN TESTS" in cell.source:
            cell.source = split_hidden(cell.source)[0]
    return nb
