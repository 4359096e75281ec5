/* diligence-server.c - the reference sync endpoint and its admin commands
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   diligence-server [serve] [OPTION…]
 *   diligence-server admin COMMAND …
 *
 * Settings come from the command line, then from the configuration file
 * (--config, or /etc/diligence-server/server.conf when it exists), then
 * from the defaults. See docs/server.md.
 */

#define G_LOG_DOMAIN "diligence-server"

#include "config.h"

#include <gio/gunixinputstream.h>
#include <glib-unix.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "dlg-file.h"
#include "dlg-key.h"
#include "dlg-server.h"
#include "dlg-store-sync.h"
#include "dlg-server-storage-sqlite.h"

#define DEFAULT_CONFIG "/etc/diligence-server/server.conf"
#define DEFAULT_DATABASE "/var/lib/diligence-server/server.sqlite"
#define DEFAULT_LISTEN "127.0.0.1:8080"
#define DEFAULT_TLS_PORT 8443

enum {
  EXIT_OK = 0,
  EXIT_FAILED = 1,
  EXIT_USAGE = 2,
};

/* ------------------------------------------------------------------------ */
/* Logs                                                                     */
/* ------------------------------------------------------------------------ */

static gboolean quiet;

/* Appends @value with control characters, quotes and backslashes escaped:
 * a request path must not be able to forge a log line. */
static void
append_escaped (GString    *line,
                const char *value)
{
  for (const char *p = value; *p; p++)
    {
      if ((guchar) *p < 0x20 || *p == 0x7f)
        g_string_append_printf (line, "\\x%02x", (guchar) *p);
      else if (*p == '"' || *p == '\\')
        g_string_append_printf (line, "\\%c", *p);
      else
        g_string_append_c (line, *p);
    }
}

/* One line per event on standard error: time, level, message, then the
 * event's DLG_* fields as key=value. Under systemd the journal gets the
 * fields as they are. */
static GLogWriterOutput
log_writer (GLogLevelFlags   level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  static gsize journal_checked = 0;
  static gboolean to_journal = FALSE;
  g_autoptr(GString) line = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *stamp = NULL;
  const char *message = NULL;
  const char *level_name;

  if (g_once_init_enter (&journal_checked))
    {
      to_journal = g_log_writer_is_journald (fileno (stderr));
      g_once_init_leave (&journal_checked, 1);
    }

  if (quiet && (level & (G_LOG_LEVEL_INFO | G_LOG_LEVEL_DEBUG)))
    return G_LOG_WRITER_HANDLED;
  if ((level & G_LOG_LEVEL_DEBUG) && g_getenv ("G_MESSAGES_DEBUG") == NULL)
    return G_LOG_WRITER_HANDLED;

  if (to_journal)
    return g_log_writer_journald (level, fields, n_fields, user_data);

  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "PRIORITY") && fields[i].length < 0 &&
        g_str_equal (fields[i].value, "3"))
      level = G_LOG_LEVEL_CRITICAL;

  if (level & G_LOG_LEVEL_ERROR)
    level_name = "error";
  else if (level & G_LOG_LEVEL_CRITICAL)
    level_name = "error";
  else if (level & G_LOG_LEVEL_WARNING)
    level_name = "warning";
  else if (level & G_LOG_LEVEL_MESSAGE)
    level_name = "notice";
  else if (level & G_LOG_LEVEL_INFO)
    level_name = "info";
  else
    level_name = "debug";

  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE"))
      message = fields[i].value;

  now = g_date_time_new_now_utc ();
  stamp = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S.%fZ");
  line = g_string_new (NULL);
  g_string_append_printf (line, "%s %s ", stamp, level_name);
  append_escaped (line, message ? message : "");
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_has_prefix (fields[i].key, "DLG_") && fields[i].length < 0)
      {
        g_autofree char *key = g_ascii_strdown (fields[i].key + 4, -1);
        const char *value = fields[i].value;
        gboolean plain = *value != '\0' && strpbrk (value, " \"=\\") == NULL;

        g_string_append_printf (line, " %s=%s", key, plain ? "" : "\"");
        append_escaped (line, value);
        if (!plain)
          g_string_append_c (line, '"');
      }
  g_string_append_c (line, '\n');

  fputs (line->str, stderr);
  fflush (stderr);
  return G_LOG_WRITER_HANDLED;
}

/* ------------------------------------------------------------------------ */
/* Settings                                                                 */
/* ------------------------------------------------------------------------ */

typedef struct
{
  char    *config;
  char   **listen;
  char    *database;
  char    *certificate;
  char    *key;
  gint64   max_body_size;
  double   rate_limit;
  gint     rate_burst;
  gint     grace;
  double   handshake_timeout;   /* seconds */
  double   header_timeout;
  double   body_timeout;
  gint64   min_body_rate;       /* bytes a second */
  double   idle_timeout;
  gint     max_connections;
} Settings;

#define SETTINGS_INIT { .max_body_size = -1, .rate_limit = -1, .rate_burst = -1, .grace = -1, \
                        .handshake_timeout = -1, .header_timeout = -1, .body_timeout = -1, \
                        .min_body_rate = -1, .idle_timeout = -1, .max_connections = -1 }

static void
settings_clear (Settings *s)
{
  g_free (s->config);
  g_strfreev (s->listen);
  g_free (s->database);
  g_free (s->certificate);
  g_free (s->key);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Settings, settings_clear)

/* Fills what the command line left unset from the configuration file. */
static gboolean
settings_load (Settings  *s,
               GError   **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  const char *path = s->config;
  g_autoptr(GError) local = NULL;

  if (path == NULL && g_file_test (DEFAULT_CONFIG, G_FILE_TEST_EXISTS))
    path = DEFAULT_CONFIG;

  if (path != NULL)
    {
      if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, error))
        {
          g_prefix_error (error, "%s: ", path);
          return FALSE;
        }

#define STRING(field, name) \
      if (s->field == NULL) \
        s->field = g_key_file_get_string (file, "server", name, NULL);
      STRING (database, "database");
      STRING (certificate, "certificate");
      STRING (key, "key");
#undef STRING

      if (s->listen == NULL)
        s->listen = g_key_file_get_string_list (file, "server", "listen", NULL, NULL);

#define NUMBER(field, name, getter) \
      if (s->field < 0 && g_key_file_has_key (file, "server", name, NULL)) \
        { \
          s->field = getter (file, "server", name, &local); \
          if (local != NULL) \
            { \
              g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE, \
                           "%s: %s must be a number", path, name); \
              return FALSE; \
            } \
        }
      NUMBER (max_body_size, "max-body-size", g_key_file_get_int64);
      NUMBER (rate_limit, "rate-limit", g_key_file_get_double);
      NUMBER (rate_burst, "rate-burst", g_key_file_get_integer);
      NUMBER (grace, "grace", g_key_file_get_integer);
      NUMBER (handshake_timeout, "handshake-timeout", g_key_file_get_double);
      NUMBER (header_timeout, "header-timeout", g_key_file_get_double);
      NUMBER (body_timeout, "body-timeout", g_key_file_get_double);
      NUMBER (min_body_rate, "min-body-rate", g_key_file_get_int64);
      NUMBER (idle_timeout, "idle-timeout", g_key_file_get_double);
      NUMBER (max_connections, "max-connections", g_key_file_get_integer);
#undef NUMBER
    }

  if (s->database == NULL)
    s->database = g_strdup (DEFAULT_DATABASE);
  return TRUE;
}

static GInetSocketAddress *
parse_listen (const char  *text,
              guint16      default_port,
              GError     **error)
{
  g_autoptr(GSocketConnectable) connectable = g_network_address_parse (text, default_port, error);
  g_autoptr(GInetAddress) inet = NULL;
  const char *host;

  if (connectable == NULL)
    return NULL;

  host = g_network_address_get_hostname (G_NETWORK_ADDRESS (connectable));
  if (g_str_equal (host, "localhost"))
    host = "127.0.0.1";
  else if (g_str_equal (host, "*"))
    host = "0.0.0.0";

  /* No name resolution: a server listens on addresses it is told. */
  inet = g_inet_address_new_from_string (host);
  if (inet == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s” is not an IP address to listen on (write e.g. 0.0.0.0:8443 or [::]:8443)", text);
      return NULL;
    }
  return G_INET_SOCKET_ADDRESS (g_inet_socket_address_new (inet,
                                g_network_address_get_port (G_NETWORK_ADDRESS (connectable))));
}

/* Seconds as the limits' milliseconds; -1 (unset) as @fallback. */
static guint
milliseconds (double  seconds,
              guint   fallback)
{
  if (seconds < 0)
    return fallback;
  return (guint) MIN (seconds * 1000 + 0.5, (double) G_MAXUINT);
}

static gboolean
check_limits (Settings  *s,
              GError   **error)
{
  const struct { const char *name; double value; } timeouts[] = {
    { "handshake-timeout", s->handshake_timeout },
    { "header-timeout", s->header_timeout },
    { "body-timeout", s->body_timeout },
    { "idle-timeout", s->idle_timeout },
  };

  /* -1 is "unset": any other negative number is a mistake. */
  for (guint i = 0; i < G_N_ELEMENTS (timeouts); i++)
    if ((timeouts[i].value < 0 && timeouts[i].value != -1) || timeouts[i].value > 86400 * 7)
      {
        g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                     "%s must be a number of seconds, 0 for none", timeouts[i].name);
        return FALSE;
      }
  if ((s->min_body_rate < 0 && s->min_body_rate != -1) || s->min_body_rate > G_MAXUINT)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "min-body-rate must be a number of bytes a second, 0 for none");
      return FALSE;
    }
  if (s->max_connections == 0 || s->max_connections < -1)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "max-connections must be at least 1");
      return FALSE;
    }
  return TRUE;
}

static void
apply_limits (Settings        *s,
              DlgServerLimits *limits)
{
  guint max_connections = s->max_connections > 0 ? (guint) s->max_connections
                                                  : dlg_server_limits_default_max_connections ();
  guint handshake = milliseconds (s->handshake_timeout, DLG_SERVER_DEFAULT_HANDSHAKE_TIMEOUT_MS);
  guint header = milliseconds (s->header_timeout, DLG_SERVER_DEFAULT_HEADER_TIMEOUT_MS);
  guint body = milliseconds (s->body_timeout, DLG_SERVER_DEFAULT_BODY_TIMEOUT_MS);
  guint rate = s->min_body_rate >= 0 ? (guint) s->min_body_rate : DLG_SERVER_DEFAULT_MIN_BODY_RATE;
  guint idle = milliseconds (s->idle_timeout, DLG_SERVER_DEFAULT_IDLE_TIMEOUT_MS);

  g_object_set (limits,
                "handshake-timeout", handshake,
                "header-timeout", header,
                "body-timeout", body,
                "min-body-rate", rate,
                "idle-timeout", idle,
                "max-connections", max_connections,
                NULL);
}

static void
log_limits (DlgServerLimits *limits)
{
  guint handshake, header, body, rate, idle, max_connections;

  g_object_get (limits, "handshake-timeout", &handshake, "header-timeout", &header, "body-timeout", &body,
                "min-body-rate", &rate, "idle-timeout", &idle, "max-connections", &max_connections, NULL);
  g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_INFO,
                    "DLG_EVENT", "limits",
                    "MESSAGE", "Deadlines: TLS handshake %.1f s, headers %.1f s, body %.1f s + its length at "
                    "%u bytes/s, idle %.1f s (0: none); at most %u connections",
                    handshake / 1000.0, header / 1000.0, body / 1000.0, rate, idle / 1000.0, max_connections);
}

/* ------------------------------------------------------------------------ */
/* serve                                                                    */
/* ------------------------------------------------------------------------ */

typedef struct
{
  GMainLoop *loop;
  DlgServer *server;
  guint      grace;
  gboolean   stopping;
} Serving;

static void
shutdown_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Serving *serving = user_data;

  dlg_server_shutdown_finish (DLG_SERVER (source), result, NULL);
  g_main_loop_quit (serving->loop);
}

static gboolean
signal_cb (gpointer user_data)
{
  Serving *serving = user_data;

  if (serving->stopping)
    {
      /* A second signal: stop now. */
      g_main_loop_quit (serving->loop);
      return G_SOURCE_CONTINUE;
    }
  serving->stopping = TRUE;
  dlg_server_shutdown_async (serving->server, serving->grace, NULL, shutdown_done_cb, serving);
  return G_SOURCE_CONTINUE;
}

static int
run_serve (int    argc,
           char **argv)
{
  g_auto(Settings) settings = SETTINGS_INIT;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgServerStorage) storage = NULL;
  g_autoptr(DlgServer) server = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  Serving serving = { 0 };
  guint term_id, int_id;
  GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &settings.config, "Configuration file (default " DEFAULT_CONFIG " if it exists)", "FILE" },
    { "listen", 'l', 0, G_OPTION_ARG_STRING_ARRAY, &settings.listen, "Address and port to listen on; repeat for several (default " DEFAULT_LISTEN " without TLS, 0.0.0.0:8443 with)", "ADDRESS:PORT" },
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, &settings.database, "The SQLite database (default " DEFAULT_DATABASE ")", "FILE" },
    { "certificate", 0, 0, G_OPTION_ARG_FILENAME, &settings.certificate, "TLS certificate chain, PEM", "FILE" },
    { "key", 0, 0, G_OPTION_ARG_FILENAME, &settings.key, "TLS private key, PEM", "FILE" },
    { "max-body-size", 0, 0, G_OPTION_ARG_INT64, &settings.max_body_size, "Largest request body accepted, in bytes (default 4194304)", "BYTES" },
    { "rate-limit", 0, 0, G_OPTION_ARG_DOUBLE, &settings.rate_limit, "Requests per second per token, 0 for no limit (default 200)", "N" },
    { "rate-burst", 0, 0, G_OPTION_ARG_INT, &settings.rate_burst, "Requests a token may make at once (default 1000)", "N" },
    { "grace", 0, 0, G_OPTION_ARG_INT, &settings.grace, "Seconds requests under way may take to finish at shutdown (default 30)", "SECONDS" },
    { "handshake-timeout", 0, 0, G_OPTION_ARG_DOUBLE, &settings.handshake_timeout, "Seconds a new connection has for its TLS handshake (default 10)", "SECONDS" },
    { "header-timeout", 0, 0, G_OPTION_ARG_DOUBLE, &settings.header_timeout, "Seconds a request has for its headers, from its first byte (default 20)", "SECONDS" },
    { "body-timeout", 0, 0, G_OPTION_ARG_DOUBLE, &settings.body_timeout, "Seconds a request has for its body, plus its length at --min-body-rate (default 20)", "SECONDS" },
    { "min-body-rate", 0, 0, G_OPTION_ARG_INT64, &settings.min_body_rate, "Slowest body accepted beyond --body-timeout, in bytes a second (default 8192)", "BYTES" },
    { "idle-timeout", 0, 0, G_OPTION_ARG_DOUBLE, &settings.idle_timeout, "Seconds a connection may stay idle between requests, or take to read an answer (default 60)", "SECONDS" },
    { "max-connections", 0, 0, G_OPTION_ARG_INT, &settings.max_connections, "Most connections open at once; more are closed at once (default 1024, fewer if the open-files limit is lower)", "N" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "Do not log each request", NULL },
    { NULL }
  };

  context = g_option_context_new ("- serve the Diligence sync API");
  g_option_context_set_summary (context,
    "Receives signed reports and reviews from Diligence and hands them to the organisations\n"
    "they are addressed to. Stops cleanly on SIGTERM or SIGINT, finishing requests under way.");
  g_option_context_set_description (context,
    "Manage organisations, tokens and keys with “diligence-server admin --help”.\n"
    "Plain HTTP is only allowed on loopback addresses; give --certificate and --key otherwise.\n"
    "A timeout of 0 turns that deadline off. Clients past a deadline are closed, with a 408 answer\n"
    "if they were half-way through a request.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("diligence-server: %s\n", error->message);
      return EXIT_USAGE;
    }
  if (argc > 1)
    {
      g_printerr ("diligence-server: unexpected argument “%s”\n", argv[1]);
      return EXIT_USAGE;
    }
  if (!settings_load (&settings, &error))
    {
      g_printerr ("diligence-server: %s\n", error->message);
      return EXIT_USAGE;
    }
  if ((settings.certificate == NULL) != (settings.key == NULL))
    {
      g_printerr ("diligence-server: give both a certificate and a key, or neither\n");
      return EXIT_USAGE;
    }
  if (!check_limits (&settings, &error))
    {
      g_printerr ("diligence-server: %s\n", error->message);
      return EXIT_USAGE;
    }

  if (settings.certificate != NULL)
    {
      certificate = g_tls_certificate_new_from_files (settings.certificate, settings.key, &error);
      if (certificate == NULL)
        {
          g_printerr ("diligence-server: cannot load the TLS certificate: %s\n", error->message);
          return EXIT_FAILED;
        }
    }

  storage = dlg_server_storage_sqlite_open (settings.database, &error);
  if (storage == NULL)
    {
      g_printerr ("diligence-server: %s: %s\n", settings.database, error->message);
      return EXIT_FAILED;
    }

  server = dlg_server_new (storage);
  if (settings.max_body_size > 0)
    g_object_set (server, "max-body-size", (guint64) settings.max_body_size, NULL);
  if (settings.rate_limit >= 0)
    g_object_set (server, "rate-limit", settings.rate_limit, NULL);
  if (settings.rate_burst > 0)
    g_object_set (server, "rate-burst", (guint) settings.rate_burst, NULL);
  apply_limits (&settings, dlg_server_get_limits (server));

  if (settings.listen == NULL)
    {
      settings.listen = g_new0 (char *, 2);
      settings.listen[0] = g_strdup (certificate ? "0.0.0.0:8443" : DEFAULT_LISTEN);
    }

  for (guint i = 0; settings.listen[i]; i++)
    {
      g_autoptr(GInetSocketAddress) address = parse_listen (settings.listen[i], DEFAULT_TLS_PORT, &error);
      g_autofree char *host = NULL;

      if (address == NULL || !dlg_server_listen (server, address, certificate, &error))
        {
          g_printerr ("diligence-server: %s\n", error->message);
          dlg_server_storage_close (storage);
          return EXIT_FAILED;
        }
      host = g_inet_address_to_string (g_inet_socket_address_get_address (address));
      if (strchr (host, ':') != NULL)
        {
          char *bracketed = g_strdup_printf ("[%s]", host);
          g_free (host);
          host = bracketed;
        }
      g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE,
                        "DLG_EVENT", "listening",
                        "MESSAGE", "Listening on %s://%s:%u%s", certificate ? "https" : "http", host,
                        i == 0 ? dlg_server_get_port (server) : g_inet_socket_address_get_port (address),
                        certificate ? "" : " (plain HTTP, loopback only)");
    }

  log_limits (dlg_server_get_limits (server));

  loop = g_main_loop_new (NULL, FALSE);
  serving.loop = loop;
  serving.server = server;
  serving.grace = settings.grace >= 0 ? (guint) settings.grace : DLG_SERVER_DEFAULT_GRACE_SECONDS;
  term_id = g_unix_signal_add (SIGTERM, signal_cb, &serving);
  int_id = g_unix_signal_add (SIGINT, signal_cb, &serving);

  g_main_loop_run (loop);

  g_source_remove (term_id);
  g_source_remove (int_id);
  g_clear_object (&server);
  /* Waits for the last commits. */
  dlg_server_storage_close (storage);
  g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "DLG_EVENT", "stopped", "MESSAGE", "Stopped");
  return EXIT_OK;
}

/* ------------------------------------------------------------------------ */
/* admin                                                                    */
/* ------------------------------------------------------------------------ */

static const char admin_usage[] =
  "Usage:\n"
  "  diligence-server admin [--config FILE] [--database FILE] COMMAND …\n"
  "\n"
  "Organisations (ID is the enterprise or VAT number, e.g. BE0123456789):\n"
  "  org add ID --name NAME --roles ROLES   ROLES: supplier,buyer,signatory,charter-body\n"
  "  org list\n"
  "  org set-roles ID ROLES\n"
  "  org rename ID NAME\n"
  "\n"
  "Bearer tokens (shown once, kept hashed):\n"
  "  token create ORG [--label TEXT]\n"
  "  token list [ORG]\n"
  "  token revoke TOKEN_ID\n"
  "\n"
  "Signing keys (Ed25519 public keys, PEM or JWK; FILE - reads standard input):\n"
  "  key add ORG FILE\n"
  "  key list [ORG]\n"
  "  key revoke KEY_ID\n"
  "\n"
  "Exit status: 0 done, 1 failed (e.g. unknown organisation), 2 usage error.\n";

static char *
format_date (gint64 usec)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);

  return dt ? g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ") : g_strdup ("-");
}

static int
admin_fail (GError *error)
{
  g_printerr ("diligence-server admin: %s\n", error->message);
  return g_error_matches (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE) ? EXIT_USAGE : EXIT_FAILED;
}

static int
admin_usage_error (const char *message)
{
  g_printerr ("diligence-server admin: %s\n\n%s", message, admin_usage);
  return EXIT_USAGE;
}

static gboolean
valid_organisation_id (const char *id)
{
  gsize n = strlen (id);

  if (n < 2 || n > 64)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isalnum (id[i]))
      return FALSE;
  return TRUE;
}

static int
admin_org (DlgServerStorage  *storage,
           int                argc,
           char             **argv)
{
  g_autoptr(GError) error = NULL;
  const char *command = argc > 0 ? argv[0] : "";

  if (g_str_equal (command, "add"))
    {
      g_autofree char *name = NULL, *roles_text = NULL, *id = NULL;
      GOptionEntry entries[] = {
        { "name", 0, 0, G_OPTION_ARG_STRING, &name, "The organisation's name", "NAME" },
        { "roles", 0, 0, G_OPTION_ARG_STRING, &roles_text, "supplier, buyer, signatory, charter-body", "ROLES" },
        { NULL }
      };
      g_autoptr(GOptionContext) context = g_option_context_new ("ID");
      DlgServerOrganisation org = { 0 };

      g_option_context_add_main_entries (context, entries, NULL);
      if (!g_option_context_parse (context, &argc, &argv, &error))
        return admin_fail (error);
      if (argc != 2 || name == NULL || roles_text == NULL)
        return admin_usage_error ("org add needs an ID, --name and --roles");

      id = dlg_organisation_id_normalise (argv[1]);
      if (!valid_organisation_id (id))
        return admin_usage_error ("an organisation id is an enterprise or VAT number: letters and digits");
      if (!dlg_server_roles_from_string (roles_text, &org.roles, &error))
        return admin_fail (error);
      org.id = id;
      org.name = name;
      if (!dlg_server_storage_add_organisation (storage, &org, &error))
        return admin_fail (error);
      g_print ("%s\n", id);
      return EXIT_OK;
    }

  if (g_str_equal (command, "list") && argc == 1)
    {
      g_autoptr(GPtrArray) list = dlg_server_storage_list_organisations (storage, &error);

      if (list == NULL)
        return admin_fail (error);
      for (guint i = 0; i < list->len; i++)
        {
          DlgServerOrganisation *org = g_ptr_array_index (list, i);
          g_autofree char *roles = dlg_server_roles_to_string (org->roles);

          g_print ("%s\t%s\t%s\n", org->id, roles, org->name);
        }
      return EXIT_OK;
    }

  if ((g_str_equal (command, "set-roles") || g_str_equal (command, "rename")) && argc == 3)
    {
      g_autofree char *id = dlg_organisation_id_normalise (argv[1]);
      g_autoptr(DlgServerOrganisation) org = dlg_server_storage_get_organisation (storage, id, &error);

      if (org == NULL)
        return admin_fail (error);
      if (g_str_equal (command, "rename"))
        {
          g_free (org->name);
          org->name = g_strdup (argv[2]);
        }
      else if (!dlg_server_roles_from_string (argv[2], &org->roles, &error))
        return admin_fail (error);
      if (!dlg_server_storage_update_organisation (storage, org, &error))
        return admin_fail (error);
      return EXIT_OK;
    }

  return admin_usage_error ("unknown or incomplete org command");
}

static int
admin_token (DlgServerStorage  *storage,
             int                argc,
             char             **argv)
{
  g_autoptr(GError) error = NULL;
  const char *command = argc > 0 ? argv[0] : "";

  if (g_str_equal (command, "create"))
    {
      g_autofree char *label = NULL, *org_id = NULL, *text = NULL;
      GOptionEntry entries[] = {
        { "label", 0, 0, G_OPTION_ARG_STRING, &label, "What the token is for", "TEXT" },
        { NULL }
      };
      g_autoptr(GOptionContext) context = g_option_context_new ("ORG");
      g_autoptr(DlgServerToken) token = NULL;

      g_option_context_add_main_entries (context, entries, NULL);
      if (!g_option_context_parse (context, &argc, &argv, &error))
        return admin_fail (error);
      if (argc != 2)
        return admin_usage_error ("token create needs the organisation's id");

      org_id = dlg_organisation_id_normalise (argv[1]);
      text = dlg_server_token_generate (&token);
      token->organisation_id = g_strdup (org_id);
      token->label = g_strdup (label);
      if (!dlg_server_storage_add_token (storage, token, &error))
        return admin_fail (error);

      /* The only time the whole token exists outside its owner's hands. */
      g_print ("%s\n", text);
      if (isatty (STDOUT_FILENO))
        g_printerr ("Token %s for %s. Hand it over securely: it cannot be shown again.\n", token->id, org_id);
      memset (text, 0, strlen (text));
      return EXIT_OK;
    }

  if (g_str_equal (command, "list") && argc <= 2)
    {
      g_autofree char *org_id = argc == 2 ? dlg_organisation_id_normalise (argv[1]) : NULL;
      g_autoptr(GPtrArray) list = dlg_server_storage_list_tokens (storage, org_id, &error);

      if (list == NULL)
        return admin_fail (error);
      for (guint i = 0; i < list->len; i++)
        {
          DlgServerToken *token = g_ptr_array_index (list, i);
          g_autofree char *created = format_date (token->created_at);

          g_print ("%s\t%s\t%s\t%s\t%s\n", token->id, token->organisation_id,
                   token->revoked_at ? "revoked" : "valid", created, token->label ? token->label : "");
        }
      return EXIT_OK;
    }

  if (g_str_equal (command, "revoke") && argc == 2)
    {
      if (!dlg_server_storage_revoke_token (storage, argv[1], &error))
        return admin_fail (error);
      return EXIT_OK;
    }

  return admin_usage_error ("unknown or incomplete token command");
}

static GBytes *
read_input (const char  *path,
            GError     **error)
{
  if (g_str_equal (path, "-"))
    {
      g_autoptr(GInputStream) in = g_unix_input_stream_new (STDIN_FILENO, FALSE);
      g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();

      if (g_output_stream_splice (out, in, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, error) < 0)
        return NULL;
      return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
    }
  return dlg_file_read (path, 64 * 1024, error);
}

static int
admin_key (DlgServerStorage  *storage,
           int                argc,
           char             **argv)
{
  g_autoptr(GError) error = NULL;
  const char *command = argc > 0 ? argv[0] : "";

  if (g_str_equal (command, "add") && argc == 3)
    {
      g_autofree char *org_id = dlg_organisation_id_normalise (argv[1]);
      g_autofree char *jwk = NULL;
      g_autoptr(GBytes) bytes = read_input (argv[2], &error);
      g_autoptr(DlgKey) key = NULL;
      DlgServerKey record = { 0 };
      gsize length;
      const char *data;

      if (bytes == NULL)
        return admin_fail (error);
      data = g_bytes_get_data (bytes, &length);
      while (length > 0 && g_ascii_isspace (*data))
        data++, length--;

      key = length > 0 && *data == '{' ? dlg_key_new_from_jwk (data, length, &error)
                                       : dlg_key_new_from_pem (data ? data : "", length, &error);
      if (key == NULL)
        return admin_fail (error);
      if (dlg_key_has_private (key))
        {
          g_printerr ("diligence-server admin: %s holds a private key; enrol only the public key "
                      "(the private key must stay with its organisation)\n", argv[2]);
          return EXIT_FAILED;
        }

      jwk = dlg_key_to_public_jwk (key);
      record.id = (char *) dlg_key_get_id (key);
      record.organisation_id = org_id;
      record.jwk = jwk;
      if (!dlg_server_storage_add_key (storage, &record, &error))
        return admin_fail (error);
      g_print ("%s\n", record.id);
      return EXIT_OK;
    }

  if (g_str_equal (command, "list") && argc <= 2)
    {
      g_autofree char *org_id = argc == 2 ? dlg_organisation_id_normalise (argv[1]) : NULL;
      g_autoptr(GPtrArray) list = dlg_server_storage_list_keys (storage, org_id, TRUE, &error);

      if (list == NULL)
        return admin_fail (error);
      for (guint i = 0; i < list->len; i++)
        {
          DlgServerKey *key = g_ptr_array_index (list, i);
          g_autofree char *added = format_date (key->added_at);

          g_print ("%s\t%s\t%s\t%s\n", key->id, key->organisation_id,
                   key->revoked_at ? "revoked" : "valid", added);
        }
      return EXIT_OK;
    }

  if (g_str_equal (command, "revoke") && argc == 2)
    {
      if (!dlg_server_storage_revoke_key (storage, argv[1], &error))
        return admin_fail (error);
      return EXIT_OK;
    }

  return admin_usage_error ("unknown or incomplete key command");
}

static int
run_admin (int    argc,
           char **argv)
{
  g_auto(Settings) settings = SETTINGS_INIT;
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgServerStorage) storage = NULL;
  int i = 1, status;

  /* Options before the command; the command parses its own. */
  while (i < argc && argv[i][0] == '-')
    {
      if (g_str_equal (argv[i], "--help") || g_str_equal (argv[i], "-h"))
        {
          g_print ("%s", admin_usage);
          return EXIT_OK;
        }
      else if ((g_str_equal (argv[i], "--config") || g_str_equal (argv[i], "-c")) && i + 1 < argc)
        {
          g_free (settings.config);
          settings.config = g_strdup (argv[i + 1]);
          i += 2;
        }
      else if ((g_str_equal (argv[i], "--database") || g_str_equal (argv[i], "-d")) && i + 1 < argc)
        {
          g_free (settings.database);
          settings.database = g_strdup (argv[i + 1]);
          i += 2;
        }
      else if (g_str_has_prefix (argv[i], "--config="))
        {
          g_free (settings.config);
          settings.config = g_strdup (argv[i++] + strlen ("--config="));
        }
      else if (g_str_has_prefix (argv[i], "--database="))
        {
          g_free (settings.database);
          settings.database = g_strdup (argv[i++] + strlen ("--database="));
        }
      else
        return admin_usage_error ("unknown option");
    }

  if (i >= argc)
    return admin_usage_error ("which command?");
  if (!settings_load (&settings, &error))
    return admin_fail (error);

  storage = dlg_server_storage_sqlite_open (settings.database, &error);
  if (storage == NULL)
    {
      g_printerr ("diligence-server admin: %s: %s\n", settings.database, error->message);
      return EXIT_FAILED;
    }

  if (g_str_equal (argv[i], "org"))
    status = admin_org (storage, argc - i - 1, argv + i + 1);
  else if (g_str_equal (argv[i], "token"))
    status = admin_token (storage, argc - i - 1, argv + i + 1);
  else if (g_str_equal (argv[i], "key"))
    status = admin_key (storage, argc - i - 1, argv + i + 1);
  else
    status = admin_usage_error ("unknown command");

  dlg_server_storage_close (storage);
  return status;
}

static const char usage[] =
  "Usage:\n"
  "  diligence-server [serve] [OPTION…]     serve the API (see diligence-server serve --help)\n"
  "  diligence-server admin COMMAND …       manage organisations, tokens and keys\n"
  "  diligence-server --version\n";

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  g_log_set_writer_func (log_writer, NULL, NULL);

  if (argc > 1 && g_str_equal (argv[1], "admin"))
    return run_admin (argc - 1, argv + 1);
  if (argc > 1 && g_str_equal (argv[1], "--version"))
    {
      g_print ("diligence-server %s\n", PACKAGE_VERSION);
      return EXIT_OK;
    }
  if (argc > 1 && (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") || g_str_equal (argv[1], "help")))
    {
      g_print ("%s\n", usage);
      argv[1] = (char *) "--help";
      return run_serve (argc, argv);
    }
  if (argc > 1 && g_str_equal (argv[1], "serve"))
    {
      argv[1] = argv[0];
      return run_serve (argc - 1, argv + 1);
    }
  return run_serve (argc, argv);
}
