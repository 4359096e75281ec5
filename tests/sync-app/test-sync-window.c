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
#include "dlg-home-page.h"
#include "dlg-inbox-page.h"
#include "dlg-inbox-row.h"
#include "dlg-outbox-page.h"
#include "dlg-outbox-row.h"
#include "dlg-report-page.h"
#include "dlg-preferences-window.h"
#include "dlg-sync-preferences-page.h"
#include "dlg-test-proxy.h"
#include "dlg-test-server.h"
#include "dlg-window.h"
#include "../sync-service-test-util.h"
#include "../window-test-util.h"

#define SUPPLIER "BE0111111111"
#define BUYER "BE0333333333"

static DlgTestServer *server;
static DlgTestOrganisation *supplier;
static DlgTestOrganisation *buyer;

/* ------------------------------------------------------------------------ */
/* Looking at widgets                                                       */
/* ------------------------------------------------------------------------ */

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

static void
assert_shows (GtkWidget  *widget,
              const char *needle)
{
  ShowsWait w = { widget, needle };

  if (!wait_until (shows_cb, &w))
    {
      g_autofree char *text = widget_text (widget);

      g_test_message ("Shown instead:\n%s", text);
      g_error ("“%s” never appeared", needle);
    }
}

/* The row of the document @id on the outbox page. */
static GtkWidget *
find_outbox_row (GtkWidget  *widget,
                 const char *id)
{
  if (DLG_IS_OUTBOX_ROW (widget))
    return g_strcmp0 (dlg_outbox_item_get_id (dlg_outbox_row_get_item (DLG_OUTBOX_ROW (widget))), id) == 0
           ? widget : NULL;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_outbox_row (child, id);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The visible button labelled @label (with its mnemonic) under @widget. */
static GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_BUTTON (widget) && gtk_widget_get_visible (widget) &&
      g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Clicks the button @label in the row of @id, as a person would. */
static void
click (GtkWidget  *page,
       const char *id,
       const char *label)
{
  GtkWidget *row = find_outbox_row (page, id);
  GtkWidget *button;

  g_assert_nonnull (row);
  button = find_button (row, label);
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

/* Points the application at @url with @token, as Preferences would. */
static void
connect_app (DlgApplication *app,
             const char     *url,
             const char     *token)
{
  DlgSyncService *service = dlg_application_get_sync_service (app);
  g_autoptr(GError) error = NULL;

  g_assert_true (dlg_sync_service_set_endpoint (service, url, &error));
  g_assert_no_error (error);
  g_assert_true (wait_until (sync_service_not_busy, service));
  error = sync_service_set_token (service, token);
  g_assert_no_error (error);
}

/* A report of the first built-in questionnaire, signed by @key for the
 * supplier, kept and queued as Sign and Release does: in one transaction
 * of the store. */
static char *
sign_and_queue (DlgApplication *app,
                DlgKey         *key,
                const char     *title,
                GBytes        **bytes)
{
  DlgStore *store = dlg_application_get_store (app);
  DlgQuestionnaire *q = g_ptr_array_index (dlg_application_get_questionnaires (app), 0);
  const char *recipients[] = { BUYER, NULL };
  g_autofree char *assessment_id = NULL;
  g_autofree char *payload = NULL;
  g_autoptr(GError) error = NULL;
  char *id = dlg_test_uuid ();
  char *jws;

  assessment_id = dlg_store_create_assessment (store, q, title, "2026", "Ville de Liège", FALSE, &error);
  g_assert_no_error (error);
  payload = dlg_test_report_payload (id, SUPPLIER, recipients, 1000);
  jws = dlg_test_sign (key, DLG_JWS_TYP_REPORT, payload);
  *bytes = g_bytes_new_take (jws, strlen (jws));
  g_assert_true (dlg_store_add_signed (store, DLG_SIGNED_REPORT, id, assessment_id, NULL, *bytes, TRUE, NULL, &error));
  g_assert_no_error (error);
  return id;
}

static GtkWidget *
show_outbox (DlgWindow *window)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-outbox", NULL));
  g_assert_cmpstr (dlg_window_get_visible_page (window), ==, "outbox");
  return find_descendant (GTK_WIDGET (window), DLG_TYPE_OUTBOX_PAGE);
}

/* ------------------------------------------------------------------------ */
/* Running the application                                                  */
/* ------------------------------------------------------------------------ */

/* The test server's certificate is trusted, and retries come quickly. */
static void
prepare_sync (DlgApplication *app)
{
  DlgSyncService *service = dlg_application_get_sync_service (app);

  /* The test server's certificate is its own authority. */
  g_assert_nonnull (service);
  dlg_sync_service_set_tls_database (service, server->trust);
  dlg_outbox_set_retry_delays (dlg_sync_service_get_outbox (service), 50, 500);
}

/* Runs the whole application once, with @step done in its window. */
static void
run_app_synced (Step step)
{
  run_app_full (NULL, step, prepare_sync);
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
  g_assert_true (wait_until (sync_service_not_busy, service));
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
  run_app_synced (profile_step);
  run_app_synced (preferences_step);
}

static void
deliver_step (DlgApplication *app,
              DlgWindow      *window)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *id = NULL;
  g_autofree char *digest = NULL;
  g_autofree char *receipt = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GBytes) saved = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *page, *row;

  connect_app (app, server->url, supplier->token);
  id = sign_and_queue (app, supplier->key, "Acme 2026", &bytes);
  digest = dlg_sha256_hex (bytes);
  receipt = g_strdup_printf ("Receipt: SHA-256 %.16s…", digest);

  page = show_outbox (window);
  row = find_outbox_row (page, id);
  g_assert_nonnull (row);
  assert_shows (row, "Acme 2026");
  assert_shows (row, "Delivered");
  assert_shows (row, "The server acknowledged it, stored");
  assert_shows (row, receipt);
  assert_shows (page, "All delivered");

  /* Saved as a file: the same signed bytes. */
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_cache_dir (), 0700), ==, 0);
  path = g_build_filename (g_get_user_cache_dir (), "acme.dlgreport", NULL);
  dlg_outbox_page_save_file (DLG_OUTBOX_PAGE (page), id, path, &error);
  g_assert_no_error (error);
  saved = dlg_file_read (path, G_MAXSIZE, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (saved, bytes));
  g_unlink (path);
}

static void
rejected_step (DlgApplication *app,
               DlgWindow      *window)
{
  DlgSyncService *service = dlg_application_get_sync_service (app);
  g_autoptr(DlgKey) unknown = dlg_key_generate (NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) unknown_bytes = NULL;
  g_autoptr(GBytes) kept = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *unknown_id = NULL;
  g_autofree char *jwk = NULL;
  DlgServerKey enrolled = { 0 };
  GtkWidget *page, *row;

  /* A wrong token: refused, with what to do, and nothing else is sent. */
  connect_app (app, server->url, "dlg1.AAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB");
  id = sign_and_queue (app, supplier->key, "Acme 2027", &bytes);
  page = show_outbox (window);
  row = find_outbox_row (page, id);
  assert_shows (row, "Rejected");
  assert_shows (row, "The server refused your token.");
  assert_shows (row, "What to do: Check the token in Preferences");
  assert_shows (row, "nothing was deleted");
  assert_shows (page, "The Server Refused the Token");
  g_assert_nonnull (find_button (row, "_Send Again"));

  /* Nothing deleted: the exact bytes are kept. */
  kept = dlg_store_get_signed_bytes (dlg_application_get_store (app), id, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (kept, bytes));

  /* The home page says something needs attention, in words. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-home", NULL));
  g_assert_cmpstr (dlg_window_get_visible_page (window), ==, "home");
  assert_shows (GTK_WIDGET (window), "refused by the server: needs your attention");

  /* The right token: it goes without being asked. */
  connect_app (app, server->url, supplier->token);
  page = show_outbox (window);
  assert_shows (find_outbox_row (page, id), "Delivered");
  g_assert_false (shows (page, "The Server Refused the Token"));

  /* Signed with a key the server does not know: what to do says so. */
  unknown_id = sign_and_queue (app, unknown, "Acme 2028", &unknown_bytes);
  page = show_outbox (window);
  row = find_outbox_row (page, unknown_id);
  assert_shows (row, "Rejected");
  assert_shows (row, "The server does not know the key this was signed with.");
  assert_shows (row, "What to do: Send your public key to the server's administrator to enrol it "
                "(Preferences → Signatures → Public Key → Export JWK…), then choose Send Again.");
  /* The server's own words stay, below what happened. */
  assert_shows (row, "is not enrolled, or was revoked");
  g_assert_cmpuint (dlg_sync_service_get_n_rejected (service), ==, 1);

  /* The administrator enrols it; Send Again delivers it. */
  jwk = dlg_key_to_public_jwk (unknown);
  enrolled.id = (char *) dlg_key_get_id (unknown);
  enrolled.organisation_id = (char *) SUPPLIER;
  enrolled.jwk = jwk;
  g_assert_true (dlg_server_storage_add_key (server->storage, &enrolled, &error));
  g_assert_no_error (error);
  click (page, unknown_id, "_Send Again");
  assert_shows (find_outbox_row (page, unknown_id), "Delivered");
  g_assert_cmpuint (dlg_sync_service_get_n_rejected (service), ==, 0);
}

static void
server_down_step (DlgApplication *app,
                  DlgWindow      *window)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *id = NULL;
  GtkWidget *page, *row;

  /* Signed while the server is down: it waits, and says why. */
  dlg_test_server_stop (server);
  connect_app (app, server->url, supplier->token);
  dlg_outbox_set_retry_delays (dlg_sync_service_get_outbox (dlg_application_get_sync_service (app)),
                               60 * 1000, 60 * 1000);
  id = sign_and_queue (app, supplier->key, "Acme 2029", &bytes);
  page = show_outbox (window);
  row = find_outbox_row (page, id);
  assert_shows (row, "Queued");
  assert_shows (row, "The server could not be reached");
  assert_shows (row, "Next try");
  assert_shows (page, "1 waiting");

  /* Back up: Retry Now does not wait for the next try. */
  dlg_test_server_start (server);
  click (page, id, "_Retry Now");
  assert_shows (row, "Delivered");
}

static void
test_outbox (void)
{
  run_app_synced (deliver_step);
  run_app_synced (rejected_step);
  run_app_synced (server_down_step);
}

/* ------------------------------------------------------------------------ */
/* The inbox: the application is the buyer now                              */
/* ------------------------------------------------------------------------ */

/* The supplier's side: a service of its own, with its own store. */
typedef struct
{
  char           *dir;
  DlgStore       *store;
  DlgTrustStore  *trust;
  DlgSyncService *service;
} Other;

static Other other;

static void
other_open (void)
{
  g_autofree char *store_path = NULL;
  g_autofree char *trust_path = NULL;
  g_autoptr(GError) error = NULL;

  other.dir = g_build_filename (g_get_user_cache_dir (), "supplier", NULL);
  store_path = g_build_filename (other.dir, "diligence.sqlite", NULL);
  trust_path = g_build_filename (other.dir, "trust.json", NULL);
  other.store = dlg_store_open (store_path, &error);
  g_assert_no_error (error);
  other.trust = dlg_trust_store_open (trust_path, &error);
  g_assert_no_error (error);
  other.service = dlg_sync_service_new (other.store, other.trust, NULL, &error);
  g_assert_no_error (error);
  dlg_sync_service_set_tls_database (other.service, server->trust);
  g_assert_true (dlg_sync_service_set_endpoint (other.service, server->url, &error));
  g_assert_true (wait_until (sync_service_not_busy, other.service));
  error = sync_service_set_token (other.service, supplier->token);
  g_assert_no_error (error);
}

static void
other_close (void)
{
  dlg_sync_service_pause (other.service, 1);
  g_assert_true (wait_until (sync_service_not_busy, other.service));
  g_assert_finalize_object (g_steal_pointer (&other.service));
  g_assert_finalize_object (g_steal_pointer (&other.trust));
  g_assert_finalize_object (g_steal_pointer (&other.store));
  dlg_test_remove_tree (other.dir);
  g_clear_pointer (&other.dir, g_free);
}

static GtkWidget *
find_inbox_row (GtkWidget  *widget,
                const char *id)
{
  if (DLG_IS_INBOX_ROW (widget))
    return g_strcmp0 (dlg_inbox_item_get_id (dlg_inbox_row_get_item (DLG_INBOX_ROW (widget))), id) == 0
           ? widget : NULL;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_inbox_row (child, id);

      if (found != NULL)
        return found;
    }
  return NULL;
}

typedef struct
{
  GtkWidget  *page;
  const char *id;
} RowWait;

static gboolean
inbox_row_shown (gpointer data)
{
  RowWait *w = data;

  return find_inbox_row (w->page, w->id) != NULL;
}

static void
checked_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  dlg_sync_service_check_inbox_finish (DLG_SYNC_SERVICE (source), result, NULL, &error);
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static char *report_id;
static GBytes *report_bytes;

static gboolean
delivered (gpointer data)
{
  return dlg_outbox_item_get_state (data) == DLG_OUTBOX_DELIVERED;
}

static gboolean
report_shown (gpointer data)
{
  return g_strcmp0 (dlg_window_get_visible_page (data), "report") == 0;
}

static void
inbox_step (DlgApplication *app,
            DlgWindow      *window)
{
  DlgSyncService *service = dlg_application_get_sync_service (app);
  DlgInbox *inbox = dlg_sync_service_get_inbox (service);
  const char *recipients[] = { BUYER, NULL };
  g_autofree char *payload = NULL;
  g_autoptr(GError) error = NULL;
  DlgOutboxItem *sent;
  GtkWidget *page, *row;
  DlgSignedDocument *document;
  RowWait w;
  char *jws;

  /* The supplier signs a report for the buyer and it is delivered. */
  other_open ();
  report_id = dlg_test_uuid ();
  payload = dlg_test_report_payload (report_id, SUPPLIER, recipients, 1000);
  jws = dlg_test_sign (supplier->key, DLG_JWS_TYP_REPORT, payload);
  report_bytes = g_bytes_new_take (jws, strlen (jws));
  sent = dlg_sync_service_enqueue (other.service, DLG_SIGNED_REPORT, report_id, NULL, NULL, report_bytes, &error);
  g_assert_no_error (error);
  g_assert_true (wait_until (delivered, sent));

  /* The buyer's application: nothing yet, then Check for New Reports. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-inbox", NULL));
  g_assert_cmpstr (dlg_window_get_visible_page (window), ==, "inbox");
  /* Built when first shown. */
  page = GTK_WIDGET (find_descendant (GTK_WIDGET (window), DLG_TYPE_INBOX_PAGE));
  g_assert_nonnull (page);
  assert_shows (page, "Set up sync to receive reports");
  connect_app (app, server->url, buyer->token);
  g_assert_true (gtk_widget_activate_action (page, "inbox.check", NULL));
  w = (RowWait) { page, report_id };
  g_assert_true (wait_until (inbox_row_shown, &w));
  row = find_inbox_row (page, report_id);

  /* From the supplier, by sync, new, signed with a key only the server
   * vouches for so far. */
  assert_shows (row, "Report from " SUPPLIER);
  assert_shows (row, "by sync");
  assert_shows (row, "New");
  assert_shows (row, "Unknown signer");
  assert_shows (page, "1 new");

  /* The buyer compares the fingerprint and trusts the key: verified. */
  g_assert_true (dlg_trust_store_set_trusted (dlg_sync_service_get_trust_store (service),
                                              dlg_key_get_id (supplier->key), TRUE, &error));
  g_assert_no_error (error);
  assert_shows (row, "Verified");

  /* The same report as a file is the same report: one row. */
  g_assert_nonnull (dlg_inbox_add_file (inbox, report_bytes, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (inbox)), ==, 1);
  assert_shows (row, "by sync and as a file");

  /* Opening it shows it in the report view, verified like a file, and it
   * is read. */
  g_signal_emit_by_name (row, "activate");
  g_assert_true (wait_until (report_shown, window));
  document = dlg_report_page_get_document (dlg_window_get_report_page (window));
  g_assert_nonnull (document);
  g_assert_cmpint (dlg_signed_document_get_status (document), ==, DLG_SIGNATURE_VALID);
  g_assert_true (g_bytes_equal (dlg_signed_document_get_bytes (document), report_bytes));
  g_assert_true (dlg_inbox_item_get_read (dlg_inbox_lookup (inbox, report_id)));
  g_assert_false (shows (row, "New"));
}

static void
review_step (DlgApplication *app,
             DlgWindow      *window)
{
  DlgSyncService *service = dlg_application_get_sync_service (app);
  g_autoptr(DlgParty) reviewer = dlg_party_new ("Ville de Liège", BUYER);
  g_autofree char *digest = dlg_sha256_hex (report_bytes);
  g_autoptr(DlgReview) review = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *page, *row;
  DlgInboxItem *received;
  char *jws;

  /* Still there after a restart, read, verified. */
  connect_app (app, server->url, buyer->token);
  g_assert_nonnull (dlg_inbox_lookup (dlg_sync_service_get_inbox (service), report_id));

  /* The buyer reviews it; the review goes out through the outbox. */
  review = dlg_review_new (report_id, digest, reviewer, DLG_DECISION_CHANGES_REQUESTED,
                           "Add the audit report of the assembly site.", NULL, &error);
  g_assert_no_error (error);
  jws = dlg_review_sign (review, buyer->key, &error);
  g_assert_no_error (error);
  bytes = g_bytes_new_take (jws, strlen (jws));
  g_assert_nonnull (dlg_sync_service_enqueue (service, DLG_SIGNED_REVIEW, dlg_review_get_id (review), NULL,
                                              report_id, bytes, &error));
  g_assert_no_error (error);
  page = show_outbox (window);
  row = find_outbox_row (page, dlg_review_get_id (review));
  assert_shows (row, "Review of the report from " SUPPLIER);
  assert_shows (row, "Delivered");

  /* The supplier receives the review of its report. */
  {
    gboolean done = FALSE;

    dlg_sync_service_check_inbox_async (other.service, NULL, checked_cb, &done);
    g_assert_true (wait_until (flag_set, &done));
  }
  received = dlg_inbox_lookup (dlg_sync_service_get_inbox (other.service), dlg_review_get_id (review));
  g_assert_nonnull (received);
  g_assert_cmpint (dlg_inbox_item_get_kind (received), ==, DLG_SIGNED_REVIEW);
  g_assert_cmpstr (dlg_inbox_item_get_subject_id (received), ==, report_id);
  g_assert_cmpint (dlg_sync_service_verify (other.service, received, NULL), ==, DLG_VERDICT_UNKNOWN_SIGNER);

  other_close ();
  g_clear_pointer (&report_id, g_free);
  g_clear_pointer (&report_bytes, g_bytes_unref);
}

static void
test_inbox (void)
{
  run_app_synced (inbox_step);
  run_app_synced (review_step);
}

static DlgTestProxy *proxy;
static char *in_flight_id;

static gboolean
proxy_held (gpointer data)
{
  return dlg_test_proxy_wait_held (proxy, 0);
}

static gboolean
release_answer_cb (gpointer data)
{
  dlg_test_proxy_set_mode (proxy, DLG_TEST_PROXY_PASS, 0);
  return G_SOURCE_REMOVE;
}

static void
quit_while_sending_step (DlgApplication *app,
                         DlgWindow      *window)
{
  g_autofree char *url = g_strdup_printf ("https://127.0.0.1:%u", dlg_test_proxy_get_port (proxy));
  g_autoptr(GBytes) bytes = NULL;

  /* The server stores the report, but its answer is held on the way. */
  connect_app (app, url, supplier->token);
  dlg_test_proxy_set_mode (proxy, DLG_TEST_PROXY_HOLD, 0);
  in_flight_id = sign_and_queue (app, supplier->key, "Acme 2030", &bytes);
  g_assert_true (dlg_sync_service_refresh_outbox (dlg_application_get_sync_service (app), NULL) == 1);
  g_assert_true (wait_until (proxy_held, NULL));
  g_assert_true (dlg_sync_service_get_sending (dlg_application_get_sync_service (app)));

  /* The user quits now; the answer arrives a moment later. */
  g_timeout_add (500, release_answer_cb, NULL);
}

static void
test_quit_while_sending (void)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), APP_ID, "diligence.sqlite", NULL);
  g_autoptr(DlgStore) store = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  DlgOutboxEntry *entry = NULL;

  proxy = dlg_test_proxy_new (server->port);
  run_app_synced (quit_while_sending_step);

  /* The application waited for the answer: the receipt is kept. */
  store = dlg_store_open (path, &error);
  g_assert_no_error (error);
  entries = dlg_store_list_outbox (store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < entries->len; i++)
    if (g_str_equal (((DlgOutboxEntry *) g_ptr_array_index (entries, i))->id, in_flight_id))
      entry = g_ptr_array_index (entries, i);
  g_assert_nonnull (entry);
  g_assert_cmpint (entry->state, ==, DLG_OUTBOX_DELIVERED);
  g_assert_nonnull (entry->receipt);

  g_clear_pointer (&in_flight_id, g_free);
  g_clear_pointer (&proxy, dlg_test_proxy_free);
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
  g_test_add_func ("/sync-window/outbox", test_outbox);
  g_test_add_func ("/sync-window/inbox", test_inbox);
  g_test_add_func ("/sync-window/quit-while-sending", test_quit_while_sending);

  status = g_test_run ();

  dlg_test_organisation_free (supplier);
  dlg_test_organisation_free (buyer);
  dlg_test_server_free (server);
  dlg_test_remove_tree (home);
  return status;
}
