"""The rules of docs/architecture.md that a machine can check: which room may import what, and
what a tool's start costs."""
import ast
import glob
import os.path as osp
import subprocess
import sys

import pytest

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
PKG = osp.join(ROOT, 'mmimigue')
HEAVY = ('torch', 'mmaction', 'mmengine', 'mmcv')
# The rooms data tools use: importing them (module level) must not load torch or mmaction.
LIGHT = ['mmimigue/__init__.py', 'mmimigue/fileio.py', 'mmimigue/skeleton/*.py',
         'mmimigue/protocol/*.py', 'mmimigue/datasets/__init__.py',
         'mmimigue/datasets/formats/*.py', 'mmimigue/datasets/converters/*.py',
         'mmimigue/datasets/keypoint_store.py', 'mmimigue/datasets/stream_store.py',
         'mmimigue/datasets/stream_sources.py', 'mmimigue/datasets/synthetic/*.py',
         'mmimigue/datasets/dataset_stats.py', 'mmimigue/datasets/rgb_clip_files.py',
         'mmimigue/evaluation/__init__.py', 'mmimigue/evaluation/score_files.py',
         'mmimigue/evaluation/fusion.py', 'mmimigue/evaluation/submissions.py',
         'mmimigue/evaluation/confusion.py', 'mmimigue/visualization/*.py',
         'mmimigue/apis/__init__.py', 'mmimigue/deployment/__init__.py',
         'mmimigue/deployment/onnx_live.py', 'mmimigue/pose/*.py']


def _module_name(path: str) -> str:
    rel = osp.relpath(path, ROOT)[:-3].replace(osp.sep, '.')
    return rel[:-len('.__init__')] if rel.endswith('.__init__') else rel


def _imports(path: str, top_level_only: bool = False):
    """Absolute names ``path`` imports (relative imports resolved)."""
    tree = ast.parse(open(path).read())
    package = _module_name(path) if path.endswith('__init__.py') else \
        _module_name(path).rpartition('.')[0]
    nodes = tree.body if top_level_only else ast.walk(tree)
    for node in nodes:
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split('.')[:len(package.split('.')) - node.level + 1]
                yield '.'.join(base + ([node.module] if node.module else []))
            else:
                yield node.module


def test_models_never_import_datasets():
    """Models may read files only through the ground-floor readers of datasets/formats."""
    bad = [(osp.relpath(p, ROOT), name) for p in glob.glob(f'{PKG}/models/**/*.py', recursive=True)
           for name in _imports(p) if name.startswith('mmimigue.datasets') and
           not name.startswith('mmimigue.datasets.formats')]
    assert not bad, f'models import datasets (move the shared fact to mmimigue.skeleton): {bad}'


def test_the_library_never_imports_tools_and_tools_never_import_each_other():
    for path in glob.glob(f'{PKG}/**/*.py', recursive=True):
        assert not [n for n in _imports(path) if n.split('.')[0] == 'tools'], path
    for path in glob.glob(f'{ROOT}/tools/**/*.py', recursive=True):
        text = open(path).read()
        assert not [n for n in _imports(path) if n.split('.')[0] == 'tools'], path
        assert 'spec_from_file_location' not in text or path.endswith('extract_pose.py'), \
            f'{path} loads code by file path; put the shared part in mmimigue/'


@pytest.mark.parametrize('pattern', LIGHT)
def test_the_ground_floor_imports_nothing_heavy(pattern):
    for path in glob.glob(osp.join(ROOT, pattern)):
        heavy = [n for n in _imports(path, top_level_only=True) if n.split('.')[0] in HEAVY]
        assert not heavy, f'{osp.relpath(path, ROOT)} imports {heavy} at module level'


def test_tools_start_without_torch():
    """Every tool answers --help without importing torch or mmaction2 (the heavy imports wait
    until the work starts)."""
    tools = sorted(glob.glob(f'{ROOT}/tools/**/*.py', recursive=True))
    assert len(tools) > 20
    for tool in tools:
        proc = subprocess.run([sys.executable, '-X', 'importtime', tool, '--help'], cwd=ROOT,
                              capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0, (tool, proc.stderr[-2000:])
        imported = {line.rsplit('|', 1)[-1].strip() for line in proc.stderr.splitlines()
                    if line.startswith('import time:')}
        assert not imported & {'torch', 'mmaction'}, f'{tool} --help imports torch / mmaction'


def test_import_mmimigue_is_cheap_and_a_config_still_registers():
    code = ('import sys, mmimigue, mmimigue.datasets.converters, mmimigue.evaluation.fusion; '
            'print(sorted(m for m in ("torch", "mmaction") if m in sys.modules))')
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip() == '[]', out.stderr
    # a user's config written for earlier releases: custom_imports=['mmimigue'] still registers
    code = ('from mmengine.config import Config; import mmimigue; '
            'from mmaction.registry import MODELS; print("MGOnlineTemporalNet" in MODELS)')
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip() == 'True', out.stderr


@pytest.mark.parametrize('room', ['apis', 'datasets', 'evaluation'])
def test_lazy_names_are_not_hidden_by_submodules(room):
    """A lazily exported name equal to a submodule's name would turn into that module as soon
    as anything imports the submodule."""
    import importlib
    pkg = importlib.import_module(f'mmimigue.{room}')
    modules = {osp.splitext(osp.basename(p))[0] for p in glob.glob(f'{PKG}/{room}/*.py')}
    modules |= {osp.basename(osp.dirname(p)) for p in glob.glob(f'{PKG}/{room}/*/__init__.py')}
    assert not set(pkg._LAZY) & modules


def test_every_registered_name_is_mg_prefixed_and_old_names_stay_aliases():
    from mmaction import registry

    import mmimigue.registration  # noqa: F401
    registries = [getattr(registry, n) for n in dir(registry) if n.isupper() and
                  hasattr(getattr(registry, n), 'module_dict')]
    ours, aliases = {}, {}
    for reg in registries:
        for name, obj in reg.module_dict.items():
            if getattr(obj, '__module__', '').startswith('mmimigue'):
                (ours if name.startswith(('MG', 'mg_')) else aliases)[(reg.name, name)] = obj
    assert len(ours) >= 55
    for (reg_name, name), obj in aliases.items():  # every other name is an earlier name
        assert obj in ours.values(), f'{reg_name} registers {name!r} without the MG prefix'
    assert ('model', 'BiGRU') in aliases and ('dataset', 'IMiGUESkeletonDataset') in aliases
