"""Refuse ``--cfg-options`` keys that nothing reads (a top-level ``max_epochs=1`` would
otherwise train the config's own length without a word)."""
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


def check_cfg_options(cfg: Config, options: Optional[Dict]) -> None:
    """Raise when an option's top-level key is not in ``cfg``, suggesting the nearest real keys.

    Nested keys under an existing top-level key are allowed (mmengine creates them, as for a
    new hook argument); a new top-level key is never read by the Runner or the configs.
    """
    if not options:
        return
    unknown = [k for k in options if k.split('.')[0] not in cfg and
               k.split('.')[0] not in RUNNER_KEYS]
    if not unknown:
        return
    known: List[str] = list(_paths(cfg.to_dict()))
    hints = []
    for key in unknown:
        leaf = key.split('.')[-1]
        near = [p for p in known if p.split('.')[-1] == leaf][:3] or \
            difflib.get_close_matches(key, known, n=3)
        hints.append(f'{key!r}' + (f' (did you mean {", ".join(near)}?)' if near else ''))
    raise KeyError(f'--cfg-options: {"; ".join(hints)} is not a key of {cfg.filename}; nothing '
                   'would read it. Give the full path, e.g. train_cfg.max_epochs=5.')
