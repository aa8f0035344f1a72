"""Prove a config refactor changes nothing a Runner reads.

Resolve every config (``_base_`` merged) to JSON before the change, again after it, then diff::

    python tools/analysis/config_diff.py resolve --out before.json      # on the old tree
    python tools/analysis/config_diff.py resolve --out after.json       # on the new tree
    python tools/analysis/config_diff.py diff before.json after.json --renames docs/config_renames.json

``--renames`` maps old config paths to new ones. Differences are listed per config, split into
those a Runner reads (``model``, loaders, schedules, hooks, ...) and config variables.
"""
import argparse
import glob
import json
import sys


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    sub = p.add_subparsers(dest='command', required=True)
    r = sub.add_parser('resolve', help='resolve configs to one JSON file')
    r.add_argument('configs', nargs='*', help='default: every configs/**/*.py but _base_')
    r.add_argument('--out', required=True)
    d = sub.add_parser('diff', help='diff two resolutions')
    d.add_argument('old')
    d.add_argument('new')
    d.add_argument('--renames', help='JSON {old config path: new config path}')
    d.add_argument('--variables', action='store_true',
                   help='also list differences of config variables (not read by the Runner)')
    return p.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    from mmimigue.apis.config_diff import diff_dicts, is_runner_key, resolve_config
    from mmimigue.fileio import atomic_write
    if args.command == 'resolve':
        paths = args.configs or sorted(p for p in glob.glob('configs/**/*.py', recursive=True)
                                       if '/_base_/' not in p)
        resolved = {}
        for i, path in enumerate(paths):
            resolved[path] = resolve_config(path)
            print(f'[config_diff] {i + 1}/{len(paths)} {path}', flush=True)
        atomic_write(args.out, json.dumps(resolved, indent=1, sort_keys=True))
        print(f'[config_diff] {len(resolved)} configs -> {args.out}')
        return 0
    with open(args.old) as f:
        old = json.load(f)
    with open(args.new) as f:
        new = json.load(f)
    renames = {}
    if args.renames:
        with open(args.renames) as f:
            renames = json.load(f)
    changed = 0
    mapped = {renames.get(k, k): k for k in old}
    for path in sorted(set(mapped) | set(new)):
        if path not in new:
            print(f'REMOVED {mapped[path]}')
            changed += 1
            continue
        if path not in mapped:
            print(f'ADDED {path}')
            continue
        diffs = diff_dicts(old[mapped[path]], new[path])
        runner = [d for d in diffs if is_runner_key(d[0])]
        variables = [d for d in diffs if not is_runner_key(d[0])]
        name = path if mapped[path] == path else f'{mapped[path]} -> {path}'
        if runner or (args.variables and variables):
            print(f'{name}: {len(runner)} runner differences, {len(variables)} in variables')
            for key, a, b in runner + (variables if args.variables else []):
                print(f'    {key}: {json.dumps(a)[:150]} -> {json.dumps(b)[:150]}')
            changed += bool(runner)
        elif mapped[path] != path:
            print(f'{name}: renamed, identical')
    print(f'[config_diff] {len(new)} configs, {changed} with runner differences')
    return 0


if __name__ == '__main__':
    sys.exit(main())
