/* dlg-application.c - the application: app-wide actions, the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dlg-application"

#include "config.h"

#include <glib/gi18n.h>

#include "dlg-application.h"
#include "dlg-preferences-window.h"
#include "dlg-sync-preferences-page.h"
#include "dlg-window.h"

#define HELP_URI "help:" APP_ID
#define WEBSITE "https://github.com/diligence/diligence"

struct _DlgApplication
{
  AdwApplication  parent_instance;

  /* Owned references */
  GPtrArray      *questionnaires;
  DlgStore       *store;
  GError         *store_error;
  char           *data_dir;
  GSettings      *settings;
  DlgKeyring     *keyring;
  DlgTrustStore  *trust;
  DlgInbox       *inbox;
  DlgSyncService *sync;
  gboolean        sync_held;
};

G_DEFINE_FINAL_TYPE (DlgApplication, dlg_application, ADW_TYPE_APPLICATION)

DlgApplication *
dlg_application_new (void)
{
  return dlg_application_new_for_data_dir (NULL);
}

/**
 * dlg_application_new_for_data_dir:
 * @data_dir: (nullable): the folder of the store, the keys and the known
 *   organisations, or %NULL for `$XDG_DATA_HOME/io.github.diligence.Diligence`
 *
 * Two organisations on one computer (a supplier and its buyer trying the
 * exchange of reports) each keep their data in a folder of their own.
 */
DlgApplication *
dlg_application_new_for_data_dir (const char *data_dir)
{
  DlgApplication *self = g_object_new (DLG_TYPE_APPLICATION,
                                       "application-id", APP_ID,
                                       "flags", G_APPLICATION_HANDLES_OPEN,
                                       "resource-base-path", RESOURCE_BASE,
                                       NULL);

  self->data_dir = data_dir ? g_strdup (data_dir) : g_build_filename (g_get_user_data_dir (), APP_ID, NULL);
  return self;
}

/**
 * dlg_application_get_questionnaires:
 *
 * Returns: (transfer none) (element-type DlgQuestionnaire): the built-in
 *   questionnaires
 */
GPtrArray *
dlg_application_get_questionnaires (DlgApplication *self)
{
  g_return_val_if_fail (DLG_IS_APPLICATION (self), NULL);

  if (self->questionnaires == NULL)
    {
      g_autoptr(GError) error = NULL;

      self->questionnaires = dlg_builtin_load_questionnaires (&error);
      if (self->questionnaires == NULL)
        {
          /* A broken built-in is our bug; the app still starts. */
          g_critical ("Could not load the built-in questionnaires: %s", error->message);
          self->questionnaires = g_ptr_array_new_with_free_func (g_object_unref);
        }
    }

  return self->questionnaires;
}

/**
 * dlg_application_get_store:
 *
 * Returns: (transfer none) (nullable): the local store, or %NULL if it could
 *   not be opened (see dlg_application_get_store_error())
 */
DlgStore *
dlg_application_get_store (DlgApplication *self)
{
  g_return_val_if_fail (DLG_IS_APPLICATION (self), NULL);
  return self->store;
}

const GError *
dlg_application_get_store_error (DlgApplication *self)
{
  g_return_val_if_fail (DLG_IS_APPLICATION (self), NULL);
  return self->store_error;
}

/**
 * dlg_application_start_afresh:
 * @out_path: (out) (optional): where the damaged database was moved
 *
 * When the store could not be opened because it is damaged, moves it aside
 * (dlg_store_set_aside(): nothing is deleted) and opens a new, empty one in
 * its place.
 *
 * Returns: %TRUE if the application now has a store
 */
static void open_sync_service (DlgApplication *self);
static void window_added_cb   (DlgApplication *self);
static void window_removed_cb (DlgApplication *self);

gboolean
dlg_application_start_afresh (DlgApplication  *self,
                              char           **out_path,
                              GError         **error)
{
  g_autofree char *path = NULL;
  g_autoptr(DlgStore) store = NULL;

  g_return_val_if_fail (DLG_IS_APPLICATION (self), FALSE);
  g_return_val_if_fail (self->store == NULL, FALSE);

  path = g_build_filename (self->data_dir, "diligence.sqlite", NULL);
  if (!dlg_store_set_aside (path, out_path, error))
    return FALSE;
  if (!(store = dlg_store_open (path, error)))
    return FALSE;

  self->store = g_steal_pointer (&store);
  g_clear_error (&self->store_error);
  /* Everything that starts with a store at startup starts now. */
  open_sync_service (self);
  return TRUE;
}

/**
 * dlg_application_get_last_backup:
 *
 * Returns: (transfer full) (nullable): the newest last good copy of the
 *   store, or %NULL if there is none
 */
DlgStoreBackup *
dlg_application_get_last_backup (DlgApplication *self)
{
  g_autofree char *path = NULL;
  g_autoptr(GPtrArray) backups = NULL;

  g_return_val_if_fail (DLG_IS_APPLICATION (self), NULL);

  path = g_build_filename (self->data_dir, "diligence.sqlite", NULL);
  backups = dlg_store_list_backups (path, NULL);
  if (backups == NULL || backups->len == 0)
    return NULL;
  return dlg_store_backup_copy (g_ptr_array_index (backups, 0));
}

/**
 * dlg_application_restore_backup:
 * @out_backup: (out) (optional): the copy that was restored
 * @out_damaged_path: (out) (optional) (nullable): where the damaged
 *   database was moved, %NULL if there was none
 *
 * When the store could not be opened because it is damaged, puts its last
 * good copy in its place (dlg_store_restore_backup(): the damaged file is
 * set aside, not deleted) and opens it. A copy found damaged too is
 * skipped for the one before it.
 *
 * Returns: %TRUE if the application now has a store
 */
gboolean
dlg_application_restore_backup (DlgApplication  *self,
                                DlgStoreBackup **out_backup,
                                char           **out_damaged_path,
                                GError         **error)
{
  g_autofree char *path = NULL;
  g_autoptr(GPtrArray) backups = NULL;
  g_autoptr(GError) last_error = NULL;

  g_return_val_if_fail (DLG_IS_APPLICATION (self), FALSE);
  g_return_val_if_fail (self->store == NULL, FALSE);

  path = g_build_filename (self->data_dir, "diligence.sqlite", NULL);
  if (!(backups = dlg_store_list_backups (path, error)))
    return FALSE;

  for (guint i = 0; i < backups->len; i++)
    {
      DlgStoreBackup *backup = g_ptr_array_index (backups, i);

      g_clear_error (&last_error);
      self->store = dlg_store_restore_backup (path, backup, out_damaged_path, &last_error);
      if (self->store != NULL)
        {
          if (out_backup != NULL)
            *out_backup = dlg_store_backup_copy (backup);
          g_clear_error (&self->store_error);
          open_sync_service (self);
          return TRUE;
        }
      /* Only a copy that cannot be used leaves everything as it was; any
       * other failure is reported at once. */
      if (!g_error_matches (last_error, DLG_STORE_ERROR, DLG_STORE_ERROR_CORRUPT))
        break;
    }

  if (last_error == NULL)
    g_set_error_literal (&last_error, DLG_STORE_ERROR, DLG_STORE_ERROR_NOT_FOUND,
                         _("There is no copy of your data to restore."));
  g_propagate_error (error, g_steal_pointer (&last_error));
  return FALSE;
}

/**
 * dlg_application_close_damaged_store:
 *
 * Lets go of a store found damaged while in use (#DlgStore:damaged), and
 * of the outbox and inbox that use it, so that it can be restored from a
 * copy or set aside: dlg_application_get_store() is then %NULL and
 * dlg_application_get_store_error() the damage. The damaged store writes
 * nothing more, also when it is closed. Not to be called from a handler of
 * the store's own notification, which runs inside the store's call.
 */
void
dlg_application_close_damaged_store (DlgApplication *self)
{
  g_return_if_fail (DLG_IS_APPLICATION (self));

  if (self->store == NULL || !dlg_store_is_damaged (self->store))
    return;

  if (self->sync != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->sync, self);
      /* open_sync_service() connects them again with the next store. */
      g_signal_handlers_disconnect_by_func (self, window_added_cb, NULL);
      g_signal_handlers_disconnect_by_func (self, window_removed_cb, NULL);
      if (self->sync_held)
        g_application_release (G_APPLICATION (self));
      self->sync_held = FALSE;
      /* Whatever still refers to it is told it is gone. */
      g_object_run_dispose (G_OBJECT (self->sync));
      g_clear_object (&self->sync);
    }
  g_clear_object (&self->inbox);
  g_clear_error (&self->store_error);
  self->store_error = g_error_copy (dlg_store_get_damage (self->store));
  g_clear_object (&self->store);
}

const char *
dlg_application_get_data_dir (DlgApplication *self)
{
  g_return_val_if_fail (DLG_IS_APPLICATION (self), NULL);
  return self->data_dir;
}

/**
 * dlg_application_get_settings:
 *
 * Returns: (transfer none) (nullable): the settings, %NULL when running
 *   without the installed schema
 */
GSettings *
dlg_application_get_settings (DlgApplication *self)
{
  g_return_val_if_fail (DLG_IS_APPLICATION (self), NULL);
  return self->settings;
}

/**
 * dlg_application_get_keyring:
 *
 * Our organisation's signing keys, kept in the data folder's `keys`
 * (and the desktop keyring). Nothing is read until someone loads it.
 *
 * Returns: (transfer none): the keyring
 */
DlgKeyring *
dlg_application_get_keyring (DlgApplication *self)
{
  g_return_val_if_fail (DLG_IS_APPLICATION (self), NULL);

  if (self->keyring == NULL)
    {
      g_autofree char *dir = g_build_filename (self->data_dir, "keys", NULL);

      self->keyring = dlg_keyring_new (dir, DLG_KEYRING_FLAGS_NONE);
    }
  return self->keyring;
}

/**
 * dlg_application_set_keyring:
 *
 * Uses @keyring for our keys instead of the default one, e.g. one that
 * keeps private keys in files only (%DLG_KEYRING_FLAGS_FILE_ONLY).
 */
void
dlg_application_set_keyring (DlgApplication *self,
                             DlgKeyring     *keyring)
{
  g_return_if_fail (DLG_IS_APPLICATION (self));
  g_return_if_fail (DLG_IS_KEYRING (keyring));

  g_set_object (&self->keyring, keyring);
}

/**
 * dlg_application_get_trust_store:
 *
 * The known organisations' keys, read from `trust.json` the first time.
 * A file that cannot be read is reported each time it is asked for, and
 * never overwritten.
 *
 * Returns: (transfer none) (nullable): the trust store, or %NULL with
 *   @error set
 */
DlgTrustStore *
dlg_application_get_trust_store (DlgApplication  *self,
                                 GError         **error)
{
  g_return_val_if_fail (DLG_IS_APPLICATION (self), NULL);

  if (self->trust == NULL)
    {
      g_autofree char *path = g_build_filename (self->data_dir, "trust.json", NULL);

      self->trust = dlg_trust_store_open (path, error);
    }
  return self->trust;
}

/**
 * dlg_application_get_inbox:
 *
 * Reports and reviews received, by file or by sync.
 *
 * Returns: (transfer none) (nullable): the inbox, or %NULL with @error set
 */
DlgInbox *
dlg_application_get_inbox (DlgApplication  *self,
                           GError         **error)
{
  DlgTrustStore *trust;

  g_return_val_if_fail (DLG_IS_APPLICATION (self), NULL);

  /* One inbox: what arrives by file shows on the Inbox page at once, and
   * read marks agree. */
  if (self->sync != NULL && dlg_sync_service_get_inbox (self->sync) != NULL)
    return dlg_sync_service_get_inbox (self->sync);

  if (self->inbox != NULL)
    return self->inbox;

  if (self->store == NULL)
    {
      g_set_error_literal (error, DLG_STORE_ERROR, DLG_STORE_ERROR_OPEN, _("Your data could not be opened."));
      return NULL;
    }
  if (!(trust = dlg_application_get_trust_store (self, error)))
    return NULL;

  self->inbox = dlg_inbox_new (self->store, trust, error);
  return self->inbox;
}

/**
 * dlg_application_get_sync_service:
 *
 * Returns: (transfer none) (nullable): the outbox, the inbox and the
 *   server settings; %NULL when the store could not be opened
 */
DlgSyncService *
dlg_application_get_sync_service (DlgApplication *self)
{
  g_return_val_if_fail (DLG_IS_APPLICATION (self), NULL);
  return self->sync;
}

/* Quitting never cuts an upload off: the application stays while one is
 * under way (for at most DLG_SYNC_QUIT_GRACE seconds once the last window
 * is closed), so that its receipt is written down. Nothing would be lost
 * otherwise, as the outbox keeps it queued, but it would be sent twice. */
static void
sync_busy_cb (DlgApplication *self)
{
  gboolean busy = dlg_sync_service_get_busy (self->sync);

  if (busy && !self->sync_held)
    g_application_hold (G_APPLICATION (self));
  else if (!busy && self->sync_held)
    g_application_release (G_APPLICATION (self));
  self->sync_held = busy;
}

static void
window_added_cb (DlgApplication *self)
{
  if (self->sync != NULL)
    dlg_sync_service_resume (self->sync);
}

static void
window_removed_cb (DlgApplication *self)
{
  if (self->sync != NULL && gtk_application_get_windows (GTK_APPLICATION (self)) == NULL)
    dlg_sync_service_pause (self->sync, DLG_SYNC_QUIT_GRACE);
}

static void
open_sync_service (DlgApplication *self)
{
  g_autoptr(GError) error = NULL;

  /* One trust store for the whole application: two copies of trust.json
   * in memory would overwrite each other's changes. */
  self->sync = dlg_sync_service_new (self->store, dlg_application_get_trust_store (self, NULL),
                                     self->settings, &error);
  if (self->sync == NULL)
    {
      /* The assessments still open; only sending waits for a repair. */
      g_warning ("The outbox could not be read: %s", error->message);
      return;
    }

  g_signal_connect_swapped (self->sync, "notify::busy", G_CALLBACK (sync_busy_cb), self);
  g_signal_connect (self, "window-added", G_CALLBACK (window_added_cb), NULL);
  g_signal_connect (self, "window-removed", G_CALLBACK (window_removed_cb), NULL);
  sync_busy_cb (self);
}

/* A last good copy of the store (dlg-store-backup.c), made in a thread.
 * The application is held meanwhile, so that quitting waits for the copy
 * rather than leaving a temporary file; a copy that fails is only logged:
 * the store is as it was, and the copies made before are kept. */
static void
backup_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(DlgApplication) self = user_data;
  g_autoptr(DlgStoreBackup) backup = NULL;
  g_autoptr(GError) error = NULL;

  backup = dlg_store_backup_finish (DLG_STORE (source), result, &error);
  if (backup == NULL)
    g_message ("No copy of the data was made: %s", error->message);
  g_application_release (G_APPLICATION (self));
}

static void
start_backup (DlgApplication *self)
{
  g_application_hold (G_APPLICATION (self));
  dlg_store_backup_async (self->store, NULL, backup_done_cb, g_object_ref (self));
}

/* The other moment for a copy: when the last window closes, if anything
 * was saved since the last one. */
static void
last_window_backup_cb (DlgApplication *self)
{
  if (self->store != NULL &&
      gtk_application_get_windows (GTK_APPLICATION (self)) == NULL &&
      dlg_store_changed_since_backup (self->store))
    start_backup (self);
}

static void
color_scheme_changed_cb (DlgApplication *self)
{
  static const AdwColorScheme schemes[] = {
    ADW_COLOR_SCHEME_DEFAULT, ADW_COLOR_SCHEME_FORCE_LIGHT, ADW_COLOR_SCHEME_FORCE_DARK
  };
  guint value = g_settings_get_enum (self->settings, "color-scheme");

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      schemes[MIN (value, G_N_ELEMENTS (schemes) - 1)]);
}

static void
dlg_application_startup (GApplication *app)
{
  DlgApplication *self = DLG_APPLICATION (app);
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autofree char *path = NULL;

  G_APPLICATION_CLASS (dlg_application_parent_class)->startup (app);

  schema = g_settings_schema_source_lookup (g_settings_schema_source_get_default (), APP_ID, TRUE);
  if (schema != NULL)
    {
      self->settings = g_settings_new_full (schema, NULL, NULL);
      g_signal_connect_swapped (self->settings, "changed::color-scheme",
                                G_CALLBACK (color_scheme_changed_cb), self);
      color_scheme_changed_cb (self);
    }

  path = g_build_filename (self->data_dir, "diligence.sqlite", NULL);
  /* A missing or empty file would open as a new, empty store; when a last
   * good copy holds data, the window asks first (as for a damaged one). */
  if (dlg_store_check_not_lost (path, &self->store_error))
    self->store = dlg_store_open (path, &self->store_error);
  if (self->store != NULL)
    {
      g_autoptr(GError) error = NULL;

      /* Deletions are undoable until the next start. */
      if (!dlg_store_purge_trash (self->store, &error))
        g_warning ("Could not empty the trash: %s", error->message);

      /* The store passed its quick check in dlg_store_open(); a copy a day
       * keeps a recent good state at hand should it be damaged later. */
      if (dlg_store_backup_is_due (self->store, DLG_STORE_BACKUP_INTERVAL))
        start_backup (self);

      open_sync_service (self);
    }
  else
    /* Not a warning: the window shows it, and offers a way out. */
    g_message ("Could not open %s: %s", path, self->store_error->message);
}

static void
dlg_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (dlg_window_new (DLG_APPLICATION (app)));

  gtk_window_present (window);
}

static void
dlg_application_open (GApplication  *app,
                      GFile        **files,
                      int            n_files,
                      const char    *hint)
{
  DlgWindow *window;

  g_application_activate (app);
  window = DLG_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));

  /* The window decides by type: questionnaires are imported, reports and
   * reviews opened and checked. */
  for (int i = 0; i < n_files; i++)
    dlg_window_open_file (window, files[i]);
}

static void
dlg_application_dispose (GObject *object)
{
  DlgApplication *self = (DlgApplication *)object;

  g_clear_pointer (&self->questionnaires, g_ptr_array_unref);
  if (self->sync != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->sync, self);
      /* Whatever still refers to it is told it is gone. */
      g_object_run_dispose (G_OBJECT (self->sync));
      g_clear_object (&self->sync);
    }
  g_clear_object (&self->store);
  g_clear_error (&self->store_error);
  g_clear_pointer (&self->data_dir, g_free);
  g_clear_object (&self->settings);
  g_clear_object (&self->inbox);
  g_clear_object (&self->trust);
  g_clear_object (&self->keyring);

  G_OBJECT_CLASS (dlg_application_parent_class)->dispose (object);
}

static void
dlg_application_class_init (DlgApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = dlg_application_dispose;
  app_class->startup = dlg_application_startup;
  app_class->activate = dlg_application_activate;
  app_class->open = dlg_application_open;
}

/* The notes of this version, from the metainfo that software centres show,
 * in the reader's language where it is translated. */
static char *
get_release_notes (void)
{
  g_autoptr(GBytes) metainfo = NULL;
  g_autoptr(GError) error = NULL;
  char *notes;

  metainfo = g_resources_lookup_data (RESOURCE_BASE "/metainfo.xml", G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  if (metainfo == NULL ||
      !(notes = dlg_metainfo_get_release_notes (metainfo, PACKAGE_VERSION, g_get_language_names (), &error)))
    {
      /* A release without notes is a packaging mistake, not the user's. */
      g_warning ("No release notes for %s: %s", PACKAGE_VERSION, error->message);
      return NULL;
    }

  return notes;
}

static gboolean
running_in_flatpak (void)
{
  return g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS);
}

static char *
get_debug_info (void)
{
  return g_strdup_printf ("Diligence %s\n"
                          "GLib %u.%u.%u\n"
                          "GTK %u.%u.%u\n"
                          "libadwaita %u.%u.%u\n"
                          "Flatpak: %s\n",
                          PACKAGE_VERSION,
                          glib_major_version, glib_minor_version, glib_micro_version,
                          gtk_get_major_version (), gtk_get_minor_version (), gtk_get_micro_version (),
                          adw_get_major_version (), adw_get_minor_version (), adw_get_micro_version (),
                          running_in_flatpak () ? "yes" : "no");
}

static void
dlg_application_about_action (GSimpleAction *action,
                              GVariant      *parameter,
                              gpointer       user_data)
{
  static const char *developers[] = { "The Diligence developers " WEBSITE, NULL };
  DlgApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  g_autofree char *release_notes = get_release_notes ();
  g_autofree char *debug_info = get_debug_info ();
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", window,
                        "application-name", _("Diligence"),
                        "application-icon", APP_ID,
                        "developer-name", _("The Diligence developers"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Supply-chain due diligence, corrective action plans and charter commitments for responsible ICT procurement"),
                        "website", WEBSITE,
                        "issue-url", WEBSITE "/issues",
                        "developers", developers,
                        "copyright", "© 2026 The Diligence developers",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        /* TRANSLATORS: your name and e-mail, one per line */
                        "translator-credits", _("translator-credits"),
                        "release-notes-version", PACKAGE_VERSION,
                        "release-notes", release_notes ? release_notes : "",
                        "debug-info", debug_info,
                        "debug-info-filename", "diligence-debug-info.txt",
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
show_help_error (GtkWindow  *parent,
                 const char *body)
{
  GtkWidget *dialog = adw_message_dialog_new (parent, _("The Guide Cannot Be Shown"), body);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
help_shown_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GtkWindow) parent = user_data;
  g_autoptr(GError) error = NULL;

  if (!gtk_show_uri_full_finish (parent, result, &error))
    {
      g_autofree char *body = g_strdup_printf (_("The help viewer could not be started: %s"), error->message);
      show_help_error (parent, body);
    }
}

static void
dlg_application_help_action (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  DlgApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  g_autoptr(GAppInfo) viewer = g_app_info_get_default_for_uri_scheme ("help");

  /* In a Flatpak sandbox the host's viewer is reached through the portal,
   * and the sandbox itself knows no handler. */
  if (viewer == NULL && !running_in_flatpak ())
    {
      show_help_error (window,
                       _("Diligence's guide is read with the GNOME help viewer, Yelp, which is not installed. "
                         "Install it from your software centre (on Debian: sudo apt install yelp), then press F1 again."));
      return;
    }

  gtk_show_uri_full (window, HELP_URI, GDK_CURRENT_TIME, NULL, help_shown_cb,
                     window ? g_object_ref (window) : NULL);
}

static void
present_preferences (DlgApplication *self,
                     gboolean        show_sync)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWidget *preferences = dlg_preferences_window_new (window, self->store, self->settings);
  g_autoptr(GError) error = NULL;
  DlgTrustStore *trust = dlg_application_get_trust_store (self, &error);

  dlg_preferences_window_set_keys (DLG_PREFERENCES_WINDOW (preferences), dlg_application_get_keyring (self),
                                   trust, error);
  if (self->sync != NULL)
    {
      GtkWidget *page = dlg_sync_preferences_page_new (self->sync);

      adw_preferences_window_add (ADW_PREFERENCES_WINDOW (preferences), ADW_PREFERENCES_PAGE (page));
      if (show_sync)
        adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (preferences), ADW_PREFERENCES_PAGE (page));
    }
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
dlg_application_preferences_action (GSimpleAction *action,
                                    GVariant      *parameter,
                                    gpointer       user_data)
{
  present_preferences (user_data, FALSE);
}

/* Where the outbox and the inbox send people to fix the server settings. */
static void
dlg_application_sync_preferences_action (GSimpleAction *action,
                                         GVariant      *parameter,
                                         gpointer       user_data)
{
  present_preferences (user_data, TRUE);
}

static void
dlg_application_quit_action (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  DlgApplication *self = user_data;

  /* Closing each window lets it save what it holds. */
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; )
    {
      GtkWindow *window = l->data;

      l = l->next;
      gtk_window_close (window);
    }
}

static const GActionEntry app_actions[] = {
  { "quit", dlg_application_quit_action },
  { "about", dlg_application_about_action },
  { "help", dlg_application_help_action },
  { "preferences", dlg_application_preferences_action },
  { "sync-preferences", dlg_application_sync_preferences_action },
};

static void
dlg_application_init (DlgApplication *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions), self);
  g_signal_connect (self, "window-removed", G_CALLBACK (last_window_backup_cb), NULL);

  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit",
                                         (const char *[]) { "<primary>q", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         (const char *[]) { "<primary>comma", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close",
                                         (const char *[]) { "<primary>w", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.help",
                                         (const char *[]) { "F1", NULL });
  /* GTK's own accelerator for the shortcuts window, which it would set
   * itself had the window come from gtk/help-overlay.ui (see
   * show_help_overlay_action() in dlg-window.c). */
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-help-overlay",
                                         (const char *[]) { "<Control>question", NULL });
}
