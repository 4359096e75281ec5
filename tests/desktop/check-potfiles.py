#!/usr/bin/env python3
# check-potfiles.py SRCDIR
#
# Every file with a translatable string must be listed in po/POTFILES.in,
# or its strings never reach translators; and every file listed must exist,
# or xgettext stops. Translatable means: a call to _(), N_(), C_() or NC_()
# in C, translatable="yes" in an interface file, or one of the data files
# that i18n.merge_file translates.

import os
import re
import sys

top = sys.argv[1]

C_CALL = re.compile(r'(?<![A-Za-z0-9_])(?:_|N_|C_|NC_)\(')
UI_ATTR = re.compile(r'translatable="yes"')

def listed():
    with open(os.path.join(top, 'po', 'POTFILES.in'), encoding='utf-8') as f:
        return [line.strip() for line in f
                if line.strip() and not line.lstrip().startswith('#')]

def translatable(path):
    name = os.path.basename(path)
    if path.startswith('data/') and (name.endswith('.desktop.in') or
                                     name.endswith('.metainfo.xml.in') or
                                     name.endswith('.mime.xml.in') or
                                     name.endswith('.gschema.xml')):
        return True
    with open(os.path.join(top, path), encoding='utf-8') as f:
        text = f.read()
    if name.endswith('.c') or name.endswith('.h'):
        return C_CALL.search(text) is not None
    if name.endswith('.ui'):
        return UI_ATTR.search(text) is not None
    return False

def candidates():
    for root in ('src', 'ui', 'data'):
        for dirpath, dirnames, filenames in os.walk(os.path.join(top, root)):
            dirnames.sort()
            for name in sorted(filenames):
                if name.endswith(('.c', '.h', '.ui', '.in', '.gschema.xml')):
                    yield os.path.relpath(os.path.join(dirpath, name), top)

potfiles = listed()
failures = 0

for path in potfiles:
    if not os.path.isfile(os.path.join(top, path)):
        print(f'po/POTFILES.in: {path}: no such file')
        failures += 1

found = [path for path in candidates() if translatable(path)]
for path in found:
    if path not in potfiles:
        print(f'{path}: has translatable strings but is not in po/POTFILES.in')
        failures += 1

print(f'{len(found)} files with translatable strings, {len(potfiles)} listed, {failures} problems')
sys.exit(1 if failures else 0)
