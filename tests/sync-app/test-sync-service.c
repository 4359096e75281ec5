/* test-sync-service.c - the application's sync service against a real server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The service the app owns (outbox, inbox, server address, token) against
 * diligence-server in a thread of this process, over TLS on 127.0.0.1.
 * Two services with their own stores and known keys play a supplier and a
 * buyer: the supplier signs while the server is down, the server comes up,
 * the buyer receives the report verified, reviews it, and the supplier
 * receives the review. Every wait is bounded and none is measured.
 */

#include "config.h"

#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>
#include <glib/gstdio.h>
#include <string.h>

#include "dlg-core.h"
#include "dlg-sync-service.h"
#include "dlg-test-proxy.h"
#include "dlg-test-server.h"
#include "../sync-service-test-util.h"
#include "../test-util.h"

#define SUPPLIER "BE0111111111"
#define BUYER "BE0333333333"

typedef struct
{
  char           *dir;
  DlgStore       *store;
  DlgTrustStore  *trust;
  DlgSyncService *service;
} Party;

typedef struct
{
  DlgTestServer       *ts;
  DlgTestOrganisation *supplier_org;
  DlgTestOrganisation *buyer_org;
  char                *dir;
  Party                supplier;
  Party                buyer;
} Fixture;

static void
party_open (Fixture    *f,
            Party      *p,
            const char *name)
{
  g_autofree char *store_path = NULL;
  g_autofree char *trust_path = NULL;
  g_autoptr(GError) error = NULL;

  p->dir = g_build_filename (f->dir, name, NULL);
  store_path = g_build_filename (p->dir, "diligence.sqlite", NULL);
  trust_path = g_build_filename (p->dir, "trust.json", NULL);
  p->store = dlg_store_open (store_path, &error);
  g_assert_no_error (error);
  p->trust = dlg_trust_store_open (trust_path, &error);
  g_assert_no_error (error);
  p->service = dlg_sync_service_new (p->store, p->trust, NULL, &error);
  g_assert_no_error (error);
  dlg_sync_service_set_tls_database (p->service, f->ts->trust);
  dlg_outbox_set_retry_delays (dlg_sync_service_get_outbox (p->service), 20, 200);
}

static void
party_connect (Fixture    *f,
               Party      *p,
               const char *url,
               const char *token)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (dlg_sync_service_set_endpoint (p->service, url, &error));
  g_assert_no_error (error);
  /* The keyring is asked for a token of this address; none is there. */
  g_assert_true (wait_until (sync_service_not_busy, p->service));
  error = sync_service_set_token (p->service, token);
  g_assert_no_error (error);
  g_assert_true (dlg_sync_service_get_configured (p->service));
  g_assert_nonnull (dlg_sync_service_get_client (p->service));
}

static void
party_close (Party *p)
{
  if (p->service == NULL)
    return;

  /* Leave nothing in a real keyring, where the tests run with one. */
  if (dlg_sync_service_get_endpoint (p->service) != NULL)
    {
      GError *error = sync_service_set_token (p->service, NULL);
      g_assert_no_error (error);
    }
  dlg_sync_service_pause (p->service, 1);
  g_assert_true (wait_until (sync_service_not_busy, p->service));
  g_assert_finalize_object (g_steal_pointer (&p->service));
  g_assert_finalize_object (g_steal_pointer (&p->trust));
  g_assert_finalize_object (g_steal_pointer (&p->store));
  g_clear_pointer (&p->dir, g_free);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->ts = dlg_test_server_new ();
  dlg_test_server_start (f->ts);
  f->supplier_org = dlg_test_server_add_organisation (f->ts, SUPPLIER, DLG_SERVER_ROLE_SUPPLIER);
  f->buyer_org = dlg_test_server_add_organisation (f->ts, BUYER, DLG_SERVER_ROLE_BUYER);
  f->dir = g_dir_make_tmp ("dlg-sync-service-XXXXXX", &error);
  g_assert_no_error (error);
  party_open (f, &f->supplier, "supplier");
  party_open (f, &f->buyer, "buyer");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  party_close (&f->supplier);
  party_close (&f->buyer);
  dlg_test_organisation_free (f->supplier_org);
  dlg_test_organisation_free (f->buyer_org);
  dlg_test_server_free (f->ts);
  dlg_test_remove_tree (f->dir);
  g_free (f->dir);
}

static GBytes *
sign_report (Fixture    *f,
             DlgKey     *key,
             const char *id)
{
  const char *recipients[] = { BUYER, NULL };
  g_autofree char *payload = dlg_test_report_payload (id, SUPPLIER, recipients, 2000);
  char *jws = dlg_test_sign (key, DLG_JWS_TYP_REPORT, payload);

  return g_bytes_new_take (jws, strlen (jws));
}

static DlgOutboxItem *
enqueue (Party  *p,
         GBytes *jws,
         const char *id)
{
  g_autoptr(GError) error = NULL;
  DlgOutboxItem *item = dlg_sync_service_enqueue (p->service, DLG_SIGNED_REPORT, id, NULL, NULL, jws, &error);

  g_assert_no_error (error);
  g_assert_nonnull (item);
  return item;
}

typedef struct
{
  DlgOutboxItem  *item;
  DlgOutboxState  state;
} StateWait;

static gboolean
in_state (gpointer data)
{
  StateWait *w = data;

  return dlg_outbox_item_get_state (w->item) == w->state;
}

static gboolean
wait_state (DlgOutboxItem  *item,
            DlgOutboxState  state)
{
  StateWait w = { item, state };

  return wait_until (in_state, &w);
}

typedef struct
{
  guint       received;
  GPtrArray  *refused;
  GError     *error;
  gboolean    done;
} Checked;

static void
checked_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Checked *c = user_data;

  c->received = dlg_sync_service_check_inbox_finish (DLG_SYNC_SERVICE (source), result, &c->refused, &c->error);
  c->done = TRUE;
}

static gboolean
checked_done (gpointer data)
{
  return ((Checked *) data)->done;
}

static guint
check_inbox (Party *p)
{
  Checked c = { 0 };

  dlg_sync_service_check_inbox_async (p->service, NULL, checked_cb, &c);
  g_assert_true (wait_until (checked_done, &c));
  g_assert_no_error (c.error);
  g_assert_cmpuint (c.refused->len, ==, 0);
  g_ptr_array_unref (c.refused);
  g_assert_nonnull (dlg_sync_service_get_last_check (p->service));
  g_assert_null (dlg_sync_service_get_last_check_error (p->service));
  return c.received;
}

static void
result_cb (GObject       *source,
           GAsyncResult  *result,
           GAsyncResult **out)
{
  *out = g_object_ref (result);
}

static gboolean
result_done (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static gboolean
has_failed (gpointer data)
{
  return dlg_outbox_item_get_last_error (data) != NULL;
}

/* The client runs in this thread: wait without blocking it. */
static gboolean
proxy_held (gpointer data)
{
  return dlg_test_proxy_wait_held (data, 0);
}

/* Whether @needle is anywhere in the files under @path. */
static gboolean
found_in_tree (const char *path,
               const char *needle)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      g_autofree char *contents = NULL;
      gsize length;

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        {
          if (found_in_tree (child, needle))
            return TRUE;
        }
      else if (g_file_get_contents (child, &contents, &length, NULL) &&
               g_strstr_len (contents, length, needle) != NULL)
        return TRUE;
    }
  return FALSE;
}

/* ------------------------------------------------------------------------ */

static void
test_endpoint (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GSettingsBackend) backend = g_memory_settings_backend_new ();
  g_autoptr(GSettings) settings = g_settings_new_with_backend (APP_ID, backend);
  g_autoptr(DlgSyncService) service = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stored = NULL;
  const char *refused[] = {
    "http://diligence.example.org",     /* a token in the clear over a network */
    "diligence.example.org",            /* no scheme */
    "ftp://diligence.example.org",
    "https://",
    "https://user:secret@diligence.example.org",
    "https://diligence.example.org/?x=1",
  };

  service = dlg_sync_service_new (f->supplier.store, f->supplier.trust, settings, &error);
  g_assert_no_error (error);
  g_assert_null (dlg_sync_service_get_endpoint (service));
  g_assert_false (dlg_sync_service_get_configured (service));

  /* A token belongs to a server: none before one is set. */
  error = sync_service_set_token (service, "dlg1.AAAAAAAAAAAA.secret");
  g_assert_error (error, DLG_SYNC_ERROR, DLG_SYNC_ERROR_NOT_CONFIGURED);
  g_clear_error (&error);
  g_assert_false (dlg_sync_service_get_has_token (service));

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_assert_false (dlg_sync_service_set_endpoint (service, refused[i], &error));
      g_assert_error (error, DLG_SYNC_ERROR, DLG_SYNC_ERROR_INVALID_ENDPOINT);
      g_clear_error (&error);
      g_assert_null (dlg_sync_service_get_endpoint (service));
    }

  /* As the server accepts: https anywhere, plain http to this computer. */
  g_assert_true (dlg_sync_service_set_endpoint (service, " https://diligence.example.org/ ", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (dlg_sync_service_get_endpoint (service), ==, "https://diligence.example.org");
  stored = g_settings_get_string (settings, "sync-endpoint");
  g_assert_cmpstr (stored, ==, "https://diligence.example.org");
  g_assert_true (dlg_sync_service_set_endpoint (service, "http://127.0.0.1:8080", &error));
  g_assert_true (dlg_sync_service_set_endpoint (service, "http://[::1]:8080", &error));
  g_assert_true (dlg_sync_service_set_endpoint (service, "http://localhost:8080", &error));
  g_assert_no_error (error);

  /* The setting changed elsewhere (dconf, another window) is followed. */
  g_settings_set_string (settings, "sync-endpoint", "https://other.example.org");
  g_assert_cmpstr (dlg_sync_service_get_endpoint (service), ==, "https://other.example.org");

  /* Empty: no server. */
  g_assert_true (dlg_sync_service_set_endpoint (service, "", &error));
  g_assert_null (dlg_sync_service_get_endpoint (service));
  g_clear_pointer (&stored, g_free);
  stored = g_settings_get_string (settings, "sync-endpoint");
  g_assert_cmpstr (stored, ==, "");

  g_assert_true (wait_until (sync_service_not_busy, service));
}

static void
test_token (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GSettingsBackend) backend = g_memory_settings_backend_new ();
  g_autoptr(GSettings) settings = g_settings_new_with_backend (APP_ID, backend);
  g_autoptr(DlgSyncService) service = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *all = NULL;
  DlgTokenStorage storage;

  service = dlg_sync_service_new (f->supplier.store, f->supplier.trust, settings, &error);
  g_assert_no_error (error);
  dlg_sync_service_set_tls_database (service, f->ts->trust);
  g_assert_true (dlg_sync_service_set_endpoint (service, f->ts->url, &error));
  g_assert_true (wait_until (sync_service_not_busy, service));
  g_assert_false (dlg_sync_service_get_has_token (service));

  error = sync_service_set_token (service, f->supplier_org->token);
  g_assert_no_error (error);
  g_assert_true (dlg_sync_service_get_has_token (service));
  g_assert_true (dlg_sync_service_get_configured (service));

  /* In the keyring, or, where none can be reached (as in the tests' own
   * D-Bus session), for this session only, with the reason given. */
  storage = dlg_sync_service_get_token_storage (service);
  if (storage == DLG_TOKEN_STORAGE_SESSION)
    g_assert_nonnull (dlg_sync_service_get_keyring_problem (service));
  else
    g_assert_cmpint (storage, ==, DLG_TOKEN_STORAGE_KEYRING);

  /* Never on disk in the clear: not in the settings, not in our files. */
  all = g_settings_get_string (settings, "sync-endpoint");
  g_assert_null (strstr (all, f->supplier_org->token));
  g_assert_false (found_in_tree (f->supplier.dir, f->supplier_org->token));
  g_assert_false (found_in_tree (g_get_user_data_dir (), f->supplier_org->token));
  g_assert_false (found_in_tree (g_get_user_config_dir (), f->supplier_org->token));

  /* Another server: the token of the first is not sent there. */
  g_assert_true (dlg_sync_service_set_endpoint (service, "https://other.example.org", &error));
  g_assert_false (dlg_sync_service_get_has_token (service));
  g_assert_null (dlg_sync_service_get_client (service));
  g_assert_true (wait_until (sync_service_not_busy, service));

  /* Back: a kept token is found again; a session one must be entered. */
  g_assert_true (dlg_sync_service_set_endpoint (service, f->ts->url, &error));
  g_assert_true (wait_until (sync_service_not_busy, service));
  g_assert_cmpint (dlg_sync_service_get_has_token (service), ==, storage == DLG_TOKEN_STORAGE_KEYRING);

  /* Forgotten. */
  error = sync_service_set_token (service, "");
  g_assert_no_error (error);
  g_assert_false (dlg_sync_service_get_has_token (service));
  g_assert_cmpint (dlg_sync_service_get_token_storage (service), ==, DLG_TOKEN_STORAGE_NONE);
  g_assert_null (dlg_sync_service_get_client (service));
}

static void
test_connection (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgSyncAccount) account = NULL;
  GAsyncResult *result = NULL;

  party_connect (f, &f->supplier, f->ts->url, f->supplier_org->token);

#define TEST_CONNECTION(service) G_STMT_START { \
    g_clear_object (&result); \
    dlg_sync_service_test_connection_async (service, NULL, (GAsyncReadyCallback) result_cb, &result); \
    g_assert_true (wait_until (result_done, &result)); } G_STMT_END

  TEST_CONNECTION (f->supplier.service);
  account = dlg_sync_service_test_connection_finish (f->supplier.service, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (account->id, ==, SUPPLIER);
  g_assert_true (g_strv_contains ((const char * const *) account->roles, "supplier"));
  g_assert_true (g_strv_contains ((const char * const *) account->key_ids, dlg_key_get_id (f->supplier_org->key)));

  /* A wrong token: the server was reached, and said no. */
  error = sync_service_set_token (f->supplier.service, "dlg1.AAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB");
  g_assert_no_error (error);
  TEST_CONNECTION (f->supplier.service);
  g_assert_null (dlg_sync_service_test_connection_finish (f->supplier.service, result, &error));
  g_assert_error (error, DLG_SYNC_ERROR, DLG_SYNC_ERROR_UNAUTHORIZED);
  g_clear_error (&error);

  /* No server there. */
  dlg_test_server_stop (f->ts);
  TEST_CONNECTION (f->supplier.service);
  g_assert_null (dlg_sync_service_test_connection_finish (f->supplier.service, result, &error));
  g_assert_error (error, DLG_SYNC_ERROR, DLG_SYNC_ERROR_NETWORK);
  g_clear_error (&error);
  g_clear_object (&result);
#undef TEST_CONNECTION
}

static void
test_deliver (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *id = dlg_test_uuid ();
  g_autoptr(GBytes) jws = sign_report (f, f->supplier_org->key, id);
  DlgOutboxItem *item;

  party_connect (f, &f->supplier, f->ts->url, f->supplier_org->token);
  g_assert_null (dlg_sync_service_get_last_delivery (f->supplier.service));

  item = enqueue (&f->supplier, jws, id);
  g_assert_true (wait_state (item, DLG_OUTBOX_DELIVERED));
  g_assert_nonnull (dlg_outbox_item_get_receipt (item));
  g_assert_nonnull (dlg_outbox_item_get_received_at (item));
  g_assert_nonnull (dlg_sync_service_get_last_delivery (f->supplier.service));
  g_assert_cmpuint (dlg_sync_service_get_n_pending (f->supplier.service), ==, 0);
  g_assert_cmpuint (dlg_sync_service_get_n_rejected (f->supplier.service), ==, 0);
  g_assert_true (wait_until (sync_service_not_busy, f->supplier.service));
}

static void
test_wrong_token (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *id = dlg_test_uuid ();
  g_autoptr(GBytes) jws = sign_report (f, f->supplier_org->key, id);
  g_autoptr(GBytes) kept = NULL;
  g_autoptr(GError) error = NULL;
  DlgOutboxItem *item;

  party_connect (f, &f->supplier, f->ts->url, "dlg1.AAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB");
  item = enqueue (&f->supplier, jws, id);
  g_assert_true (wait_state (item, DLG_OUTBOX_REJECTED));
  g_assert_cmpstr (dlg_outbox_item_get_problem (item), ==, "unauthorized");
  g_assert_nonnull (strstr (dlg_outbox_item_get_hint (item), "token"));
  g_assert_cmpuint (dlg_sync_service_get_n_rejected (f->supplier.service), ==, 1);

  /* Kept as signed. */
  kept = dlg_store_get_signed_bytes (f->supplier.store, id, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (kept, jws));

  /* The right token sends it without being asked. */
  error = sync_service_set_token (f->supplier.service, f->supplier_org->token);
  g_assert_no_error (error);
  g_assert_true (wait_state (item, DLG_OUTBOX_DELIVERED));
  g_assert_cmpuint (dlg_sync_service_get_n_rejected (f->supplier.service), ==, 0);
}

static void
test_refresh (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *id = dlg_test_uuid ();
  g_autoptr(GBytes) jws = sign_report (f, f->supplier_org->key, id);
  g_autoptr(GError) error = NULL;
  DlgOutbox *outbox = dlg_sync_service_get_outbox (f->supplier.service);
  DlgOutboxItem *item;

  /* Queued in the store by another way than the service. */
  g_assert_true (dlg_store_add_signed (f->supplier.store, DLG_SIGNED_REPORT, id, NULL, NULL, jws, TRUE, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (dlg_outbox_lookup (outbox, id));

  g_assert_cmpuint (dlg_sync_service_refresh_outbox (f->supplier.service, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpuint (dlg_sync_service_refresh_outbox (f->supplier.service, &error), ==, 0);
  item = dlg_outbox_lookup (outbox, id);
  g_assert_nonnull (item);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (outbox)), ==, 1);

  party_connect (f, &f->supplier, f->ts->url, f->supplier_org->token);
  g_assert_true (wait_state (item, DLG_OUTBOX_DELIVERED));
}

static void
test_pause (Fixture       *f,
            gconstpointer  data)
{
  DlgTestProxy *proxy = dlg_test_proxy_new (f->ts->port);
  g_autofree char *url = g_strdup_printf ("https://127.0.0.1:%u", dlg_test_proxy_get_port (proxy));
  g_autofree char *first = dlg_test_uuid ();
  g_autofree char *second = dlg_test_uuid ();
  g_autoptr(GBytes) first_jws = sign_report (f, f->supplier_org->key, first);
  g_autoptr(GBytes) second_jws = sign_report (f, f->supplier_org->key, second);
  DlgOutboxItem *a, *b;

  party_connect (f, &f->supplier, url, f->supplier_org->token);

  /* Quitting while the first is on its way and its answer held up: the
   * service stays busy (the app holds itself) and sends nothing more. */
  dlg_test_proxy_set_mode (proxy, DLG_TEST_PROXY_HOLD, 0);
  a = enqueue (&f->supplier, first_jws, first);
  b = enqueue (&f->supplier, second_jws, second);
  g_assert_true (wait_state (a, DLG_OUTBOX_SENDING));
  g_assert_true (wait_until (proxy_held, proxy));
  dlg_sync_service_pause (f->supplier.service, 60);
  g_assert_true (dlg_sync_service_get_busy (f->supplier.service));

  /* The answer comes: the first is delivered, the second waits for the
   * next start, and nothing is under way any more. */
  dlg_test_proxy_set_mode (proxy, DLG_TEST_PROXY_PASS, 0);
  g_assert_true (wait_state (a, DLG_OUTBOX_DELIVERED));
  g_assert_true (wait_until (sync_service_not_busy, f->supplier.service));
  g_assert_cmpint (dlg_outbox_item_get_state (b), ==, DLG_OUTBOX_QUEUED);
  g_assert_null (dlg_sync_service_get_client (f->supplier.service));

  /* A window opened again before the end: sending goes on. */
  dlg_sync_service_resume (f->supplier.service);
  g_assert_true (wait_state (b, DLG_OUTBOX_DELIVERED));

  dlg_test_proxy_free (proxy);
}

static void
test_pause_bounded (Fixture       *f,
                    gconstpointer  data)
{
  DlgTestProxy *proxy = dlg_test_proxy_new (f->ts->port);
  g_autofree char *url = g_strdup_printf ("https://127.0.0.1:%u", dlg_test_proxy_get_port (proxy));
  g_autofree char *id = dlg_test_uuid ();
  g_autoptr(GBytes) jws = sign_report (f, f->supplier_org->key, id);
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  DlgOutboxItem *item;

  party_connect (f, &f->supplier, url, f->supplier_org->token);

  /* The answer never comes: after the grace the upload is abandoned and
   * the report stays queued, to be sent again at the next start. */
  dlg_test_proxy_set_mode (proxy, DLG_TEST_PROXY_HOLD, 0);
  item = enqueue (&f->supplier, jws, id);
  g_assert_true (wait_until (proxy_held, proxy));
  dlg_sync_service_pause (f->supplier.service, 1);
  g_assert_true (wait_until (sync_service_not_busy, f->supplier.service));
  g_assert_cmpint (dlg_outbox_item_get_state (item), ==, DLG_OUTBOX_QUEUED);

  entries = dlg_store_list_outbox (f->supplier.store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpint (((DlgOutboxEntry *) g_ptr_array_index (entries, 0))->state, ==, DLG_OUTBOX_QUEUED);

  dlg_test_proxy_set_mode (proxy, DLG_TEST_PROXY_PASS, 0);
  dlg_test_proxy_free (proxy);
}

static void
verdicts_changed_cb (DlgSyncService *service,
                     guint          *count)
{
  (*count)++;
}

static void
test_two_instances (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *report_id = dlg_test_uuid ();
  g_autoptr(GBytes) report = sign_report (f, f->supplier_org->key, report_id);
  g_autofree char *digest = dlg_sha256_hex (report);
  g_autoptr(DlgParty) reviewer = dlg_party_new ("Ville de Liège", BUYER);
  g_autoptr(DlgReview) review = NULL;
  g_autofree char *review_jws = NULL;
  g_autoptr(GBytes) review_bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *detail = NULL;
  DlgOutboxItem *sent, *review_sent;
  DlgInboxItem *received;
  DlgInbox *buyer_inbox = dlg_sync_service_get_inbox (f->buyer.service);
  DlgInbox *supplier_inbox = dlg_sync_service_get_inbox (f->supplier.service);
  guint verdicts_changed = 0;

  /* The supplier signs while the server is down. */
  dlg_test_server_stop (f->ts);
  party_connect (f, &f->supplier, f->ts->url, f->supplier_org->token);
  party_connect (f, &f->buyer, f->ts->url, f->buyer_org->token);
  sent = enqueue (&f->supplier, report, report_id);
  g_assert_true (wait_until (has_failed, sent));
  g_assert_cmpint (dlg_outbox_item_get_state (sent), !=, DLG_OUTBOX_REJECTED);
  g_assert_cmpstr (dlg_outbox_item_get_problem (sent), ==, "network");
  g_assert_cmpuint (dlg_sync_service_get_n_pending (f->supplier.service), ==, 1);

  /* Online again: delivered. */
  dlg_test_server_start (f->ts);
  dlg_outbox_send_now (dlg_sync_service_get_outbox (f->supplier.service));
  g_assert_true (wait_state (sent, DLG_OUTBOX_DELIVERED));

  /* The buyer receives it, verified with the key the server vouches
   * for, which nobody at the buyer's confirmed yet. */
  g_signal_connect (f->buyer.service, "verdicts-changed", G_CALLBACK (verdicts_changed_cb), &verdicts_changed);
  g_assert_cmpuint (check_inbox (&f->buyer), ==, 1);
  received = dlg_inbox_lookup (buyer_inbox, report_id);
  g_assert_nonnull (received);
  g_assert_cmpuint (dlg_sync_service_get_n_unread (f->buyer.service), ==, 1);
  g_assert_cmpint (dlg_sync_service_verify (f->buyer.service, received, &detail), ==, DLG_VERDICT_UNKNOWN_SIGNER);
  g_assert_nonnull (detail);
  g_clear_pointer (&detail, g_free);
  g_assert_cmpuint (verdicts_changed, >, 0);

  /* Its fingerprint compared, the key is trusted: verified. */
  verdicts_changed = 0;
  g_assert_true (dlg_trust_store_set_trusted (f->buyer.trust, dlg_key_get_id (f->supplier_org->key), TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (verdicts_changed, ==, 1);
  g_assert_cmpint (dlg_sync_service_verify (f->buyer.service, received, NULL), ==, DLG_VERDICT_VERIFIED);

  /* The same report as a file is the same report. */
  g_assert_true (dlg_inbox_add_file (buyer_inbox, report, &error) == received);
  g_assert_no_error (error);
  g_assert_cmpint (dlg_inbox_item_get_via (received), ==, DLG_RECEIVED_VIA_SYNC | DLG_RECEIVED_VIA_FILE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (buyer_inbox)), ==, 1);
  g_assert_cmpuint (check_inbox (&f->buyer), ==, 0);

  /* The buyer reviews it; the review goes through the buyer's outbox. */
  review = dlg_review_new (report_id, digest, reviewer, DLG_DECISION_CHANGES_REQUESTED,
                           "Add the audit report of the assembly site.", NULL, &error);
  g_assert_no_error (error);
  review_jws = dlg_review_sign (review, f->buyer_org->key, &error);
  g_assert_no_error (error);
  review_bytes = g_bytes_new (review_jws, strlen (review_jws));
  review_sent = dlg_sync_service_enqueue (f->buyer.service, DLG_SIGNED_REVIEW, dlg_review_get_id (review), NULL,
                                          report_id, review_bytes, &error);
  g_assert_no_error (error);
  g_assert_true (wait_state (review_sent, DLG_OUTBOX_DELIVERED));

  /* The supplier receives the review of its report. */
  g_assert_cmpuint (check_inbox (&f->supplier), ==, 1);
  received = dlg_inbox_lookup (supplier_inbox, dlg_review_get_id (review));
  g_assert_nonnull (received);
  g_assert_cmpint (dlg_inbox_item_get_kind (received), ==, DLG_SIGNED_REVIEW);
  g_assert_cmpstr (dlg_inbox_item_get_subject_id (received), ==, report_id);
  g_assert_cmpstr (dlg_inbox_item_get_sender_id (received), ==, BUYER);
  g_assert_cmpint (dlg_sync_service_verify (f->supplier.service, received, NULL), ==, DLG_VERDICT_UNKNOWN_SIGNER);

  /* A key the list now gives to another organisation does not vouch for
   * what the buyer signed. */
  g_assert_true (dlg_trust_store_set_organisation (f->supplier.trust, dlg_key_get_id (f->buyer_org->key),
                                                   "Someone Else", "BE0999999999", &error));
  g_assert_no_error (error);
  g_assert_cmpint (dlg_sync_service_verify (f->supplier.service, received, &detail), ==, DLG_VERDICT_INVALID);
  g_assert_nonnull (strstr (detail, BUYER));

  /* Nothing was lost on either side: both documents are in both stores. */
  g_assert_true (dlg_store_has_document (f->supplier.store, report_id));
  g_assert_true (dlg_store_has_document (f->supplier.store, dlg_review_get_id (review)));
  g_assert_true (dlg_store_has_document (f->buyer.store, report_id));
  g_assert_true (dlg_store_has_document (f->buyer.store, dlg_review_get_id (review)));
}

static void
test_check_not_configured (Fixture       *f,
                           gconstpointer  data)
{
  Checked c = { 0 };

  dlg_sync_service_check_inbox_async (f->buyer.service, NULL, checked_cb, &c);
  g_assert_true (wait_until (checked_done, &c));
  g_assert_error (c.error, DLG_SYNC_ERROR, DLG_SYNC_ERROR_NOT_CONFIGURED);
  g_clear_error (&c.error);

  /* A server that cannot be reached: said, and kept for the status line. */
  dlg_test_server_stop (f->ts);
  party_connect (f, &f->buyer, f->ts->url, f->buyer_org->token);
  c = (Checked) { 0 };
  dlg_sync_service_check_inbox_async (f->buyer.service, NULL, checked_cb, &c);
  g_assert_true (wait_until (checked_done, &c));
  g_assert_error (c.error, DLG_SYNC_ERROR, DLG_SYNC_ERROR_NETWORK);
  g_clear_error (&c.error);
  g_assert_nonnull (dlg_sync_service_get_last_check_error (f->buyer.service));
  g_assert_false (dlg_sync_service_get_checking (f->buyer.service));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/sync-service/endpoint", test_endpoint);
  ADD ("/sync-service/token", test_token);
  ADD ("/sync-service/test-connection", test_connection);
  ADD ("/sync-service/deliver", test_deliver);
  ADD ("/sync-service/wrong-token", test_wrong_token);
  ADD ("/sync-service/refresh-outbox", test_refresh);
  ADD ("/sync-service/pause-lets-upload-finish", test_pause);
  ADD ("/sync-service/pause-is-bounded", test_pause_bounded);
  ADD ("/sync-service/check-not-configured", test_check_not_configured);
  ADD ("/sync-service/two-instances", test_two_instances);
#undef ADD

  return g_test_run ();
}
