#!/usr/bin/env python3
"""Count TAP results of every meson test run and print the closing line.

usage: tap-summary.py [FILE.tap ...] [NAME=BUILDDIR ...]

A BUILDDIR's meson-logs/testlog.json holds one JSON object per test program
with its stdout; each "ok"/"not ok" line is one test, "# SKIP" marks a skip.
A program that failed without printing any TAP result counts as one failure.
Exit status 1 when anything failed.
"""
import json, os, re, sys

tap_ok = re.compile(r'^ok \d+ - (\S+)(.*)$')
tap_nok = re.compile(r'^not ok \d+ - (\S+)')

def count_tap(text, label, totals, failures):
    seen = 0
    for line in text.splitlines():
        m = tap_ok.match(line)
        if m:
            seen += 1
            if '# SKIP' in m.group(2):
                totals['skipped'] += 1
            else:
                totals['passed'] += 1
            continue
        m = tap_nok.match(line)
        if m:
            seen += 1
            totals['failed'] += 1
            failures.append(f'{label}: {m.group(1)}')
    return seen

totals = {'passed': 0, 'failed': 0, 'skipped': 0}
failures = []
for arg in sys.argv[1:]:
    if '=' not in arg:
        if os.path.exists(arg):
            count_tap(open(arg).read(), os.path.basename(arg), totals, failures)
        continue
    name, build = arg.split('=', 1)
    log = os.path.join(build, 'meson-logs', 'testlog.json')
    per = {'passed': 0, 'failed': 0, 'skipped': 0}
    if not os.path.exists(log):
        per['failed'] += 1
        failures.append(f'{name}: no test log (build failed?)')
    else:
        for line in open(log):
            try:
                t = json.loads(line)
            except ValueError:
                continue
            seen = count_tap(t.get('stdout', ''), f"{name} {t.get('name')}", per, failures)
            if seen == 0 and t.get('result') not in ('OK', 'SKIP', 'EXPECTEDFAIL'):
                per['failed'] += 1
                failures.append(f"{name} {t.get('name')}: {t.get('result')} without TAP output")
    print(f"{name:12s} {per['passed']} passed, {per['failed']} failed, {per['skipped']} skipped")
    for k in totals:
        totals[k] += per[k]
for f in failures:
    print('FAILED', f)
print(f"{totals['passed']} passed, {totals['failed']} failed, {totals['skipped']} skipped")
sys.exit(1 if totals['failed'] else 0)
