#!/usr/bin/env python3
# check-translations.py [--complete] SRCDIR
#
# For every language in po/LINGUAS: the .po file exists and msgfmt --check
# accepts it. With --complete, also: merged with the strings the sources
# have now, it is completely translated (nothing untranslated or fuzzy).

import os
import re
import subprocess
import sys
import tempfile

complete = '--complete' in sys.argv[1:]
top = [arg for arg in sys.argv[1:] if arg != '--complete'][0]
po = os.path.join(top, 'po')

# What meson's i18n.gettext(preset: 'glib') gives xgettext.
XGETTEXT_ARGS = [
    '--from-code=UTF-8', '--add-comments',
    '--keyword=_', '--keyword=N_', '--keyword=C_:1c,2', '--keyword=NC_:1c,2',
    '--keyword=g_dcgettext:2', '--keyword=g_dngettext:2,3', '--keyword=g_dpgettext2:2c,3',
    '--flag=N_:1:pass-c-format', '--flag=C_:2:pass-c-format', '--flag=NC_:2:pass-c-format',
    '--flag=g_dngettext:2:pass-c-format', '--flag=g_strdup_printf:1:c-format',
    '--flag=g_string_printf:2:c-format', '--flag=g_string_append_printf:2:c-format',
    '--flag=g_error_new:3:c-format', '--flag=g_set_error:4:c-format',
    '--flag=g_markup_printf_escaped:1:c-format', '--flag=g_log:3:c-format',
    '--flag=g_print:1:c-format', '--flag=g_printerr:1:c-format',
    '--flag=g_printf:1:c-format', '--flag=g_fprintf:2:c-format',
    '--flag=g_sprintf:2:c-format', '--flag=g_snprintf:3:c-format',
]

def languages():
    with open(os.path.join(po, 'LINGUAS'), encoding='utf-8') as f:
        for line in f:
            line = line.split('#', 1)[0]
            yield from line.split()

langs = list(languages())
if not langs:
    print('po/LINGUAS lists no languages yet: there is nothing to check, so this passes.')
    sys.exit(0)

failures = 0
with tempfile.TemporaryDirectory() as tmp:
    pot = os.path.join(tmp, 'diligence.pot')
    if complete:
        subprocess.run(['xgettext', '--package-name=diligence', '-D', top,
                        '-f', os.path.join(po, 'POTFILES.in'), '-o', pot] + XGETTEXT_ARGS,
                       check=True)

    for lang in langs:
        path = os.path.join(po, lang + '.po')
        if not os.path.isfile(path):
            print(f'{lang}: po/{lang}.po is missing')
            failures += 1
            continue

        check = subprocess.run(['msgfmt', '--check', '-o', os.devnull, path],
                               capture_output=True, text=True)
        if check.returncode != 0:
            print(f'{lang}: msgfmt --check fails:\n{check.stderr}')
            failures += 1
            continue

        if not complete:
            print(f'{lang}: msgfmt --check passes')
            continue

        merged = os.path.join(tmp, lang + '.po')
        subprocess.run(['msgmerge', '--quiet', '-o', merged, path, pot], check=True)
        stats = subprocess.run(['msgfmt', '--statistics', '-o', os.devnull, merged],
                               capture_output=True, text=True, check=True).stderr.strip()
        numbers = {kind: int(n) for n, kind in
                   re.findall(r'(\d+) (translated|fuzzy|untranslated)', stats)}
        if numbers.get('fuzzy', 0) or numbers.get('untranslated', 0):
            print(f'{lang}: not complete: {stats}')
            failures += 1
        else:
            print(f'{lang}: complete: {stats}')

sys.exit(1 if failures else 0)
