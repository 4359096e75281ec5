/* test-server-slow.c - diligence-server against slow and idle clients
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A real server in its thread, over TLS on 127.0.0.1, with the deadline
 * each test checks a few hundred milliseconds long. Each test plays one
 * kind of slow client on a raw connection: headers a byte at a time, a
 * body a byte at a time, a TLS handshake that stops, a connection kept
 * alive and left idle, an answer not taken, more connections than the
 * limit. Each must be cut off (with a 408 where a
 * request was half read), logged, and leave nothing behind: afterwards the
 * server still answers the health check and accepts a report, and this
 * process holds no more file descriptors than before (but for the
 * database's, whose connections the storage opens as it needs them).
 *
 * Nothing here asserts on time: each test waits for the event it expects
 * (the server closing, a log line), with generous bounds so that a broken
 * server fails the test instead of hanging it.
 */

#include "config.h"

#include <errno.h>
#include <libsoup/soup.h>
#include <string.h>

#include <json-glib/json-glib.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include "dlg-jws.h"
#include "dlg-sync-client.h"
#include "dlg-test-server.h"

#define SUPPLIER "BE0111111111"
#define BUYER "BE0333333333"
#define SHORT_MS 400
#define STEP_MS 100
#define SAFETY_SECONDS 30

/* ------------------------------------------------------------------------ */
/* The server's log                                                         */
/* ------------------------------------------------------------------------ */

static GMutex log_lock;
static GPtrArray *log_events;  /* "EVENT PHASE", as the server logged them */

static GLogWriterOutput
log_writer (GLogLevelFlags   level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  const char *event = NULL, *phase = "-";

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "DLG_EVENT") && fields[i].length < 0)
        event = fields[i].value;
      else if (g_str_equal (fields[i].key, "DLG_PHASE") && fields[i].length < 0)
        phase = fields[i].value;
    }
  if (event != NULL)
    {
      g_mutex_lock (&log_lock);
      g_ptr_array_add (log_events, g_strdup_printf ("%s %s", event, phase));
      g_mutex_unlock (&log_lock);
    }
  return g_log_writer_default (level, fields, n_fields, user_data);
}

static gboolean
logged (const char *entry)
{
  gboolean found = FALSE;

  g_mutex_lock (&log_lock);
  for (guint i = 0; i < log_events->len && !found; i++)
    found = g_str_equal (g_ptr_array_index (log_events, i), entry);
  g_mutex_unlock (&log_lock);
  return found;
}

/* ------------------------------------------------------------------------ */
/* Fixture                                                                  */
/* ------------------------------------------------------------------------ */

typedef struct
{
  DlgTestServer       *ts;
  DlgTestOrganisation *supplier;
  DlgTestOrganisation *buyer;
  guint                fds;       /* open in this process once warmed up */
} Fixture;

typedef struct
{
  guint handshake;
  guint headers;
  guint body;
  guint idle;
  guint max_connections;
  guint64 max_body_size;   /* 0 for the default */
} Limits;

/* Each test makes the deadline it checks short; the others stay long
 * enough for the health checks on a busy machine. */
#define LONG_MS 10000
/* Handshakes are slow under sanitizers: a little more room for the
 * health checks' own. */
static const Limits short_handshake = { 2 * SHORT_MS, LONG_MS, LONG_MS, LONG_MS, 100 };
static const Limits short_headers = { LONG_MS, SHORT_MS, LONG_MS, LONG_MS, 100 };
static const Limits short_body = { LONG_MS, LONG_MS, SHORT_MS, LONG_MS, 100 };
static const Limits short_idle = { LONG_MS, LONG_MS, LONG_MS, SHORT_MS, 100 };
/* And room for a large answer to publish. */
static const Limits short_idle_large = { LONG_MS, LONG_MS, LONG_MS, SHORT_MS, 100, 48 * 1024 * 1024 };
/* For the connection limit: clients that stay a while. */
static const Limits few = { 60000, 60000, 60000, 60000, 3 };

/* The files this process holds open, but the database's: the storage
 * opens a connection to it per reader thread as it needs them. */
static const char *database_dir;

static guint
count_fds (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  const char *name;
  guint n = 0;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *path = g_build_filename ("/proc/self/fd", name, NULL);
      g_autofree char *target = g_file_read_link (path, NULL);

      if (target == NULL || database_dir == NULL || !g_str_has_prefix (target, database_dir))
        n++;
    }
  return n;
}

/* The server learns of closed connections as its loop gets to them: wait
 * for the count to come down, never for ever. */
static guint
wait_for_fds (guint (*count) (void),
              guint   expected)
{
  guint n = count ();

  for (guint i = 0; i < 200 && n > expected; i++)
    {
      g_usleep (50000);
      n = count ();
    }
  return n;
}

static void
check_healthy (Fixture *f)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("tls-database", f->ts->trust,
                                                                   "timeout", SAFETY_SECONDS, NULL);
  g_autofree char *health_uri = g_strconcat (f->ts->url, "/api/v1/health", NULL);
  g_autofree char *reports_uri = g_strconcat (f->ts->url, "/api/v1/reports", NULL);
  g_autofree char *auth = g_strconcat ("Bearer ", f->supplier->token, NULL);
  g_autofree char *id = dlg_test_uuid ();
  const char *recipients[] = { BUYER, NULL };
  g_autofree char *payload = dlg_test_report_payload (id, SUPPLIER, recipients, 2000);
  g_autofree char *jws = dlg_test_sign (f->supplier->key, DLG_JWS_TYP_REPORT, payload);
  g_autoptr(SoupMessage) health = soup_message_new ("GET", health_uri);
  g_autoptr(SoupMessage) submit = soup_message_new ("POST", reports_uri);
  g_autoptr(GBytes) body = g_bytes_new (jws, strlen (jws));
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;

  /* A connection each: the server may close an idle one at any moment. */
  soup_message_add_flags (health, SOUP_MESSAGE_NEW_CONNECTION);
  soup_message_add_flags (submit, SOUP_MESSAGE_NEW_CONNECTION);
  answer = soup_session_send_and_read (session, health, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (health), ==, 200);
  g_clear_pointer (&answer, g_bytes_unref);

  soup_message_headers_replace (soup_message_get_request_headers (submit), "Authorization", auth);
  soup_message_set_request_body_from_bytes (submit, "application/jose", body);
  answer = soup_session_send_and_read (session, submit, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (submit), ==, 201);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  const Limits *limits = data;
  guint sockets;

  g_mutex_lock (&log_lock);
  g_ptr_array_set_size (log_events, 0);
  g_mutex_unlock (&log_lock);

  f->ts = dlg_test_server_new ();
  f->ts->handshake_timeout = limits->handshake;
  f->ts->header_timeout = limits->headers;
  f->ts->body_timeout = limits->body;
  /* The body deadline is the body timeout alone, for the small bodies
   * sent here. */
  f->ts->min_body_rate = 1000 * 1000;
  f->ts->idle_timeout = limits->idle;
  f->ts->max_connections = limits->max_connections;
  if (limits->max_body_size > 0)
    f->ts->max_body_size = limits->max_body_size;
  dlg_test_server_start (f->ts);
  database_dir = f->ts->dir;
  f->supplier = dlg_test_server_add_organisation (f->ts, SUPPLIER, DLG_SERVER_ROLE_SUPPLIER);
  f->buyer = dlg_test_server_add_organisation (f->ts, BUYER, DLG_SERVER_ROLE_BUYER);

  /* Warm up, so that the database's connections are open, and wait for
   * that client's connection to close on the server's side too. */
  sockets = dlg_test_count_sockets ();
  check_healthy (f);
  g_assert_cmpuint (wait_for_fds (dlg_test_count_sockets, sockets), ==, sockets);
  f->fds = count_fds ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  database_dir = NULL;
  dlg_test_organisation_free (f->supplier);
  dlg_test_organisation_free (f->buyer);
  dlg_test_server_free (f->ts);
}

/* After each case: still serving, and nothing left open. */
static void
assert_recovered (Fixture *f)
{
  check_healthy (f);
  g_assert_cmpuint (wait_for_fds (count_fds, f->fds), <=, f->fds);
}

/* ------------------------------------------------------------------------ */
/* Raw clients                                                              */
/* ------------------------------------------------------------------------ */

static GSocketConnection *
connect_tcp (Fixture *f)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;
  GSocketConnection *tcp = g_socket_client_connect_to_host (client, "127.0.0.1", f->ts->port, NULL, &error);

  g_assert_no_error (error);
  /* Nothing here may wait for ever: a hang fails the test. */
  g_socket_set_timeout (g_socket_connection_get_socket (tcp), SAFETY_SECONDS);
  return tcp;
}

static GIOStream *
connect_tls (Fixture            *f,
             GSocketConnection **tcp_out,
             GError            **error)
{
  g_autoptr(GSocketConnection) tcp = connect_tcp (f);
  g_autoptr(GSocketConnectable) server = g_network_address_new ("127.0.0.1", f->ts->port);
  g_autoptr(GIOStream) tls = NULL;

  tls = G_IO_STREAM (g_tls_client_connection_new (G_IO_STREAM (tcp), server, error));
  g_assert_nonnull (tls);
  g_tls_connection_set_database (G_TLS_CONNECTION (tls), f->ts->trust);
  if (!g_tls_connection_handshake (G_TLS_CONNECTION (tls), NULL, error))
    return NULL;
  if (tcp_out != NULL)
    *tcp_out = g_object_ref (tcp);
  return g_steal_pointer (&tls);
}

/* Reads until the server closes; what it said on the way. */
static GString *
read_to_end (GIOStream *stream)
{
  GString *text = g_string_new (NULL);
  char buffer[4096];
  gssize n;

  while ((n = g_input_stream_read (g_io_stream_get_input_stream (stream), buffer, sizeof buffer, NULL, NULL)) > 0)
    g_string_append_len (text, buffer, n);
  return text;
}

/* Reads one whole answer (headers and a body of Content-Length bytes). */
static GString *
read_answer (GIOStream *stream)
{
  GString *text = g_string_new (NULL);
  const char *end, *length;
  char buffer[4096];
  gssize n;

  while ((end = strstr (text->str, "\r\n\r\n")) == NULL ||
         text->len < (gsize) (end - text->str) + 4 +
                     ((length = strstr (text->str, "Content-Length: ")) ? g_ascii_strtoull (length + 16, NULL, 10) : 0))
    {
      n = g_input_stream_read (g_io_stream_get_input_stream (stream), buffer, sizeof buffer, NULL, NULL);
      g_assert_cmpint (n, >, 0);
      g_string_append_len (text, buffer, n);
    }
  return text;
}

/* Sends @data one byte every STEP_MS until the server has something to say
 * (or the bytes run out, which must not happen); returns what it said, up
 * to its closing the connection. */
static GString *
trickle (GIOStream         *stream,
         GSocketConnection *tcp,
         const char        *data)
{
  GSocket *socket = g_socket_connection_get_socket (tcp);
  GOutputStream *out = g_io_stream_get_output_stream (stream);

  for (const char *p = data; *p; p++)
    {
      g_autoptr(GError) error = NULL;

      if (!g_output_stream_write_all (out, p, 1, NULL, NULL, &error))
        break;
      if (g_socket_condition_timed_wait (socket, G_IO_IN, STEP_MS * 1000, NULL, NULL))
        break;
    }
  return read_to_end (stream);
}

static void
assert_408 (GString *answer)
{
  if (!g_str_has_prefix (answer->str, "HTTP/1.1 408 "))
    g_error ("Expected a 408, got: %s", answer->str);
  g_assert_nonnull (strstr (answer->str, "Connection: close\r\n"));
  /* Nothing after it. */
  g_assert_true (g_str_has_suffix (answer->str, "Content-Length: 0\r\nConnection: close\r\n\r\n"));
}

/* Enough header lines to outlast any deadline a byte at a time. */
static char *
endless_headers (const char *request_line)
{
  GString *text = g_string_new (request_line);

  g_string_append (text, "Host: 127.0.0.1\r\n");
  for (guint i = 0; i < 100; i++)
    g_string_append_printf (text, "X-Slow-%u: %s\r\n", i, "a slow client sends its headers a byte at a time");
  return g_string_free (text, FALSE);
}

/* ------------------------------------------------------------------------ */
/* Tests                                                                    */
/* ------------------------------------------------------------------------ */

static void
test_slow_headers (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GSocketConnection) tcp = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GIOStream) stream = connect_tls (f, &tcp, &error);
  g_autofree char *headers = endless_headers ("GET /api/v1/health HTTP/1.1\r\n");
  g_autoptr(GString) answer = NULL;

  g_assert_no_error (error);
  answer = trickle (stream, tcp, headers);
  assert_408 (answer);
  g_assert_true (logged ("timeout headers"));
  g_io_stream_close (stream, NULL, NULL);
  g_clear_object (&stream);
  g_clear_object (&tcp);

  assert_recovered (f);
}

/* The next request on a kept-alive connection has its own deadline, from
 * its first byte: cut off with a 408 once its first line is in, without a
 * word before (libsoup has not started a request yet). */
static void
test_slow_second_request (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GSocketConnection) tcp = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GIOStream) stream = NULL;
  static const char first[] = "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  static const char line[] = "GET /api/v1/health HTTP/1.1\r\n";
  g_autofree char *headers = endless_headers ("");

  for (guint with_line = 0; with_line < 2; with_line++)
    {
      g_autoptr(GString) answer = NULL;
      g_autoptr(GString) ok = NULL;

      g_clear_object (&stream);
      g_clear_object (&tcp);
      stream = connect_tls (f, &tcp, &error);
      g_assert_no_error (error);
      g_output_stream_write_all (g_io_stream_get_output_stream (stream), first, strlen (first), NULL, NULL, &error);
      g_assert_no_error (error);
      ok = read_answer (stream);
      g_assert_true (g_str_has_prefix (ok->str, "HTTP/1.1 200 "));

      if (with_line)
        {
          g_output_stream_write_all (g_io_stream_get_output_stream (stream), line, strlen (line), NULL, NULL, &error);
          g_assert_no_error (error);
          answer = trickle (stream, tcp, headers);
          assert_408 (answer);
        }
      else
        {
          g_autofree char *all = g_strconcat (line, headers, NULL);

          answer = trickle (stream, tcp, all);
          g_assert_cmpstr (answer->str, ==, "");
        }
      g_io_stream_close (stream, NULL, NULL);
    }
  g_assert_true (logged ("timeout headers"));
  g_assert_false (logged ("timeout idle"));
  g_clear_object (&stream);
  g_clear_object (&tcp);

  assert_recovered (f);
}

static void
test_slow_body (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GSocketConnection) tcp = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GIOStream) stream = connect_tls (f, &tcp, &error);
  g_autofree char *id = dlg_test_uuid ();
  const char *recipients[] = { BUYER, NULL };
  g_autofree char *payload = dlg_test_report_payload (id, SUPPLIER, recipients, 2000);
  g_autofree char *jws = dlg_test_sign (f->supplier->key, DLG_JWS_TYP_REPORT, payload);
  g_autofree char *head = NULL;
  g_autoptr(GString) answer = NULL;
  g_autoptr(DlgServerDocument) doc = NULL;
  g_autoptr(GError) missing = NULL;

  g_assert_no_error (error);
  head = g_strdup_printf ("POST /api/v1/reports HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"
                          "Content-Type: application/jose\r\nContent-Length: %" G_GSIZE_FORMAT "\r\n\r\n",
                          f->supplier->token, strlen (jws));
  g_output_stream_write_all (g_io_stream_get_output_stream (stream), head, strlen (head), NULL, NULL, &error);
  g_assert_no_error (error);

  /* The whole body is never sent, so the deadline must come first. */
  answer = trickle (stream, tcp, jws);
  assert_408 (answer);
  g_assert_true (logged ("timeout body"));
  g_io_stream_close (stream, NULL, NULL);
  g_clear_object (&stream);
  g_clear_object (&tcp);

  /* Nothing stored, and the request left the in-flight count. */
  doc = dlg_server_storage_get_document (f->ts->storage, DLG_SERVER_DOCUMENT_REPORT, id, BUYER, &missing);
  g_assert_null (doc);
  g_assert_nonnull (missing);
  g_assert_cmpuint (dlg_server_get_in_flight (f->ts->server), ==, 0);

  assert_recovered (f);
}

static void
test_idle (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GSocketConnection) tcp = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GIOStream) stream = connect_tls (f, &tcp, &error);
  static const char request[] = "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  g_autoptr(GString) answer = NULL;

  g_assert_no_error (error);
  g_output_stream_write_all (g_io_stream_get_output_stream (stream), request, strlen (request), NULL, NULL, &error);
  g_assert_no_error (error);

  /* One answer, kept alive; then nothing from us until the server closes,
   * without a word: no request was under way. */
  answer = read_to_end (stream);
  g_assert_true (g_str_has_prefix (answer->str, "HTTP/1.1 200 "));
  g_assert_null (strstr (answer->str, "Connection: close"));
  g_assert_null (strstr (answer->str, "HTTP/1.1 408"));
  g_assert_true (logged ("timeout idle"));
  g_io_stream_close (stream, NULL, NULL);
  g_clear_object (&stream);
  g_clear_object (&tcp);

  assert_recovered (f);
}

/* A client that asks for a large answer and does not read it: once the
 * sockets' buffers are full, the server cannot write, and the client has
 * idle-timeout to take the rest. The answer is a questionnaire padded with
 * white space to 8 MB more than a socket's send buffer may grow to (4 MB
 * by default), fetched on a connection with a small receive buffer. */
static void
test_slow_reader (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "valid", "scoring.json", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GString) padded = g_string_new ("{");
  g_autoptr(SoupSession) session = soup_session_new_with_options ("tls-database", f->ts->trust,
                                                                   "timeout", SAFETY_SECONDS, NULL);
  g_autofree char *uri = g_strconcat (f->ts->url, "/api/v1/questionnaires", NULL);
  g_autofree char *auth = g_strconcat ("Bearer ", f->buyer->token, NULL);
  g_autoptr(SoupMessage) publish = soup_message_new ("POST", uri);
  g_autoptr(GBytes) body = NULL, answer = NULL;
  g_autoptr(JsonNode) receipt = NULL;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketConnection) tcp = NULL;
  g_autoptr(GSocketConnectable) server = g_network_address_new ("127.0.0.1", f->ts->port);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, f->ts->port);
  g_autoptr(GIOStream) tls = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *request = NULL;
  g_autoptr(GString) got = NULL;
  const char *brace;
  g_autofree char *wmem = NULL;
  g_auto(GStrv) wmem_values = NULL;
  guint64 send_buffer = 4 * 1024 * 1024;

  /* Larger than a socket's send buffer may grow. */
  if (g_file_get_contents ("/proc/sys/net/ipv4/tcp_wmem", &wmem, NULL, NULL) &&
      g_strv_length (wmem_values = g_strsplit_set (g_strstrip (wmem), " \t", -1)) >= 3)
    send_buffer = g_ascii_strtoull (wmem_values[g_strv_length (wmem_values) - 1], NULL, 10);
  if (send_buffer > 32 * 1024 * 1024)
    {
      g_test_skip ("Sockets' send buffers may grow beyond 32 MB here (net.ipv4.tcp_wmem)");
      return;
    }

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  brace = strchr (text, '{');
  g_assert_nonnull (brace);
  for (guint i = 0; i < (send_buffer + 8 * 1024 * 1024) / 1024; i++)
    g_string_append_printf (padded, "%1023s\n", "");
  g_string_append (padded, brace + 1);
  body = g_string_free_to_bytes (g_steal_pointer (&padded));

  soup_message_headers_replace (soup_message_get_request_headers (publish), "Authorization", auth);
  soup_message_set_request_body_from_bytes (publish, "application/json", body);
  answer = soup_session_send_and_read (session, publish, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (publish), ==, 201);
  receipt = json_from_string (g_bytes_get_data (answer, NULL), &error);
  g_assert_no_error (error);
  /* With its kept-alive connection, which the count of files must not see. */
  g_clear_object (&session);

  /* A receive buffer of a few kilobytes, set before connecting so that
   * the window the server sees stays small. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_set_option (socket, SOL_SOCKET, SO_RCVBUF, 4096, &error);
  g_assert_no_error (error);
  g_socket_set_timeout (socket, SAFETY_SECONDS);
  g_socket_connect (socket, address, NULL, &error);
  g_assert_no_error (error);
  tcp = g_socket_connection_factory_create_connection (socket);
  tls = G_IO_STREAM (g_tls_client_connection_new (G_IO_STREAM (tcp), server, &error));
  g_assert_no_error (error);
  g_tls_connection_set_database (G_TLS_CONNECTION (tls), f->ts->trust);
  g_tls_connection_handshake (G_TLS_CONNECTION (tls), NULL, &error);
  g_assert_no_error (error);

  request = g_strdup_printf ("GET /api/v1/questionnaires/%s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                             "Authorization: %s\r\n\r\n",
                             json_object_get_string_member (json_node_get_object (receipt), "sha256"), auth);
  g_output_stream_write_all (g_io_stream_get_output_stream (tls), request, strlen (request), NULL, NULL, &error);
  g_assert_no_error (error);

  /* Read nothing until the server gave up on us, then what is left. */
  for (guint i = 0; i < SAFETY_SECONDS * 10 && !logged ("timeout answering"); i++)
    g_usleep (100000);
  g_assert_true (logged ("timeout answering"));
  got = read_to_end (tls);
  g_test_message ("%" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT " bytes arrived", got->len, g_bytes_get_size (body));
  g_assert_true (g_str_has_prefix (got->str, "HTTP/1.1 200 "));
  g_assert_cmpuint (got->len, <, g_bytes_get_size (body));
  g_io_stream_close (tls, NULL, NULL);
  g_clear_object (&tls);
  g_clear_object (&tcp);
  g_socket_close (socket, NULL);

  assert_recovered (f);
}

/* A client that opens a connection and then says nothing, or stops in the
 * middle of its ClientHello. */
static void
test_handshake (Fixture       *f,
                gconstpointer  data)
{
  static const guint8 hello[] = {
    0x16, 0x03, 0x01, 0x02, 0x00,       /* handshake record, 512 bytes */
    0x01, 0x00, 0x01, 0xfc,             /* ClientHello, 508 bytes */
    0x03, 0x03,                         /* TLS 1.2 */
  };
  const gsize cuts[] = { 0, sizeof hello };

  for (guint i = 0; i < G_N_ELEMENTS (cuts); i++)
    {
      g_autoptr(GSocketConnection) tcp = connect_tcp (f);
      GSocket *socket = g_socket_connection_get_socket (tcp);
      g_autoptr(GError) error = NULL;
      char buffer[64];
      gssize n;

      if (cuts[i] > 0)
        g_socket_send (socket, (const char *) hello, cuts[i], NULL, &error);
      g_assert_no_error (error);

      /* The server closes it: the end of the stream (or a reset, if it
       * closed with our bytes unread). */
      n = g_socket_receive (socket, buffer, sizeof buffer, NULL, &error);
      if (n < 0 && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED))
        g_error ("Expected the server to close the connection, got: %s", error->message);
      g_assert_cmpint (n, <=, 0);
      g_socket_close (socket, NULL);
    }
  g_assert_true (logged ("timeout handshake"));

  assert_recovered (f);
}

static gboolean
read_connections (gpointer data)
{
  Fixture *f = ((gpointer *) data)[0];
  guint *open = ((gpointer *) data)[1];

  *open = dlg_server_limits_get_connections (dlg_server_get_limits (f->ts->server));
  return G_SOURCE_REMOVE;
}

static guint
server_connections (Fixture *f)
{
  guint open = 0;
  gpointer data[] = { f, &open };

  dlg_test_server_invoke (f->ts, read_connections, data);
  return open;
}

static void
got_result_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
test_connection_limit (Fixture       *f,
                       gconstpointer  data)
{
  GIOStream *held[3] = { NULL, };
  g_autoptr(GIOStream) extra = NULL;
  g_autoptr(GError) error = NULL;
  static const char request[] = "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

  /* Three clients hold a connection each, the limit. */
  for (guint i = 0; i < G_N_ELEMENTS (held); i++)
    {
      held[i] = connect_tls (f, NULL, &error);
      g_assert_no_error (error);
    }
  for (guint i = 0; i < 200 && server_connections (f) < G_N_ELEMENTS (held); i++)
    g_usleep (10000);
  g_assert_cmpuint (server_connections (f), ==, G_N_ELEMENTS (held));

  /* A fourth is closed before its handshake. */
  extra = connect_tls (f, NULL, &error);
  g_assert_null (extra);
  g_assert_nonnull (error);
  g_test_message ("The fourth connection: %s", error->message);
  g_clear_error (&error);
  g_assert_true (logged ("connection-limit -"));

  /* The app's client is told the server is out of reach for now, not that
   * its identity could not be verified. */
  {
    g_autoptr(DlgSyncClient) client = dlg_sync_client_new (f->ts->url, f->supplier->token, &error);
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(DlgSyncAccount) account = NULL;

    g_assert_no_error (error);
    dlg_sync_client_set_tls_database (client, f->ts->trust);
    dlg_sync_client_get_account_async (client, NULL, got_result_cb, &result);
    while (result == NULL)
      g_main_context_iteration (NULL, TRUE);
    account = dlg_sync_client_get_account_finish (client, result, &error);
    g_assert_null (account);
    g_test_message ("The app's client: %s", error->message);
    g_assert_error (error, DLG_SYNC_ERROR, DLG_SYNC_ERROR_NETWORK);
    g_clear_error (&error);
  }

  /* The others are still served. */
  for (guint i = 0; i < G_N_ELEMENTS (held); i++)
    {
      g_output_stream_write_all (g_io_stream_get_output_stream (held[i]), request, strlen (request), NULL, NULL,
                                 &error);
      g_assert_no_error (error);
      {
        g_autoptr(GString) answer = read_answer (held[i]);

        g_assert_true (g_str_has_prefix (answer->str, "HTTP/1.1 200 "));
      }
    }

  /* One leaves; a new client gets in again. */
  g_io_stream_close (held[0], NULL, NULL);
  g_clear_object (&held[0]);
  for (guint i = 0; i < 200 && server_connections (f) >= G_N_ELEMENTS (held); i++)
    g_usleep (10000);
  g_assert_cmpuint (server_connections (f), <, G_N_ELEMENTS (held));
  extra = connect_tls (f, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_write_all (g_io_stream_get_output_stream (extra), request, strlen (request), NULL, NULL, &error);
  g_assert_no_error (error);
  {
    g_autoptr(GString) answer = read_answer (extra);

    g_assert_true (g_str_has_prefix (answer->str, "HTTP/1.1 200 "));
  }
  g_assert_true (logged ("connection-limit-over -"));
  g_io_stream_close (extra, NULL, NULL);

  for (guint i = 1; i < G_N_ELEMENTS (held); i++)
    {
      g_io_stream_close (held[i], NULL, NULL);
      g_clear_object (&held[i]);
    }
  /* The health check takes two connections. */
  for (guint i = 0; i < 1000 && server_connections (f) > 0; i++)
    g_usleep (10000);
  g_assert_cmpuint (server_connections (f), ==, 0);
  assert_recovered (f);
}

/* The default limit leaves room for everything else under a low limit on
 * open files; in a subprocess, since that limit stays. */
static void
test_default_limit (void)
{
  if (g_test_subprocess ())
    {
      struct rlimit limit = { 200, 200 };

      g_assert_cmpint (setrlimit (RLIMIT_NOFILE, &limit), ==, 0);
      g_assert_cmpuint (dlg_server_limits_default_max_connections (), ==, 200 - 64);
      limit.rlim_cur = limit.rlim_max = 100;
      g_assert_cmpint (setrlimit (RLIMIT_NOFILE, &limit), ==, 0);
      g_assert_cmpuint (dlg_server_limits_default_max_connections (), ==, 50);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

int
main (int    argc,
      char **argv)
{
  log_events = g_ptr_array_new_with_free_func (g_free);
  g_log_set_writer_func (log_writer, NULL, NULL);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func, data) \
  g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)
  ADD ("/server-slow/headers", test_slow_headers, &short_headers);
  ADD ("/server-slow/second-request", test_slow_second_request, &short_headers);
  ADD ("/server-slow/body", test_slow_body, &short_body);
  ADD ("/server-slow/idle", test_idle, &short_idle);
  ADD ("/server-slow/slow-reader", test_slow_reader, &short_idle_large);
  ADD ("/server-slow/handshake", test_handshake, &short_handshake);
  ADD ("/server-slow/connection-limit", test_connection_limit, &few);
#undef ADD
  g_test_add_func ("/server-slow/default-limit", test_default_limit);

  return g_test_run ();
}
