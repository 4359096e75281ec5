/* fuzz-server.c - diligence-server's request handling, end to end
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One real server runs for the whole run, in its own thread, on plain
 * HTTP at 127.0.0.1, with SQLite storage in a temporary folder that knows
 * a supplier and a buyer (each with a token and an enrolled key), a
 * revoked token and a revoked key. Each input becomes one HTTP request on
 * a new connection; the answer is read to the end and checked.
 *
 * So that the fuzzer spends its time in our handlers rather than in
 * libsoup's header parser, an input is decoded into a request:
 *
 *   byte 0  bits 0-2: the method; bits 3-5: how the body is framed
 *           (Content-Length, none, chunked, cut short, over the limit);
 *           bit 6: "Expect: 100-continue"; bit 7: send the rest as raw
 *           bytes instead (libsoup's parser and whatever gets through)
 *   byte 1  the path, from the API's routes
 *   byte 2  the Authorization header: none, valid, revoked, unknown,
 *           wrong secret, another scheme
 *   byte 3  the Content-Type
 *   byte 4  the body: as it is, or signed here as a report or review with
 *           an enrolled, a revoked or a stranger's key, or with its
 *           signature broken. The fuzzer cannot sign, so without this
 *           everything behind signature verification would stay out of
 *           reach
 *   then    a line appended to the path (bytes outside printable ASCII
 *           percent-encoded, "%" kept so that the fuzzer can encode), and
 *           the body
 *
 * The checks: the server answers every complete request, within seconds;
 * no 5xx (the storage is healthy, so not even 503); every error is an
 * RFC 9457 problem document whose type, code and status agree; 401 comes
 * with WWW-Authenticate, 405 with Allow, 429 with Retry-After; only a valid
 * token gets anything but the health check answered with 2xx, and a valid
 * token is never refused as unauthorised; a POST without Content-Length or
 * over the size limit never reaches a handler; a report acknowledged as
 * stored is in the storage. Every few hundred inputs the health check must
 * still answer.
 *
 * Each connection comes from its own address in 127.0.0.0/8, so that the
 * server's limit on failed authentications per address (which would
 * answer 429 to almost everything) does not hide the handlers. The
 * per-token rate limit is off.
 */

#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dlg-core.h"
#include "dlg-server.h"
#include "dlg-server-storage-sqlite.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

#define SUPPLIER "BE0123456789"
#define BUYER "BE0207335822"
#define MAX_BODY (32 * 1024)
#define DEADLINE_SECONDS 5
#define HEALTH_EVERY 256

/* Keys made for this target only (openssl genpkey -algorithm ed25519). */
static const char supplier_pem[] =
  "-----BEGIN PRIVATE KEY-----\n"
  "MC4CAQAwBQYDK2VwBCIEIMKToWCF/I65Mltgx+2RfTErBpoK30mi/hu8OKv3HUP8\n"
  "-----END PRIVATE KEY-----\n";
static const char buyer_pem[] =
  "-----BEGIN PRIVATE KEY-----\n"
  "MC4CAQAwBQYDK2VwBCIEIO/P3sIfRmwJFqsur7HkJFTJh9feo9yvRMRokvRhGIh8\n"
  "-----END PRIVATE KEY-----\n";
/* The supplier's old key, enrolled and then revoked. */
static const char revoked_pem[] =
  "-----BEGIN PRIVATE KEY-----\n"
  "MC4CAQAwBQYDK2VwBCIEIDGwivmKKHp0c3reUZM6HMS0YDx8VB0qXxMVmG4Du8Ph\n"
  "-----END PRIVATE KEY-----\n";

typedef struct
{
  DlgServerStorage *storage;
  DlgServer        *server;
  GMainContext     *context;
  guint16           port;
  char             *dir;

  DlgKey           *supplier_key;
  DlgKey           *buyer_key;
  DlgKey           *revoked_key;
  DlgKey           *stranger_key;
  char             *supplier_token;
  char             *buyer_token;
  char             *revoked_token;

  GMutex            mutex;
  GCond             cond;
  gboolean          ready;
  guint32           next_address;
  guint             n_inputs;
} Fixture;

static Fixture fx;

/* Not g_error(): it raises SIGTRAP, which libFuzzer does not catch, and
 * the input would be lost. */
static void G_GNUC_PRINTF (1, 2) G_GNUC_NORETURN
fail (const char *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("fuzz-server: %s\n", message);
  abort ();
}

/* ------------------------------------------------------------------------ */
/* The server                                                               */
/* ------------------------------------------------------------------------ */

static GLogWriterOutput
quiet_writer (GLogLevelFlags   level,
              const GLogField *fields,
              gsize            n_fields,
              gpointer         user_data)
{
  /* One line per request would be most of the run's time. Warnings and
   * worse go out and end the run, with abort() rather than GLib's
   * SIGTRAP, which libFuzzer does not catch: it keeps the input. */
  if (level & (G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO | G_LOG_LEVEL_DEBUG))
    return G_LOG_WRITER_HANDLED;
  g_log_writer_default (level, fields, n_fields, user_data);
  abort ();
}

static gpointer
server_thread (gpointer data)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;

  g_main_context_push_thread_default (fx.context);
  loop = g_main_loop_new (fx.context, FALSE);

  fx.server = dlg_server_new (fx.storage);
  g_object_set (fx.server, "rate-limit", 0.0, "max-body-size", (guint64) MAX_BODY, NULL);
  dlg_server_listen (fx.server, G_INET_SOCKET_ADDRESS (address), NULL, &error);
  g_assert_no_error (error);

  g_mutex_lock (&fx.mutex);
  fx.port = dlg_server_get_port (fx.server);
  fx.ready = TRUE;
  g_cond_signal (&fx.cond);
  g_mutex_unlock (&fx.mutex);

  /* Runs until the process ends. */
  g_main_loop_run (loop);
  return NULL;
}

static DlgKey *
load_key (const char *pem)
{
  g_autoptr(GError) error = NULL;
  DlgKey *key = dlg_key_new_from_pem (pem, -1, &error);

  g_assert_no_error (error);
  return key;
}

static void
enrol (const char *organisation,
       DlgKey     *key)
{
  g_autofree char *jwk = dlg_key_to_public_jwk (key);
  DlgServerKey record = { (char *) dlg_key_get_id (key), (char *) organisation, jwk, 0, 0 };
  g_autoptr(GError) error = NULL;

  dlg_server_storage_add_key (fx.storage, &record, &error);
  g_assert_no_error (error);
}

static char *
add_token (const char *organisation)
{
  g_autoptr(DlgServerToken) token = NULL;
  g_autoptr(GError) error = NULL;
  char *text = dlg_server_token_generate (&token);

  token->organisation_id = g_strdup (organisation);
  dlg_server_storage_add_token (fx.storage, token, &error);
  g_assert_no_error (error);
  return text;
}

static void
add_organisation (const char     *id,
                  const char     *name,
                  DlgServerRoles  roles)
{
  DlgServerOrganisation record = { (char *) id, (char *) name, roles, 0 };
  g_autoptr(GError) error = NULL;

  dlg_server_storage_add_organisation (fx.storage, &record, &error);
  g_assert_no_error (error);
}

static void
remove_dir (void)
{
  g_autoptr(GDir) dir = g_dir_open (fx.dir, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *path = g_build_filename (fx.dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (fx.dir);
}

static GString *exchange (const char *request, gsize length, gsize hold);
static char *sign (DlgKey *key, const char *typ, const guint8 *payload, gsize length);
static void store_first_report (void);

static void
fixture_init (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *database = NULL;
  g_autofree char *revoked_id = NULL;
  char *id;
  guint8 hash[32];

  g_log_set_writer_func (quiet_writer, NULL, NULL);

  /* Every commit is an fsync: in memory where there is a place for it. */
  if (g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR) && g_access ("/dev/shm", W_OK) == 0)
    fx.dir = g_mkdtemp (g_strdup ("/dev/shm/dlg-fuzz-server-XXXXXX"));
  else
    fx.dir = g_dir_make_tmp ("dlg-fuzz-server-XXXXXX", &error);
  g_assert_nonnull (fx.dir);
  atexit (remove_dir);

  database = g_build_filename (fx.dir, "server.sqlite", NULL);
  fx.storage = dlg_server_storage_sqlite_open (database, &error);
  g_assert_no_error (error);

  add_organisation (SUPPLIER, "Acme Électronique SA", DLG_SERVER_ROLE_SUPPLIER);
  add_organisation (BUYER, "Ville de Liège", DLG_SERVER_ROLE_BUYER);

  fx.supplier_key = load_key (supplier_pem);
  fx.buyer_key = load_key (buyer_pem);
  fx.revoked_key = load_key (revoked_pem);
  fx.stranger_key = dlg_key_generate (&error);
  g_assert_no_error (error);
  enrol (SUPPLIER, fx.supplier_key);
  enrol (BUYER, fx.buyer_key);
  enrol (SUPPLIER, fx.revoked_key);
  dlg_server_storage_revoke_key (fx.storage, dlg_key_get_id (fx.revoked_key), &error);
  g_assert_no_error (error);

  fx.supplier_token = add_token (SUPPLIER);
  fx.buyer_token = add_token (BUYER);
  fx.revoked_token = add_token (SUPPLIER);
  g_assert_true (dlg_server_token_parse (fx.revoked_token, &id, hash));
  revoked_id = id;
  dlg_server_storage_revoke_token (fx.storage, revoked_id, &error);
  g_assert_no_error (error);

  g_mutex_init (&fx.mutex);
  g_cond_init (&fx.cond);
  fx.context = g_main_context_new ();
  g_thread_unref (g_thread_new ("fuzz-server", server_thread, NULL));
  g_mutex_lock (&fx.mutex);
  while (!fx.ready)
    g_cond_wait (&fx.cond, &fx.mutex);
  g_mutex_unlock (&fx.mutex);

  store_first_report ();
}

/* ------------------------------------------------------------------------ */
/* One exchange over a socket                                               */
/* ------------------------------------------------------------------------ */

/* Sends @request on a new connection, half-closes it and reads the answer
 * to the end. Aborts if the server takes more than DEADLINE_SECONDS: a
 * request it never answers nor closes is a finding. With @hold, sends that
 * much (the headers) and waits for the first answer, as a client that asks
 * "Expect: 100-continue" does: the rest goes only after a "100 Continue". */
static GString *
exchange (const char *request,
          gsize       length,
          gsize       hold)
{
  struct sockaddr_in local = { .sin_family = AF_INET };
  struct sockaddr_in server = { .sin_family = AF_INET };
  GString *answer = g_string_new (NULL);
  gint64 deadline = g_get_monotonic_time () + DEADLINE_SECONDS * G_USEC_PER_SEC;
  gsize sent = 0;
  gboolean writing = TRUE;
  int fd;

  fd = socket (AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  g_assert_cmpint (fd, >=, 0);

  /* 127.0.0.2 to 127.255.255.254, in turn. */
  local.sin_addr.s_addr = htonl (0x7f000000 | (2 + fx.next_address++ % 0xfffffd));
  g_assert_cmpint (bind (fd, (struct sockaddr *) &local, sizeof local), ==, 0);
  server.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  server.sin_port = htons (fx.port);
  if (connect (fd, (struct sockaddr *) &server, sizeof server) != 0)
    g_assert_cmpint (errno, ==, EINPROGRESS);

  for (;;)
    {
      gboolean held = hold > 0 && sent == hold;
      struct pollfd p = { fd, POLLIN | (writing && !held ? POLLOUT : 0), 0 };
      gint64 left = deadline - g_get_monotonic_time ();
      char buffer[16384];
      gssize n;

      if (left <= 0)
        fail ("The server neither answered nor closed the connection within %d s; it had %" G_GSIZE_FORMAT
                 " bytes of the answer", DEADLINE_SECONDS, answer->len);
      if (poll (&p, 1, left / 1000 + 1) < 0)
        {
          g_assert_cmpint (errno, ==, EINTR);
          continue;
        }

      if (writing && !held && (p.revents & (POLLOUT | POLLERR | POLLHUP)))
        {
          gsize until = hold > sent ? hold : length;

          n = sent < until ? send (fd, request + sent, until - sent, MSG_NOSIGNAL) : 0;
          if (n > 0)
            sent += n;
          else if (n < 0 && errno != EAGAIN && errno != EINTR)
            writing = FALSE;   /* the server closed first: read what it said */
          if (sent == length)
            writing = FALSE;
          if (!writing)
            shutdown (fd, SHUT_WR);
        }

      if (p.revents & (POLLIN | POLLERR | POLLHUP))
        {
          n = recv (fd, buffer, sizeof buffer, 0);
          if (n > 0)
            g_string_append_len (answer, buffer, n);
          else if (n == 0 || (errno != EAGAIN && errno != EINTR))
            break;

          /* Held: a "100 Continue" lets the body go; any other answer
           * means it is not wanted. */
          if (held && strstr (answer->str, "\r\n\r\n") != NULL)
            {
              hold = 0;
              if (!g_str_has_prefix (answer->str + 9, "100 "))
                {
                  writing = FALSE;
                  shutdown (fd, SHUT_WR);
                }
            }
        }
    }

  close (fd);
  return answer;
}

/* ------------------------------------------------------------------------ */
/* Reading the answer                                                       */
/* ------------------------------------------------------------------------ */

typedef struct
{
  guint       status;
  GHashTable *headers;   /* lower-case name → value */
  const char *body;
  gsize       body_length;
  gboolean    complete;  /* as long as its Content-Length says */
} Answer;

static void
answer_clear (Answer *a)
{
  g_clear_pointer (&a->headers, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Answer, answer_clear)

/* Parses the final response in @text (after any "100 Continue"). Returns
 * FALSE if there is none; aborts if there is something that is not HTTP. */
static gboolean
answer_parse (GString *text,
              Answer  *a)
{
  const char *p = text->str;
  const char *end = text->str + text->len;

  for (;;)
    {
      const char *head_end = g_strstr_len (p, end - p, "\r\n\r\n");
      g_auto(GStrv) lines = NULL;
      g_autofree char *head = NULL;
      guint status;

      if (p == end)
        return FALSE;
      if (head_end == NULL)
        fail ("The answer ends in its headers: %.*s", (int) MIN (end - p, 200), p);

      head = g_strndup (p, head_end - p);
      lines = g_strsplit (head, "\r\n", -1);
      /* HTTP/1.0 to a request of that version. */
      if (!(g_str_has_prefix (lines[0], "HTTP/1.1 ") || g_str_has_prefix (lines[0], "HTTP/1.0 ")) || strlen (lines[0]) < 13 || lines[0][12] != ' ' ||
          !g_ascii_isdigit (lines[0][9]) || !g_ascii_isdigit (lines[0][10]) || !g_ascii_isdigit (lines[0][11]))
        fail ("Not an HTTP/1.1 status line: %s", lines[0]);
      status = g_ascii_digit_value (lines[0][9]) * 100 + g_ascii_digit_value (lines[0][10]) * 10 +
               g_ascii_digit_value (lines[0][11]);

      p = head_end + 4;
      if (status < 200)
        continue;

      a->status = status;
      a->headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      for (guint i = 1; lines[i]; i++)
        {
          const char *colon = strchr (lines[i], ':');

          g_assert_nonnull (colon);
          g_hash_table_replace (a->headers, g_ascii_strdown (lines[i], colon - lines[i]),
                                g_strstrip (g_strdup (colon + 1)));
        }
      a->body = p;
      a->body_length = end - p;
      /* A kept-alive connection may carry more answers after this one
       * (raw inputs hold several requests): the first is checked. */
      if (g_hash_table_lookup (a->headers, "content-length") != NULL)
        {
          guint64 length;

          if (!g_ascii_string_to_unsigned (g_hash_table_lookup (a->headers, "content-length"), 10, 0, G_MAXSIZE,
                                           &length, NULL))
            fail ("Content-Length: %s", (char *) g_hash_table_lookup (a->headers, "content-length"));
          a->complete = length <= a->body_length;
          a->body_length = MIN (a->body_length, length);
        }
      return TRUE;
    }
}

static const char *
header (Answer     *a,
        const char *name)
{
  return g_hash_table_lookup (a->headers, name);
}

static gboolean
media_type_is (Answer     *a,
               const char *type)
{
  const char *value = header (a, "content-type");

  return value != NULL && g_ascii_strncasecmp (value, type, strlen (type)) == 0 &&
         (value[strlen (type)] == '\0' || value[strlen (type)] == ';');
}

static JsonObject *
body_object (Answer *a)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  g_autofree char *text = g_strndup (a->body, a->body_length);

  /* Only this answer's bytes: another may follow on the connection. */
  g_assert_true (g_utf8_validate (a->body, a->body_length, NULL));
  node = json_from_string (text, &error);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    fail ("A %u answer is not a JSON object: %s (%.*s)", a->status, error ? error->message : "not an object",
             (int) MIN (a->body_length, 300), a->body);
  return json_object_ref (json_node_get_object (node));
}

static void
check_problem (Answer *a)
{
  g_autoptr(JsonObject) problem = NULL;
  g_autofree char *type = NULL;
  const char *code;

  if (!media_type_is (a, "application/problem+json"))
    fail ("A %u answer is not a problem document but %s: %.*s", a->status, header (a, "content-type"),
             (int) MIN (a->body_length, 300), a->body);

  problem = body_object (a);
  code = json_object_get_string_member_with_default (problem, "code", NULL);
  g_assert_nonnull (code);
  type = g_strconcat ("urn:diligence:problem:", code, NULL);
  g_assert_cmpstr (json_object_get_string_member_with_default (problem, "type", NULL), ==, type);
  g_assert_cmpint (json_object_get_int_member_with_default (problem, "status", 0), ==, a->status);
  g_assert_nonnull (json_object_get_string_member_with_default (problem, "title", NULL));
  if (json_object_has_member (problem, "detail"))
    g_assert_nonnull (json_object_get_string_member_with_default (problem, "detail", NULL));
}

/* Stores a report from the supplier to the buyer through the API, so that
 * reviews have something to be about: tests/fuzz/corpus/report/report-full.json,
 * signed with the supplier's key (Ed25519 signatures are deterministic, so
 * the seeds can name its SHA-256). */
static void
store_first_report (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *payload = NULL;
  g_autofree char *jws = NULL;
  g_autofree char *request = NULL;
  g_autoptr(GString) text = NULL;
  g_auto(Answer) a = { 0 };
  gsize length;

  g_file_get_contents (REPORT_JSON, &payload, &length, &error);
  g_assert_no_error (error);
  jws = sign (fx.supplier_key, DLG_JWS_TYP_REPORT, (const guint8 *) payload, length);
  request = g_strdup_printf ("POST /api/v1/reports HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                             "Authorization: Bearer %s\r\nContent-Type: application/jose\r\n"
                             "Content-Length: %" G_GSIZE_FORMAT "\r\n\r\n%s",
                             fx.supplier_token, strlen (jws), jws);
  text = exchange (request, strlen (request), 0);
  g_assert_true (answer_parse (text, &a));
  if (a.status != 201 && a.status != 200)
    fail ("The first report was refused: %.*s", (int) a.body_length, a.body);
}

/* ------------------------------------------------------------------------ */
/* The request                                                              */
/* ------------------------------------------------------------------------ */

static const char * const methods[] = { "GET", "GET", "HEAD", "POST", "POST", "PUT", "DELETE", "OPTIONS" };

static const char * const paths[] = {
  "/api/v1/health",
  "/api/v1/me",
  "/api/v1/keys",
  "/api/v1/reports",
  "/api/v1/reviews",
  "/api/v1/questionnaires",
  "/api/v1/reports/",
  "/api/v1/reviews/",
  "/api/v1/questionnaires/",
  "/api/v1/organisations/",
  "/api/v1/organisations/" SUPPLIER "/keys",
  "/api/v1/reports?limit=",
  "/api/v1/reports?cursor=",
  "/api/v1/reviews?cursor=",
  "/api/v1/",
  "",
};

enum { AUTH_NONE, AUTH_SUPPLIER, AUTH_BUYER, AUTH_BUYER_LOWER_CASE, AUTH_REVOKED, AUTH_UNKNOWN, AUTH_WRONG_SECRET,
       AUTH_BASIC, N_AUTH };

static const char * const content_types[] = {
  NULL,
  "application/jose",
  "application/json",
  "application/jwk+json",
  "text/plain",
  "application/jose; charset=utf-8",
  "APPLICATION/JOSE",
  "application/problem+json",
};

enum { FRAME_LENGTH, FRAME_NONE = 4, FRAME_CHUNKED, FRAME_CUT, FRAME_TOO_LARGE };

enum { BODY_AS_IS, BODY_REPORT, BODY_REVIEW, BODY_STRANGER, BODY_WRONG_TYP, BODY_REPORT_BY_BUYER, BODY_REVOKED_KEY,
       BODY_FORGED, N_BODY };

static gboolean
auth_is_valid (guint auth)
{
  return auth == AUTH_SUPPLIER || auth == AUTH_BUYER || auth == AUTH_BUYER_LOWER_CASE;
}

static void
append_authorization (GString *request,
                      guint    auth)
{
  switch (auth)
    {
    case AUTH_SUPPLIER:
      g_string_append_printf (request, "Authorization: Bearer %s\r\n", fx.supplier_token);
      break;
    case AUTH_BUYER:
      g_string_append_printf (request, "Authorization: Bearer %s\r\n", fx.buyer_token);
      break;
    case AUTH_BUYER_LOWER_CASE:
      g_string_append_printf (request, "Authorization: bearer %s\r\n", fx.buyer_token);
      break;
    case AUTH_REVOKED:
      g_string_append_printf (request, "Authorization: Bearer %s\r\n", fx.revoked_token);
      break;
    case AUTH_UNKNOWN:
      g_string_append (request, "Authorization: Bearer dlg1.AAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\r\n");
      break;
    case AUTH_WRONG_SECRET:
      {
        g_autofree char *token = g_strdup (fx.supplier_token);
        char *last = token + strlen (token) - 1;

        *last = *last == 'A' ? 'B' : 'A';
        g_string_append_printf (request, "Authorization: Bearer %s\r\n", token);
      }
      break;
    case AUTH_BASIC:
      g_string_append (request, "Authorization: Basic c3VwcGxpZXI6c2VjcmV0\r\n");
      break;
    case AUTH_NONE:
    default:
      break;
    }
}

static char *
sign (DlgKey       *key,
      const char   *typ,
      const guint8 *payload,
      gsize         length)
{
  g_autoptr(GBytes) bytes = g_bytes_new (payload, length);
  g_autoptr(GError) error = NULL;
  char *jws = dlg_jws_sign (key, typ, bytes, &error);

  g_assert_no_error (error);
  return jws;
}

static GBytes *
make_body (guint         kind,
           const guint8 *data,
           gsize         size)
{
  char *jws;

  switch (kind)
    {
    case BODY_REPORT:
      jws = sign (fx.supplier_key, DLG_JWS_TYP_REPORT, data, size);
      break;
    case BODY_REVIEW:
      jws = sign (fx.buyer_key, DLG_JWS_TYP_REVIEW, data, size);
      break;
    case BODY_STRANGER:
      jws = sign (fx.stranger_key, DLG_JWS_TYP_REPORT, data, size);
      break;
    case BODY_WRONG_TYP:
      jws = sign (fx.supplier_key, DLG_JWS_TYP_REVIEW, data, size);
      break;
    case BODY_REPORT_BY_BUYER:
      jws = sign (fx.buyer_key, DLG_JWS_TYP_REPORT, data, size);
      break;
    case BODY_REVOKED_KEY:
      jws = sign (fx.revoked_key, DLG_JWS_TYP_REPORT, data, size);
      break;
    case BODY_FORGED:
      {
        /* A valid signature with one character of it changed. */
        char *last;

        jws = sign (fx.supplier_key, DLG_JWS_TYP_REPORT, data, size);
        last = jws + strlen (jws) - 2;
        *last = *last == 'A' ? 'B' : 'A';
      }
      break;
    case BODY_AS_IS:
    default:
      return g_bytes_new (data, size);
    }
  return g_bytes_new_take (jws, strlen (jws));
}

static void
append_path_text (GString      *request,
                  const guint8 *text,
                  gsize         length)
{
  for (gsize i = 0; i < length; i++)
    {
      if (text[i] > ' ' && text[i] < 0x7f && text[i] != '#')
        g_string_append_c (request, text[i]);
      else
        g_string_append_printf (request, "%%%02X", text[i]);
    }
}

/* Checks what any answer must be, for any request. */
static void
check_answer (Answer  *a,
              gboolean head)
{
  /* The storage is healthy: nothing may fail on the server's side. */
  if (a->status >= 500)
    fail ("The server answered %u: %.*s", a->status, (int) MIN (a->body_length, 300), a->body);

  if (a->status == 401)
    g_assert_nonnull (header (a, "www-authenticate"));
  if (a->status == 405)
    g_assert_nonnull (header (a, "allow"));
  if (a->status == 429)
    g_assert_nonnull (header (a, "retry-after"));

  if (!head && header (a, "content-length") != NULL && !a->complete)
    fail ("The answer is shorter than its Content-Length: %.*s", (int) MIN (a->body_length, 300), a->body);
}

static void
check_structured (Answer      *a,
                  const char  *method,
                  guint        frame,
                  guint        auth,
                  guint        body_kind,
                  GBytes      *body)
{
  gboolean head = g_str_equal (method, "HEAD");
  gboolean post = g_str_equal (method, "POST");

  check_answer (a, head);

  /* libsoup itself refuses a path it will not route (an encoded "/" in a
   * ".." segment, say) with an empty 400, before any handler sees it.
   * Every other error is ours, a problem document. */
  if (a->status == 400 && a->body_length == 0 && header (a, "content-type") == NULL)
    return;
  if (a->status >= 400 && !head)
    check_problem (a);

  if (a->status == 401)
    g_assert_false (auth_is_valid (auth));

  if (a->status >= 200 && a->status < 300)
    {
      if (!auth_is_valid (auth) && !head)
        {
          g_autoptr(JsonObject) health = body_object (a);

          /* Only the health check answers without a valid token. */
          g_assert_cmpstr (json_object_get_string_member_with_default (health, "status", NULL), ==, "ok");
        }
      else if (!head && !media_type_is (a, "application/jose"))
        {
          g_autoptr(JsonObject) object = NULL;

          g_assert_true (media_type_is (a, "application/json"));
          object = body_object (a);
        }
    }

  /* Without a length, or over the limit, a body is refused before any
   * handler reads it. */
  if (post && (frame == FRAME_NONE || frame == FRAME_CHUNKED))
    g_assert_true (a->status == 404 || a->status == 405 || a->status == 411);
  if (post && frame == FRAME_TOO_LARGE)
    g_assert_true (a->status == 404 || a->status == 405 || a->status == 413);

  /* A report acknowledged as stored is there, with the bytes sent. */
  if (post && (a->status == 200 || a->status == 201) && media_type_is (a, "application/json"))
    {
      g_autoptr(JsonObject) receipt = body_object (a);
      const char *kind = json_object_get_string_member_with_default (receipt, "kind", NULL);
      const char *id = json_object_get_string_member_with_default (receipt, "id", NULL);

      if (g_strcmp0 (kind, "report") == 0)
        {
          g_autoptr(DlgServerDocument) stored = NULL;
          g_autoptr(GError) error = NULL;

          g_assert_nonnull (id);
          g_assert_cmpuint (body_kind, ==, BODY_REPORT);
          stored = dlg_server_storage_get_document (fx.storage, DLG_SERVER_DOCUMENT_REPORT, id, SUPPLIER, &error);
          g_assert_no_error (error);
          if (a->status == 201)
            g_assert_true (g_bytes_equal (stored->bytes, body));
          g_assert_nonnull (header (a, "location"));
        }
    }
}

static void
check_health (void)
{
  static const char request[] = "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  g_autoptr(GString) text = exchange (request, strlen (request), 0);
  g_auto(Answer) a = { 0 };

  if (!answer_parse (text, &a))
    fail ("The server no longer answers its health check");
  g_assert_cmpuint (a.status, ==, 200);
}

static void
run_raw (const guint8 *data,
         size_t        size)
{
  g_autoptr(GString) text = exchange ((const char *) data, size, 0);
  g_auto(Answer) a = { 0 };

  if (!answer_parse (text, &a))
    return;

  /* libsoup answers what it cannot parse with an empty 400, an unknown
   * expectation with 417, a transfer coding it does not know with 501 and
   * another HTTP version with 505; all that gets through is ours. */
  if (a.status == 400 || a.status == 417 || a.status == 501 || a.status == 505)
    {
      if (media_type_is (&a, "application/problem+json"))
        check_problem (&a);
      return;
    }
  check_answer (&a, FALSE);
  if (a.status >= 400 && a.body_length > 0)
    check_problem (&a);
}

static gsize
head_end (GString *request,
          gsize    from)
{
  /* The last header line's "\r\n" is the start of the blank line. */
  const char *blank = strstr (request->str + from - 2, "\r\n\r\n");

  g_assert_nonnull (blank);
  return blank - request->str + 4;
}

static void
run_structured (const guint8 *data,
                size_t        size)
{
  const char *method = methods[data[0] & 7];
  guint frame = (data[0] >> 3) & 7;
  gboolean expect = (data[0] & 0x40) != 0;
  const char *path = paths[data[1] % G_N_ELEMENTS (paths)];
  guint auth = data[2] % N_AUTH;
  const char *content_type = content_types[data[3] % G_N_ELEMENTS (content_types)];
  guint body_kind = data[4] % N_BODY;
  const guint8 *rest = data + 5;
  gsize rest_length = size - 5;
  const guint8 *line_end = memchr (rest, '\n', rest_length);
  gsize line_length = line_end ? (gsize) (line_end - rest) : 0;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GString) request = g_string_new (NULL);
  g_autoptr(GString) text = NULL;
  g_auto(Answer) a = { 0 };
  const char *bytes;
  gsize length, head_length;

  /* Without a line break, everything is body. */
  body = make_body (body_kind, line_end ? line_end + 1 : rest, rest_length - (line_end ? line_length + 1 : 0));
  bytes = g_bytes_get_data (body, &length);

  g_string_append_printf (request, "%s ", method);
  g_string_append (request, path);
  append_path_text (request, rest, line_length);
  if (request->str[strlen (method) + 1] != '/')
    g_string_insert_c (request, strlen (method) + 1, '/');
  g_string_append (request, " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
  append_authorization (request, auth);
  if (content_type != NULL)
    g_string_append_printf (request, "Content-Type: %s\r\n", content_type);
  if (expect)
    g_string_append (request, "Expect: 100-continue\r\n");

  head_length = request->len;
  switch (frame)
    {
    case FRAME_NONE:
      g_string_append (request, "\r\n");
      g_string_append_len (request, bytes, length);
      break;
    case FRAME_CHUNKED:
      g_string_append (request, "Transfer-Encoding: chunked\r\n\r\n");
      for (gsize i = 0; i < length; i += 4096)
        {
          gsize n = MIN (4096, length - i);

          g_string_append_printf (request, "%" G_GSIZE_MODIFIER "x\r\n", n);
          g_string_append_len (request, bytes + i, n);
          g_string_append (request, "\r\n");
        }
      g_string_append (request, "0\r\n\r\n");
      break;
    case FRAME_CUT:
      g_string_append_printf (request, "Content-Length: %" G_GSIZE_FORMAT "\r\n\r\n", length + 1);
      g_string_append_len (request, bytes, length);
      break;
    case FRAME_TOO_LARGE:
      g_string_append_printf (request, "Content-Length: %d\r\n\r\n", MAX_BODY + 1);
      g_string_append_len (request, bytes, length);
      break;
    default:
      g_string_append_printf (request, "Content-Length: %" G_GSIZE_FORMAT "\r\n\r\n", length);
      g_string_append_len (request, bytes, length);
      break;
    }

  /* The head ends with the framing headers and the blank line. */
  text = exchange (request->str, request->len, expect ? head_end (request, head_length) : 0);
  if (!answer_parse (text, &a))
    {
      /* Only a request cut short may go unanswered: the server waits for
       * the rest of its body, sees the end and drops it. */
      if (frame != FRAME_CUT && frame != FRAME_TOO_LARGE && !(frame == FRAME_NONE && length > 0))
        fail ("No answer to a complete request: %.*s", (int) MIN (request->len, 500), request->str);
      return;
    }

  if (frame == FRAME_NONE && length > 0 && !g_str_equal (method, "POST"))
    {
      /* The body of a GET without a length is read as the next request,
       * which may be anything: only the general rules hold. */
      check_answer (&a, g_str_equal (method, "HEAD"));
      return;
    }
  check_structured (&a, method, frame, auth, body_kind, body);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  if (fx.server == NULL)
    fixture_init ();

  if (size < 5 || (data[0] & 0x80))
    run_raw (size > 0 ? data + 1 : data, size > 0 ? size - 1 : 0);
  else
    run_structured (data, size);

  if (++fx.n_inputs % HEALTH_EVERY == 0)
    check_health ();
  return 0;
}
