/* dlg-server.c - the HTTP API of diligence-server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One SoupServer in one main context. Each request passes three stages:
 *
 *  1. When its headers are in (the early handler): route, size limits,
 *     authentication and rate limits. A body that is too large, or whose
 *     length is not announced, is refused here before it is read: with
 *     "Expect: 100-continue" libsoup simply never asks for it; without, the
 *     connection is taken over, the refusal written and the connection
 *     closed after a short, bounded drain.
 *  2. When its body is in (the handler): the work. Submissions are paused
 *     while a worker thread parses the JWS, checks that the sender is the
 *     organisation named inside and verifies the signature against the
 *     sender's enrolled keys; then the storage decides (created, duplicate
 *     or conflict) and commits durably, in a group with other submissions.
 *  3. When it is finished: one structured log line.
 *
 * Every error is an RFC 9457 problem document. Authentication failures all
 * look the same; a document another organisation may not read is "not
 * found", exactly like one that does not exist.
 */

#define G_LOG_DOMAIN "dlg-server"

#include "config.h"

#include <errno.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>

#include "dlg-base64url.h"
#include "dlg-json.h"
#include "dlg-jws.h"
#include "dlg-key.h"
#include "dlg-questionnaire.h"
#include "dlg-report.h"
#include "dlg-review.h"
#include "dlg-server.h"
#include "dlg-server-limits.h"
#include "dlg-store-sync.h"

#define API_PREFIX "/api/v1"
#define PROBLEM_BASE "urn:diligence:problem:"
#define DEFAULT_PAGE 50
#define MAX_PAGE 200
#define MAX_BUCKETS 10000
#define DRAIN_BYTES (1024 * 1024)
#define DRAIN_SECONDS 2

/* Unauthenticated failures, per remote address. */
#define AUTH_FAILURE_RATE 5.0
#define AUTH_FAILURE_BURST 20

typedef enum
{
  ROUTE_NONE,
  ROUTE_HEALTH,
  ROUTE_ME,
  ROUTE_REPORTS,
  ROUTE_REPORT,
  ROUTE_REVIEWS,
  ROUTE_REVIEW,
  ROUTE_QUESTIONNAIRES,
  ROUTE_QUESTIONNAIRE,
  ROUTE_KEYS,
  ROUTE_ORGANISATION_KEYS,
} Route;

typedef struct
{
  double tokens;
  gint64 updated;
} Bucket;

struct _DlgServer
{
  GObject           parent_instance;

  DlgServerStorage *storage;
  SoupServer       *soup;
  GMainContext     *context;
  GPtrArray        *sockets;        /* GSocket, the ones we listen on */

  gsize             max_body_size;
  double            rate_limit;
  guint             rate_burst;

  GHashTable       *token_buckets;  /* token id → Bucket */
  GHashTable       *address_buckets;/* remote address → Bucket */

  guint             in_flight;
  gboolean          shutting_down;
  GTask            *shutdown_task;
  GSource          *shutdown_timeout;
  GCancellable     *cancellable;    /* cancelled at shutdown: drains of refused connections */

  GThreadPool      *verifiers;      /* Submission *: parse and verify, one per processor */

  GMutex            keys_lock;      /* the workers share the cache below */
  GHashTable       *keys;           /* kid → DlgKey: a kid names one key for ever */

  DlgServerLimits  *limits;         /* deadlines for slow clients, the connection limit */

  /* The directory as of one version of it: see directory_get(). */
  GMutex            directory_lock;
  gint64            directory_version;      /* -1 while nothing is kept */
  GHashTable       *directory_tokens;       /* id → DlgServerToken */
  GHashTable       *directory_organisations;/* id → DlgServerOrganisation */
  GHashTable       *directory_keys;         /* id → DlgServerKey */
};

G_DEFINE_FINAL_TYPE (DlgServer, dlg_server, G_TYPE_OBJECT)

G_DEFINE_QUARK (dlg-server-error-quark, dlg_server_error)

enum {
  PROP_0,
  PROP_STORAGE,
  PROP_MAX_BODY_SIZE,
  PROP_RATE_LIMIT,
  PROP_RATE_BURST,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  DOCUMENT_STORED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* What we know of one request; lives as long as its message. */
typedef struct
{
  DlgServer             *server;    /* not owned: the server outlives its requests */
  Route                  route;
  char                  *param;     /* the id in the path, if any */
  DlgServerOrganisation *organisation;
  char                  *token_id;
  gint64                 started;
  gboolean               counted;   /* in server->in_flight */
  gboolean               gone;      /* finished or disconnected: do not touch its I/O */
  const char            *problem;   /* the problem code answered, for the log */
  gint64                 directory; /* the directory's version when it came in, or -1 */
} Request;

static GQuark request_quark;

static void
request_free (Request *req)
{
  g_free (req->param);
  dlg_server_organisation_free (req->organisation);
  g_free (req->token_id);
  g_free (req);
}

static Request *
request_get (SoupServerMessage *msg)
{
  return g_object_get_qdata (G_OBJECT (msg), request_quark);
}

static void     request_uncount  (Request  *req);
static gboolean shutdown_idle_cb (gpointer  user_data);

/* ------------------------------------------------------------------------ */
/* Small helpers                                                            */
/* ------------------------------------------------------------------------ */

static char *
format_time (gint64 usec)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  g_autofree char *base = NULL;

  if (utc == NULL)
    return g_strdup ("1970-01-01T00:00:00Z");
  base = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%S");
  return g_strdup_printf ("%s.%06dZ", base, (int) (usec % G_USEC_PER_SEC));
}

static gboolean
is_base64url (const char *text,
              gsize       length)
{
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isalnum (text[i]) && text[i] != '-' && text[i] != '_')
      return FALSE;
  return text[length] == '\0' || text[length] == '.';
}

static gboolean
is_sha256_hex (const char *text)
{
  gsize i;

  if (text == NULL)
    return FALSE;
  for (i = 0; text[i]; i++)
    if (!g_ascii_isxdigit (text[i]) || g_ascii_isupper (text[i]))
      return FALSE;
  return i == 64;
}

static void
sha256 (const void *data,
        gsize       length,
        guint8      digest[32])
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  gsize digest_length = 32;

  g_checksum_update (checksum, data, length);
  g_checksum_get_digest (checksum, digest, &digest_length);
}

/* Compares without an early exit, so that the time taken says nothing about
 * where the first difference is. */
static gboolean
equal_constant_time (const guint8 *a,
                     const guint8 *b,
                     gsize         length)
{
  volatile guint8 diff = 0;

  for (gsize i = 0; i < length; i++)
    diff |= a[i] ^ b[i];
  return diff == 0;
}

/* Failures of the server itself (storage, mostly), logged as errors for
 * the administrator. Not g_warning(): they are the world misbehaving, not
 * the program, and must never abort it. */
static void G_GNUC_PRINTF (1, 2)
log_failure (const char *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;
  GLogField fields[] = {
    { "MESSAGE", NULL, -1 },
    { "PRIORITY", "3", -1 },
    { "GLIB_DOMAIN", G_LOG_DOMAIN, -1 },
    { "DLG_EVENT", "failure", -1 },
  };

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  fields[0].value = message;
  g_log_structured_array (G_LOG_LEVEL_MESSAGE, fields, G_N_ELEMENTS (fields));
}

/* ------------------------------------------------------------------------ */
/* Tokens                                                                   */
/* ------------------------------------------------------------------------ */

#define TOKEN_PREFIX "dlg1."
#define TOKEN_ID_BYTES 9        /* 12 characters */
#define TOKEN_SECRET_BYTES 32   /* 43 characters */
#define TOKEN_ID_LENGTH 12
#define TOKEN_SECRET_LENGTH 43

static void
random_bytes (guint8 *buffer,
              gsize   length)
{
  gsize done = 0;

  while (done < length)
    {
      gssize n = getrandom (buffer + done, length - done, 0);

      /* getrandom() only fails before the kernel's pool is seeded or on a
       * signal; without randomness there can be no token at all. */
      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          g_error ("No randomness available for a token: %s", g_strerror (errno));
        }
      done += n;
    }
}

/**
 * dlg_server_token_generate:
 * @token: (out): what the server keeps of it
 *
 * Returns: (transfer full): the token to hand to the organisation, once
 */
char *
dlg_server_token_generate (DlgServerToken **token)
{
  guint8 id[TOKEN_ID_BYTES], secret[TOKEN_SECRET_BYTES];
  g_autofree char *id_text = NULL, *secret_text = NULL;
  DlgServerToken *t;
  char *text;

  g_return_val_if_fail (token != NULL, NULL);

  random_bytes (id, sizeof id);
  random_bytes (secret, sizeof secret);
  id_text = dlg_base64url_encode (id, sizeof id);
  secret_text = dlg_base64url_encode (secret, sizeof secret);

  t = g_new0 (DlgServerToken, 1);
  t->id = g_strdup (id_text);
  sha256 (secret_text, strlen (secret_text), t->hash);
  t->created_at = g_get_real_time ();

  text = g_strconcat (TOKEN_PREFIX, id_text, ".", secret_text, NULL);
  memset (secret, 0, sizeof secret);
  memset (secret_text, 0, strlen (secret_text));
  *token = t;
  return text;
}

/**
 * dlg_server_token_parse:
 * @id: (out): the token's id
 * @hash: (out): the SHA-256 of its secret
 *
 * Returns: %TRUE if @text has the form of a token
 */
gboolean
dlg_server_token_parse (const char  *text,
                        char       **id,
                        guint8       hash[32])
{
  const char *id_start, *secret;

  if (text == NULL || !g_str_has_prefix (text, TOKEN_PREFIX))
    return FALSE;
  id_start = text + strlen (TOKEN_PREFIX);
  if (strlen (id_start) != TOKEN_ID_LENGTH + 1 + TOKEN_SECRET_LENGTH ||
      !is_base64url (id_start, TOKEN_ID_LENGTH) || id_start[TOKEN_ID_LENGTH] != '.')
    return FALSE;
  secret = id_start + TOKEN_ID_LENGTH + 1;
  if (!is_base64url (secret, TOKEN_SECRET_LENGTH))
    return FALSE;

  *id = g_strndup (id_start, TOKEN_ID_LENGTH);
  sha256 (secret, TOKEN_SECRET_LENGTH, hash);
  return TRUE;
}

/**
 * dlg_server_token_matches:
 *
 * Returns: %TRUE if @token is valid and its secret hashes to @hash
 */
gboolean
dlg_server_token_matches (const DlgServerToken *token,
                          const guint8          hash[32])
{
  gboolean equal = equal_constant_time (token->hash, hash, 32);

  return equal && token->revoked_at == 0;
}

/* ------------------------------------------------------------------------ */
/* Responses                                                                */
/* ------------------------------------------------------------------------ */

static const struct
{
  const char *code;
  guint       status;
  const char *title;
} problems[] = {
  { "malformed", 400, "The request is malformed" },
  { "bad-cursor", 400, "The cursor is not one this server gave" },
  { "unauthorized", 401, "A valid bearer token is required" },
  { "forbidden", 403, "Your organisation may not do this" },
  { "wrong-sender", 403, "The document is not from your organisation" },
  { "not-found", 404, "Not found" },
  { "method-not-allowed", 405, "Method not allowed" },
  { "conflict", 409, "Another document has this id" },
  { "length-required", 411, "The request must announce its length" },
  { "too-large", 413, "The request is too large" },
  { "unsupported-media-type", 415, "Unsupported media type" },
  { "unknown-key", 422, "The signing key is not enrolled for your organisation" },
  { "bad-signature", 422, "The signature does not verify" },
  { "unknown-recipient", 422, "A recipient is not known to this server" },
  { "invalid-document", 422, "The document is not a valid report or review" },
  { "unknown-report", 422, "The reviewed report is not one you received" },
  { "report-mismatch", 422, "The review is about other bytes than the stored report" },
  { "invalid-questionnaire", 422, "The questionnaire is not valid" },
  { "key-exists", 409, "This key is enrolled already" },
  { "rate-limited", 429, "Too many requests" },
  { "storage-failed", 500, "The server could not store the request" },
  { "storage-full", 503, "The server's disk is full" },
  { "shutting-down", 503, "The server is shutting down" },
  { "unavailable", 503, "The server's storage is unavailable" },
};

static void
set_json_body (SoupServerMessage *msg,
               const char        *content_type,
               JsonNode          *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  gsize length;
  char *text;

  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, &length);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_TAKE, text, length);
}

static void
respond_json (SoupServerMessage *msg,
              guint              status,
              JsonBuilder       *builder)
{
  g_autoptr(JsonNode) node = json_builder_get_root (builder);

  soup_server_message_set_status (msg, status, NULL);
  set_json_body (msg, "application/json", node);
}

static void G_GNUC_PRINTF (3, 4)
respond_problem (SoupServerMessage *msg,
                 const char        *code,
                 const char        *detail_format,
                 ...)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *type = g_strconcat (PROBLEM_BASE, code, NULL);
  Request *req = request_get (msg);
  guint status = 500;
  const char *title = "Error";
  va_list args;

  for (guint i = 0; i < G_N_ELEMENTS (problems); i++)
    if (g_str_equal (problems[i].code, code))
      {
        status = problems[i].status;
        title = problems[i].title;
        break;
      }

  if (detail_format != NULL)
    {
      va_start (args, detail_format);
      detail = g_strdup_vprintf (detail_format, args);
      va_end (args);
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, type);
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, title);
  json_builder_set_member_name (builder, "status");
  json_builder_add_int_value (builder, status);
  if (detail != NULL)
    {
      json_builder_set_member_name (builder, "detail");
      json_builder_add_string_value (builder, detail);
    }
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, code);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);

  if (req != NULL)
    req->problem = code;

  soup_server_message_set_status (msg, status, NULL);
  set_json_body (msg, "application/problem+json", node);
}

static void
set_retry_after (SoupServerMessage *msg,
                 guint              seconds)
{
  g_autofree char *value = g_strdup_printf ("%u", MAX (seconds, 1));

  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", value);
}

/* ------------------------------------------------------------------------ */
/* Refusing a body before reading it                                        */
/* ------------------------------------------------------------------------ */

typedef struct
{
  GIOStream    *stream;
  GBytes       *response;
  GCancellable *cancellable;
  GSource      *timeout;
  gsize         drained;
  guint8        buffer[16 * 1024];
} Refusal;

static void
refusal_free (Refusal *r)
{
  if (r->timeout != NULL)
    {
      g_source_destroy (r->timeout);
      g_source_unref (r->timeout);
    }
  g_clear_object (&r->cancellable);
  g_clear_pointer (&r->response, g_bytes_unref);
  g_clear_object (&r->stream);
  g_free (r);
}

static void
refusal_closed_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_io_stream_close_finish (G_IO_STREAM (source), result, NULL);
  refusal_free (user_data);
}

static void
refusal_close (Refusal *r)
{
  g_io_stream_close_async (r->stream, G_PRIORITY_DEFAULT, NULL, refusal_closed_cb, r);
}

static void
refusal_drained_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Refusal *r = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  /* Read and drop what the client had already sent, for a moment, so that
   * closing does not reset the connection before it reads our answer. */
  if (n > 0 && (r->drained += n) < DRAIN_BYTES)
    {
      g_input_stream_read_async (G_INPUT_STREAM (source), r->buffer, sizeof r->buffer,
                                 G_PRIORITY_DEFAULT, r->cancellable, refusal_drained_cb, r);
      return;
    }
  refusal_close (r);
}

static void
refusal_written_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Refusal *r = user_data;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL))
    {
      refusal_close (r);
      return;
    }
  g_input_stream_read_async (g_io_stream_get_input_stream (r->stream), r->buffer, sizeof r->buffer,
                             G_PRIORITY_DEFAULT, r->cancellable, refusal_drained_cb, r);
}

static gboolean
refusal_timeout_cb (gpointer user_data)
{
  Refusal *r = user_data;

  g_cancellable_cancel (r->cancellable);
  g_clear_pointer (&r->timeout, g_source_unref);
  return G_SOURCE_REMOVE;
}

/* Answers @msg with the response already set on it, without reading its
 * body, and closes the connection. */
static void
refuse_unread_body (DlgServer         *self,
                    SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  guint status = soup_server_message_get_status (msg);
  g_autoptr(GBytes) content = soup_message_body_flatten (body);
  g_autoptr(GString) text = g_string_new (NULL);
  SoupMessageHeadersIter iter;
  const char *name, *value;
  Request *req = request_get (msg);
  Refusal *r;

  /* If the client waits for "100 Continue", libsoup answers and never reads
   * the body; nothing more to do. */
  if (soup_message_headers_get_expectations (soup_server_message_get_request_headers (msg)) &
      SOUP_EXPECTATION_CONTINUE)
    {
      soup_message_headers_replace (headers, "Connection", "close");
      return;
    }

  g_string_append_printf (text, "HTTP/1.1 %u %s\r\n", status, soup_status_get_phrase (status));
  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    if (g_ascii_strcasecmp (name, "Content-Length") != 0 && g_ascii_strcasecmp (name, "Connection") != 0 &&
        g_ascii_strcasecmp (name, "Content-Type") != 0)
      g_string_append_printf (text, "%s: %s\r\n", name, value);
  g_string_append_printf (text, "Content-Type: application/problem+json\r\n"
                                "Content-Length: %" G_GSIZE_FORMAT "\r\nConnection: close\r\n\r\n",
                          g_bytes_get_size (content));
  g_string_append_len (text, g_bytes_get_data (content, NULL), g_bytes_get_size (content));

  r = g_new0 (Refusal, 1);
  r->response = g_string_free_to_bytes (g_steal_pointer (&text));
  r->cancellable = g_cancellable_new ();
  r->stream = soup_server_message_steal_connection (msg);

  /* The message will never finish: it leaves the in-flight count now. */
  if (req != NULL)
    {
      g_autofree char *status_text = g_strdup_printf ("%u", status);

      g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_INFO,
                        "DLG_EVENT", "refused-unread",
                        "DLG_STATUS", status_text,
                        "MESSAGE", "%s %s %u (body not read)", soup_server_message_get_method (msg),
                        g_uri_get_path (soup_server_message_get_uri (msg)), status);
      req->gone = TRUE;
      request_uncount (req);
    }

  if (r->stream == NULL)
    {
      refusal_free (r);
      return;
    }

  r->timeout = g_timeout_source_new_seconds (DRAIN_SECONDS);
  g_source_set_callback (r->timeout, refusal_timeout_cb, r, NULL);
  g_source_attach (r->timeout, self->context);

  g_output_stream_write_all_async (g_io_stream_get_output_stream (r->stream),
                                   g_bytes_get_data (r->response, NULL), g_bytes_get_size (r->response),
                                   G_PRIORITY_DEFAULT, r->cancellable, refusal_written_cb, r);
}

/* ------------------------------------------------------------------------ */
/* Rate limits                                                              */
/* ------------------------------------------------------------------------ */

/* A token bucket: @burst requests at once, refilled at @rate a second.
 * Returns 0 if a request may go (taking one token if @take), else the
 * seconds until one may. */
static guint
bucket_take (GHashTable *table,
             const char *key,
             double      rate,
             double      burst,
             gboolean    take)
{
  gint64 now = g_get_monotonic_time ();
  Bucket *bucket = g_hash_table_lookup (table, key);

  if (rate <= 0)
    return 0;

  if (bucket == NULL)
    {
      /* Forget the buckets that have refilled: they carry no information. */
      if (g_hash_table_size (table) >= MAX_BUCKETS)
        {
          GHashTableIter iter;
          gpointer value;

          g_hash_table_iter_init (&iter, table);
          while (g_hash_table_iter_next (&iter, NULL, &value))
            {
              Bucket *b = value;
              if (b->tokens + (now - b->updated) / (double) G_USEC_PER_SEC * rate >= burst)
                g_hash_table_iter_remove (&iter);
            }
        }
      bucket = g_new (Bucket, 1);
      bucket->tokens = burst;
      bucket->updated = now;
      g_hash_table_insert (table, g_strdup (key), bucket);
    }

  bucket->tokens = MIN (burst, bucket->tokens + (now - bucket->updated) / (double) G_USEC_PER_SEC * rate);
  bucket->updated = now;

  if (bucket->tokens >= 1.0)
    {
      if (take)
        bucket->tokens -= 1.0;
      return 0;
    }
  return (guint) ((1.0 - bucket->tokens) / rate) + 1;
}

static const char *
remote_host (SoupServerMessage *msg)
{
  const char *host = soup_server_message_get_remote_host (msg);

  return host ? host : "unknown";
}

/* ------------------------------------------------------------------------ */
/* The directory: organisations, tokens and keys, kept in memory            */
/* ------------------------------------------------------------------------ */

/* Every submission reads its token, its organisation, the key it was
 * signed with and its recipients: four read transactions, each a page or
 * two copied out of the log that the writer keeps changing. Instead, a
 * request reads the directory's version once, when it comes in, and then
 * the entries kept for that version. Any change to the directory, however
 * made, raises the version (see dlg_server_storage_get_directory_version()),
 * so a revoked token or key is refused from the next request on, as when
 * every request read the database.
 *
 * The rules that keep this correct while requests of several versions
 * run at once: the kept version only moves forward (emptying what was
 * kept); an entry read from the storage is kept only if the version kept
 * is the one its request read before reading the entry, so that nothing
 * older than the kept version is ever kept; a request older than the kept
 * version reads the storage. */

#define DIRECTORY_MAX_ENTRIES 100000

typedef gpointer (*DirectoryFetch) (DlgServerStorage  *storage,
                                    const char        *id,
                                    GError           **error);

/* Whether what is kept may serve a request that read @version, moving the
 * kept version forward to it if need be. Call with the lock held. */
static gboolean
directory_at (DlgServer *self,
              gint64     version)
{
  if (version < 0 || version < self->directory_version)
    return FALSE;
  if (version > self->directory_version)
    {
      g_hash_table_remove_all (self->directory_tokens);
      g_hash_table_remove_all (self->directory_organisations);
      g_hash_table_remove_all (self->directory_keys);
      self->directory_version = version;
    }
  return TRUE;
}

/* Returns a copy of the entry @id of @table as of @version (or newer),
 * from memory or else from the storage; %NULL with @error set if the
 * storage has none or cannot be read. Safe from any thread. */
static gpointer
directory_get (DlgServer       *self,
               gint64           version,
               GHashTable      *table,
               const char      *id,
               DirectoryFetch   fetch,
               GBoxedCopyFunc   copy,
               GError         **error)
{
  gpointer found = NULL;

  g_mutex_lock (&self->directory_lock);
  if (directory_at (self, version) && (found = g_hash_table_lookup (table, id)) != NULL)
    found = copy (found);
  g_mutex_unlock (&self->directory_lock);
  if (found != NULL)
    return found;

  found = fetch (self->storage, id, error);
  if (found == NULL)
    return NULL;

  g_mutex_lock (&self->directory_lock);
  if (directory_at (self, version))
    {
      if (g_hash_table_size (table) >= DIRECTORY_MAX_ENTRIES)
        g_hash_table_remove_all (table);
      g_hash_table_replace (table, g_strdup (id), copy (found));
    }
  g_mutex_unlock (&self->directory_lock);
  return found;
}

static DlgServerToken *
directory_get_token (DlgServer   *self,
                     gint64       version,
                     const char  *id,
                     GError     **error)
{
  return directory_get (self, version, self->directory_tokens, id,
                        (DirectoryFetch) dlg_server_storage_get_token, (GBoxedCopyFunc) dlg_server_token_copy,
                        error);
}

static DlgServerOrganisation *
directory_get_organisation (DlgServer   *self,
                            gint64       version,
                            const char  *id,
                            GError     **error)
{
  return directory_get (self, version, self->directory_organisations, id,
                        (DirectoryFetch) dlg_server_storage_get_organisation,
                        (GBoxedCopyFunc) dlg_server_organisation_copy, error);
}

static DlgServerKey *
directory_get_key (DlgServer   *self,
                   gint64       version,
                   const char  *id,
                   GError     **error)
{
  return directory_get (self, version, self->directory_keys, id,
                        (DirectoryFetch) dlg_server_storage_get_key, (GBoxedCopyFunc) dlg_server_key_copy,
                        error);
}

/* ------------------------------------------------------------------------ */
/* Routing and authentication                                               */
/* ------------------------------------------------------------------------ */

static Route
match_route (const char  *path,
             char       **param,
             const char **allowed)
{
  g_auto(GStrv) parts = NULL;
  guint n;

  if (!g_str_has_prefix (path, API_PREFIX "/"))
    return ROUTE_NONE;

  parts = g_strsplit (path + strlen (API_PREFIX "/"), "/", 4);
  n = g_strv_length (parts);

  if (n == 1 && g_str_equal (parts[0], "health"))
    return (*allowed = "GET, HEAD", ROUTE_HEALTH);
  if (n == 1 && g_str_equal (parts[0], "me"))
    return (*allowed = "GET, HEAD", ROUTE_ME);
  if (n == 1 && g_str_equal (parts[0], "keys"))
    return (*allowed = "GET, HEAD, POST", ROUTE_KEYS);
  if (n == 1 && g_str_equal (parts[0], "reports"))
    return (*allowed = "GET, HEAD, POST", ROUTE_REPORTS);
  if (n == 1 && g_str_equal (parts[0], "reviews"))
    return (*allowed = "GET, HEAD, POST", ROUTE_REVIEWS);
  if (n == 1 && g_str_equal (parts[0], "questionnaires"))
    return (*allowed = "GET, HEAD, POST", ROUTE_QUESTIONNAIRES);

  if (n == 2 && *parts[1] != '\0')
    {
      Route route = ROUTE_NONE;

      if (g_str_equal (parts[0], "reports"))
        route = ROUTE_REPORT;
      else if (g_str_equal (parts[0], "reviews"))
        route = ROUTE_REVIEW;
      else if (g_str_equal (parts[0], "questionnaires"))
        route = ROUTE_QUESTIONNAIRE;
      if (route != ROUTE_NONE)
        {
          *param = g_strdup (parts[1]);
          *allowed = "GET, HEAD";
          return route;
        }
    }

  if (n == 3 && g_str_equal (parts[0], "organisations") && *parts[1] != '\0' && g_str_equal (parts[2], "keys"))
    {
      *param = g_strdup (parts[1]);
      *allowed = "GET, HEAD";
      return ROUTE_ORGANISATION_KEYS;
    }

  return ROUTE_NONE;
}

static gboolean
method_allowed (const char *method,
                const char *allowed)
{
  gsize length = strlen (method);

  /* A request line that starts with a space has an empty method, which
   * strstr() finds everywhere: the loop below would never end. */
  if (length == 0)
    return FALSE;

  /* @allowed is a literal such as "GET, HEAD, POST". */
  for (const char *p = allowed; (p = strstr (p, method)) != NULL; p += length)
    if ((p == allowed || p[-1] == ' ') && (p[length] == ',' || p[length] == '\0'))
      return TRUE;
  return FALSE;
}

/* Returns the organisation the bearer token belongs to, or %NULL. Every
 * failure takes the same path and answers the same way. */
static DlgServerOrganisation *
authenticate (DlgServer          *self,
              SoupServerMessage  *msg,
              gint64              directory,
              char              **token_id)
{
  static const guint8 nothing[32] = { 0 };
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "Authorization");
  g_autofree char *id = NULL;
  g_autoptr(DlgServerToken) token = NULL;
  guint8 hash[32];
  gboolean ok;

  if (header == NULL || g_ascii_strncasecmp (header, "Bearer ", 7) != 0)
    return NULL;
  if (!dlg_server_token_parse (header + 7, &id, hash))
    return NULL;

  token = directory_get_token (self, directory, id, NULL);
  /* Compare even when the id is unknown, so that both take as long. */
  ok = dlg_server_token_matches (token ? token : &(DlgServerToken) { .hash = { 0 } }, token ? hash : nothing);
  if (!ok || token == NULL)
    return NULL;

  *token_id = g_steal_pointer (&id);
  return directory_get_organisation (self, directory, token->organisation_id, NULL);
}

static void
request_uncount (Request *req)
{
  DlgServer *self = req->server;

  if (!req->counted)
    return;
  req->counted = FALSE;
  g_assert (self->in_flight > 0);
  self->in_flight--;

  if (self->in_flight == 0 && self->shutdown_task != NULL)
    {
      /* Finish from the main loop, not from inside libsoup's signal. */
      GSource *idle = g_idle_source_new ();

      g_source_set_callback (idle, shutdown_idle_cb, g_object_ref (self), g_object_unref);
      g_source_attach (idle, self->context);
      g_source_unref (idle);
    }
}

static void
early_handler_cb (SoupServer        *soup,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  DlgServer *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *method = soup_server_message_get_method (msg);
  const char *allowed = NULL;
  Request *req;
  guint wait;

  req = g_new0 (Request, 1);
  req->server = self;
  req->directory = -1;
  req->started = g_get_monotonic_time ();
  req->counted = TRUE;
  self->in_flight++;
  /* The request's end is seen through the server's request-finished and
   * request-aborted signals (request_done_cb), or where its connection is
   * taken over (refuse_unread_body): no handlers on each message. */
  g_object_set_qdata_full (G_OBJECT (msg), request_quark, req, (GDestroyNotify) request_free);

  if (self->shutting_down)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
      set_retry_after (msg, 5);
      respond_problem (msg, "shutting-down", "Try again in a moment.");
      goto refuse;
    }

  req->route = match_route (path, &req->param, &allowed);
  if (req->route == ROUTE_NONE)
    {
      respond_problem (msg, "not-found", NULL);
      goto refuse;
    }
  if (!method_allowed (method, allowed))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", allowed);
      respond_problem (msg, "method-not-allowed", "Allowed: %s.", allowed);
      goto refuse;
    }

  if (method == SOUP_METHOD_POST || method == SOUP_METHOD_PUT)
    {
      SoupEncoding encoding = soup_message_headers_get_encoding (headers);

      if (encoding != SOUP_ENCODING_CONTENT_LENGTH)
        {
          respond_problem (msg, "length-required", "Send the body with a Content-Length header.");
          goto refuse;
        }
      if ((guint64) soup_message_headers_get_content_length (headers) > self->max_body_size)
        {
          respond_problem (msg, "too-large", "The largest body accepted is %" G_GSIZE_FORMAT " bytes.",
                           self->max_body_size);
          goto refuse;
        }
    }

  if (req->route == ROUTE_HEALTH)
    return;

  /* Guessing tokens is pointless (256 random bits), but trying costs us a
   * lookup: failures are limited per address. */
  wait = bucket_take (self->address_buckets, remote_host (msg), AUTH_FAILURE_RATE, AUTH_FAILURE_BURST, FALSE);
  if (wait != 0)
    {
      set_retry_after (msg, wait);
      respond_problem (msg, "rate-limited", "Too many failed attempts from your address.");
      goto refuse;
    }

  /* One read for the version; then, mostly, none for the directory. */
  req->directory = dlg_server_storage_get_directory_version (self->storage, NULL);
  req->organisation = authenticate (self, msg, req->directory, &req->token_id);
  if (req->organisation == NULL)
    {
      bucket_take (self->address_buckets, remote_host (msg), AUTH_FAILURE_RATE, AUTH_FAILURE_BURST, TRUE);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "WWW-Authenticate",
                                    "Bearer realm=\"diligence\", error=\"invalid_token\"");
      respond_problem (msg, "unauthorized", "The token is missing, unknown or revoked.");
      goto refuse;
    }

  wait = bucket_take (self->token_buckets, req->token_id, self->rate_limit, self->rate_burst, TRUE);
  if (wait != 0)
    {
      set_retry_after (msg, wait);
      respond_problem (msg, "rate-limited", "Slow down: this token may make %.0f requests a second.",
                       self->rate_limit);
      goto refuse;
    }
  return;

refuse:
  {
    guint status = soup_server_message_get_status (msg);

    /* A refused body that is too large or of unknown length is never read. */
    if (status == SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE || status == SOUP_STATUS_LENGTH_REQUIRED)
      refuse_unread_body (self, msg);
  }
}

/* ------------------------------------------------------------------------ */
/* Handlers                                                                 */
/* ------------------------------------------------------------------------ */

static gboolean
has_role (Request        *req,
          DlgServerRoles  roles)
{
  return (req->organisation->roles & roles) != 0;
}

static void
respond_forbidden_role (SoupServerMessage *msg,
                        Request           *req,
                        const char        *what,
                        const char        *roles)
{
  g_autofree char *have = dlg_server_roles_to_string (req->organisation->roles);

  respond_problem (msg, "forbidden", "Only %s may %s; your organisation is registered as %s.",
                   roles, what, have);
}

static gboolean
content_type_is (SoupServerMessage *msg,
                 const char        *expected,
                 const char        *alternative)
{
  const char *type = soup_message_headers_get_content_type (soup_server_message_get_request_headers (msg), NULL);

  return type != NULL && (g_ascii_strcasecmp (type, expected) == 0 ||
                          (alternative && g_ascii_strcasecmp (type, alternative) == 0));
}

static void
handle_health (DlgServer         *self,
               SoupServerMessage *msg)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GError) error = NULL;
  gboolean ok = dlg_server_storage_check (self->storage, &error);

  if (!ok)
    {
      log_failure ("Health check failed: %s", error->message);
      set_retry_after (msg, 10);
      respond_problem (msg, "unavailable", NULL);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, "ok");
  json_builder_set_member_name (builder, "version");
  json_builder_add_string_value (builder, PACKAGE_VERSION);
  json_builder_end_object (builder);
  respond_json (msg, SOUP_STATUS_OK, builder);
}

static void
add_roles (JsonBuilder    *builder,
           DlgServerRoles  roles)
{
  json_builder_begin_array (builder);
  for (DlgServerRoles r = 1; r <= DLG_SERVER_ROLE_CHARTER_BODY; r <<= 1)
    if (roles & r)
      json_builder_add_string_value (builder, dlg_server_role_to_string (r));
  json_builder_end_array (builder);
}

static void
add_keys (JsonBuilder *builder,
          GPtrArray   *keys)
{
  json_builder_begin_array (builder);
  for (guint i = 0; i < keys->len; i++)
    {
      DlgServerKey *key = g_ptr_array_index (keys, i);
      g_autoptr(JsonNode) jwk = json_from_string (key->jwk, NULL);
      g_autofree char *added = format_time (key->added_at);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "kid");
      json_builder_add_string_value (builder, key->id);
      if (jwk != NULL)
        {
          json_builder_set_member_name (builder, "jwk");
          json_builder_add_value (builder, g_steal_pointer (&jwk));
        }
      json_builder_set_member_name (builder, "added_at");
      json_builder_add_string_value (builder, added);
      json_builder_set_member_name (builder, "revoked_at");
      if (key->revoked_at != 0)
        {
          g_autofree char *revoked = format_time (key->revoked_at);
          json_builder_add_string_value (builder, revoked);
        }
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
handle_me (DlgServer         *self,
           SoupServerMessage *msg,
           Request           *req)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GPtrArray) keys = NULL;
  g_autoptr(GError) error = NULL;

  keys = dlg_server_storage_list_keys (self->storage, req->organisation->id, FALSE, &error);
  if (keys == NULL)
    {
      log_failure ("Listing keys failed: %s", error->message);
      respond_problem (msg, "storage-failed", NULL);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, req->organisation->id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, req->organisation->name);
  json_builder_set_member_name (builder, "roles");
  add_roles (builder, req->organisation->roles);
  json_builder_set_member_name (builder, "keys");
  add_keys (builder, keys);
  json_builder_end_object (builder);
  respond_json (msg, SOUP_STATUS_OK, builder);
}

static void
handle_keys (DlgServer         *self,
             SoupServerMessage *msg,
             Request           *req,
             const char        *organisation_id)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(DlgServerOrganisation) org = NULL;
  g_autoptr(GPtrArray) keys = NULL;
  g_autoptr(GError) error = NULL;

  /* Public keys are public: any organisation may fetch another's, to verify
   * what it signed. Revoked keys are listed with the time they were revoked,
   * so that older documents can still be checked. */
  org = dlg_server_storage_get_organisation (self->storage, organisation_id, &error);
  if (org == NULL)
    {
      if (g_error_matches (error, DLG_SERVER_STORAGE_ERROR, DLG_SERVER_STORAGE_ERROR_NOT_FOUND))
        respond_problem (msg, "not-found", NULL);
      else
        respond_problem (msg, "storage-failed", NULL);
      return;
    }

  keys = dlg_server_storage_list_keys (self->storage, organisation_id, TRUE, &error);
  if (keys == NULL)
    {
      respond_problem (msg, "storage-failed", NULL);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "organisation");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, org->id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, org->name);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "keys");
  add_keys (builder, keys);
  json_builder_end_object (builder);
  respond_json (msg, SOUP_STATUS_OK, builder);
}

static void
handle_enrol_key (DlgServer         *self,
                  SoupServerMessage *msg,
                  Request           *req)
{
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autoptr(DlgKey) key = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GPtrArray) keys = NULL;
  g_autofree char *jwk = NULL;
  DlgServerKey record = { 0 };
  gsize length;
  const char *data = g_bytes_get_data (body, &length);

  if (!content_type_is (msg, "application/jwk+json", "application/json"))
    {
      respond_problem (msg, "unsupported-media-type", "Send the public key as application/jwk+json.");
      return;
    }

  key = dlg_key_new_from_jwk (data ? data : "", length, &error);
  if (key == NULL)
    {
      respond_problem (msg, "malformed", "The key cannot be read: %s", error->message);
      return;
    }
  if (dlg_key_has_private (key))
    {
      /* Never keep a private key, even one sent by mistake. */
      respond_problem (msg, "malformed", "Send only the public key; this one holds a private key too.");
      return;
    }

  jwk = dlg_key_to_public_jwk (key);
  record.id = (char *) dlg_key_get_id (key);
  record.organisation_id = req->organisation->id;
  record.jwk = jwk;

  if (!dlg_server_storage_add_key (self->storage, &record, &error))
    {
      g_autoptr(DlgServerKey) existing = NULL;

      if (!g_error_matches (error, DLG_SERVER_STORAGE_ERROR, DLG_SERVER_STORAGE_ERROR_EXISTS))
        {
          log_failure ("Enrolling a key failed: %s", error->message);
          respond_problem (msg, g_error_matches (error, DLG_SERVER_STORAGE_ERROR, DLG_SERVER_STORAGE_ERROR_FULL)
                                ? "storage-full" : "storage-failed", NULL);
          return;
        }

      /* Enrolling one's own key again is harmless; another's is refused
       * without saying whose it is. */
      existing = dlg_server_storage_get_key (self->storage, record.id, NULL);
      if (existing == NULL || g_strcmp0 (existing->organisation_id, req->organisation->id) != 0 ||
          existing->revoked_at != 0)
        {
          respond_problem (msg, "key-exists", "This key cannot be enrolled for your organisation.");
          return;
        }
    }

  keys = g_ptr_array_new_with_free_func ((GDestroyNotify) dlg_server_key_free);
  g_ptr_array_add (keys, dlg_server_storage_get_key (self->storage, record.id, NULL));
  if (g_ptr_array_index (keys, 0) == NULL)
    {
      respond_problem (msg, "storage-failed", NULL);
      return;
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "keys");
  add_keys (builder, keys);
  json_builder_end_object (builder);
  respond_json (msg, error == NULL ? SOUP_STATUS_CREATED : SOUP_STATUS_OK, builder);
}

/* Cursors are opaque to clients: "c1." and the sequence number, encoded. */
static char *
cursor_encode (gint64 sequence)
{
  g_autofree char *plain = g_strdup_printf ("c1.%" G_GINT64_FORMAT, sequence);

  return dlg_base64url_encode ((const guint8 *) plain, strlen (plain));
}

static gboolean
cursor_decode (const char *text,
               gint64     *sequence)
{
  g_autoptr(GBytes) plain = NULL;
  g_autofree char *terminated = NULL;
  gsize length = strlen (text);
  guint64 value;

  if (length == 0 || length > 32)
    return FALSE;
  plain = dlg_base64url_decode (text, length, NULL);
  if (plain == NULL)
    return FALSE;
  terminated = g_strndup (g_bytes_get_data (plain, NULL), g_bytes_get_size (plain));
  if (!g_str_has_prefix (terminated, "c1.") ||
      !g_ascii_string_to_unsigned (terminated + 3, 10, 1, G_MAXINT64, &value, NULL))
    return FALSE;
  *sequence = value;
  return TRUE;
}

static void
handle_list (DlgServer              *self,
             SoupServerMessage      *msg,
             Request                *req,
             GHashTable             *query,
             DlgServerDocumentKind   kind)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GPtrArray) documents = NULL;
  g_autoptr(GError) error = NULL;
  const char *limit_text = query ? g_hash_table_lookup (query, "limit") : NULL;
  const char *cursor = query ? g_hash_table_lookup (query, "cursor") : NULL;
  guint64 limit = DEFAULT_PAGE;
  gint64 before = 0;

  if (limit_text != NULL && !g_ascii_string_to_unsigned (limit_text, 10, 1, MAX_PAGE, &limit, NULL))
    {
      respond_problem (msg, "malformed", "limit must be a number from 1 to %d.", MAX_PAGE);
      return;
    }
  if (cursor != NULL && !cursor_decode (cursor, &before))
    {
      respond_problem (msg, "bad-cursor", "Start again without a cursor.");
      return;
    }

  /* One more than asked tells whether there is a next page. */
  documents = dlg_server_storage_list_documents (self->storage, kind, req->organisation->id,
                                                 before, limit + 1, &error);
  if (documents == NULL)
    {
      log_failure ("Listing failed: %s", error->message);
      respond_problem (msg, "storage-failed", NULL);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; i < documents->len && i < limit; i++)
    {
      DlgServerDocument *doc = g_ptr_array_index (documents, i);
      g_autofree char *received = format_time (doc->received_at);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, dlg_server_document_kind_to_string (doc->kind));
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, doc->id);
      json_builder_set_member_name (builder, "sender");
      json_builder_add_string_value (builder, doc->sender_id);
      if (doc->subject_id != NULL)
        {
          json_builder_set_member_name (builder, "report_id");
          json_builder_add_string_value (builder, doc->subject_id);
        }
      json_builder_set_member_name (builder, "sha256");
      json_builder_add_string_value (builder, doc->sha256);
      json_builder_set_member_name (builder, "size");
      json_builder_add_int_value (builder, doc->size);
      json_builder_set_member_name (builder, "received_at");
      json_builder_add_string_value (builder, received);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "next_cursor");
  if (documents->len > limit)
    {
      DlgServerDocument *last = g_ptr_array_index (documents, limit - 1);
      g_autofree char *next = cursor_encode (last->sequence);
      json_builder_add_string_value (builder, next);
    }
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  respond_json (msg, SOUP_STATUS_OK, builder);
}

static void
handle_fetch (DlgServer              *self,
              SoupServerMessage      *msg,
              Request                *req,
              DlgServerDocumentKind   kind)
{
  g_autoptr(DlgServerDocument) doc = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autofree char *etag = NULL;

  doc = dlg_server_storage_get_document (self->storage, kind, req->param, req->organisation->id, &error);
  if (doc == NULL)
    {
      if (g_error_matches (error, DLG_SERVER_STORAGE_ERROR, DLG_SERVER_STORAGE_ERROR_NOT_FOUND))
        respond_problem (msg, "not-found", NULL);
      else
        {
          log_failure ("Reading a document failed: %s", error->message);
          respond_problem (msg, "storage-failed", NULL);
        }
      return;
    }

  etag = g_strdup_printf ("\"%s\"", doc->sha256);
  soup_message_headers_replace (headers, "ETag", etag);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/jose", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (doc->bytes, NULL), g_bytes_get_size (doc->bytes));
}

/* ------------------------------------------------------------------------ */
/* Submissions                                                              */
/* ------------------------------------------------------------------------ */

typedef struct
{
  DlgServer             *server;      /* owned */
  SoupServerMessage     *msg;         /* owned */
  DlgServerDocumentKind  kind;
  char                  *sender_id;
  GBytes                *body;
  gint64                 directory;   /* the version its request read */

  /* The outcome of verification: a document, or a problem. */
  DlgServerDocument     *document;
  const char            *problem;
  char                  *detail;
} Submission;

static void
submission_free (Submission *s)
{
  g_clear_object (&s->server);
  g_clear_object (&s->msg);
  g_free (s->sender_id);
  g_clear_pointer (&s->body, g_bytes_unref);
  dlg_server_document_free (s->document);
  g_free (s->detail);
  g_free (s);
}

static gboolean G_GNUC_PRINTF (3, 4)
submission_fail (Submission *s,
                 const char *problem,
                 const char *format,
                 ...)
{
  va_list args;

  s->problem = problem;
  va_start (args, format);
  s->detail = g_strdup_vprintf (format, args);
  va_end (args);
  return FALSE;
}

/* Sorts a parse or verification failure into a problem. */
static gboolean
submission_fail_from_error (Submission   *s,
                            const GError *error)
{
  if (error->domain == DLG_JWS_ERROR)
    {
      switch ((DlgJwsError) error->code)
        {
        case DLG_JWS_ERROR_BAD_SIGNATURE:
        case DLG_JWS_ERROR_KEY_MISMATCH:
          return submission_fail (s, "bad-signature", "The signature does not verify: the document was changed "
                                  "after it was signed, or signed with another key (%s).", error->message);
        case DLG_JWS_ERROR_MALFORMED:
        case DLG_JWS_ERROR_UNSUPPORTED_ALGORITHM:
        case DLG_JWS_ERROR_UNSUPPORTED_CRITICAL:
        case DLG_JWS_ERROR_TOO_LARGE:
        default:
          return submission_fail (s, "malformed", "The body is not a signed document this server accepts: %s",
                                  error->message);
        }
    }

  if ((error->domain == DLG_REPORT_ERROR && error->code == DLG_REPORT_ERROR_SYNTAX) ||
      (error->domain == DLG_REVIEW_ERROR && error->code == DLG_REVIEW_ERROR_SYNTAX))
    return submission_fail (s, "malformed", "%s", error->message);

  /* The same checks as opening the file in the app. */
  return submission_fail (s, "invalid-document", "%s", error->message);
}

/* Looks up the key the JWS names, enrolled and not revoked, by anyone. */
static DlgKey *
enrolled_key (Submission        *s,
              DlgServerStorage  *storage,
              DlgJws            *jws,
              char             **owner)
{
  const char *kid = dlg_jws_get_kid (jws);
  g_autoptr(DlgServerKey) record = NULL;
  g_autoptr(GError) error = NULL;
  DlgKey *key;

  record = kid ? directory_get_key (s->server, s->directory, kid, &error) : NULL;
  if (record == NULL && error != NULL &&
      !g_error_matches (error, DLG_SERVER_STORAGE_ERROR, DLG_SERVER_STORAGE_ERROR_NOT_FOUND))
    {
      submission_fail (s, "storage-failed", "The keys could not be read.");
      return NULL;
    }
  if (record == NULL || record->revoked_at != 0)
    {
      submission_fail (s, "unknown-key", "The key %s is not enrolled, or was revoked. Enrol your public key "
                       "with the server's administrator, then send again.", kid ? kid : "(none)");
      return NULL;
    }

  /* Whether it is enrolled, by whom and whether revoked is read above,
   * each time; the key itself never changes under its id, so it is
   * parsed once. */
  g_mutex_lock (&s->server->keys_lock);
  key = g_hash_table_lookup (s->server->keys, record->id);
  if (key != NULL)
    g_object_ref (key);
  g_mutex_unlock (&s->server->keys_lock);

  if (key == NULL)
    {
      key = dlg_key_new_from_jwk (record->jwk, -1, &error);
      if (key == NULL || !g_str_equal (dlg_key_get_id (key), record->id))
        {
          g_clear_object (&key);
          submission_fail (s, "storage-failed", "The enrolled key cannot be read.");
          return NULL;
        }
      g_mutex_lock (&s->server->keys_lock);
      if (g_hash_table_size (s->server->keys) < 100000)
        g_hash_table_replace (s->server->keys, g_strdup (record->id), g_object_ref (key));
      g_mutex_unlock (&s->server->keys_lock);
    }

  *owner = g_steal_pointer (&record->organisation_id);
  return key;
}

/* Checks the parties of a verified report and fills the document. */
static gboolean
accept_report (Submission       *s,
               DlgServerStorage *storage,
               DlgReport        *report)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  guint n = dlg_report_get_n_recipients (report);

  if (n == 0)
    return submission_fail (s, "unknown-recipient", "The report names no recipient, so the server cannot deliver "
                            "it. Send it as a file instead.");

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = dlg_organisation_id_normalise (dlg_report_get_recipient (report, i)->id);
      g_autoptr(DlgServerOrganisation) recipient = NULL;
      g_autoptr(GError) error = NULL;

      recipient = directory_get_organisation (s->server, s->directory, id, &error);
      if (recipient == NULL)
        {
          if (g_error_matches (error, DLG_SERVER_STORAGE_ERROR, DLG_SERVER_STORAGE_ERROR_NOT_FOUND))
            return submission_fail (s, "unknown-recipient",
                                    "%s is not registered on this server. Check the recipient's enterprise "
                                    "number, or send the report as a file.", id);
          return submission_fail (s, "storage-failed", "The organisations could not be read.");
        }
      g_ptr_array_add (ids, g_steal_pointer (&id));
    }
  g_ptr_array_add (ids, NULL);

  s->document = g_new0 (DlgServerDocument, 1);
  s->document->kind = DLG_SERVER_DOCUMENT_REPORT;
  s->document->id = g_strdup (dlg_report_get_id (report));
  s->document->recipients = (char **) g_ptr_array_free (g_steal_pointer (&ids), FALSE);
  return TRUE;
}

/* Checks that a verified review is about a report the reviewer received,
 * with the bytes the server holds, and addresses it to that report's
 * sender. */
static gboolean
accept_review (Submission       *s,
               DlgServerStorage *storage,
               DlgReview        *review)
{
  g_autoptr(DlgServerDocument) report = NULL;
  g_autoptr(GError) error = NULL;
  const char *report_id = dlg_review_get_report_id (review);
  const char *report_sha256 = dlg_review_get_report_sha256 (review);

  report = dlg_server_storage_get_document (storage, DLG_SERVER_DOCUMENT_REPORT, report_id, s->sender_id, &error);
  if (report == NULL || g_str_equal (report->sender_id, s->sender_id))
    {
      if (report == NULL && !g_error_matches (error, DLG_SERVER_STORAGE_ERROR, DLG_SERVER_STORAGE_ERROR_NOT_FOUND))
        return submission_fail (s, "storage-failed", "The report could not be read.");
      return submission_fail (s, "unknown-report", "Report %s was not addressed to your organisation on this "
                              "server.", report_id);
    }
  if (!g_str_equal (report->sha256, report_sha256))
    return submission_fail (s, "report-mismatch", "Report %s on the server has SHA-256 %s; the review names %s.",
                            report->id, report->sha256, report_sha256);

  s->document = g_new0 (DlgServerDocument, 1);
  s->document->kind = DLG_SERVER_DOCUMENT_REVIEW;
  s->document->id = g_strdup (dlg_review_get_id (review));
  s->document->subject_id = g_strdup (report->id);
  s->document->recipients = g_new0 (char *, 2);
  s->document->recipients[0] = g_strdup (report->sender_id);
  return TRUE;
}

static gboolean verified_cb (gpointer user_data);

/* Runs on a verifier thread: everything the server checks before storing.
 * The outcome is in the submission; the server's own thread goes on. */
static void
verify_thread (gpointer submission,
               gpointer user_data)
{
  Submission *s = submission;
  DlgServerStorage *storage = s->server->storage;
  g_autoptr(DlgJws) jws = NULL;
  g_autoptr(DlgKey) key = NULL;
  g_autoptr(DlgReport) report = NULL;
  g_autoptr(DlgReview) review = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key_owner = NULL;
  g_autofree char *author = NULL;
  const char *expected_typ = s->kind == DLG_SERVER_DOCUMENT_REPORT ? DLG_JWS_TYP_REPORT : DLG_JWS_TYP_REVIEW;
  gsize length;
  const char *data = g_bytes_get_data (s->body, &length);

  jws = dlg_jws_parse (data ? data : "", length, &error);
  if (jws == NULL)
    {
      submission_fail_from_error (s, error);
      goto out;
    }
  if (g_strcmp0 (dlg_jws_get_typ (jws), expected_typ) != 0)
    {
      submission_fail (s, "malformed", "The JWS type is “%s”; this address takes “%s”.",
                       dlg_jws_get_typ (jws) ? dlg_jws_get_typ (jws) : "", expected_typ);
      goto out;
    }

  key = enrolled_key (s, storage, jws, &key_owner);
  if (key == NULL)
    goto out;

  /* Verified and read exactly as the app reads a file. */
  if (s->kind == DLG_SERVER_DOCUMENT_REPORT)
    {
      report = dlg_report_new_from_jws (jws, key, &error);
      if (report != NULL)
        author = dlg_organisation_id_normalise (dlg_report_get_organisation_id (report));
    }
  else
    {
      review = dlg_review_new_from_jws (jws, key, &error);
      if (review != NULL)
        author = dlg_organisation_id_normalise (dlg_review_get_reviewer (review)->id);
    }
  if (author == NULL)
    {
      submission_fail_from_error (s, error);
      goto out;
    }

  /* The token says who is sending; the document must say the same, and
   * be signed with one of the sender's own keys. */
  if (!g_str_equal (author, s->sender_id))
    {
      submission_fail (s, "wrong-sender", "The %s is from %s, but your token belongs to %s.",
                       dlg_server_document_kind_to_string (s->kind), author, s->sender_id);
      goto out;
    }
  if (!g_str_equal (key_owner, s->sender_id))
    {
      submission_fail (s, "unknown-key", "The key %s is not enrolled for %s. Enrol your public key with the "
                       "server's administrator, then send again.", dlg_jws_get_kid (jws), s->sender_id);
      goto out;
    }

  if (report != NULL ? !accept_report (s, storage, report) : !accept_review (s, storage, review))
    goto out;

  s->document->sender_id = g_strdup (s->sender_id);
  s->document->bytes = g_bytes_ref (s->body);
  s->document->size = g_bytes_get_size (s->body);
  s->document->sha256 = dlg_sha256_hex (s->body);

out:
  if (s->problem != NULL)
    g_clear_pointer (&s->document, dlg_server_document_free);
  /* Always through the server's loop, never called here, even when this
   * thread could own the server's context for a moment. */
  {
    GSource *idle = g_idle_source_new ();

    g_source_set_priority (idle, G_PRIORITY_DEFAULT);
    g_source_set_callback (idle, verified_cb, s, NULL);
    g_source_attach (idle, s->server->context);
    g_source_unref (idle);
  }
}

static void
submission_respond_receipt (Submission            *s,
                            DlgServerSubmitResult  result,
                            DlgServerDocument     *stored)
{
  g_autofree char *received = format_time (stored->received_at);
  const char *kind = dlg_server_document_kind_to_string (stored->kind);
  g_autofree char *location = g_strdup_printf (API_PREFIX "/%ss/%s", kind, stored->id);
  char *body;

  /* Written directly: every member is a UUID, hex, a number, a time or a
   * constant, none needing escapes, and this answer is sent for every
   * report. The id was checked as a UUID by the report reader. */
  body = g_strdup_printf ("{\"kind\":\"%s\",\"id\":\"%s\",\"sha256\":\"%s\",\"size\":%" G_GSIZE_FORMAT ","
                          "\"received_at\":\"%s\",\"status\":\"%s\"}",
                          kind, stored->id, stored->sha256, stored->size, received,
                          result == DLG_SERVER_SUBMIT_CREATED ? "created" : "duplicate");

  soup_message_headers_replace (soup_server_message_get_response_headers (s->msg), "Location", location);
  soup_server_message_set_status (s->msg, result == DLG_SERVER_SUBMIT_CREATED ? SOUP_STATUS_CREATED : SOUP_STATUS_OK,
                                  NULL);
  soup_server_message_set_response (s->msg, "application/json", SOUP_MEMORY_TAKE, body, strlen (body));
}

static void
submission_finish (Submission *s)
{
  Request *req = request_get (s->msg);

  if (req != NULL && !req->gone)
    soup_server_message_unpause (s->msg);
  submission_free (s);
}

static void
submitted_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Submission *s = user_data;
  g_autoptr(DlgServerDocument) stored = NULL;
  g_autoptr(GError) error = NULL;
  DlgServerSubmitResult outcome;

  outcome = dlg_server_storage_submit_finish (DLG_SERVER_STORAGE (source), result, &stored, &error);
  if (error != NULL)
    {
      log_failure ("Storing %s %s failed: %s", dlg_server_document_kind_to_string (s->kind),
                 s->document->id, error->message);
      if (g_error_matches (error, DLG_SERVER_STORAGE_ERROR, DLG_SERVER_STORAGE_ERROR_FULL))
        {
          set_retry_after (s->msg, 60);
          respond_problem (s->msg, "storage-full", "Nothing was stored; send again later.");
        }
      else if (g_error_matches (error, DLG_SERVER_STORAGE_ERROR, DLG_SERVER_STORAGE_ERROR_CLOSED))
        {
          set_retry_after (s->msg, 5);
          respond_problem (s->msg, "shutting-down", "Nothing was stored; send again in a moment.");
        }
      else
        respond_problem (s->msg, "storage-failed", "Nothing was stored; send again later.");
    }
  else if (outcome == DLG_SERVER_SUBMIT_CONFLICT)
    respond_problem (s->msg, "conflict", "A different %s with id %s is stored already; nothing was changed. "
                     "Sign a new version with a new id.", dlg_server_document_kind_to_string (s->kind),
                     s->document->id);
  else
    {
      submission_respond_receipt (s, outcome, stored);
      g_signal_emit (s->server, signals[DOCUMENT_STORED], 0, s->kind, stored->id,
                     outcome == DLG_SERVER_SUBMIT_CREATED);
    }

  submission_finish (s);
}

/* Back in the server's thread, once verified. */
static gboolean
verified_cb (gpointer user_data)
{
  Submission *s = user_data;

  if (s->problem != NULL)
    {
      if (g_str_equal (s->problem, "storage-failed"))
        log_failure ("Verifying a submission failed: %s", s->detail);
      respond_problem (s->msg, s->problem, "%s", s->detail);
      submission_finish (s);
      return G_SOURCE_REMOVE;
    }

  dlg_server_storage_submit_async (s->server->storage, s->document, NULL, submitted_cb, s);
  return G_SOURCE_REMOVE;
}

static void
handle_submit (DlgServer              *self,
               SoupServerMessage      *msg,
               Request                *req,
               DlgServerDocumentKind   kind)
{
  Submission *s;

  if (kind == DLG_SERVER_DOCUMENT_REPORT &&
      !has_role (req, DLG_SERVER_ROLE_SUPPLIER | DLG_SERVER_ROLE_SIGNATORY))
    {
      respond_forbidden_role (msg, req, "send reports", "suppliers and signatories");
      return;
    }
  if (kind == DLG_SERVER_DOCUMENT_REVIEW &&
      !has_role (req, DLG_SERVER_ROLE_BUYER | DLG_SERVER_ROLE_CHARTER_BODY))
    {
      respond_forbidden_role (msg, req, "send reviews", "buyers and charter bodies");
      return;
    }
  if (!content_type_is (msg, "application/jose", NULL))
    {
      respond_problem (msg, "unsupported-media-type", "Send the signed %s as application/jose.",
                       dlg_server_document_kind_to_string (kind));
      return;
    }

  s = g_new0 (Submission, 1);
  s->server = g_object_ref (self);
  s->msg = g_object_ref (msg);
  s->kind = kind;
  s->sender_id = g_strdup (req->organisation->id);
  s->directory = req->directory;
  s->body = soup_message_body_flatten (soup_server_message_get_request_body (msg));

  soup_server_message_pause (msg);

  /* Parsing and verifying take longer than anything else here; they run
   * on the verifier threads, so that this one keeps serving. The
   * submission is freed once answered, in submission_finish(), back in
   * this thread: it holds the server, which a verifier must never be the
   * last to release. */
  g_thread_pool_push (self->verifiers, s, NULL);
}

/* ------------------------------------------------------------------------ */
/* Questionnaires                                                           */
/* ------------------------------------------------------------------------ */

static void
add_questionnaire (JsonBuilder            *builder,
                   DlgServerQuestionnaire *q)
{
  g_autofree char *published = format_time (q->published_at);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "sha256");
  json_builder_add_string_value (builder, q->sha256);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, q->id);
  json_builder_set_member_name (builder, "version");
  json_builder_add_string_value (builder, q->version);
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, q->title);
  json_builder_set_member_name (builder, "publisher");
  json_builder_add_string_value (builder, q->publisher_id);
  json_builder_set_member_name (builder, "size");
  json_builder_add_int_value (builder, q->size);
  json_builder_set_member_name (builder, "published_at");
  json_builder_add_string_value (builder, published);
  json_builder_end_object (builder);
}

static void
handle_publish (DlgServer         *self,
                SoupServerMessage *msg,
                Request           *req)
{
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autoptr(DlgQuestionnaire) q = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  DlgServerQuestionnaire record = { 0 };
  gboolean created = FALSE;

  if (!has_role (req, DLG_SERVER_ROLE_BUYER | DLG_SERVER_ROLE_CHARTER_BODY))
    {
      respond_forbidden_role (msg, req, "publish questionnaires", "buyers and charter bodies");
      return;
    }
  if (!content_type_is (msg, "application/json", NULL))
    {
      respond_problem (msg, "unsupported-media-type", "Send the questionnaire as application/json.");
      return;
    }

  /* The same validation as importing the file in the app. */
  q = dlg_questionnaire_new_from_bytes (body, NULL, &error);
  if (q == NULL)
    {
      respond_problem (msg, "invalid-questionnaire", "%s", error->message);
      return;
    }

  record.sha256 = (char *) dlg_questionnaire_get_checksum (q);
  record.id = (char *) dlg_questionnaire_get_id (q);
  record.version = (char *) dlg_questionnaire_get_version (q);
  record.title = (char *) dlg_text_get_default (dlg_questionnaire_get_title (q));
  record.publisher_id = req->organisation->id;
  record.bytes = body;
  record.size = g_bytes_get_size (body);
  record.published_at = g_get_real_time ();

  if (!dlg_server_storage_publish_questionnaire (self->storage, &record, &created, &error))
    {
      log_failure ("Publishing a questionnaire failed: %s", error->message);
      respond_problem (msg, g_error_matches (error, DLG_SERVER_STORAGE_ERROR, DLG_SERVER_STORAGE_ERROR_FULL)
                            ? "storage-full" : "storage-failed", NULL);
      return;
    }

  if (!created)
    {
      g_autoptr(DlgServerQuestionnaire) stored = dlg_server_storage_get_questionnaire (self->storage, record.sha256, NULL);

      if (stored != NULL)
        record.published_at = stored->published_at, record.publisher_id = req->organisation->id;
      add_questionnaire (builder, stored ? stored : &record);
    }
  else
    add_questionnaire (builder, &record);
  respond_json (msg, created ? SOUP_STATUS_CREATED : SOUP_STATUS_OK, builder);
}

static void
handle_questionnaires (DlgServer         *self,
                       SoupServerMessage *msg)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;

  list = dlg_server_storage_list_questionnaires (self->storage, &error);
  if (list == NULL)
    {
      respond_problem (msg, "storage-failed", NULL);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; i < list->len; i++)
    add_questionnaire (builder, g_ptr_array_index (list, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  respond_json (msg, SOUP_STATUS_OK, builder);
}

static void
handle_questionnaire (DlgServer         *self,
                      SoupServerMessage *msg,
                      Request           *req)
{
  g_autoptr(DlgServerQuestionnaire) q = NULL;
  g_autoptr(GError) error = NULL;

  q = is_sha256_hex (req->param) ? dlg_server_storage_get_questionnaire (self->storage, req->param, &error) : NULL;
  if (q == NULL)
    {
      if (error == NULL || g_error_matches (error, DLG_SERVER_STORAGE_ERROR, DLG_SERVER_STORAGE_ERROR_NOT_FOUND))
        respond_problem (msg, "not-found", NULL);
      else
        respond_problem (msg, "storage-failed", NULL);
      return;
    }

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (q->bytes, NULL), g_bytes_get_size (q->bytes));
}

static void
handler_cb (SoupServer        *soup,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  DlgServer *self = user_data;
  Request *req = request_get (msg);
  gboolean post = soup_server_message_get_method (msg) == SOUP_METHOD_POST;

  /* Every request went through the early handler, which refuses what does
   * not route. */
  g_return_if_fail (req != NULL);

  switch (req->route)
    {
    case ROUTE_HEALTH:
      handle_health (self, msg);
      break;
    case ROUTE_ME:
      handle_me (self, msg, req);
      break;
    case ROUTE_KEYS:
      if (post)
        handle_enrol_key (self, msg, req);
      else
        handle_keys (self, msg, req, req->organisation->id);
      break;
    case ROUTE_ORGANISATION_KEYS:
      {
        g_autofree char *id = dlg_organisation_id_normalise (req->param);
        handle_keys (self, msg, req, id);
      }
      break;
    case ROUTE_REPORTS:
      if (post)
        handle_submit (self, msg, req, DLG_SERVER_DOCUMENT_REPORT);
      else
        handle_list (self, msg, req, query, DLG_SERVER_DOCUMENT_REPORT);
      break;
    case ROUTE_REPORT:
      handle_fetch (self, msg, req, DLG_SERVER_DOCUMENT_REPORT);
      break;
    case ROUTE_REVIEWS:
      if (post)
        handle_submit (self, msg, req, DLG_SERVER_DOCUMENT_REVIEW);
      else
        handle_list (self, msg, req, query, DLG_SERVER_DOCUMENT_REVIEW);
      break;
    case ROUTE_REVIEW:
      handle_fetch (self, msg, req, DLG_SERVER_DOCUMENT_REVIEW);
      break;
    case ROUTE_QUESTIONNAIRES:
      if (post)
        handle_publish (self, msg, req);
      else
        handle_questionnaires (self, msg);
      break;
    case ROUTE_QUESTIONNAIRE:
      handle_questionnaire (self, msg, req);
      break;
    case ROUTE_NONE:
    default:
      respond_problem (msg, "not-found", NULL);
      break;
    }

  if (self->shutting_down)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
}

/* ------------------------------------------------------------------------ */
/* Logging and shutdown                                                     */
/* ------------------------------------------------------------------------ */

/* A request cut off by a deadline after its headers were read: it will
 * never finish, so it leaves the in-flight count now. */
static void
request_cut_cb (SoupServerMessage *msg,
                gpointer           user_data)
{
  Request *req = request_get (msg);

  if (req == NULL)
    return;
  req->gone = TRUE;
  request_uncount (req);
}

/* A request libsoup could not parse (an unknown transfer coding, say)
 * finishes without a URI. */
static const char *
request_path (SoupServerMessage *msg)
{
  GUri *uri = soup_server_message_get_uri (msg);

  return uri ? g_uri_get_path (uri) : "-";
}

static void
request_done_cb (SoupServer        *soup,
                 SoupServerMessage *msg,
                 gpointer           user_data)
{
  Request *req = request_get (msg);
  guint status = soup_server_message_get_status (msg);
  g_autofree char *status_text = NULL, *duration = NULL, *size = NULL;
  const char *org = req && req->organisation ? req->organisation->id : "-";
  GLogField fields[] = {
    { "MESSAGE", NULL, -1 },
    { "PRIORITY", "6", -1 },
    { "GLIB_DOMAIN", G_LOG_DOMAIN, -1 },
    { "DLG_EVENT", "request", -1 },
    { "DLG_METHOD", soup_server_message_get_method (msg), -1 },
    { "DLG_PATH", request_path (msg), -1 },
    { "DLG_STATUS", NULL, -1 },
    { "DLG_ORGANISATION", org, -1 },
    { "DLG_REMOTE", remote_host (msg), -1 },
    { "DLG_DURATION_MS", NULL, -1 },
    { "DLG_REQUEST_BYTES", NULL, -1 },
    { "DLG_PROBLEM", req && req->problem ? req->problem : "-", -1 },
  };
  g_autofree char *message = NULL;

  /* Answered by libsoup alone ("OPTIONS *"): nothing to log. */
  if (req == NULL)
    return;

  status_text = g_strdup_printf ("%u", status);
  duration = g_strdup_printf ("%.1f", (g_get_monotonic_time () - req->started) / 1000.0);
  size = g_strdup_printf ("%" G_GOFFSET_FORMAT, soup_server_message_get_request_body (msg)->length);
  message = g_strdup_printf ("%s %s %u", soup_server_message_get_method (msg), request_path (msg), status);
  fields[0].value = message;
  fields[6].value = status_text;
  fields[9].value = duration;
  fields[10].value = size;
  g_log_structured_array (G_LOG_LEVEL_INFO, fields, G_N_ELEMENTS (fields));

  req->gone = TRUE;
  request_uncount (req);
}

static void
shutdown_complete (DlgServer *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->shutdown_task);

  if (task == NULL)
    return;

  if (self->shutdown_timeout != NULL)
    {
      g_source_destroy (self->shutdown_timeout);
      g_clear_pointer (&self->shutdown_timeout, g_source_unref);
    }

  if (self->in_flight > 0)
    log_failure ("Stopping with %u requests unfinished after the grace period", self->in_flight);

  /* Closes idle keep-alive connections, and any that outlived the grace. */
  soup_server_disconnect (self->soup);
  g_cancellable_cancel (self->cancellable);
  g_task_return_boolean (task, TRUE);
}

static gboolean
shutdown_idle_cb (gpointer user_data)
{
  DlgServer *self = user_data;

  if (self->in_flight == 0)
    shutdown_complete (self);
  return G_SOURCE_REMOVE;
}

static gboolean
shutdown_timeout_cb (gpointer user_data)
{
  DlgServer *self = user_data;

  g_clear_pointer (&self->shutdown_timeout, g_source_unref);
  shutdown_complete (self);
  return G_SOURCE_REMOVE;
}

/**
 * dlg_server_shutdown_async:
 * @grace_seconds: how long requests under way may take to finish
 *
 * Stops accepting connections at once, answers new requests on open
 * connections with 503, lets the requests under way finish (for up to
 * @grace_seconds), then closes every connection.
 */
void
dlg_server_shutdown_async (DlgServer           *self,
                           guint                grace_seconds,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (DLG_IS_SERVER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dlg_server_shutdown_async);

  if (self->shutdown_task != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING, "The server is already shutting down");
      return;
    }

  self->shutting_down = TRUE;
  self->shutdown_task = g_steal_pointer (&task);

  /* Shutting a listening socket down wakes its watch, whose accept() then
   * fails: libsoup drops the listener and the kernel refuses new
   * connections. */
  for (guint i = 0; i < self->sockets->len; i++)
    g_socket_shutdown (g_ptr_array_index (self->sockets, i), TRUE, TRUE, NULL);

  g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE,
                    "DLG_EVENT", "shutdown",
                    "MESSAGE", "Shutting down: %u requests under way", self->in_flight);

  self->shutdown_timeout = g_timeout_source_new_seconds (grace_seconds);
  g_source_set_callback (self->shutdown_timeout, shutdown_timeout_cb, self, NULL);
  g_source_attach (self->shutdown_timeout, self->context);

  if (self->in_flight == 0)
    {
      GSource *idle = g_idle_source_new ();

      g_source_set_callback (idle, shutdown_idle_cb, g_object_ref (self), g_object_unref);
      g_source_attach (idle, self->context);
      g_source_unref (idle);
    }
}

gboolean
dlg_server_shutdown_finish (DlgServer     *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ------------------------------------------------------------------------ */
/* Object                                                                   */
/* ------------------------------------------------------------------------ */

static void
dlg_server_constructed (GObject *object)
{
  DlgServer *self = DLG_SERVER (object);

  G_OBJECT_CLASS (dlg_server_parent_class)->constructed (object);

  self->soup = soup_server_new ("server-header", "diligence-server/" PACKAGE_VERSION " ", NULL);
  soup_server_add_early_handler (self->soup, NULL, early_handler_cb, self, NULL);
  soup_server_add_handler (self->soup, NULL, handler_cb, self, NULL);
  g_signal_connect (self->soup, "request-finished", G_CALLBACK (request_done_cb), self);
  g_signal_connect (self->soup, "request-aborted", G_CALLBACK (request_done_cb), self);
  self->limits = dlg_server_limits_new (self->soup);
  dlg_server_limits_set_cut_func (self->limits, request_cut_cb, self);
}

static void
dlg_server_dispose (GObject *object)
{
  DlgServer *self = DLG_SERVER (object);

  /* Before the connections it follows close. */
  g_clear_object (&self->limits);
  if (self->soup != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->soup, self);
      soup_server_disconnect (self->soup);
      g_clear_object (&self->soup);
    }
  if (self->shutdown_timeout != NULL)
    {
      g_source_destroy (self->shutdown_timeout);
      g_clear_pointer (&self->shutdown_timeout, g_source_unref);
    }
  g_cancellable_cancel (self->cancellable);

  G_OBJECT_CLASS (dlg_server_parent_class)->dispose (object);
}

static void
dlg_server_finalize (GObject *object)
{
  DlgServer *self = DLG_SERVER (object);

  /* Every submission holds the server: none is queued or verifying. */
  g_thread_pool_free (self->verifiers, FALSE, TRUE);
  g_clear_object (&self->storage);
  g_clear_object (&self->shutdown_task);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->sockets, g_ptr_array_unref);
  g_clear_pointer (&self->token_buckets, g_hash_table_unref);
  g_clear_pointer (&self->address_buckets, g_hash_table_unref);
  g_clear_pointer (&self->keys, g_hash_table_unref);
  g_mutex_clear (&self->keys_lock);
  g_clear_pointer (&self->directory_tokens, g_hash_table_unref);
  g_clear_pointer (&self->directory_organisations, g_hash_table_unref);
  g_clear_pointer (&self->directory_keys, g_hash_table_unref);
  g_mutex_clear (&self->directory_lock);

  G_OBJECT_CLASS (dlg_server_parent_class)->finalize (object);
}

static void
dlg_server_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  DlgServer *self = DLG_SERVER (object);

  switch (prop_id)
    {
    case PROP_STORAGE:
      g_value_set_object (value, self->storage);
      break;
    case PROP_MAX_BODY_SIZE:
      g_value_set_uint64 (value, self->max_body_size);
      break;
    case PROP_RATE_LIMIT:
      g_value_set_double (value, self->rate_limit);
      break;
    case PROP_RATE_BURST:
      g_value_set_uint (value, self->rate_burst);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dlg_server_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  DlgServer *self = DLG_SERVER (object);

  switch (prop_id)
    {
    case PROP_STORAGE:
      self->storage = g_value_dup_object (value);
      break;
    case PROP_MAX_BODY_SIZE:
      if (self->max_body_size != g_value_get_uint64 (value))
        {
          self->max_body_size = g_value_get_uint64 (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_RATE_LIMIT:
      if (self->rate_limit != g_value_get_double (value))
        {
          self->rate_limit = g_value_get_double (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_RATE_BURST:
      if (self->rate_burst != g_value_get_uint (value))
        {
          self->rate_burst = g_value_get_uint (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dlg_server_class_init (DlgServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = dlg_server_constructed;
  object_class->dispose = dlg_server_dispose;
  object_class->finalize = dlg_server_finalize;
  object_class->get_property = dlg_server_get_property;
  object_class->set_property = dlg_server_set_property;

  properties[PROP_STORAGE] =
    g_param_spec_object ("storage", NULL, NULL, DLG_TYPE_SERVER_STORAGE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_BODY_SIZE] =
    g_param_spec_uint64 ("max-body-size", NULL, NULL, 1, G_MAXUINT32, DLG_SERVER_DEFAULT_MAX_BODY_SIZE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* 0 turns the per-token limit off. */
  properties[PROP_RATE_LIMIT] =
    g_param_spec_double ("rate-limit", NULL, NULL, 0, G_MAXDOUBLE, DLG_SERVER_DEFAULT_RATE_LIMIT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RATE_BURST] =
    g_param_spec_uint ("rate-burst", NULL, NULL, 1, G_MAXUINT, DLG_SERVER_DEFAULT_RATE_BURST,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DlgServer::document-stored:
   * @kind: a #DlgServerDocumentKind
   * @id: the document's id
   * @created: %FALSE for a duplicate of one stored before
   *
   * Emitted once a submission is durable, before the answer is sent.
   */
  signals[DOCUMENT_STORED] =
    g_signal_new ("document-stored", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_INT, G_TYPE_STRING, G_TYPE_BOOLEAN);

  request_quark = g_quark_from_static_string ("dlg-server-request");
}

static void
dlg_server_init (DlgServer *self)
{
  self->max_body_size = DLG_SERVER_DEFAULT_MAX_BODY_SIZE;
  self->rate_limit = DLG_SERVER_DEFAULT_RATE_LIMIT;
  self->rate_burst = DLG_SERVER_DEFAULT_RATE_BURST;
  self->sockets = g_ptr_array_new_with_free_func (g_object_unref);
  self->token_buckets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->address_buckets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->cancellable = g_cancellable_new ();
  g_mutex_init (&self->keys_lock);
  self->keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  g_mutex_init (&self->directory_lock);
  self->directory_version = -1;
  self->directory_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                  (GDestroyNotify) dlg_server_token_free);
  self->directory_organisations = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                         (GDestroyNotify) dlg_server_organisation_free);
  self->directory_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                (GDestroyNotify) dlg_server_key_free);
  /* Verification is all processor work: as many threads as processors,
   * not more, so that they do not take turns on the same ones (GTask's
   * shared pool would run up to all eight clients' at once). The server's
   * thread and the database writer mostly wait. */
  self->verifiers = g_thread_pool_new (verify_thread, NULL, MAX (g_get_num_processors (), 1), FALSE, NULL);
}

/**
 * dlg_server_new:
 * @storage: where to keep everything
 *
 * Returns: (transfer full): a server, not listening yet
 */
DlgServer *
dlg_server_new (DlgServerStorage *storage)
{
  g_return_val_if_fail (DLG_IS_SERVER_STORAGE (storage), NULL);
  return g_object_new (DLG_TYPE_SERVER, "storage", storage, NULL);
}

DlgServerStorage *
dlg_server_get_storage (DlgServer *self)
{
  g_return_val_if_fail (DLG_IS_SERVER (self), NULL);
  return self->storage;
}

/**
 * dlg_server_listen:
 * @address: where to listen; port 0 picks a free one
 * @certificate: (nullable): the TLS certificate with its private key; plain
 *   HTTP without one, allowed on loopback addresses only
 *
 * Starts listening in the thread-default main context, which must be the
 * one the server runs in from now on.
 */
gboolean
dlg_server_listen (DlgServer           *self,
                   GInetSocketAddress  *address,
                   GTlsCertificate     *certificate,
                   GError             **error)
{
  g_autoptr(GSocket) socket = NULL;
  GInetAddress *inet = g_inet_socket_address_get_address (address);
  SoupServerListenOptions options = 0;

  g_return_val_if_fail (DLG_IS_SERVER (self), FALSE);
  g_return_val_if_fail (G_IS_INET_SOCKET_ADDRESS (address), FALSE);

  if (certificate == NULL && !g_inet_address_get_is_loopback (inet))
    {
      g_autofree char *text = g_inet_address_to_string (inet);
      g_set_error (error, DLG_SERVER_ERROR, DLG_SERVER_ERROR_INSECURE,
                   "Refusing plain HTTP on %s: give a certificate and key, or listen on a loopback "
                   "address (127.0.0.1 or ::1) for development", text);
      return FALSE;
    }

  if (self->context == NULL)
    self->context = g_main_context_ref_thread_default ();
  else if (self->context != g_main_context_get_thread_default () &&
           !(g_main_context_get_thread_default () == NULL && self->context == g_main_context_default ()))
    {
      g_set_error_literal (error, DLG_SERVER_ERROR, DLG_SERVER_ERROR_FAILED,
                           "Every listen must happen in the same main context");
      return FALSE;
    }

  if (certificate != NULL)
    {
      soup_server_set_tls_certificate (self->soup, certificate);
      options |= SOUP_SERVER_LISTEN_HTTPS;
    }

  /* Our own socket, so that shutdown can stop accepting while requests on
   * open connections finish. */
  socket = g_socket_new (g_socket_address_get_family (G_SOCKET_ADDRESS (address)), G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return FALSE;
  if (!g_socket_bind (socket, G_SOCKET_ADDRESS (address), TRUE, error))
    {
      g_prefix_error (error, "Cannot listen on port %u: ", g_inet_socket_address_get_port (address));
      return FALSE;
    }
  g_socket_set_listen_backlog (socket, 128);
  if (!g_socket_listen (socket, error) ||
      !soup_server_listen_socket (self->soup, socket, options, error))
    return FALSE;

  g_ptr_array_add (self->sockets, g_steal_pointer (&socket));
  return TRUE;
}

/**
 * dlg_server_get_port:
 *
 * Returns: the port of the first address listened on, or 0
 */
guint16
dlg_server_get_port (DlgServer *self)
{
  g_autoptr(GSocketAddress) address = NULL;

  g_return_val_if_fail (DLG_IS_SERVER (self), 0);

  if (self->sockets->len == 0)
    return 0;
  address = g_socket_get_local_address (g_ptr_array_index (self->sockets, 0), NULL);
  return address ? g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address)) : 0;
}

/**
 * dlg_server_get_limits:
 *
 * Returns: (transfer none): the deadlines and the connection limit, whose
 *   properties may be set at any time
 */
DlgServerLimits *
dlg_server_get_limits (DlgServer *self)
{
  g_return_val_if_fail (DLG_IS_SERVER (self), NULL);
  return self->limits;
}

/**
 * dlg_server_get_in_flight:
 *
 * Returns: how many requests are under way
 */
guint
dlg_server_get_in_flight (DlgServer *self)
{
  g_return_val_if_fail (DLG_IS_SERVER (self), 0);
  return self->in_flight;
}
