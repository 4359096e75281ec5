/* dlg-server-limits.c - deadlines for slow and idle clients, and a limit on connections
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libsoup 3.2's SoupServer waits for ever: for a TLS handshake, for the
 * rest of a request's headers or body, for the next request on a kept-alive
 * connection. Each such connection costs a file descriptor, and a client
 * that opens enough of them leaves the server none to accept with. So every
 * connection libsoup accepts is followed here, through the server's and
 * the message's public signals, from one phase to the next:
 *
 *   handshake  accepted, until the TLS handshake is done ("connected")
 *   headers    until the request's headers are in ("got-headers"); for the
 *              next request on a kept-alive connection, from its first byte
 *   body       until the body is in ("request-read"): a fixed time plus
 *              what the announced length takes at the minimum rate
 *   working    the server's own work; no deadline
 *   answering  the answer is being written: the client must take it
 *   idle       kept alive between two requests
 *
 * Each phase but "working" has a deadline. A client past it is cut off:
 * with a 408 while a request is half read and libsoup
 * has its first line (the connection is taken from libsoup to write it,
 * as refusals of unread bodies are),
 * else by shutting the socket down, so that libsoup sees the end of the
 * stream and cleans up as for any client that leaves. The socket is closed
 * here too, shortly after, because libsoup 3.2 does not close a kept-alive
 * connection that ends between two requests (fixed in 3.3.0); for the same
 * reason an idle connection is watched for its client closing it.
 *
 * New connections past the limit are shut down at once, before their
 * handshake: what they would cost is what the limit is for.
 */

#define G_LOG_DOMAIN "dlg-server"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include "dlg-server-limits.h"

/* After shutting a connection down, how long libsoup has to close it. */
#define LINGER_MS 500
/* After data arrived on an idle connection, when to look again whether the
 * client closed it: the data may have been a TLS close_notify, which
 * starts no request. */
#define REWATCH_MS 1000
/* Writing a 408 to a client that does not read. */
#define ANSWER_TIMEOUT_MS 2000
/* File descriptors kept for everything but clients: the database, logs,
 * the listening sockets, the TLS library. */
#define RESERVED_FDS 64

typedef enum
{
  PHASE_HANDSHAKE,
  PHASE_HEADERS,
  PHASE_BODY,
  PHASE_WORKING,
  PHASE_ANSWERING,
  PHASE_IDLE,
  PHASE_CLOSING,
} Phase;

static const char * const phase_names[] = {
  "handshake", "headers", "body", "working", "answering", "idle", "closing",
};

typedef struct
{
  DlgServerLimits   *limits;   /* not owned: it owns the table we are in */
  GSocket           *socket;
  char              *remote;
  SoupServerMessage *msg;      /* the request under way, or the last one answered */
  gboolean           started;  /* @msg is under way (else: not told of the next one yet) */
  Phase              phase;
  gboolean           counted;  /* in limits->open */
  guint              timeout;  /* of the current deadline, in ms, for the log */
  GSource           *deadline;
  GSource           *watch;    /* idle: the client closing it, or the next request */
} Connection;

struct _DlgServerLimits
{
  GObject                 parent_instance;

  SoupServer             *soup;
  GHashTable             *connections;  /* GSocket → Connection */
  GCancellable           *cancellable;  /* cancelled at dispose: 408s being written */

  guint                   handshake_timeout;
  guint                   header_timeout;
  guint                   body_timeout;
  guint                   min_body_rate;
  guint                   idle_timeout;
  guint                   max_connections;

  guint                   open;         /* connections not closing */
  gboolean                at_limit;
  guint                   refused;      /* since the limit was reached */

  DlgServerLimitsCutFunc  cut_func;
  gpointer                cut_data;
};

G_DEFINE_FINAL_TYPE (DlgServerLimits, dlg_server_limits, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_HANDSHAKE_TIMEOUT,
  PROP_HEADER_TIMEOUT,
  PROP_BODY_TIMEOUT,
  PROP_MIN_BODY_RATE,
  PROP_IDLE_TIMEOUT,
  PROP_MAX_CONNECTIONS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void connection_arm (Connection *conn, Phase phase, guint timeout);

/* ------------------------------------------------------------------------ */
/* Connections                                                              */
/* ------------------------------------------------------------------------ */

static void
destroy_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static void
connection_uncount (Connection *conn)
{
  DlgServerLimits *self = conn->limits;

  if (!conn->counted)
    return;
  conn->counted = FALSE;
  self->open--;

  if (self->at_limit && self->open < self->max_connections)
    {
      g_autofree char *refused = g_strdup_printf ("%u", self->refused);

      self->at_limit = FALSE;
      g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE,
                        "DLG_EVENT", "connection-limit-over",
                        "DLG_REFUSED", refused,
                        "MESSAGE", "Accepting connections again, after refusing %u at the limit of %u",
                        self->refused, self->max_connections);
      self->refused = 0;
    }
}

static void
connection_free (Connection *conn)
{
  connection_uncount (conn);
  destroy_source (&conn->deadline);
  destroy_source (&conn->watch);
  if (conn->msg != NULL)
    {
      g_signal_handlers_disconnect_by_data (conn->msg, conn);
      g_clear_object (&conn->msg);
    }
  g_clear_object (&conn->socket);
  g_free (conn->remote);
  g_free (conn);
}

static void
connection_forget (Connection *conn)
{
  /* Frees @conn. */
  g_hash_table_remove (conn->limits->connections, conn->socket);
}

static Connection *
connection_for (DlgServerLimits   *self,
                SoupServerMessage *msg)
{
  GSocket *socket = soup_server_message_get_socket (msg);
  Connection *conn = socket ? g_hash_table_lookup (self->connections, socket) : NULL;

  /* Only the request we follow moves its connection on. */
  if (conn == NULL || conn->msg != msg)
    return NULL;
  return conn;
}

static void
log_cut (Connection *conn,
         const char *message)
{
  g_autofree char *seconds = g_strdup_printf ("%.1f", conn->timeout / 1000.0);
  GLogLevelFlags level = conn->phase == PHASE_IDLE ? G_LOG_LEVEL_INFO : G_LOG_LEVEL_MESSAGE;

  g_log_structured (G_LOG_DOMAIN, level,
                    "DLG_EVENT", "timeout",
                    "DLG_PHASE", phase_names[conn->phase],
                    "DLG_REMOTE", conn->remote,
                    "DLG_SECONDS", seconds,
                    "MESSAGE", "Closed the connection from %s: %s within %s s", conn->remote, message, seconds);
}

/* Ends the connection without a word: libsoup sees the end of the stream
 * and closes it, or we do once LINGER_MS have passed. */
static void
connection_shut (Connection *conn)
{
  connection_uncount (conn);
  destroy_source (&conn->watch);
  g_socket_shutdown (conn->socket, TRUE, TRUE, NULL);
  connection_arm (conn, PHASE_CLOSING, LINGER_MS);
}

/* A 408 written on a connection taken from libsoup. */
typedef struct
{
  GIOStream    *stream;
  GSocket      *socket;
  GBytes       *bytes;
  GCancellable *cancellable;
  GSource      *timeout;
} Answer;

static void
answer_free (Answer *a)
{
  /* Whatever happened on the way, the descriptor goes. */
  g_socket_close (a->socket, NULL);
  destroy_source (&a->timeout);
  g_clear_object (&a->cancellable);
  g_clear_pointer (&a->bytes, g_bytes_unref);
  g_clear_object (&a->stream);
  g_clear_object (&a->socket);
  g_free (a);
}

static void
answer_closed_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_io_stream_close_finish (G_IO_STREAM (source), result, NULL);
  answer_free (user_data);
}

static void
answer_written_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Answer *a = user_data;

  g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL);
  g_io_stream_close_async (a->stream, G_PRIORITY_DEFAULT, a->cancellable, answer_closed_cb, a);
}

static gboolean
answer_timeout_cb (gpointer user_data)
{
  Answer *a = user_data;

  g_cancellable_cancel (a->cancellable);
  g_clear_pointer (&a->timeout, g_source_unref);
  return G_SOURCE_REMOVE;
}

/* A bare 408, as libsoup's own answers to what it cannot parse: the
 * request never reached the API, whose errors are problem documents with
 * codes a client knows what to do with. Diligence retries a 408. */
static GBytes *
timeout_response (void)
{
  static const char text[] = "HTTP/1.1 408 Request Timeout\r\n"
                             "Content-Length: 0\r\n"
                             "Connection: close\r\n"
                             "\r\n";

  return g_bytes_new_static (text, strlen (text));
}

/* Cuts off a request that is half read: it gets a 408 (RFC 9110, 15.5.9)
 * on a connection taken from libsoup, which would otherwise wait for the
 * rest. */
static void
connection_cut_request (Connection *conn)
{
  DlgServerLimits *self = conn->limits;
  g_autoptr(SoupServerMessage) msg = g_object_ref (conn->msg);
  g_autoptr(GSocket) socket = g_object_ref (conn->socket);
  g_autoptr(GIOStream) stream = NULL;
  Answer *a;

  /* First forget it: taking the connection emits "disconnected". */
  connection_forget (conn);

  if (self->cut_func != NULL)
    self->cut_func (msg, self->cut_data);

  stream = soup_server_message_steal_connection (msg);
  if (stream == NULL)
    {
      g_socket_close (socket, NULL);
      return;
    }

  a = g_new0 (Answer, 1);
  a->stream = g_steal_pointer (&stream);
  a->socket = g_steal_pointer (&socket);
  a->bytes = timeout_response ();
  a->cancellable = g_cancellable_new ();
  g_signal_connect_object (self->cancellable, "cancelled", G_CALLBACK (g_cancellable_cancel), a->cancellable,
                           G_CONNECT_SWAPPED);
  a->timeout = g_timeout_source_new (ANSWER_TIMEOUT_MS);
  g_source_set_callback (a->timeout, answer_timeout_cb, a, NULL);
  g_source_attach (a->timeout, g_main_context_get_thread_default ());

  g_output_stream_write_all_async (g_io_stream_get_output_stream (a->stream),
                                   g_bytes_get_data (a->bytes, NULL), g_bytes_get_size (a->bytes),
                                   G_PRIORITY_DEFAULT, a->cancellable, answer_written_cb, a);
}

static gboolean
deadline_cb (gpointer user_data)
{
  Connection *conn = user_data;

  g_clear_pointer (&conn->deadline, g_source_unref);

  switch (conn->phase)
    {
    case PHASE_HANDSHAKE:
      log_cut (conn, "no TLS handshake");
      connection_shut (conn);
      break;
    case PHASE_HEADERS:
      log_cut (conn, "no complete request headers");
      if (!conn->started)
        {
          /* libsoup has not told of this request yet: nothing to answer. */
          connection_shut (conn);
          break;
        }
      connection_cut_request (conn);
      break;
    case PHASE_BODY:
      log_cut (conn, "not the whole request body");
      connection_cut_request (conn);
      break;
    case PHASE_ANSWERING:
      log_cut (conn, "the answer not taken");
      connection_shut (conn);
      break;
    case PHASE_IDLE:
      log_cut (conn, "no new request");
      connection_shut (conn);
      break;
    case PHASE_CLOSING:
      /* libsoup did not close it (an idle connection, in 3.2): we do. */
      g_socket_close (conn->socket, NULL);
      connection_forget (conn);
      break;
    case PHASE_WORKING:
    default:
      g_assert_not_reached ();
    }
  return G_SOURCE_REMOVE;
}

/* Moves @conn to @phase, with a deadline @timeout ms from now (none if 0). */
static void
connection_arm (Connection *conn,
                Phase       phase,
                guint       timeout)
{
  conn->phase = phase;
  conn->timeout = timeout;
  destroy_source (&conn->deadline);
  if (timeout == 0)
    return;
  conn->deadline = g_timeout_source_new (timeout);
  g_source_set_callback (conn->deadline, deadline_cb, conn, NULL);
  g_source_attach (conn->deadline, g_main_context_get_thread_default ());
}

/* ------------------------------------------------------------------------ */
/* Idle connections                                                         */
/* ------------------------------------------------------------------------ */

static void connection_watch (Connection *conn);

static gboolean
rewatch_cb (gpointer user_data)
{
  Connection *conn = user_data;

  g_clear_pointer (&conn->watch, g_source_unref);
  connection_watch (conn);
  return G_SOURCE_REMOVE;
}

static gboolean
idle_readable_cb (GSocket      *socket,
                  GIOCondition  condition,
                  gpointer      user_data)
{
  Connection *conn = user_data;
  char byte;
  gssize n;

  n = recv (g_socket_get_fd (socket), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n < 0 && (errno == EAGAIN || errno == EINTR))
    return G_SOURCE_CONTINUE;

  g_clear_pointer (&conn->watch, g_source_unref);
  if (n > 0)
    {
      /* The first byte of the next request, or a TLS record. libsoup
       * tells of a request only once its first line is in: the deadline
       * for its headers starts now. The bytes stay in the socket until
       * libsoup reads them, so look again in a moment, not at once. */
      if (conn->phase == PHASE_IDLE)
        connection_arm (conn, PHASE_HEADERS, conn->limits->header_timeout);
      conn->watch = g_timeout_source_new (REWATCH_MS);
      g_source_set_callback (conn->watch, rewatch_cb, conn, NULL);
      g_source_attach (conn->watch, g_main_context_get_thread_default ());
      return G_SOURCE_REMOVE;
    }

  /* The client closed it. */
  connection_shut (conn);
  return G_SOURCE_REMOVE;
}

static void
connection_watch (Connection *conn)
{
  /* Until libsoup starts the next request, only we would notice the
   * client leaving. */
  if ((conn->phase != PHASE_IDLE && (conn->phase != PHASE_HEADERS || conn->started)) ||
      conn->watch != NULL || g_socket_is_closed (conn->socket))
    return;

  conn->watch = g_socket_create_source (conn->socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
  g_source_set_callback (conn->watch, (GSourceFunc) (GCallback) idle_readable_cb, conn, NULL);
  g_source_attach (conn->watch, g_main_context_get_thread_default ());
}

/* ------------------------------------------------------------------------ */
/* Signals                                                                  */
/* ------------------------------------------------------------------------ */

static void
connected_cb (SoupServerMessage *msg,
              Connection        *conn)
{
  if (conn->phase == PHASE_HANDSHAKE)
    connection_arm (conn, PHASE_HEADERS, conn->limits->header_timeout);
}

static void
got_headers_cb (SoupServerMessage *msg,
                Connection        *conn)
{
  DlgServerLimits *self = conn->limits;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  guint64 timeout = self->body_timeout;

  if (conn->phase != PHASE_HEADERS)
    return;

  /* A fixed time, plus what the announced length takes at the minimum
   * rate; a length the server refuses is never read. */
  if (self->body_timeout > 0 && self->min_body_rate > 0 &&
      soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH)
    timeout += soup_message_headers_get_content_length (headers) * 1000 / self->min_body_rate;
  connection_arm (conn, PHASE_BODY, MIN (timeout, G_MAXUINT));
}

static void
wrote_headers_cb (SoupServerMessage *msg,
                  Connection        *conn)
{
  if (conn->phase != PHASE_CLOSING)
    connection_arm (conn, PHASE_ANSWERING, conn->limits->idle_timeout);
}

static void
disconnected_cb (SoupServerMessage *msg,
                 Connection        *conn)
{
  /* libsoup closed it. */
  connection_forget (conn);
}

static void
connection_follow (Connection        *conn,
                   SoupServerMessage *msg)
{
  if (conn->msg != NULL)
    {
      g_signal_handlers_disconnect_by_data (conn->msg, conn);
      g_clear_object (&conn->msg);
    }
  conn->msg = g_object_ref (msg);
  g_signal_connect (msg, "connected", G_CALLBACK (connected_cb), conn);
  g_signal_connect (msg, "got-headers", G_CALLBACK (got_headers_cb), conn);
  g_signal_connect (msg, "wrote-headers", G_CALLBACK (wrote_headers_cb), conn);
  g_signal_connect (msg, "disconnected", G_CALLBACK (disconnected_cb), conn);
}

static char *
remote_address (GSocket *socket)
{
  g_autoptr(GSocketAddress) address = g_socket_get_remote_address (socket, NULL);

  if (!G_IS_INET_SOCKET_ADDRESS (address))
    return g_strdup ("-");
  return g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address)));
}

static void
request_started_cb (SoupServer        *soup,
                    SoupServerMessage *msg,
                    DlgServerLimits   *self)
{
  GSocket *socket = soup_server_message_get_socket (msg);
  Connection *conn;

  if (socket == NULL)
    return;

  conn = g_hash_table_lookup (self->connections, socket);
  if (conn != NULL)
    {
      /* The first line of the next request on a kept-alive connection;
       * its deadline started with its first byte, if we saw it. */
      if (conn->phase == PHASE_CLOSING)
        return;
      destroy_source (&conn->watch);
      connection_follow (conn, msg);
      conn->started = TRUE;
      if (conn->phase != PHASE_HEADERS)
        connection_arm (conn, PHASE_HEADERS, self->header_timeout);
      return;
    }

  /* A new connection, before its TLS handshake. */
  conn = g_new0 (Connection, 1);
  conn->limits = self;
  conn->socket = g_object_ref (socket);
  conn->remote = remote_address (socket);
  g_hash_table_insert (self->connections, socket, conn);
  connection_follow (conn, msg);
  conn->started = TRUE;

  if (self->open >= self->max_connections)
    {
      if (!self->at_limit)
        {
          g_autofree char *limit = g_strdup_printf ("%u", self->max_connections);

          /* A notice, not a warning: the world misbehaving, not the
           * program, and warnings abort under G_DEBUG=fatal-warnings. */
          self->at_limit = TRUE;
          g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE,
                            "DLG_EVENT", "connection-limit",
                            "DLG_LIMIT", limit,
                            "MESSAGE", "Connection limit reached: %u connections are open; new ones are "
                            "closed at once until some end (raise it with --max-connections)",
                            self->max_connections);
        }
      self->refused++;
      g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_DEBUG,
                        "DLG_EVENT", "connection-refused",
                        "DLG_REMOTE", conn->remote,
                        "MESSAGE", "Refused a connection from %s: too many connections", conn->remote);
      connection_shut (conn);
      return;
    }

  conn->counted = TRUE;
  self->open++;
  /* For plain HTTP, "connected" follows at once. */
  connection_arm (conn, PHASE_HANDSHAKE, self->handshake_timeout);
}

static void
request_read_cb (SoupServer        *soup,
                 SoupServerMessage *msg,
                 DlgServerLimits   *self)
{
  Connection *conn = connection_for (self, msg);

  if (conn != NULL && (conn->phase == PHASE_HEADERS || conn->phase == PHASE_BODY))
    connection_arm (conn, PHASE_WORKING, 0);
}

static void
request_done_cb (SoupServer        *soup,
                 SoupServerMessage *msg,
                 DlgServerLimits   *self)
{
  Connection *conn = connection_for (self, msg);

  /* If libsoup closes the connection now, "disconnected" follows. */
  if (conn != NULL && conn->phase != PHASE_CLOSING)
    {
      conn->started = FALSE;
      connection_arm (conn, PHASE_IDLE, self->idle_timeout);
      connection_watch (conn);
    }
}

/* ------------------------------------------------------------------------ */
/* Object                                                                   */
/* ------------------------------------------------------------------------ */

static void
dlg_server_limits_dispose (GObject *object)
{
  DlgServerLimits *self = DLG_SERVER_LIMITS (object);

  if (self->soup != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->soup, self);
      g_clear_object (&self->soup);
    }
  if (self->connections != NULL)
    g_hash_table_remove_all (self->connections);
  g_cancellable_cancel (self->cancellable);

  G_OBJECT_CLASS (dlg_server_limits_parent_class)->dispose (object);
}

static void
dlg_server_limits_finalize (GObject *object)
{
  DlgServerLimits *self = DLG_SERVER_LIMITS (object);

  g_clear_pointer (&self->connections, g_hash_table_unref);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (dlg_server_limits_parent_class)->finalize (object);
}

static guint *
field_for (DlgServerLimits *self,
           guint            prop_id)
{
  switch (prop_id)
    {
    case PROP_HANDSHAKE_TIMEOUT:
      return &self->handshake_timeout;
    case PROP_HEADER_TIMEOUT:
      return &self->header_timeout;
    case PROP_BODY_TIMEOUT:
      return &self->body_timeout;
    case PROP_MIN_BODY_RATE:
      return &self->min_body_rate;
    case PROP_IDLE_TIMEOUT:
      return &self->idle_timeout;
    case PROP_MAX_CONNECTIONS:
      return &self->max_connections;
    default:
      return NULL;
    }
}

static void
dlg_server_limits_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  guint *field = field_for (DLG_SERVER_LIMITS (object), prop_id);

  if (field == NULL)
    {
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  g_value_set_uint (value, *field);
}

static void
dlg_server_limits_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  guint *field = field_for (DLG_SERVER_LIMITS (object), prop_id);

  if (field == NULL)
    {
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  /* New values apply from the next phase of each connection. */
  if (*field != g_value_get_uint (value))
    {
      *field = g_value_get_uint (value);
      g_object_notify_by_pspec (object, pspec);
    }
}

static void
dlg_server_limits_class_init (DlgServerLimitsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = dlg_server_limits_dispose;
  object_class->finalize = dlg_server_limits_finalize;
  object_class->get_property = dlg_server_limits_get_property;
  object_class->set_property = dlg_server_limits_set_property;

  /* Timeouts in milliseconds; 0 turns one off. */
  properties[PROP_HANDSHAKE_TIMEOUT] =
    g_param_spec_uint ("handshake-timeout", NULL, NULL, 0, G_MAXUINT, DLG_SERVER_DEFAULT_HANDSHAKE_TIMEOUT_MS, flags);
  properties[PROP_HEADER_TIMEOUT] =
    g_param_spec_uint ("header-timeout", NULL, NULL, 0, G_MAXUINT, DLG_SERVER_DEFAULT_HEADER_TIMEOUT_MS, flags);
  properties[PROP_BODY_TIMEOUT] =
    g_param_spec_uint ("body-timeout", NULL, NULL, 0, G_MAXUINT, DLG_SERVER_DEFAULT_BODY_TIMEOUT_MS, flags);
  /* Bytes a second a body may take beyond body-timeout; 0 for none. */
  properties[PROP_MIN_BODY_RATE] =
    g_param_spec_uint ("min-body-rate", NULL, NULL, 0, G_MAXUINT, DLG_SERVER_DEFAULT_MIN_BODY_RATE, flags);
  properties[PROP_IDLE_TIMEOUT] =
    g_param_spec_uint ("idle-timeout", NULL, NULL, 0, G_MAXUINT, DLG_SERVER_DEFAULT_IDLE_TIMEOUT_MS, flags);
  properties[PROP_MAX_CONNECTIONS] =
    g_param_spec_uint ("max-connections", NULL, NULL, 1, G_MAXUINT, DLG_SERVER_DEFAULT_MAX_CONNECTIONS, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dlg_server_limits_init (DlgServerLimits *self)
{
  self->handshake_timeout = DLG_SERVER_DEFAULT_HANDSHAKE_TIMEOUT_MS;
  self->header_timeout = DLG_SERVER_DEFAULT_HEADER_TIMEOUT_MS;
  self->body_timeout = DLG_SERVER_DEFAULT_BODY_TIMEOUT_MS;
  self->min_body_rate = DLG_SERVER_DEFAULT_MIN_BODY_RATE;
  self->idle_timeout = DLG_SERVER_DEFAULT_IDLE_TIMEOUT_MS;
  self->max_connections = DLG_SERVER_DEFAULT_MAX_CONNECTIONS;
  self->connections = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, (GDestroyNotify) connection_free);
  self->cancellable = g_cancellable_new ();
}

/**
 * dlg_server_limits_new:
 * @soup: the server whose connections to follow, from the thread it runs in
 *
 * Returns: (transfer full): the limits, with their defaults
 */
DlgServerLimits *
dlg_server_limits_new (SoupServer *soup)
{
  DlgServerLimits *self;

  g_return_val_if_fail (SOUP_IS_SERVER (soup), NULL);

  self = g_object_new (DLG_TYPE_SERVER_LIMITS, NULL);
  self->soup = g_object_ref (soup);
  g_signal_connect (soup, "request-started", G_CALLBACK (request_started_cb), self);
  g_signal_connect (soup, "request-read", G_CALLBACK (request_read_cb), self);
  g_signal_connect (soup, "request-finished", G_CALLBACK (request_done_cb), self);
  g_signal_connect (soup, "request-aborted", G_CALLBACK (request_done_cb), self);
  return self;
}

/**
 * dlg_server_limits_set_cut_func:
 * @func: (nullable): called for each request cut off after its headers
 *   were read, which will therefore never finish
 */
void
dlg_server_limits_set_cut_func (DlgServerLimits        *self,
                                DlgServerLimitsCutFunc  func,
                                gpointer                user_data)
{
  g_return_if_fail (DLG_IS_SERVER_LIMITS (self));
  self->cut_func = func;
  self->cut_data = user_data;
}

/**
 * dlg_server_limits_get_connections:
 *
 * Returns: how many connections are open and counted against the limit
 */
guint
dlg_server_limits_get_connections (DlgServerLimits *self)
{
  g_return_val_if_fail (DLG_IS_SERVER_LIMITS (self), 0);
  return self->open;
}

/**
 * dlg_server_limits_default_max_connections:
 *
 * Returns: DLG_SERVER_DEFAULT_MAX_CONNECTIONS, or fewer if the process may
 *   not open that many files (RLIMIT_NOFILE), keeping some for the rest
 */
guint
dlg_server_limits_default_max_connections (void)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY ||
      limit.rlim_cur >= DLG_SERVER_DEFAULT_MAX_CONNECTIONS + RESERVED_FDS)
    return DLG_SERVER_DEFAULT_MAX_CONNECTIONS;
  if (limit.rlim_cur > 2 * RESERVED_FDS)
    return limit.rlim_cur - RESERVED_FDS;
  return MAX (limit.rlim_cur / 2, 1);
}
