/* dlg-sync-token.c - the sync token, kept in the desktop keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The bearer token is a password: it lives in the Secret Service (through
 * libsecret), under the server's address, never in GSettings or the store.
 * Preferences stores it when it is entered and looks it up at start-up;
 * the endpoint itself is an ordinary setting.
 */

#define G_LOG_DOMAIN "dlg-sync"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>
#include <string.h>

#include "dlg-sync-token.h"

static const SecretSchema token_schema = {
  .name = DLG_SYNC_TOKEN_SCHEMA_NAME,
  .flags = SECRET_SCHEMA_NONE,
  .attributes = {
    { "endpoint", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
};

/* One spelling per server: no trailing slash. */
static char *
normalise_endpoint (const char *endpoint)
{
  char *text = g_strstrip (g_strdup (endpoint));

  while (g_str_has_suffix (text, "/"))
    text[strlen (text) - 1] = '\0';
  return text;
}

/* What one call needs to be made again. */
typedef enum { STORE, LOOKUP, CLEAR } Op;

typedef struct
{
  Op        op;
  char     *key;       /* the endpoint, normalised */
  char     *token;     /* STORE only; wiped when done */
  gboolean  retried;
} Request;

static void
request_free (Request *request)
{
  if (request->token != NULL)
    memset (request->token, 0, strlen (request->token));
  g_free (request->token);
  g_free (request->key);
  g_free (request);
}

static void request_run (GTask *task);

/* libsecret keeps one connection to the Secret Service per process, with
 * the session its secrets travel in. A keyring daemon that restarted
 * (a crash, a new login) knows nothing of that session, and every call
 * fails until the process starts again. So a call that fails for any
 * reason but a locked keyring or a cancellation drops that connection and
 * is tried once more on a new one. Returns whether it was. */
static gboolean
retry_on_new_connection (GTask  *task,
                         GError *error)
{
  Request *request = g_task_get_task_data (task);

  if (request->retried ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
    return FALSE;

  g_debug ("Keyring call failed (%s); trying again on a new connection", error->message);
  request->retried = TRUE;
  secret_service_disconnect ();
  request_run (task);
  return TRUE;
}

static void
stored_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  if (secret_password_store_finish (result, &error))
    g_task_return_boolean (task, TRUE);
  else if (retry_on_new_connection (task, error))
    {
      g_error_free (error);
      return;
    }
  else
    {
      g_prefix_error (&error, _("The token could not be saved in the keyring: "));
      g_task_return_error (task, error);
    }
  g_object_unref (task);
}

static void
looked_up_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;
  char *password = secret_password_lookup_finish (result, &error);

  if (error != NULL)
    {
      if (retry_on_new_connection (task, error))
        {
          g_error_free (error);
          return;
        }
      g_prefix_error (&error, _("The token could not be read from the keyring: "));
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  /* The keyring's copy is wiped; ours is an ordinary string the caller
   * frees. */
  g_task_return_pointer (task, g_strdup (password), g_free);
  secret_password_free (password);
  g_object_unref (task);
}

static void
cleared_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  /* FALSE without an error: there was nothing to clear. */
  secret_password_clear_finish (result, &error);
  if (error != NULL && retry_on_new_connection (task, error))
    {
      g_error_free (error);
      return;
    }
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
request_run (GTask *task)
{
  Request *request = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  switch (request->op)
    {
    case STORE:
      {
        /* TRANSLATORS: shown in the keyring manager (Passwords and Keys); %s is a server's address */
        g_autofree char *label = g_strdup_printf (_("Diligence sync token for %s"), request->key);

        secret_password_store (&token_schema, SECRET_COLLECTION_DEFAULT, label, request->token, cancellable,
                               stored_cb, task, "endpoint", request->key, NULL);
      }
      break;
    case LOOKUP:
      secret_password_lookup (&token_schema, cancellable, looked_up_cb, task, "endpoint", request->key, NULL);
      break;
    case CLEAR:
    default:
      secret_password_clear (&token_schema, cancellable, cleared_cb, task, "endpoint", request->key, NULL);
      break;
    }
}

static void
request_start (Op                   op,
               const char          *endpoint,
               const char          *token,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data,
               gpointer             source_tag)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Request *request = g_new0 (Request, 1);

  request->op = op;
  request->key = normalise_endpoint (endpoint);
  request->token = g_strdup (token);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);
  request_run (task);
}

/**
 * dlg_sync_token_store_async:
 * @endpoint: the server's address
 * @token: the bearer token
 *
 * Keeps @token in the default keyring for @endpoint, replacing any before.
 */
void
dlg_sync_token_store_async (const char          *endpoint,
                            const char          *token,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  request_start (STORE, endpoint, token, cancellable, callback, user_data, dlg_sync_token_store_async);
}

gboolean
dlg_sync_token_store_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * dlg_sync_token_lookup_async:
 *
 * Looks up the token kept for @endpoint.
 */
void
dlg_sync_token_lookup_async (const char          *endpoint,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  request_start (LOOKUP, endpoint, NULL, cancellable, callback, user_data, dlg_sync_token_lookup_async);
}

/**
 * dlg_sync_token_lookup_finish:
 *
 * Returns: (transfer full) (nullable): the token, or %NULL without an error
 *   when none is kept for this server
 */
char *
dlg_sync_token_lookup_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * dlg_sync_token_clear_async:
 *
 * Forgets the token kept for @endpoint, if any.
 */
void
dlg_sync_token_clear_async (const char          *endpoint,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  request_start (CLEAR, endpoint, NULL, cancellable, callback, user_data, dlg_sync_token_clear_async);
}

gboolean
dlg_sync_token_clear_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
