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

static void
stored_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (secret_password_store_finish (result, &error))
    g_task_return_boolean (task, TRUE);
  else
    {
      g_prefix_error (&error, _("The token could not be saved in the keyring: "));
      g_task_return_error (task, error);
    }
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
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  g_autofree char *key = normalise_endpoint (endpoint);
  g_autofree char *label = g_strdup_printf (_("Diligence sync token for %s"), key);

  g_task_set_source_tag (task, dlg_sync_token_store_async);
  secret_password_store (&token_schema, SECRET_COLLECTION_DEFAULT, label, token, cancellable,
                         stored_cb, task, "endpoint", key, NULL);
}

gboolean
dlg_sync_token_store_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
looked_up_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *password = secret_password_lookup_finish (result, &error);

  if (error != NULL)
    {
      g_prefix_error (&error, _("The token could not be read from the keyring: "));
      g_task_return_error (task, error);
      return;
    }
  /* The keyring's copy is wiped; ours is an ordinary string the caller
   * frees. */
  g_task_return_pointer (task, g_strdup (password), g_free);
  secret_password_free (password);
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
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  g_autofree char *key = normalise_endpoint (endpoint);

  g_task_set_source_tag (task, dlg_sync_token_lookup_async);
  secret_password_lookup (&token_schema, cancellable, looked_up_cb, task, "endpoint", key, NULL);
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

static void
cleared_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  /* FALSE without an error: there was nothing to clear. */
  secret_password_clear_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
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
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  g_autofree char *key = normalise_endpoint (endpoint);

  g_task_set_source_tag (task, dlg_sync_token_clear_async);
  secret_password_clear (&token_schema, cancellable, cleared_cb, task, "endpoint", key, NULL);
}

gboolean
dlg_sync_token_clear_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
