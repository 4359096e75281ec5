/* dlg-server.h - the HTTP API of diligence-server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "dlg-server-limits.h"
#include "dlg-server-storage.h"

G_BEGIN_DECLS

#define DLG_SERVER_ERROR (dlg_server_error_quark ())

typedef enum
{
  DLG_SERVER_ERROR_INSECURE,        /* plain HTTP on an address that is not loopback */
  DLG_SERVER_ERROR_LISTEN,
  DLG_SERVER_ERROR_FAILED,
} DlgServerError;

/* Defaults, all changeable through properties. */
#define DLG_SERVER_DEFAULT_MAX_BODY_SIZE (4 * 1024 * 1024)
#define DLG_SERVER_DEFAULT_RATE_LIMIT    200.0   /* requests per second per token */
#define DLG_SERVER_DEFAULT_RATE_BURST    1000
#define DLG_SERVER_DEFAULT_GRACE_SECONDS 30

#define DLG_TYPE_SERVER (dlg_server_get_type ())

G_DECLARE_FINAL_TYPE (DlgServer, dlg_server, DLG, SERVER, GObject)

GQuark            dlg_server_error_quark     (void);

DlgServer        *dlg_server_new             (DlgServerStorage     *storage);
DlgServerStorage *dlg_server_get_storage     (DlgServer            *self);

gboolean          dlg_server_listen          (DlgServer            *self,
                                              GInetSocketAddress   *address,
                                              GTlsCertificate      *certificate,
                                              GError              **error);
guint16           dlg_server_get_port        (DlgServer            *self);
guint             dlg_server_get_in_flight   (DlgServer            *self);
DlgServerLimits  *dlg_server_get_limits      (DlgServer            *self);

void              dlg_server_shutdown_async  (DlgServer            *self,
                                              guint                 grace_seconds,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gboolean          dlg_server_shutdown_finish (DlgServer            *self,
                                              GAsyncResult         *result,
                                              GError              **error);

/* Tokens: "dlg1.<id>.<secret>". The server keeps the id and a hash of the
 * secret; the whole token is shown once, when it is created. */
char             *dlg_server_token_generate  (DlgServerToken      **token);
gboolean          dlg_server_token_parse     (const char           *text,
                                              char                **id,
                                              guint8                hash[32]);
gboolean          dlg_server_token_matches   (const DlgServerToken *token,
                                              const guint8          hash[32]);

G_END_DECLS
