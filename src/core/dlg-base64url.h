/* dlg-base64url.h - base64url without padding (RFC 4648 §5, RFC 7515 §2)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

char   *dlg_base64url_encode (const guint8  *data,
                              gsize          length);
GBytes *dlg_base64url_decode (const char    *text,
                              gsize          length,
                              GError       **error);

G_END_DECLS
