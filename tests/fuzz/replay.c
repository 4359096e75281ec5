/* replay.c - runs a fuzz target over files, without libFuzzer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Normal builds (gcc, no -Dfuzzing) link each target with this driver, so
 * that the seed corpus and every past finding run as regression tests in
 * every CI run.
 */

#include "config.h"

#include <glib.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static guint
run_path (const char *path)
{
  guint n = 0;

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir && (name = g_dir_read_name (dir)))
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          n += run_path (child);
        }
    }
  else
    {
      g_autofree char *data = NULL;
      gsize length;

      if (!g_file_get_contents (path, &data, &length, NULL))
        g_error ("Cannot read %s", path);
      LLVMFuzzerTestOneInput ((const guint8 *) data, length);
      n++;
    }

  return n;
}

int
main (int   argc,
      char *argv[])
{
  guint n = 0;

  for (int i = 1; i < argc; i++)
    n += run_path (argv[i]);

  printf ("1..1\nok 1 - %u inputs replayed\n", n);
  return 0;
}
