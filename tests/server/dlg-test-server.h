/* dlg-test-server.h - a real diligence-server in its own thread, for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "dlg-key.h"
#include "dlg-server.h"
#include "dlg-server-storage-sqlite.h"

G_BEGIN_DECLS

typedef struct
{
  char             *dir;           /* a temporary folder, removed at the end */
  char             *database;
  char             *certificate_path;
  char             *key_path;
  GTlsCertificate  *certificate;
  GTlsDatabase     *trust;         /* trusts only the test certificate */

  DlgServerStorage *storage;
  DlgServer        *server;
  guint16           port;
  char             *url;           /* https://127.0.0.1:PORT */

  /* Applied at each start. */
  double            rate_limit;
  guint             rate_burst;
  guint64           max_body_size;
  guint             handshake_timeout;  /* the limits, in ms (see dlg-server-limits.h) */
  guint             header_timeout;
  guint             body_timeout;
  guint             min_body_rate;
  guint             idle_timeout;
  guint             max_connections;

  GThread          *thread;
  GMainContext     *context;
  GMainLoop        *loop;
  GMutex            mutex;
  GCond             cond;
  gboolean          ready;
} DlgTestServer;

typedef struct
{
  char   *id;
  char   *token;
  DlgKey *key;
} DlgTestOrganisation;

void                 dlg_test_make_certificate     (const char          *dir,
                                                    char               **certificate_path,
                                                    char               **key_path);

DlgTestServer       *dlg_test_server_new           (void);
void                 dlg_test_server_start         (DlgTestServer       *ts);
void                 dlg_test_server_stop          (DlgTestServer       *ts);
void                 dlg_test_server_join          (DlgTestServer       *ts);
void                 dlg_test_server_free          (DlgTestServer       *ts);
void                 dlg_test_server_invoke        (DlgTestServer       *ts,
                                                    GSourceFunc          func,
                                                    gpointer             data);

DlgTestOrganisation *dlg_test_server_add_organisation (DlgTestServer    *ts,
                                                    const char          *id,
                                                    DlgServerRoles       roles);
void                 dlg_test_organisation_free    (DlgTestOrganisation *org);

char                *dlg_test_report_payload       (const char          *id,
                                                    const char          *sender,
                                                    const char * const  *recipients,
                                                    gsize                padding);
char                *dlg_test_sign                 (DlgKey              *key,
                                                    const char          *typ,
                                                    const char          *payload);
char                *dlg_test_uuid                 (void);

void                 dlg_test_remove_tree          (const char          *path);
guint                dlg_test_count_sockets        (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlgTestOrganisation, dlg_test_organisation_free)

G_END_DECLS
