/* dlg-server-limits.h - deadlines for slow and idle clients, and a limit on connections
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Defaults, all changeable through properties (milliseconds, bytes a second). */
#define DLG_SERVER_DEFAULT_HANDSHAKE_TIMEOUT_MS 10000
#define DLG_SERVER_DEFAULT_HEADER_TIMEOUT_MS    20000
#define DLG_SERVER_DEFAULT_BODY_TIMEOUT_MS      20000
#define DLG_SERVER_DEFAULT_MIN_BODY_RATE        8192
#define DLG_SERVER_DEFAULT_IDLE_TIMEOUT_MS      60000
#define DLG_SERVER_DEFAULT_MAX_CONNECTIONS      1024

#define DLG_TYPE_SERVER_LIMITS (dlg_server_limits_get_type ())

G_DECLARE_FINAL_TYPE (DlgServerLimits, dlg_server_limits, DLG, SERVER_LIMITS, GObject)

/* Called when a request whose headers were read is cut off, before its
 * connection is taken from libsoup: the request will never finish. */
typedef void (*DlgServerLimitsCutFunc) (SoupServerMessage *msg,
                                        gpointer           user_data);

DlgServerLimits *dlg_server_limits_new              (SoupServer             *soup);
void             dlg_server_limits_set_cut_func     (DlgServerLimits        *self,
                                                     DlgServerLimitsCutFunc  func,
                                                     gpointer                user_data);
guint            dlg_server_limits_get_connections  (DlgServerLimits        *self);

guint            dlg_server_limits_default_max_connections (void);

G_END_DECLS
