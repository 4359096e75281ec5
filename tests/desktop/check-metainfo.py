#!/usr/bin/env python3
# check-metainfo.py SRCDIR
#
# What appstreamcli cannot know: the metainfo agrees with the rest of the
# tree. Its screenshots are files in data/screenshots/, its newest release
# is the version meson builds, it launches the desktop file that exists,
# and the media types it provides are the ones the desktop file opens and
# the shared-mime-info file defines.

import configparser
import os
import re
import sys
import xml.etree.ElementTree as ET

top = sys.argv[1]
SCREENSHOT_BASE = 'https://raw.githubusercontent.com/diligence/diligence/main/data/screenshots/'
MIME_NS = '{http://www.freedesktop.org/standards/shared-mime-info}'

app_id = re.search(r"^app_id = '([^']+)'", open(os.path.join(top, 'meson.build')).read(), re.M).group(1)
version = re.search(r"^\s*version: '([^']+)'", open(os.path.join(top, 'meson.build')).read(), re.M).group(1)
component = ET.parse(os.path.join(top, 'data', app_id + '.metainfo.xml.in')).getroot()
mime = ET.parse(os.path.join(top, 'data', app_id + '.mime.xml.in')).getroot()
desktop = configparser.ConfigParser(interpolation=None)
desktop.optionxform = str
desktop.read(os.path.join(top, 'data', app_id + '.desktop.in'), encoding='utf-8')
entry = desktop['Desktop Entry']

problems = []

if component.findtext('id') != app_id:
    problems.append(f"<id> is {component.findtext('id')!r}, not {app_id!r}")

images = [image.text.strip() for image in component.iter('image')]
if not images:
    problems.append('no screenshots')
for url in images:
    if not url.startswith(SCREENSHOT_BASE):
        problems.append(f'screenshot {url} is not under {SCREENSHOT_BASE}')
    elif not os.path.isfile(os.path.join(top, 'data', 'screenshots', url[len(SCREENSHOT_BASE):])):
        problems.append(f'screenshot {url} is not in data/screenshots/')

releases = component.findall('releases/release')
if not releases or releases[0].get('version') != version:
    problems.append(f'the newest release must be {version}, the version meson builds')
for release in releases:
    if release.find('description') is None:
        problems.append(f"release {release.get('version')} has no notes for the About window")

launchable = component.findtext('launchable')
if launchable != app_id + '.desktop':
    problems.append(f'<launchable> is {launchable!r}, the desktop file is {app_id}.desktop')
if entry.get('Icon') != app_id:
    problems.append(f"the desktop file's Icon is {entry.get('Icon')!r}")
if not os.path.isfile(os.path.join(top, 'data', 'icons', 'hicolor', 'scalable', 'apps', app_id + '.svg')):
    problems.append('the scalable app icon is missing')

opened = {t for t in entry.get('MimeType', '').split(';') if t}
provided = {m.text for m in component.iter('mediatype')}
defined = {t.get('type') for t in mime.iter(MIME_NS + 'mime-type')}
if provided != opened:
    problems.append(f'<provides> lists {sorted(provided)}, the desktop file opens {sorted(opened)}')
for t in sorted(opened - defined):
    problems.append(f'the desktop file opens {t}, which the MIME file does not define')

for problem in problems:
    print(f'data/{app_id}.metainfo.xml.in: {problem}')
print(f'{len(images)} screenshots, {len(releases)} releases, {len(problems)} problems')
sys.exit(1 if problems else 0)
