/* dlg-file.c - reading files from strangers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dlg-file"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dlg-file.h"

static gboolean
set_errno_error (GError     **error,
                 int          saved_errno,
                 const char  *path)
{
  g_autofree char *display = g_filename_display_name (path);

  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               _("Could not read “%s”: %s"), display, g_strerror (saved_errno));
  return FALSE;
}

static GBytes *
too_large (const char  *path,
           gsize        max_size,
           GError     **error)
{
  g_autofree char *display = g_filename_display_name (path);
  /* Limits below 1 MiB (key files) must not read "0 MiB". */
  g_autofree char *limit = g_format_size_full (max_size, G_FORMAT_SIZE_IEC_UNITS);

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               _("“%s” is larger than %s"), display, limit);
  return NULL;
}

/**
 * dlg_file_read:
 * @path: a file name
 * @max_size: the largest size accepted
 * @error: a #GError
 *
 * Reads a whole file that is about to be parsed. Anything that cannot be a
 * document is refused before reading: directories, devices, pipes, and files
 * larger than @max_size.
 *
 * The file is read into memory, never mapped: these files come from
 * strangers, and a mapped file that another program truncates while it is
 * parsed raises SIGBUS on the next read of a page that is gone, which no
 * error handling can catch. A file that grows past @max_size while it is
 * read is refused too. The contents are followed by a NUL byte that is
 * not part of them.
 *
 * Returns: (transfer full): the contents, or %NULL with @error set
 */
GBytes *
dlg_file_read (const char  *path,
               gsize        max_size,
               GError     **error)
{
  g_autofree char *data = NULL;
  struct stat st;
  gsize capacity;
  gsize length = 0;
  int fd;

  fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK, 0);
  if (fd < 0)
    {
      set_errno_error (error, errno, path);
      return NULL;
    }

  if (fstat (fd, &st) != 0)
    {
      set_errno_error (error, errno, path);
      close (fd);
      return NULL;
    }

  if (!S_ISREG (st.st_mode))
    {
      g_autofree char *display = g_filename_display_name (path);

      close (fd);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a regular file"), display);
      return NULL;
    }

  if ((guint64) st.st_size > max_size)
    {
      close (fd);
      return too_large (path, max_size, error);
    }

  /* One byte more than the size seen, to notice a file that grew. */
  capacity = (gsize) st.st_size + 1;
  data = g_malloc (capacity);
  for (;;)
    {
      gssize n = read (fd, data + length, capacity - length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          set_errno_error (error, errno, path);
          close (fd);
          return NULL;
        }
      if (n == 0)
        break;
      length += n;
      if (length == capacity)
        {
          if (capacity > max_size)
            {
              close (fd);
              return too_large (path, max_size, error);
            }
          capacity = MIN (capacity * 2, max_size < G_MAXSIZE ? max_size + 1 : G_MAXSIZE);
          data = g_realloc (data, capacity);
        }
    }
  close (fd);

  /* There is always room for one byte more: a NUL after the contents, not
   * counted in their length, as callers that treat a text file as a
   * string may rely on (a mapping gave them one, in the rest of the last
   * page). */
  data[length] = '\0';
  return g_bytes_new_take (g_steal_pointer (&data), length);
}

/**
 * dlg_file_write:
 * @path: where to write
 * @data: the contents
 * @length: their length in bytes
 * @error: a #GError
 *
 * Writes a whole file atomically and durably: the contents go to a
 * temporary file in the same folder, which is flushed to disk and then
 * renamed over @path. Readers see the old file or the new one, never a
 * part, even after a crash or a full disk.
 *
 * Returns: %TRUE on success
 */
gboolean
dlg_file_write (const char  *path,
                const void  *data,
                gsize        length,
                GError     **error)
{
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (data != NULL || length == 0, FALSE);

  return g_file_set_contents_full (path, data ? data : "", length,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                   0644, error);
}
