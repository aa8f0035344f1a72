"""Build a recognizer from a config and load its checkpoint, strictly by default."""
import os
import os.path as osp
from typing import Dict, List, Optional, Tuple, Union

from mmengine.config import Config
from torch.nn import Module


class CheckpointMismatchError(RuntimeError):
    """The checkpoint's weights do not fit the model the config builds."""


def saved_configs(checkpoint: str) -> List[str]:
    """Configs mmengine saved in the checkpoint's work dir (the settings it was trained with)."""
    folder = osp.dirname(osp.abspath(checkpoint))
    if not osp.isdir(folder):
        return []
    return sorted(osp.join(folder, f) for f in os.listdir(folder) if f.endswith('.py'))


def resolve_work_dir(config: str, checkpoint: Optional[str] = None) -> Tuple[str, str]:
    """``(config, checkpoint)`` of a training work dir, or the arguments unchanged.

    ``config`` may be a work dir: its saved config (the settings it was trained with, including
    ``--cfg-options``) is used, and without ``checkpoint`` its best checkpoint (newest
    ``best_*.pth``), else the one ``last_checkpoint`` names, else the newest ``epoch_*.pth``.

    Raises:
        FileNotFoundError: no saved config or no checkpoint in the work dir.
    """
    if not osp.isdir(config):
        if checkpoint is None:
            raise FileNotFoundError(f'{config}: pass a checkpoint after the config, or pass the '
                                    'work dir instead of the config to test its best checkpoint')
        return config, checkpoint
    work_dir = config
    saved = sorted(f for f in os.listdir(work_dir) if f.endswith('.py'))
    if len(saved) != 1:
        raise FileNotFoundError(f'{work_dir}: expected the one config training saves there, found '
                                f'{saved or "none"}; pass the config file instead')
    if checkpoint is None:
        checkpoint = _best_checkpoint(work_dir)
    return osp.join(work_dir, saved[0]), checkpoint


def _best_checkpoint(work_dir: str) -> str:
    def newest(prefix):
        files = [osp.join(work_dir, f) for f in os.listdir(work_dir)
                 if f.startswith(prefix) and f.endswith('.pth')]
        return max(files, key=osp.getmtime) if files else None
    best = newest('best_')
    if best:
        return best
    last = osp.join(work_dir, 'last_checkpoint')
    if osp.isfile(last):
        with open(last) as f:
            path = f.read().strip()
        if osp.isfile(path):
            return path
    found = newest('epoch_')
    if found is None:
        raise FileNotFoundError(f'{work_dir}: no checkpoint (best_*.pth, last_checkpoint or '
                                'epoch_*.pth); has training saved one yet?')
    return found


def checkpoint_mismatch_message(checkpoint: str, config: str, error: Exception,
                                retry: str = 'python tools/test.py {config} {checkpoint}') -> str:
    """What went wrong and what to run instead, for a strict load that failed.

    Args:
        checkpoint (str): The checkpoint.
        config (str): The config the model was built from.
        error (Exception): The error of the strict load (its lines list the mismatched keys).
        retry (str): Command pattern naming the config saved beside the checkpoint.
    """
    lines = [ln.strip() for ln in str(error).splitlines() if ln.strip()]
    hint = saved_configs(checkpoint)
    use = ('use the config saved beside it: ' + retry.format(config=hint[0],
                                                              checkpoint=checkpoint)
           if hint else 'pass the config (and --cfg-options) it was trained with')
    return (f'{checkpoint} does not match {config} ({max(len(lines) - 1, 1)} weight(s) missing, '
            f'unexpected or of another shape; first: {lines[1] if len(lines) > 1 else error}). '
            f'It was trained with other settings: {use}.')


def check_checkpoint_exists(checkpoint: str) -> None:
    """Raise a clear FileNotFoundError for a local checkpoint path that does not exist."""
    if '://' not in checkpoint and not osp.isfile(checkpoint):
        raise FileNotFoundError(f'checkpoint {checkpoint} not found (training writes '
                                'epoch_N.pth / best_*.pth into its --work-dir)')


def init_recognizer(config: Union[str, Config], checkpoint: Optional[str] = None,
                    device: str = 'cpu', cfg_options: Optional[Dict] = None,
                    strict: bool = True) -> Module:
    """Build ``config``'s model, load ``checkpoint`` and put it in eval mode on ``device``.

    As mmaction2's ``mmaction.apis.init_recognizer``: the model is returned with its config as
    ``model.cfg``; unlike it, loading is strict by default and a mismatch names the config saved
    beside the checkpoint.

    Args:
        config (str | Config): Config file or object.
        checkpoint (str, optional): Weights to load; None keeps the initialisation.
        device (str): Torch device. Defaults to ``'cpu'``.
        cfg_options (dict, optional): Overrides merged into the config first.
        strict (bool): Every weight must fit (a checkpoint trained with other settings
            would otherwise run half random). Defaults to True.

    Returns:
        nn.Module: The model in eval mode, with ``model.cfg``.

    Raises:
        FileNotFoundError: the checkpoint does not exist.
        CheckpointMismatchError: with ``strict``, weights are missing, unexpected or of
            another shape; the message names the config saved beside the checkpoint.
    """
    from mmaction.registry import MODELS
    from mmengine.registry import init_default_scope
    from mmengine.runner import load_checkpoint
    cfg = config if isinstance(config, Config) else Config.fromfile(config)
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    init_default_scope(cfg.get('default_scope', 'mmaction'))
    model = MODELS.build(cfg.model)
    if checkpoint is not None:
        check_checkpoint_exists(checkpoint)
        try:
            load_checkpoint(model, checkpoint, map_location='cpu', strict=strict,
                            revise_keys=[(r'^module\.', '')], logger='silent')
        except RuntimeError as e:
            raise CheckpointMismatchError(checkpoint_mismatch_message(
                checkpoint, cfg.filename or '<config>', e,
                retry='pass {config} as the config')) from None
    model.cfg = cfg
    return model.to(device).eval()
