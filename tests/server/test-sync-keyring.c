/* test-sync-keyring.c - the sync token in a real Secret Service
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * gnome-keyring-daemon, started by this test with a fresh login keyring in
 * a home of its own, on a D-Bus session bus of its own (GTestDBus): the
 * tests that run beside this one never see it, and it never sees the
 * user's keyring. Nothing on that bus can show a prompt, so a locked
 * keyring stays locked, as when a person dismisses the prompt. The token
 * is read back with libsecret directly, by the schema's attributes, and
 * every file this run could have written is searched for it in the
 * clear. Where the build found no gnome-keyring-daemon the tests are
 * skipped, saying why; where it found one (build-aux/install-deps installs
 * it, so in CI), a daemon that does not start fails them.
 * (tests/server/test-sync-token.c covers the same calls with libsecret's
 * file backend, where no daemon is needed.)
 */

#include "config.h"

#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dlg-sync-service.h"
#include "dlg-sync-token.h"
#include "dlg-test-server.h"
#include "../sync-service-test-util.h"
#include "sync-token-test-util.h"
#include "../test-util.h"

#define PASSWORD "diligence-test-login"
#define ENDPOINT "https://127.0.0.1:9"
#define TOKEN_A "dlg1.KEYRINGTESTA.first-secret-of-this-run"
#define TOKEN_B "dlg1.KEYRINGTESTB.second-secret-of-this-run"

/* The schema as a third party reads it: its name and its attribute. */
static const SecretSchema token_schema = {
  .name = DLG_SYNC_TOKEN_SCHEMA_NAME,
  .flags = SECRET_SCHEMA_NONE,
  .attributes = {
    { "endpoint", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
};

typedef struct
{
  char     *dir;          /* everything of this run */
  char     *home;         /* the daemon's home and XDG folders */
  GTestDBus *bus;
  char     *program;      /* gnome-keyring-daemon, as the build found it */
  GPid      daemon;       /* 0 when not running */
  char     *missing;      /* why there is no Secret Service, or NULL */
  gboolean  same_process; /* a restart the process does not know of */
} Keyring;

static Keyring keyring;

static gboolean
secrets_owned (gpointer data)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GVariant) reply = NULL;
  gboolean owned = FALSE;

  if (bus == NULL)
    return FALSE;
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", "org.freedesktop.secrets"),
                                       G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &owned);
  return owned == GPOINTER_TO_INT (data);
}

/* Starts gnome-keyring-daemon with only its Secret Service, unlocking (and
 * the first time creating) the login keyring with PASSWORD, fed on its
 * standard input as a login manager does. */
static gboolean
keyring_start (GError **error)
{
  g_autofree char *data_home = g_build_filename (keyring.home, "data", NULL);
  g_autofree char *config_home = g_build_filename (keyring.home, "config", NULL);
  g_autofree char *cache_home = g_build_filename (keyring.home, "cache", NULL);
  g_autofree char *runtime = g_build_filename (keyring.home, "run", NULL);
  g_autofree char *control = g_build_filename (runtime, "keyring", NULL);
  g_auto(GStrv) env = g_get_environ ();
  const char *argv[] = { keyring.program, "--foreground", "--unlock", "--components=secrets",
                         "--control-directory", control, NULL };
  int input = -1;
  gboolean written;

  g_assert_cmpint (keyring.daemon, ==, 0);
  g_mkdir_with_parents (data_home, 0700);
  g_mkdir_with_parents (config_home, 0700);
  g_mkdir_with_parents (cache_home, 0700);
  g_mkdir_with_parents (control, 0700);

  env = g_environ_setenv (env, "HOME", keyring.home, TRUE);
  env = g_environ_setenv (env, "XDG_DATA_HOME", data_home, TRUE);
  env = g_environ_setenv (env, "XDG_CONFIG_HOME", config_home, TRUE);
  env = g_environ_setenv (env, "XDG_CACHE_HOME", cache_home, TRUE);
  env = g_environ_setenv (env, "XDG_RUNTIME_DIR", runtime, TRUE);
  /* The daemon warns about its own state now and then (gnome-keyring 42
   * registers each new item twice); our fatal warnings are not for it. */
  env = g_environ_unsetenv (env, "G_DEBUG");
  /* No prompt can be shown anywhere. */
  env = g_environ_unsetenv (env, "DISPLAY");
  env = g_environ_unsetenv (env, "WAYLAND_DISPLAY");

  if (!g_spawn_async_with_pipes (NULL, (char **) argv, env,
                                 G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
                                 NULL, NULL, &keyring.daemon, &input, NULL, NULL, error))
    return FALSE;
  written = write (input, PASSWORD, strlen (PASSWORD)) == (gssize) strlen (PASSWORD);
  close (input);
  g_assert_true (written);

  if (!wait_until (secrets_owned, GINT_TO_POINTER (TRUE)))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                   "gnome-keyring-daemon did not take org.freedesktop.secrets");
      kill (keyring.daemon, SIGKILL);
      waitpid (keyring.daemon, NULL, 0);
      g_spawn_close_pid (keyring.daemon);
      keyring.daemon = 0;
      return FALSE;
    }

  /* libsecret keeps one connection per process, with the session its
   * secrets travel in; a daemon started again knows nothing of that
   * session ("NoSession") until the process starts again. What follows a
   * new daemon here is therefore a new start of Diligence, unless the
   * test is about a restart under a running Diligence. */
  if (!keyring.same_process)
    secret_service_disconnect ();
  return TRUE;
}

static void
keyring_stop (void)
{
  int status = 0;

  if (keyring.daemon == 0)
    return;
  kill (keyring.daemon, SIGTERM);
  waitpid (keyring.daemon, &status, 0);
  g_spawn_close_pid (keyring.daemon);
  keyring.daemon = 0;
  g_assert_true (wait_until (secrets_owned, GINT_TO_POINTER (FALSE)));
}

/* Every test starts with the daemon running and its keyring unlocked;
 * returns FALSE, having skipped the test where there is no daemon, or
 * failed it where the daemon does not start. */
static gboolean
keyring_ready (void)
{
  g_autoptr(GError) error = NULL;

  if (keyring.missing != NULL)
    {
      g_test_skip (keyring.missing);
      return FALSE;
    }
  if (keyring.daemon == 0 && !keyring_start (&error))
    {
      /* Installed, but it does not work: that is a failure. */
      g_test_message ("gnome-keyring-daemon (%s) could not be started: %s", keyring.program, error->message);
      g_test_fail ();
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Reading the keyring directly                                             */
/* ------------------------------------------------------------------------ */

/* Read in the test's main context, asynchronously like the app's calls:
 * libsecret's synchronous search, in a thread of its own, leaves the
 * setup of the items it found unfinished when its loop ends (and leaks
 * it). */
typedef struct
{
  const char *endpoint;
  gboolean    done;
  guint       n_items;
  char       *secret;
  char       *label;
  GHashTable *attributes;
  GError     *error;
} Search;

static void
retrieved_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Search *s = user_data;
  g_autoptr(SecretValue) value = secret_retrievable_retrieve_secret_finish (SECRET_RETRIEVABLE (source), result,
                                                                          &s->error);

  if (value != NULL)
    s->secret = g_strdup (secret_value_get_text (value));
  s->done = TRUE;
}

static void
searched_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Search *s = user_data;
  GList *items = secret_password_search_finish (result, &s->error);

  s->n_items = g_list_length (items);
  if (items != NULL)
    {
      SecretRetrievable *item = items->data;

      s->label = secret_retrievable_get_label (item);
      s->attributes = secret_retrievable_get_attributes (item);
      secret_retrievable_retrieve_secret (item, NULL, retrieved_cb, s);
    }
  else
    s->done = TRUE;
  g_list_free_full (items, g_object_unref);
}

static gboolean
search_done (gpointer data)
{
  return ((Search *) data)->done;
}

/* Returns: (transfer full) (nullable): the one secret kept for @endpoint;
 * fails the test if there are more */
static char *
kept_for (const char *endpoint,
          char      **label)
{
  g_autoptr(GHashTable) attributes = secret_attributes_build (&token_schema, "endpoint", endpoint, NULL);
  Search s = { endpoint, FALSE, 0, NULL, NULL, NULL, NULL };

  secret_password_searchv (&token_schema, attributes, SECRET_SEARCH_ALL, NULL, searched_cb, &s);
  g_assert_true (wait_until (search_done, &s));
  g_assert_no_error (s.error);
  g_assert_cmpuint (s.n_items, <=, 1);
  if (s.n_items == 1)
    {
      g_assert_nonnull (s.secret);
      /* Stored under the schema's name, by the address alone. */
      g_assert_cmpstr (g_hash_table_lookup (s.attributes, "xdg:schema"), ==, DLG_SYNC_TOKEN_SCHEMA_NAME);
      g_assert_cmpstr (g_hash_table_lookup (s.attributes, "endpoint"), ==, endpoint);
      g_assert_cmpuint (g_hash_table_size (s.attributes), ==, 2);
    }
  if (label != NULL)
    *label = g_steal_pointer (&s.label);
  g_free (s.label);
  g_clear_pointer (&s.attributes, g_hash_table_unref);
  return s.secret;
}

/* In a thread: libsecret's synchronous calls run a main context of their
 * own there, and leave the test's (and the app's calls in it) alone. */
static gpointer
lock_thread (gpointer data)
{
  GError **error = data;
  g_autoptr(SecretService) service = secret_service_get_sync (SECRET_SERVICE_LOAD_COLLECTIONS, NULL, error);
  g_autoptr(SecretCollection) collection = NULL;
  GList *locked = NULL;

  if (service == NULL)
    return NULL;
  collection = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT,
                                                 SECRET_COLLECTION_NONE, NULL, error);
  if (collection == NULL)
    return NULL;
  secret_service_lock_sync (service, &(GList) { .data = collection }, NULL, &locked, error);
  g_assert_cmpuint (g_list_length (locked), ==, 1);
  g_list_free_full (locked, g_object_unref);
  return NULL;
}

/* Locks the default keyring, as the desktop does after a while. */
static void
lock_keyring (void)
{
  GError *error = NULL;

  g_thread_join (g_thread_new ("lock", lock_thread, &error));
  g_assert_no_error (error);
}

/* ------------------------------------------------------------------------ */
/* Nothing in the clear                                                     */
/* ------------------------------------------------------------------------ */

static void
assert_not_in_files (const char *path,
                     const char *token)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      g_autofree char *contents = NULL;
      gsize length;

      if (g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        assert_not_in_files (child, token);
      else if (g_file_test (child, G_FILE_TEST_IS_REGULAR) && g_file_get_contents (child, &contents, &length, NULL))
        {
          gsize n = strlen (token);

          for (gsize i = 0; i + n <= length; i++)
            if (memcmp (contents + i, token, n) == 0)
              g_error ("The token is written in the clear in %s", child);
        }
    }
}

/* The token in no file of this run: the store, the keyring's own file
 * (encrypted), the daemon's and this process's data folders. */
static void
assert_nowhere_in_clear (const char *token)
{
  const char *dirs[] = { keyring.dir, g_get_user_data_dir (), g_get_user_config_dir (), g_get_user_cache_dir (),
                         g_get_user_state_dir (), NULL };
  g_autofree char *login = g_build_filename (keyring.home, "data", "keyrings", "login.keyring", NULL);

  /* The keyring file exists: what is searched is where the token went. */
  g_assert_true (g_file_test (login, G_FILE_TEST_IS_REGULAR));
  for (guint i = 0; dirs[i] != NULL; i++)
    assert_not_in_files (dirs[i], token);
}

/* ------------------------------------------------------------------------ */
/* The core's calls (dlg-sync-token.c)                                      */
/* ------------------------------------------------------------------------ */

static void
test_core_calls (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *none = NULL, *a = NULL, *a_slash = NULL, *b = NULL, *label = NULL;
  g_autofree char *direct = NULL, *replaced = NULL, *gone = NULL;

  if (!keyring_ready ())
    return;

  none = token_lookup ("https://core.example.org", &error);
  g_assert_no_error (error);
  g_assert_null (none);

  token_store ("https://core.example.org/", TOKEN_A);
  token_store ("https://other.example.org", TOKEN_B);

  /* In the keyring, under the address without its slash, with a label a
   * person recognises in Passwords and Keys. */
  direct = kept_for ("https://core.example.org", &label);
  g_assert_cmpstr (direct, ==, TOKEN_A);
  g_assert_nonnull (strstr (label, "https://core.example.org"));
  a = token_lookup ("https://core.example.org", &error);
  g_assert_no_error (error);
  a_slash = token_lookup ("https://core.example.org/", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (a, ==, TOKEN_A);
  g_assert_cmpstr (a_slash, ==, TOKEN_A);
  assert_nowhere_in_clear (TOKEN_A);

  /* Changed: one item still, with the new secret. */
  token_store ("https://core.example.org", TOKEN_B);
  g_free (direct);
  direct = kept_for ("https://core.example.org", NULL);
  g_assert_cmpstr (direct, ==, TOKEN_B);
  replaced = token_lookup ("https://core.example.org", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (replaced, ==, TOKEN_B);

  /* Removed, twice; the other server's is untouched. */
  token_clear ("https://core.example.org");
  token_clear ("https://core.example.org");
  g_free (direct);
  direct = kept_for ("https://core.example.org", NULL);
  g_assert_null (direct);
  gone = token_lookup ("https://core.example.org", &error);
  g_assert_no_error (error);
  g_assert_null (gone);
  b = kept_for ("https://other.example.org", NULL);
  g_assert_cmpstr (b, ==, TOKEN_B);
  token_clear ("https://other.example.org");
  assert_nowhere_in_clear (TOKEN_B);
}

/* The daemon restarts under a running Diligence (a crash, a new login):
 * libsecret's session is unknown to the new one, and each call is made
 * again on a new connection rather than failing until Diligence restarts. */
static void
test_core_daemon_restarted (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *a = NULL, *b = NULL, *direct = NULL;

  if (!keyring_ready ())
    return;

  token_store (ENDPOINT, TOKEN_A);
  a = token_lookup (ENDPOINT, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (a, ==, TOKEN_A);

  keyring_stop ();
  keyring.same_process = TRUE;
  g_assert_true (keyring_ready ());
  keyring.same_process = FALSE;

  token_store (ENDPOINT, TOKEN_B);
  b = token_lookup (ENDPOINT, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (b, ==, TOKEN_B);
  direct = kept_for (ENDPOINT, NULL);
  g_assert_cmpstr (direct, ==, TOKEN_B);
  token_clear (ENDPOINT);
  assert_nowhere_in_clear (TOKEN_B);
}

static void
test_core_service_gone (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  TokenWait w = { NULL };

  if (!keyring_ready ())
    return;

  keyring_stop ();

  /* A clear error, in words, for each call; nothing kept anywhere. */
  dlg_sync_token_store_async (ENDPOINT, TOKEN_A, NULL, token_done_cb, &w);
  g_assert_false (dlg_sync_token_store_finish (token_wait (&w), &error));
  g_assert_nonnull (error);
  g_test_message ("store: %s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "The token could not be saved in the keyring: "));
  g_clear_error (&error);
  g_clear_object (&w.result);

  token = token_lookup (ENDPOINT, &error);
  g_assert_null (token);
  g_assert_nonnull (error);
  g_test_message ("lookup: %s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "The token could not be read from the keyring: "));
  g_clear_error (&error);

  keyring_ready ();
  assert_nowhere_in_clear (TOKEN_A);
  token = kept_for (ENDPOINT, NULL);
  g_assert_null (token);
}

/* ------------------------------------------------------------------------ */
/* The app's sync service (Preferences → Sync)                              */
/* ------------------------------------------------------------------------ */

typedef struct
{
  DlgStore       *store;
  DlgTrustStore  *trust;
  DlgSyncService *service;
} App;

static void
app_open (App *app)
{
  g_autofree char *dir = g_build_filename (keyring.dir, "app", NULL);
  g_autofree char *store_path = g_build_filename (dir, "diligence.sqlite", NULL);
  g_autofree char *trust_path = g_build_filename (dir, "trust.json", NULL);
  g_autoptr(GError) error = NULL;

  app->store = dlg_store_open (store_path, &error);
  g_assert_no_error (error);
  app->trust = dlg_trust_store_open (trust_path, &error);
  g_assert_no_error (error);
  app->service = dlg_sync_service_new (app->store, app->trust, NULL, &error);
  g_assert_no_error (error);

  /* As at start-up: the address comes from the settings, the token is
   * looked up in the keyring. */
  g_assert_true (dlg_sync_service_set_endpoint (app->service, ENDPOINT, &error));
  g_assert_no_error (error);
  g_assert_true (wait_until (sync_service_not_busy, app->service));
}

static void
app_close (App *app)
{
  dlg_sync_service_pause (app->service, 1);
  g_assert_true (wait_until (sync_service_not_busy, app->service));
  g_assert_finalize_object (g_steal_pointer (&app->service));
  g_assert_finalize_object (g_steal_pointer (&app->trust));
  g_assert_finalize_object (g_steal_pointer (&app->store));
}

/* Sets the token as Preferences does, and waits for the keyring's answer. */
static void
app_set_token (App        *app,
               const char *token)
{
  g_autoptr(GError) error = sync_service_set_token (app->service, token);

  g_assert_no_error (error);
  g_assert_true (wait_until (sync_service_not_busy, app->service));
}

static void
test_app_keyring (void)
{
  App app = { NULL };
  g_autofree char *kept = NULL;

  if (!keyring_ready ())
    return;

  app_open (&app);
  g_assert_false (dlg_sync_service_get_has_token (app.service));
  g_assert_cmpint (dlg_sync_service_get_token_storage (app.service), ==, DLG_TOKEN_STORAGE_NONE);
  g_assert_null (dlg_sync_service_get_keyring_problem (app.service));

  app_set_token (&app, "  " TOKEN_A "\n");
  g_assert_cmpint (dlg_sync_service_get_token_storage (app.service), ==, DLG_TOKEN_STORAGE_KEYRING);
  g_assert_null (dlg_sync_service_get_keyring_problem (app.service));
  g_assert_true (dlg_sync_service_get_configured (app.service));
  kept = kept_for (ENDPOINT, NULL);
  g_assert_cmpstr (kept, ==, TOKEN_A);
  app_close (&app);
  assert_nowhere_in_clear (TOKEN_A);

  /* The next start finds it there. */
  app_open (&app);
  g_assert_true (dlg_sync_service_get_has_token (app.service));
  g_assert_cmpint (dlg_sync_service_get_token_storage (app.service), ==, DLG_TOKEN_STORAGE_KEYRING);
  g_assert_true (dlg_sync_service_get_configured (app.service));

  /* Changed: replaced in the keyring, not added beside. */
  app_set_token (&app, TOKEN_B);
  g_clear_pointer (&kept, g_free);
  kept = kept_for (ENDPOINT, NULL);
  g_assert_cmpstr (kept, ==, TOKEN_B);
  g_assert_cmpint (dlg_sync_service_get_token_storage (app.service), ==, DLG_TOKEN_STORAGE_KEYRING);

  /* Removed: gone from the keyring, and after a restart. */
  app_set_token (&app, NULL);
  g_assert_false (dlg_sync_service_get_has_token (app.service));
  g_assert_cmpint (dlg_sync_service_get_token_storage (app.service), ==, DLG_TOKEN_STORAGE_NONE);
  g_clear_pointer (&kept, g_free);
  kept = kept_for (ENDPOINT, NULL);
  g_assert_null (kept);
  app_close (&app);

  app_open (&app);
  g_assert_false (dlg_sync_service_get_has_token (app.service));
  app_close (&app);
  assert_nowhere_in_clear (TOKEN_A);
  assert_nowhere_in_clear (TOKEN_B);
}

static void
test_app_locked (void)
{
  App app = { NULL };
  g_autofree char *kept = NULL;
  const char *problem;

  if (!keyring_ready ())
    return;

  /* Kept while the keyring was open. */
  app_open (&app);
  app_set_token (&app, TOKEN_A);
  g_assert_cmpint (dlg_sync_service_get_token_storage (app.service), ==, DLG_TOKEN_STORAGE_KEYRING);
  app_close (&app);

  lock_keyring ();

  /* A start with the keyring locked, its prompt dismissed: no token, and
   * nothing else asked or written. */
  app_open (&app);
  g_test_message ("start, locked: has token %d, storage %d, problem %s",
                  dlg_sync_service_get_has_token (app.service),
                  dlg_sync_service_get_token_storage (app.service),
                  dlg_sync_service_get_keyring_problem (app.service));
  g_assert_false (dlg_sync_service_get_has_token (app.service));
  g_assert_false (dlg_sync_service_get_configured (app.service));

  /* A token entered now works for this session; Preferences says why it
   * is not kept. */
  app_set_token (&app, TOKEN_B);
  problem = dlg_sync_service_get_keyring_problem (app.service);
  g_test_message ("set, locked: %s", problem);
  g_assert_true (dlg_sync_service_get_has_token (app.service));
  g_assert_true (dlg_sync_service_get_configured (app.service));
  g_assert_cmpint (dlg_sync_service_get_token_storage (app.service), ==, DLG_TOKEN_STORAGE_SESSION);
  g_assert_nonnull (problem);
  g_assert_nonnull (strstr (problem, "locked"));
  g_assert_nonnull (strstr (problem, "only until Diligence quits"));
  app_close (&app);
  assert_nowhere_in_clear (TOKEN_B);

  /* Unlocked again (the daemon restarted with the password): the token of
   * before, not the one entered while it was locked. */
  keyring_stop ();
  keyring_ready ();
  kept = kept_for (ENDPOINT, NULL);
  g_assert_cmpstr (kept, ==, TOKEN_A);

  app_open (&app);
  app_set_token (&app, NULL);
  app_close (&app);
}

static void
test_app_service_gone (void)
{
  App app = { NULL };
  g_autofree char *kept = NULL;
  const char *problem;

  if (!keyring_ready ())
    return;

  app_open (&app);
  app_set_token (&app, TOKEN_A);
  g_assert_cmpint (dlg_sync_service_get_token_storage (app.service), ==, DLG_TOKEN_STORAGE_KEYRING);

  /* The keyring goes away while Diligence runs: a new token is used for
   * this session, said so, and never written down. */
  keyring_stop ();
  app_set_token (&app, TOKEN_B);
  problem = dlg_sync_service_get_keyring_problem (app.service);
  g_test_message ("set, no service: %s", problem);
  g_assert_true (dlg_sync_service_get_configured (app.service));
  g_assert_cmpint (dlg_sync_service_get_token_storage (app.service), ==, DLG_TOKEN_STORAGE_SESSION);
  g_assert_nonnull (problem);
  g_assert_nonnull (strstr (problem, "No keyring could be reached"));
  g_assert_nonnull (strstr (problem, "never written to disk"));
  app_close (&app);
  assert_nowhere_in_clear (TOKEN_B);

  /* A start without it: no token, and why. */
  app_open (&app);
  problem = dlg_sync_service_get_keyring_problem (app.service);
  g_test_message ("start, no service: %s", problem);
  g_assert_false (dlg_sync_service_get_has_token (app.service));
  g_assert_nonnull (problem);
  g_assert_nonnull (strstr (problem, "No keyring could be reached"));
  app_close (&app);

  /* Back: the token kept before, untouched. */
  keyring_ready ();
  kept = kept_for (ENDPOINT, NULL);
  g_assert_cmpstr (kept, ==, TOKEN_A);
  app_open (&app);
  g_assert_true (dlg_sync_service_get_has_token (app.service));
  g_assert_cmpint (dlg_sync_service_get_token_storage (app.service), ==, DLG_TOKEN_STORAGE_KEYRING);
  app_set_token (&app, NULL);
  app_close (&app);
  assert_nowhere_in_clear (TOKEN_A);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);

  keyring.dir = g_dir_make_tmp ("dlg-sync-keyring-XXXXXX", NULL);
  g_assert_nonnull (keyring.dir);
  keyring.home = g_build_filename (keyring.dir, "home", NULL);
  g_setenv ("SECRET_BACKEND", "service", TRUE);
  /* The other tests keep libsecret away from any Secret Service
   * (tests/meson.build); this one wants the real name, on its own bus. */
  g_unsetenv ("SECRET_SERVICE_BUS_NAME");

  keyring.program = g_strdup (g_getenv ("DLG_TEST_KEYRING_DAEMON"));
  if (keyring.program == NULL)
    keyring.missing = g_strdup ("gnome-keyring-daemon was not installed when the build was set up "
                                "(build-aux/install-deps installs it)");
  else
    {
      /* A bus of our own, before anything connects to one. */
      keyring.bus = g_test_dbus_new (G_TEST_DBUS_NONE);
      g_test_dbus_up (keyring.bus);
    }

  g_test_add_func ("/sync-keyring/core/calls", test_core_calls);
  g_test_add_func ("/sync-keyring/core/service-gone", test_core_service_gone);
  g_test_add_func ("/sync-keyring/core/daemon-restarted", test_core_daemon_restarted);
  g_test_add_func ("/sync-keyring/app/keyring", test_app_keyring);
  g_test_add_func ("/sync-keyring/app/locked", test_app_locked);
  g_test_add_func ("/sync-keyring/app/service-gone", test_app_service_gone);
  status = g_test_run ();

  keyring_stop ();
  secret_service_disconnect ();
  /* Not g_test_dbus_down(), nor the last unref that would call it: they
   * wait for the bus connection to be finalised, and libsecret 0.20 keeps
   * its own references to it for the life of the process. The bus stops;
   * the object stays referenced from here until the process ends. */
  if (keyring.bus != NULL)
    g_test_dbus_stop (keyring.bus);
  dlg_test_remove_tree (keyring.dir);
  g_free (keyring.dir);
  g_free (keyring.home);
  g_free (keyring.missing);
  g_free (keyring.program);
  return status;
}
