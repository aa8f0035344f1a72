"""Import a command-line script of tools/ as a module, for the tests of its functions.

Tools are scripts, not a package; the library code they call is tested where it lives
(mmimigue/apis, datasets, ...). This one helper loads a script for the tests of its CLI.
"""
import importlib.util
import os.path as osp

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))


def load_tool(*parts: str):
    """``load_tool('tools', 'analysis', 'confusion.py')`` -> the module."""
    path = osp.join(REPO_ROOT, *parts)
    name = '_tool_' + '_'.join(p.replace('.py', '') for p in parts[1:])
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
