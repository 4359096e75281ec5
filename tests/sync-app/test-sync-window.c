/* test-sync-window.c - sync in the real application, on a real display
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The whole application runs, with diligence-server in a thread of this
 * process over TLS on 127.0.0.1. Preferences are filled in as a person
 * would (the address, the token, Test Connection); signed reports go
 * through the outbox and the pages show what became of them: delivered
 * with the server's receipt, refused with what to do, waiting while the
 * server is down and delivered once it is back. What the pages say is read
 * from their labels, as a person (or a screen reader) would read it.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "dlg-application.h"
#include "dlg-core.h"
#include "dlg-preferences-window.h"
#include "dlg-sync-preferences-page.h"
#include "dlg-test-server.h"
#include "dlg-window.h"

#define SUPPLIER "BE0111111111"
#define BUYER "BE0333333333"

typedef void (*Step) (DlgApplication *app,
                      DlgWindow      *window);

typedef struct
{
  DlgApplication *app;
  Step            step;
  gboolean        done;
} Run;

static DlgTestServer *server;
static DlgTestOrganisation *supplier;
static DlgTestOrganisation *buyer;

/* ------------------------------------------------------------------------ */
/* Looking at widgets                                                       */
/* ------------------------------------------------------------------------ */

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_descendant (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

/* Every visible label's text under @widget, one a line. */
static void
collect_text (GtkWidget *widget,
              GString   *text)
{
  if (!gtk_widget_get_visible (widget))
    return;
  if (GTK_IS_LABEL (widget))
    {
      g_string_append (text, gtk_label_get_text (GTK_LABEL (widget)));
      g_string_append_c (text, '\n');
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_text (child, text);
}

static char *
widget_text (GtkWidget *widget)
{
  GString *text = g_string_new (NULL);

  collect_text (widget, text);
  return g_string_free (text, FALSE);
}

static gboolean
shows (GtkWidget  *widget,
       const char *needle)
{
  g_autofree char *text = widget_text (widget);

  return strstr (text, needle) != NULL;
}

typedef struct
{
  GtkWidget  *widget;
  const char *needle;
} ShowsWait;

static gboolean
shows_cb (gpointer data)
{
  ShowsWait *w = data;

  return shows (w->widget, w->needle);
}

/* Spins the main loop until @done says so. The bound only keeps a broken
 * build from hanging; it is never what a test measures. */
static gboolean
wait_until (gboolean (*done) (gpointer data),
            gpointer   data)
{
  gint64 end = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (!done (data))
    {
      if (g_get_monotonic_time () > end)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return TRUE;
}

static void
assert_shows (GtkWidget  *widget,
              const char *needle)
{
  ShowsWait w = { widget, needle };

  if (!wait_until (shows_cb, &w))
    {
      g_autofree char *text = widget_text (widget);

      g_error ("“%s” never appeared in:\n%s", needle, text);
    }
}

static gboolean
not_busy (gpointer data)
{
  return !dlg_sync_service_get_busy (data);
}

/* ------------------------------------------------------------------------ */
/* Running the application                                                  */
/* ------------------------------------------------------------------------ */

static gboolean
run_step_cb (gpointer user_data)
{
  Run *run = user_data;
  DlgWindow *window = DLG_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (run->app)));

  g_assert_nonnull (window);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (window)));

  run->step (run->app, window);
  run->done = TRUE;

  g_action_group_activate_action (G_ACTION_GROUP (run->app), "quit", NULL);
  return G_SOURCE_REMOVE;
}

static void
activate_cb (GApplication *app,
             Run          *run)
{
  DlgSyncService *service = dlg_application_get_sync_service (DLG_APPLICATION (app));

  /* The test server's certificate is its own authority. */
  g_assert_nonnull (service);
  dlg_sync_service_set_tls_database (service, server->trust);
  dlg_outbox_set_retry_delays (dlg_sync_service_get_outbox (service), 50, 500);
  g_timeout_add (300, run_step_cb, run);
}

/* Runs the whole application once, with @step done in its window. */
static void
run_app (Step step)
{
  Run run = { 0 };
  int status;

  run.app = dlg_application_new ();
  run.step = step;
  g_application_set_flags (G_APPLICATION (run.app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (run.app, "activate", G_CALLBACK (activate_cb), &run);

  status = g_application_run (G_APPLICATION (run.app), 0, NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (run.done);

  g_assert_finalize_object (run.app);
}

static gboolean
preferences_shown (gpointer data)
{
  return find_toplevel (DLG_TYPE_PREFERENCES_WINDOW) != NULL;
}

static void
close_preferences (void)
{
  GtkWindow *preferences = find_toplevel (DLG_TYPE_PREFERENCES_WINDOW);

  if (preferences != NULL)
    gtk_window_destroy (preferences);
}

/* ------------------------------------------------------------------------ */
/* Steps                                                                    */
/* ------------------------------------------------------------------------ */

static void
profile_step (DlgApplication *app,
              DlgWindow      *window)
{
  DlgProfile profile = { (char *) "Organisation " SUPPLIER, (char *) SUPPLIER, (char *) "BE",
                         (char *) "Ann Peeters", (char *) "ann@example.org", DLG_ROLE_SUPPLIER };
  g_autoptr(GError) error = NULL;

  g_assert_true (dlg_store_save_profile (dlg_application_get_store (app), &profile, &error));
  g_assert_no_error (error);
}

static void
preferences_step (DlgApplication *app,
                  DlgWindow      *window)
{
  DlgSyncService *service = dlg_application_get_sync_service (app);
  GtkWidget *page, *endpoint_row, *token_row;
  GtkWindow *preferences;

  g_action_group_activate_action (G_ACTION_GROUP (app), "sync-preferences", NULL);
  g_assert_true (wait_until (preferences_shown, NULL));
  preferences = find_toplevel (DLG_TYPE_PREFERENCES_WINDOW);
  page = find_descendant (GTK_WIDGET (preferences), DLG_TYPE_SYNC_PREFERENCES_PAGE);
  g_assert_nonnull (page);
  g_assert_true (adw_preferences_window_get_visible_page (ADW_PREFERENCES_WINDOW (preferences)) ==
                 ADW_PREFERENCES_PAGE (page));
  endpoint_row = find_descendant (page, ADW_TYPE_ENTRY_ROW);
  token_row = find_descendant (page, ADW_TYPE_PASSWORD_ENTRY_ROW);
  assert_shows (page, "No token: enter the server address first");
  g_assert_false (gtk_widget_get_sensitive (token_row));

  /* A token in the clear over a network is refused, as the server would. */
  gtk_editable_set_text (GTK_EDITABLE (endpoint_row), "http://diligence.example.org");
  g_signal_emit_by_name (endpoint_row, "apply");
  assert_shows (page, "Not a Server Address");
  assert_shows (page, "must start with https://");
  g_assert_true (gtk_widget_has_css_class (endpoint_row, "error"));
  g_assert_null (dlg_sync_service_get_endpoint (service));

  /* The test server. */
  gtk_editable_set_text (GTK_EDITABLE (endpoint_row), server->url);
  g_signal_emit_by_name (endpoint_row, "apply");
  g_assert_cmpstr (dlg_sync_service_get_endpoint (service), ==, server->url);
  g_assert_false (shows (page, "Not a Server Address"));
  g_assert_true (wait_until (not_busy, service));
  assert_shows (page, "No token for this server");
  g_assert_true (gtk_widget_get_sensitive (token_row));

  /* A wrong token: the server is reached and says no. */
  gtk_editable_set_text (GTK_EDITABLE (token_row), "dlg1.AAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB");
  g_signal_emit_by_name (token_row, "apply");
  assert_shows (page, "Connection failed");
  assert_shows (page, "refused the token");

  /* The right one: connected, as the supplier; never shown again. */
  gtk_editable_set_text (GTK_EDITABLE (token_row), supplier->token);
  g_signal_emit_by_name (token_row, "apply");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (token_row)), ==, "");
  assert_shows (page, "Connection works");
  assert_shows (page, "Connected as " SUPPLIER);
  assert_shows (page, "1 signing key enrolled");
  g_assert_false (shows (page, supplier->token));
  /* No keyring in the tests' D-Bus session: for this session only. */
  if (dlg_sync_service_get_token_storage (service) == DLG_TOKEN_STORAGE_SESSION)
    assert_shows (page, "Token kept until Diligence quits");
  else
    assert_shows (page, "Token kept in your keyring");
  g_assert_true (dlg_sync_service_get_configured (service));

  close_preferences ();
}

static void
test_preferences (void)
{
  run_app (profile_step);
  run_app (preferences_step);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = g_dir_make_tmp ("dlg-sync-window-XXXXXX", NULL);
  g_autofree char *data = g_build_filename (home, "data", NULL);
  g_autofree char *cache = g_build_filename (home, "cache", NULL);
  int status;

  /* A data folder of our own; GLib reads these once. */
  g_setenv ("XDG_DATA_HOME", data, TRUE);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);

  gtk_test_init (&argc, &argv, NULL);

  server = dlg_test_server_new ();
  dlg_test_server_start (server);
  supplier = dlg_test_server_add_organisation (server, SUPPLIER, DLG_SERVER_ROLE_SUPPLIER);
  buyer = dlg_test_server_add_organisation (server, BUYER, DLG_SERVER_ROLE_BUYER);

  g_test_add_func ("/sync-window/preferences", test_preferences);

  status = g_test_run ();

  dlg_test_organisation_free (supplier);
  dlg_test_organisation_free (buyer);
  dlg_test_server_free (server);
  dlg_test_remove_tree (home);
  return status;
}
