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
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dlg-file.h"

typedef struct
{
  gpointer data;
  gsize    length;
} Mapping;

static void
mapping_free (Mapping *m)
{
  munmap (m->data, m->length);
  g_free (m);
}

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

/**
 * dlg_file_read:
 * @path: a file name
 * @max_size: the largest size accepted
 * @error: a #GError
 *
 * Reads a whole file that is about to be parsed. Anything that cannot be a
 * document is refused before reading: directories, devices, pipes, and files
 * larger than @max_size. Large files are mapped with their pages loaded at
 * once, which costs one system call instead of a page fault per 4 KiB.
 *
 * Returns: (transfer full): the contents, or %NULL with @error set
 */
GBytes *
dlg_file_read (const char  *path,
               gsize        max_size,
               GError     **error)
{
  struct stat st;
  int fd;
  gpointer data;

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
      g_autofree char *display = g_filename_display_name (path);
      /* Limits below 1 MiB (key files) must not read "0 MiB". */
      g_autofree char *limit = g_format_size_full (max_size, G_FORMAT_SIZE_IEC_UNITS);

      close (fd);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is larger than %s"), display, limit);
      return NULL;
    }

  if (st.st_size == 0)
    {
      close (fd);
      return g_bytes_new (NULL, 0);
    }

  data = mmap (NULL, st.st_size, PROT_READ, MAP_PRIVATE
#ifdef MAP_POPULATE
               | MAP_POPULATE
#endif
               , fd, 0);
  close (fd);

  if (data == MAP_FAILED)
    {
      set_errno_error (error, errno, path);
      return NULL;
    }
  else
    {
      Mapping *m = g_new (Mapping, 1);

      m->data = data;
      m->length = st.st_size;
      return g_bytes_new_with_free_func (data, st.st_size, (GDestroyNotify) mapping_free, m);
    }
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
