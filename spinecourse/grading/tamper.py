"""Static signs of tampering in a learner's own cells: rebinding ``check_answer``, the error machinery
(``showtraceback``, ``set_custom_exc``, ``sys.excepthook``, tracing hooks, ``builtins``) or a module
the probe relies on, or a class that overrides comparison.
"""

from __future__ import annotations

import ast

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
