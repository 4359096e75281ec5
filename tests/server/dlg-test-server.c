/* dlg-test-server.c - a real diligence-server in its own thread, for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The server runs in a thread with its own main context, as in production
 * it runs in its own process: the test's main context stays free for the
 * client. Its TLS certificate is made here with GnuTLS, for 127.0.0.1
 * only, and is the only certificate the client is told to trust.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <string.h>

#include "dlg-evaluation.h"
#include "dlg-file.h"
#include "dlg-json.h"
#include "dlg-jws.h"
#include "dlg-report.h"
#include "dlg-test-server.h"
#include "../test-util.h"
#include "../test-questionnaires.h"

static void
check (int         rc,
       const char *what)
{
  if (rc < 0)
    g_error ("%s: %s", what, gnutls_strerror (rc));
}

static void
write_datum (const char     *path,
             gnutls_datum_t *datum)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents_full (path, (const char *) datum->data, datum->size,
                            G_FILE_SET_CONTENTS_NONE, 0600, &error);
  g_assert_no_error (error);
  gnutls_free (datum->data);
}

/**
 * dlg_test_make_certificate:
 *
 * Writes a fresh self-signed ECDSA certificate for 127.0.0.1 (as an IP
 * address subject alternative name) and its PKCS#8 key into @dir.
 */
void
dlg_test_make_certificate (const char  *dir,
                           char       **certificate_path,
                           char       **key_path)
{
  static const guint8 loopback[4] = { 127, 0, 0, 1 };
  gnutls_x509_privkey_t key;
  gnutls_x509_crt_t crt;
  gnutls_datum_t datum;
  guint8 serial[16];
  time_t now = time (NULL);

  for (guint i = 0; i < sizeof serial; i++)
    serial[i] = g_random_int_range (0, 256);
  serial[0] &= 0x7f;

  check (gnutls_x509_privkey_init (&key), "privkey_init");
  check (gnutls_x509_privkey_generate (key, GNUTLS_PK_ECDSA,
                                       GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1), 0), "generate");
  check (gnutls_x509_crt_init (&crt), "crt_init");
  check (gnutls_x509_crt_set_version (crt, 3), "version");
  check (gnutls_x509_crt_set_serial (crt, serial, sizeof serial), "serial");
  check (gnutls_x509_crt_set_activation_time (crt, now - 3600), "activation");
  check (gnutls_x509_crt_set_expiration_time (crt, now + 2 * 86400), "expiration");
  check (gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0, "127.0.0.1", 9), "dn");
  check (gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_IPADDRESS, loopback, sizeof loopback,
                                               GNUTLS_FSAN_SET), "san");
  /* Its own trust anchor: a CA that signed itself. */
  check (gnutls_x509_crt_set_basic_constraints (crt, 1, -1), "constraints");
  check (gnutls_x509_crt_set_key_usage (crt, GNUTLS_KEY_DIGITAL_SIGNATURE | GNUTLS_KEY_KEY_CERT_SIGN), "usage");
  check (gnutls_x509_crt_set_key_purpose_oid (crt, GNUTLS_KP_TLS_WWW_SERVER, 0), "purpose");
  check (gnutls_x509_crt_set_key (crt, key), "set_key");
  check (gnutls_x509_crt_sign2 (crt, crt, key, GNUTLS_DIG_SHA256, 0), "sign");

  *certificate_path = g_build_filename (dir, "server.crt", NULL);
  *key_path = g_build_filename (dir, "server.key", NULL);

  check (gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_PEM, &datum), "export crt");
  write_datum (*certificate_path, &datum);
  check (gnutls_x509_privkey_export2_pkcs8 (key, GNUTLS_X509_FMT_PEM, NULL, GNUTLS_PKCS_PLAIN, &datum),
         "export key");
  write_datum (*key_path, &datum);

  gnutls_x509_crt_deinit (crt);
  gnutls_x509_privkey_deinit (key);
}

void
dlg_test_remove_tree (const char *path)
{
  remove_tree (path);
}

/**
 * dlg_test_count_sockets:
 *
 * Counts the sockets this process holds open: the server's and its
 * clients'. (Not all files: the storage opens a database connection per
 * reader thread as the load grows.)
 */
guint
dlg_test_count_sockets (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  const char *name;
  guint n = 0;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *path = g_build_filename ("/proc/self/fd", name, NULL);
      g_autofree char *target = g_file_read_link (path, NULL);

      if (target != NULL && g_str_has_prefix (target, "socket:"))
        n++;
    }
  return n;
}

DlgTestServer *
dlg_test_server_new (void)
{
  DlgTestServer *ts = g_new0 (DlgTestServer, 1);
  g_autoptr(GError) error = NULL;

  ts->dir = g_dir_make_tmp ("dlg-server-XXXXXX", &error);
  g_assert_no_error (error);
  ts->database = g_build_filename (ts->dir, "server.sqlite", NULL);
  dlg_test_make_certificate (ts->dir, &ts->certificate_path, &ts->key_path);

  ts->certificate = g_tls_certificate_new_from_files (ts->certificate_path, ts->key_path, &error);
  g_assert_no_error (error);
  ts->trust = g_tls_file_database_new (ts->certificate_path, &error);
  g_assert_no_error (error);

  ts->storage = dlg_server_storage_sqlite_open (ts->database, &error);
  g_assert_no_error (error);

  ts->rate_limit = 0;
  ts->rate_burst = DLG_SERVER_DEFAULT_RATE_BURST;
  ts->max_body_size = DLG_SERVER_DEFAULT_MAX_BODY_SIZE;
  ts->handshake_timeout = DLG_SERVER_DEFAULT_HANDSHAKE_TIMEOUT_MS;
  ts->header_timeout = DLG_SERVER_DEFAULT_HEADER_TIMEOUT_MS;
  ts->body_timeout = DLG_SERVER_DEFAULT_BODY_TIMEOUT_MS;
  ts->min_body_rate = DLG_SERVER_DEFAULT_MIN_BODY_RATE;
  ts->idle_timeout = DLG_SERVER_DEFAULT_IDLE_TIMEOUT_MS;
  ts->max_connections = DLG_SERVER_DEFAULT_MAX_CONNECTIONS;
  g_mutex_init (&ts->mutex);
  g_cond_init (&ts->cond);
  return ts;
}

static gpointer
server_thread (gpointer data)
{
  DlgTestServer *ts = data;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, ts->port);
  g_autoptr(GError) error = NULL;

  g_main_context_push_thread_default (ts->context);

  ts->server = dlg_server_new (ts->storage);
  g_object_set (ts->server,
                "rate-limit", ts->rate_limit,
                "rate-burst", ts->rate_burst,
                "max-body-size", ts->max_body_size,
                NULL);
  g_object_set (dlg_server_get_limits (ts->server),
                "handshake-timeout", ts->handshake_timeout,
                "header-timeout", ts->header_timeout,
                "body-timeout", ts->body_timeout,
                "min-body-rate", ts->min_body_rate,
                "idle-timeout", ts->idle_timeout,
                "max-connections", ts->max_connections,
                NULL);
  dlg_server_listen (ts->server, G_INET_SOCKET_ADDRESS (address), ts->certificate, &error);
  g_assert_no_error (error);
  ts->port = dlg_server_get_port (ts->server);

  g_mutex_lock (&ts->mutex);
  ts->ready = TRUE;
  g_cond_signal (&ts->cond);
  g_mutex_unlock (&ts->mutex);

  g_main_loop_run (ts->loop);

  g_clear_object (&ts->server);
  /* Let the sources of closed connections go before the context does. */
  while (g_main_context_iteration (ts->context, FALSE))
    ;
  g_main_context_pop_thread_default (ts->context);
  return NULL;
}

/**
 * dlg_test_server_start:
 *
 * Starts the server, on the port it had before if it ran already.
 */
void
dlg_test_server_start (DlgTestServer *ts)
{
  g_assert_null (ts->thread);

  ts->context = g_main_context_new ();
  ts->loop = g_main_loop_new (ts->context, FALSE);
  ts->ready = FALSE;
  ts->thread = g_thread_new ("test-server", server_thread, ts);

  g_mutex_lock (&ts->mutex);
  while (!ts->ready)
    g_cond_wait (&ts->cond, &ts->mutex);
  g_mutex_unlock (&ts->mutex);

  g_free (ts->url);
  ts->url = g_strdup_printf ("https://127.0.0.1:%u", ts->port);
}

typedef struct
{
  DlgTestServer *ts;
  GSourceFunc    func;
  gpointer       data;
  gboolean       done;
} Invocation;

static gboolean
invoke_cb (gpointer user_data)
{
  Invocation *inv = user_data;

  if (inv->func != NULL)
    inv->func (inv->data);
  g_mutex_lock (&inv->ts->mutex);
  inv->done = TRUE;
  g_cond_broadcast (&inv->ts->cond);
  g_mutex_unlock (&inv->ts->mutex);
  return G_SOURCE_REMOVE;
}

/**
 * dlg_test_server_invoke:
 *
 * Runs @func in the server's thread and waits for it to return.
 */
void
dlg_test_server_invoke (DlgTestServer *ts,
                        GSourceFunc    func,
                        gpointer       data)
{
  Invocation inv = { ts, func, data, FALSE };

  g_main_context_invoke (ts->context, invoke_cb, &inv);
  g_mutex_lock (&ts->mutex);
  while (!inv.done)
    g_cond_wait (&ts->cond, &ts->mutex);
  g_mutex_unlock (&ts->mutex);
}

static void
shutdown_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  DlgTestServer *ts = user_data;
  g_autoptr(GError) error = NULL;

  dlg_server_shutdown_finish (DLG_SERVER (source), result, &error);
  g_assert_no_error (error);
  g_main_loop_quit (ts->loop);
}

static gboolean
start_shutdown (gpointer data)
{
  DlgTestServer *ts = data;

  dlg_server_shutdown_async (ts->server, 10, NULL, shutdown_cb, ts);
  return G_SOURCE_REMOVE;
}

/**
 * dlg_test_server_stop:
 *
 * Shuts the server down as SIGTERM would: requests under way finish. The
 * storage stays open for a later start.
 */
void
dlg_test_server_stop (DlgTestServer *ts)
{
  if (ts->thread == NULL)
    return;

  dlg_test_server_invoke (ts, start_shutdown, ts);
  dlg_test_server_join (ts);
}

/**
 * dlg_test_server_join:
 *
 * Waits for the server's thread, once something quit its loop.
 */
void
dlg_test_server_join (DlgTestServer *ts)
{
  if (ts->thread == NULL)
    return;

  g_thread_join (g_steal_pointer (&ts->thread));
  g_clear_pointer (&ts->loop, g_main_loop_unref);
  g_clear_pointer (&ts->context, g_main_context_unref);
}

void
dlg_test_server_free (DlgTestServer *ts)
{
  dlg_test_server_stop (ts);
  dlg_server_storage_close (ts->storage);
  g_assert_finalize_object (ts->storage);
  g_clear_object (&ts->certificate);
  g_clear_object (&ts->trust);
  dlg_test_remove_tree (ts->dir);
  g_free (ts->dir);
  g_free (ts->database);
  g_free (ts->certificate_path);
  g_free (ts->key_path);
  g_free (ts->url);
  g_mutex_clear (&ts->mutex);
  g_cond_clear (&ts->cond);
  g_free (ts);
}

/**
 * dlg_test_server_add_organisation:
 *
 * Registers an organisation with a token and an enrolled signing key.
 */
DlgTestOrganisation *
dlg_test_server_add_organisation (DlgTestServer  *ts,
                                  const char     *id,
                                  DlgServerRoles  roles)
{
  DlgTestOrganisation *org = g_new0 (DlgTestOrganisation, 1);
  DlgServerOrganisation record = { (char *) id, (char *) id, roles, 0 };
  g_autoptr(DlgServerToken) token = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *jwk = NULL;
  DlgServerKey key = { 0 };

  dlg_server_storage_add_organisation (ts->storage, &record, &error);
  g_assert_no_error (error);

  org->id = g_strdup (id);
  org->token = dlg_server_token_generate (&token);
  token->organisation_id = g_strdup (id);
  dlg_server_storage_add_token (ts->storage, token, &error);
  g_assert_no_error (error);

  org->key = dlg_key_generate (&error);
  g_assert_no_error (error);
  jwk = dlg_key_to_public_jwk (org->key);
  key.id = (char *) dlg_key_get_id (org->key);
  key.organisation_id = (char *) id;
  key.jwk = jwk;
  dlg_server_storage_add_key (ts->storage, &key, &error);
  g_assert_no_error (error);

  return org;
}

void
dlg_test_organisation_free (DlgTestOrganisation *org)
{
  if (org == NULL)
    return;
  g_free (org->id);
  g_free (org->token);
  g_clear_object (&org->key);
  g_free (org);
}

char *
dlg_test_uuid (void)
{
  return g_uuid_string_random ();
}

static DlgQuestionnaire *
test_questionnaire (void)
{
  static DlgQuestionnaire *q;

  if (g_once_init_enter (&q))
    {
      g_once_init_leave (&q, load_questionnaire ("scoring.json"));
    }
  return q;
}

/**
 * dlg_test_report_payload:
 * @padding: make the payload at least this many bytes long
 *
 * Builds a real report with the app's report builder, on the test
 * questionnaire, with a comment long enough to reach @padding bytes, and
 * gives it @id.
 *
 * Returns: (transfer full): the payload
 */
char *
dlg_test_report_payload (const char         *id,
                         const char         *sender,
                         const char * const *recipients,
                         gsize               padding)
{
  g_autoptr(DlgAssessment) a = dlg_assessment_new (test_questionnaire ());
  g_autoptr(DlgEvaluation) ev = NULL;
  g_autoptr(GPtrArray) parties = g_ptr_array_new_with_free_func ((GDestroyNotify) dlg_party_free);
  g_autoptr(DlgReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("Organisation %s", sender);
  g_autofree char *payload = NULL;
  g_autoptr(GString) comment = g_string_new ("Checked at the assembly site during the yearly visit.");
  DlgProfile profile = { name, (char *) sender, (char *) "BE", (char *) "Ann Peeters",
                         (char *) "ann@example.org", DLG_ROLE_SUPPLIER };
  GBytes *bytes;
  char *found;

  while (comment->len + 1500 < padding)
    g_string_append (comment, " Records of working hours, wages and contracts were kept for every worker.");

  dlg_assessment_set_choice (a, "a1", "g", &error);
  g_assert_no_error (error);
  dlg_assessment_set_choice (a, "a2", "yes", &error);
  g_assert_no_error (error);
  dlg_assessment_set_comment (a, "a1", comment->str, &error);
  g_assert_no_error (error);
  ev = dlg_evaluate (a, FALSE);

  for (guint i = 0; recipients && recipients[i]; i++)
    {
      g_autofree char *recipient_name = g_strdup_printf ("Organisation %s", recipients[i]);
      g_ptr_array_add (parties, dlg_party_new (recipient_name, recipients[i]));
    }

  report = dlg_report_new (a, ev, &profile, parties, "2026", "en", NULL, NULL, &error);
  g_assert_no_error (error);

  /* The builder picks its own id: put ours in its place, same length. */
  bytes = dlg_report_get_payload (report);
  payload = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  found = strstr (payload, dlg_report_get_id (report));
  g_assert_nonnull (found);
  g_assert_cmpuint (strlen (id), ==, strlen (dlg_report_get_id (report)));
  memcpy (found, id, strlen (id));
  return g_steal_pointer (&payload);
}

char *
dlg_test_sign (DlgKey     *key,
               const char *typ,
               const char *payload)
{
  g_autoptr(GBytes) bytes = g_bytes_new (payload, strlen (payload));
  g_autoptr(GError) error = NULL;
  char *jws = dlg_jws_sign (key, typ, bytes, &error);

  g_assert_no_error (error);
  return jws;
}
