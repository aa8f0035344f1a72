"""Resolve configs to plain dicts and list what differs between two resolutions.

Used to prove that a config refactor (renamed files, flattened ``_base_`` chains, named pipeline
pieces) changes nothing a Runner reads: resolve every config before and after, then diff.
"""
import math
from typing import Any, Dict, List, Tuple

from .config_options import RUNNER_KEYS


def plain(obj: Any) -> Any:
    """Config values as JSON-able plain data (tuples become lists, non-finite floats strings)."""
    if isinstance(obj, dict):
        return {str(k): plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [plain(v) for v in obj]
    if isinstance(obj, float) and not math.isfinite(obj):
        return repr(obj)
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return obj
    return repr(obj)


def resolve_config(path: str) -> Dict[str, Any]:
    """``Config.fromfile(path)`` with every ``_base_`` merged, as plain data."""
    from mmengine.config import Config
    cfg = Config.fromfile(path)
    return plain({k: v for k, v in cfg.to_dict().items() if k not in ('filename', 'text')})


def diff_dicts(old: Any, new: Any, where: str = '') -> List[Tuple[str, Any, Any]]:
    """Every ``(key path, old value, new value)`` where two plain values differ ('<absent>' for
    a key on one side only)."""
    if isinstance(old, dict) and isinstance(new, dict):
        out = []
        for k in sorted(set(old) | set(new)):
            sub = f'{where}.{k}' if where else k
            if k not in old:
                out.append((sub, '<absent>', new[k]))
            elif k not in new:
                out.append((sub, old[k], '<absent>'))
            else:
                out += diff_dicts(old[k], new[k], sub)
        return out
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        out = []
        for i, (a, b) in enumerate(zip(old, new)):
            out += diff_dicts(a, b, f'{where}[{i}]')
        return out
    return [] if old == new else [(where, old, new)]


def is_runner_key(key_path: str) -> bool:
    """Whether a difference at ``key_path`` reaches the Runner (a key of
    :data:`mmimigue.apis.config_options.RUNNER_KEYS`; any other top-level key is a config
    variable that only takes effect through those)."""
    return key_path.split('.')[0].split('[')[0] in RUNNER_KEYS
