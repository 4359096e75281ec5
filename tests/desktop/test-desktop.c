/* test-desktop.c - Diligence as the desktop sees it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The real application on a real display, with the MIME database the build
 * makes from our shared-mime-info file in front of the system's: files are
 * recognised by type, opening them routes each to the right place, the
 * About window and the app icon come from the resources, the shortcuts
 * window lists exactly the shortcuts the app has, and Help either starts
 * the help viewer or says how to get one.
 *
 * With --with-help-viewer, the test installs its own handler for help:
 * URIs before GIO looks for one, and checks that F1 starts it; GIO reads
 * its handlers once, so that case needs a process of its own.
 */

#include "config.h"

#include <glib/gstdio.h>

#include "dlg-application.h"
#include "dlg-core.h"
#include "dlg-new-assessment-window.h"
#include "dlg-window.h"
#include "../test-util.h"

#define QUESTIONNAIRE_TYPE "application/vnd.diligence.questionnaire+json"
#define REPORT_TYPE "application/vnd.diligence.report+jws"
#define REVIEW_TYPE "application/vnd.diligence.review+jws"

typedef void (*Step) (DlgApplication *app,
                      DlgWindow      *window);

static char *tmp_dir;
static char *viewer_log;

/* ------------------------------------------------------------------------ */
/* Running the app                                                          */
/* ------------------------------------------------------------------------ */

static gboolean
window_mapped (gpointer data)
{
  GtkWindow *window = gtk_application_get_active_window (data);

  return window != NULL && gtk_widget_get_mapped (GTK_WIDGET (window));
}

typedef struct
{
  DlgApplication *app;
  Step            step;
  gboolean        started;
  gboolean        done;
} Run;

static gboolean
run_step_cb (gpointer user_data)
{
  Run *run = user_data;
  GListModel *toplevels = gtk_window_get_toplevels ();
  GtkWindow *window;

  g_assert_true (wait_until (window_mapped, run->app));
  window = gtk_application_get_active_window (GTK_APPLICATION (run->app));

  run->step (run->app, DLG_WINDOW (window));
  run->done = TRUE;

  /* Dialogs the step left open go first, so that nothing holds the window. */
  for (guint i = g_list_model_get_n_items (toplevels); i > 0; i--)
    {
      g_autoptr(GtkWindow) other = g_list_model_get_item (toplevels, i - 1);

      if (other != window && gtk_window_get_application (other) == NULL)
        gtk_window_destroy (other);
    }

  g_action_group_activate_action (G_ACTION_GROUP (run->app), "quit", NULL);
  return G_SOURCE_REMOVE;
}

/* Opening files activates the app again; the step runs once. */
static void
activate_cb (GApplication *app,
             Run          *run)
{
  if (!run->started)
    g_idle_add (run_step_cb, run);
  run->started = TRUE;
}

static void
run_app (Step step)
{
  Run run = { 0 };
  int status;

  run.app = dlg_application_new ();
  run.step = step;
  g_assert_true (g_application_get_flags (G_APPLICATION (run.app)) & G_APPLICATION_HANDLES_OPEN);
  g_application_set_flags (G_APPLICATION (run.app),
                           g_application_get_flags (G_APPLICATION (run.app)) | G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (run.app, "activate", G_CALLBACK (activate_cb), &run);

  status = g_application_run (G_APPLICATION (run.app), 0, NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (run.done);

  g_assert_finalize_object (run.app);
}

static GPtrArray *
find_toplevels (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  GPtrArray *found = g_ptr_array_new ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        g_ptr_array_add (found, window);
    }

  return found;
}

static gboolean
has_toplevel (gpointer data)
{
  g_autoptr(GPtrArray) found = find_toplevels (GPOINTER_TO_SIZE (data));

  return found->len > 0;
}

typedef struct
{
  guint n_dialogs;
} DialogCount;

static gboolean
message_dialogs_shown (gpointer data)
{
  DialogCount *count = data;
  g_autoptr(GPtrArray) found = find_toplevels (ADW_TYPE_MESSAGE_DIALOG);

  return found->len >= count->n_dialogs;
}

static char *
write_file (const char *name,
            const char *contents,
            gssize      length)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (tmp_dir, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, length, &error));
  g_assert_no_error (error);
  return path;
}

/* ------------------------------------------------------------------------ */
/* File types                                                               */
/* ------------------------------------------------------------------------ */

static void
test_mime_types (void)
{
  static const char questionnaire_start[] = "{\n  \"format\": \"diligence-questionnaire/1\",\n  \"id\": \"x\"";
  static const char other_json[] = "{\n  \"format\": \"something-else/1\"\n}\n";
  g_autofree char *q_type = NULL;
  g_autofree char *sniffed = NULL;
  g_autofree char *plain = NULL;
  g_autofree char *report = NULL;
  g_autofree char *review = NULL;
  g_autofree char *json = NULL;
  g_autofree char *description = NULL;
  gboolean uncertain;

  /* By name, as the file manager sees files it has not read. */
  q_type = g_content_type_guess ("ict.dlgq.json", NULL, 0, NULL);
  g_assert_cmpstr (q_type, ==, QUESTIONNAIRE_TYPE);
  report = g_content_type_guess ("2026.dlgreport", NULL, 0, NULL);
  g_assert_cmpstr (report, ==, REPORT_TYPE);
  review = g_content_type_guess ("2026.dlgreview", NULL, 0, NULL);
  g_assert_cmpstr (review, ==, REVIEW_TYPE);
  json = g_content_type_guess ("other.json", NULL, 0, NULL);
  g_assert_cmpstr (json, ==, "application/json");

  /* By content, for a questionnaire without its extension. */
  sniffed = g_content_type_guess (NULL, (const guchar *) questionnaire_start,
                                  sizeof questionnaire_start - 1, &uncertain);
  g_assert_cmpstr (sniffed, ==, QUESTIONNAIRE_TYPE);
  g_assert_false (uncertain);
  plain = g_content_type_guess (NULL, (const guchar *) other_json, sizeof other_json - 1, NULL);
  g_assert_cmpstr (plain, !=, QUESTIONNAIRE_TYPE);

  /* What they are kinds of, for apps that open any JSON or text. */
  g_assert_true (g_content_type_is_a (QUESTIONNAIRE_TYPE, "application/json"));
  g_assert_true (g_content_type_is_a (REPORT_TYPE, "text/plain"));
  g_assert_true (g_content_type_is_a (REVIEW_TYPE, "text/plain"));
  g_assert_false (g_content_type_is_a (REPORT_TYPE, REVIEW_TYPE));

  description = g_content_type_get_description (QUESTIONNAIRE_TYPE);
  g_assert_cmpstr (description, ==, "Diligence questionnaire");
}

/* ------------------------------------------------------------------------ */
/* Opening files                                                            */
/* ------------------------------------------------------------------------ */

static gboolean
dialog_has_heading (const char *heading)
{
  g_autoptr(GPtrArray) dialogs = find_toplevels (ADW_TYPE_MESSAGE_DIALOG);

  for (guint i = 0; i < dialogs->len; i++)
    if (g_strcmp0 (adw_message_dialog_get_heading (g_ptr_array_index (dialogs, i)), heading) == 0)
      return TRUE;

  return FALSE;
}

static void
open_step (DlgApplication *app,
           DlgWindow      *window)
{
  g_autofree char *source = g_test_build_filename (G_TEST_DIST, "data", "valid", "scoring.json", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *questionnaire = NULL;
  g_autofree char *report = NULL;
  g_autofree char *notes = NULL;
  g_autofree char *broken = NULL;
  g_autoptr(GPtrArray) imported = NULL;
  g_autoptr(GError) error = NULL;
  DialogCount two = { 2 };
  DlgReportPage *page;
  GFile *files[4];
  gsize length;

  g_assert_true (g_file_get_contents (source, &contents, &length, &error));
  questionnaire = write_file ("supplier-check.dlgq.json", contents, length);
  report = write_file ("2026.dlgreport", "eyJhbGciOiJFZERTQSJ9.e30.c2ln", -1);
  notes = write_file ("notes.txt", "Not a questionnaire.\n", -1);
  broken = write_file ("broken.json", "{ \"format\": ", -1);

  files[0] = g_file_new_for_path (questionnaire);
  files[1] = g_file_new_for_path (report);
  files[2] = g_file_new_for_path (notes);
  files[3] = g_file_new_for_path (broken);

  /* As the file manager or `diligence FILE…` would. */
  g_application_open (G_APPLICATION (app), files, G_N_ELEMENTS (files), "");

  /* A text file is refused by name, saying so; a broken .json goes to
   * the importer, whose validator says what is wrong. */
  g_assert_true (wait_until (message_dialogs_shown, &two));

  /* The questionnaire is imported. This is the first run, so no
   * assessment is offered before the organisation's profile exists. */
  imported = dlg_store_list_imported_questionnaires (dlg_application_get_store (app), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (imported->len, ==, 1);
  g_assert_cmpstr (dlg_questionnaire_get_id (g_ptr_array_index (imported, 0)), ==, "org.example.scoring");
  g_assert_false (has_toplevel (GSIZE_TO_POINTER (DLG_TYPE_NEW_ASSESSMENT_WINDOW)));
  g_assert_true (dialog_has_heading ("Diligence Cannot Open “notes.txt”"));
  g_assert_true (dialog_has_heading ("“broken.json” Cannot Be Used"));

  /* A report is opened and checked; this one is not even signed. */
  page = dlg_window_get_report_page (window);
  g_assert_nonnull (dlg_report_page_get_document (page));
  g_assert_cmpint (dlg_signed_document_get_status (dlg_report_page_get_document (page)), ==, DLG_SIGNATURE_INVALID);
  g_assert_true (g_str_has_prefix (dlg_report_page_get_status_text (page), "Invalid"));
  g_assert_cmpstr (dlg_window_get_visible_page (window), ==, "report");

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    g_object_unref (files[i]);
}

static void
test_open_files (void)
{
  run_app (open_step);
}

/* ------------------------------------------------------------------------ */
/* About                                                                    */
/* ------------------------------------------------------------------------ */

static void
about_step (DlgApplication *app,
            DlgWindow      *window)
{
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (window)));
  g_autoptr(GPtrArray) found = NULL;
  AdwAboutWindow *about;
  const char *notes;

  /* Found in the resources even before Diligence is installed. */
  g_assert_true (gtk_icon_theme_has_icon (theme, APP_ID));
  g_assert_true (gtk_icon_theme_has_icon (theme, APP_ID "-symbolic"));

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  g_assert_true (wait_until (has_toplevel, GSIZE_TO_POINTER (ADW_TYPE_ABOUT_WINDOW)));
  found = find_toplevels (ADW_TYPE_ABOUT_WINDOW);
  about = g_ptr_array_index (found, 0);

  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (about)) == GTK_WINDOW (window));
  g_assert_cmpstr (adw_about_window_get_application_icon (about), ==, APP_ID);
  g_assert_cmpstr (adw_about_window_get_version (about), ==, PACKAGE_VERSION);
  g_assert_cmpint (adw_about_window_get_license_type (about), ==, GTK_LICENSE_GPL_3_0);
  g_assert_true (g_str_has_prefix (adw_about_window_get_website (about), "https://"));
  g_assert_true (g_str_has_prefix (adw_about_window_get_issue_url (about), "https://"));
  g_assert_nonnull (adw_about_window_get_developers (about));
  g_assert_cmpstr (adw_about_window_get_translator_credits (about), ==, "translator-credits");

  /* This version's notes, from the metainfo. */
  g_assert_cmpstr (adw_about_window_get_release_notes_version (about), ==, PACKAGE_VERSION);
  notes = adw_about_window_get_release_notes (about);
  g_assert_true (g_str_has_prefix (notes, "<p>"));
  g_assert_nonnull (strstr (notes, "<li>"));
  g_assert_nonnull (strstr (adw_about_window_get_debug_info (about), PACKAGE_VERSION));
}

static void
test_about (void)
{
  run_app (about_step);
}

/* ------------------------------------------------------------------------ */
/* Shortcuts                                                                */
/* ------------------------------------------------------------------------ */

static char *
accel_key (guint           keyval,
           GdkModifierType mods)
{
  return gtk_accelerator_name (gdk_keyval_to_lower (keyval), mods & gtk_accelerator_get_default_mod_mask ());
}

/* Key bindings that widget classes of ours install (win., page., home.…),
 * as accelerator names. GTK's own bindings are left out. */
static void
collect_bindings (GtkWidget  *widget,
                  GHashTable *accels)
{
  static const char * const ours[] = { "win.", "page.", "home.", "welcome.", "report.", NULL };
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;

      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);
          GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);
          const char *name;

          if (!GTK_IS_KEYVAL_TRIGGER (trigger) || !GTK_IS_NAMED_ACTION (action))
            continue;

          name = gtk_named_action_get_action_name (GTK_NAMED_ACTION (action));
          for (guint k = 0; ours[k] != NULL; k++)
            if (g_str_has_prefix (name, ours[k]))
              g_hash_table_insert (accels,
                                   accel_key (gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)),
                                              gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger))),
                                   g_strdup (name));
        }
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_bindings (child, accels);
}

static void
shortcuts_step (DlgApplication *app,
                DlgWindow      *window)
{
  g_autoptr(GHashTable) real = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) listed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GtkBuilder) builder = NULL;
  g_auto(GStrv) actions = NULL;
  g_autoptr(GSList) objects = NULL;
  GtkShortcutsWindow *overlay;
  GHashTableIter iter;
  gpointer key, value;

  /* Application accelerators, GTK's for the shortcuts window included. */
  actions = gtk_application_list_action_descriptions (GTK_APPLICATION (app));
  for (guint i = 0; actions[i] != NULL; i++)
    {
      g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), actions[i]);

      for (guint j = 0; accels[j] != NULL; j++)
        {
          guint keyval;
          GdkModifierType mods;

          g_assert_true (gtk_accelerator_parse (accels[j], &keyval, &mods));
          g_hash_table_insert (real, accel_key (keyval, mods), g_strdup (actions[i]));
        }
    }
  /* Pages are built when first shown: build the ones with shortcuts of
   * their own so that their bindings are found too. */
  g_assert_nonnull (dlg_window_get_assessment_page (window));
  g_assert_nonnull (dlg_window_get_report_page (window));
  collect_bindings (GTK_WIDGET (window), real);
  g_assert_true (g_hash_table_contains (real, "F1"));
  g_assert_true (g_hash_table_contains (real, "<Control>j"));

  builder = gtk_builder_new_from_resource (RESOURCE_BASE "/dlg-shortcuts-window.ui");
  objects = gtk_builder_get_objects (builder);
  for (GSList *l = objects; l != NULL; l = l->next)
    {
      g_autofree char *accelerator = NULL;
      g_auto(GStrv) accels = NULL;

      if (!GTK_IS_SHORTCUTS_SHORTCUT (l->data))
        continue;

      g_object_get (l->data, "accelerator", &accelerator, NULL);
      accels = g_strsplit (accelerator, " ", -1);
      for (guint i = 0; accels[i] != NULL; i++)
        {
          guint keyval;
          GdkModifierType mods;

          g_assert_true (gtk_accelerator_parse (accels[i], &keyval, &mods));
          g_hash_table_add (listed, accel_key (keyval, mods));
        }
    }

  /* Every shortcut the app has is in the window… */
  g_hash_table_iter_init (&iter, real);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!g_hash_table_contains (listed, key))
      g_error ("%s (%s) is missing from the shortcuts window", (char *) key, (char *) value);

  /* …and the window lists none the app does not have, except GTK's focus
   * keys, which it shows because they matter for answering. */
  g_hash_table_iter_init (&iter, listed);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (real, key) &&
        g_strcmp0 (key, "Tab") != 0 && g_strcmp0 (key, "<Shift>Tab") != 0)
      g_error ("The shortcuts window lists %s, which does nothing", (char *) key);

  gtk_window_destroy (GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay")));

  /* The window's own copy is built when first asked for (Ctrl+? or the
   * menu), then kept. */
  g_assert_null (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL));
  overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window));
  g_assert_nonnull (overlay);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (overlay)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (overlay)) == GTK_WINDOW (window));
  gtk_window_close (GTK_WINDOW (overlay));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL));
  g_assert_true (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)) == overlay);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (overlay)));
  gtk_window_close (GTK_WINDOW (overlay));
}

static void
test_shortcuts (void)
{
  run_app (shortcuts_step);
}

/* ------------------------------------------------------------------------ */
/* Help                                                                     */
/* ------------------------------------------------------------------------ */

static void
no_viewer_step (DlgApplication *app,
                DlgWindow      *window)
{
  DialogCount one = { 1 };

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "app.help", NULL));
  g_assert_true (wait_until (message_dialogs_shown, &one));
  g_assert_true (dialog_has_heading ("The Guide Cannot Be Shown"));
}

static void
test_help_no_viewer (void)
{
  g_autoptr(GAppInfo) viewer = g_app_info_get_default_for_uri_scheme ("help");

  if (viewer != NULL)
    {
      g_test_skip ("This system has a help viewer; the case without one cannot be set up here");
      return;
    }

  run_app (no_viewer_step);
}

static gboolean
viewer_started (gpointer data)
{
  return g_file_test (viewer_log, G_FILE_TEST_EXISTS);
}

static void
viewer_step (DlgApplication *app,
             DlgWindow      *window)
{
  g_autoptr(GPtrArray) dialogs = NULL;
  g_autofree char *uri = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "app.help", NULL));
  g_assert_true (wait_until (viewer_started, NULL));

  g_assert_true (g_file_get_contents (viewer_log, &uri, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (g_strchomp (uri), ==, "help:" APP_ID);

  dialogs = find_toplevels (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_cmpuint (dialogs->len, ==, 0);
}

static void
test_help_viewer (void)
{
  g_autoptr(GAppInfo) viewer = g_app_info_get_default_for_uri_scheme ("help");

  g_assert_nonnull (viewer);
  g_assert_cmpstr (g_app_info_get_id (viewer), ==, "dlg-test-help-viewer.desktop");

  run_app (viewer_step);
}

/* A help viewer that writes down the URI it was asked to show. */
static void
install_help_viewer (const char *data_dir,
                     const char *config_dir)
{
  g_autofree char *apps = g_build_filename (data_dir, "applications", NULL);
  g_autofree char *script = g_build_filename (tmp_dir, "viewer.sh", NULL);
  g_autofree char *script_text = NULL;
  g_autofree char *desktop = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  viewer_log = g_build_filename (tmp_dir, "viewer.log", NULL);
  script_text = g_strdup_printf ("#!/bin/sh\nprintf '%%s\\n' \"$1\" > '%s.part' && mv '%s.part' '%s'\n",
                                 viewer_log, viewer_log, viewer_log);
  g_assert_true (g_file_set_contents (script, script_text, -1, &error));
  g_assert_cmpint (g_chmod (script, 0755), ==, 0);

  desktop = g_strdup_printf ("[Desktop Entry]\nType=Application\nName=Test Help Viewer\n"
                             "Exec=%s %%u\nMimeType=x-scheme-handler/help;\nNoDisplay=true\n", script);
  g_assert_cmpint (g_mkdir_with_parents (apps, 0700), ==, 0);
  path = g_build_filename (apps, "dlg-test-help-viewer.desktop", NULL);
  g_assert_true (g_file_set_contents (path, desktop, -1, &error));

  g_clear_pointer (&path, g_free);
  g_assert_cmpint (g_mkdir_with_parents (config_dir, 0700), ==, 0);
  path = g_build_filename (config_dir, "mimeapps.list", NULL);
  g_assert_true (g_file_set_contents (path,
                                      "[Default Applications]\n"
                                      "x-scheme-handler/help=dlg-test-help-viewer.desktop\n",
                                      -1, &error));
  g_assert_no_error (error);
}

static void
remove_file_tree (GFile *file)
{
  g_autoptr(GFileEnumerator) children = NULL;
  GFile *child;

  children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  while (children != NULL &&
         g_file_enumerator_iterate (children, NULL, &child, NULL, NULL) && child != NULL)
    remove_file_tree (child);

  g_file_delete (file, NULL, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data = NULL;
  g_autofree char *config = NULL;
  g_autofree char *cache = NULL;
  g_autofree char *mime_dir = NULL;
  g_autofree char *data_dirs = NULL;
  const char *system_dirs = g_getenv ("XDG_DATA_DIRS");
  g_autoptr(GFile) tmp = NULL;
  int status;

  tmp_dir = g_dir_make_tmp ("dlg-desktop-XXXXXX", NULL);
  data = g_build_filename (tmp_dir, "data", NULL);
  config = g_build_filename (tmp_dir, "config", NULL);
  cache = g_build_filename (tmp_dir, "cache", NULL);

  /* A new user each run, and our MIME types as if installed. GLib reads
   * these once, so they are set before anything asks. */
  mime_dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "desktop", "share", NULL);
  data_dirs = g_strdup_printf ("%s:%s", mime_dir,
                               system_dirs && *system_dirs ? system_dirs : "/usr/local/share:/usr/share");
  g_setenv ("XDG_DATA_DIRS", data_dirs, TRUE);
  g_setenv ("XDG_DATA_HOME", data, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);

  for (int i = 1; i < argc; i++)
    if (g_strcmp0 (argv[i], "--with-help-viewer") == 0)
      {
        install_help_viewer (data, config);
        memmove (&argv[i], &argv[i + 1], (argc - i) * sizeof (char *));
        argc--;
        break;
      }

  gtk_test_init (&argc, &argv, NULL);

  if (viewer_log != NULL)
    g_test_add_func ("/desktop/help/viewer", test_help_viewer);
  else
    {
      g_test_add_func ("/desktop/mime-types", test_mime_types);
      g_test_add_func ("/desktop/open", test_open_files);
      g_test_add_func ("/desktop/about", test_about);
      g_test_add_func ("/desktop/shortcuts", test_shortcuts);
      g_test_add_func ("/desktop/help/no-viewer", test_help_no_viewer);
    }

  status = g_test_run ();

  tmp = g_file_new_for_path (tmp_dir);
  remove_file_tree (tmp);
  g_clear_pointer (&viewer_log, g_free);
  g_clear_pointer (&tmp_dir, g_free);
  return status;
}
