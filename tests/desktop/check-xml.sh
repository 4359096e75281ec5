#!/bin/sh
# check-xml.sh SRCDIR
# Every XML file in the source tree that a tool reads must be well-formed:
# interface definitions, resources, the schema, the desktop-integration
# sources and the help pages. New files are found by their names.
set -eu
cd "$1"
set --
for f in ui/*.ui ui/gtk/*.ui ui/*.gresource.xml \
         data/*.xml data/*.xml.in data/*/*.gresource.xml.in \
         help/C/*.page help/C/*.xml; do
  [ -e "$f" ] && set -- "$@" "$f"
done
echo "Checking $# files with xmllint"
xmllint --noout "$@"
echo "All well-formed"
