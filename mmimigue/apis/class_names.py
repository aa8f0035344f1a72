"""Class names of a model: its test dataset's metainfo, else the packaged protocol's."""
from typing import List, Optional

from mmengine.config import Config

from ..protocol import IMIGUE_NUM_CLASSES, SMG_NUM_CLASSES, imigue_class_names, smg_class_names


def protocol_class_names(num_classes: int, dataset: Optional[str] = None) -> List[str]:
    """The iMiGUE (32) or SMG (17) names for that many classes, else ``'0'..'K-1'``.

    Args:
        num_classes (int): Number of classes of the model.
        dataset (str, optional): ``'imigue'`` or ``'smg'`` to choose by name.
    """
    if dataset not in (None, 'imigue', 'smg'):
        raise ValueError(f"dataset must be 'imigue' or 'smg', got {dataset!r}")
    if dataset == 'imigue' or (dataset is None and num_classes == IMIGUE_NUM_CLASSES):
        return list(imigue_class_names())
    if dataset == 'smg' or (dataset is None and num_classes == SMG_NUM_CLASSES):
        return list(smg_class_names())
    return [str(i) for i in range(num_classes)]


def class_names_from_config(cfg: Config, num_classes: int) -> List[str]:
    """Class names from the config's test (or val) dataset class, falling back to
    :func:`protocol_class_names` when it has none of the right length."""
    from mmaction.registry import DATASETS
    loader = cfg.get('test_dataloader') or cfg.get('val_dataloader') or {}
    ds_type = loader.get('dataset', {}).get('type')
    cls = DATASETS.get(ds_type) if isinstance(ds_type, str) else None
    names = list(getattr(cls, 'METAINFO', {}).get('classes', ()) or ())
    return names if len(names) == num_classes else protocol_class_names(num_classes)
