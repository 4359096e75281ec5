/* test-sync.c - the sync client and the outbox against a real server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Client and server in one process: the server in its own thread and main
 * context, over TLS on 127.0.0.1; the client in the test's main context.
 * A relay between them can hold or delay the server's answers. Every wait
 * is bounded.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

#include "dlg-core.h"
#include "dlg-test-proxy.h"
#include "dlg-test-server.h"
#include "../test-util.h"
#include "../test-questionnaires.h"

#define SUPPLIER "BE0111111111"
#define BUYER "BE0333333333"

#define WAIT_MS 20000

typedef struct
{
  DlgTestServer       *ts;
  DlgTestOrganisation *supplier;
  DlgTestOrganisation *buyer;
  char                *dir;
  char                *store_path;
  DlgStore            *store;
  DlgSyncClient       *client;
  DlgOutbox           *outbox;
  GPtrArray           *changes;    /* "id state", in order */
} Fixture;

static void
state_changed_cb (DlgOutbox     *outbox,
                  DlgOutboxItem *item,
                  Fixture       *f)
{
  g_ptr_array_add (f->changes, g_strdup_printf ("%s %s", dlg_outbox_item_get_id (item),
                                                dlg_outbox_state_to_string (dlg_outbox_item_get_state (item))));
}

static DlgSyncClient *
make_client (Fixture    *f,
             const char *url,
             const char *token)
{
  g_autoptr(GError) error = NULL;
  DlgSyncClient *client = dlg_sync_client_new (url, token, &error);

  g_assert_no_error (error);
  dlg_sync_client_set_tls_database (client, f->ts->trust);
  return client;
}

static void
open_outbox (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  f->store = dlg_store_open (f->store_path, &error);
  g_assert_no_error (error);
  f->outbox = dlg_outbox_new (f->store, &error);
  g_assert_no_error (error);
  dlg_outbox_set_retry_delays (f->outbox, 20, 200);
  g_signal_connect (f->outbox, "state-changed", G_CALLBACK (state_changed_cb), f);
}

static void
close_outbox (Fixture *f)
{
  g_assert_finalize_object (g_steal_pointer (&f->outbox));
  g_assert_finalize_object (g_steal_pointer (&f->store));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->ts = dlg_test_server_new ();
  dlg_test_server_start (f->ts);
  f->supplier = dlg_test_server_add_organisation (f->ts, SUPPLIER, DLG_SERVER_ROLE_SUPPLIER);
  f->buyer = dlg_test_server_add_organisation (f->ts, BUYER, DLG_SERVER_ROLE_BUYER);

  f->dir = g_dir_make_tmp ("dlg-sync-XXXXXX", &error);
  g_assert_no_error (error);
  f->store_path = g_build_filename (f->dir, "app", "diligence.sqlite", NULL);
  f->changes = g_ptr_array_new_with_free_func (g_free);
  f->client = make_client (f, f->ts->url, f->supplier->token);
  open_outbox (f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->outbox != NULL)
    close_outbox (f);
  g_assert_finalize_object (f->client);
  dlg_test_organisation_free (f->supplier);
  dlg_test_organisation_free (f->buyer);
  dlg_test_server_free (f->ts);
  dlg_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->store_path);
  g_ptr_array_unref (f->changes);
}

static void
flushed_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GError **error = user_data;
  GError *local = NULL;

  if (!dlg_outbox_flush_finish (DLG_OUTBOX (source), result, &local))
    g_assert_nonnull (local);
  *error = local;
}

static GError flush_pending;

static gboolean
flush_done (gpointer data)
{
  GError **error = data;

  return *error != &flush_pending;
}

/* Flushes the outbox, waiting at most WAIT_MS. */
static GError *
flush (Fixture *f)
{
  GError *error = &flush_pending;

  dlg_outbox_flush_async (f->outbox, NULL, flushed_cb, &error);
  g_assert_true (wait_until (flush_done, &error));
  return error;
}

static char *
sign_report (Fixture    *f,
             const char *id)
{
  const char *recipients[] = { BUYER, NULL };
  g_autofree char *payload = dlg_test_report_payload (id, SUPPLIER, recipients, 20000);

  return dlg_test_sign (f->supplier->key, DLG_JWS_TYP_REPORT, payload);
}

static DlgOutboxItem *
enqueue (Fixture    *f,
         const char *id)
{
  g_autofree char *jws = sign_report (f, id);
  g_autoptr(GBytes) bytes = g_bytes_new (jws, strlen (jws));
  g_autoptr(GError) error = NULL;
  DlgOutboxItem *item = dlg_outbox_enqueue (f->outbox, DLG_SIGNED_REPORT, id, NULL, NULL, bytes, &error);

  g_assert_no_error (error);
  g_assert_nonnull (item);
  return item;
}

static DlgServerDocument *
server_document (Fixture    *f,
                 const char *id)
{
  return dlg_server_storage_get_document (f->ts->storage, DLG_SERVER_DOCUMENT_REPORT, id, BUYER, NULL);
}

static guint
server_count (Fixture *f)
{
  g_autoptr(GPtrArray) list = dlg_server_storage_list_documents (f->ts->storage, DLG_SERVER_DOCUMENT_REPORT,
                                                                 BUYER, 0, 10000, NULL);
  return list->len;
}

/* The receipt's time is the server's, of the first reception. */
static void
assert_delivered_once (Fixture       *f,
                       DlgOutboxItem *item)
{
  g_autoptr(DlgServerDocument) doc = server_document (f, dlg_outbox_item_get_id (item));
  g_autoptr(GDateTime) received = NULL;

  g_assert_cmpint (dlg_outbox_item_get_state (item), ==, DLG_OUTBOX_DELIVERED);
  g_assert_nonnull (dlg_outbox_item_get_receipt (item));
  g_assert_nonnull (dlg_outbox_item_get_delivered_at (item));
  g_assert_null (dlg_outbox_item_get_hint (item));
  g_assert_nonnull (doc);

  received = g_date_time_new_from_iso8601 (dlg_outbox_item_get_received_at (item), NULL);
  g_assert_nonnull (received);
  g_assert_cmpint (g_date_time_to_unix (received), ==, doc->received_at / G_USEC_PER_SEC);
  g_assert_cmpint (g_date_time_get_microsecond (received), ==, doc->received_at % G_USEC_PER_SEC);
}

/* ------------------------------------------------------------------------ */

typedef struct
{
  DlgSyncReceipt *receipt;
  GError         *error;
  gint64          retry_after;
  char           *problem;
  gboolean        done;
} Submitted;

static void
submitted_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Submitted *s = user_data;

  s->receipt = dlg_sync_client_submit_finish (DLG_SYNC_CLIENT (source), result, &s->retry_after, &s->problem, &s->error);
  s->done = TRUE;
}

static gboolean
submitted_done (gpointer data)
{
  return ((Submitted *) data)->done;
}

static Submitted
submit (DlgSyncClient *client,
        const char    *jws,
        gsize          length)
{
  g_autoptr(GBytes) bytes = g_bytes_new (jws, length);
  Submitted s = { NULL, NULL, -1, NULL, FALSE };

  dlg_sync_client_submit_async (client, DLG_SIGNED_REPORT, bytes, NULL, submitted_cb, &s);
  g_assert_true (wait_until (submitted_done, &s));
  return s;
}

static void
test_client_submit (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *id = dlg_test_uuid ();
  g_autofree char *jws = sign_report (f, id);
  Submitted first = submit (f->client, jws, strlen (jws));
  Submitted again = submit (f->client, jws, strlen (jws));

  g_assert_no_error (first.error);
  g_assert_cmpstr (first.receipt->id, ==, id);
  g_assert_false (first.receipt->duplicate);
  g_assert_no_error (again.error);
  g_assert_true (again.receipt->duplicate);
  g_assert_cmpstr (again.receipt->received_at, ==, first.receipt->received_at);

  dlg_sync_receipt_free (first.receipt);
  dlg_sync_receipt_free (again.receipt);
}

static void
test_client_keep_alive (Fixture       *f,
                        gconstpointer  data)
{
  DlgTestProxy *proxy = dlg_test_proxy_new (f->ts->port);
  g_autofree char *url = g_strdup_printf ("https://127.0.0.1:%u", dlg_test_proxy_get_port (proxy));
  g_autoptr(DlgSyncClient) client = make_client (f, url, f->supplier->token);

  /* One connection, one TLS handshake, for many reports. */
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *id = dlg_test_uuid ();
      g_autofree char *jws = sign_report (f, id);
      Submitted s = submit (client, jws, strlen (jws));

      g_assert_no_error (s.error);
      dlg_sync_receipt_free (s.receipt);
    }
  g_assert_cmpuint (dlg_test_proxy_get_connections (proxy), ==, 1);

  g_clear_object (&client);
  dlg_test_proxy_free (proxy);
}

static void
test_client_errors (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = dlg_test_uuid ();
  g_autofree char *jws = sign_report (f, id);
  g_autofree char *other = NULL;
  g_autoptr(DlgSyncClient) bad_token = make_client (f, f->ts->url, "dlg1.AAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB");
  g_autoptr(DlgSyncClient) no_token = make_client (f, f->ts->url, NULL);
  g_autoptr(DlgSyncClient) untrusting = NULL;
  g_autofree char *big = NULL;
  Submitted s;

  /* Addresses that are refused before anything is sent. */
  g_assert_null (dlg_sync_client_new ("http://diligence.example.org", "x", &error));
  g_assert_error (error, DLG_SYNC_ERROR, DLG_SYNC_ERROR_INVALID_ENDPOINT);
  g_clear_error (&error);
  g_assert_null (dlg_sync_client_new ("ftp://127.0.0.1", "x", &error));
  g_assert_error (error, DLG_SYNC_ERROR, DLG_SYNC_ERROR_INVALID_ENDPOINT);
  g_clear_error (&error);
  g_assert_null (dlg_sync_client_new ("", "x", &error));
  g_assert_error (error, DLG_SYNC_ERROR, DLG_SYNC_ERROR_NOT_CONFIGURED);
  g_clear_error (&error);
  g_clear_object (&untrusting);
  untrusting = dlg_sync_client_new ("http://127.0.0.1:1/", "x", &error);
  g_assert_no_error (error);
  g_clear_object (&untrusting);

  s = submit (no_token, jws, strlen (jws));
  g_assert_error (s.error, DLG_SYNC_ERROR, DLG_SYNC_ERROR_NOT_CONFIGURED);
  g_assert_null (s.problem);
  g_clear_error (&s.error);

  s = submit (bad_token, jws, strlen (jws));
  g_assert_error (s.error, DLG_SYNC_ERROR, DLG_SYNC_ERROR_UNAUTHORIZED);
  g_assert_false (dlg_sync_error_is_retryable (s.error));
  /* The server's problem code comes with the error. */
  g_assert_cmpstr (s.problem, ==, "unauthorized");
  g_clear_pointer (&s.problem, g_free);
  g_clear_error (&s.error);

  /* The server's certificate is not trusted by the system. */
  untrusting = dlg_sync_client_new (f->ts->url, f->supplier->token, &error);
  g_assert_no_error (error);
  s = submit (untrusting, jws, strlen (jws));
  g_assert_error (s.error, DLG_SYNC_ERROR, DLG_SYNC_ERROR_TLS);
  g_assert_true (dlg_sync_error_is_retryable (s.error));
  g_assert_null (s.problem);
  g_clear_error (&s.error);

  /* The same id with other bytes. */
  s = submit (f->client, jws, strlen (jws));
  g_assert_no_error (s.error);
  dlg_sync_receipt_free (s.receipt);
  other = dlg_test_sign (f->supplier->key, DLG_JWS_TYP_REPORT,
                         "{\"format\":\"diligence-report/1\",\"id\":\"00000000-0000-4000-8000-000000000000\"}");
  {
    const char *recipients[] = { BUYER, NULL };
    g_autofree char *payload = dlg_test_report_payload (id, SUPPLIER, recipients, 100);
    g_free (other);
    other = dlg_test_sign (f->supplier->key, DLG_JWS_TYP_REPORT, payload);
  }
  s = submit (f->client, other, strlen (other));
  g_assert_error (s.error, DLG_SYNC_ERROR, DLG_SYNC_ERROR_CONFLICT);
  g_assert_nonnull (strstr (s.error->message, id));
  g_assert_cmpstr (s.problem, ==, "conflict");
  g_clear_pointer (&s.problem, g_free);
  g_clear_error (&s.error);

  /* Too large: refused before the body is sent (100-continue). */
  big = g_strnfill (DLG_SERVER_DEFAULT_MAX_BODY_SIZE + 1, 'A');
  s = submit (f->client, big, strlen (big));
  g_assert_error (s.error, DLG_SYNC_ERROR, DLG_SYNC_ERROR_TOO_LARGE);
  g_assert_cmpstr (s.problem, ==, "too-large");
  g_clear_pointer (&s.problem, g_free);
  g_clear_error (&s.error);

  /* Nobody listening. */
  dlg_test_server_stop (f->ts);
  s = submit (f->client, jws, strlen (jws));
  g_assert_error (s.error, DLG_SYNC_ERROR, DLG_SYNC_ERROR_NETWORK);
  g_assert_true (dlg_sync_error_is_retryable (s.error));
  g_assert_null (s.problem);
  g_clear_error (&s.error);
}

/* A body over the server's limit, many times over one client: each is
 * refused after the headers ("Expect: 100-continue"), and the connection
 * the server closes is not used again. libsoup 3.2 used to crash here now
 * and then, when the client finished with the answer before the server's
 * end of the connection came in; the next test makes that moment certain. */
static void
test_client_too_large_repeated (Fixture       *f,
                                gconstpointer  data)
{
  g_autofree char *big = g_strnfill (DLG_SERVER_DEFAULT_MAX_BODY_SIZE + 1, 'A');
  g_autofree char *id = dlg_test_uuid ();
  g_autofree char *jws = sign_report (f, id);
  Submitted s;

  for (guint i = 0; i < 40; i++)
    {
      s = submit (f->client, big, strlen (big));
      g_assert_error (s.error, DLG_SYNC_ERROR, DLG_SYNC_ERROR_TOO_LARGE);
      g_assert_cmpstr (s.problem, ==, "too-large");
      g_clear_pointer (&s.problem, g_free);
      g_clear_error (&s.error);
    }

  /* The client is none the worse for it. */
  s = submit (f->client, jws, strlen (jws));
  g_assert_no_error (s.error);
  g_assert_cmpstr (s.receipt->id, ==, id);
  dlg_sync_receipt_free (s.receipt);
}

/* A plain HTTP server on 127.0.0.1 that answers every request as soon as
 * its headers are in, with "413" and "Connection: close", and then keeps
 * the connection open until the client closes it: the moment where
 * libsoup 3.2, closing the answer, went looking for a second answer. */
typedef struct
{
  GSocket  *listener;
  guint16   port;
  GThread  *thread;
  guint     answered;     /* atomic */
  guint     expecting;    /* atomic: requests that asked for 100-continue */
} EarlyServer;

#define EARLY_PROBLEM \
  "{\"type\":\"about:blank\",\"title\":\"Too large\",\"status\":413,\"code\":\"too-large\"," \
  "\"detail\":\"The body is over the limit.\"}"

static gpointer
early_server_thread (gpointer data)
{
  EarlyServer *es = data;

  for (;;)
    {
      g_autoptr(GSocket) conn = g_socket_accept (es->listener, NULL, NULL);
      g_autoptr(GString) request = g_string_new (NULL);
      g_autofree char *answer = NULL;
      char buffer[4096];
      gssize n;

      if (conn == NULL)
        break;
      /* Bounded: a client that never comes or never closes does not hang
       * the test; it fails it. */
      g_socket_set_timeout (conn, 10);
      while (strstr (request->str, "\r\n\r\n") == NULL &&
             (n = g_socket_receive (conn, buffer, sizeof buffer, NULL, NULL)) > 0)
        g_string_append_len (request, buffer, n);
      if (g_strrstr (request->str, "Expect: 100-continue") != NULL)
        g_atomic_int_inc (&es->expecting);

      answer = g_strdup_printf ("HTTP/1.1 413 Content Too Large\r\n"
                                "Content-Type: application/problem+json\r\n"
                                "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                                "Connection: close\r\n\r\n%s",
                                strlen (EARLY_PROBLEM), EARLY_PROBLEM);
      g_socket_send (conn, answer, strlen (answer), NULL, NULL);
      g_atomic_int_inc (&es->answered);

      /* Our end stays open until the client has closed its own. */
      while (g_socket_receive (conn, buffer, sizeof buffer, NULL, NULL) > 0)
        ;
      g_socket_close (conn, NULL);
    }
  return NULL;
}

static EarlyServer *
early_server_new (void)
{
  EarlyServer *es = g_new0 (EarlyServer, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  es->listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (es->listener, address, TRUE, &error);
  g_assert_no_error (error);
  g_socket_listen (es->listener, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (es->listener, &error);
  g_assert_no_error (error);
  es->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  es->thread = g_thread_new ("early-server", early_server_thread, es);
  return es;
}

static void
early_server_free (EarlyServer *es)
{
  /* Wakes the blocking accept(). */
  g_socket_shutdown (es->listener, TRUE, TRUE, NULL);
  g_thread_join (es->thread);
  g_socket_close (es->listener, NULL);
  g_object_unref (es->listener);
  g_free (es);
}

static void
test_client_answered_early (void)
{
  EarlyServer *es = early_server_new ();
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", es->port);
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgSyncClient) client = dlg_sync_client_new (url, "dlg1.AAAAAAAAAAAA.token", &error);
  g_autofree char *big = g_strnfill (256 * 1024, 'A');

  g_assert_no_error (error);
  for (guint i = 0; i < 20; i++)
    {
      Submitted s = submit (client, big, strlen (big));

      g_assert_error (s.error, DLG_SYNC_ERROR, DLG_SYNC_ERROR_TOO_LARGE);
      g_assert_cmpstr (s.problem, ==, "too-large");
      g_assert_nonnull (strstr (s.error->message, "The body is over the limit."));
      g_clear_pointer (&s.problem, g_free);
      g_clear_error (&s.error);
    }

  /* Each was answered before its body went out, each on its own
   * connection: none was taken for another request. */
  g_assert_cmpuint (g_atomic_int_get (&es->answered), ==, 20);
  g_assert_cmpuint (g_atomic_int_get (&es->expecting), ==, 20);

  g_assert_finalize_object (g_steal_pointer (&client));
  early_server_free (es);
}

static void
test_deliver (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) stored = NULL;
  g_autofree char *receipt = NULL;

  for (guint i = 0; i < 3; i++)
    {
      g_ptr_array_add (ids, dlg_test_uuid ());
      enqueue (f, g_ptr_array_index (ids, i));
    }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->outbox)), ==, 3);
  g_assert_cmpuint (dlg_outbox_get_n_pending (f->outbox), ==, 3);

  /* Nothing goes without a client. */
  error = flush (f);
  g_assert_error (error, DLG_SYNC_ERROR, DLG_SYNC_ERROR_NOT_CONFIGURED);
  g_clear_error (&error);
  g_assert_cmpuint (server_count (f), ==, 0);

  dlg_outbox_set_client (f->outbox, f->client);
  error = flush (f);
  g_assert_no_error (error);
  g_assert_cmpuint (dlg_outbox_get_n_pending (f->outbox), ==, 0);

  /* Each went queued → sending → delivered, one after the other, in order. */
  g_assert_cmpuint (f->changes->len, ==, 6);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *sending = g_strdup_printf ("%s sending", (char *) g_ptr_array_index (ids, i));
      g_autofree char *delivered = g_strdup_printf ("%s delivered", (char *) g_ptr_array_index (ids, i));

      g_assert_cmpstr (g_ptr_array_index (f->changes, 2 * i), ==, sending);
      g_assert_cmpstr (g_ptr_array_index (f->changes, 2 * i + 1), ==, delivered);
      assert_delivered_once (f, dlg_outbox_lookup (f->outbox, g_ptr_array_index (ids, i)));
    }

  /* The server got them in the order they were signed. */
  stored = dlg_server_storage_list_documents (f->ts->storage, DLG_SERVER_DOCUMENT_REPORT, BUYER, 0, 10, NULL);
  g_assert_cmpuint (stored->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpstr (((DlgServerDocument *) g_ptr_array_index (stored, 2 - i))->id, ==, g_ptr_array_index (ids, i));

  /* Delivered, with the receipt, after a restart too. */
  receipt = g_strdup (dlg_outbox_item_get_receipt (dlg_outbox_lookup (f->outbox, g_ptr_array_index (ids, 0))));
  close_outbox (f);
  open_outbox (f);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->outbox)), ==, 3);
  g_assert_cmpint (dlg_outbox_item_get_state (dlg_outbox_lookup (f->outbox, g_ptr_array_index (ids, 0))),
                   ==, DLG_OUTBOX_DELIVERED);
  g_assert_cmpstr (dlg_outbox_item_get_receipt (dlg_outbox_lookup (f->outbox, g_ptr_array_index (ids, 0))),
                   ==, receipt);
}

static void
test_signing_transaction (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(DlgQuestionnaire) q = load_questionnaire ("scoring.json");
  g_autoptr(GError) error = NULL;
  g_autofree char *assessment = NULL;
  g_autofree char *id = dlg_test_uuid ();
  g_autofree char *id2 = dlg_test_uuid ();
  g_autofree char *jws = sign_report (f, id);
  g_autofree char *other_payload = dlg_test_report_payload (id, SUPPLIER, (const char *[]) { BUYER, NULL }, 100);
  g_autofree char *other = dlg_test_sign (f->supplier->key, DLG_JWS_TYP_REPORT, other_payload);
  g_autoptr(GBytes) bytes = g_bytes_new (jws, strlen (jws));
  g_autoptr(GBytes) other_bytes = g_bytes_new (other, strlen (other));
  g_autoptr(DlgAssessmentInfo) info = NULL;
  DlgOutboxItem *item;

  assessment = dlg_store_create_assessment (f->store, q, "2026", "2026", BUYER, FALSE, &error);
  g_assert_no_error (error);

  /* Signing stores, queues and marks the assessment signed, together. */
  item = dlg_outbox_enqueue (f->outbox, DLG_SIGNED_REPORT, id, assessment, NULL, bytes, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dlg_outbox_item_get_assessment_id (item), ==, assessment);
  info = dlg_store_get_assessment_info (f->store, assessment, &error);
  g_assert_no_error (error);
  g_assert_cmpint (info->state, ==, DLG_ASSESSMENT_STATE_SIGNED);

  /* The same again is the same item; other bytes under its id are refused. */
  {
    DlgOutboxItem *again = dlg_outbox_enqueue (f->outbox, DLG_SIGNED_REPORT, id, assessment, NULL, bytes, &error);

    g_assert_no_error (error);
    g_assert_true (again == item);
  }
  g_assert_null (dlg_outbox_enqueue (f->outbox, DLG_SIGNED_REPORT, id, NULL, NULL, other_bytes, &error));
  g_assert_error (error, DLG_SYNC_ERROR, DLG_SYNC_ERROR_CONFLICT);
  g_clear_error (&error);

  /* A failure leaves nothing behind: no document, no queue entry. */
  g_assert_null (dlg_outbox_enqueue (f->outbox, DLG_SIGNED_REPORT, id2, "no-such-assessment", NULL, bytes, &error));
  g_assert_error (error, DLG_STORE_ERROR, DLG_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (dlg_store_has_document (f->store, id2));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->outbox)), ==, 1);

  close_outbox (f);
  open_outbox (f);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->outbox)), ==, 1);
  g_assert_cmpint (dlg_outbox_item_get_state (dlg_outbox_lookup (f->outbox, id)), ==, DLG_OUTBOX_QUEUED);
}

static void
test_rejected (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *first = dlg_test_uuid ();
  g_autofree char *clash = dlg_test_uuid ();
  g_autofree char *last = dlg_test_uuid ();
  g_autoptr(GError) error = NULL;
  DlgOutboxItem *item;
  Submitted s;

  /* Someone else's bytes are on the server under the id of our second. */
  {
    const char *recipients[] = { BUYER, NULL };
    g_autofree char *payload = dlg_test_report_payload (clash, SUPPLIER, recipients, 50);
    g_autofree char *jws = dlg_test_sign (f->supplier->key, DLG_JWS_TYP_REPORT, payload);

    s = submit (f->client, jws, strlen (jws));
    g_assert_no_error (s.error);
    dlg_sync_receipt_free (s.receipt);
  }

  enqueue (f, first);
  item = enqueue (f, clash);
  enqueue (f, last);
  dlg_outbox_set_client (f->outbox, f->client);
  error = flush (f);
  g_assert_no_error (error);

  /* Rejected, visibly, with what to do; kept; the next one went. */
  g_assert_cmpint (dlg_outbox_item_get_state (item), ==, DLG_OUTBOX_REJECTED);
  g_assert_cmpstr (dlg_outbox_item_get_problem (item), ==, "conflict");
  g_assert_nonnull (dlg_outbox_item_get_last_error (item));
  g_assert_nonnull (dlg_outbox_item_get_hint (item));
  g_assert_null (dlg_outbox_item_get_receipt (item));
  assert_delivered_once (f, dlg_outbox_lookup (f->outbox, first));
  assert_delivered_once (f, dlg_outbox_lookup (f->outbox, last));
  g_assert_true (dlg_store_has_document (f->store, clash));

  close_outbox (f);
  open_outbox (f);
  item = dlg_outbox_lookup (f->outbox, clash);
  g_assert_cmpint (dlg_outbox_item_get_state (item), ==, DLG_OUTBOX_REJECTED);
  g_assert_cmpstr (dlg_outbox_item_get_problem (item), ==, "conflict");
}

static void
test_wrong_token (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(DlgSyncClient) wrong = make_client (f, f->ts->url, f->buyer->token);
  g_autoptr(DlgSyncClient) garbage = make_client (f, f->ts->url, "dlg1.AAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB");
  g_autofree char *a = dlg_test_uuid ();
  g_autofree char *b = dlg_test_uuid ();
  g_autoptr(GError) error = NULL;
  DlgOutboxItem *item_a, *item_b;

  item_a = enqueue (f, a);
  item_b = enqueue (f, b);

  /* A refused token stops everything after the first refusal. */
  dlg_outbox_set_client (f->outbox, garbage);
  error = flush (f);
  g_assert_error (error, DLG_SYNC_ERROR, DLG_SYNC_ERROR_UNAUTHORIZED);
  g_clear_error (&error);
  g_assert_true (dlg_outbox_get_blocked (f->outbox));
  g_assert_cmpint (dlg_outbox_item_get_state (item_a), ==, DLG_OUTBOX_REJECTED);
  g_assert_cmpstr (dlg_outbox_item_get_problem (item_a), ==, "unauthorized");
  g_assert_nonnull (strstr (dlg_outbox_item_get_hint (item_a), "Preferences"));
  g_assert_cmpint (dlg_outbox_item_get_state (item_b), ==, DLG_OUTBOX_QUEUED);
  g_assert_cmpuint (dlg_outbox_item_get_attempts (item_b), ==, 0);

  /* Another organisation's valid token: the server refuses the sender. */
  dlg_outbox_set_client (f->outbox, wrong);
  error = flush (f);
  g_assert_no_error (error);
  g_assert_cmpint (dlg_outbox_item_get_state (item_a), ==, DLG_OUTBOX_REJECTED);
  g_assert_cmpstr (dlg_outbox_item_get_problem (item_a), ==, "forbidden");
  g_assert_cmpint (dlg_outbox_item_get_state (item_b), ==, DLG_OUTBOX_REJECTED);
  g_assert_cmpstr (dlg_outbox_item_get_problem (item_b), ==, "forbidden");
  g_assert_false (dlg_outbox_get_blocked (f->outbox));

  /* The right token. Refusals that were not about the token wait for the
   * person to retry them. */
  dlg_outbox_set_client (f->outbox, f->client);
  g_assert_cmpint (dlg_outbox_item_get_state (item_a), ==, DLG_OUTBOX_REJECTED);
  g_assert_true (dlg_outbox_retry (f->outbox, a, &error));
  g_assert_true (dlg_outbox_retry (f->outbox, b, &error));
  error = flush (f);
  g_assert_no_error (error);
  assert_delivered_once (f, item_a);
  assert_delivered_once (f, item_b);
  g_assert_cmpuint (server_count (f), ==, 2);
}

static void
test_revoked_token (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *a = dlg_test_uuid ();
  g_autofree char *b = dlg_test_uuid ();
  g_autofree char *token_id = g_strndup (f->supplier->token + 5, 12);
  g_autoptr(GError) error = NULL;
  DlgOutboxItem *item_b;

  enqueue (f, a);
  dlg_outbox_set_client (f->outbox, f->client);
  error = flush (f);
  g_assert_no_error (error);

  dlg_server_storage_revoke_token (f->ts->storage, token_id, &error);
  g_assert_no_error (error);

  /* Nothing is left queued, so the flush ends; the outbox is blocked. */
  item_b = enqueue (f, b);
  error = flush (f);
  g_assert_no_error (error);
  g_assert_true (dlg_outbox_get_blocked (f->outbox));
  g_assert_cmpint (dlg_outbox_item_get_state (item_b), ==, DLG_OUTBOX_REJECTED);
  g_assert_cmpstr (dlg_outbox_item_get_problem (item_b), ==, "unauthorized");
  g_assert_cmpuint (server_count (f), ==, 1);
  /* Never deleted: the report is still kept, ready for a new token. */
  g_assert_true (dlg_store_has_document (f->store, b));
}

typedef struct
{
  DlgOutboxItem *item;
  guint          attempts;
} AttemptWait;

static gboolean
attempted (gpointer data)
{
  AttemptWait *w = data;

  return dlg_outbox_item_get_attempts (w->item) >= w->attempts;
}

/* Waiting for its next attempt, or already on it: never given up. */
static void
assert_pending (DlgOutboxItem *item)
{
  DlgOutboxState state = dlg_outbox_item_get_state (item);

  g_assert_true (state == DLG_OUTBOX_QUEUED || state == DLG_OUTBOX_SENDING);
}

static void
test_server_down (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *id = dlg_test_uuid ();
  g_autoptr(GError) error = NULL;
  DlgOutboxItem *item;
  AttemptWait w;

  dlg_test_server_stop (f->ts);
  item = enqueue (f, id);
  dlg_outbox_set_client (f->outbox, f->client);

  /* It keeps trying, and stays queued with the reason. */
  w = (AttemptWait) { item, 3 };
  g_assert_true (wait_until (attempted, &w));
  assert_pending (item);
  g_assert_cmpstr (dlg_outbox_item_get_problem (item), ==, "network");
  g_assert_nonnull (dlg_outbox_item_get_last_error (item));
  if (dlg_outbox_item_get_state (item) == DLG_OUTBOX_QUEUED)
    g_assert_nonnull (dlg_outbox_item_get_next_attempt (item));

  dlg_test_server_start (f->ts);
  error = flush (f);
  g_assert_no_error (error);
  assert_delivered_once (f, item);
  g_assert_cmpuint (server_count (f), ==, 1);
}

static void
test_server_error (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *id = dlg_test_uuid ();
  g_autoptr(GError) error = NULL;
  DlgOutboxItem *item;
  AttemptWait w;

  /* The server's storage fails: 500, retried until it works again. */
  dlg_server_storage_sqlite_set_read_only (DLG_SERVER_STORAGE_SQLITE (f->ts->storage), TRUE);
  item = enqueue (f, id);
  dlg_outbox_set_client (f->outbox, f->client);

  w = (AttemptWait) { item, 2 };
  g_assert_true (wait_until (attempted, &w));
  assert_pending (item);
  g_assert_cmpstr (dlg_outbox_item_get_problem (item), ==, "storage-failed");
  g_assert_cmpstr (dlg_outbox_item_get_hint (item), ==, dlg_outbox_problem_get_advice ("storage-failed"));

  dlg_server_storage_sqlite_set_read_only (DLG_SERVER_STORAGE_SQLITE (f->ts->storage), FALSE);
  error = flush (f);
  g_assert_no_error (error);
  assert_delivered_once (f, item);
}

static void
test_retry_after (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *id = dlg_test_uuid ();
  g_autoptr(GError) error = NULL;
  DlgOutboxItem *item;
  AttemptWait w;
  gint64 asked;

  /* A full disk: 503 with Retry-After: 60, honoured. */
  dlg_server_storage_sqlite_limit_size (DLG_SERVER_STORAGE_SQLITE (f->ts->storage), 1);
  item = enqueue (f, id);
  dlg_outbox_set_client (f->outbox, f->client);

  w = (AttemptWait) { item, 1 };
  g_assert_true (wait_until (attempted, &w));
  g_assert_cmpstr (dlg_outbox_item_get_problem (item), ==, "storage-full");
  g_assert_nonnull (strstr (dlg_outbox_item_get_last_error (item), "disk is full"));
  g_assert_nonnull (strstr (dlg_outbox_item_get_hint (item), "nothing was lost"));
  asked = g_date_time_to_unix (dlg_outbox_item_get_next_attempt (item)) - g_get_real_time () / G_USEC_PER_SEC;
  g_assert_cmpint (asked, >=, 55);
  g_assert_cmpuint (dlg_outbox_item_get_attempts (item), ==, 1);

  /* Room again; "send now" does not wait for the retry time. */
  dlg_server_storage_sqlite_limit_size (DLG_SERVER_STORAGE_SQLITE (f->ts->storage), 0);
  dlg_outbox_send_now (f->outbox);
  error = flush (f);
  g_assert_no_error (error);
  assert_delivered_once (f, item);
}

static void
test_slow_server (Fixture       *f,
                  gconstpointer  data)
{
  DlgTestProxy *proxy = dlg_test_proxy_new (f->ts->port);
  g_autofree char *url = g_strdup_printf ("https://127.0.0.1:%u", dlg_test_proxy_get_port (proxy));
  g_autoptr(DlgSyncClient) client = make_client (f, url, f->supplier->token);
  g_autofree char *id = dlg_test_uuid ();
  g_autoptr(GError) error = NULL;
  DlgOutboxItem *item;
  AttemptWait w;

  /* Answers come after the client gave up waiting. */
  dlg_sync_client_set_timeout (client, 1);
  dlg_test_proxy_set_mode (proxy, DLG_TEST_PROXY_DELAY, 2500);
  item = enqueue (f, id);
  dlg_outbox_set_client (f->outbox, client);

  w = (AttemptWait) { item, 1 };
  g_assert_true (wait_until (attempted, &w));
  g_assert_cmpint (dlg_outbox_item_get_state (item), !=, DLG_OUTBOX_DELIVERED);
  g_assert_cmpstr (dlg_outbox_item_get_problem (item), ==, "timeout");

  /* The server did store it the first time; the retry gets the original
   * receipt, and the report exists once. */
  dlg_test_proxy_set_mode (proxy, DLG_TEST_PROXY_PASS, 0);
  error = flush (f);
  g_assert_no_error (error);
  assert_delivered_once (f, item);
  g_assert_nonnull (strstr (dlg_outbox_item_get_receipt (item), "\"duplicate\""));
  g_assert_cmpuint (server_count (f), ==, 1);

  dlg_outbox_set_client (f->outbox, NULL);
  dlg_test_proxy_free (proxy);
}


/* Enqueues a report and lets it be told to wait a minute (a full disk:
 * 503 with Retry-After: 60). */
static DlgOutboxItem *
enqueue_told_to_wait (Fixture *f)
{
  g_autofree char *id = dlg_test_uuid ();
  DlgOutboxItem *item;
  AttemptWait w;

  dlg_server_storage_sqlite_limit_size (DLG_SERVER_STORAGE_SQLITE (f->ts->storage), 1);
  item = enqueue (f, id);
  dlg_outbox_set_client (f->outbox, f->client);
  dlg_outbox_send_now (f->outbox);
  w = (AttemptWait) { item, dlg_outbox_item_get_attempts (item) + 1 };
  g_assert_true (wait_until (attempted, &w));
  g_assert_cmpint (dlg_outbox_item_get_state (item), ==, DLG_OUTBOX_QUEUED);
  g_assert_cmpint (g_date_time_to_unix (dlg_outbox_item_get_next_attempt (item)) - g_get_real_time () / G_USEC_PER_SEC,
                   >=, 55);
  dlg_server_storage_sqlite_limit_size (DLG_SERVER_STORAGE_SQLITE (f->ts->storage), 0);
  return item;
}

static void
test_network_hint (Fixture       *f,
                   gconstpointer  data)
{
  GNetworkMonitor *monitor = g_network_monitor_get_default ();
  g_autoptr(GError) error = NULL;
  DlgOutboxItem *item;

  /* A network appearing is a hint to try now rather than in a minute. */
  item = enqueue_told_to_wait (f);
  g_signal_emit_by_name (monitor, "network-changed", TRUE);
  error = flush (f);
  g_assert_no_error (error);
  assert_delivered_once (f, item);
  g_assert_cmpuint (dlg_outbox_item_get_attempts (item), ==, 2);

  /* The monitor saying there is no network is never a reason not to try. */
  item = enqueue_told_to_wait (f);
  g_signal_emit_by_name (monitor, "network-changed", FALSE);
  dlg_outbox_send_now (f->outbox);
  error = flush (f);
  g_assert_no_error (error);
  assert_delivered_once (f, item);
}

static gboolean
subprocess_done (gpointer data)
{
  return g_subprocess_get_if_exited (data) || g_subprocess_get_if_signaled (data);
}

static void
wait_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *(gboolean *) user_data = TRUE;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

static void
test_kill_mid_upload (Fixture       *f,
                      gconstpointer  data)
{
  DlgTestProxy *proxy = dlg_test_proxy_new (f->ts->port);
  g_autofree char *url = g_strdup_printf ("https://127.0.0.1:%u", dlg_test_proxy_get_port (proxy));
  g_autofree char *helper = g_test_build_filename (G_TEST_BUILT, "server", "sync-helper", NULL);
  g_autofree char *id = dlg_test_uuid ();
  g_autofree char *jws = sign_report (f, id);
  g_autoptr(GBytes) bytes = g_bytes_new (jws, strlen (jws));
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) child = NULL;
  g_autofree char *out = NULL;
  gboolean exited = FALSE;
  DlgOutboxItem *item;

  /* The app signed a report and queued it, then quit. */
  g_assert_nonnull (dlg_outbox_enqueue (f->outbox, DLG_SIGNED_REPORT, id, NULL, NULL, bytes, &error));
  g_assert_no_error (error);
  close_outbox (f);

  /* It starts again and sends; the server commits and answers, but the
   * answer is held on its way: the app is killed before it hears it. */
  dlg_test_proxy_set_mode (proxy, DLG_TEST_PROXY_HOLD, 0);
  child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
                            helper, f->store_path, url, f->supplier->token, f->ts->certificate_path, NULL);
  g_assert_no_error (error);
  for (guint i = 0; i < WAIT_MS / 10 && server_count (f) == 0; i++)
    g_usleep (10 * 1000);
  g_assert_cmpuint (server_count (f), ==, 1);
  g_assert_true (dlg_test_proxy_wait_held (proxy, WAIT_MS));
  g_subprocess_send_signal (child, SIGKILL);
  g_subprocess_wait_async (child, NULL, wait_cb, &exited);
  g_assert_true (wait_until (flag_set, &exited));
  g_assert_true (g_subprocess_get_if_signaled (child));
  g_clear_object (&child);

  /* Still queued in its store: nothing was lost, nothing marked delivered. */
  open_outbox (f);
  item = dlg_outbox_lookup (f->outbox, id);
  g_assert_cmpint (dlg_outbox_item_get_state (item), ==, DLG_OUTBOX_QUEUED);
  close_outbox (f);

  /* Restarted: it sends again and hears the original receipt. */
  dlg_test_proxy_set_mode (proxy, DLG_TEST_PROXY_PASS, 0);
  child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                            helper, f->store_path, url, f->supplier->token, f->ts->certificate_path, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (child, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (subprocess_done (child));
  g_assert_cmpint (g_subprocess_get_exit_status (child), ==, 0);
  g_assert_nonnull (strstr (out, "flushed"));

  open_outbox (f);
  item = dlg_outbox_lookup (f->outbox, id);
  assert_delivered_once (f, item);
  g_assert_nonnull (strstr (dlg_outbox_item_get_receipt (item), "\"duplicate\""));
  g_assert_cmpuint (server_count (f), ==, 1);

  dlg_test_proxy_free (proxy);
}

static void
test_many (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint n = 200;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = dlg_test_uuid ();
      enqueue (f, id);
    }
  dlg_outbox_set_client (f->outbox, f->client);
  error = flush (f);
  g_assert_no_error (error);
  g_assert_cmpuint (server_count (f), ==, n);
  g_assert_cmpuint (dlg_outbox_get_n_pending (f->outbox), ==, 0);
}


/* ------------------------------------------------------------------------ */
/* The inbox                                                                */
/* ------------------------------------------------------------------------ */

typedef struct
{
  guint      received;
  GPtrArray *refused;
  GError    *error;
  gboolean   done;
} Pulled;

static void
pulled_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Pulled *p = user_data;

  p->received = dlg_inbox_pull_finish (DLG_INBOX (source), result, &p->refused, &p->error);
  p->done = TRUE;
}

static gboolean
pulled_done (gpointer data)
{
  return ((Pulled *) data)->done;
}

static Pulled
pull (DlgInbox      *inbox,
      DlgSyncClient *client)
{
  Pulled p = { 0, NULL, NULL, FALSE };

  dlg_inbox_pull_async (inbox, client, NULL, pulled_cb, &p);
  g_assert_true (wait_until (pulled_done, &p));
  return p;
}

typedef struct
{
  DlgStore      *store;
  DlgTrustStore *trust;
  DlgInbox      *inbox;
  DlgSyncClient *client;
} Receiver;

static void
receiver_open (Fixture    *f,
               Receiver   *r,
               const char *name,
               const char *token)
{
  g_autofree char *store_path = g_build_filename (f->dir, name, "diligence.sqlite", NULL);
  g_autofree char *trust_path = g_build_filename (f->dir, name, "trust.json", NULL);
  g_autoptr(GError) error = NULL;

  r->store = dlg_store_open (store_path, &error);
  g_assert_no_error (error);
  r->trust = dlg_trust_store_open (trust_path, &error);
  g_assert_no_error (error);
  r->inbox = dlg_inbox_new (r->store, r->trust, &error);
  g_assert_no_error (error);
  r->client = make_client (f, f->ts->url, token);
}

static void
receiver_close (Receiver *r)
{
  g_assert_finalize_object (r->inbox);
  g_assert_finalize_object (r->client);
  g_assert_finalize_object (r->trust);
  g_assert_finalize_object (r->store);
}

static void
test_inbox_pull (Fixture       *f,
                 gconstpointer  data)
{
  Receiver buyer = { 0 };
  g_autoptr(GPtrArray) jws = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  DlgInboxItem *item;
  Pulled p;

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *id = dlg_test_uuid ();
      Submitted s;

      g_ptr_array_add (jws, sign_report (f, id));
      s = submit (f->client, g_ptr_array_index (jws, i), strlen (g_ptr_array_index (jws, i)));
      g_assert_no_error (s.error);
      dlg_sync_receipt_free (s.receipt);
    }

  receiver_open (f, &buyer, "buyer", f->buyer->token);
  p = pull (buyer.inbox, buyer.client);
  g_assert_no_error (p.error);
  g_assert_cmpuint (p.received, ==, 3);
  g_assert_cmpuint (p.refused->len, ==, 0);
  g_clear_pointer (&p.refused, g_ptr_array_unref);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (buyer.inbox)), ==, 3);
  g_assert_cmpuint (dlg_inbox_get_n_unread (buyer.inbox), ==, 3);

  /* Newest first, verified with the key the server vouches for, which
   * nobody here has confirmed yet. */
  item = g_list_model_get_item (G_LIST_MODEL (buyer.inbox), 0);
  g_object_unref (item);
  g_assert_cmpstr (dlg_inbox_item_get_sender_id (item), ==, SUPPLIER);
  g_assert_cmpint (dlg_inbox_item_get_via (item), ==, DLG_RECEIVED_VIA_SYNC);
  g_assert_nonnull (dlg_inbox_item_get_server_received_at (item));
  g_assert_false (dlg_inbox_is_trusted (buyer.inbox, item));
  g_assert_true (dlg_trust_store_set_trusted (buyer.trust, dlg_key_get_id (f->supplier->key), TRUE, &error));
  g_assert_true (dlg_inbox_is_trusted (buyer.inbox, item));

  /* Nothing new the second time. */
  p = pull (buyer.inbox, buyer.client);
  g_assert_no_error (p.error);
  g_assert_cmpuint (p.received, ==, 0);
  g_clear_pointer (&p.refused, g_ptr_array_unref);

  /* The same report as a file is the same report. */
  {
    g_autoptr(GBytes) bytes = g_bytes_new (g_ptr_array_index (jws, 0), strlen (g_ptr_array_index (jws, 0)));

    item = dlg_inbox_add_file (buyer.inbox, bytes, &error);
    g_assert_no_error (error);
    g_assert_cmpint (dlg_inbox_item_get_via (item), ==, DLG_RECEIVED_VIA_SYNC | DLG_RECEIVED_VIA_FILE);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (buyer.inbox)), ==, 3);
  }

  /* Still there, the same way, after a restart. */
  receiver_close (&buyer);
  receiver_open (f, &buyer, "buyer", f->buyer->token);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (buyer.inbox)), ==, 3);
  receiver_close (&buyer);
}

static void
test_inbox_files (Fixture       *f,
                  gconstpointer  data)
{
  Receiver buyer = { 0 };
  g_autofree char *id = dlg_test_uuid ();
  g_autofree char *jws = sign_report (f, id);
  g_autofree char *tampered = g_strdup (jws);
  g_autofree char *impostor = NULL;
  g_autoptr(GBytes) bytes = g_bytes_new (jws, strlen (jws));
  g_autoptr(GBytes) tampered_bytes = NULL;
  g_autoptr(GBytes) impostor_bytes = NULL;
  g_autoptr(GError) error = NULL;
  char *last_dot;

  receiver_open (f, &buyer, "buyer", f->buyer->token);

  /* Unknown key: a file has nobody to vouch for it. */
  g_assert_null (dlg_inbox_add_file (buyer.inbox, bytes, &error));
  g_assert_error (error, DLG_SYNC_ERROR, DLG_SYNC_ERROR_UNKNOWN_KEY);
  g_clear_error (&error);

  g_assert_nonnull (dlg_trust_store_add (buyer.trust, f->supplier->key, "Supplier", SUPPLIER, TRUE, &error));
  g_assert_no_error (error);

  /* One character of the signature changed. */
  last_dot = strrchr (tampered, '.') + 1;
  last_dot[3] = last_dot[3] == 'A' ? 'B' : 'A';
  tampered_bytes = g_bytes_new (tampered, strlen (tampered));
  g_assert_null (dlg_inbox_add_file (buyer.inbox, tampered_bytes, &error));
  g_assert_error (error, DLG_JWS_ERROR, DLG_JWS_ERROR_BAD_SIGNATURE);
  g_clear_error (&error);

  /* Signed with the supplier's key, but naming another organisation. */
  {
    const char *recipients[] = { BUYER, NULL };
    g_autofree char *other_id = dlg_test_uuid ();
    g_autofree char *payload = dlg_test_report_payload (other_id, "BE0555555555", recipients, 100);

    impostor = dlg_test_sign (f->supplier->key, DLG_JWS_TYP_REPORT, payload);
    impostor_bytes = g_bytes_new (impostor, strlen (impostor));
  }
  g_assert_null (dlg_inbox_add_file (buyer.inbox, impostor_bytes, &error));
  g_assert_error (error, DLG_SYNC_ERROR, DLG_SYNC_ERROR_FORBIDDEN);
  g_clear_error (&error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (buyer.inbox)), ==, 0);

  /* The genuine file goes in, once. */
  g_assert_nonnull (dlg_inbox_add_file (buyer.inbox, bytes, &error));
  g_assert_no_error (error);
  g_assert_nonnull (dlg_inbox_add_file (buyer.inbox, bytes, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (buyer.inbox)), ==, 1);
  g_assert_true (dlg_inbox_is_trusted (buyer.inbox, dlg_inbox_lookup (buyer.inbox, id)));
  g_assert_true (dlg_inbox_mark_read (buyer.inbox, id, &error));
  g_assert_cmpuint (dlg_inbox_get_n_unread (buyer.inbox), ==, 0);

  receiver_close (&buyer);
}

static void
test_inbox_reviews (Fixture       *f,
                    gconstpointer  data)
{
  Receiver supplier = { 0 };
  g_autofree char *id = dlg_test_uuid ();
  g_autofree char *jws = sign_report (f, id);
  g_autoptr(DlgSyncClient) buyer_client = make_client (f, f->ts->url, f->buyer->token);
  g_autoptr(DlgParty) reviewer = dlg_party_new ("Buyer", BUYER);
  g_autoptr(DlgReview) review = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *review_jws = NULL;
  g_autoptr(GBytes) bytes = g_bytes_new (jws, strlen (jws));
  g_autofree char *digest = dlg_sha256_hex (bytes);
  g_autoptr(GBytes) review_bytes = NULL;
  DlgInboxItem *item;
  Submitted s;
  Pulled p;

  s = submit (f->client, jws, strlen (jws));
  g_assert_no_error (s.error);
  dlg_sync_receipt_free (s.receipt);

  /* The buyer reviews it and sends the review. */
  review = dlg_review_new (id, digest, reviewer, DLG_DECISION_CHANGES_REQUESTED, "Add the audit report.", NULL, &error);
  g_assert_no_error (error);
  review_jws = dlg_review_sign (review, f->buyer->key, &error);
  g_assert_no_error (error);
  review_bytes = g_bytes_new (review_jws, strlen (review_jws));
  {
    Submitted r = { NULL, NULL, -1, FALSE };

    dlg_sync_client_submit_async (buyer_client, DLG_SIGNED_REVIEW, review_bytes, NULL, submitted_cb, &r);
    g_assert_true (wait_until (submitted_done, &r));
    g_assert_no_error (r.error);
    g_assert_cmpint (r.receipt->kind, ==, DLG_SIGNED_REVIEW);
    dlg_sync_receipt_free (r.receipt);
  }

  /* The supplier gets it, verified like a file. */
  receiver_open (f, &supplier, "supplier", f->supplier->token);
  p = pull (supplier.inbox, supplier.client);
  g_assert_no_error (p.error);
  g_assert_cmpuint (p.received, ==, 1);
  g_clear_pointer (&p.refused, g_ptr_array_unref);
  item = dlg_inbox_lookup (supplier.inbox, dlg_review_get_id (review));
  g_assert_nonnull (item);
  g_assert_cmpint (dlg_inbox_item_get_kind (item), ==, DLG_SIGNED_REVIEW);
  g_assert_cmpstr (dlg_inbox_item_get_subject_id (item), ==, id);
  g_assert_cmpstr (dlg_inbox_item_get_sender_id (item), ==, BUYER);
  receiver_close (&supplier);
}

/* The problem codes docs/openapi.yaml lists, read from its Problem schema. */
static GPtrArray *
documented_problem_codes (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "docs", "openapi.yaml", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *codes = g_ptr_array_new_with_free_func (g_free);
  gboolean in_problem = FALSE, in_enum = FALSE;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *line = g_strstrip (g_strdup (lines[i]));

      if (g_str_equal (lines[i], "    Problem:"))
        in_problem = TRUE;
      else if (in_problem && g_str_equal (line, "enum:"))
        in_enum = TRUE;
      else if (in_enum && g_str_has_prefix (line, "- "))
        g_ptr_array_add (codes, g_strdup (line + 2));
      else if (in_enum)
        break;
    }
  return codes;
}

static void
test_problem_advice (void)
{
  /* Problems of other requests than sending: never in the outbox. */
  const char *not_sending[] = { "bad-cursor", "key-exists", "invalid-questionnaire", NULL };
  /* The outbox's own names, for failures without a problem document. */
  const char *local[] = { "network", "timeout", "tls", "server", "busy", "protocol", "not-configured",
                          "invalid-endpoint", "rejected", NULL };
  const char *fallback_summary = dlg_outbox_problem_get_summary ("no-such-problem");
  const char *fallback_advice = dlg_outbox_problem_get_advice ("no-such-problem");
  g_autoptr(GPtrArray) codes = documented_problem_codes ();
  g_autoptr(GHashTable) advice_seen = g_hash_table_new (g_str_hash, g_str_equal);

  g_assert_null (dlg_outbox_problem_get_summary (NULL));
  g_assert_null (dlg_outbox_problem_get_advice (NULL));
  g_assert_nonnull (fallback_summary);
  g_assert_cmpstr (fallback_advice, ==, dlg_outbox_problem_get_advice ("rejected"));

  /* Every problem the server can answer to a document has its own
   * sentence for what happened and advice, not the catch-all. */
  g_assert_cmpuint (codes->len, >=, 20);
  for (guint i = 0; i < codes->len; i++)
    {
      const char *code = g_ptr_array_index (codes, i);
      const char *summary = dlg_outbox_problem_get_summary (code);
      const char *advice = dlg_outbox_problem_get_advice (code);

      if (g_strv_contains (not_sending, code))
        continue;
      g_test_message ("%s: %s %s", code, summary, advice);
      g_assert_cmpstr (summary, !=, fallback_summary);
      g_assert_cmpstr (advice, !=, fallback_advice);
      g_assert_true (g_str_has_suffix (summary, "."));
      g_assert_true (g_str_has_suffix (advice, "."));
      g_hash_table_add (advice_seen, (gpointer) advice);
    }
  for (guint i = 0; local[i] != NULL; i++)
    {
      g_assert_cmpstr (dlg_outbox_problem_get_summary (local[i]), !=, fallback_summary);
      g_assert_nonnull (dlg_outbox_problem_get_advice (local[i]));
    }

  /* Most problems call for something different. */
  g_assert_cmpuint (g_hash_table_size (advice_seen), >=, 15);

  /* What each says to do, where the brief of the advice matters. */
  g_assert_nonnull (strstr (dlg_outbox_problem_get_advice ("unknown-key"), "Export JWK"));
  g_assert_nonnull (strstr (dlg_outbox_problem_get_advice ("unknown-key"), "Send Again"));
  g_assert_nonnull (strstr (dlg_outbox_problem_get_advice ("unauthorized"), "token"));
  g_assert_nonnull (strstr (dlg_outbox_problem_get_advice ("wrong-sender"), "token"));
  g_assert_nonnull (strstr (dlg_outbox_problem_get_advice ("forbidden"), "role"));
  g_assert_nonnull (strstr (dlg_outbox_problem_get_advice ("conflict"), "Correct"));
  g_assert_nonnull (strstr (dlg_outbox_problem_get_advice ("too-large"), "file"));
  g_assert_nonnull (strstr (dlg_outbox_problem_get_advice ("rate-limited"), "Nothing to do"));
  g_assert_nonnull (strstr (dlg_outbox_problem_get_advice ("storage-full"), "Nothing to do"));
  g_assert_nonnull (strstr (dlg_outbox_problem_get_advice ("malformed"), "administrator"));
  g_assert_nonnull (strstr (dlg_outbox_problem_get_advice ("unsupported-media-type"), "administrator"));
}

typedef struct
{
  const char *id;
  const char *problem;
  const char *detail;    /* words of the server's own detail */
} Expected;

static void
assert_advised (Fixture        *f,
                const Expected *e)
{
  DlgOutboxItem *item = dlg_outbox_lookup (f->outbox, e->id);

  g_assert_nonnull (item);
  g_assert_cmpint (dlg_outbox_item_get_state (item), ==, DLG_OUTBOX_REJECTED);
  g_assert_cmpstr (dlg_outbox_item_get_problem (item), ==, e->problem);
  g_assert_cmpstr (dlg_outbox_item_get_hint (item), ==, dlg_outbox_problem_get_advice (e->problem));
  /* The server's detail stays, beside the advice. */
  g_test_message ("%s: %s", e->problem, dlg_outbox_item_get_last_error (item));
  g_assert_nonnull (strstr (dlg_outbox_item_get_last_error (item), e->detail));
}

static void
test_advice (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(DlgTestOrganisation) other = dlg_test_server_add_organisation (f->ts, "BE0222222222",
                                                                            DLG_SERVER_ROLE_SUPPLIER);
  g_autoptr(DlgSyncClient) other_client = make_client (f, f->ts->url, other->token);
  g_autoptr(DlgKey) stranger = dlg_key_generate (NULL);
  g_autofree char *unknown_key = dlg_test_uuid ();
  g_autofree char *unknown_recipient = dlg_test_uuid ();
  g_autofree char *tampered = dlg_test_uuid ();
  g_autofree char *garbage = dlg_test_uuid ();
  g_autofree char *impostor = dlg_test_uuid ();
  g_autoptr(GError) error = NULL;
  const char *nobody[] = { "BE0999999999", NULL };
  const Expected expected[] = {
    { unknown_key, "unknown-key", "is not enrolled, or was revoked" },
    { unknown_recipient, "unknown-recipient", "BE0999999999" },
    { tampered, "bad-signature", "does not verify" },
    { garbage, "malformed", "not a signed document" },
    { impostor, "wrong-sender", "your token belongs to BE0222222222" },
  };

  g_assert_nonnull (stranger);

  /* Signed with a key the server never saw. */
  {
    const char *recipients[] = { BUYER, NULL };
    g_autofree char *payload = dlg_test_report_payload (unknown_key, SUPPLIER, recipients, 100);
    g_autofree char *jws = dlg_test_sign (stranger, DLG_JWS_TYP_REPORT, payload);
    g_autoptr(GBytes) bytes = g_bytes_new (jws, strlen (jws));

    g_assert_nonnull (dlg_outbox_enqueue (f->outbox, DLG_SIGNED_REPORT, unknown_key, NULL, NULL, bytes, &error));
    g_assert_no_error (error);
  }

  /* For an organisation the server does not know. */
  {
    g_autofree char *payload = dlg_test_report_payload (unknown_recipient, SUPPLIER, nobody, 100);
    g_autofree char *jws = dlg_test_sign (f->supplier->key, DLG_JWS_TYP_REPORT, payload);
    g_autoptr(GBytes) bytes = g_bytes_new (jws, strlen (jws));

    g_assert_nonnull (dlg_outbox_enqueue (f->outbox, DLG_SIGNED_REPORT, unknown_recipient, NULL, NULL, bytes,
                                          &error));
    g_assert_no_error (error);
  }

  /* Changed after signing: one character of the signature. */
  {
    g_autofree char *jws = sign_report (f, tampered);
    char *last = jws + strlen (jws) - 2;
    g_autoptr(GBytes) bytes = NULL;

    *last = *last == 'A' ? 'B' : 'A';
    bytes = g_bytes_new (jws, strlen (jws));
    g_assert_nonnull (dlg_outbox_enqueue (f->outbox, DLG_SIGNED_REPORT, tampered, NULL, NULL, bytes, &error));
    g_assert_no_error (error);
  }

  /* Not a signed document at all. */
  {
    g_autoptr(GBytes) bytes = g_bytes_new_static ("not.a.report", 12);

    g_assert_nonnull (dlg_outbox_enqueue (f->outbox, DLG_SIGNED_REPORT, garbage, NULL, NULL, bytes, &error));
    g_assert_no_error (error);
  }

  dlg_outbox_set_client (f->outbox, f->client);
  error = flush (f);
  g_assert_no_error (error);
  for (guint i = 0; i < 4; i++)
    assert_advised (f, &expected[i]);

  /* Our report, sent with another organisation's token. */
  enqueue (f, impostor);
  dlg_outbox_set_client (f->outbox, other_client);
  error = flush (f);
  g_assert_no_error (error);
  assert_advised (f, &expected[4]);

  /* The advice is the problem's, after a restart too. */
  close_outbox (f);
  open_outbox (f);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    assert_advised (f, &expected[i]);
  g_assert_cmpuint (server_count (f), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync/problems/advice", test_problem_advice);
  g_test_add_func ("/sync/client/answered-early", test_client_answered_early);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/sync/client/submit", test_client_submit);
  ADD ("/sync/client/keep-alive", test_client_keep_alive);
  ADD ("/sync/client/errors", test_client_errors);
  ADD ("/sync/client/too-large-repeated", test_client_too_large_repeated);
  ADD ("/sync/outbox/deliver", test_deliver);
  ADD ("/sync/outbox/signing-transaction", test_signing_transaction);
  ADD ("/sync/outbox/rejected", test_rejected);
  ADD ("/sync/outbox/wrong-token", test_wrong_token);
  ADD ("/sync/outbox/advice", test_advice);
  ADD ("/sync/outbox/revoked-token", test_revoked_token);
  ADD ("/sync/outbox/server-down-then-up", test_server_down);
  ADD ("/sync/outbox/500-then-success", test_server_error);
  ADD ("/sync/outbox/retry-after", test_retry_after);
  ADD ("/sync/outbox/slow-server", test_slow_server);
  ADD ("/sync/outbox/network-hint", test_network_hint);
  ADD ("/sync/outbox/kill-mid-upload", test_kill_mid_upload);
  ADD ("/sync/outbox/many", test_many);
  ADD ("/sync/inbox/pull", test_inbox_pull);
  ADD ("/sync/inbox/files", test_inbox_files);
  ADD ("/sync/inbox/reviews", test_inbox_reviews);
#undef ADD

  return g_test_run ();
}
