/* dlg-sync-client.c - talking to a diligence-server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One libsoup session per endpoint and token. Each call is one request;
 * nothing here retries. What comes back is sorted into a DlgSyncError that
 * says whether trying again later can help (network trouble, timeouts,
 * 408, 429, 5xx) or someone must act (4xx), with the server's own words
 * from its problem document and the Retry-After it asked for. Deciding
 * when to try again is the outbox's job.
 */

#define G_LOG_DOMAIN "dlg-sync"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "dlg-jws.h"
#include "dlg-sync-client.h"

#define API "/api/v1"

/* Larger bodies ask first, so that a refusal costs no upload. */
#define EXPECT_CONTINUE_THRESHOLD (64 * 1024)

struct _DlgSyncClient
{
  GObject       parent_instance;

  char         *endpoint;     /* without a trailing slash */
  char         *token;
  guint         timeout;
  SoupSession  *session;
};

G_DEFINE_FINAL_TYPE (DlgSyncClient, dlg_sync_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ENDPOINT,
  PROP_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
dlg_sync_receipt_free (DlgSyncReceipt *receipt)
{
  if (receipt == NULL)
    return;
  g_free (receipt->id);
  g_free (receipt->sha256);
  g_free (receipt->received_at);
  g_free (receipt->json);
  g_free (receipt);
}

void
dlg_sync_listing_free (DlgSyncListing *listing)
{
  if (listing == NULL)
    return;
  g_free (listing->id);
  g_free (listing->sender_id);
  g_free (listing->report_id);
  g_free (listing->sha256);
  g_free (listing->received_at);
  g_free (listing);
}

void
dlg_sync_account_free (DlgSyncAccount *account)
{
  if (account == NULL)
    return;
  g_free (account->id);
  g_free (account->name);
  g_strfreev (account->roles);
  g_strfreev (account->key_ids);
  g_free (account);
}

/* ------------------------------------------------------------------------ */
/* Object                                                                   */
/* ------------------------------------------------------------------------ */

static void
dlg_sync_client_finalize (GObject *object)
{
  DlgSyncClient *self = DLG_SYNC_CLIENT (object);

  g_clear_object (&self->session);
  g_free (self->endpoint);
  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));
  g_free (self->token);

  G_OBJECT_CLASS (dlg_sync_client_parent_class)->finalize (object);
}

static void
dlg_sync_client_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  DlgSyncClient *self = DLG_SYNC_CLIENT (object);

  switch (prop_id)
    {
    case PROP_ENDPOINT:
      g_value_set_string (value, self->endpoint);
      break;
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dlg_sync_client_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  DlgSyncClient *self = DLG_SYNC_CLIENT (object);

  switch (prop_id)
    {
    case PROP_ENDPOINT:
      self->endpoint = g_value_dup_string (value);
      break;
    case PROP_TIMEOUT:
      dlg_sync_client_set_timeout (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dlg_sync_client_class_init (DlgSyncClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dlg_sync_client_finalize;
  object_class->get_property = dlg_sync_client_get_property;
  object_class->set_property = dlg_sync_client_set_property;

  properties[PROP_ENDPOINT] =
    g_param_spec_string ("endpoint", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL, 1, 3600, DLG_SYNC_DEFAULT_TIMEOUT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dlg_sync_client_init (DlgSyncClient *self)
{
  self->timeout = DLG_SYNC_DEFAULT_TIMEOUT;
  self->session = soup_session_new_with_options ("user-agent", "Diligence/" PACKAGE_VERSION " ",
                                                 "timeout", self->timeout,
                                                 "idle-timeout", 60,
                                                 /* A finished request's connection goes
                                                  * back to the pool a moment after its
                                                  * callback: without a bound, a request
                                                  * sent right then would open (and shake
                                                  * hands on) a new one each time. */
                                                 "max-conns-per-host", 2,
                                                 NULL);
}

static gboolean
is_loopback_host (const char *host)
{
  g_autoptr(GInetAddress) inet = NULL;
  g_autofree char *bare = NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  bare = g_strdup (host);
  if (bare[0] == '[')
    {
      memmove (bare, bare + 1, strlen (bare));
      bare[strcspn (bare, "]")] = '\0';
    }
  inet = g_inet_address_new_from_string (bare);
  return inet != NULL && g_inet_address_get_is_loopback (inet);
}

/**
 * dlg_sync_client_new:
 * @endpoint: the server's address, e.g. `https://diligence.example.org`;
 *   plain `http://` only to this computer
 * @token: (nullable): the bearer token the server's administrator gave
 *
 * Returns: (transfer full): a client, or %NULL with
 *   %DLG_SYNC_ERROR_INVALID_ENDPOINT
 */
DlgSyncClient *
dlg_sync_client_new (const char  *endpoint,
                     const char  *token,
                     GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *trimmed = NULL;
  DlgSyncClient *self;
  const char *scheme;

  if (endpoint == NULL || *endpoint == '\0')
    {
      g_set_error_literal (error, DLG_SYNC_ERROR, DLG_SYNC_ERROR_NOT_CONFIGURED,
                           _("No server address is set. Enter it in Preferences."));
      return NULL;
    }

  trimmed = g_strstrip (g_strdup (endpoint));
  while (g_str_has_suffix (trimmed, "/"))
    trimmed[strlen (trimmed) - 1] = '\0';

  uri = g_uri_parse (trimmed, G_URI_FLAGS_NONE, &local);
  scheme = uri ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL || g_uri_get_userinfo (uri) != NULL ||
      (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0))
    {
      g_set_error (error, DLG_SYNC_ERROR, DLG_SYNC_ERROR_INVALID_ENDPOINT,
                   _("“%s” is not a server address; it looks like https://diligence.example.org"), endpoint);
      return NULL;
    }
  /* Tokens and reports never cross a network in the clear. */
  if (g_ascii_strcasecmp (scheme, "http") == 0 && !is_loopback_host (g_uri_get_host (uri)))
    {
      g_set_error (error, DLG_SYNC_ERROR, DLG_SYNC_ERROR_INVALID_ENDPOINT,
                   _("The server address must start with https://; plain http:// is only allowed "
                     "for a server on this computer."));
      return NULL;
    }

  self = g_object_new (DLG_TYPE_SYNC_CLIENT, "endpoint", trimmed, NULL);
  dlg_sync_client_set_token (self, token);
  return self;
}

const char *
dlg_sync_client_get_endpoint (DlgSyncClient *self)
{
  g_return_val_if_fail (DLG_IS_SYNC_CLIENT (self), NULL);
  return self->endpoint;
}

void
dlg_sync_client_set_token (DlgSyncClient *self,
                           const char    *token)
{
  g_return_if_fail (DLG_IS_SYNC_CLIENT (self));

  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));
  g_free (self->token);
  self->token = token && *token ? g_strstrip (g_strdup (token)) : NULL;
}

guint
dlg_sync_client_get_timeout (DlgSyncClient *self)
{
  g_return_val_if_fail (DLG_IS_SYNC_CLIENT (self), 0);
  return self->timeout;
}

void
dlg_sync_client_set_timeout (DlgSyncClient *self,
                             guint          seconds)
{
  g_return_if_fail (DLG_IS_SYNC_CLIENT (self));

  seconds = CLAMP (seconds, 1, 3600);
  if (self->timeout == seconds)
    return;
  self->timeout = seconds;
  g_object_set (self->session, "timeout", seconds, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

/**
 * dlg_sync_client_set_tls_database:
 * @database: (nullable): the certificates to trust, instead of the system's
 *
 * For servers with a certificate of a private authority.
 */
void
dlg_sync_client_set_tls_database (DlgSyncClient *self,
                                  GTlsDatabase  *database)
{
  g_return_if_fail (DLG_IS_SYNC_CLIENT (self));

  if (database != NULL)
    g_object_set (self->session, "tls-database", database, NULL);
  else
    g_object_set (self->session, "tls-database", g_tls_backend_get_default_database (g_tls_backend_get_default ()),
                  NULL);
}

/* ------------------------------------------------------------------------ */
/* Requests and what comes back                                             */
/* ------------------------------------------------------------------------ */

typedef gpointer (*ParseFunc) (DlgSyncClient  *self,
                               SoupMessage    *msg,
                               GBytes         *body,
                               gpointer        data,
                               GError        **error);

typedef struct
{
  SoupMessage    *msg;
  ParseFunc       parse;
  GDestroyNotify  result_free;
  gpointer        data;
  GDestroyNotify  data_free;
  gint64          retry_after;    /* seconds, -1 when the server asked nothing */
  char           *problem;        /* the code of the server's problem document */
  char           *next_cursor;    /* for listings */
  char           *organisation_name;
  GInputStream   *response;       /* the answer's body, until it is closed */
  GOutputStream  *sink;           /* where it is read to */
  GError         *read_error;
  gboolean        body_sent;      /* the request's body went out (this attempt) */
} Call;

static void
call_free (Call *call)
{
  /* libsoup may keep the message a little longer than the call. */
  if (call->msg != NULL)
    g_signal_handlers_disconnect_by_data (call->msg, call);
  g_clear_object (&call->msg);
  g_clear_object (&call->response);
  g_clear_object (&call->sink);
  g_clear_error (&call->read_error);
  if (call->data != NULL && call->data_free != NULL)
    call->data_free (call->data);
  g_free (call->next_cursor);
  g_free (call->problem);
  g_free (call->organisation_name);
  g_free (call);
}

static gint64
parse_retry_after (SoupMessage *msg)
{
  const char *value = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Retry-After");
  guint64 seconds;
  g_autoptr(GDateTime) date = NULL;
  g_autoptr(GDateTime) now = NULL;

  if (value == NULL)
    return -1;
  if (g_ascii_string_to_unsigned (value, 10, 0, 7 * 24 * 3600, &seconds, NULL))
    return seconds;
  date = soup_date_time_new_from_http_string (value);
  if (date == NULL)
    return -1;
  now = g_date_time_new_now_utc ();
  return MAX (g_date_time_difference (date, now) / G_TIME_SPAN_SECOND, 0);
}

static JsonNode *
parse_json (GBytes  *body,
            GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  gsize length;
  const char *data = g_bytes_get_data (body, &length);

  if (!json_parser_load_from_data (parser, data ? data : "", length, NULL))
    {
      g_set_error_literal (error, DLG_SYNC_ERROR, DLG_SYNC_ERROR_PROTOCOL,
                           _("The server's answer could not be read."));
      return NULL;
    }
  return json_node_ref (json_parser_get_root (parser));
}

static const char *
object_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
         ? json_node_get_string (node) : NULL;
}

/* A problem code as the server's table spells them: the outbox keeps it
 * and looks its advice up by it, so nothing else is taken from a server. */
static gboolean
problem_code_is_valid (const char *code)
{
  gsize length = code ? strlen (code) : 0;

  if (length == 0 || length > 40)
    return FALSE;
  for (const char *p = code; *p != '\0'; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '-')
      return FALSE;
  return TRUE;
}

/* Turns an answer that is not a success into an error, in the server's
 * words where it gave some, and gives its problem code to @problem. */
static GError *
error_from_response (SoupMessage  *msg,
                     GBytes       *body,
                     char        **problem)
{
  guint status = soup_message_get_status (msg);
  const char *type = soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL);
  g_autoptr(JsonNode) json = NULL;
  const char *code = NULL, *detail = NULL, *title = NULL;
  JsonObject *object = NULL;
  DlgSyncError error_code;
  g_autofree char *said = NULL;

  if (type != NULL && g_str_equal (type, "application/problem+json") && body != NULL)
    json = parse_json (body, NULL);
  if (json != NULL && JSON_NODE_HOLDS_OBJECT (json))
    {
      object = json_node_get_object (json);
      code = object_string (object, "code");
      detail = object_string (object, "detail");
      title = object_string (object, "title");
      if (problem_code_is_valid (code))
        *problem = g_strdup (code);
    }

  if (status >= 500)
    error_code = DLG_SYNC_ERROR_SERVER;
  else if (status == 408 || status == 429)
    error_code = DLG_SYNC_ERROR_BUSY;
  else if (status == 401)
    error_code = DLG_SYNC_ERROR_UNAUTHORIZED;
  else if (status == 403)
    error_code = DLG_SYNC_ERROR_FORBIDDEN;
  else if (status == 404)
    error_code = DLG_SYNC_ERROR_NOT_FOUND;
  else if (status == 409)
    error_code = DLG_SYNC_ERROR_CONFLICT;
  else if (status == 413)
    error_code = DLG_SYNC_ERROR_TOO_LARGE;
  else if (g_strcmp0 (code, "unknown-key") == 0)
    error_code = DLG_SYNC_ERROR_UNKNOWN_KEY;
  else if (g_strcmp0 (code, "bad-signature") == 0)
    error_code = DLG_SYNC_ERROR_BAD_SIGNATURE;
  else if (g_strcmp0 (code, "unknown-recipient") == 0)
    error_code = DLG_SYNC_ERROR_UNKNOWN_RECIPIENT;
  else if (status >= 400)
    error_code = DLG_SYNC_ERROR_REJECTED;
  else
    error_code = DLG_SYNC_ERROR_PROTOCOL;   /* 1xx, 3xx: nothing we asked for */

  /* The server's words: its title, then its detail, as sentences. */
  if (title != NULL && detail != NULL)
    said = g_strdup_printf ("%s. %s", title, detail);
  else if (title != NULL || detail != NULL)
    said = g_strdup (title ? title : detail);
  else
    said = g_strdup_printf ("%u %s", status, soup_status_get_phrase (status));

  switch (error_code)
    {
    case DLG_SYNC_ERROR_SERVER:
      return g_error_new (DLG_SYNC_ERROR, error_code, _("The server had a problem: %s"), said);
    case DLG_SYNC_ERROR_BUSY:
      return g_error_new (DLG_SYNC_ERROR, error_code, _("The server is busy: %s"), said);
    case DLG_SYNC_ERROR_UNAUTHORIZED:
      return g_error_new (DLG_SYNC_ERROR, error_code,
                          _("The server refused the token: it is wrong, or was revoked. %s"), said);
    case DLG_SYNC_ERROR_PROTOCOL:
      return g_error_new (DLG_SYNC_ERROR, error_code, _("The server gave an unexpected answer: %s"), said);
    case DLG_SYNC_ERROR_NETWORK:
    case DLG_SYNC_ERROR_TIMEOUT:
    case DLG_SYNC_ERROR_TLS:
    case DLG_SYNC_ERROR_NOT_CONFIGURED:
    case DLG_SYNC_ERROR_INVALID_ENDPOINT:
    case DLG_SYNC_ERROR_FORBIDDEN:
    case DLG_SYNC_ERROR_NOT_FOUND:
    case DLG_SYNC_ERROR_CONFLICT:
    case DLG_SYNC_ERROR_TOO_LARGE:
    case DLG_SYNC_ERROR_UNKNOWN_KEY:
    case DLG_SYNC_ERROR_BAD_SIGNATURE:
    case DLG_SYNC_ERROR_UNKNOWN_RECIPIENT:
    case DLG_SYNC_ERROR_REJECTED:
    default:
      return g_error_new (DLG_SYNC_ERROR, error_code, _("The server refused it: %s"), said);
    }
}

static GError *
error_from_transport (DlgSyncClient *self,
                      GError        *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_error_new (DLG_SYNC_ERROR, DLG_SYNC_ERROR_TIMEOUT,
                        _("The server did not answer within %u seconds."), self->timeout);
  /* Only a refused certificate says who the server is not. A server that
   * closes the connection before the handshake is done (full, or shutting
   * down) is out of reach for now, and sending is tried again. */
  if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE))
    return g_error_new (DLG_SYNC_ERROR, DLG_SYNC_ERROR_TLS,
                        _("The server's identity could not be verified: %s"), error->message);
  if (error->domain == SOUP_SESSION_ERROR)
    return g_error_new (DLG_SYNC_ERROR, DLG_SYNC_ERROR_PROTOCOL,
                        _("The server gave an answer that could not be read: %s"), error->message);
  return g_error_new (DLG_SYNC_ERROR, DLG_SYNC_ERROR_NETWORK,
                      _("The server could not be reached: %s"), error->message);
}

/* The whole answer is in (or failed): sort it out. */
static void
finish_call (GTask *task)
{
  DlgSyncClient *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  gpointer value;
  guint status;

  if (call->read_error != NULL)
    {
      g_task_return_error (task, error_from_transport (self, call->read_error));
      return;
    }

  body = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (call->sink));
  status = soup_message_get_status (call->msg);
  call->retry_after = parse_retry_after (call->msg);
  if (status < 200 || status >= 300)
    {
      g_task_return_error (task, error_from_response (call->msg, body, &call->problem));
      return;
    }

  value = call->parse (self, call->msg, body, call, &error);
  if (value == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, value, call->result_free);
}

static void
response_closed_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;

  /* Closing only settles the connection: whether it can serve another
   * request. What the server said is in already. */
  g_input_stream_close_finish (G_INPUT_STREAM (source), result, NULL);
  finish_call (task);
}

static void
response_read_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  Call *call = g_task_get_task_data (task);
  g_autoptr(GCancellable) drop = NULL;
  GCancellable *cancellable = g_task_get_cancellable (task);

  if (g_output_stream_splice_finish (G_OUTPUT_STREAM (source), result, &call->read_error) < 0)
    g_assert (call->read_error != NULL);

  /* The server may answer a request before its body is sent: it refuses
   * a body too large right after the headers, as "Expect: 100-continue"
   * lets it. libsoup 3.2 then gets its own state wrong: having read that
   * answer, closing the answer's stream makes it wait for a second answer
   * on the same connection, and while nothing comes yet (the server has
   * not closed its end at that very moment: a race, lost about once in
   * fifty runs on a busy machine) it builds that wait from the wrong
   * structure and crashes. A close with a cancelled cancellable ends the
   * exchange before any of that; libsoup then drops the connection, which
   * the server is closing anyway and which could not carry another
   * request. The same for an answer that could not be read to its end.
   * Every other answer is closed normally, so that its connection is kept
   * for the next request. */
  if (!call->body_sent || call->read_error != NULL)
    {
      drop = g_cancellable_new ();
      g_cancellable_cancel (drop);
      cancellable = drop;
    }
  g_input_stream_close_async (call->response, G_PRIORITY_DEFAULT, cancellable, response_closed_cb, task);
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  DlgSyncClient *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  call->response = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (call->response == NULL)
    {
      g_task_return_error (task, error_from_transport (self, error));
      g_object_unref (task);
      return;
    }

  /* Read to the end ourselves rather than with
   * soup_session_send_and_read_async(), to decide how the stream is
   * closed (see response_read_cb). */
  call->sink = g_memory_output_stream_new_resizable ();
  g_output_stream_splice_async (call->sink, call->response, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                                G_PRIORITY_DEFAULT, g_task_get_cancellable (task), response_read_cb, task);
}

/* Each attempt (libsoup may send a request again on a new connection)
 * starts without its body sent. */
static void
wrote_headers_cb (SoupMessage *msg,
                  Call        *call)
{
  call->body_sent = FALSE;
}

static void
wrote_body_cb (SoupMessage *msg,
               Call        *call)
{
  call->body_sent = TRUE;
}

static void
start (DlgSyncClient        *self,
       const char           *method,
       const char           *path,
       const char           *content_type,
       GBytes               *body,
       ParseFunc             parse,
       GDestroyNotify        result_free,
       gpointer              data,
       GDestroyNotify        data_free,
       gpointer              source_tag,
       GCancellable         *cancellable,
       GAsyncReadyCallback   callback,
       gpointer              user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *uri = g_strconcat (self->endpoint, API, path, NULL);
  SoupMessageHeaders *headers;
  Call *call;

  g_task_set_source_tag (task, source_tag);

  call = g_new0 (Call, 1);
  call->parse = parse;
  call->result_free = result_free;
  call->data = data;
  call->data_free = data_free;
  call->retry_after = -1;
  g_task_set_task_data (task, call, (GDestroyNotify) call_free);

  if (self->token == NULL)
    {
      g_task_return_new_error (task, DLG_SYNC_ERROR, DLG_SYNC_ERROR_NOT_CONFIGURED,
                               _("No token is set. Enter the one your server's administrator gave you in "
                                 "Preferences."));
      return;
    }

  call->msg = soup_message_new (method, uri);
  if (call->msg == NULL)
    {
      g_task_return_new_error (task, DLG_SYNC_ERROR, DLG_SYNC_ERROR_INVALID_ENDPOINT,
                               _("“%s” is not a server address"), self->endpoint);
      return;
    }

  /* Every request of this API may be repeated: submissions are keyed by
   * the document's id, enrolling a key twice is harmless. Saying so lets
   * libsoup send a POST on a kept-alive connection (instead of a new TLS
   * handshake each time) and repeat it if that connection turns out to
   * have been closed by the server. */
  soup_message_add_flags (call->msg, SOUP_MESSAGE_IDEMPOTENT);

  headers = soup_message_get_request_headers (call->msg);
  {
    g_autofree char *auth = g_strconcat ("Bearer ", self->token, NULL);
    soup_message_headers_replace (headers, "Authorization", auth);
  }
  soup_message_headers_replace (headers, "Accept", "application/json, application/jose, application/problem+json");
  if (body != NULL)
    {
      soup_message_set_request_body_from_bytes (call->msg, content_type, body);
      if (g_bytes_get_size (body) > EXPECT_CONTINUE_THRESHOLD)
        soup_message_headers_set_expectations (headers, SOUP_EXPECTATION_CONTINUE);
    }

  g_signal_connect (call->msg, "wrote-headers", G_CALLBACK (wrote_headers_cb), call);
  g_signal_connect (call->msg, "wrote-body", G_CALLBACK (wrote_body_cb), call);
  soup_session_send_async (self->session, call->msg, G_PRIORITY_DEFAULT, cancellable,
                           sent_cb, g_steal_pointer (&task));
}

static gpointer
propagate (DlgSyncClient  *self,
           GAsyncResult   *result,
           gpointer        source_tag,
           Call          **call,
           GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  if (call != NULL)
    *call = g_task_get_task_data (G_TASK (result));
  return g_task_propagate_pointer (G_TASK (result), error);
}

static JsonObject *
parse_object (GBytes     *body,
              JsonNode  **root,
              GError    **error)
{
  *root = parse_json (body, error);
  if (*root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (*root))
    {
      g_set_error_literal (error, DLG_SYNC_ERROR, DLG_SYNC_ERROR_PROTOCOL,
                           _("The server's answer could not be read."));
      return NULL;
    }
  return json_node_get_object (*root);
}

/* ------------------------------------------------------------------------ */
/* Submit                                                                   */
/* ------------------------------------------------------------------------ */

static gpointer
parse_receipt (DlgSyncClient  *self,
               SoupMessage    *msg,
               GBytes         *body,
               gpointer        data,
               GError        **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object = parse_object (body, &root, error);
  DlgSyncReceipt *receipt;
  const char *id, *sha256, *received_at;

  if (object == NULL)
    return NULL;

  id = object_string (object, "id");
  sha256 = object_string (object, "sha256");
  received_at = object_string (object, "received_at");
  if (id == NULL || sha256 == NULL || received_at == NULL)
    {
      g_set_error_literal (error, DLG_SYNC_ERROR, DLG_SYNC_ERROR_PROTOCOL,
                           _("The server's receipt is incomplete."));
      return NULL;
    }

  receipt = g_new0 (DlgSyncReceipt, 1);
  receipt->kind = g_strcmp0 (object_string (object, "kind"), "review") == 0 ? DLG_SIGNED_REVIEW : DLG_SIGNED_REPORT;
  receipt->id = g_strdup (id);
  receipt->sha256 = g_strdup (sha256);
  receipt->size = json_object_get_int_member_with_default (object, "size", 0);
  receipt->received_at = g_strdup (received_at);
  receipt->duplicate = g_strcmp0 (object_string (object, "status"), "duplicate") == 0;
  receipt->json = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  return receipt;
}

static gpointer
check_receipt (DlgSyncClient  *self,
               SoupMessage    *msg,
               GBytes         *body,
               gpointer        data,
               GError        **error)
{
  Call *call = data;
  GBytes *sent = call->data;
  g_autofree char *sha256 = dlg_sha256_hex (sent);
  DlgSyncReceipt *receipt = parse_receipt (self, msg, body, data, error);

  /* A receipt for other bytes is no receipt for ours. */
  if (receipt != NULL && !g_str_equal (receipt->sha256, sha256))
    {
      g_set_error (error, DLG_SYNC_ERROR, DLG_SYNC_ERROR_PROTOCOL,
                   _("The server acknowledged other bytes than those sent (SHA-256 %s)."), receipt->sha256);
      g_clear_pointer (&receipt, dlg_sync_receipt_free);
    }
  return receipt;
}

/**
 * dlg_sync_client_submit_async:
 * @jws: the exact compact JWS of a signed report or review
 *
 * Sends one signed document. Sending the same bytes again is harmless: the
 * server answers with the original receipt.
 */
void
dlg_sync_client_submit_async (DlgSyncClient        *self,
                              DlgSignedKind         kind,
                              GBytes               *jws,
                              GCancellable         *cancellable,
                              GAsyncReadyCallback   callback,
                              gpointer              user_data)
{
  g_return_if_fail (DLG_IS_SYNC_CLIENT (self));
  g_return_if_fail (jws != NULL);

  /* The bytes stay with the call, to check the receipt against them. */
  start (self, "POST", kind == DLG_SIGNED_REVIEW ? "/reviews" : "/reports", "application/jose", jws,
         check_receipt, (GDestroyNotify) dlg_sync_receipt_free, g_bytes_ref (jws), (GDestroyNotify) g_bytes_unref,
         dlg_sync_client_submit_async, cancellable, callback, user_data);
}

/**
 * dlg_sync_client_submit_finish:
 * @retry_after: (out) (optional): the seconds the server asked to wait
 *   before trying again, or -1
 * @problem: (out) (optional) (transfer full) (nullable): the code of the
 *   server's problem document (e.g. "unknown-key", see docs/server.md),
 *   or %NULL when it gave none
 *
 * Returns: (transfer full): the server's receipt, or %NULL with a
 *   %DLG_SYNC_ERROR
 */
DlgSyncReceipt *
dlg_sync_client_submit_finish (DlgSyncClient  *self,
                               GAsyncResult   *result,
                               gint64         *retry_after,
                               char          **problem,
                               GError        **error)
{
  Call *call = NULL;
  DlgSyncReceipt *receipt = propagate (self, result, dlg_sync_client_submit_async, &call, error);

  if (retry_after != NULL)
    *retry_after = call ? call->retry_after : -1;
  if (problem != NULL)
    *problem = call && receipt == NULL ? g_strdup (call->problem) : NULL;
  return receipt;
}

/* ------------------------------------------------------------------------ */
/* Account, listings, fetching, keys                                        */
/* ------------------------------------------------------------------------ */

static char **
string_array (JsonObject *object,
              const char *name,
              const char *member_name)
{
  JsonNode *node = json_object_get_member (object, name);
  GPtrArray *strings = g_ptr_array_new ();

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          const char *value = NULL;

          if (member_name != NULL && JSON_NODE_HOLDS_OBJECT (element))
            value = object_string (json_node_get_object (element), member_name);
          else if (member_name == NULL && JSON_NODE_HOLDS_VALUE (element) &&
                   json_node_get_value_type (element) == G_TYPE_STRING)
            value = json_node_get_string (element);
          if (value != NULL)
            g_ptr_array_add (strings, g_strdup (value));
        }
    }
  g_ptr_array_add (strings, NULL);
  return (char **) g_ptr_array_free (strings, FALSE);
}

static gpointer
parse_account (DlgSyncClient  *self,
               SoupMessage    *msg,
               GBytes         *body,
               gpointer        data,
               GError        **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object = parse_object (body, &root, error);
  DlgSyncAccount *account;

  if (object == NULL)
    return NULL;
  if (object_string (object, "id") == NULL)
    {
      g_set_error_literal (error, DLG_SYNC_ERROR, DLG_SYNC_ERROR_PROTOCOL, _("The server's answer could not be read."));
      return NULL;
    }

  account = g_new0 (DlgSyncAccount, 1);
  account->id = g_strdup (object_string (object, "id"));
  account->name = g_strdup (object_string (object, "name"));
  account->roles = string_array (object, "roles", NULL);
  account->key_ids = string_array (object, "keys", "kid");
  return account;
}

/**
 * dlg_sync_client_get_account_async:
 *
 * Asks who the token belongs to: a good check of the endpoint and token
 * together, e.g. for a "Test connection" button.
 */
void
dlg_sync_client_get_account_async (DlgSyncClient       *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (DLG_IS_SYNC_CLIENT (self));

  start (self, "GET", "/me", NULL, NULL, parse_account, (GDestroyNotify) dlg_sync_account_free, NULL, NULL,
         dlg_sync_client_get_account_async, cancellable, callback, user_data);
}

DlgSyncAccount *
dlg_sync_client_get_account_finish (DlgSyncClient  *self,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  return propagate (self, result, dlg_sync_client_get_account_async, NULL, error);
}

static gpointer
parse_listing (DlgSyncClient  *self,
               SoupMessage    *msg,
               GBytes         *body,
               gpointer        data,
               GError        **error)
{
  Call *call = data;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object = parse_object (body, &root, error);
  JsonNode *items;
  g_autoptr(GPtrArray) list = NULL;

  if (object == NULL)
    return NULL;
  items = json_object_get_member (object, "items");
  if (items == NULL || !JSON_NODE_HOLDS_ARRAY (items))
    {
      g_set_error_literal (error, DLG_SYNC_ERROR, DLG_SYNC_ERROR_PROTOCOL, _("The server's answer could not be read."));
      return NULL;
    }

  list = g_ptr_array_new_with_free_func ((GDestroyNotify) dlg_sync_listing_free);
  for (guint i = 0; i < json_array_get_length (json_node_get_array (items)); i++)
    {
      JsonNode *element = json_array_get_element (json_node_get_array (items), i);
      JsonObject *item = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
      DlgSyncListing *listing;

      if (item == NULL || object_string (item, "id") == NULL || object_string (item, "sha256") == NULL)
        continue;
      listing = g_new0 (DlgSyncListing, 1);
      listing->kind = g_strcmp0 (object_string (item, "kind"), "review") == 0 ? DLG_SIGNED_REVIEW : DLG_SIGNED_REPORT;
      listing->id = g_strdup (object_string (item, "id"));
      listing->sender_id = g_strdup (object_string (item, "sender"));
      listing->report_id = g_strdup (object_string (item, "report_id"));
      listing->sha256 = g_strdup (object_string (item, "sha256"));
      listing->size = json_object_get_int_member_with_default (item, "size", 0);
      listing->received_at = g_strdup (object_string (item, "received_at"));
      g_ptr_array_add (list, listing);
    }

  call->next_cursor = g_strdup (object_string (object, "next_cursor"));
  return g_steal_pointer (&list);
}

/**
 * dlg_sync_client_list_async:
 * @cursor: (nullable): where the previous page ended, or %NULL for the newest
 * @limit: how many at most, 0 for the server's default
 *
 * Lists the documents addressed to us: reports for buyers and charter
 * bodies, reviews for suppliers. Newest first.
 */
void
dlg_sync_client_list_async (DlgSyncClient       *self,
                            DlgSignedKind        kind,
                            const char          *cursor,
                            guint                limit,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GString) path = g_string_new (kind == DLG_SIGNED_REVIEW ? "/reviews" : "/reports");
  char separator = '?';

  g_return_if_fail (DLG_IS_SYNC_CLIENT (self));

  if (limit > 0)
    {
      g_string_append_printf (path, "%climit=%u", separator, limit);
      separator = '&';
    }
  if (cursor != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (cursor, NULL, FALSE);
      g_string_append_printf (path, "%ccursor=%s", separator, escaped);
    }

  start (self, "GET", path->str, NULL, NULL, parse_listing, (GDestroyNotify) g_ptr_array_unref, NULL, NULL,
         dlg_sync_client_list_async, cancellable, callback, user_data);
}

/**
 * dlg_sync_client_list_finish:
 * @next_cursor: (out) (optional): the cursor of the next page, or %NULL
 *   at the end
 *
 * Returns: (transfer full) (element-type DlgSyncListing): a page
 */
GPtrArray *
dlg_sync_client_list_finish (DlgSyncClient  *self,
                             GAsyncResult   *result,
                             char          **next_cursor,
                             GError        **error)
{
  Call *call = NULL;
  GPtrArray *list = propagate (self, result, dlg_sync_client_list_async, &call, error);

  if (next_cursor != NULL)
    *next_cursor = list && call ? g_strdup (call->next_cursor) : NULL;
  return list;
}

static gpointer
take_bytes (DlgSyncClient  *self,
            SoupMessage    *msg,
            GBytes         *body,
            gpointer        data,
            GError        **error)
{
  return g_bytes_ref (body);
}

/**
 * dlg_sync_client_fetch_async:
 *
 * Fetches the exact bytes of a document addressed to us (or sent by us).
 */
void
dlg_sync_client_fetch_async (DlgSyncClient       *self,
                             DlgSignedKind        kind,
                             const char          *id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (DLG_IS_SYNC_CLIENT (self));
  g_return_if_fail (id != NULL);

  escaped = g_uri_escape_string (id, NULL, FALSE);
  path = g_strconcat (kind == DLG_SIGNED_REVIEW ? "/reviews/" : "/reports/", escaped, NULL);
  start (self, "GET", path, NULL, NULL, take_bytes, (GDestroyNotify) g_bytes_unref, NULL, NULL,
         dlg_sync_client_fetch_async, cancellable, callback, user_data);
}

/**
 * dlg_sync_client_fetch_finish:
 *
 * Returns: (transfer full): the compact JWS as stored on the server; not
 *   verified yet
 */
GBytes *
dlg_sync_client_fetch_finish (DlgSyncClient  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  return propagate (self, result, dlg_sync_client_fetch_async, NULL, error);
}

static gpointer
parse_keys (DlgSyncClient  *self,
            SoupMessage    *msg,
            GBytes         *body,
            gpointer        data,
            GError        **error)
{
  Call *call = data;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object = parse_object (body, &root, error);
  JsonNode *keys, *org;
  g_autoptr(GPtrArray) list = NULL;

  if (object == NULL)
    return NULL;
  keys = json_object_get_member (object, "keys");
  if (keys == NULL || !JSON_NODE_HOLDS_ARRAY (keys))
    {
      g_set_error_literal (error, DLG_SYNC_ERROR, DLG_SYNC_ERROR_PROTOCOL, _("The server's answer could not be read."));
      return NULL;
    }
  org = json_object_get_member (object, "organisation");
  if (org != NULL && JSON_NODE_HOLDS_OBJECT (org))
    call->organisation_name = g_strdup (object_string (json_node_get_object (org), "name"));

  list = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < json_array_get_length (json_node_get_array (keys)); i++)
    {
      JsonNode *element = json_array_get_element (json_node_get_array (keys), i);
      JsonObject *item = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
      JsonNode *jwk = item ? json_object_get_member (item, "jwk") : NULL;
      JsonNode *revoked = item ? json_object_get_member (item, "revoked_at") : NULL;
      g_autofree char *text = NULL;
      DlgKey *key;

      /* Only keys valid now; and every id is recomputed from the key. */
      if (jwk == NULL || !JSON_NODE_HOLDS_OBJECT (jwk) || (revoked != NULL && !JSON_NODE_HOLDS_NULL (revoked)))
        continue;
      text = json_to_string (jwk, FALSE);
      key = dlg_key_new_from_jwk (text, -1, NULL);
      if (key != NULL && !dlg_key_has_private (key))
        g_ptr_array_add (list, key);
      else
        g_clear_object (&key);
    }
  return g_steal_pointer (&list);
}

/**
 * dlg_sync_client_get_keys_async:
 *
 * Fetches the public keys an organisation enrolled on the server.
 */
void
dlg_sync_client_get_keys_async (DlgSyncClient       *self,
                                const char          *organisation_id,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (DLG_IS_SYNC_CLIENT (self));
  g_return_if_fail (organisation_id != NULL);

  escaped = g_uri_escape_string (organisation_id, NULL, FALSE);
  path = g_strconcat ("/organisations/", escaped, "/keys", NULL);
  start (self, "GET", path, NULL, NULL, parse_keys, (GDestroyNotify) g_ptr_array_unref, NULL, NULL,
         dlg_sync_client_get_keys_async, cancellable, callback, user_data);
}

/**
 * dlg_sync_client_get_keys_finish:
 * @organisation_name: (out) (optional): the organisation's name on the server
 *
 * Returns: (transfer full) (element-type DlgKey): the organisation's valid
 *   public keys
 */
GPtrArray *
dlg_sync_client_get_keys_finish (DlgSyncClient  *self,
                                 GAsyncResult   *result,
                                 char          **organisation_name,
                                 GError        **error)
{
  Call *call = NULL;
  GPtrArray *keys = propagate (self, result, dlg_sync_client_get_keys_async, &call, error);

  if (organisation_name != NULL)
    *organisation_name = keys && call ? g_strdup (call->organisation_name) : NULL;
  return keys;
}

static gpointer
accept_any (DlgSyncClient  *self,
            SoupMessage    *msg,
            GBytes         *body,
            gpointer        data,
            GError        **error)
{
  return GINT_TO_POINTER (TRUE);
}

/**
 * dlg_sync_client_enrol_key_async:
 * @key: our signing key; only its public half is sent
 *
 * Enrols our public key for our organisation, so that the server accepts
 * what it signs. Enrolling it again is harmless.
 */
void
dlg_sync_client_enrol_key_async (DlgSyncClient       *self,
                                 DlgKey              *key,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autofree char *jwk = NULL;
  g_autoptr(GBytes) body = NULL;

  g_return_if_fail (DLG_IS_SYNC_CLIENT (self));
  g_return_if_fail (DLG_IS_KEY (key));

  jwk = dlg_key_to_public_jwk (key);
  body = g_bytes_new (jwk, strlen (jwk));
  start (self, "POST", "/keys", "application/jwk+json", body, accept_any, NULL, NULL, NULL,
         dlg_sync_client_enrol_key_async, cancellable, callback, user_data);
}

gboolean
dlg_sync_client_enrol_key_finish (DlgSyncClient  *self,
                                  GAsyncResult   *result,
                                  GError        **error)
{
  return propagate (self, result, dlg_sync_client_enrol_key_async, NULL, error) != NULL;
}
