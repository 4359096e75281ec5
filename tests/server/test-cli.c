/* test-cli.c - diligence-server as a program: admin commands, serving,
 * SIGTERM and kill -9
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>

#include "dlg-core.h"
#include "dlg-test-server.h"

#define SUPPLIER "BE0111111111"
#define BUYER "BE0333333333"
#define WAIT_MS 20000

typedef struct
{
  char *dir;
  char *database;
  char *program;
  char *config;   /* given to serve with --config, if set */
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = g_dir_make_tmp ("dlg-cli-XXXXXX", NULL);
  f->database = g_build_filename (f->dir, "server.sqlite", NULL);
  f->program = g_test_build_filename (G_TEST_BUILT, "..", "src", "server", "diligence-server", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  dlg_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->database);
  g_free (f->program);
  g_free (f->config);
}

/* Runs an admin command; returns its exit status. */
static int
admin (Fixture     *f,
       const char  *input,
       char       **out,
       char       **err,
       ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stdout_text = NULL, *stderr_text = NULL;
  const char *arg;
  va_list ap;

  g_ptr_array_add (args, f->program);
  g_ptr_array_add (args, (char *) "admin");
  g_ptr_array_add (args, (char *) "--database");
  g_ptr_array_add (args, f->database);
  va_start (ap, err);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  child = g_subprocess_newv ((const char * const *) args->pdata,
                             G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                             G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (child, input ? input : "", NULL, &stdout_text, &stderr_text, &error);
  g_assert_no_error (error);
  if (out != NULL)
    *out = g_steal_pointer (&stdout_text);
  if (err != NULL)
    *err = g_steal_pointer (&stderr_text);
  return g_subprocess_get_exit_status (child);
}

static void
test_admin (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *out = NULL, *err = NULL, *token = NULL, *token_id = NULL;
  g_autofree char *jwk_path = g_build_filename (f->dir, "key.jwk", NULL);
  g_autofree char *pem_path = g_build_filename (f->dir, "key.pem", NULL);
  g_autofree char *private_path = g_build_filename (f->dir, "private.pem", NULL);
  g_autofree char *jwk = NULL, *pem = NULL, *private_pem = NULL, *pem2 = NULL;
  g_autoptr(DlgKey) key = NULL, key2 = NULL, key3 = NULL;
  g_autoptr(GError) error = NULL;

  key = dlg_key_generate (&error);
  key2 = dlg_key_generate (&error);
  key3 = dlg_key_generate (&error);
  g_assert_no_error (error);
  jwk = dlg_key_to_public_jwk (key);
  pem = dlg_key_to_public_pem (key2);
  pem2 = dlg_key_to_public_pem (key3);
  private_pem = dlg_key_to_private_pem (key2, &error);
  g_assert_no_error (error);
  g_file_set_contents (jwk_path, jwk, -1, &error);
  g_file_set_contents (pem_path, pem, -1, &error);
  g_file_set_contents (private_path, private_pem, -1, &error);
  g_assert_no_error (error);

  /* Organisations: ids written any usual way become one spelling. */
  g_assert_cmpint (admin (f, NULL, &out, NULL, "org", "add", "BE 0111.111.111", "--name", "Acme SA",
                          "--roles", "supplier", NULL), ==, 0);
  g_assert_cmpstr (out, ==, SUPPLIER "\n");
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (admin (f, NULL, NULL, NULL, "org", "add", BUYER, "--name", "City", "--roles", "buyer", NULL), ==, 0);
  g_assert_cmpint (admin (f, NULL, NULL, &err, "org", "add", BUYER, "--name", "City", "--roles", "buyer", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "already"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (admin (f, NULL, NULL, &err, "org", "add", "FR1", "--name", "X", "--roles", "boss", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "boss"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (admin (f, NULL, NULL, NULL, "org", "add", "FR1", "--name", "X", NULL), ==, 2);
  g_assert_cmpint (admin (f, NULL, NULL, NULL, "org", "set-roles", SUPPLIER, "supplier,signatory", NULL), ==, 0);
  g_assert_cmpint (admin (f, NULL, NULL, NULL, "org", "rename", SUPPLIER, "Acme", NULL), ==, 0);
  g_assert_cmpint (admin (f, NULL, NULL, NULL, "org", "rename", "NOBODY", "X", NULL), ==, 1);
  g_assert_cmpint (admin (f, NULL, &out, NULL, "org", "list", NULL), ==, 0);
  g_assert_nonnull (strstr (out, SUPPLIER "\tsupplier,signatory\tAcme\n"));
  g_assert_nonnull (strstr (out, BUYER "\tbuyer\tCity\n"));
  g_clear_pointer (&out, g_free);

  /* Tokens: shown once, listed by id, revocable. */
  g_assert_cmpint (admin (f, NULL, &token, NULL, "token", "create", SUPPLIER, "--label", "laptop", NULL), ==, 0);
  g_strstrip (token);
  g_assert_true (g_str_has_prefix (token, "dlg1."));
  token_id = g_strndup (token + 5, 12);
  g_assert_cmpint (admin (f, NULL, NULL, NULL, "token", "create", "NOBODY", NULL), ==, 1);
  g_assert_cmpint (admin (f, NULL, &out, NULL, "token", "list", NULL), ==, 0);
  g_assert_nonnull (strstr (out, token_id));
  g_assert_nonnull (strstr (out, "valid"));
  g_assert_null (strstr (out, strrchr (token, '.') + 1));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (admin (f, NULL, NULL, NULL, "token", "revoke", token_id, NULL), ==, 0);
  g_assert_cmpint (admin (f, NULL, NULL, NULL, "token", "revoke", "unknown", NULL), ==, 1);
  g_assert_cmpint (admin (f, NULL, &out, NULL, "token", "list", SUPPLIER, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "revoked"));
  g_clear_pointer (&out, g_free);

  /* Keys: JWK, PEM, standard input; never a private key; once. */
  g_assert_cmpint (admin (f, NULL, &out, NULL, "key", "add", SUPPLIER, jwk_path, NULL), ==, 0);
  g_assert_cmpstr (g_strstrip (out), ==, dlg_key_get_id (key));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (admin (f, NULL, NULL, NULL, "key", "add", SUPPLIER, pem_path, NULL), ==, 0);
  g_assert_cmpint (admin (f, pem2, NULL, NULL, "key", "add", BUYER, "-", NULL), ==, 0);
  g_assert_cmpint (admin (f, NULL, NULL, NULL, "key", "add", BUYER, jwk_path, NULL), ==, 1);
  g_assert_cmpint (admin (f, NULL, NULL, &err, "key", "add", SUPPLIER, private_path, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "private"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (admin (f, "not a key", NULL, NULL, "key", "add", SUPPLIER, "-", NULL), ==, 1);
  g_assert_cmpint (admin (f, NULL, NULL, NULL, "key", "revoke", dlg_key_get_id (key), NULL), ==, 0);
  g_assert_cmpint (admin (f, NULL, &out, NULL, "key", "list", SUPPLIER, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "revoked"));
  g_assert_nonnull (strstr (out, dlg_key_get_id (key2)));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (admin (f, NULL, NULL, NULL, "nothing", NULL), ==, 2);
  g_assert_cmpint (admin (f, NULL, &out, NULL, "--help", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "token create"));
}

/* A server process, and the port it said it listens on. */
typedef struct
{
  GSubprocess      *child;
  GDataInputStream *err;
  guint16           port;
  char             *listening;   /* the line that said where */
} Serving;

static void
serve (Fixture    *f,
       Serving    *s,
       const char *certificate,
       const char *key)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) args = g_ptr_array_new ();

  g_ptr_array_add (args, f->program);
  g_ptr_array_add (args, (char *) "serve");
  g_ptr_array_add (args, (char *) "--database");
  g_ptr_array_add (args, f->database);
  g_ptr_array_add (args, (char *) "--listen");
  g_ptr_array_add (args, (char *) "127.0.0.1:0");
  if (f->config != NULL)
    {
      g_ptr_array_add (args, (char *) "--config");
      g_ptr_array_add (args, f->config);
    }
  if (certificate != NULL)
    {
      g_ptr_array_add (args, (char *) "--certificate");
      g_ptr_array_add (args, (char *) certificate);
      g_ptr_array_add (args, (char *) "--key");
      g_ptr_array_add (args, (char *) key);
    }
  g_ptr_array_add (args, NULL);

  s->child = g_subprocess_newv ((const char * const *) args->pdata, G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  s->err = g_data_input_stream_new (g_subprocess_get_stderr_pipe (s->child));

  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (s->err, NULL, NULL, &error);
      const char *at;

      g_assert_no_error (error);
      g_assert_nonnull (line);
      if ((at = strstr (line, "Listening on ")) != NULL)
        {
          at = strstr (at, "127.0.0.1:");
          g_assert_nonnull (at);
          s->port = atoi (at + strlen ("127.0.0.1:"));
          s->listening = g_steal_pointer (&line);
          break;
        }
    }
  g_assert_cmpuint (s->port, >, 0);
}

/* Reads the server's log to the end; returns it. */
static char *
finish (Serving *s,
        int      signal_number)
{
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  char *line;

  if (signal_number != 0)
    g_subprocess_send_signal (s->child, signal_number);
  while ((line = g_data_input_stream_read_line_utf8 (s->err, NULL, NULL, NULL)) != NULL)
    {
      g_string_append_printf (log, "%s\n", line);
      g_free (line);
    }
  g_subprocess_wait (s->child, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&s->err);
  g_clear_pointer (&s->listening, g_free);
  return g_string_free (g_steal_pointer (&log), FALSE);
}

static guint
get_status (const char   *url,
            GTlsDatabase *trust,
            const char   *token)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("tls-database", trust, "timeout", 10, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  return soup_message_get_status (msg);
}

static void
test_serve (Fixture       *f,
            gconstpointer  data)
{
  Serving s = { 0 };
  g_autofree char *url = NULL, *log = NULL, *token = NULL, *me = NULL, *err = NULL;
  g_autoptr(GSubprocess) open_child = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (admin (f, NULL, NULL, NULL, "org", "add", SUPPLIER, "--name", "Acme", "--roles", "supplier", NULL), ==, 0);
  g_assert_cmpint (admin (f, NULL, &token, NULL, "token", "create", SUPPLIER, NULL), ==, 0);
  g_strstrip (token);

  serve (f, &s, NULL, NULL);
  url = g_strdup_printf ("http://127.0.0.1:%u/api/v1/health", s.port);
  me = g_strdup_printf ("http://127.0.0.1:%u/api/v1/me", s.port);
  g_assert_cmpuint (get_status (url, NULL, NULL), ==, 200);
  g_assert_cmpuint (get_status (me, NULL, token), ==, 200);
  g_assert_cmpuint (get_status (me, NULL, "dlg1.wrong"), ==, 401);

  /* A token revoked while the server runs is refused at once. */
  {
    g_autofree char *token_id = g_strndup (token + 5, 12);
    g_assert_cmpint (admin (f, NULL, NULL, NULL, "token", "revoke", token_id, NULL), ==, 0);
    g_assert_cmpuint (get_status (me, NULL, token), ==, 401);
  }

  /* A path cannot forge a log line. */
  {
    g_autofree char *forging = g_strdup_printf ("http://127.0.0.1:%u/api/v1/x%%0Aforged%%20line", s.port);
    g_assert_cmpuint (get_status (forging, NULL, NULL), ==, 404);
  }

  /* SIGTERM: a clean stop, status 0, and the log says so. */
  log = finish (&s, SIGTERM);
  g_assert_true (g_subprocess_get_if_exited (s.child));
  g_assert_cmpint (g_subprocess_get_exit_status (s.child), ==, 0);
  g_assert_nonnull (strstr (log, "Shutting down"));
  g_assert_nonnull (strstr (log, "Stopped"));
  g_assert_nonnull (strstr (log, "path=/api/v1/me status=401"));
  g_assert_null (strstr (log, token));
  g_assert_null (strstr (log, "\nforged line"));
  g_assert_nonnull (strstr (log, "\\x0aforged line"));
  g_clear_object (&s.child);

  /* Plain HTTP anywhere but loopback is refused. */
  open_child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDERR_PIPE, &error, f->program, "--database", f->database,
                                 "--listen", "0.0.0.0:0", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (open_child, NULL, NULL, NULL, &err, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (open_child), ==, 1);
  g_assert_nonnull (strstr (err, "plain HTTP"));
}

static void
test_serve_tls (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *certificate = NULL, *key = NULL, *url = NULL, *log = NULL;
  g_autoptr(GTlsDatabase) trust = NULL;
  g_autoptr(GError) error = NULL;
  Serving s = { 0 };

  dlg_test_make_certificate (f->dir, &certificate, &key);
  trust = g_tls_file_database_new (certificate, &error);
  g_assert_no_error (error);

  serve (f, &s, certificate, key);
  url = g_strdup_printf ("https://127.0.0.1:%u/api/v1/health", s.port);
  g_assert_cmpuint (get_status (url, trust, NULL), ==, 200);
  g_assert_nonnull (strstr (s.listening, "https://127.0.0.1:"));
  log = finish (&s, SIGTERM);
  g_assert_cmpint (g_subprocess_get_exit_status (s.child), ==, 0);
  g_clear_object (&s.child);
}

/* Runs the server with @args (NULL-terminated) until it exits; returns its
 * status and standard error. */
static int
run_server (Fixture  *f,
            char    **err,
            ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list ap;

  g_ptr_array_add (args, f->program);
  g_ptr_array_add (args, (char *) "--database");
  g_ptr_array_add (args, f->database);
  va_start (ap, err);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  child = g_subprocess_newv ((const char * const *) args->pdata, G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (child, NULL, NULL, NULL, err, &error);
  g_assert_no_error (error);
  return g_subprocess_get_exit_status (child);
}

/* The deadlines and the connection limit from the command line and the
 * configuration file: bad values are usage errors, good ones apply. */
static void
test_limits (Fixture       *f,
             gconstpointer  data)
{
  static const char request[] = "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  static const char half[] = "GET /api/v1/health HTTP/1.1\r\nHost: 12";
  g_autofree char *bad_config = g_build_filename (f->dir, "bad.conf", NULL);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *log = NULL;
  Serving s = { 0 };
  const char *bad[][2] = {
    { "--max-connections=0", "max-connections must be at least 1" },
    { "--idle-timeout=-5", "idle-timeout must be a number of seconds" },
    { "--min-body-rate=-1000", "min-body-rate must be a number of bytes a second" },
    { "--header-timeout=soon", "Cannot parse double value" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *err = NULL;

      g_assert_cmpint (run_server (f, &err, bad[i][0], NULL), ==, 2);
      if (strstr (err, bad[i][1]) == NULL)
        g_error ("%s: expected “%s” in: %s", bad[i][0], bad[i][1], err);
    }
  g_file_set_contents (bad_config, "[server]\nheader-timeout=soon\n", -1, &error);
  g_assert_no_error (error);
  {
    g_autofree char *err = NULL;

    g_assert_cmpint (run_server (f, &err, "--config", bad_config, NULL), ==, 2);
    g_assert_nonnull (strstr (err, "header-timeout must be a number"));
  }

  f->config = g_build_filename (f->dir, "server.conf", NULL);
  g_file_set_contents (f->config, "[server]\nidle-timeout=0.3\nheader-timeout=0.3\nmax-connections=50\n", -1,
                       &error);
  g_assert_no_error (error);
  serve (f, &s, NULL, NULL);

  /* Idle after an answer: closed without a word; half a request: 408. */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GSocketConnection) conn = g_socket_client_connect_to_host (client, "127.0.0.1", s.port, NULL,
                                                                          &error);
      g_autoptr(GString) answer = g_string_new (NULL);
      const char *text = i == 0 ? request : half;
      char buffer[4096];
      gssize n;

      g_assert_no_error (error);
      g_socket_set_timeout (g_socket_connection_get_socket (conn), 30);
      g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (conn)), text, strlen (text), NULL,
                                 NULL, &error);
      g_assert_no_error (error);
      while ((n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (conn)), buffer, sizeof buffer,
                                       NULL, NULL)) > 0)
        g_string_append_len (answer, buffer, n);
      g_assert_true (g_str_has_prefix (answer->str, i == 0 ? "HTTP/1.1 200 " : "HTTP/1.1 408 "));
      g_assert_null (strstr (answer->str, i == 0 ? "408" : "200"));
    }

  log = finish (&s, SIGTERM);
  g_assert_cmpint (g_subprocess_get_exit_status (s.child), ==, 0);
  g_clear_object (&s.child);
  g_assert_nonnull (strstr (log, "idle 0.3 s"));
  g_assert_nonnull (strstr (log, "at most 50 connections"));
  g_assert_nonnull (strstr (log, "event=timeout phase=idle"));
  g_assert_nonnull (strstr (log, "event=timeout phase=headers"));
}

typedef struct
{
  gboolean        done;
  DlgSyncReceipt *receipt;
  GError         *error;
} Sent;

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Sent *sent = user_data;

  sent->receipt = dlg_sync_client_submit_finish (DLG_SYNC_CLIENT (source), result, NULL, NULL, &sent->error);
  sent->done = TRUE;
}

static void
test_kill (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(DlgKey) key = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *jwk = NULL, *jwk_path = g_build_filename (f->dir, "key.jwk", NULL);
  g_autofree char *token = NULL, *url = NULL;
  g_autoptr(DlgSyncClient) client = NULL;
  g_autoptr(GPtrArray) acknowledged = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(DlgServerStorage) storage = NULL;
  g_autofree char *log = NULL;
  Serving s = { 0 };
  guint target = g_test_rand_int_range (5, 40);

  key = dlg_key_generate (&error);
  g_assert_no_error (error);
  jwk = dlg_key_to_public_jwk (key);
  g_file_set_contents (jwk_path, jwk, -1, &error);
  g_assert_cmpint (admin (f, NULL, NULL, NULL, "org", "add", SUPPLIER, "--name", "Acme", "--roles", "supplier", NULL), ==, 0);
  g_assert_cmpint (admin (f, NULL, NULL, NULL, "org", "add", BUYER, "--name", "City", "--roles", "buyer", NULL), ==, 0);
  g_assert_cmpint (admin (f, NULL, NULL, NULL, "key", "add", SUPPLIER, jwk_path, NULL), ==, 0);
  g_assert_cmpint (admin (f, NULL, &token, NULL, "token", "create", SUPPLIER, NULL), ==, 0);
  g_strstrip (token);

  serve (f, &s, NULL, NULL);
  url = g_strdup_printf ("http://127.0.0.1:%u", s.port);
  client = dlg_sync_client_new (url, token, &error);
  g_assert_no_error (error);

  /* Reports acknowledged one after another, then kill -9 at a random
   * moment: every acknowledged one must be there afterwards. */
  for (guint i = 0; i < target; i++)
    {
      g_autofree char *id = dlg_test_uuid ();
      const char *recipients[] = { BUYER, NULL };
      g_autofree char *payload = dlg_test_report_payload (id, SUPPLIER, recipients, 2000);
      g_autofree char *jws = dlg_test_sign (key, DLG_JWS_TYP_REPORT, payload);
      g_autoptr(GBytes) bytes = g_bytes_new (jws, strlen (jws));
      Sent sent = { FALSE, NULL, NULL };

      dlg_sync_client_submit_async (client, DLG_SIGNED_REPORT, bytes, NULL, sent_cb, &sent);
      for (guint n = 0; n < 100000 && !sent.done; n++)
        g_main_context_iteration (NULL, TRUE);
      g_assert_true (sent.done);
      g_assert_no_error (sent.error);
      g_ptr_array_add (acknowledged, g_strdup (sent.receipt->id));
      dlg_sync_receipt_free (sent.receipt);
    }

  log = finish (&s, SIGKILL);
  g_assert_true (g_subprocess_get_if_signaled (s.child));
  g_clear_object (&s.child);

  storage = dlg_server_storage_sqlite_open (f->database, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < acknowledged->len; i++)
    {
      g_autoptr(DlgServerDocument) doc = dlg_server_storage_get_document (storage, DLG_SERVER_DOCUMENT_REPORT,
                                                                          g_ptr_array_index (acknowledged, i),
                                                                          BUYER, &error);
      g_assert_no_error (error);
      g_assert_nonnull (doc);
    }
  dlg_server_storage_close (storage);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/cli/admin", test_admin);
  ADD ("/cli/serve", test_serve);
  ADD ("/cli/serve-tls", test_serve_tls);
  ADD ("/cli/limits", test_limits);
  ADD ("/cli/kill", test_kill);
#undef ADD

  return g_test_run ();
}
