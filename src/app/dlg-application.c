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

#define QUESTIONNAIRE_TYPE "application/vnd.diligence.questionnaire+json"
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
  DlgSyncService *sync;
  gboolean        sync_held;
};

G_DEFINE_FINAL_TYPE (DlgApplication, dlg_application, ADW_TYPE_APPLICATION)

DlgApplication *
dlg_application_new (void)
{
  return g_object_new (DLG_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", RESOURCE_BASE,
                       NULL);
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

  self->sync = dlg_sync_service_new (self->store, NULL, self->settings, &error);
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

  self->data_dir = g_build_filename (g_get_user_data_dir (), APP_ID, NULL);
  path = g_build_filename (self->data_dir, "diligence.sqlite", NULL);
  self->store = dlg_store_open (path, &self->store_error);
  if (self->store != NULL)
    {
      g_autoptr(GError) error = NULL;

      /* Deletions are undoable until the next start. */
      if (!dlg_store_purge_trash (self->store, &error))
        g_warning ("Could not empty the trash: %s", error->message);

      open_sync_service (self);
    }
  else
    g_warning ("Could not open %s: %s", path, self->store_error->message);
}

static void
dlg_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (dlg_window_new (DLG_APPLICATION (app)));

  gtk_window_present (window);
}

/* A questionnaire may be named *.dlgq.json or only *.json: every JSON file
 * goes to the importer, whose validator explains what is wrong with one
 * that is not a questionnaire. */
static gboolean
is_questionnaire_type (const char *content_type)
{
  return g_content_type_is_a (content_type, QUESTIONNAIRE_TYPE) ||
         g_content_type_is_a (content_type, "application/json");
}

static void
show_unsupported_file (GtkWindow  *parent,
                       GFile      *file,
                       const char *content_type)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *type = g_content_type_get_description (content_type);
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  /* TRANSLATORS: the heading of a dialog; %s is a file name */
  heading = g_strdup_printf (_("Diligence Cannot Open “%s”"), name);
  /* TRANSLATORS: %s is a kind of file, such as “plain text document” */
  body = g_strdup_printf (_("Its type, “%s”, is not one that Diligence opens. "
                            "Diligence opens questionnaires: files ending in .dlgq.json or .json."),
                          type);

  dialog = adw_message_dialog_new (parent, heading, body);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
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

  for (int i = 0; i < n_files; i++)
    {
      g_autoptr(GFileInfo) info = NULL;
      const char *content_type;

      /* A file that cannot even be looked at (gone, unreadable) goes to the
       * importer too, which says why it cannot be read. */
      info = g_file_query_info (files[i], G_FILE_ATTRIBUTE_STANDARD_CONTENT_TYPE,
                                G_FILE_QUERY_INFO_NONE, NULL, NULL);
      content_type = info ? g_file_info_get_content_type (info) : NULL;

      if (content_type == NULL || is_questionnaire_type (content_type))
        dlg_window_import_file (window, files[i]);
      else
        show_unsupported_file (GTK_WINDOW (window), files[i], content_type);
    }
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
                          g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS) ? "yes" : "no");
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
  if (viewer == NULL && !g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS))
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

  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit",
                                         (const char *[]) { "<primary>q", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         (const char *[]) { "<primary>comma", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close",
                                         (const char *[]) { "<primary>w", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.help",
                                         (const char *[]) { "F1", NULL });
}
