#!/usr/bin/env python3
# check-flatpak.py SRCDIR
#
# The Flatpak manifest cannot be built on the project's machines (they
# cannot download the GNOME runtime), so it is checked against the Meson
# build instead: same application id and command, options that exist, the
# GNOME runtime the code targets, and a sandbox no wider than the app needs.
# Files go through the file-chooser portal, keys through the Secret portal
# (libsecret uses it inside a sandbox by itself), so there is no filesystem
# access and no direct D-Bus name.

import json
import os
import re
import sys

top = sys.argv[1]
problems = []

def read(*path):
    with open(os.path.join(top, *path), encoding='utf-8') as f:
        return f.read()

manifest_name = 'io.github.diligence.Diligence.json'
manifest = json.loads(read('flatpak', manifest_name))

app_id = re.search(r"^app_id = '([^']+)'", read('meson.build'), re.M).group(1)
executable = re.search(r"executable\('([^']+)'", read('src', 'app', 'meson.build')).group(1)
options = set(re.findall(r"option\('([^']+)'", read('meson_options.txt')))
desktop = read('data', app_id + '.desktop.in')

if manifest.get('id') != app_id:
    problems.append(f"id is {manifest.get('id')!r}, meson.build's app_id is {app_id!r}")
if manifest_name != app_id + '.json':
    problems.append(f'the manifest should be named {app_id}.json')
if manifest.get('command') != executable:
    problems.append(f"command is {manifest.get('command')!r}, the app is built as {executable!r}")
exec_line = re.search(r'^Exec=(\S+)', desktop, re.M).group(1)
if exec_line != executable:
    problems.append(f'the desktop file runs {exec_line!r}, the app is built as {executable!r}')

# GNOME 43 is GTK 4.8 and libadwaita 1.2, what the build pins.
if (manifest.get('runtime'), manifest.get('sdk'), manifest.get('runtime-version')) != \
        ('org.gnome.Platform', 'org.gnome.Sdk', '43'):
    problems.append('the runtime must be org.gnome.Platform / org.gnome.Sdk 43')

allowed = {'--share=network', '--share=ipc', '--socket=wayland',
           '--socket=fallback-x11', '--device=dri'}
finish_args = manifest.get('finish-args', [])
for arg in finish_args:
    if arg not in allowed:
        problems.append(f'finish-args: {arg} widens the sandbox beyond what Diligence needs')
for arg in sorted(allowed - set(finish_args)):
    problems.append(f'finish-args: {arg} is missing')

modules = manifest.get('modules', [])
if not modules or not isinstance(modules[-1], dict) or modules[-1].get('name') != 'diligence':
    problems.append('the last module must be diligence itself')
else:
    app = modules[-1]
    if app.get('buildsystem') != 'meson':
        problems.append('diligence is built with meson')
    for opt in app.get('config-opts', []):
        m = re.match(r'-D([^=]+)=', opt)
        if m and m.group(1) not in options and '.' not in m.group(1) and \
                m.group(1) not in ('buildtype', 'werror', 'b_lto', 'optimization', 'debug'):
            problems.append(f'config-opts: {opt}: meson_options.txt has no option {m.group(1)!r}')
    if any(opt.startswith('-Dfuzzing=true') for opt in app.get('config-opts', [])):
        problems.append('config-opts: the fuzz targets are not for users')
    sources = app.get('sources', [])
    if not any(s.get('type') == 'dir' and s.get('path') == '..' for s in sources):
        problems.append('diligence is built from this source tree (a dir source with path "..")')

for problem in problems:
    print(f'flatpak/{manifest_name}: {problem}')
print(f'{len(problems)} problems')
sys.exit(1 if problems else 0)
