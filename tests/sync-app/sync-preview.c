/* sync-preview.c - the sync pages filled with real data, to look at
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   G_TEST_SRCDIR=tests sync-preview outbox|inbox|preferences|home
 *
 * Runs the application against diligence-server in a thread, puts
 * documents in every state through the real outbox and inbox, and leaves
 * the window on the page asked for: for screenshots and accessibility
 * checks (/work/shared/tools/desktop-check), not a test.
 */

#include "config.h"

#include <string.h>

#include "dlg-application.h"
#include "dlg-core.h"
#include "dlg-sync-service.h"
#include "dlg-test-server.h"
#include "dlg-window.h"

#define SUPPLIER "BE0111111111"
#define OTHER_SUPPLIER "BE0222222222"
#define BUYER "BE0333333333"

static DlgTestServer *server;
static DlgTestOrganisation *supplier;
static DlgTestOrganisation *other_supplier;
static DlgTestOrganisation *buyer;
static const char *mode;

static void
spin_until (gboolean (*done) (gpointer),
            gpointer   data)
{
  gint64 end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (!done (data) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

static gboolean
not_busy (gpointer data)
{
  return !dlg_sync_service_get_busy (data);
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

static void
token_set_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  dlg_sync_service_set_token_finish (DLG_SYNC_SERVICE (source), result, NULL);
  *(gboolean *) user_data = TRUE;
}

static void
connect_service (DlgSyncService *service,
                 const char     *token)
{
  gboolean done = FALSE;

  dlg_sync_service_set_tls_database (service, server->trust);
  dlg_sync_service_set_endpoint (service, server->url, NULL);
  spin_until (not_busy, service);
  dlg_sync_service_set_token_async (service, token, NULL, token_set_cb, &done);
  spin_until (flag_set, &done);
}

static gboolean
settled (gpointer data)
{
  DlgOutboxItem *item = data;

  return dlg_outbox_item_get_state (item) != DLG_OUTBOX_SENDING && dlg_outbox_item_get_attempts (item) > 0;
}

static DlgOutboxItem *
sign (DlgApplication *app,
      DlgKey         *key,
      const char     *title)
{
  DlgStore *store = dlg_application_get_store (app);
  DlgSyncService *service = dlg_application_get_sync_service (app);
  DlgQuestionnaire *q = g_ptr_array_index (dlg_application_get_questionnaires (app), 0);
  const char *recipients[] = { BUYER, NULL };
  g_autofree char *assessment_id = dlg_store_create_assessment (store, q, title, "2026", "Ville de Liège",
                                                                FALSE, NULL);
  g_autofree char *id = dlg_test_uuid ();
  g_autofree char *payload = dlg_test_report_payload (id, SUPPLIER, recipients, 1000);
  g_autofree char *jws = dlg_test_sign (key, DLG_JWS_TYP_REPORT, payload);
  g_autoptr(GBytes) bytes = g_bytes_new (jws, strlen (jws));
  DlgOutboxItem *item;

  item = dlg_sync_service_enqueue (service, DLG_SIGNED_REPORT, id, assessment_id, NULL, bytes, NULL);
  spin_until (settled, item);
  return item;
}

static void
fill_outbox (DlgApplication *app)
{
  DlgSyncService *service = dlg_application_get_sync_service (app);
  g_autoptr(DlgKey) unknown = dlg_key_generate (NULL);

  connect_service (service, supplier->token);
  sign (app, supplier->key, "Acme Électronique — due diligence 2025");
  sign (app, unknown, "Acme Électronique — quick scan 2026");
  dlg_test_server_stop (server);
  sign (app, supplier->key, "Acme Électronique — due diligence 2026");
}

static void
send_report (DlgSyncService      *other,
             DlgTestOrganisation *from)
{
  const char *recipients[] = { BUYER, NULL };
  g_autofree char *id = dlg_test_uuid ();
  g_autofree char *payload = dlg_test_report_payload (id, from->id, recipients, 1000);
  g_autofree char *jws = dlg_test_sign (from->key, DLG_JWS_TYP_REPORT, payload);
  g_autoptr(GBytes) bytes = g_bytes_new (jws, strlen (jws));
  DlgOutboxItem *item = dlg_sync_service_enqueue (other, DLG_SIGNED_REPORT, id, NULL, NULL, bytes, NULL);

  spin_until (settled, item);
}

static void
checked_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  dlg_sync_service_check_inbox_finish (DLG_SYNC_SERVICE (source), result, NULL, NULL);
  *(gboolean *) user_data = TRUE;
}

static void
fill_inbox (DlgApplication *app)
{
  DlgSyncService *service = dlg_application_get_sync_service (app);
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "preview-suppliers", NULL);
  g_autofree char *store_path = g_build_filename (dir, "diligence.sqlite", NULL);
  g_autofree char *trust_path = g_build_filename (dir, "trust.json", NULL);
  g_autoptr(DlgStore) store = dlg_store_open (store_path, NULL);
  g_autoptr(DlgTrustStore) trust = dlg_trust_store_open (trust_path, NULL);
  g_autoptr(DlgSyncService) other = dlg_sync_service_new (store, trust, NULL, NULL);
  g_autoptr(DlgSyncService) second = NULL;
  gboolean done = FALSE;

  connect_service (other, supplier->token);
  send_report (other, supplier);
  send_report (other, supplier);
  dlg_sync_service_pause (other, 1);
  spin_until (not_busy, other);

  second = dlg_sync_service_new (store, trust, NULL, NULL);
  connect_service (second, other_supplier->token);
  send_report (second, other_supplier);
  dlg_sync_service_pause (second, 1);
  spin_until (not_busy, second);

  connect_service (service, buyer->token);
  dlg_sync_service_check_inbox_async (service, NULL, checked_cb, &done);
  spin_until (flag_set, &done);
  dlg_trust_store_set_trusted (dlg_sync_service_get_trust_store (service), dlg_key_get_id (supplier->key), TRUE,
                               NULL);
}

static gboolean
fill_cb (gpointer user_data)
{
  DlgApplication *app = user_data;
  DlgWindow *window = DLG_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  DlgProfile profile = { (char *) "Acme Électronique SA", (char *) SUPPLIER, (char *) "BE",
                         (char *) "Ann Peeters", (char *) "ann@example.org", DLG_ROLE_SUPPLIER };

  dlg_store_save_profile (dlg_application_get_store (app), &profile, NULL);

  if (g_str_equal (mode, "inbox"))
    {
      fill_inbox (app);
      gtk_widget_activate_action (GTK_WIDGET (window), "win.show-inbox", NULL);
    }
  else if (g_str_equal (mode, "preferences"))
    {
      connect_service (dlg_application_get_sync_service (app), supplier->token);
      g_action_group_activate_action (G_ACTION_GROUP (app), "sync-preferences", NULL);
    }
  else
    {
      fill_outbox (app);
      gtk_widget_activate_action (GTK_WIDGET (window), "win.show-outbox", NULL);
      if (g_str_equal (mode, "home"))
        gtk_widget_activate_action (GTK_WIDGET (window), "win.show-home", NULL);
    }
  return G_SOURCE_REMOVE;
}

static void
activate_cb (GApplication *app)
{
  g_timeout_add (100, fill_cb, app);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(DlgApplication) app = NULL;
  int status;

  /* For the test helpers' data files (G_TEST_SRCDIR); not run as a test. */
  g_test_init (&argc, &argv, NULL);
  mode = argc > 1 ? argv[1] : "outbox";

  server = dlg_test_server_new ();
  dlg_test_server_start (server);
  supplier = dlg_test_server_add_organisation (server, SUPPLIER, DLG_SERVER_ROLE_SUPPLIER);
  other_supplier = dlg_test_server_add_organisation (server, OTHER_SUPPLIER, DLG_SERVER_ROLE_SUPPLIER);
  buyer = dlg_test_server_add_organisation (server, BUYER, DLG_SERVER_ROLE_BUYER);

  app = dlg_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (app, "activate", G_CALLBACK (activate_cb), NULL);
  status = g_application_run (G_APPLICATION (app), 0, NULL);

  dlg_test_server_free (server);
  return status;
}
