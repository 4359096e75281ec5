/* dlg-sync-service.c - the application's outbox, inbox and server settings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One service per application, made when the store opens. It owns the
 * outbox (which sends what was signed, in order, and never gives up on a
 * document) and the inbox (what others sent us, verified like a file), and
 * the client that both use once a server address and a token are known.
 *
 * The address is a setting (sync-endpoint). The token is a secret: it goes
 * to the desktop keyring, filed under the address it is for. Where no
 * keyring can be reached it is kept in memory for the session only, and
 * Preferences says so; it is never written to disk in the clear.
 *
 * New reports and reviews are fetched when a client appears (at start-up,
 * or once Preferences are filled in), every DLG_SYNC_CHECK_INTERVAL
 * minutes, on request, and when a network appears after a failed check.
 * The network monitor is only ever a reason to try sooner: the outbox
 * listens to it itself, and a check is never skipped because the monitor
 * says there is no network.
 *
 * When the application quits, dlg_sync_service_pause() lets an upload
 * under way finish (for a bounded time) and starts nothing new; the
 * application holds itself while :sending is set.
 */

#define G_LOG_DOMAIN "dlg-sync-service"

#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>
#include <string.h>

#include "dlg-sync-service.h"

struct _DlgSyncService
{
  GObject          parent_instance;

  DlgStore        *store;
  DlgTrustStore   *trust;
  GSettings       *settings;
  DlgOutbox       *outbox;
  DlgInbox        *inbox;
  GError          *inbox_error;
  DlgSyncClient   *client;          /* only while configured and not paused */
  GTlsDatabase    *tls_database;

  char            *endpoint;        /* normalised, NULL when unset */
  char            *token;           /* in memory only */
  DlgTokenStorage  token_storage;
  char            *keyring_problem;
  GCancellable    *lookup;          /* looking the token up in the keyring */

  gboolean         sending;
  guint            n_rejected;
  GDateTime       *last_delivery;

  GPtrArray       *checks;          /* GTask, waiting for the pull under way */
  GCancellable    *check_cancellable;
  GDateTime       *last_check;
  char            *last_check_error;
  guint            check_timer;
  guint            check_idle;
  GNetworkMonitor *monitor;
  gulong           monitor_handler;

  guint            n_operations;    /* keyring requests and connection tests under way */
  gboolean         busy;

  gboolean         paused;
  guint            grace_id;
};

G_DEFINE_FINAL_TYPE (DlgSyncService, dlg_sync_service, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ENDPOINT,
  PROP_HAS_TOKEN,
  PROP_TOKEN_STORAGE,
  PROP_KEYRING_PROBLEM,
  PROP_CONFIGURED,
  PROP_SENDING,
  PROP_BUSY,
  PROP_N_PENDING,
  PROP_N_REJECTED,
  PROP_LAST_DELIVERY,
  PROP_CHECKING,
  PROP_LAST_CHECK,
  PROP_LAST_CHECK_ERROR,
  PROP_N_UNREAD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  VERDICTS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void start_check (DlgSyncService *self);

static void
notify (DlgSyncService *self,
        guint           prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
wipe_token (DlgSyncService *self)
{
  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));
  g_clear_pointer (&self->token, g_free);
}

/* :busy is what the application holds itself for: anything under way
 * whose callback must still run before the process exits. */
static void
update_busy (DlgSyncService *self)
{
  gboolean busy = self->sending || self->check_cancellable != NULL || self->n_operations > 0;

  if (self->busy == busy)
    return;
  self->busy = busy;
  notify (self, PROP_BUSY);
}

static void
operation_begin (DlgSyncService *self)
{
  self->n_operations++;
  update_busy (self);
}

static void
operation_end (DlgSyncService *self)
{
  g_assert (self->n_operations > 0);
  self->n_operations--;
  update_busy (self);
}

/* ------------------------------------------------------------------------ */
/* The client                                                               */
/* ------------------------------------------------------------------------ */

static gboolean
check_idle_cb (gpointer user_data)
{
  DlgSyncService *self = user_data;

  self->check_idle = 0;
  start_check (self);
  return G_SOURCE_REMOVE;
}

static gboolean
check_timer_cb (gpointer user_data)
{
  DlgSyncService *self = user_data;
  g_autoptr(GError) error = NULL;

  /* Also a safety net for documents queued in the store by another way
   * than dlg_sync_service_enqueue(): they are sent within the interval. */
  if (dlg_sync_service_refresh_outbox (self, &error) == 0 && error != NULL)
    g_message ("The outbox could not be read again: %s", error->message);
  start_check (self);
  return G_SOURCE_CONTINUE;
}

/* Makes the client that the endpoint and token call for, or none, and
 * hands it to the outbox. A new client abandons the upload under way,
 * which the outbox sends again with the new one; so this is only called
 * when something changed. */
static void
update_client (DlgSyncService *self)
{
  g_autoptr(DlgSyncClient) client = NULL;
  gboolean had_client = self->client != NULL;

  if (self->endpoint != NULL && self->token != NULL && !self->paused)
    {
      g_autoptr(GError) error = NULL;

      client = dlg_sync_client_new (self->endpoint, self->token, &error);
      if (client == NULL)
        g_warning ("The server address %s was accepted before but not now: %s", self->endpoint, error->message);
      else if (self->tls_database != NULL)
        dlg_sync_client_set_tls_database (client, self->tls_database);
    }

  if (client == NULL && self->client == NULL)
    return;

  g_set_object (&self->client, client);
  dlg_outbox_set_client (self->outbox, client);

  g_clear_handle_id (&self->check_timer, g_source_remove);
  g_clear_handle_id (&self->check_idle, g_source_remove);
  if (client != NULL)
    {
      self->check_timer = g_timeout_add_seconds (DLG_SYNC_CHECK_INTERVAL * 60, check_timer_cb, self);
      /* A server just set up, or the first one at start-up: look at once. */
      if (!had_client || self->last_check == NULL)
        self->check_idle = g_idle_add (check_idle_cb, self);
    }
}

static void
set_token_storage (DlgSyncService  *self,
                   DlgTokenStorage  storage,
                   const char      *problem)
{
  if (self->token_storage != storage)
    {
      self->token_storage = storage;
      notify (self, PROP_TOKEN_STORAGE);
    }
  if (g_strcmp0 (self->keyring_problem, problem) != 0)
    {
      g_free (self->keyring_problem);
      self->keyring_problem = g_strdup (problem);
      notify (self, PROP_KEYRING_PROBLEM);
    }
}

static void
token_looked_up_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(DlgSyncService) self = user_data;
  g_autoptr(GError) error = NULL;
  char *token;

  token = dlg_sync_token_lookup_finish (result, &error);
  operation_end (self);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->lookup);

  if (error != NULL)
    {
      g_autofree char *problem = NULL;

      /* Nothing to fall back on: a token kept for the session was never
       * written anywhere. Preferences asks for it again. */
      g_debug ("No keyring to look the token up in: %s", error->message);
      problem = g_strdup_printf (_("No keyring could be reached (%s). A token you enter is kept only until "
                                   "Diligence quits, and never written to disk."), error->message);
      set_token_storage (self, DLG_TOKEN_STORAGE_NONE, problem);
      return;
    }

  if (token == NULL)
    return;

  wipe_token (self);
  self->token = token;
  set_token_storage (self, DLG_TOKEN_STORAGE_KEYRING, NULL);
  notify (self, PROP_HAS_TOKEN);
  notify (self, PROP_CONFIGURED);
  update_client (self);
}

/* The endpoint changed: the token that goes with it is another. */
static void
apply_endpoint (DlgSyncService *self,
                const char     *endpoint)
{
  gboolean had_token = self->token != NULL;

  g_free (self->endpoint);
  self->endpoint = g_strdup (endpoint);

  if (self->lookup != NULL)
    g_cancellable_cancel (self->lookup);
  g_clear_object (&self->lookup);
  wipe_token (self);
  set_token_storage (self, DLG_TOKEN_STORAGE_NONE, self->keyring_problem);
  g_clear_pointer (&self->last_check, g_date_time_unref);
  g_clear_pointer (&self->last_check_error, g_free);

  g_object_freeze_notify (G_OBJECT (self));
  notify (self, PROP_ENDPOINT);
  if (had_token)
    {
      notify (self, PROP_HAS_TOKEN);
      notify (self, PROP_CONFIGURED);
    }
  notify (self, PROP_LAST_CHECK);
  notify (self, PROP_LAST_CHECK_ERROR);
  g_object_thaw_notify (G_OBJECT (self));

  update_client (self);

  if (endpoint != NULL)
    {
      self->lookup = g_cancellable_new ();
      operation_begin (self);
      dlg_sync_token_lookup_async (endpoint, self->lookup, token_looked_up_cb, g_object_ref (self));
    }
}

/* Returns: (transfer full) (nullable): @endpoint as the client reads it,
 * or NULL for none */
static char *
normalise_endpoint (const char  *endpoint,
                    GError     **error)
{
  g_autoptr(DlgSyncClient) client = NULL;
  g_autofree char *stripped = g_strstrip (g_strdup (endpoint ? endpoint : ""));

  if (*stripped == '\0')
    return NULL;
  client = dlg_sync_client_new (stripped, NULL, error);
  return client ? g_strdup (dlg_sync_client_get_endpoint (client)) : NULL;
}

static void
endpoint_setting_changed_cb (DlgSyncService *self)
{
  g_autofree char *value = g_settings_get_string (self->settings, "sync-endpoint");
  g_autofree char *endpoint = NULL;
  g_autoptr(GError) error = NULL;

  endpoint = normalise_endpoint (value, &error);
  if (error != NULL)
    g_message ("The setting sync-endpoint is not a server address: %s", error->message);
  if (g_strcmp0 (endpoint, self->endpoint) != 0)
    apply_endpoint (self, endpoint);
}

/* ------------------------------------------------------------------------ */
/* The outbox                                                               */
/* ------------------------------------------------------------------------ */

/* The counts and times the pages show, from the outbox as it is now. */
static void
recount (DlgSyncService *self)
{
  GListModel *model = G_LIST_MODEL (self->outbox);
  guint n = g_list_model_get_n_items (model);
  gboolean sending = FALSE;
  guint rejected = 0;
  g_autoptr(GDateTime) last = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DlgOutboxItem) item = g_list_model_get_item (model, i);
      GDateTime *delivered = dlg_outbox_item_get_delivered_at (item);

      switch (dlg_outbox_item_get_state (item))
        {
        case DLG_OUTBOX_SENDING:
          sending = TRUE;
          break;
        case DLG_OUTBOX_REJECTED:
          rejected++;
          break;
        case DLG_OUTBOX_QUEUED:
        case DLG_OUTBOX_DELIVERED:
        default:
          break;
        }
      if (delivered != NULL && (last == NULL || g_date_time_compare (delivered, last) > 0))
        {
          g_clear_pointer (&last, g_date_time_unref);
          last = g_date_time_ref (delivered);
        }
    }

  g_object_freeze_notify (G_OBJECT (self));
  if (self->sending != sending)
    {
      self->sending = sending;
      notify (self, PROP_SENDING);
      update_busy (self);
    }
  if (self->n_rejected != rejected)
    {
      self->n_rejected = rejected;
      notify (self, PROP_N_REJECTED);
    }
  if ((last == NULL) != (self->last_delivery == NULL) ||
      (last != NULL && !g_date_time_equal (last, self->last_delivery)))
    {
      g_clear_pointer (&self->last_delivery, g_date_time_unref);
      self->last_delivery = g_steal_pointer (&last);
      notify (self, PROP_LAST_DELIVERY);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

/* Stops sending: the upload under way is abandoned, and the outbox puts
 * it back in the queue, to be sent again at the next start. */
static void
detach_client (DlgSyncService *self)
{
  g_clear_handle_id (&self->grace_id, g_source_remove);
  g_clear_handle_id (&self->check_timer, g_source_remove);
  g_clear_handle_id (&self->check_idle, g_source_remove);
  g_clear_object (&self->client);
  dlg_outbox_set_client (self->outbox, NULL);
}

static void
outbox_state_changed_cb (DlgSyncService *self)
{
  recount (self);

  /* Quitting: the upload under way is done, start no other. */
  if (self->paused && !self->sending && self->client != NULL)
    detach_client (self);
}

static void
outbox_pending_cb (DlgSyncService *self)
{
  notify (self, PROP_N_PENDING);
}

/* ------------------------------------------------------------------------ */
/* The inbox                                                                */
/* ------------------------------------------------------------------------ */

static void
finish_checks (DlgSyncService *self,
               guint           received,
               GPtrArray      *refused,
               const GError   *error)
{
  g_autoptr(GPtrArray) checks = g_steal_pointer (&self->checks);

  self->checks = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; checks != NULL && i < checks->len; i++)
    {
      GTask *task = g_ptr_array_index (checks, i);

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        {
          g_task_set_task_data (task, refused ? g_ptr_array_ref (refused) : NULL,
                                (GDestroyNotify) g_ptr_array_unref);
          g_task_return_int (task, received);
        }
    }
}

static void
pulled_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(DlgSyncService) self = user_data;
  g_autoptr(GPtrArray) refused = NULL;
  g_autoptr(GError) error = NULL;
  guint received;

  received = dlg_inbox_pull_finish (DLG_INBOX (source), result, &refused, &error);
  g_clear_object (&self->check_cancellable);
  update_busy (self);

  g_object_freeze_notify (G_OBJECT (self));
  if (error == NULL)
    {
      g_clear_pointer (&self->last_check, g_date_time_unref);
      self->last_check = g_date_time_new_now_local ();
      notify (self, PROP_LAST_CHECK);
      if (self->last_check_error != NULL)
        {
          g_clear_pointer (&self->last_check_error, g_free);
          notify (self, PROP_LAST_CHECK_ERROR);
        }
      for (guint i = 0; refused != NULL && i < refused->len; i++)
        g_message ("Not kept: %s", (const char *) g_ptr_array_index (refused, i));
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_free (self->last_check_error);
      self->last_check_error = g_strdup (error->message);
      notify (self, PROP_LAST_CHECK_ERROR);
    }
  notify (self, PROP_CHECKING);
  g_object_thaw_notify (G_OBJECT (self));

  finish_checks (self, received, refused, error);
}

static void
start_check (DlgSyncService *self)
{
  if (self->check_cancellable != NULL || self->inbox == NULL || self->client == NULL)
    return;

  self->check_cancellable = g_cancellable_new ();
  notify (self, PROP_CHECKING);
  update_busy (self);
  dlg_inbox_pull_async (self->inbox, self->client, self->check_cancellable, pulled_cb, g_object_ref (self));
}

static void
network_changed_cb (GNetworkMonitor *monitor,
                    gboolean         available,
                    DlgSyncService  *self)
{
  /* A hint: a network appeared, so a check that failed may work now. The
   * outbox takes the same hint for what waits to be sent. */
  if (available && self->last_check_error != NULL)
    start_check (self);
}

static void
inbox_unread_cb (DlgSyncService *self)
{
  notify (self, PROP_N_UNREAD);
}

static void
trusted_changed_cb (DlgSyncService *self)
{
  g_signal_emit (self, signals[VERDICTS_CHANGED], 0);
}

static void
watch_keys (DlgSyncService *self,
            guint           position,
            guint           n)
{
  for (guint i = position; i < position + n; i++)
    {
      g_autoptr(DlgTrustedKey) key = g_list_model_get_item (G_LIST_MODEL (self->trust), i);

      g_signal_connect_object (key, "notify::trusted", G_CALLBACK (trusted_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (key, "notify::organisation-name", G_CALLBACK (trusted_changed_cb), self,
                               G_CONNECT_SWAPPED);
    }
}

static void
trust_items_changed_cb (GListModel     *model,
                        guint           position,
                        guint           removed,
                        guint           added,
                        DlgSyncService *self)
{
  watch_keys (self, position, added);
  g_signal_emit (self, signals[VERDICTS_CHANGED], 0);
}

/* ------------------------------------------------------------------------ */
/* GObject                                                                  */
/* ------------------------------------------------------------------------ */

static void
dlg_sync_service_dispose (GObject *object)
{
  DlgSyncService *self = DLG_SYNC_SERVICE (object);
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "The application is closing");

  if (self->lookup != NULL)
    g_cancellable_cancel (self->lookup);
  g_clear_object (&self->lookup);
  if (self->check_cancellable != NULL)
    g_cancellable_cancel (self->check_cancellable);
  if (self->checks != NULL && self->checks->len > 0)
    finish_checks (self, 0, NULL, error);
  g_clear_handle_id (&self->grace_id, g_source_remove);
  g_clear_handle_id (&self->check_timer, g_source_remove);
  g_clear_handle_id (&self->check_idle, g_source_remove);
  g_clear_signal_handler (&self->monitor_handler, self->monitor);
  g_clear_object (&self->monitor);

  if (self->outbox != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->outbox, self);
      dlg_outbox_set_client (self->outbox, NULL);
    }
  if (self->inbox != NULL)
    g_signal_handlers_disconnect_by_data (self->inbox, self);
  if (self->trust != NULL)
    g_signal_handlers_disconnect_by_data (self->trust, self);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);

  g_clear_object (&self->client);
  g_clear_object (&self->outbox);
  g_clear_object (&self->inbox);

  G_OBJECT_CLASS (dlg_sync_service_parent_class)->dispose (object);
}

static void
dlg_sync_service_finalize (GObject *object)
{
  DlgSyncService *self = DLG_SYNC_SERVICE (object);

  wipe_token (self);
  g_clear_pointer (&self->checks, g_ptr_array_unref);
  g_clear_object (&self->store);
  g_clear_object (&self->trust);
  g_clear_object (&self->settings);
  g_clear_object (&self->tls_database);
  g_clear_error (&self->inbox_error);
  g_clear_pointer (&self->endpoint, g_free);
  g_clear_pointer (&self->keyring_problem, g_free);
  g_clear_pointer (&self->last_delivery, g_date_time_unref);
  g_clear_pointer (&self->last_check, g_date_time_unref);
  g_clear_pointer (&self->last_check_error, g_free);

  G_OBJECT_CLASS (dlg_sync_service_parent_class)->finalize (object);
}

static void
dlg_sync_service_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  DlgSyncService *self = DLG_SYNC_SERVICE (object);

  switch (prop_id)
    {
    case PROP_ENDPOINT:
      g_value_set_string (value, self->endpoint);
      break;
    case PROP_HAS_TOKEN:
      g_value_set_boolean (value, dlg_sync_service_get_has_token (self));
      break;
    case PROP_TOKEN_STORAGE:
      g_value_set_int (value, self->token_storage);
      break;
    case PROP_KEYRING_PROBLEM:
      g_value_set_string (value, self->keyring_problem);
      break;
    case PROP_CONFIGURED:
      g_value_set_boolean (value, dlg_sync_service_get_configured (self));
      break;
    case PROP_SENDING:
      g_value_set_boolean (value, self->sending);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    case PROP_N_PENDING:
      g_value_set_uint (value, dlg_sync_service_get_n_pending (self));
      break;
    case PROP_N_REJECTED:
      g_value_set_uint (value, self->n_rejected);
      break;
    case PROP_LAST_DELIVERY:
      g_value_set_boxed (value, self->last_delivery);
      break;
    case PROP_CHECKING:
      g_value_set_boolean (value, dlg_sync_service_get_checking (self));
      break;
    case PROP_LAST_CHECK:
      g_value_set_boxed (value, self->last_check);
      break;
    case PROP_LAST_CHECK_ERROR:
      g_value_set_string (value, self->last_check_error);
      break;
    case PROP_N_UNREAD:
      g_value_set_uint (value, dlg_sync_service_get_n_unread (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dlg_sync_service_class_init (DlgSyncServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = dlg_sync_service_dispose;
  object_class->finalize = dlg_sync_service_finalize;
  object_class->get_property = dlg_sync_service_get_property;

  properties[PROP_ENDPOINT] = g_param_spec_string ("endpoint", NULL, NULL, NULL, flags);
  properties[PROP_HAS_TOKEN] = g_param_spec_boolean ("has-token", NULL, NULL, FALSE, flags);
  /* DlgTokenStorage, as a plain integer. */
  properties[PROP_TOKEN_STORAGE] = g_param_spec_int ("token-storage", NULL, NULL, 0, DLG_TOKEN_STORAGE_SESSION, 0,
                                                     flags);
  properties[PROP_KEYRING_PROBLEM] = g_param_spec_string ("keyring-problem", NULL, NULL, NULL, flags);
  properties[PROP_CONFIGURED] = g_param_spec_boolean ("configured", NULL, NULL, FALSE, flags);
  properties[PROP_SENDING] = g_param_spec_boolean ("sending", NULL, NULL, FALSE, flags);
  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE, flags);
  properties[PROP_N_PENDING] = g_param_spec_uint ("n-pending", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_N_REJECTED] = g_param_spec_uint ("n-rejected", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_LAST_DELIVERY] = g_param_spec_boxed ("last-delivery", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_CHECKING] = g_param_spec_boolean ("checking", NULL, NULL, FALSE, flags);
  properties[PROP_LAST_CHECK] = g_param_spec_boxed ("last-check", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_LAST_CHECK_ERROR] = g_param_spec_string ("last-check-error", NULL, NULL, NULL, flags);
  properties[PROP_N_UNREAD] = g_param_spec_uint ("n-unread", NULL, NULL, 0, G_MAXUINT, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DlgSyncService::verdicts-changed:
   *
   * A known key was added, removed, trusted or renamed: what
   * dlg_sync_service_verify() says of received documents may have changed.
   */
  signals[VERDICTS_CHANGED] =
    g_signal_new ("verdicts-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
dlg_sync_service_init (DlgSyncService *self)
{
  self->checks = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * dlg_sync_service_new:
 * @store: the application's store
 * @trust: (nullable): the keys we know; %NULL opens the default list
 * @settings: (nullable): where the server address is kept; without, it is
 *   kept for the session
 *
 * Loads the outbox and the inbox, and starts looking the token up in the
 * keyring. A list of known keys that cannot be read leaves the inbox out
 * (see dlg_sync_service_get_inbox_error()); sending still works.
 *
 * Returns: (transfer full): the service, or %NULL with @error set when the
 *   outbox cannot be read
 */
DlgSyncService *
dlg_sync_service_new (DlgStore       *store,
                      DlgTrustStore  *trust,
                      GSettings      *settings,
                      GError        **error)
{
  g_autoptr(DlgSyncService) self = NULL;

  g_return_val_if_fail (DLG_IS_STORE (store), NULL);
  g_return_val_if_fail (trust == NULL || DLG_IS_TRUST_STORE (trust), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  self = g_object_new (DLG_TYPE_SYNC_SERVICE, NULL);
  self->store = g_object_ref (store);
  self->outbox = dlg_outbox_new (store, error);
  if (self->outbox == NULL)
    return NULL;
  g_signal_connect_swapped (self->outbox, "state-changed", G_CALLBACK (outbox_state_changed_cb), self);
  g_signal_connect_swapped (self->outbox, "items-changed", G_CALLBACK (outbox_state_changed_cb), self);
  g_signal_connect_swapped (self->outbox, "notify::n-pending", G_CALLBACK (outbox_pending_cb), self);
  recount (self);

  if (trust != NULL)
    self->trust = g_object_ref (trust);
  else
    {
      g_autofree char *path = dlg_trust_store_get_default_path ();

      self->trust = dlg_trust_store_open (path, &self->inbox_error);
    }
  if (self->trust != NULL)
    {
      self->inbox = dlg_inbox_new (store, self->trust, &self->inbox_error);
      watch_keys (self, 0, g_list_model_get_n_items (G_LIST_MODEL (self->trust)));
      g_signal_connect (self->trust, "items-changed", G_CALLBACK (trust_items_changed_cb), self);
    }
  if (self->inbox != NULL)
    g_signal_connect_swapped (self->inbox, "notify::n-unread", G_CALLBACK (inbox_unread_cb), self);
  else
    g_warning ("Received reports cannot be shown: %s", self->inbox_error->message);

  self->monitor = g_object_ref (g_network_monitor_get_default ());
  self->monitor_handler = g_signal_connect (self->monitor, "network-changed", G_CALLBACK (network_changed_cb), self);

  if (settings != NULL)
    {
      self->settings = g_object_ref (settings);
      g_signal_connect_swapped (settings, "changed::sync-endpoint", G_CALLBACK (endpoint_setting_changed_cb), self);
      endpoint_setting_changed_cb (self);
    }

  return g_steal_pointer (&self);
}

DlgStore *
dlg_sync_service_get_store (DlgSyncService *self)
{
  g_return_val_if_fail (DLG_IS_SYNC_SERVICE (self), NULL);
  return self->store;
}

/**
 * dlg_sync_service_get_outbox:
 *
 * Returns: (transfer none): every document we signed, and its fate
 */
DlgOutbox *
dlg_sync_service_get_outbox (DlgSyncService *self)
{
  g_return_val_if_fail (DLG_IS_SYNC_SERVICE (self), NULL);
  return self->outbox;
}

/**
 * dlg_sync_service_get_inbox:
 *
 * Returns: (transfer none) (nullable): what others sent us; %NULL when the
 *   list of known keys cannot be read
 */
DlgInbox *
dlg_sync_service_get_inbox (DlgSyncService *self)
{
  g_return_val_if_fail (DLG_IS_SYNC_SERVICE (self), NULL);
  return self->inbox;
}

const GError *
dlg_sync_service_get_inbox_error (DlgSyncService *self)
{
  g_return_val_if_fail (DLG_IS_SYNC_SERVICE (self), NULL);
  return self->inbox_error;
}

/**
 * dlg_sync_service_get_trust_store:
 *
 * Returns: (transfer none) (nullable): the keys received documents are
 *   verified with
 */
DlgTrustStore *
dlg_sync_service_get_trust_store (DlgSyncService *self)
{
  g_return_val_if_fail (DLG_IS_SYNC_SERVICE (self), NULL);
  return self->trust;
}

/**
 * dlg_sync_service_get_client:
 *
 * Returns: (transfer none) (nullable): the client, while a server and a
 *   token are set
 */
DlgSyncClient *
dlg_sync_service_get_client (DlgSyncService *self)
{
  g_return_val_if_fail (DLG_IS_SYNC_SERVICE (self), NULL);
  return self->client;
}

/**
 * dlg_sync_service_get_endpoint:
 *
 * Returns: (nullable): the server's address, as the client uses it
 */
const char *
dlg_sync_service_get_endpoint (DlgSyncService *self)
{
  g_return_val_if_fail (DLG_IS_SYNC_SERVICE (self), NULL);
  return self->endpoint;
}

/**
 * dlg_sync_service_set_endpoint:
 * @endpoint: (nullable): the server's address; empty or %NULL for none
 *
 * Checks and keeps the server's address: `https://`, or plain `http://` to
 * this computer only, as the server itself accepts. The token of another
 * address is not sent to this one: the one kept for @endpoint, if any, is
 * looked up.
 *
 * Returns: %FALSE with %DLG_SYNC_ERROR_INVALID_ENDPOINT when @endpoint is
 *   not acceptable; nothing changed then
 */
gboolean
dlg_sync_service_set_endpoint (DlgSyncService  *self,
                               const char      *endpoint,
                               GError         **error)
{
  g_autofree char *normalised = NULL;
  GError *local = NULL;

  g_return_val_if_fail (DLG_IS_SYNC_SERVICE (self), FALSE);

  normalised = normalise_endpoint (endpoint, &local);
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }

  if (g_strcmp0 (normalised, self->endpoint) == 0)
    return TRUE;

  apply_endpoint (self, normalised);
  if (self->settings != NULL)
    g_settings_set_string (self->settings, "sync-endpoint", normalised ? normalised : "");
  return TRUE;
}

gboolean
dlg_sync_service_get_has_token (DlgSyncService *self)
{
  g_return_val_if_fail (DLG_IS_SYNC_SERVICE (self), FALSE);
  return self->token != NULL;
}

DlgTokenStorage
dlg_sync_service_get_token_storage (DlgSyncService *self)
{
  g_return_val_if_fail (DLG_IS_SYNC_SERVICE (self), DLG_TOKEN_STORAGE_NONE);
  return self->token_storage;
}

/**
 * dlg_sync_service_get_keyring_problem:
 *
 * Returns: (nullable): why the token cannot be kept in the keyring, for
 *   the person who entered it
 */
const char *
dlg_sync_service_get_keyring_problem (DlgSyncService *self)
{
  g_return_val_if_fail (DLG_IS_SYNC_SERVICE (self), NULL);
  return self->keyring_problem;
}

static void
token_stored_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DlgSyncService *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *problem = NULL;

  operation_end (self);
  if (dlg_sync_token_store_finish (result, &error))
    {
      set_token_storage (self, DLG_TOKEN_STORAGE_KEYRING, NULL);
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The token works for this session either way; say why it will be
   * asked for again. */
  if (error != NULL && g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
    problem = g_strdup (_("The keyring stayed locked, so the token is kept only until Diligence quits. "
                          "Unlock the keyring and enter the token again to keep it."));
  else
    problem = g_strdup_printf (_("No keyring could be reached (%s). The token is kept only until Diligence "
                                 "quits, and never written to disk."),
                               error ? error->message : _("no answer"));
  set_token_storage (self, DLG_TOKEN_STORAGE_SESSION, problem);
  g_task_return_boolean (task, TRUE);
}

static void
token_cleared_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  operation_end (g_task_get_source_object (task));
  /* Nothing was kept where no keyring is: that is not a failure. */
  if (!dlg_sync_token_clear_finish (result, &error))
    g_debug ("The token could not be removed from the keyring: %s", error->message);
  g_task_return_boolean (task, TRUE);
}

/**
 * dlg_sync_service_set_token_async:
 * @token: (nullable): the token the server's administrator gave, for the
 *   current endpoint; empty or %NULL forgets it
 *
 * Uses @token at once, and keeps it in the keyring under the server's
 * address. Where no keyring can be reached, :token-storage becomes
 * %DLG_TOKEN_STORAGE_SESSION and :keyring-problem says why.
 */
void
dlg_sync_service_set_token_async (DlgSyncService      *self,
                                  const char          *token,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *stripped = g_strstrip (g_strdup (token ? token : ""));
  gboolean had_token;

  g_return_if_fail (DLG_IS_SYNC_SERVICE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dlg_sync_service_set_token_async);

  if (self->endpoint == NULL)
    {
      memset (stripped, 0, strlen (stripped));
      g_task_return_new_error (task, DLG_SYNC_ERROR, DLG_SYNC_ERROR_NOT_CONFIGURED,
                               _("Enter the server's address first: a token is kept for one server."));
      return;
    }

  /* What the keyring holds for this address is replaced, not awaited. */
  if (self->lookup != NULL)
    g_cancellable_cancel (self->lookup);
  g_clear_object (&self->lookup);

  had_token = self->token != NULL;
  wipe_token (self);
  if (*stripped != '\0')
    self->token = g_strdup (stripped);
  memset (stripped, 0, strlen (stripped));

  g_object_freeze_notify (G_OBJECT (self));
  if (had_token != (self->token != NULL))
    {
      notify (self, PROP_HAS_TOKEN);
      notify (self, PROP_CONFIGURED);
    }
  g_object_thaw_notify (G_OBJECT (self));

  /* A new token is a new client even for the same address. */
  g_clear_object (&self->client);
  dlg_outbox_set_client (self->outbox, NULL);
  update_client (self);

  operation_begin (self);
  if (self->token == NULL)
    {
      set_token_storage (self, DLG_TOKEN_STORAGE_NONE, self->keyring_problem);
      dlg_sync_token_clear_async (self->endpoint, cancellable, token_cleared_cb, g_steal_pointer (&task));
    }
  else
    dlg_sync_token_store_async (self->endpoint, self->token, cancellable, token_stored_cb, g_steal_pointer (&task));
}

gboolean
dlg_sync_service_set_token_finish (DlgSyncService  *self,
                                   GAsyncResult    *result,
                                   GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * dlg_sync_service_get_configured:
 *
 * Returns: %TRUE when both a server address and a token are set
 */
gboolean
dlg_sync_service_get_configured (DlgSyncService *self)
{
  g_return_val_if_fail (DLG_IS_SYNC_SERVICE (self), FALSE);
  return self->endpoint != NULL && self->token != NULL;
}

/**
 * dlg_sync_service_set_tls_database:
 * @database: (nullable): the certificates to trust instead of the system's
 *
 * For a server whose certificate comes from a private authority.
 */
void
dlg_sync_service_set_tls_database (DlgSyncService *self,
                                   GTlsDatabase   *database)
{
  g_return_if_fail (DLG_IS_SYNC_SERVICE (self));

  if (!g_set_object (&self->tls_database, database))
    return;
  if (self->client != NULL)
    {
      g_clear_object (&self->client);
      dlg_outbox_set_client (self->outbox, NULL);
      update_client (self);
    }
}

static void
account_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  DlgSyncAccount *account;

  account = dlg_sync_client_get_account_finish (DLG_SYNC_CLIENT (source), result, &error);
  operation_end (g_task_get_source_object (task));
  if (account == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, account, (GDestroyNotify) dlg_sync_account_free);
}

/**
 * dlg_sync_service_test_connection_async:
 *
 * Asks the server who the token belongs to: it shows at once whether the
 * server can be reached, whether its certificate holds and whether it
 * accepts the token.
 */
void
dlg_sync_service_test_connection_async (DlgSyncService      *self,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(DlgSyncClient) client = NULL;
  GError *error = NULL;

  g_return_if_fail (DLG_IS_SYNC_SERVICE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dlg_sync_service_test_connection_async);

  if (self->endpoint == NULL)
    {
      g_task_return_new_error (task, DLG_SYNC_ERROR, DLG_SYNC_ERROR_NOT_CONFIGURED,
                               _("No server address is set. Enter the one your server's administrator gave you."));
      return;
    }

  /* A client of its own: testing must not disturb an upload under way,
   * and works while paused too. */
  client = dlg_sync_client_new (self->endpoint, self->token, &error);
  if (client == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (self->tls_database != NULL)
    dlg_sync_client_set_tls_database (client, self->tls_database);
  operation_begin (self);
  dlg_sync_client_get_account_async (client, cancellable, account_cb, g_steal_pointer (&task));
}

/**
 * dlg_sync_service_test_connection_finish:
 *
 * Returns: (transfer full): the organisation the token belongs to, or
 *   %NULL with @error set, in the %DLG_SYNC_ERROR domain
 */
DlgSyncAccount *
dlg_sync_service_test_connection_finish (DlgSyncService  *self,
                                         GAsyncResult    *result,
                                         GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * dlg_sync_service_enqueue:
 *
 * Keeps a freshly signed document and queues it for sending, in one
 * transaction (see dlg_outbox_enqueue()). The way to sign and release.
 *
 * Returns: (transfer none): its item, or %NULL with @error set
 */
DlgOutboxItem *
dlg_sync_service_enqueue (DlgSyncService  *self,
                          DlgSignedKind    kind,
                          const char      *id,
                          const char      *assessment_id,
                          const char      *subject_id,
                          GBytes          *jws,
                          GError         **error)
{
  g_return_val_if_fail (DLG_IS_SYNC_SERVICE (self), NULL);
  return dlg_outbox_enqueue (self->outbox, kind, id, assessment_id, subject_id, jws, error);
}

/**
 * dlg_sync_service_refresh_outbox:
 *
 * Takes into the outbox the documents queued in the store by other means
 * than this service (dlg_store_add_signed() called directly, or another
 * program), which would otherwise wait for the next start.
 *
 * Returns: how many were taken in; 0 with @error set if the store could
 *   not be read
 */
guint
dlg_sync_service_refresh_outbox (DlgSyncService  *self,
                                 GError         **error)
{
  g_autoptr(GPtrArray) entries = NULL;
  guint n = 0;

  g_return_val_if_fail (DLG_IS_SYNC_SERVICE (self), 0);

  entries = dlg_store_list_outbox (self->store, error);
  if (entries == NULL)
    return 0;

  for (guint i = 0; i < entries->len; i++)
    {
      DlgOutboxEntry *entry = g_ptr_array_index (entries, i);
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) local = NULL;

      if (dlg_outbox_lookup (self->outbox, entry->id) != NULL)
        continue;
      /* The same bytes again: the store keeps its row and its place. */
      bytes = dlg_store_get_signed_bytes (self->store, entry->id, &local);
      if (bytes == NULL ||
          dlg_outbox_enqueue (self->outbox, entry->kind, entry->id, entry->assessment_id, entry->subject_id, bytes,
                              &local) == NULL)
        {
          g_warning ("Could not take %s into the outbox: %s", entry->id, local->message);
          continue;
        }
      n++;
    }
  return n;
}

/**
 * dlg_sync_service_get_sending:
 *
 * Returns: %TRUE while a document is on its way to the server
 */
gboolean
dlg_sync_service_get_sending (DlgSyncService *self)
{
  g_return_val_if_fail (DLG_IS_SYNC_SERVICE (self), FALSE);
  return self->sending;
}

/**
 * dlg_sync_service_get_busy:
 *
 * Returns: %TRUE while something is under way whose end should be waited
 *   for before the process exits: an upload, a check, a keyring request
 */
gboolean
dlg_sync_service_get_busy (DlgSyncService *self)
{
  g_return_val_if_fail (DLG_IS_SYNC_SERVICE (self), FALSE);
  return self->busy;
}

guint
dlg_sync_service_get_n_pending (DlgSyncService *self)
{
  g_return_val_if_fail (DLG_IS_SYNC_SERVICE (self), 0);
  return dlg_outbox_get_n_pending (self->outbox);
}

guint
dlg_sync_service_get_n_rejected (DlgSyncService *self)
{
  g_return_val_if_fail (DLG_IS_SYNC_SERVICE (self), 0);
  return self->n_rejected;
}

/**
 * dlg_sync_service_get_last_delivery:
 *
 * Returns: (transfer none) (nullable): when the server last acknowledged
 *   one of our documents
 */
GDateTime *
dlg_sync_service_get_last_delivery (DlgSyncService *self)
{
  g_return_val_if_fail (DLG_IS_SYNC_SERVICE (self), NULL);
  return self->last_delivery;
}

/**
 * dlg_sync_service_check_inbox_async:
 *
 * Fetches the reports addressed to us and the reviews of our reports that
 * are not here yet; each is verified like a file and kept. Asked while a
 * check is under way, waits for that one.
 */
void
dlg_sync_service_check_inbox_async (DlgSyncService      *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (DLG_IS_SYNC_SERVICE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dlg_sync_service_check_inbox_async);

  if (self->inbox == NULL)
    {
      g_task_return_error (task, g_error_copy (self->inbox_error));
      g_object_unref (task);
      return;
    }
  if (self->client == NULL)
    {
      g_task_return_new_error (task, DLG_SYNC_ERROR, DLG_SYNC_ERROR_NOT_CONFIGURED,
                               self->paused ? _("Diligence is quitting.")
                                            : _("No server is set up. Enter its address and your token in "
                                                "Preferences."));
      g_object_unref (task);
      return;
    }

  g_ptr_array_add (self->checks, task);
  start_check (self);
}

/**
 * dlg_sync_service_check_inbox_finish:
 * @refused: (out) (optional) (transfer full) (element-type utf8): what
 *   was not kept and why
 *
 * Returns: how many new documents were kept
 */
guint
dlg_sync_service_check_inbox_finish (DlgSyncService  *self,
                                     GAsyncResult    *result,
                                     GPtrArray      **refused,
                                     GError         **error)
{
  gssize n;

  g_return_val_if_fail (g_task_is_valid (result, self), 0);

  n = g_task_propagate_int (G_TASK (result), error);
  if (refused != NULL)
    {
      GPtrArray *list = g_task_get_task_data (G_TASK (result));

      *refused = list ? g_ptr_array_ref (list) : g_ptr_array_new_with_free_func (g_free);
    }
  return n < 0 ? 0 : (guint) n;
}

gboolean
dlg_sync_service_get_checking (DlgSyncService *self)
{
  g_return_val_if_fail (DLG_IS_SYNC_SERVICE (self), FALSE);
  return self->check_cancellable != NULL;
}

/**
 * dlg_sync_service_get_last_check:
 *
 * Returns: (transfer none) (nullable): when the server was last asked for
 *   new documents successfully, in this session
 */
GDateTime *
dlg_sync_service_get_last_check (DlgSyncService *self)
{
  g_return_val_if_fail (DLG_IS_SYNC_SERVICE (self), NULL);
  return self->last_check;
}

/**
 * dlg_sync_service_get_last_check_error:
 *
 * Returns: (nullable): why the last check failed; %NULL once one worked
 */
const char *
dlg_sync_service_get_last_check_error (DlgSyncService *self)
{
  g_return_val_if_fail (DLG_IS_SYNC_SERVICE (self), NULL);
  return self->last_check_error;
}

guint
dlg_sync_service_get_n_unread (DlgSyncService *self)
{
  g_return_val_if_fail (DLG_IS_SYNC_SERVICE (self), 0);
  return self->inbox ? dlg_inbox_get_n_unread (self->inbox) : 0;
}

/* Enterprise numbers as the server compares them. */
static char *
normalise_organisation_id (const char *id)
{
  GString *s = g_string_new (NULL);

  for (const char *p = id ? id : ""; *p; p++)
    if (*p != ' ' && *p != '.' && *p != '-' && *p != '/')
      g_string_append_c (s, g_ascii_toupper (*p));
  return g_string_free (s, FALSE);
}

/**
 * dlg_sync_service_verify:
 * @detail: (out) (optional) (transfer full): the verdict explained, for
 *   the person who reads it
 *
 * Checks a received document's signature again with the keys known now:
 * a key may have been trusted, removed or replaced since it arrived.
 */
DlgVerdict
dlg_sync_service_verify (DlgSyncService  *self,
                         DlgInboxItem    *item,
                         char           **detail)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(DlgJws) jws = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *author = NULL, *owner = NULL;
  DlgTrustedKey *key;
  gsize length;
  const char *data;

  g_return_val_if_fail (DLG_IS_SYNC_SERVICE (self), DLG_VERDICT_INVALID);
  g_return_val_if_fail (DLG_IS_INBOX_ITEM (item), DLG_VERDICT_INVALID);

#define RETURN(verdict, ...) G_STMT_START { \
    if (detail != NULL) *detail = g_strdup_printf (__VA_ARGS__); \
    return verdict; } G_STMT_END

  if (self->inbox == NULL || !(bytes = dlg_inbox_get_bytes (self->inbox, dlg_inbox_item_get_id (item), &error)))
    RETURN (DLG_VERDICT_INVALID, _("It cannot be read: %s"), error ? error->message : "");

  data = g_bytes_get_data (bytes, &length);
  jws = dlg_jws_parse (data ? data : "", length, &error);
  if (jws == NULL)
    RETURN (DLG_VERDICT_INVALID, _("It is not a signed document any more: %s"), error->message);

  key = dlg_trust_store_lookup (self->trust, dlg_jws_get_kid (jws));
  if (key == NULL)
    RETURN (DLG_VERDICT_UNKNOWN_SIGNER,
            _("It is signed with a key that is not in your list of known keys (%s). Import the sender's "
              "public key and compare its fingerprint with theirs."), dlg_jws_get_kid (jws));

  if (!dlg_jws_verify (jws, dlg_trusted_key_get_key (key), &error))
    RETURN (DLG_VERDICT_INVALID, _("The signature does not match the document: %s"), error->message);

  author = normalise_organisation_id (dlg_inbox_item_get_sender_id (item));
  owner = normalise_organisation_id (dlg_trusted_key_get_organisation_id (key));
  if (*owner != '\0' && !g_str_equal (author, owner))
    RETURN (DLG_VERDICT_INVALID, _("It says it is from %s, but the key that signed it is %s’s."),
            dlg_inbox_item_get_sender_id (item), dlg_trusted_key_get_organisation_name (key));

  if (!dlg_trusted_key_get_trusted (key))
    {
      g_autofree char *fingerprint = dlg_trusted_key_get_fingerprint (key);

      RETURN (DLG_VERDICT_UNKNOWN_SIGNER,
              _("The signature holds, with a key the server gave for %s, but nobody here confirmed it. "
                "Compare its fingerprint, %s, with the one the sender gives you, then trust it in "
                "Preferences."), dlg_trusted_key_get_organisation_name (key), fingerprint);
    }

  {
    g_autofree char *fingerprint = dlg_trusted_key_get_fingerprint (key);

    RETURN (DLG_VERDICT_VERIFIED, _("Signed by %s with the key %s, which you confirmed."),
            dlg_trusted_key_get_organisation_name (key), fingerprint);
  }
#undef RETURN
}

/**
 * dlg_sync_service_get_sender_name:
 *
 * Returns: (transfer full) (nullable): the name of the organisation whose
 *   key signed @item, as the list of known keys has it
 */
char *
dlg_sync_service_get_sender_name (DlgSyncService *self,
                                  DlgInboxItem   *item)
{
  DlgTrustedKey *key;
  const char *name;

  g_return_val_if_fail (DLG_IS_SYNC_SERVICE (self), NULL);
  g_return_val_if_fail (DLG_IS_INBOX_ITEM (item), NULL);

  if (self->trust == NULL || dlg_inbox_item_get_key_id (item) == NULL)
    return NULL;
  key = dlg_trust_store_lookup (self->trust, dlg_inbox_item_get_key_id (item));
  name = key ? dlg_trusted_key_get_organisation_name (key) : NULL;
  return name && *name ? g_strdup (name) : NULL;
}

static gboolean
grace_over_cb (gpointer user_data)
{
  DlgSyncService *self = user_data;

  self->grace_id = 0;
  g_message ("The upload under way did not finish in time; it is sent again at the next start");
  detach_client (self);
  return G_SOURCE_REMOVE;
}

/**
 * dlg_sync_service_pause:
 * @grace_seconds: how long an upload under way may take to finish
 *
 * For quitting: starts nothing new, lets the upload under way finish for
 * at most @grace_seconds, then abandons it (it stays queued and is sent
 * again at the next start; the server answers a second sending with the
 * original receipt). :sending turns %FALSE when it is over.
 */
void
dlg_sync_service_pause (DlgSyncService *self,
                        guint           grace_seconds)
{
  g_return_if_fail (DLG_IS_SYNC_SERVICE (self));

  if (self->paused)
    return;
  self->paused = TRUE;

  if (self->check_cancellable != NULL)
    g_cancellable_cancel (self->check_cancellable);
  if (self->lookup != NULL)
    g_cancellable_cancel (self->lookup);
  g_clear_handle_id (&self->check_timer, g_source_remove);
  g_clear_handle_id (&self->check_idle, g_source_remove);

  if (!self->sending)
    detach_client (self);
  else
    self->grace_id = g_timeout_add_seconds (MAX (grace_seconds, 1), grace_over_cb, self);
}

/**
 * dlg_sync_service_resume:
 *
 * Undoes dlg_sync_service_pause(), e.g. when a window opens again before
 * the application quit.
 */
void
dlg_sync_service_resume (DlgSyncService *self)
{
  g_return_if_fail (DLG_IS_SYNC_SERVICE (self));

  if (!self->paused)
    return;
  self->paused = FALSE;
  g_clear_handle_id (&self->grace_id, g_source_remove);
  if (self->client == NULL)
    update_client (self);
}

const char *
dlg_verdict_get_label (DlgVerdict verdict)
{
  switch (verdict)
    {
    case DLG_VERDICT_VERIFIED: return _("Verified");
    case DLG_VERDICT_UNKNOWN_SIGNER: return _("Unknown signer");
    case DLG_VERDICT_INVALID:
    default:
      return _("Invalid");
    }
}

const char *
dlg_verdict_get_icon_name (DlgVerdict verdict)
{
  switch (verdict)
    {
    case DLG_VERDICT_VERIFIED: return "security-high-symbolic";
    case DLG_VERDICT_UNKNOWN_SIGNER: return "security-medium-symbolic";
    case DLG_VERDICT_INVALID:
    default:
      return "security-low-symbolic";
    }
}

/**
 * dlg_sync_format_time:
 * @time: (nullable): a time
 *
 * Returns: (transfer full): @time for people: "today at 14:05",
 *   "yesterday at 09:30", or the date and time; "never" for %NULL
 */
char *
dlg_sync_format_time (GDateTime *time)
{
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *clock = NULL;
  g_autofree char *date = NULL;
  int days;

  if (time == NULL)
    return g_strdup (_("never"));

  local = g_date_time_to_local (time);
  clock = g_date_time_format (local, "%H:%M");
  days = g_date_time_get_day_of_year (now) - g_date_time_get_day_of_year (local);
  if (g_date_time_get_year (now) == g_date_time_get_year (local) && days == 0)
    /* TRANSLATORS: %s is a time of day, e.g. 14:05 */
    return g_strdup_printf (_("today at %s"), clock);
  if (g_date_time_get_year (now) == g_date_time_get_year (local) && days == 1)
    /* TRANSLATORS: %s is a time of day, e.g. 14:05 */
    return g_strdup_printf (_("yesterday at %s"), clock);
  date = g_date_time_format (local, "%x");
  /* TRANSLATORS: a date in the locale's format, then a time of day */
  return g_strdup_printf (_("%s at %s"), date, clock);
}
