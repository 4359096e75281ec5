/* dlg-application.c - the application: app-wide actions, windows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dlg-application"

#include "config.h"

#include <glib/gi18n.h>

#include "dlg-application.h"
#include "dlg-core.h"
#include "dlg-window.h"

struct _DlgApplication
{
  AdwApplication  parent_instance;

  /* Owned references */
  GPtrArray      *questionnaires;
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
 * Returns: (transfer none) (element-type DlgQuestionnaire): the
 *   questionnaires the user can start an assessment from
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

static void
dlg_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (dlg_window_new (DLG_APPLICATION (app)));

  gtk_window_present (window);
}

static void
show_file_error (GtkWindow  *parent,
                 GFile      *file,
                 const char *message)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *heading = g_strdup_printf (_("Could Not Open “%s”"), name);
  GtkWidget *dialog = adw_message_dialog_new (parent, heading, message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
dlg_application_open (GApplication  *app,
                      GFile        **files,
                      int            n_files,
                      const char    *hint)
{
  DlgApplication *self = DLG_APPLICATION (app);
  DlgWindow *window;

  g_application_activate (app);
  window = DLG_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (self)));

  for (int i = 0; i < n_files; i++)
    {
      g_autoptr(GPtrArray) diagnostics = dlg_diagnostics_new ();
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(DlgQuestionnaire) q = NULL;
      g_autoptr(DlgAssessment) assessment = NULL;
      g_autofree char *path = g_file_get_path (files[i]);

      if (path == NULL)
        {
          show_file_error (GTK_WINDOW (window), files[i], _("Only local files can be opened."));
          continue;
        }

      if (!(bytes = dlg_file_read (path, DLG_JSON_MAX_SIZE, &error)) ||
          !(q = dlg_questionnaire_new_from_bytes (bytes, diagnostics, &error)))
        {
          g_autoptr(GString) text = g_string_new (error->message);

          /* The validator's own words, so the author can fix the file. */
          for (guint j = 0; j < diagnostics->len && j < 20; j++)
            {
              g_autofree char *line = dlg_diagnostic_format (g_ptr_array_index (diagnostics, j), NULL);
              g_string_append_printf (text, "\n\n%s", line);
            }
          show_file_error (GTK_WINDOW (window), files[i], text->str);
          continue;
        }

      assessment = dlg_assessment_new (q);
      dlg_window_open_assessment (window, assessment, FALSE,
                                  dlg_text_get (dlg_questionnaire_get_title (q),
                                                dlg_language_pick (dlg_questionnaire_get_languages (q))));
    }
}

static void
dlg_application_dispose (GObject *object)
{
  DlgApplication *self = (DlgApplication *)object;

  g_clear_pointer (&self->questionnaires, g_ptr_array_unref);

  G_OBJECT_CLASS (dlg_application_parent_class)->dispose (object);
}

static void
dlg_application_class_init (DlgApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = dlg_application_dispose;
  app_class->activate = dlg_application_activate;
  app_class->open = dlg_application_open;
}

static void
dlg_application_about_action (GSimpleAction *action,
                              GVariant      *parameter,
                              gpointer       user_data)
{
  static const char *developers[] = { "The Diligence developers", NULL };
  DlgApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  adw_show_about_window (window,
                         "application-name", _("Diligence"),
                         "application-icon", APP_ID,
                         "developer-name", _("The Diligence developers"),
                         "version", PACKAGE_VERSION,
                         "comments", _("Supply-chain due diligence, corrective action plans and charter commitments for responsible ICT procurement"),
                         "developers", developers,
                         "copyright", "© 2026 The Diligence developers",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         /* TRANSLATORS: your name and e-mail, one per line */
                         "translator-credits", _("translator-credits"),
                         NULL);
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
};

static void
dlg_application_init (DlgApplication *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions), self);

  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit",
                                         (const char *[]) { "<primary>q", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close",
                                         (const char *[]) { "<primary>w", NULL });
}
