#!/bin/sh
# build-mime-db.sh DIR XML STAMP
# Builds a MIME database in DIR/mime holding only XML's types, so that tests
# can put DIR before the system's data directories and see what the file
# manager sees once Diligence is installed.
set -eu
dir=$1 xml=$2 stamp=$3
rm -rf "$dir/mime"
mkdir -p "$dir/mime/packages"
cp "$xml" "$dir/mime/packages/"
update-mime-database "$dir/mime"
touch "$stamp"
