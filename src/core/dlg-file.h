/* dlg-file.h - reading files from strangers, writing files atomically
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

GBytes *dlg_file_read (const char  *path,
                       gsize        max_size,
                       GError     **error);
gboolean dlg_file_write (const char  *path,
                         const void  *data,
                         gsize        length,
                         GError     **error);

G_END_DECLS
