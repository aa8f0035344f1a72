"""The config tree's rules (docs/configs.md): one naming scheme, shallow inheritance, no
positional slices of inherited lists, no cross-dataset inheritance, custom_imports once."""
import glob
import json
import os.path as osp
import re

import pytest

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
CONFIGS = sorted(p for p in glob.glob(osp.join(ROOT, 'configs', '**', '*.py'), recursive=True))
LEAVES = [p for p in CONFIGS if '/_base_/' not in p]
# mmaction2's scheme: {algorithm}_{backbone}_{gpus}xb{batch}-{pipeline}-{schedule}_{dataset}-{modality}
NAME = re.compile(r'^[a-z0-9.+-]+(_[a-z0-9.+-]+)?_\d+xb\d+-[a-z0-9.-]+-\d+e_(imigue|smg)-[a-z0-9-]+$')
KEPT_NAMES = {'configs/imigue/dual_stream.py'}  # the mission's entry point


def _bases(path):
    text = open(path).read()
    m = re.search(r"^_base_\s*=\s*(\[.*?\]|'[^']*')", text, re.S | re.M)
    return re.findall(r"'([^']+)'", m.group(1)) if m else []


def _depth(path):
    depth = 0
    for base in _bases(path):
        if base.startswith('mmaction::'):
            depth = max(depth, 1)
            continue
        depth = max(depth, 1 + _depth(osp.normpath(osp.join(osp.dirname(path), base))))
    return depth


@pytest.mark.parametrize('path', LEAVES, ids=lambda p: osp.relpath(p, ROOT))
def test_leaf_rules(path):
    rel = osp.relpath(path, ROOT)
    stem = osp.splitext(osp.basename(path))[0]
    assert rel in KEPT_NAMES or NAME.match(stem), f'{rel} does not follow the naming scheme'
    assert _depth(path) <= 3, f'{rel} inherits more than 3 levels of _base_'
    other = {'imigue': 'smg', 'smg': 'imigue'}.get(rel.split('/')[1])
    for base in _bases(path):
        full = osp.relpath(osp.normpath(osp.join(osp.dirname(path), base)), ROOT)
        assert not (other and full.startswith(f'configs/{other}/')), \
            f'{rel} inherits the other dataset\'s config {base}'


@pytest.mark.parametrize('path', CONFIGS, ids=lambda p: osp.relpath(p, ROOT))
def test_no_positional_slices_and_one_custom_imports(path):
    text = open(path).read()
    assert not re.search(r'_base_\.\w+\s*\[\s*-?\d*\s*:', text), \
        f'{path} slices an inherited list by position; name the pieces in the base'
    rel = osp.relpath(path, ROOT)
    if 'custom_imports' in text:  # only where the runtime base cannot be inherited
        assert rel == 'configs/_base_/default_runtime.py' or \
            _bases(path)[0].startswith('mmaction::'), f'{rel} restates custom_imports'


def test_smg_data_bases_stand_alone():
    for path in glob.glob(osp.join(ROOT, 'configs', '_base_', 'datasets', 'smg_*.py')):
        assert not [b for b in _bases(path) if 'imigue' in b], path


def test_the_rename_map_points_at_shipped_configs():
    renames = json.load(open(osp.join(ROOT, 'docs', 'config_renames.json')))
    for old, new in renames.items():
        assert not osp.exists(osp.join(ROOT, old)) and osp.isfile(osp.join(ROOT, new)), (old, new)


def _split(loader):
    """The split a loader reads (through RepeatDataset-like wrappers), None without one."""
    ds = (loader or {}).get('dataset', {})
    while 'split' not in ds and isinstance(ds.get('dataset'), dict):
        ds = ds['dataset']
    return ds.get('split')


TEST_SPLITS = {'xsub_test', 'test'}


@pytest.mark.parametrize('path', LEAVES, ids=lambda p: osp.relpath(p, ROOT))
def test_no_config_chooses_a_checkpoint_on_its_test_split(path):
    from mmengine.config import Config
    cfg = Config.fromfile(path)
    save_best = cfg.get('default_hooks', {}).get('checkpoint', {}).get('save_best')
    if not save_best:
        return  # the last epoch is kept (paper protocols, emotion, self-supervised)
    val, test, train = (_split(cfg.get(f'{k}_dataloader')) for k in ('val', 'test', 'train'))
    assert val not in TEST_SPLITS and val != test, \
        f'{path} keeps the best checkpoint by its score on {val!r}, a test split'
    assert val != train, f'{path} chooses its checkpoint on its own training split {train!r}'


@pytest.mark.parametrize('path', LEAVES, ids=lambda p: osp.relpath(p, ROOT))
def test_every_config_prints_progress_at_least_every_minute(path):
    from mmengine.config import Config
    hooks = Config.fromfile(path).get('default_hooks', {})
    progress = hooks.get('progress') or {}
    assert progress.get('type') == 'MGProgressHook' and progress.get('interval_s', 1e9) <= 60, \
        f'{path}: no MGProgressHook line at least every 60 s'
