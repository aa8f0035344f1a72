"""Refuse ``--cfg-options`` that would be silently ignored or would run code.

- a top-level key nothing reads (``max_epochs=1`` would train the config's own length);
- a config variable (``layout=ntu25``): it took effect while the config was read, so setting
  it afterwards changes nothing;
- a misspelt nested key (``train_cfg.max_epoch``, ``train_dataloader.dataset.layot``): a new key
  next to a nearly identical existing one;
- a ``type`` that is not a registered name: a dotted path (``subprocess.call``) would be
  imported and called by mmengine, so it is refused unless ``allow_code`` (``--allow-code``).
  A config file itself is Python code: only run configs (and work dirs) you trust.
"""
import difflib
from typing import Dict, Iterator, List, Optional

from mmengine.config import Config

# Top-level keys mmengine's Runner reads even when a config leaves them out.
RUNNER_KEYS = ('model', 'work_dir', 'train_dataloader', 'val_dataloader', 'test_dataloader',
               'train_cfg', 'val_cfg', 'test_cfg', 'auto_scale_lr', 'optim_wrapper',
               'param_scheduler', 'val_evaluator', 'test_evaluator', 'default_hooks',
               'custom_hooks', 'data_preprocessor', 'load_from', 'resume', 'launcher', 'env_cfg',
               'log_processor', 'log_level', 'visualizer', 'default_scope', 'randomness',
               'experiment_name', 'model_wrapper_cfg', 'find_unused_parameters', 'compile',
               'custom_imports')


def _paths(node, prefix: str = '') -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            path = f'{prefix}{key}'
            yield path
            yield from _paths(value, path + '.')


def _registered_names() -> set:
    """Every name registered in mmaction2's registries (and their mmengine parents)."""
    from mmaction import registry
    from mmengine.registry import Registry
    names = set()
    for attr in dir(registry):
        reg = getattr(registry, attr)
        while isinstance(reg, Registry):
            names |= set(reg.module_dict)
            reg = reg.parent
    return names


def _check_types(options: Dict, allow_code: bool) -> None:
    known = None
    for key, value in options.items():
        values = [value] if key.split('.')[-1] == 'type' else [
            v.get('type') for v in (value if isinstance(value, list) else [value])
            if isinstance(v, dict)]
        for name in values:
            if not isinstance(name, str) or allow_code:
                continue
            known = _registered_names() if known is None else known
            if name.split('.')[-1] not in known or ('.' in name and name.split('.')[0] not in
                                                    ('mmaction', 'mmengine', 'mmcv')):
                raise KeyError(f'--cfg-options {key}={name!r}: not a registered name; a dotted '
                               'path would be imported and run. Use a registered type, or pass '
                               '--allow-code if you wrote that code yourself.')


def _nested_typos(cfg: Config, key: str) -> Optional[str]:
    """The existing key a new nested key is a near miss of (``max_epoch`` vs ``max_epochs``)."""
    node = cfg.to_dict()
    parts = key.split('.')
    for i, part in enumerate(parts):
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
            continue
        if not isinstance(node, dict):
            return None
        if part not in node:
            near = difflib.get_close_matches(part, [str(k) for k in node], n=1, cutoff=0.8)
            return '.'.join(parts[:i] + near) if near else None
        node = node[part]
    return None


def check_cfg_options(cfg: Config, options: Optional[Dict], allow_code: bool = False) -> None:
    """Raise when an option would be ignored or would run code (see the module docstring),
    suggesting the real keys.

    Nested keys under an existing top-level key are allowed (mmengine creates them, as for a
    new hook argument) unless they are a near miss of an existing key.
    """
    if not options:
        return
    unknown = [k for k in options if k.split('.')[0] not in cfg and
               k.split('.')[0] not in RUNNER_KEYS]
    known: List[str] = list(_paths(cfg.to_dict()))
    if unknown:
        hints = []
        for key in unknown:
            leaf = key.split('.')[-1]
            near = [p for p in known if p.split('.')[-1] == leaf][:3] or \
                difflib.get_close_matches(key, known, n=3)
            hints.append(f'{key!r}' + (f' (did you mean {", ".join(near)}?)' if near else ''))
        raise KeyError(f'--cfg-options: {"; ".join(hints)} is not a key of {cfg.filename}; '
                       'nothing would read it. Give the full path, e.g. train_cfg.max_epochs=5.')
    variables = [k for k in options if '.' not in k and k not in RUNNER_KEYS]
    if variables:
        key = variables[0]
        users = [p for p in known if p.split('.')[-1] == key and '.' in p][:4]
        raise KeyError(f'--cfg-options: {key!r} is a variable of {cfg.filename}; it took effect '
                       'when the config was read, so setting it now changes nothing. Set the '
                       f'keys that use it instead{": " + ", ".join(users) if users else ""}.')
    for key in options:
        near = _nested_typos(cfg, key)
        if near:
            raise KeyError(f'--cfg-options: {key!r} is not a key of {cfg.filename} (did you mean '
                           f'{near}?); a new key there would be ignored.')
    _check_types(options, allow_code)
